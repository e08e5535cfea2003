"""Fig. 1: supernova-core bounds, as the paper draws them: the map of log10 tau with tau = 10 s dashed and
100 s solid, and on the scalar panel the N = 1 cooling lines of nu_e (white) and nu_x (grey)."""

import numpy as np
from matplotlib import patheffects

from astrocevns import io, logs, plotting as pl

logs.to_file(snakemake.log[0])
settings = snakemake.params.figure["core"]
TAU_STYLES = ["--", "-", ":", "-."]  # the paper: 10 s dashed, 100 s solid
# the paper: nu_e white, nu_x grey; nu_x dashed on top, so that both show where the two lines coincide
COOLING = {"nue": ("w", "-", "\u03bd\u2091"), "nux": ("0.6", (0, (4, 2)), "\u03bd\u2093")}
OUTLINE = [patheffects.withStroke(linewidth=2.6, foreground="k")]  # light lines legible on the map and legend
threshold = settings["scattering_threshold"]
fig, axes = pl.panels(len(snakemake.input), width=3.6)
for ax, path in zip(axes[0], snakemake.input, strict=True):
    frame, meta = io.read_parquet(path)
    g, m = np.unique(frame.g), np.unique(frame.m_MeV)
    tau = frame.tau_s.to_numpy().reshape(g.size, m.size)
    shading = ax.pcolormesh(m, g, np.log10(tau), cmap="viridis", vmin=np.log10(float(meta["tau_sm_s"])), vmax=4,
                            shading="auto", rasterized=True)
    handles = []
    for index, limit in enumerate(settings["diffusion_times_s"]):
        style = TAU_STYLES[index % len(TAU_STYLES)]
        ax.contour(m, g, tau, levels=[limit], colors="k", linestyles=[style], linewidths=1.4)
        handles.append(pl.Line2D([], [], color="k", linestyle=style, label=f"\u03c4 = {limit:g} s"))
    for species, (colour, style, label) in COOLING.items():
        column = f"n_scatter_{species}"
        if column in frame:
            n = frame[column].to_numpy().reshape(g.size, m.size)
            contour = ax.contour(m, g, n, levels=[threshold], colors=[colour], linestyles=[style], linewidths=1.4)
            contour.set_path_effects(OUTLINE)
            handles.append(pl.Line2D([], [], color=colour, linestyle=style, path_effects=OUTLINE,
                                     label=f"N = {threshold:g}, {label}"))
    pl.bound_axes(ax, f"SN core, {pl.MEDIATOR_LABELS[meta['mediator']]}")
    ax.legend(handles=handles, loc="lower right", frameon=True)
fig.colorbar(shading, ax=axes[0, -1], label="$\\log_{10}(\\tau / \\mathrm{s})$")
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
