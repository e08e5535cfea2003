"""The five tables of an analysis for one model, as every analysis writes them (rules chi2 and data_analysis).

- ``chi2``: the statistic on the grid (analysis, g, m_MeV, chi2 measured from the best fit; the projections
  add pull and source);
- ``contours``: the exclusion contours (:func:`astrocevns.inference.contours.exclusion_contours`);
- ``edges``: every edge in g of the excluded set at each grid mass (:func:`astrocevns.inference.edges.exclusion_edges`);
- ``bounds``: the smallest excluded coupling at each report mass (null where nothing in range is excluded),
  with the model's labels;
- ``intervals``: every excluded interval at the report masses, with the model's labels (and, for a fit to
  data, the best fit).

The columns ``analysis`` (the analysis of a family, or the data analysis), ``edge`` and ``source`` are
dictionary-encoded. Every table's metadata holds the masses of the grid (``grid_m_MeV``, comma-separated): an
analysis may have a grid of its own (the combination of the data analyses), and the figures join its edges at
neighbouring grid masses (:func:`grid_masses`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..tables import columnar, io

TABLES = ("chi2", "contours", "edges", "bounds", "intervals")
Table = dict[str, Any]


def write_result_tables(
    tables: Mapping[str, Mapping[str, np.ndarray]],
    analyses: Sequence[str],
    labels: Mapping[str, Any],
    paths: Mapping[str, str],
    meta: Mapping[str, str],
    sources: Sequence[str] | None = None,
    fit: Mapping[str, float] | None = None,
) -> None:
    """Write the :data:`TABLES` of one model.

    Parameters
    ----------
    tables : dict
        {table: {column: array}}, each with an integer column ``analysis`` indexing ``analyses``; ``edges`` with
        ``edge`` ("lower" / "upper"), ``bounds`` with g_min NaN where nothing is excluded in range.
    analyses : sequence of str
        The names of the analyses the tables hold.
    labels : dict
        The model's columns of the bounds and intervals tables (model, mediator, coupling).
    paths : dict
        {table: output path}.
    meta : dict
        Metadata of every table (the Parquet schema's key-value pairs).
    sources : sequence of str, optional
        The names behind the integer ``source`` column of ``chi2`` (the projections').
    fit : dict, optional
        Columns of the intervals table that hold one number (the best fit of a data analysis).
    """
    names = np.asarray(analyses)
    grid, lines, found = (dict(tables[name]) for name in ("chi2", "contours", "edges"))
    for table in (grid, lines, found):
        table["analysis"] = columnar.categorical(table["analysis"], names)
    if sources is not None:
        grid["source"] = columnar.categorical(grid["source"], sources)
    found["edge"] = columnar.categorical((np.asarray(found["edge"]) == "upper").astype(int), ["lower", "upper"])
    bounds = dict(tables["bounds"])
    g_min = bounds.pop("g_min")
    bounds["g_min"] = columnar.to_arrow(g_min, valid=~np.isnan(g_min))  # null where nothing is excluded in range
    written = {
        "chi2": grid,
        "contours": lines,
        "edges": found,
        "bounds": _labelled(bounds, names, labels, ("m_MeV", "g_min", "below_range", "n_intervals")),
        "intervals": _labelled(tables["intervals"], names, {**labels, **(fit or {})}),
    }
    masses = ",".join(repr(float(m)) for m in np.unique(grid["m_MeV"]))
    for name in TABLES:
        io.write_parquet(written[name], paths[name], {**meta, "grid_m_MeV": masses})


def grid_masses(meta: Mapping[str, str]) -> np.ndarray | None:
    """The grid masses [MeV] of a result table from its metadata (None for a table without them)."""
    return np.array([float(m) for m in meta["grid_m_MeV"].split(",")]) if meta.get("grid_m_MeV") else None


def _labelled(
    table: Mapping[str, Any], names: np.ndarray, labels: Mapping[str, Any], order: Sequence[str] | None = None
) -> Table:
    """``table`` with the analysis's name and ``labels`` in front (then the columns in ``order``, or all)."""
    rows = len(table["m_MeV"])
    columns = [column for column in (order or table) if column != "analysis"]
    return {
        "analysis": names[np.asarray(table["analysis"])],
        **{column: np.full(rows, value) for column, value in labels.items()},
        **{column: table[column] for column in columns},
    }
