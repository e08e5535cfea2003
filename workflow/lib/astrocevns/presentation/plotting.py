"""The figures (paper figs. 1-12) drawn from their declarative descriptions (config/figures.yaml).

Every drawing function also records the points it draws in a :class:`FigureData`, written beside
the figure as results/figures/fig{N}.csv (columns layer, panel, line, x, y). Imported only by the
figure job (matplotlib is loaded here and nowhere else in the library).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

from ..inference import contours, edges, grids, result_tables  # noqa: E402
from ..physics import couplings  # noqa: E402
from ..tables import checksums, io  # noqa: E402

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath

PALETTE = {  # the colours the descriptions name; any matplotlib colour is accepted too
    "orange": "#e66101",
    "blue": "#2c7bb6",
    "green": "#1a9641",
    "grey": "#636363",
    "purple": "#7b3294",
    "black": "#000000",
    "navy": "#08306b",
    "cyan": "#17becf",
    "yellow": "#e6b400",
    "red": "#d7191c",
    "pink": "#e7298a",
    "beige": "#c8ad7f",
    "brown": "#8c510a",
    "teal": "#01665e",
    "lightgreen": "#7fcd7f",
    "plum": "#c994c7",
}
SOURCE_LABELS = {  # legends in plain Unicode: mathtext would be parsed at every draw
    "sn_cc": "CC-SN (27 M☉)",
    "sn_failed": "failed SN (40 M☉)",
    "solar": "solar (⁸B + hep)",
    "atmospheric": "atmospheric",
}
MEDIATOR_LABELS = {"vector": "vector Z′", "scalar": "scalar φ"}
COUPLING_LABELS = {"g": r"$g = \sqrt{g_\nu g_q}$", "g_BL": "$g_{B-L}$", "g_phi": r"$g_\phi$"}
MASS_LABEL = "mediator mass m [MeV]"
LINESTYLES: dict[str, Any] = {"solid": "-", "dashed": "--", "dashdot": "-.", "dotted": ":"}
LINE_ONLY = tuple(LINESTYLES)
"""Region styles that draw the boundary only."""


def colour(name: str) -> str:
    """A palette colour by name, or the matplotlib colour given."""
    return PALETTE.get(name, name)


class FigureData:
    """The points a figure draws, layer by layer: the rows of results/figures/fig{N}.csv (columns layer, panel,
    line, edge, x, y, value; ``value`` only for the points of a colour map, e.g. log10 tau of fig. 1)."""

    def __init__(self):
        self.parts = []

    def add(
        self,
        layer: str,
        panel: str,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        line: int = 0,
        value: npt.ArrayLike | None = None,
    ) -> None:
        x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
        values = np.full(x.size, np.nan) if value is None else np.asarray(value, dtype=float).ravel()
        self.parts.append((layer, panel, np.full(x.size, line), np.full(x.size, ""), x, y, values))

    def add_polylines(self, layer: str, panel: str, lines: Mapping[str, np.ndarray], y_scale: float = 1.0) -> None:
        """The polylines of :func:`astrocevns.inference.contours.exclusion_contours` (one ``line`` index each)."""
        size = len(lines["line"])
        self.parts.append(
            (
                layer,
                panel,
                lines["line"],
                np.full(size, ""),
                lines["m_MeV"],
                lines["g"] * y_scale,
                np.full(size, np.nan),
            )
        )

    def add_edges(
        self, layer: str, panel: str, found: Mapping[str, np.ndarray], y_scale: float = 1.0, line_offset: int = 0
    ) -> None:
        """The exact edges of a region (:func:`astrocevns.inference.edges.exclusion_edges`): ``line`` is the index of
        the
        excluded interval at each mass (plus ``line_offset``) and ``edge`` says lower or upper."""
        size = len(found["m_MeV"])
        self.parts.append(
            (
                layer,
                panel,
                np.asarray(found["interval"]) + line_offset,
                np.asarray(found["edge"], dtype=str),
                found["m_MeV"],
                np.asarray(found["g"]) * y_scale,
                np.full(size, np.nan),
            )
        )

    def write_csv(self, path: str | os.PathLike[str]) -> None:
        with open(path, "w", encoding="utf-8") as stream:
            stream.write("layer,panel,line,edge,x,y,value\n")
            for layer, panel, line, edge, x, y, values in self.parts:
                quoted = ",".join('"' + text.replace('"', '""') + '"' for text in (layer, panel))
                for k, side, xi, yi, vi in zip(line, edge, x, y, values, strict=True):
                    value = "" if np.isnan(vi) else f"{vi:.8g}"
                    stream.write(f"{quoted},{int(k)},{side},{xi:.8g},{yi:.8g},{value}\n")
        checksums.record_file_checksums(path)


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
            "hatch.linewidth": 0.5,
            "savefig.bbox": "tight",
        }
    )


def panels(
    ncols: int, nrows: int = 1, width: float = 3.4, height: float = 3.0, **kwargs: Any
) -> tuple[Figure, np.ndarray]:
    """A figure with a grid of panels of the given size each [inches]."""
    apply_style()
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained", **kwargs
    )
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
        axis.set_minor_locator(LogLocator(base=10, subs=cast("Sequence[float]", np.arange(2, 10)), numticks=30))
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


FILL_ALPHA = 0.15
"""Opacity of a region's fill: light, so that overlapping regions stay apart by their opaque outlines."""
BAND_ALPHA = 0.6
"""Opacity of an efficiency band: it lies on a region's light fill and must stand out from it."""
DEFAULT_HATCH = "////"


