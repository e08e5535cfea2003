"""The figures' shared visual language (paper figs. 2-12): colours, axes, exclusion regions, saving.

Lead is orange and xenon blue; the core-collapse supernova orange and the failed one blue.
Regions: the combination solid, DARWIN hatched, RES-NOVA-3 dashed; the efficiency band shaded.
Imported only by figure scripts (matplotlib is loaded here and nowhere else in the library).
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

from . import io  # noqa: E402

ORANGE, BLUE, GREEN, GREY, PURPLE = "#e66101", "#2c7bb6", "#1a9641", "#636363", "#7b3294"
TARGET_COLOURS = {"Pb": ORANGE, "Xe": BLUE}
SOURCE_COLOURS = {"sn_cc": ORANGE, "sn_failed": BLUE, "sn_marginalised": GREY, "solar": GREEN, "atmospheric": PURPLE}
SOURCE_LABELS = {
    "sn_cc": "CC-SN (27 M\u2609)",  # legends in plain Unicode: mathtext would be parsed at every draw
    "sn_failed": "failed SN (40 M\u2609)",
    "sn_marginalised": "SN, marginalised",
    "solar": "solar (\u2078B + hep)",
    "atmospheric": "atmospheric",
}
DETECTOR_LABELS = {
    "resnova3": "RES-NOVA-3",
    "resnova1": "RES-NOVA-1",
    "darwin": "DARWIN",
    "xenonnt": "XENONnT",
    "xenon1t": "XENON1T",
    "combined": "RES-NOVA-3 + DARWIN",
}
EXISTING_BOUNDS = {  # computed by the workflow from published data (paper sec. VII): colour, line style, label
    "xenon1t/xenon1t": ("k", "solid", "XENON1T 2018 (1 t yr)"),
    "coherent_csi/coherent_csi": ("#8c510a", "solid", "COHERENT CsI 2017"),
    "coherent_ar/coherent_ar": ("#01665e", "dashed", "COHERENT Ar 2020"),
}
MEDIATOR_LABELS = {"vector": "vector Z\u2032", "scalar": "scalar \u03c6"}
COUPLING_LABEL = "$g = \\sqrt{g_\\nu g_q}$"
MASS_LABEL = "mediator mass $m$ [MeV]"
FILL_ALPHA = 0.3


def apply_style():
    plt.rcParams.update(
        {
            "font.size": 9,
            "axes.labelsize": 9,
            "legend.fontsize": 7,
            "legend.frameon": False,
            "xtick.direction": "in",
            "ytick.direction": "in",
            "xtick.top": True,
            "ytick.right": True,
            "lines.linewidth": 1.4,
            "hatch.linewidth": 0.8,
            "savefig.bbox": "tight",
        }
    )


def panels(ncols, nrows=1, width=3.4, height=3.0, **kwargs):
    """A figure with a grid of panels of the given size each [inches]."""
    apply_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False,
                             layout="constrained", **kwargs)
    return fig, axes


SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def decade_label(value, _position=None):
    """'10⁻⁵' for 1e-5: a decade in Unicode superscripts. Matplotlib's default writes each tick label
    in mathtext, whose parsing is half the drawing time of a bound figure."""
    exponent = round(np.log10(value))
    return f"10{str(exponent).translate(SUPERSCRIPTS)}"


def decade_log_axes(ax, which="xy"):
    """Logarithmic axes with a labelled tick at every decade and unlabelled minor ticks."""
    for name in which:
        axis = ax.xaxis if name == "x" else ax.yaxis
        (ax.set_xscale if name == "x" else ax.set_yscale)("log")
        axis.set_major_locator(LogLocator(base=10, numticks=30))
        axis.set_major_formatter(FuncFormatter(decade_label))
        axis.set_minor_locator(LogLocator(base=10, subs=np.arange(2, 10), numticks=30))
        axis.set_minor_formatter(NullFormatter())


def bound_axes(ax, title=None, coupling_label=COUPLING_LABEL):
    """Mass on x and coupling on y, both logarithmic with decade ticks (the paper's bound figures)."""
    decade_log_axes(ax)
    ax.set_xlabel(MASS_LABEL)
    ax.set_ylabel(coupling_label)
    if title:
        ax.set_title(title, fontsize=9)


def chi2_grid(frame):
    """(m, g, chi2[g, m]) from a chi2 table (rows g-major, as rule chi2 writes them)."""
    g, m = np.unique(frame["g"]), np.unique(frame["m_MeV"])
    return m, g, np.asarray(frame["chi2"]).reshape(g.size, m.size)


def excluded(ax, frame, threshold, colour, style="fill", label=None, coupling_scale=1.0, zorder=2):
    """Draw the region chi2 > threshold of a chi2 table.

    ``style``: 'fill' (solid, translucent), 'light' (faint fill with a strong boundary, for overlapping
    regions), 'hatch' (hatched, outlined), 'dashed' or 'solid' (boundary line only). ``coupling_scale`` multiplies g (e.g. sqrt(3) for g_B-L). Returns a legend handle.
    """
    m, g, chi2 = chi2_grid(frame)
    mask = np.where(np.isfinite(chi2), chi2, np.inf) > threshold
    g = g * coupling_scale
    alpha = {"fill": FILL_ALPHA, "light": 0.12}.get(style)
    if alpha:
        ax.contourf(m, g, mask.astype(float), levels=[0.5, 1.5], colors=[colour], alpha=alpha, zorder=zorder)
    elif style == "hatch":
        hatched = ax.contourf(m, g, mask.astype(float), levels=[0.5, 1.5], colors="none", hatches=["////"],
                              zorder=zorder)
        hatched.set_edgecolor(colour)
        hatched.set_linewidth(0.0)
    linestyle = "--" if style == "dashed" else "-"
    ax.contour(m, g, mask.astype(float), levels=[0.5], colors=[colour], linestyles=[linestyle],
               linewidths=1.0 if style in ("fill", "hatch") else 1.6, zorder=zorder + 1)
    if alpha:
        return Patch(facecolor=colour, alpha=alpha, edgecolor=colour, label=label)
    if style == "hatch":
        return Patch(facecolor="none", hatch="////", edgecolor=colour, label=label)
    return Line2D([], [], color=colour, linestyle=linestyle, label=label)


def efficiency_band(ax, ideal, reduced, threshold, colour, label=None, coupling_scale=1.0):
    """Shade where the ideal-efficiency analysis excludes and the reduced-efficiency one does not."""
    m, g, chi2_ideal = chi2_grid(ideal)
    _, _, chi2_reduced = chi2_grid(reduced)
    band = (chi2_ideal > threshold) != (chi2_reduced > threshold)
    ax.contourf(m, g * coupling_scale, band.astype(float), levels=[0.5, 1.5], colors=[colour], alpha=0.2, zorder=1)
    return Patch(facecolor=colour, alpha=0.2, label=label)


def read_chi2_tables(paths, analyses):
    """{(mediator, analysis): chi2 table} of the ``analyses`` found in the family tables at ``paths``, and
    the delta chi2 threshold they were made with (the other analyses of those families are dropped)."""
    tables, thresholds = {}, set()
    for path in paths:
        frame, meta = io.read_columns(path, columns=["analysis", "g", "m_MeV", "chi2"])
        analysis = frame.pop("analysis")
        for name in analyses:
            rows = analysis == name
            if rows.any():
                tables[meta["mediator"], name] = {column: values[rows] for column, values in frame.items()}
        thresholds.add(float(meta["delta_chi2"]))
    if len(thresholds) != 1:
        raise ValueError(f"chi2 tables made with different thresholds: {sorted(thresholds)}")
    return tables, thresholds.pop()


RATE_LINESTYLES = ["--", ":", "-."]


def rate_panel(ax, table, targets, mediator, curves, threshold_keV, E_max_keV, unit):
    """dR/dE_r per ton: SM solid, each (g, m) curve in its own line style; threshold marked."""
    for target in targets:
        rows = table[table.target == target]
        colour = TARGET_COLOURS.get(target, GREY)
        sm = rows[rows.mediator == "sm"]
        ax.plot(sm.E_r_keV, sm.rate_per_keV_t, color=colour, label=f"{target}, SM")
        for style, curve in zip(RATE_LINESTYLES, curves):
            new = rows[(rows.mediator == mediator) & (rows.g == curve["g"]) & (rows.m_MeV == curve["m_MeV"])]
            ax.plot(new.E_r_keV, new.rate_per_keV_t, color=colour, linestyle=style, linewidth=1.1,
                    label=f"{target}, $g = {latex_number(curve['g'])}$")
    ax.axvline(threshold_keV, color=GREY, linewidth=0.8, linestyle=(0, (1, 2)))
    ax.text(threshold_keV * 1.04, 0.97, "threshold", transform=ax.get_xaxis_transform(), fontsize=6,
            color=GREY, va="top", rotation=90)
    ax.set_xlim(0, E_max_keV)
    decade_log_axes(ax, "y")
    ax.set_xlabel("recoil energy $E_r$ [keV]")
    ax.set_ylabel(f"$dR/dE_r$ [{unit}]")


def clip_rate_axis(ax, table, E_min_keV, E_max_keV, decades=5):
    """y range: ``decades`` decades below the largest rate shown between E_min and E_max."""
    shown = table[(table.E_r_keV >= E_min_keV) & (table.E_r_keV <= E_max_keV) & (table.rate_per_keV_t > 0)]
    top = shown.rate_per_keV_t.max()
    ax.set_ylim(top * 10.0**-decades, top * 3)


def latex_number(value):
    """1e-05 -> '10^{-5}', 3e-05 -> '3 \\times 10^{-5}'."""
    mantissa, exponent = f"{value:.0e}".split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else f"{mantissa} \\times {power}"


def save(fig, pdf_path, png_path):
    """Write the figure as vector PDF and 200 dpi PNG, without time stamps (reproducible files)."""
    fig.savefig(pdf_path, metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None})
    fig.set_layout_engine("none")
    fig.savefig(png_path, dpi=200, metadata={"Software": None})
    plt.close(fig)


