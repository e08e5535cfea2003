"""The figures (paper figs. 1-12) drawn from their declarative descriptions (config/figures.yaml).

Every drawing function also records the points it draws in a :class:`FigureData`, written beside
the figure as results/figures/fig{N}.csv (columns layer, panel, line, x, y). Imported only by the
figure job (matplotlib is loaded here and nowhere else in the library).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

from . import contours, couplings, edges, grids, io  # noqa: E402

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath

PALETTE = {  # the colours the descriptions name; any matplotlib colour is accepted too
    "orange": "#e66101", "blue": "#2c7bb6", "green": "#1a9641", "grey": "#636363", "purple": "#7b3294",
    "black": "#000000", "navy": "#08306b", "cyan": "#17becf", "yellow": "#e6b400", "red": "#d7191c",
    "pink": "#e7298a", "beige": "#c8ad7f", "brown": "#8c510a", "teal": "#01665e",
}
TARGET_COLOURS = {"Pb": PALETTE["orange"], "Xe": PALETTE["blue"]}
SOURCE_LABELS = {  # legends in plain Unicode: mathtext would be parsed at every draw
    "sn_cc": "CC-SN (27 M☉)",
    "sn_failed": "failed SN (40 M☉)",
    "solar": "solar (⁸B + hep)",
    "atmospheric": "atmospheric",
}
MEDIATOR_LABELS = {"vector": "vector Z′", "scalar": "scalar φ"}
COUPLING_LABELS = {"g": "g = √(g_ν g_q)", "g_BL": "g_B−L", "g_phi": "g_φ"}
MASS_LABEL = "mediator mass m [MeV]"
LINESTYLES = {"solid": "-", "dashed": "--", "dashdot": "-.", "dotted": ":", "fill": "-", "hatch": "-", "outline": "-"}
HATCHES = {"hatch": "////", "outline": "\\"}
RATE_LINESTYLES = ["--", ":", "-."]


def colour(name: str) -> str:
    """A palette colour by name, or the matplotlib colour given."""
    return PALETTE.get(name, name)


class FigureData:
    """The points a figure draws, layer by layer: the rows of results/figures/fig{N}.csv."""

    def __init__(self):
        self.parts = []

    def add(self, layer: str, panel: str, x: npt.ArrayLike, y: npt.ArrayLike, line: int = 0) -> None:
        x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
        self.parts.append((layer, panel, np.full(x.size, line), np.full(x.size, ""), x, y))

    def add_polylines(self, layer: str, panel: str, lines: Mapping[str, np.ndarray], y_scale: float = 1.0) -> None:
        """The polylines of :func:`astrocevns.contours.exclusion_contours` (one ``line`` index each)."""
        self.parts.append((layer, panel, lines["line"], np.full(len(lines["line"]), ""), lines["m_MeV"],
                           lines["g"] * y_scale))

    def add_edges(self, layer: str, panel: str, found: Mapping[str, np.ndarray], y_scale: float = 1.0) -> None:
        """The exact edges of a region (:func:`astrocevns.edges.exclusion_edges`): ``line`` is the index of the
        excluded interval at each mass and ``edge`` says lower or upper."""
        self.parts.append((layer, panel, found["interval"], np.asarray(found["edge"], dtype=str), found["m_MeV"],
                           np.asarray(found["g"]) * y_scale))

    def write_csv(self, path: str | os.PathLike[str]) -> None:
        with open(path, "w", encoding="utf-8") as stream:
            stream.write("layer,panel,line,edge,x,y\n")
            for layer, panel, line, edge, x, y in self.parts:
                quoted = '"' + layer.replace('"', '""') + '"'
                for k, side, xi, yi in zip(line, edge, x, y, strict=True):
                    stream.write(f"{quoted},{panel},{int(k)},{side},{xi:.8g},{yi:.8g}\n")


def apply_style() -> None:
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


def panels(ncols: int, nrows: int = 1, width: float = 3.4, height: float = 3.0,
           **kwargs: Any) -> tuple[Figure, np.ndarray]:
    """A figure with a grid of panels of the given size each [inches]."""
    apply_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False,
                             layout="constrained", **kwargs)
    return fig, axes


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_label(value: float, _position: float | None = None) -> str:
    """'10⁻⁵' for 1e-5: a decade in Unicode superscripts. Matplotlib's default writes each tick label
    in mathtext, whose parsing is half the drawing time of a bound figure."""
    exponent = round(np.log10(value))
    return f"10{str(exponent).translate(SUPERSCRIPTS)}"


def decade_log_axes(ax: Axes, which: str = "xy") -> None:
    """Logarithmic axes with a labelled tick at every decade and unlabelled minor ticks."""
    for name in which:
        axis = ax.xaxis if name == "x" else ax.yaxis
        (ax.set_xscale if name == "x" else ax.set_yscale)("log")
        axis.set_major_locator(LogLocator(base=10, numticks=30))
        axis.set_major_formatter(FuncFormatter(decade_label))
        axis.set_minor_locator(LogLocator(base=10, subs=np.arange(2, 10), numticks=30))
        axis.set_minor_formatter(NullFormatter())


def bound_axes(ax: Axes, title: str | None = None, coupling_label: str = COUPLING_LABELS["g"]) -> None:
    """Mass on x and coupling on y, both logarithmic with decade ticks (the paper's bound figures)."""
    decade_log_axes(ax)
    ax.set_xlabel(MASS_LABEL)
    ax.set_ylabel(coupling_label)
    if title:
        ax.set_title(title, fontsize=9)


def grid_of(frame: Mapping[str, npt.ArrayLike], column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(m, g, values[g, m]) of one column of a table on the (g, m) grid (rows g-major, as the rules write them)."""
    g, m = np.unique(frame["g"]), np.unique(frame["m_MeV"])
    return m, g, np.asarray(frame[column], dtype=float).reshape(g.size, m.size)


def region(ax: Axes, data: FigureData, layer: Mapping, panel: str, found: Mapping[str, np.ndarray], masses: np.ndarray,
           y_scale: float = 1.0) -> Patch | Line2D:
    """Draw the excluded region of an analysis from its exact edges in g at every grid mass (a table of
    :func:`astrocevns.edges.exclusion_edges`) in the layer's style; returns a legend handle.

    Styles: fill (translucent fill, outlined), hatch (hatched, outlined), outline (strong boundary and a
    sparse hatch: stays readable where regions overlap), dashed, solid, dashdot, dotted (boundary only).
    """
    from matplotlib.patches import PathPatch

    rings = edges.outline_rings(found, masses)
    style, shade = layer["style"], colour(layer["colour"])
    hatch = layer.get("hatch", HATCHES.get(style))
    path = ring_path(rings, y_scale)
    if path is not None and (style == "fill" or style in HATCHES):
        if style == "fill":
            ax.add_patch(PathPatch(path, facecolor=shade, alpha=0.3, edgecolor="none", zorder=2))
        else:  # the outline style hatches faintly: the boundary line carries the region where several overlap
            ax.add_patch(PathPatch(path, facecolor="none", hatch=hatch, edgecolor=shade, linewidth=0.0, zorder=2,
                                   alpha=1.0 if style == "hatch" else 0.45))
    linestyle = LINESTYLES[style]
    lines = edges.boundary_lines(rings)
    for index in np.unique(lines["line"]):
        rows = lines["line"] == index
        ax.plot(lines["m_MeV"][rows], lines["g"][rows] * y_scale, color=shade, linestyle=linestyle,
                linewidth=1.0 if style in ("fill", "hatch") else 1.6, zorder=3)
    data.add_edges(layer["label"], panel, found, y_scale)
    if style == "fill":
        return Patch(facecolor=shade, alpha=0.3, edgecolor=shade, label=layer["label"])
    if style in HATCHES:
        return Patch(facecolor="none", hatch=hatch, edgecolor=shade, label=layer["label"])
    return Line2D([], [], color=shade, linestyle=linestyle, label=layer["label"])


def ring_path(rings: Mapping[str, np.ndarray], y_scale: float = 1.0, reverse: bool = False) -> MplPath | None:
    """A compound matplotlib Path of outline rings (a table of :func:`astrocevns.edges.outline_rings`); with
    ``reverse`` every ring runs the other way, so that under the non-zero fill rule it cancels a ring it covers."""
    from matplotlib.path import Path

    vertices, codes = [], []
    for index in np.unique(rings["ring"]):
        rows = rings["ring"] == index
        ring = np.column_stack([rings["m_MeV"][rows], rings["g"][rows] * y_scale])
        ring = ring[::-1] if reverse else ring
        vertices += [ring, ring[:1]]
        codes += [Path.MOVETO, *[Path.LINETO] * (len(ring) - 1), Path.CLOSEPOLY]
    return Path(np.concatenate(vertices), codes) if vertices else None


def band(ax: Axes, data: FigureData, layer: Mapping, panel: str, ideal: Mapping[str, np.ndarray],
         reduced: Mapping[str, np.ndarray], masses: np.ndarray, y_scale: float = 1.0) -> Patch:
    """Shade where an analysis and its variant disagree (e.g. the efficiency band of figs. 5 and 7), from the
    exact edges of both: the variant's outlines reversed cancel the analysis's under the non-zero fill rule,
    leaving the region one excludes and the other does not."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    parts = [ring_path(edges.outline_rings(ideal, masses), y_scale),
             ring_path(edges.outline_rings(reduced, masses), y_scale, reverse=True)]
    parts = [part for part in parts if part is not None]
    shade = colour(layer["colour"])
    if parts:
        ax.add_patch(PathPatch(Path.make_compound_path(*parts), facecolor=shade, alpha=0.2, edgecolor="none",
                               zorder=1))
    data.add_edges(f"{layer['label']} (analysis)", panel, ideal, y_scale)
    data.add_edges(f"{layer['label']} (variant)", panel, reduced, y_scale)
    return Patch(facecolor=shade, alpha=0.2, label=layer["label"])


def expected_band(ax: Axes, data: FigureData, layer: Mapping, model: str, bands: pd.DataFrame | None,
                  y_scale: float = 1.0):
    """The +-1 sigma band (16-84 % quantiles of the toys' g_min, results/tables/expected_bands.csv) of an
    analysis and model against the mass, shaded; None where the table has no rows for them."""
    if bands is None:
        return None
    rows = bands[(bands.analysis == layer["analysis"]) & (bands.model == model)].sort_values("m_MeV")
    if rows.empty:
        return None
    m, low, high = rows.m_MeV.to_numpy(), y_scale * rows.q16.to_numpy(), y_scale * rows.q84.to_numpy()
    data.add(layer["label"], model, np.concatenate([m, m[::-1]]), np.concatenate([low, high[::-1]]))
    return ax.fill_between(m, low, high, facecolor=colour(layer["colour"]), edgecolor="none", alpha=0.35, zorder=4,
                           label=layer["label"])


def level_line(ax: Axes, data: FigureData, layer: Mapping, panel: str, frame: Mapping[str, np.ndarray],
               y_scale: float = 1.0) -> Line2D:
    """The line where a quantity of the supernova-core table (tau_s, ...) reaches the layer's level."""
    m, g, values = grid_of(frame, layer["quantity"])
    shade, linestyle = colour(layer["colour"]), LINESTYLES[layer["style"]]
    ax.contour(m, g * y_scale, values, levels=[layer["level"]], colors=[shade], linestyles=[linestyle],
               linewidths=1.6, zorder=4)
    data.add_polylines(layer["label"], panel, contours.exclusion_contours(m, g, values, layer["level"]), y_scale)
    return Line2D([], [], color=shade, linestyle=linestyle, label=layer["label"])


MAP_POINTS = 400
"""Largest number of couplings or masses a map is drawn with: larger grids are decimated (every k-th point)."""


def decimated(frame: Mapping[str, np.ndarray], points: int = MAP_POINTS) -> Mapping[str, np.ndarray]:
    """A grid table (rows g-major) keeping every k-th coupling and mass, k chosen so that at most ``points``
    of each remain (the last ones kept), so a figure of a large grid stays small."""
    g, m = np.unique(frame["g"]), np.unique(frame["m_MeV"])
    keep_g = np.unique(np.r_[np.arange(0, g.size, -(-g.size // points)), g.size - 1])
    keep_m = np.unique(np.r_[np.arange(0, m.size, -(-m.size // points)), m.size - 1])
    if keep_g.size == g.size and keep_m.size == m.size:
        return frame
    rows = (keep_g[:, None] * m.size + keep_m[None, :]).ravel()
    return {column: np.asarray(values)[rows] for column, values in frame.items()}


def read_edge_tables(paths: Iterable[str | os.PathLike[str]],
                     analyses: Collection[str]) -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """{(model, analysis): exact-edge table} of the ``analyses`` found in the family edge tables at ``paths``."""
    tables = {}
    for path in paths:
        frame, meta = io.read_columns(path)
        analysis = frame.pop("analysis")
        for name in analyses:
            rows = analysis == name
            if rows.any() or (meta["model"], name) not in tables:  # an analysis may exclude nothing: no rows
                tables[meta["model"], name] = {column: values[rows] for column, values in frame.items()}
    return tables


def external_curves(paths: Sequence[str | os.PathLike[str]], listed: Iterable[str],
                    log: logging.Logger) -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
    """(label, mediator, region kind, m_MeV, g) of the external-bound files among ``paths``; logs the listed ones
    absent. The region kind (lower, upper, closed) says which side of the curve is excluded."""
    curves = []
    for path in paths:
        header, m, g = io.read_limit_curve(path)
        curves.append((header["name"], header["mediator"], header.get("region", "lower"), m, g))
        log.info("external bound %s (%s) drawn", header["name"], header["citation"])
    present = {str(p).rsplit("/", 1)[-1].removesuffix(".csv") for p in paths}
    absent = [name for name in listed if name not in present]
    if absent:
        log.info("external bounds listed but absent (add resources/external_limits/<name>.csv): %s", ", ".join(absent))
    return curves


EXTERNAL_SHADES = ["#bdbdbd", "#969696", "#d9d9d9", "#737373"]  # existing bounds: grey regions, outlined


def external_region(ax: Axes, data: FigureData, label: str, kind: str, m: np.ndarray, g: npt.ArrayLike, shade: str,
                    panel: str, y_scale: float, top: float) -> Patch:
    """An excluded region of another experiment: inside a closed outline, or above (lower edge) or below
    (upper edge) a curve; filled grey and outlined in black, under the projected regions."""
    y = np.asarray(g) * y_scale
    if kind == "closed":
        ax.fill(m, y, facecolor=shade, edgecolor="k", linewidth=0.6, alpha=0.6, zorder=1)
    else:
        ax.fill_between(m, y, top if kind == "lower" else 0.0, facecolor=shade, edgecolor="none", alpha=0.6, zorder=1)
        ax.plot(m, y, color="k", linewidth=0.6, zorder=1)
    data.add(label, panel, m, y)
    return Patch(facecolor=shade, edgecolor="k", linewidth=0.6, alpha=0.6, label=label)


def bound_figure(description: Mapping, params: Mapping, inputs: Mapping[str, Sequence], data: FigureData,
                 log: logging.Logger) -> Figure:
    """One panel per model with the layers of the description, in order (figs. 5-11): regions and efficiency
    bands from their exact edges (no chi2 grid is read, so a figure's memory does not grow with the grid), core
    lines, external curves."""
    layers = description["layers"]
    drawn = set(params["analyses"])
    for label in params["skipped"]:
        log.info("layer %r not drawn: its analysis is not configured", label)
    masses = grids.log_axis(params["grid"]["m_MeV"])
    found = read_edge_tables(inputs.get("edges", []), drawn)
    core_paths, external_paths = inputs.get("core", []), inputs.get("external", [])
    cores = {}
    for path in core_paths:
        frame, meta = io.read_columns(path)
        cores[meta["mediator"]] = frame
    curves = external_curves(external_paths, params.get("external_listed", []), log)
    if inputs.get("expected"):
        import pandas as pd  # only for the table of the expected bands

        bands = pd.read_csv(inputs["expected"][0])
    else:
        bands = None
    fig, axes = panels(len(params["panels"]))
    for ax, panel in zip(axes[0], params["panels"], strict=True):
        model, mediator, coupling = panel["model"], panel["mediator"], panel["coupling"]
        handles = []
        for layer in layers:
            source_model = layer.get("model", model)
            y_scale = couplings.to_model(1.0, layer["rescale"]) if "rescale" in layer else 1.0
            if layer["type"] in ("region", "band") and (source_model, layer["analysis"]) not in found:
                if layer["analysis"] in drawn:
                    log.info("layer %r not drawn for %s: the analysis does not compute model %s", layer["label"],
                             model, source_model)
                continue
            if layer["type"] == "region":
                handles.append(region(ax, data, layer, model, found[source_model, layer["analysis"]], masses, y_scale))
            elif layer["type"] == "band":
                handles.append(band(ax, data, layer, model, found[source_model, layer["analysis"]],
                                    found[source_model, layer["variant"]], masses, y_scale))
            elif layer["type"] == "core":
                handles.append(level_line(ax, data, layer, model, cores[mediator], y_scale))
            elif layer["type"] == "expected" and params.get("expected_bands"):
                handle = expected_band(ax, data, layer, source_model, bands, y_scale)
                if handle is None:
                    log.info("layer %r not drawn for %s: no toys of this analysis and model (toys.expected)",
                             layer["label"], source_model)
                else:
                    handles.append(handle)
        top = params["grid"]["g"]["max"]
        for index, (label, curve_mediator, kind, m, g) in enumerate(curves):
            if curve_mediator == mediator:  # external curves are read in g, drawn in the panel's coupling
                handles.append(external_region(ax, data, label, kind, m, g, EXTERNAL_SHADES[index % 4], model,
                                               couplings.MODEL_PER_G.get(coupling["name"], 1.0), top))
        title = description.get("title")
        # a model other than the paper's universal ones is named, unless the figure's title names it
        named = model.startswith("universal") or title
        name = MEDIATOR_LABELS[mediator] if named else f"{MEDIATOR_LABELS[mediator]} ({model})"
        bound_axes(ax, f"{title + ', ' if title else ''}{name}", f"${coupling['latex']}$")
        ax.set_xlim(masses[0], masses[-1])
        ax.set_ylim(params["grid"]["g"]["min"], params["grid"]["g"]["max"])
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return fig


def rate_panel(ax: Axes, data: FigureData, table: pd.DataFrame, targets: Sequence[str], mediator: str,
               curves: Sequence[Mapping], threshold_keV: float, E_max_keV: float, unit: str, source: str) -> None:
    """dR/dE_r per ton: SM solid, each (g, m) curve in its own line style; threshold marked."""
    for target in targets:
        rows = table[table.target == target]
        shade = TARGET_COLOURS.get(target, PALETTE["grey"])
        sm = rows[rows.mediator == "sm"]
        ax.plot(sm.E_r_keV, sm.rate_per_keV_t, color=shade, label=f"{target}, SM")
        data.add(f"{source} {target} SM", mediator, sm.E_r_keV, sm.rate_per_keV_t)
        for style, curve in zip(RATE_LINESTYLES, curves, strict=False):
            new = rows[(rows.mediator == mediator) & (rows.g == curve["g"]) & (rows.m_MeV == curve["m_MeV"])]
            ax.plot(new.E_r_keV, new.rate_per_keV_t, color=shade, linestyle=style, linewidth=1.1,
                    label=f"{target}, $g = {latex_number(curve['g'])}$")
            data.add(f"{source} {target} g={curve['g']:g} m={curve['m_MeV']:g} MeV", mediator, new.E_r_keV,
                     new.rate_per_keV_t)
    ax.axvline(threshold_keV, color=PALETTE["grey"], linewidth=0.8, linestyle=(0, (1, 2)))
    ax.text(threshold_keV * 1.04, 0.97, "threshold", transform=ax.get_xaxis_transform(), fontsize=6,
            color=PALETTE["grey"], va="top", rotation=90)
    ax.set_xlim(0, E_max_keV)
    decade_log_axes(ax, "y")
    ax.set_xlabel("recoil energy $E_r$ [keV]")
    ax.set_ylabel(f"dR/dE_r [{unit}]")


def clip_rate_axis(ax: Axes, table: pd.DataFrame, E_min_keV: float, E_max_keV: float, decades: int = 5) -> None:
    """y range: ``decades`` decades below the largest rate shown between E_min and E_max."""
    shown = table[(table.E_r_keV >= E_min_keV) & (table.E_r_keV <= E_max_keV) & (table.rate_per_keV_t > 0)]
    top = shown.rate_per_keV_t.max()
    ax.set_ylim(top * 10.0**-decades, top * 3)


def latex_number(value: float) -> str:
    """1e-05 -> '10^{-5}', 3e-05 -> '3 \\times 10^{-5}'."""
    mantissa, exponent = f"{value:.0e}".split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else f"{mantissa} \\times {power}"


def rate_figure(description: Mapping, params: Mapping, rate_paths: Sequence, data: FigureData) -> Figure:
    """Rows: the description's sources; columns: the mediators; curves per target of figures.rate_targets."""
    fig, axes = panels(len(params["mediators"]), len(rate_paths))
    for row, path in enumerate(rate_paths):
        table, meta = io.read_parquet(path)
        for col, mediator in enumerate(params["mediators"]):
            ax = axes[row, col]
            rate_panel(ax, data, table, params["targets"], mediator, params["curves"], params["threshold_keV"],
                       description["E_max_keV"], description["unit"], meta["source"])
            clip_rate_axis(ax, table, 0.5 * params["threshold_keV"], description["E_max_keV"], decades=7)
            ax.set_title(f"{SOURCE_LABELS.get(meta['source'], meta['source'])}, {MEDIATOR_LABELS[mediator]}, "
                         f"m = {params['curves'][0]['m_MeV']:g} MeV", fontsize=8)
    fig.legend(handles=axes[0, 0].get_legend_handles_labels()[0], loc="outside lower center", ncol=4)
    return fig


REGIMES = ["2 m_T E_r ≫ m²", "2 m_T E_r ∼ m²", "2 m_T E_r ≪ m²"]


def regime_figure(description: Mapping, params: Mapping, rate_path: str | os.PathLike[str], data: FigureData) -> Figure:
    """Fig. 12: the rate in the three mass regimes of the propagator, with the SM normalisation band."""
    table, meta = io.read_parquet(rate_path)
    rows = table[table.target == params["target"]]
    sm = rows[rows.mediator == "sm"]
    sigma, E_max_keV = params["sigma"], description["E_max_keV"]
    fig, axes = panels(len(params["curves"]))
    for ax, curve, regime in zip(axes[0], params["curves"], REGIMES, strict=True):
        panel = f"m={curve['m_MeV']:g} MeV"
        ax.fill_between(sm.E_r_keV, (1 - sigma) * sm.rate_per_keV_t, (1 + sigma) * sm.rate_per_keV_t,
                        color=PALETTE["grey"], alpha=0.25, linewidth=0, label=f"SM ± {100 * sigma:.0f} %")
        ax.plot(sm.E_r_keV, sm.rate_per_keV_t, color="k", label="SM")
        data.add("SM", panel, sm.E_r_keV, sm.rate_per_keV_t)
        for mediator, style in zip(params["mediators"], ["--", ":"], strict=False):
            new = rows[(rows.mediator == mediator) & (rows.g == curve["g"]) & (rows.m_MeV == curve["m_MeV"])]
            ax.plot(new.E_r_keV, new.rate_per_keV_t, color=TARGET_COLOURS.get(params["target"], "k"),
                    linestyle=style, label=MEDIATOR_LABELS[mediator])
            data.add(f"{mediator} g={curve['g']:g}", panel, new.E_r_keV, new.rate_per_keV_t)
        ax.axvline(params["threshold_keV"], color=PALETTE["grey"], linewidth=0.8, linestyle=(0, (1, 2)))
        ax.set_xlim(0, E_max_keV)
        decade_log_axes(ax, "y")
        clip_rate_axis(ax, sm, 0.5 * params["threshold_keV"], E_max_keV, decades=4)
        ax.set_xlabel("recoil energy $E_r$ [keV]")
        ax.set_title(f"{regime}: m = {curve['m_MeV']:g} MeV, $g = {latex_number(curve['g'])}$", fontsize=8)
    axes[0, 0].set_ylabel(f"dR/dE_r [keV⁻¹ t⁻¹], {SOURCE_LABELS.get(meta['source'], meta['source'])} "
                          f"on {params['target']}")
    fig.legend(handles=axes[0, 0].get_legend_handles_labels()[0], loc="outside lower center", ncol=4)
    return fig


TAU_STYLES = ["--", "-", ":", "-."]  # the paper: 10 s dashed, 100 s solid
COOLING = {"nue": ("w", "-", "ν_e"), "nux": ("0.6", (0, (4, 2)), "ν_x")}  # the paper: nu_e white, nu_x grey


def core_figure(description: Mapping, params: Mapping, core_paths: Sequence, data: FigureData) -> Figure:
    """Fig. 1: log10 of the diffusion time tau (eq. 13) with tau = 10 s dashed and 100 s solid, and on the
    scalar panel the N = 1 cooling lines (eq. 14) of nu_e (white) and nu_x (grey, dashed on top so that both
    show where they coincide)."""
    from matplotlib import patheffects

    outline = [patheffects.withStroke(linewidth=2.6, foreground="k")]  # light lines legible on the map
    settings = params["core"]
    threshold = settings["scattering_threshold"]
    fig, axes = panels(len(core_paths), width=3.6)
    for ax, path in zip(axes[0], core_paths, strict=True):
        frame, meta = io.read_columns(path)
        mediator = meta["mediator"]
        frame = decimated(frame)
        m, g, tau = grid_of(frame, "tau_s")
        shading = ax.pcolormesh(m, g, np.log10(tau), cmap="viridis", vmin=np.log10(float(meta["tau_sm_s"])), vmax=4,
                                shading="auto", rasterized=True)
        handles = []
        for index, limit in enumerate(settings["diffusion_times_s"]):
            style = TAU_STYLES[index % len(TAU_STYLES)]
            ax.contour(m, g, tau, levels=[limit], colors="k", linestyles=[style], linewidths=1.4)
            handles.append(Line2D([], [], color="k", linestyle=style, label=f"τ = {limit:g} s"))
            data.add_polylines(f"tau = {limit:g} s", mediator, contours.exclusion_contours(m, g, tau, limit))
        for species, (shade, style, label) in COOLING.items():
            column = f"n_scatter_{species}"
            if column not in frame:
                continue
            _, _, n = grid_of(frame, column)
            lines = ax.contour(m, g, n, levels=[threshold], colors=[shade], linestyles=[style], linewidths=1.4)
            lines.set_path_effects(outline)
            handles.append(Line2D([], [], color=shade, linestyle=style, path_effects=outline,
                                  label=f"N = {threshold:g}, {label}"))
            data.add_polylines(f"N = {threshold:g}, {species}", mediator,
                               contours.exclusion_contours(m, g, n, threshold))
        bound_axes(ax, f"{description.get('title', 'SN core')}, {MEDIATOR_LABELS[mediator]}")
        ax.legend(handles=handles, loc="lower right", frameon=True)
    fig.colorbar(shading, ax=axes[0, -1], label="log₁₀(τ / s)")
    return fig


SCAN_COLOURS = ["blue", "orange", "green", "purple", "red", "teal", "brown", "grey"]
SCAN_LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1))]


def scan_figure(table: pd.DataFrame, scan: Mapping) -> Figure:
    """g_min relative to the base configuration against the scanned value: one panel per mediator, a colour
    per analysis and a line style per report mass (rows of results/tables/scans/{scan}.csv)."""
    models = list(dict.fromkeys(table["model"]))
    fig, axes = panels(len(models))
    analyses = list(dict.fromkeys(table["analysis"]))
    masses = sorted(set(table["m_MeV"]))
    values = np.asarray(scan["values"], dtype=float)
    for ax, model in zip(axes[0], models, strict=True):
        for a, analysis in enumerate(analyses):
            for k, mass in enumerate(masses):
                rows = table[(table.model == model) & (table.analysis == analysis) & (table.m_MeV == mass)]
                if rows.empty:
                    continue
                ax.plot(rows["value"].astype(float), rows["ratio_to_base"], marker="o", markersize=3,
                        color=colour(SCAN_COLOURS[a % len(SCAN_COLOURS)]),
                        linestyle=SCAN_LINESTYLES[k % len(SCAN_LINESTYLES)], label=f"{analysis}, m = {mass:g} MeV")
        for base_value in scan["base_values"][:1]:
            ax.axvline(float(base_value), color=PALETTE["grey"], linewidth=0.8, linestyle=(0, (1, 2)))
        ax.axhline(1.0, color=PALETTE["grey"], linewidth=0.8)
        if values.min() > 0 and values.max() / values.min() > 20:
            ax.set_xscale("log")
        ax.set_xlabel(scan["label"])
        ax.set_ylabel("g_min / g_min(base)")
        ax.set_title(f"scan {scan['name']}, {model}", fontsize=9)
    fig.legend(handles=axes[0, 0].get_legend_handles_labels()[0], loc="outside lower center", ncol=2)
    return fig


def save(fig: Figure, pdf_path: str | os.PathLike[str], png_path: str | os.PathLike[str]) -> None:
    """Write the figure as vector PDF and 200 dpi PNG, without time stamps (reproducible files)."""
    fig.savefig(pdf_path, metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None})
    fig.set_layout_engine("none")
    fig.savefig(png_path, dpi=200, metadata={"Software": None})
    plt.close(fig)


def draw(description: Mapping, params: Mapping, inputs: Mapping[str, Sequence],
         log: logging.Logger) -> tuple[Figure, FigureData]:
    """The figure of a description from its input tables: (matplotlib figure, FigureData)."""
    data = FigureData()
    kind = description["kind"]
    if kind == "core":
        fig = core_figure(description, params, inputs["core"], data)
    elif kind == "rates":
        fig = rate_figure(description, params, inputs["rates"], data)
    elif kind == "regimes":
        fig = regime_figure(description, params, inputs["rates"][0], data)
    else:
        fig = bound_figure(description, params, inputs, data, log)
    return fig, data