def region_style(layer: Mapping) -> dict[str, Any]:
    """How a region layer is drawn, from its ``style`` (and optional ``hatch`` and ``line``):
    fill (light fill, opaque outline), hatch (hatched in the colour, thin opaque outline), outline (light fill,
    hatch and a strong outline: the summary figures, where many regions overlap), or a boundary line only
    (solid, dashed, dashdot, dotted). ``line`` overrides the outline's line style, ``width`` its width [pt]."""
    style = layer["style"]
    shade = colour(layer["colour"])
    filled = style in ("fill", "outline")
    hatch = layer.get("hatch", DEFAULT_HATCH) if style in ("hatch", "outline") else layer.get("hatch")
    return {
        "colour": shade,
        "face": to_rgba(shade, FILL_ALPHA) if filled else "none",
        "hatch": hatch,
        "linestyle": LINESTYLES[layer.get("line", style if style in LINE_ONLY else "solid")],
        "linewidth": layer.get("width", 1.0 if style == "hatch" else 1.3),
        "patch": filled or hatch is not None,
    }


def legend_handle(style: Mapping[str, Any], label: str) -> Patch | Line2D:
    """The legend entry of a region drawn in ``style`` (:func:`region_style`): what the figure shows."""
    if not style["patch"]:
        return Line2D(
            [], [], color=style["colour"], linestyle=style["linestyle"], linewidth=style["linewidth"], label=label
        )
    return Patch(
        facecolor=style["face"],
        hatch=style["hatch"],
        edgecolor=style["colour"],
        linestyle=style["linestyle"],
        linewidth=style["linewidth"],
        label=label,
    )


def region(
    ax: Axes,
    data: FigureData,
    layer: Mapping,
    panel: str,
    found: Mapping[str, np.ndarray],
    masses: np.ndarray,
    y_scale: float = 1.0,
) -> Patch | Line2D:
    """Draw the excluded region of an analysis from its exact edges in g at every grid mass (a table of
    :func:`astrocevns.inference.edges.exclusion_edges`) in the layer's style (:func:`region_style`); returns a legend
    handle.

    Fills and hatches lie under every boundary line, so an outline is never hidden by a later layer's fill;
    within each, the layers are drawn in the description's order (the combination last).
    """
    from matplotlib.patches import PathPatch

    rings = edges.outline_rings(found, masses)
    style = region_style(layer)
    path = ring_path(rings, y_scale)
    if path is not None and style["patch"]:
        ax.add_patch(
            PathPatch(
                path, facecolor=style["face"], hatch=style["hatch"], edgecolor=style["colour"], linewidth=0.0, zorder=2
            )
        )
    lines = edges.boundary_lines(rings)
    for index in np.unique(lines["line"]):
        rows = lines["line"] == index
        ax.plot(
            lines["m_MeV"][rows],
            lines["g"][rows] * y_scale,
            color=style["colour"],
            linestyle=style["linestyle"],
            linewidth=style["linewidth"],
            zorder=3,
        )
    data.add_edges(layer["label"], panel, found, y_scale)
    return legend_handle(style, layer["label"])


def ring_path(rings: Mapping[str, np.ndarray], y_scale: float = 1.0, reverse: bool = False) -> MplPath | None:
    """A compound matplotlib Path of outline rings (a table of :func:`astrocevns.inference.edges.outline_rings`); with
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


def band(
    ax: Axes,
    data: FigureData,
    layer: Mapping,
    panel: str,
    ideal: Mapping[str, np.ndarray],
    reduced: Mapping[str, np.ndarray],
    masses: np.ndarray,
    y_scale: float = 1.0,
) -> Patch:
    """Shade where an analysis and its variant disagree (e.g. the efficiency band of figs. 5 and 7), from the
    exact edges of both: the variant's outlines reversed cancel the analysis's under the non-zero fill rule,
    leaving the region one excludes and the other does not."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    parts = [
        ring_path(edges.outline_rings(ideal, masses), y_scale),
        ring_path(edges.outline_rings(reduced, masses), y_scale, reverse=True),
    ]
    present = [part for part in parts if part is not None]
    face = to_rgba(colour(layer["colour"]), BAND_ALPHA)
    if present:
        ax.add_patch(PathPatch(Path.make_compound_path(*present), facecolor=face, edgecolor="none", zorder=2.5))
    data.add_edges(layer["label"], panel, ideal, y_scale)
    data.add_edges(layer["label"], panel, reduced, y_scale, line_offset=1 + int(np.max(ideal["interval"], initial=-1)))
    return Patch(facecolor=face, edgecolor="none", label=layer["label"])