def rate_figure(paths, params, E_max_keV, unit):
    """Rows: the rate tables at ``paths`` (one source each); columns: the mediators (figs. 2-4)."""
    fig, axes = panels(len(params["mediators"]), len(paths))
    for row, path in enumerate(paths):
        table, meta = io.read_parquet(path)
        for col, mediator in enumerate(params["mediators"]):
            ax = axes[row, col]
            rate_panel(ax, table, ["Pb", "Xe"], mediator, params["curves"], params["threshold_keV"], E_max_keV, unit)
            clip_rate_axis(ax, table, 0.5 * params["threshold_keV"], E_max_keV, decades=7)
            ax.set_title(f"{SOURCE_LABELS[meta['source']]}, {MEDIATOR_LABELS[mediator]}, "
                         f"$m = {params['curves'][0]['m_MeV']:g}$ MeV", fontsize=8)
    fig.legend(handles=axes[0, 0].get_legend_handles_labels()[0], loc="outside lower center", ncol=4)
    return fig


EXTERNAL_STYLES = [("k", "-"), ("k", "--"), ("k", ":"), ("k", "-."), (GREY, "-"), (GREY, "--"), (GREY, ":")]


def bound_figure(paths, mediators, layers, bands=(), coupling_scale=1.0, coupling_label=COUPLING_LABEL,
                 title=None, legend_columns=2, curves=()):
    """One panel per mediator with the excluded regions of several analyses (figs. 5-11).

    ``layers``: (analysis, colour, style, label) drawn in order (see :func:`excluded`);
    ``bands``: (ideal analysis, reduced-efficiency analysis, colour, label) efficiency bands;
    ``curves``: (label, mediator, m_MeV, g) bounds of other experiments, drawn as lines.
    """
    drawn = {layer[0] for layer in layers} | {name for band in bands for name in band[:2]}
    tables, threshold = read_chi2_tables(paths, drawn)
    fig, axes = panels(len(mediators))
    for ax, mediator in zip(axes[0], mediators):
        handles = [efficiency_band(ax, tables[mediator, ideal], tables[mediator, reduced], threshold, colour, label,
                                   coupling_scale) for ideal, reduced, colour, label in bands]
        handles += [excluded(ax, tables[mediator, analysis], threshold, colour, style, label, coupling_scale)
                    for analysis, colour, style, label in layers]
        for (label, curve_mediator, m, g), (colour, style) in zip(curves, EXTERNAL_STYLES * 4):
            if curve_mediator == mediator:
                handles += ax.plot(m, g * coupling_scale, color=colour, linestyle=style, linewidth=1.2, label=label)
        bound_axes(ax, f"{title + ', ' if title else ''}{MEDIATOR_LABELS[mediator]}", coupling_label)
        frame = tables[mediator, layers[0][0]]
        ax.set_xlim(frame["m_MeV"].min(), frame["m_MeV"].max())
        ax.set_ylim(frame["g"].min() * coupling_scale, frame["g"].max() * coupling_scale)
    fig.legend(handles=handles, loc="outside lower center", ncol=legend_columns)
    return fig


