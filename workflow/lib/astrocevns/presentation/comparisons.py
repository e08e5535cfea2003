"""Bounds of several configurations compared: scan tables and the deviation ledger.

Inputs are the ``bounds.csv`` tables (analysis, mediator, m_MeV, g_min) and ``core_bounds.csv`` tables
(mediator, criterion, m_MeV, g) that every configuration writes; outputs are long tables with the
ratio of each bound to the base configuration's (above 1: weaker than the base, below 1: stronger).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

BOUND_KEYS = ["analysis", "model", "mediator", "m_MeV"]
CORE_KEYS = ["mediator", "criterion", "m_MeV"]


def _ratio(table: pd.DataFrame, value: str, base_value: str) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return table[value] / table[base_value]


def scan_table(
    bounds_by_value: Sequence[tuple[object, pd.DataFrame]],
    base: pd.DataFrame,
    analyses: Sequence[str],
    masses_MeV: Sequence[float],
) -> pd.DataFrame:
    """One row per (value, analysis, mediator, mass): g_min and its ratio to the base configuration.

    Parameters
    ----------
    bounds_by_value : sequence of (scan value, bounds table of that configuration)
    base : the base configuration's bounds table
    analyses, masses_MeV : the rows kept (an analysis keeps its efficiency variants, e.g. ``-xenon1t_nr``)
    """

    def kept(table: pd.DataFrame) -> pd.DataFrame:
        family = table["analysis"].str.replace(r"-[a-z0-9_]+$", "", regex=True)
        selected = (table["analysis"].isin(analyses) | family.isin(analyses)) & table["m_MeV"].isin(masses_MeV)
        return table[selected]

    rows = []
    for value, table in bounds_by_value:
        part = kept(table)[BOUND_KEYS + ["g_min"]].copy()
        part.insert(0, "value", json.dumps(value) if isinstance(value, list | dict) else value)
        rows.append(part)
    result = pd.concat(rows, ignore_index=True).merge(
        kept(base)[BOUND_KEYS + ["g_min"]].rename(columns={"g_min": "g_min_base"}), on=BOUND_KEYS, how="left"
    )
    result["ratio_to_base"] = _ratio(result, "g_min", "g_min_base")
    return result


def deviation_table(
    ledger: Mapping[str, Mapping],
    bounds: Mapping[str, pd.DataFrame],
    core_bounds: Mapping[str, pd.DataFrame],
    base_bounds: pd.DataFrame,
    base_core: pd.DataFrame,
) -> pd.DataFrame:
    """The deviation ledger: for every paper-literal variant, each bound and core line against the default.

    Parameters
    ----------
    ledger : {variant: {"keys": [dotted keys], "paper": {key: value}, "defaults": {key: value}}}
    bounds, core_bounds : {variant: its bounds.csv / core_bounds.csv table}
    base_bounds, base_core : the default configuration's tables

    Returns
    -------
    DataFrame with columns variant, keys, paper_value, default_value, table (bounds or core_bounds),
    analysis (the analysis, or the core criterion), model (for a core line its mediator type), m_MeV, default,
    paper, ratio (paper / default).
    """
    parts = []
    for variant, spec in ledger.items():
        described = {
            "variant": variant,
            "keys": " ".join(spec["keys"]),
            "paper_value": "; ".join(f"{json.dumps(spec['paper'][k])}" for k in spec["keys"]),
            "default_value": "; ".join(f"{json.dumps(spec['defaults'][k])}" for k in spec["keys"]),
        }
        merged_bounds = bounds[variant].merge(base_bounds, on=BOUND_KEYS, suffixes=("_paper", "_default"))
        part = pd.DataFrame(
            {
                **described,
                "table": "bounds",
                "analysis": merged_bounds["analysis"],
                "model": merged_bounds["model"],
                "m_MeV": merged_bounds["m_MeV"],
                "default": merged_bounds["g_min_default"],
                "paper": merged_bounds["g_min_paper"],
            }
        )
        merged_core = core_bounds[variant].merge(base_core, on=CORE_KEYS, suffixes=("_paper", "_default"))
        core = pd.DataFrame(
            {
                **described,
                "table": "core_bounds",
                "analysis": merged_core["criterion"],
                "model": merged_core["mediator"],
                "m_MeV": merged_core["m_MeV"],
                "default": merged_core["g_default"],
                "paper": merged_core["g_paper"],
            }
        )
        parts += [part, core]
    if not parts:
        return pd.DataFrame(
            columns=[
                "variant",
                "keys",
                "paper_value",
                "default_value",
                "table",
                "analysis",
                "model",
                "m_MeV",
                "default",
                "paper",
                "ratio",
            ]
        )
    table = pd.concat(parts, ignore_index=True)
    table["ratio"] = _ratio(table, "paper", "default")
    return table


def method_table(methods: Mapping[str, str], base_bounds: pd.DataFrame) -> pd.DataFrame:
    """Rows of the ledger for a bound computed by two methods: for each ``{alternative: paper}`` pair of analyses
    of the default run, ``paper`` is g_min of the paper's method (the default) and ``default`` that of the
    alternative, in the columns of :func:`deviation_table` (``table`` = ``method``; ratio = paper / alternative)."""
    parts = []
    for alternative, paper in methods.items():
        merged = base_bounds[base_bounds.analysis == paper].merge(
            base_bounds[base_bounds.analysis == alternative].drop(columns="analysis"),
            on=[key for key in BOUND_KEYS if key != "analysis"],
            suffixes=("_paper", "_alternative"),
        )
        if merged.empty:
            raise ValueError(f"deviation_ledger.methods: no common bounds of {alternative!r} and {paper!r}")
        parts.append(
            pd.DataFrame(
                {
                    "variant": f"method-{alternative}",
                    "keys": f"analyses.{alternative}",
                    "paper_value": json.dumps(paper),
                    "default_value": json.dumps(alternative),
                    "table": "method",
                    "analysis": paper,
                    "model": merged["model"],
                    "m_MeV": merged["m_MeV"],
                    "default": merged["g_min_alternative"],
                    "paper": merged["g_min_paper"],
                }
            )
        )
    table = pd.concat(parts, ignore_index=True)
    table["ratio"] = _ratio(table, "paper", "default")
    return table


def ratio_range(table: pd.DataFrame) -> tuple[float, float]:
    """Smallest and largest finite ratio of a comparison table (NaN, NaN if none)."""
    ratios = table["ratio"].to_numpy(dtype=float)
    ratios = ratios[np.isfinite(ratios)]
    return (float(ratios.min()), float(ratios.max())) if ratios.size else (float("nan"), float("nan"))