def expected_band(
    ax: Axes, data: FigureData, layer: Mapping, model: str, bands: pd.DataFrame | None, y_scale: float = 1.0
):
    """The +-1 sigma band (16-84 % quantiles of the toys' g_min, results/tables/expected_bands.csv) of an
    analysis and model against the mass, shaded; None where the table has no rows for them."""
    if bands is None:
        return None
    rows = bands[(bands.analysis == layer["analysis"]) & (bands.model == model)].sort_values("m_MeV")
    if rows.empty:
        return None
    m, low, high = rows.m_MeV.to_numpy(), y_scale * rows.q16.to_numpy(), y_scale * rows.q84.to_numpy()
    data.add(layer["label"], model, np.concatenate([m, m[::-1]]), np.concatenate([low, high[::-1]]))
    return ax.fill_between(
        m, low, high, facecolor=colour(layer["colour"]), edgecolor="none", alpha=0.45, zorder=1.8, label=layer["label"]
    )


def level_line(
    ax: Axes, data: FigureData, layer: Mapping, panel: str, frame: Mapping[str, np.ndarray], y_scale: float = 1.0
) -> Line2D:
    """The line where a quantity of the supernova-core table (tau_s, ...) reaches the layer's level."""
    m, g, values = grid_of(frame, layer["quantity"])
    shade, linestyle = colour(layer["colour"]), LINESTYLES[layer["style"]]
    ax.contour(
        m,
        g * y_scale,
        values,
        levels=[layer["level"]],
        colors=[shade],
        linestyles=[linestyle],
        linewidths=1.6,
        zorder=4,
    )
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


def read_edge_tables(
    paths: Iterable[str | os.PathLike[str]], analyses: Collection[str]
) -> tuple[dict[tuple[str, str], dict[str, np.ndarray]], dict[tuple[str, str], np.ndarray]]:
    """({(model, analysis): exact-edge table}, {(model, analysis): its grid masses}) of the ``analyses`` found in
    the family edge tables at ``paths`` (the masses where the table's metadata holds them)."""
    tables, masses = {}, {}
    for path in paths:
        frame, meta = io.read_columns(path)
        analysis = frame.pop("analysis")
        grid = result_tables.grid_masses(meta)
        for name in analyses:
            rows = analysis == name
            if rows.any() or (meta["model"], name) not in tables:  # an analysis may exclude nothing: no rows
                tables[meta["model"], name] = {column: values[rows] for column, values in frame.items()}
                if grid is not None:
                    masses[meta["model"], name] = grid
    return tables, masses


def external_curves(
    paths: Sequence[str | os.PathLike[str]], listed: Iterable[str], log: logging.Logger
) -> list[tuple[str, str, str, str, np.ndarray, np.ndarray]]:
    """(file name, label, mediator, region kind, m_MeV, g) of the external-bound files among ``paths``; logs the
    listed ones absent. The region kind (lower, upper, closed) says which side of the curve is excluded."""
    curves = []
    for path in paths:
        header, m, g = io.read_limit_curve(path)
        name = str(path).rsplit("/", 1)[-1].removesuffix(".csv")
        curves.append((name, header["name"], header["mediator"], header.get("region", "lower"), m, g))
        log.info("external bound %s (%s) drawn", header["name"], header["citation"])
    present = {curve[0] for curve in curves}
    absent = [name for name in listed if name not in present]
    if absent:
        log.info("external bounds listed but absent (add resources/external_limits/<name>.csv): %s", ", ".join(absent))
    return curves


EXTERNAL_STYLE = {"colour": "grey", "style": "fill"}
"""An external bound the description gives no style for (``external_styles``)."""


def external_region(
    ax: Axes,
    data: FigureData,
    label: str,
    kind: str,
    m: np.ndarray,
    g: npt.ArrayLike,
    layer_style: Mapping,
    panel: str,
    y_scale: float,
    top: float,
) -> Patch | Line2D:
    """An excluded region of another experiment: inside a closed outline, or above (lower edge) or below
    (upper edge) a curve, in a region style of its own (:func:`region_style`, the description's
    ``external_styles``), under the projected regions."""
    style = region_style(layer_style)
    y = np.asarray(g) * y_scale
    if kind == "closed":
        x_fill, y_fill = m, y
    else:
        edge = top if kind == "lower" else y.min() * 1e-3
        x_fill, y_fill = np.r_[m, m[::-1]], np.r_[y, np.full(m.size, edge)]
    if style["patch"]:
        ax.fill(
            x_fill,
            y_fill,
            facecolor=style["face"],
            hatch=style["hatch"],
            edgecolor=style["colour"],
            linewidth=0.0,
            zorder=1,
        )
    outline_x, outline_y = (np.r_[m, m[:1]], np.r_[y, y[:1]]) if kind == "closed" else (m, y)
    ax.plot(outline_x, outline_y, color=style["colour"], linestyle=style["linestyle"], linewidth=1.0, zorder=1.5)
    data.add(label, panel, m, y)
    return legend_handle({**style, "linewidth": 1.0}, label)