def external_curves(paths, listed, log):
    """(label, mediator, m_MeV, g) of the external-bound files among ``paths``; logs the listed ones absent."""
    curves = []
    for path in (p for p in paths if str(p).endswith(".csv")):
        header, m, g = io.read_limit_curve(path)
        curves.append((header["name"], header["mediator"], m, g))
        log.info("external bound %s (%s) drawn", header["name"], header["citation"])
    present = {str(p).rsplit("/", 1)[-1].removesuffix(".csv") for p in paths}
    absent = [name for name in listed if name not in present]
    if absent:
        log.info("external bounds listed but absent (add resources/external_limits/<name>.csv): %s", ", ".join(absent))
    return curves


def existing_layers(paths, names):
    """Layers of the existing bounds ``names`` (keys of EXISTING_BOUNDS) whose chi2 tables are among ``paths``."""
    present = {str(path).split("/chi2/", 1)[-1].split("/", 1)[-1].removesuffix(".parquet") for path in paths}
    return [(name, *EXISTING_BOUNDS[name]) for name in names if name in present]


def summary_layers(paths):
    """Layers of figs. 8-10: the projected combinations (faint fills) and the COHERENT bounds (lines)."""
    projected = [(f"{s}/combined", SOURCE_COLOURS[s], "light", f"{SOURCE_LABELS[s]}, RES-NOVA-3 + DARWIN")
                 for s in ("atmospheric", "sn_marginalised", "solar")]
    return projected + existing_layers(paths, ["coherent_csi/coherent_csi", "coherent_ar/coherent_ar"])


