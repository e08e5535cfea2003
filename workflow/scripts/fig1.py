"""Fig. 1: supernova-core bounds from the diffusion time (10 s, 100 s) and LNC-scalar cooling (N = 1)."""

import numpy as np

from astrocevns import io, logs, plotting as pl

logs.to_file(snakemake.log[0])
settings = snakemake.params.figure["core"]
fig, axes = pl.panels(len(snakemake.input), width=3.6)
for ax, path in zip(axes[0], snakemake.input):
    frame, meta = io.read_parquet(path)
    g, m = np.unique(frame.g), np.unique(frame.m_MeV)
    tau = frame.tau_s.to_numpy().reshape(g.size, m.size)
    shading = ax.pcolormesh(m, g, np.log10(tau), cmap="viridis", vmin=np.log10(float(meta["tau_sm_s"])), vmax=4,
                            shading="auto", rasterized=True)
    handles = []
    for limit, style in zip(settings["diffusion_times_s"], ["--", "-", ":"]):
        ax.contour(m, g, tau, levels=[limit], colors="w", linestyles=[style], linewidths=1.4)
        handles.append(pl.Line2D([], [], color="k", linestyle=style, label=f"$\\tau = {limit:g}$ s"))
    if "n_scatter" in frame:
        n = frame.n_scatter.to_numpy().reshape(g.size, m.size)
        ax.contour(m, g, n, levels=[settings["scatterings"]], colors=[pl.ORANGE], linestyles=[":"], linewidths=1.6)
        handles.append(pl.Line2D([], [], color=pl.ORANGE, linestyle=":", label=f"$N = {settings['scatterings']:g}$ (cooling)"))
    pl.bound_axes(ax, f"SN core, {pl.MEDIATOR_LABELS[meta['mediator']]}")
    ax.legend(handles=handles, loc="lower right", frameon=True)
fig.colorbar(shading, ax=axes[0, -1], label="$\\log_{10}(\\tau / \\mathrm{s})$")
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