def unique_handles(handles: Iterable[Patch | Line2D]) -> list[Patch | Line2D]:
    """The legend entries, one per label (layers drawn under one label, e.g. one per panel, are one entry)."""
    first: dict[object, Patch | Line2D] = {}
    for handle in handles:
        first.setdefault(handle.get_label(), handle)
    return list(first.values())


def draw_layer(
    ax: Axes,
    data: FigureData,
    layer: Mapping,
    model: str,
    tables: FigureTables,
    core: Mapping | None,
    grid_masses: np.ndarray,
) -> Patch | Line2D:
    """One layer of a bound figure on ``ax`` (a region, an efficiency band or a core line); its legend handle.
    Edges are joined at the grid masses of their table, or ``grid_masses`` (the maps')."""
    source_model = layer.get("model", model)
    found = tables.edges
    masses = tables.edge_masses.get((source_model, layer.get("analysis")), grid_masses)
    y_scale = float(couplings.to_model(1.0, layer["rescale"])) if "rescale" in layer else 1.0
    if layer["type"] == "region":
        return region(ax, data, layer, model, found[source_model, layer["analysis"]], masses, y_scale)
    if layer["type"] == "band":
        return band(
            ax,
            data,
            layer,
            model,
            found[source_model, layer["analysis"]],
            found[source_model, layer["variant"]],
            masses,
            y_scale,
        )
    if core is None:
        raise ValueError(f"layer {layer['label']!r}: no core table of the panel's mediator")
    return level_line(ax, data, layer, model, core, y_scale)


@dataclass(frozen=True)
class FigureTables:
    """The tables a figure draws, read before it is drawn (:func:`read_tables`).

    Attributes
    ----------
    core : list of (dict of ndarray, dict)
        Columns and metadata of each supernova-core table (fig. 1, and the core lines of the bound figures).
    rates : list of (DataFrame, dict)
        Each rate table and its metadata (the rate and regime figures).
    edges : dict
        {(model, analysis): exact-edge table} of the analyses a bound figure draws (:func:`read_edge_tables`).
    edge_masses : dict
        {(model, analysis): the grid masses of its edges}, where the table says (the combination's own grid).
    external : list
        The external bounds present (:func:`external_curves`).
    bands : DataFrame or None
        The expected bands of the toys (results/tables/expected_bands.csv).
    """

    core: list = field(default_factory=list)
    rates: list = field(default_factory=list)
    edges: dict = field(default_factory=dict)
    edge_masses: dict = field(default_factory=dict)
    external: list = field(default_factory=list)
    bands: pd.DataFrame | None = None


def read_tables(
    description: Mapping, params: Mapping, inputs: Mapping[str, Sequence], log: logging.Logger
) -> FigureTables:
    """Every table a figure of ``description`` draws, from its inputs (the rule's named input lists)."""
    kind = description["kind"]
    if kind == "core":
        return FigureTables(core=[io.read_columns(path) for path in inputs["core"]])
    if kind in ("rates", "regimes"):
        return FigureTables(rates=[io.read_parquet(path) for path in inputs["rates"]])
    found, masses = read_edge_tables(inputs.get("edges", []), set(params["analyses"]))
    return FigureTables(
        core=[io.read_columns(path) for path in inputs.get("core", [])],
        edges=found,
        edge_masses=masses,
        external=external_curves(inputs.get("external", []), params.get("external_listed", []), log),
        bands=io.read_csv(inputs["expected"][0]) if inputs.get("expected") else None,
    )