def convention_summary(paths, mediator, convention, coupling_label, title, listed, log):
    """Figs. 9 and 10: the summary of one mediator in a model's coupling convention, with the external curves
    among ``paths`` (``listed``: the names the config lists for the figure)."""
    from . import couplings

    chi2 = [path for path in paths if str(path).endswith(".parquet")]
    return bound_figure(chi2, [mediator], summary_layers(chi2), coupling_scale=couplings.to_model(1.0, convention),
                        coupling_label=coupling_label, title=title, curves=external_curves(paths, listed, log))


def per_detector_layers(sources):
    """Layers and efficiency bands of figs. 5 and 7: per source, the combination filled, DARWIN hatched,
    RES-NOVA-3 dashed, and the XENON1T-efficiency band of the combination."""
    layers, bands = [], []
    for source in sources:
        colour, name = SOURCE_COLOURS[source], SOURCE_LABELS[source]
        layers += [(f"{source}/combined", colour, "fill", f"{name}: {DETECTOR_LABELS['combined']}"),
                   (f"{source}/darwin", colour, "hatch", f"{name}: DARWIN"),
                   (f"{source}/resnova3", colour, "dashed", f"{name}: RES-NOVA-3")]
        bands.append((f"{source}/combined", f"{source}/combined-xenon1t_nr", colour, f"{name}: XENON1T efficiency"))
    return layers, bands