def bound_figure(
    description: Mapping, params: Mapping, tables: FigureTables, data: FigureData, log: logging.Logger
) -> Figure:
    """One panel per model with the layers of the description, in order (figs. 5-11): regions and efficiency
    bands from their exact edges (no chi2 grid is read, so a figure's memory does not grow with the grid), core
    lines, external curves."""
    layers = description["layers"]
    drawn = set(params["analyses"])
    for label in params["skipped"]:
        log.info("layer %r not drawn: its analysis is not configured", label)
    masses = grids.log_axis(params["grid"]["m_MeV"])
    found = tables.edges
    cores = {meta["mediator"]: frame for frame, meta in tables.core}
    curves, bands = tables.external, tables.bands
    fig, axes = panels(len(params["panels"]))
    handles = []
    for ax, panel in zip(axes[0], params["panels"], strict=True):
        model, mediator, coupling = panel["model"], panel["mediator"], panel["coupling"]
        for layer in layers:
            source_model = layer.get("model", model)
            if layer["type"] in ("region", "band") and (source_model, layer["analysis"]) not in found:
                if layer["analysis"] in drawn:
                    log.info(
                        "layer %r not drawn for %s: the analysis does not compute model %s",
                        layer["label"],
                        model,
                        source_model,
                    )
                continue
            if layer["type"] == "expected":
                handle = expected_band(ax, data, layer, source_model, bands) if params.get("expected_bands") else None
                if handle is None and params.get("expected_bands"):
                    log.info(
                        "layer %r not drawn for %s: no toys of this analysis and model (toys.expected)",
                        layer["label"],
                        source_model,
                    )
                handles += [handle] if handle is not None else []
                continue
            handles.append(draw_layer(ax, data, layer, model, tables, cores.get(mediator), masses))
        if "inset" in description:
            inset = ax.inset_axes(description["inset"]["position"])
            for layer in layers:
                if layer["type"] == "core" or (
                    layer["type"] != "expected" and (layer.get("model", model), layer["analysis"]) in found
                ):
                    draw_layer(inset, FigureData(), layer, model, tables, cores.get(mediator), masses)
            decade_log_axes(inset)
            inset.set_xlim(*description["inset"]["m_MeV"])
            inset.set_ylim(*description["inset"]["g"])
            inset.tick_params(labelsize=5, labelbottom=False, labelleft=False, labelright=True)
            inset.set_title(
                f"m = {description['inset']['m_MeV'][0]:g}-{description['inset']['m_MeV'][1]:g} MeV", fontsize=6, pad=2
            )
            ax.indicate_inset_zoom(inset, edgecolor="k", linewidth=0.6)
        top = params["grid"]["g"]["max"]
        styles = description.get("external_styles", {})
        for name, label, curve_mediator, kind, m, g in curves:
            if curve_mediator == mediator:  # external curves are read in g, drawn in the panel's coupling
                handles.append(
                    external_region(
                        ax,
                        data,
                        label,
                        kind,
                        m,
                        g,
                        styles.get(name, EXTERNAL_STYLE),
                        model,
                        couplings.MODEL_PER_G.get(coupling["name"], 1.0),
                        top,
                    )
                )
        title = description.get("title")
        # a model other than the paper's universal ones is named, unless the figure's title names it
        named = model.startswith("universal") or title
        name = MEDIATOR_LABELS[mediator] if named else f"{MEDIATOR_LABELS[mediator]} ({model})"
        bound_axes(ax, f"{title + ', ' if title else ''}{name}", f"${coupling['latex']}$")
        ax.set_xlim(masses[0], masses[-1])
        ax.set_ylim(params["grid"]["g"]["min"], params["grid"]["g"]["max"])
    fig.legend(handles=unique_handles(handles), loc="outside lower center", ncol=2)
    return fig


RATE_LABEL = r"d$R$/d$E_r$"
RECOIL_LABEL = r"recoil energy $E_r$ [keV]"


def threshold_marker(ax: Axes, threshold_keV: float) -> None:
    """A dotted vertical line at the threshold, labelled on a white ground above every curve."""
    ax.axvline(threshold_keV, color=PALETTE["grey"], linewidth=0.8, linestyle=(0, (1, 2)), zorder=1)
    ax.text(
        threshold_keV,
        0.03,
        " threshold",
        transform=ax.get_xaxis_transform(),
        fontsize=6,
        color=PALETTE["grey"],
        va="bottom",
        ha="left",
        rotation=90,
        zorder=6,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
    )


def rate_panel(
    ax: Axes, data: FigureData, table: pd.DataFrame, description: Mapping, params: Mapping, mediator: str, source: str
) -> None:
    """dR/dE_r per ton: per target (colour of the description's ``target_colours``) the SM solid and each (g, m)
    curve of ``params['curves']`` in the line style of ``curve_styles``; threshold marked."""
    styles = [LINESTYLES[name] for name in description["curve_styles"]]
    for target in params["targets"]:
        rows = table[table.target == target]
        shade = colour(description["target_colours"].get(target, "grey"))
        sm = rows[rows.mediator == "sm"]
        label = f"{target}, SM"
        ax.plot(sm.E_r_keV, sm.rate_per_keV_t, color=shade, label=label)
        data.add(label, mediator, sm.E_r_keV, sm.rate_per_keV_t)
        for style, curve in zip(styles, params["curves"], strict=False):
            new = rows[(rows.mediator == mediator) & (rows.g == curve["g"]) & (rows.m_MeV == curve["m_MeV"])]
            label = f"{target}, g = {unicode_number(curve['g'])}"
            ax.plot(new.E_r_keV, new.rate_per_keV_t, color=shade, linestyle=style, linewidth=1.1, label=label)
            data.add(label, mediator, new.E_r_keV, new.rate_per_keV_t)
    threshold_marker(ax, params["threshold_keV"])
    ax.set_xlim(0, description["E_max_keV"])
    decade_log_axes(ax, "y")
    ax.set_xlabel(RECOIL_LABEL)
    ax.set_ylabel(f"{RATE_LABEL} [{description['unit']}]")


def clip_rate_axis(ax: Axes, table: pd.DataFrame, E_min_keV: float, E_max_keV: float, decades: int = 5) -> None:
    """y range: ``decades`` decades below the largest rate shown between E_min and E_max."""
    shown = table[(table.E_r_keV >= E_min_keV) & (table.E_r_keV <= E_max_keV) & (table.rate_per_keV_t > 0)]
    top = shown.rate_per_keV_t.max()
    ax.set_ylim(top * 10.0**-decades, top * 3)


def unicode_number(value: float) -> str:
    """1e-05 -> '10⁻⁵', 3e-05 -> '3 × 10⁻⁵' (plain Unicode: legends and the figure data name curves alike)."""
    mantissa, exponent = f"{value:.0e}".split("e")
    power = f"10{str(int(exponent)).translate(SUPERSCRIPTS)}"
    return power if mantissa == "1" else f"{mantissa} × {power}"


def rate_figure(
    description: Mapping, params: Mapping, rate_tables: Sequence[tuple[pd.DataFrame, Mapping]], data: FigureData
) -> Figure:
    """Rows: the description's sources; columns: the mediators; curves per target of figures.rate_targets."""
    fig, axes = panels(len(params["mediators"]), len(rate_tables))
    for row, (table, meta) in enumerate(rate_tables):
        for col, mediator in enumerate(params["mediators"]):
            ax = axes[row, col]
            rate_panel(ax, data, table, description, params, mediator, meta["source"])
            clip_rate_axis(ax, table, 0.5 * params["threshold_keV"], description["E_max_keV"], decades=7)
            ax.set_title(
                f"{SOURCE_LABELS.get(meta['source'], meta['source'])}, {MEDIATOR_LABELS[mediator]}, "
                f"m = {params['curves'][0]['m_MeV']:g} MeV",
                fontsize=8,
            )
    fig.legend(handles=axes[0, 0].get_legend_handles_labels()[0], loc="outside lower center", ncol=4)
    return fig


REGIMES = [r"$2 m_T E_r \gg m^2$", r"$2 m_T E_r \sim m^2$", r"$2 m_T E_r \ll m^2$"]
"""The three mass regimes of fig. 12, light to heavy mediator (paper appendix B)."""


def regime_curves(curves: Sequence[Mapping]) -> list[tuple[float, list[float]]]:
    """(mass, couplings) of figures.regime_curves, one per mass in increasing order: a column of fig. 12 each."""
    masses = sorted({curve["m_MeV"] for curve in curves})
    return [(mass, [curve["g"] for curve in curves if curve["m_MeV"] == mass]) for mass in masses]


def regime_figure(
    description: Mapping, params: Mapping, rate_table: tuple[pd.DataFrame, Mapping], data: FigureData
) -> Figure:
    """Fig. 12: the rate in the three mass regimes of the propagator (columns, light to heavy) for each mediator
    (rows, the config's order: vector on top), the SM with its normalisation band and the couplings of
    figures.regime_curves at each mass, in the colours and styles of the description."""
    table, meta = rate_table
    rows = table[table.target == params["target"]]
    sm = rows[rows.mediator == "sm"]
    sigma, E_max_keV = params["sigma"], description["E_max_keV"]
    columns = regime_curves(params["curves"])
    sm_style, band_style, curve_styles = description["sm"], description["band"], description["curves"]
    fig, axes = panels(len(columns), len(params["mediators"]), width=3.0, height=2.6)
    band_label, sm_label = f"SM ± {100 * sigma:.0f} %", "SM"
    for row, mediator in enumerate(params["mediators"]):
        for col, (mass, couplings_g) in enumerate(columns):
            ax, panel = axes[row, col], f"{mediator}, m={mass:g} MeV"
            ax.fill_between(
                sm.E_r_keV,
                (1 - sigma) * sm.rate_per_keV_t,
                (1 + sigma) * sm.rate_per_keV_t,
                color=to_rgba(colour(band_style["colour"]), 0.35),
                linewidth=0,
                label=band_label,
            )
            ax.plot(
                sm.E_r_keV,
                sm.rate_per_keV_t,
                color=colour(sm_style["colour"]),
                linestyle=LINESTYLES[sm_style["style"]],
                label=sm_label,
            )
            data.add(sm_label, panel, sm.E_r_keV, sm.rate_per_keV_t)
            data.add(band_label, panel, sm.E_r_keV, (1 + sigma) * sm.rate_per_keV_t, line=1)
            data.add(band_label, panel, sm.E_r_keV, (1 - sigma) * sm.rate_per_keV_t, line=0)
            for g, style in zip(couplings_g, curve_styles, strict=False):
                new = rows[(rows.mediator == mediator) & (rows.g == g) & (rows.m_MeV == mass)]
                label = f"{MEDIATOR_LABELS[mediator]}, g = {unicode_number(g)}"
                ax.plot(
                    new.E_r_keV,
                    new.rate_per_keV_t,
                    color=colour(style["colour"]),
                    linestyle=LINESTYLES[style["style"]],
                    label=label,
                )
                data.add(label, panel, new.E_r_keV, new.rate_per_keV_t)
            threshold_marker(ax, params["threshold_keV"])
            ax.set_xlim(0, E_max_keV)
            decade_log_axes(ax, "y")
            clip_rate_axis(ax, sm, 0.5 * params["threshold_keV"], E_max_keV, decades=4)
            ax.set_xlabel(RECOIL_LABEL)
            if col == 0:
                ax.set_ylabel(f"{RATE_LABEL} [keV⁻¹ t⁻¹]")
            regime = REGIMES[col] if len(columns) == len(REGIMES) else ""
            ax.set_title(f"{MEDIATOR_LABELS[mediator]}, m = {mass:g} MeV  {regime}", fontsize=8)
            ax.legend(loc="upper right", fontsize=6)
    fig.suptitle(f"{SOURCE_LABELS.get(meta['source'], meta['source'])} on {params['target']}", fontsize=9)
    return fig


def core_figure(
    description: Mapping, params: Mapping, core_tables: Sequence[tuple[Mapping, Mapping]], data: FigureData
) -> Figure:
    """Fig. 1: log10 of the diffusion time tau (eq. 13) with a line at each of core.diffusion_times_s, and on
    the scalar panel the N = 1 cooling lines (eq. 14) of nu_e and nu_x, in the description's ``tau_lines`` (one
    per diffusion time, in order) and ``cooling`` styles (light lines get a dark edge, legible on the map)."""
    from matplotlib import patheffects

    outline = [patheffects.withStroke(linewidth=2.6, foreground="k")]
    settings = params["core"]
    threshold = settings["scattering_threshold"]
    fig, axes = panels(len(core_tables), width=3.6)
    for ax, (frame, meta) in zip(axes[0], core_tables, strict=True):
        mediator = meta["mediator"]
        frame = decimated(frame)
        m, g, tau = grid_of(frame, "tau_s")
        shading = ax.pcolormesh(
            m,
            g,
            np.log10(tau),
            cmap="viridis",
            vmin=np.log10(float(meta["tau_sm_s"])),
            vmax=4,
            shading="auto",
            rasterized=True,
        )
        data.add(MAP_LAYER, mediator, frame["m_MeV"], frame["g"], value=np.log10(np.asarray(frame["tau_s"], float)))
        handles = []
        tau_lines = description["tau_lines"]
        for index, limit in enumerate(settings["diffusion_times_s"]):
            style = tau_lines[index % len(tau_lines)]
            shade, linestyle = colour(style["colour"]), LINESTYLES[style["style"]]
            label = f"τ = {limit:g} s"
            ax.contour(m, g, tau, levels=[limit], colors=[shade], linestyles=[linestyle], linewidths=1.4)
            handles.append(Line2D([], [], color=shade, linestyle=linestyle, label=label))
            data.add_polylines(label, mediator, contours.exclusion_contours(m, g, tau, limit))
        for species, style in description["cooling"].items():
            column = f"n_scatter_{species}"
            if column not in frame:
                continue
            _, _, n = grid_of(frame, column)
            shade, linestyle = colour(style["colour"]), LINESTYLES[style["style"]]
            label = f"N = {threshold:g}, {SPECIES_LABELS.get(species, species)}"
            lines = ax.contour(m, g, n, levels=[threshold], colors=[shade], linestyles=[linestyle], linewidths=1.4)
            lines.set_path_effects(outline)
            handles.append(Line2D([], [], color=shade, linestyle=linestyle, path_effects=outline, label=label))
            data.add_polylines(label, mediator, contours.exclusion_contours(m, g, n, threshold))
        bound_axes(ax, f"{description.get('title', 'SN core')}, {MEDIATOR_LABELS[mediator]}")
        ax.legend(handles=handles, loc="lower right", frameon=True)
    fig.colorbar(shading, ax=axes[0, -1], label=MAP_LAYER)
    return fig


SPECIES_LABELS = {"nue": "νₑ", "nux": "νₓ"}
MAP_LAYER = "log₁₀(τ / s)"
"""The colour map of fig. 1 (its colour-bar label): one row per grid point drawn, ``value`` = log10 tau."""


SCAN_COLOURS = ["blue", "orange", "green", "purple", "red", "teal", "brown", "grey"]
SCAN_LINESTYLES: list[Any] = ["-", "--", ":", "-.", (0, (5, 1, 1, 1))]
MODEL_LABELS = {
    "universal_vector": "vector Z′, universal",
    "universal_scalar": "scalar φ, universal",
    "b_minus_l": "U(1)$_{B-L}$",
}
"""Readable names of the paper's models; panels follow this order, other models after them by name."""
DETECTOR_LABELS = {
    "combined": "RES-NOVA-3 + DARWIN",
    "darwin": "DARWIN",
    "xenonnt": "XENONnT",
    "resnova3": "RES-NOVA-3",
    "resnova1": "RES-NOVA-1",
}
VARIANT_LABELS = {"xenon1t_nr": "XENON1T efficiency"}


def analysis_label(name: str) -> str:
    """'atmospheric/combined-xenon1t_nr' -> 'atmospheric, RES-NOVA-3 + DARWIN, XENON1T efficiency' (names the
    labels do not know stay as they are)."""
    family, _, detector = name.partition("/")
    detector, _, variant = detector.partition("-")
    source = SOURCE_LABELS.get(family, "SN, marginalised" if family == "sn_marginalised" else family)
    parts = [source, DETECTOR_LABELS.get(detector, detector), VARIANT_LABELS.get(variant, variant)]
    return ", ".join(part for part in parts if part)


def model_order(models: Iterable[str]) -> list[str]:
    """The models in the order of :data:`MODEL_LABELS`, the others after them by name: a stable panel order."""
    known = list(MODEL_LABELS)
    return sorted(set(models), key=lambda m: (known.index(m) if m in known else len(known), m))


def scan_figure(table: pd.DataFrame, scan: Mapping, log: logging.Logger) -> Figure:
    """g_min relative to the base configuration against the scanned value: one panel per model (stable order), a
    colour per analysis and a line style per report mass (rows of results/tables/scans/{scan}.csv); a legend of
    the colours and one of the line styles. Rows without a ratio (nothing excluded) are not drawn, and logged."""
    missing = table[~np.isfinite(table["ratio_to_base"].astype(float))]
    for row in missing.itertuples():
        log.warning(
            "scan %s: no ratio for %s, %s, m = %g MeV at %s (not drawn)",
            scan["name"],
            row.analysis,
            row.model,
            row.m_MeV,
            row.value,
        )
    table = table.drop(missing.index)
    models = model_order(table["model"])
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
                ax.plot(
                    rows["value"].astype(float),
                    rows["ratio_to_base"],
                    marker="o",
                    markersize=3,
                    color=colour(SCAN_COLOURS[a % len(SCAN_COLOURS)]),
                    linestyle=SCAN_LINESTYLES[k % len(SCAN_LINESTYLES)],
                )
        for base_value in scan["base_values"][:1]:
            ax.axvline(float(base_value), color=PALETTE["grey"], linewidth=0.8, linestyle=(0, (1, 2)))
        ax.axhline(1.0, color=PALETTE["grey"], linewidth=0.8)
        if values.min() > 0 and values.max() / values.min() > 20:
            ax.set_xscale("log")
        ax.set_xlabel(scan["label"])
        ax.set_ylabel(r"$g_\mathrm{min}$ / $g_\mathrm{min}$(base)")
        ax.set_title(f"scan {scan['name']}, {MODEL_LABELS.get(model, model)}", fontsize=9)
    analysis_handles = [
        Line2D(
            [],
            [],
            color=colour(SCAN_COLOURS[a % len(SCAN_COLOURS)]),
            marker="o",
            markersize=3,
            label=analysis_label(name),
        )
        for a, name in enumerate(analyses)
    ]
    mass_handles = [
        Line2D([], [], color="k", linestyle=SCAN_LINESTYLES[k % len(SCAN_LINESTYLES)], label=f"m = {mass:g} MeV")
        for k, mass in enumerate(masses)
    ]
    fig.legend(handles=analysis_handles, loc="outside lower left", ncol=2)
    fig.legend(handles=mass_handles, loc="outside lower right", ncol=1)
    return fig


def save(fig: Figure, pdf_path: str | os.PathLike[str], png_path: str | os.PathLike[str]) -> None:
    """Write the figure as vector PDF and 200 dpi PNG, without time stamps (reproducible files), and their
    checksum files."""
    fig.savefig(pdf_path, metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None})
    fig.set_layout_engine("none")
    fig.savefig(png_path, dpi=200, metadata={"Software": None})
    plt.close(fig)
    checksums.record_file_checksums(pdf_path, png_path)


def draw(description: Mapping, params: Mapping, tables: FigureTables, log: logging.Logger) -> tuple[Figure, FigureData]:
    """The figure of a description from its tables, read before (:func:`read_tables`): (matplotlib figure,
    FigureData). Nothing is read while drawing."""
    data = FigureData()
    kind = description["kind"]
    if kind == "core":
        fig = core_figure(description, params, tables.core, data)
    elif kind == "rates":
        fig = rate_figure(description, params, tables.rates, data)
    elif kind == "regimes":
        fig = regime_figure(description, params, tables.rates[0], data)
    else:
        fig = bound_figure(description, params, tables, data, log)
    return fig, data
