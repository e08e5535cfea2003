"""The paper's quantitative claims checked against the workflow's own results.

The claims are data (``config/claims.yaml``): each names where the paper makes it (section, or a figure
caption), the sentence (quoted verbatim when ``quoted``), a measure from a small vocabulary below with its
parameters, and the bands of the measured value in which the claim holds (``holds``) or roughly holds
(``partly``); outside both it does not hold, and the row says by how much. A claim the workflow cannot
compute names the reason (``measure: not_measurable``). Every number is computed from the results
tables of one run: ``bounds.csv``, ``core_bounds.csv``, the scan tables, the rate tables and the run's
configuration. Measures are per model (mediator) and over the report masses inside the range a claim
names; none takes a median over mediators or analyses.

Measures (``kind``):

- ``bound_ratio``: g_min(numerator) / g_min(denominator) of one model at each report mass in ``masses_MeV``
  ([lo, hi]), reduced by ``reduce`` (min, max, or trend: last / first mass); an analysis given
  as a list is the tightest of them.
- ``improvement``: 1 - g_min(numerator) / g_min(denominator), the largest over the masses (an "up to").
- ``model_ratio``: g_min(model) / g_min(against) of one analysis.
- ``mass_slope``: d ln g_min / d ln m between the two masses of ``masses_MeV``.
- ``flatness``: max / min of g_min over the masses (1: no dependence on the mass).
- ``spread``: the largest over the masses of max / min of g_min among ``analyses``.
- ``scan_gain``: 1 - the smallest g_min(scan value) / g_min(base) over the scan's analyses, for a
  model.
- ``core_line``: g of a core-bound criterion (``reduce`` over the masses), or a ratio of two criteria
  or of two mediators' lines (``against``).
- ``events_ratio``: events above ``above_keV`` per tonne, source or target A / B (SM rates).
- ``rate_ratio``: new-physics rate / SM rate over the recoils above ``above_keV`` (``reduce`` min or max).
- ``recoil_end``: the recoil energy [keV] below which all but 1e-3 of a source's SM events lie; with
  ``against`` a target, the ratio of the two.
- ``config``: a value of the run's configuration (dotted ``key``), or its ratio to another (``against``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HOLDS, PARTLY, FAILS, UNMEASURED = "holds", "partly", "does not hold", "not measurable"
REDUCERS = {"min": np.nanmin, "max": np.nanmax}


@dataclass(frozen=True)
class Results:
    """The tables and the configuration a claim is measured on."""

    bounds: pd.DataFrame  # analysis, model, mediator, coupling, m_MeV, g_min
    core_bounds: pd.DataFrame  # mediator, criterion, m_MeV, g
    scans: Mapping[str, pd.DataFrame]  # scan name -> results/tables/scans/{scan}.csv
    rates: Mapping[str, pd.DataFrame]  # source -> rate table (target, mediator, g, m_MeV, E_r_keV, rate_per_keV_t)
    config: Mapping | None = None

    def masses(self, masses_MeV: Sequence[float]) -> np.ndarray:
        """The report masses of bounds.csv inside [lo, hi]."""
        masses = np.unique(self.bounds.m_MeV.to_numpy(dtype=float))
        inside = masses[(masses >= masses_MeV[0] * (1 - 1e-9)) & (masses <= masses_MeV[-1] * (1 + 1e-9))]
        if inside.size == 0:
            raise ValueError(f"no report mass in {masses_MeV} MeV")
        return inside

    def g_min(self, analysis: str | Sequence[str], model: str, m_MeV: float) -> float:
        """g_min of an analysis (or the tightest of several) for a model at a report mass; NaN if none."""
        names = [analysis] if isinstance(analysis, str) else list(analysis)
        rows = self.bounds[
            self.bounds.analysis.isin(names) & (self.bounds.model == model) & np.isclose(self.bounds.m_MeV, m_MeV)
        ]
        if rows.empty:
            raise KeyError(f"no bound of {analysis} for {model} at {m_MeV:g} MeV")
        return float(np.nanmin(rows.g_min)) if rows.g_min.notna().any() else float("nan")


def _label(analysis) -> str:
    return analysis if isinstance(analysis, str) else " | ".join(analysis)


def _per_mass(results, p, function):
    masses = results.masses(p["masses_MeV"])
    values = np.array([function(m) for m in masses])
    return masses, values


def _reduced(masses, values, reduce):
    if reduce == "trend":
        return float(values[-1] / values[0]), f"its value at {masses[-1]:g} MeV / at {masses[0]:g} MeV"
    index = int(np.nanargmin(values) if reduce == "min" else np.nanargmax(values))
    return float(values[index]), f"{reduce} over m = {', '.join(f'{m:g}' for m in masses)} MeV at {masses[index]:g} MeV"


def _g_ratio(results, p, numerator, denominator, what):
    """g_min(numerator) / g_min(denominator), each an (analysis, model), reduced over the masses of ``p``."""
    masses, values = _per_mass(results, p, lambda m: results.g_min(*numerator, m) / results.g_min(*denominator, m))
    value, where = _reduced(masses, values, p["reduce"])
    return value, f"{what}, {where}"


def bound_ratio(results: Results, p: Mapping) -> tuple[float, str]:
    return _g_ratio(
        results,
        p,
        (p["numerator"], p["model"]),
        (p["denominator"], p["model"]),
        f"g_min({_label(p['numerator'])}) / g_min({_label(p['denominator'])}), {p['model']}",
    )


def improvement(results: Results, p: Mapping) -> tuple[float, str]:
    ratio, what = bound_ratio(results, {**p, "reduce": "min"})
    return 1.0 - ratio, f"1 - {what}"


def model_ratio(results: Results, p: Mapping) -> tuple[float, str]:
    return _g_ratio(
        results,
        p,
        (p["analysis"], p["model"]),
        (p["analysis"], p["against"]),
        f"g_min({p['model']}) / g_min({p['against']}), {_label(p['analysis'])}",
    )


def mass_slope(results: Results, p: Mapping) -> tuple[float, str]:
    lo, hi = p["masses_MeV"]
    g_lo, g_hi = (results.g_min(p["analysis"], p["model"], m) for m in (lo, hi))
    slope = np.log(g_hi / g_lo)
    what = f"d ln g_min / d ln m, {_label(p['analysis'])}, {p['model']}, {lo:g}-{hi:g} MeV"
    return float(slope / np.log(hi / lo)), what


def flatness(results: Results, p: Mapping) -> tuple[float, str]:
    masses, values = _per_mass(results, p, lambda m: results.g_min(p["analysis"], p["model"], m))
    return float(np.nanmax(values) / np.nanmin(values)), (
        f"max / min of g_min over m = {', '.join(f'{m:g}' for m in masses)} MeV, {_label(p['analysis'])}, {p['model']}"
    )


def spread(results: Results, p: Mapping) -> tuple[float, str]:
    def at(m):
        values = [results.g_min(analysis, p["model"], m) for analysis in p["analyses"]]
        return np.nanmax(values) / np.nanmin(values)

    masses, values = _per_mass(results, p, at)
    value, where = _reduced(masses, values, "max")
    return value, f"max / min of g_min among {', '.join(p['analyses'])}, {p['model']}, {where}"


def scan_gain(results: Results, p: Mapping) -> tuple[float, str]:
    table = results.scans[p["scan"]]
    rows = table[
        np.isclose(table.value.astype(float), p["value"])
        & (table.model == p["model"])
        & table.analysis.isin(p["analyses"])
    ]
    if rows.empty:
        raise ValueError(f"the {p['scan']} scan has no value {p['value']} for {p['model']}")
    best = rows.loc[rows.ratio_to_base.idxmin()]
    return float(1.0 - best.ratio_to_base), (
        f"1 - g_min({p['scan']} = {p['value']:g}) / g_min(base), largest over "
        f"{', '.join(p['analyses'])}, {p['model']}: {best.analysis} at "
        f"m = {best.m_MeV:g} MeV"
    )


def _core_g(results, criterion, mediator, m_MeV):
    rows = results.core_bounds[
        (results.core_bounds.criterion == criterion) & (results.core_bounds.mediator == mediator)
    ]
    if rows.empty:
        raise KeyError(f"no core line {criterion} for {mediator}")
    return float(np.interp(np.log(m_MeV), np.log(rows.m_MeV), rows.g, left=np.nan, right=np.nan))


def core_line(results: Results, p: Mapping) -> tuple[float, str]:
    against = p.get("against")

    def at(m):
        g = _core_g(results, p["criterion"], p["mediator"], m)
        if against is None:
            return g
        if against.get("analysis"):
            return g / results.g_min(against["analysis"], against["model"], m)
        return g / _core_g(results, against.get("criterion", p["criterion"]), against.get("mediator", p["mediator"]), m)

    masses, values = _per_mass(results, p, at)
    value, where = _reduced(masses, values, p["reduce"])
    what = f"core line {p['criterion']} ({p['mediator']})"
    if against is not None:
        other = (
            f"g_min({_label(against['analysis'])}, {against['model']})"
            if against.get("analysis")
            else f"core line {against.get('criterion', p['criterion'])} ({against.get('mediator', p['mediator'])})"
        )
        what = f"g of {what} / {other}"
    return value, f"{what}, {where}"


def _sm_events(results, source, target, above_keV):
    table = results.rates[source]
    rows = table[(table.target == target) & (table.mediator == "sm") & (table.E_r_keV >= above_keV)]
    if rows.empty:
        raise KeyError(f"no SM rate of {source} on {target} above {above_keV} keV")
    return float(np.trapezoid(rows.rate_per_keV_t, rows.E_r_keV))


def events_ratio(results: Results, p: Mapping) -> tuple[float, str]:
    a, b = p["numerator"], p["denominator"]  # each {source, target}
    value = _sm_events(results, a["source"], a["target"], p["above_keV"]) / _sm_events(
        results, b["source"], b["target"], p["above_keV"]
    )
    return value, (
        f"SM events per tonne above {p['above_keV']:g} keV: {a['source']} on {a['target']} / "
        f"{b['source']} on {b['target']}"
    )


def rate_ratio(results: Results, p: Mapping) -> tuple[float, str]:
    table = results.rates[p["source"]]
    target = table[(table.target == p["target"]) & (table.E_r_keV >= p["above_keV"])]
    sm = target[target.mediator == "sm"].sort_values("E_r_keV")
    curves = target[target.mediator == p["mediator"]]
    if sm.empty or curves.empty:
        raise KeyError(f"no {p['mediator']} or SM rate of {p['source']} on {p['target']}")
    ratios, labels = [], []
    for (g, m), curve in curves.groupby(["g", "m_MeV"]):
        curve = curve.sort_values("E_r_keV")
        positive = sm.rate_per_keV_t.to_numpy() > 0
        ratio = curve.rate_per_keV_t.to_numpy()[positive] / sm.rate_per_keV_t.to_numpy()[positive]
        ratios.append(REDUCERS[p["reduce"]](ratio))
        labels.append(f"g = {g:g}, m = {m:g} MeV")
    index = int(np.argmin(ratios) if p["reduce"] == "min" else np.argmax(ratios))
    return float(ratios[index]), (
        f"{p['reduce']} of {p['mediator']} / SM rate, {p['source']} on {p['target']} above "
        f"{p['above_keV']:g} keV, over the curves of the rate figure: {labels[index]}"
    )


def _end_keV(results, source, target):
    table = results.rates[source]
    rows = table[(table.target == target) & (table.mediator == "sm")].sort_values("E_r_keV")
    E, rate = rows.E_r_keV.to_numpy(), rows.rate_per_keV_t.to_numpy()
    cumulative = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * np.diff(E))])
    return float(np.interp(1.0 - 1e-3, cumulative / cumulative[-1], E))


def recoil_end(results: Results, p: Mapping) -> tuple[float, str]:
    end = _end_keV(results, p["source"], p["target"])
    if "against" not in p:
        return end, f"recoil energy below which 99.9 % of the SM events of {p['source']} on {p['target']} lie [keV]"
    return end / _end_keV(results, p["source"], p["against"]), (
        f"99.9 % recoil end point of {p['source']}: {p['target']} / {p['against']}"
    )


def config_value(results: Results, p: Mapping) -> tuple[float, str]:
    def value(dotted):
        node = results.config
        for part in dotted.split("."):
            node = node[part]
        return float(node)

    if "against" in p:
        return value(p["key"]) / value(p["against"]), f"configuration: {p['key']} / {p['against']}"
    return value(p["key"]), f"configuration: {p['key']}"


MEASURES: dict[str, Callable[[Results, Mapping], tuple[float, str]]] = {
    "bound_ratio": bound_ratio,
    "improvement": improvement,
    "model_ratio": model_ratio,
    "mass_slope": mass_slope,
    "flatness": flatness,
    "spread": spread,
    "scan_gain": scan_gain,
    "core_line": core_line,
    "events_ratio": events_ratio,
    "rate_ratio": rate_ratio,
    "recoil_end": recoil_end,
    "config": config_value,
}


@dataclass(frozen=True)
class Claim:
    """One checkable statement and its measure; ``holds`` and ``partly`` are closed intervals."""

    key: str
    section: str
    words: str
    quoted: bool
    measure: str
    parameters: Mapping
    holds: tuple[float, float] = (np.nan, np.nan)
    partly: tuple[float, float] = (np.nan, np.nan)
    reason: str = ""  # why a claim is not measurable

    def verdict(self, value: float) -> str:
        if np.isnan(value):
            return UNMEASURED
        if self.holds[0] <= value <= self.holds[1]:
            return HOLDS
        if self.partly[0] <= value <= self.partly[1]:
            return PARTLY
        return FAILS

    def shortfall(self, value: float) -> str:
        """By how much a value outside the ``holds`` band misses it (a factor where both are positive)."""
        if np.isnan(value) or self.holds[0] <= value <= self.holds[1]:
            return ""
        edge = self.holds[0] if value < self.holds[0] else self.holds[1]
        side = "below" if value < edge else "above"
        if value > 0 and edge > 0:
            return f"x{value / edge:.3g} ({side} the band edge {edge:g})"
        return f"{value - edge:+.3g} ({side} the band edge {edge:g})"


def _band(entry, name, key):
    band = entry.get(name)
    if band is None:
        return (np.nan, np.nan)
    if len(band) != 2:
        raise ValueError(f"claims: {key}.{name} must be [low, high]")
    return tuple(np.inf if b == "inf" else -np.inf if b == "-inf" else float(b) for b in band)


def load_claims(path: str | Path) -> list[Claim]:
    """The claims of a claims file (YAML list); an unknown measure or a missing band names the claim."""
    entries = yaml.safe_load(Path(path).read_text())
    claims, keys = [], set()
    for entry in entries:
        key = entry["key"]
        if key in keys:
            raise ValueError(f"{path}: claim {key!r} appears twice")
        keys.add(key)
        measure = entry["measure"]
        if measure != "not_measurable":
            if measure not in MEASURES:
                raise ValueError(f"{path}: claim {key!r}: unknown measure {measure!r}; known: {sorted(MEASURES)}")
            if "holds" not in entry:
                raise ValueError(f"{path}: claim {key!r}: no 'holds' band")
        elif not entry.get("reason"):
            raise ValueError(f"{path}: claim {key!r}: a claim that is not measurable gives its reason")
        claims.append(
            Claim(
                key,
                entry["section"],
                " ".join(entry["words"].split()),
                bool(entry["quoted"]),
                measure,
                entry.get("parameters", {}),
                _band(entry, "holds", key),
                _band(entry, "partly", key) if "partly" in entry else _band(entry, "holds", key),
                entry.get("reason", ""),
            )
        )
    return claims


def claims_table(results: Results, claims: Sequence[Claim]) -> pd.DataFrame:
    """One row per claim: key, section, words, quoted, measure, value, holds_within, verdict, shortfall."""
    rows = []
    for claim in claims:
        if claim.measure == "not_measurable":
            value, what = float("nan"), f"not measurable: {claim.reason}"
        else:
            try:
                value, what = MEASURES[claim.measure](results, claim.parameters)
            except (KeyError, IndexError, ValueError) as error:  # a table the claim needs lacks a row
                value, what = float("nan"), f"not measurable with this configuration ({error})"
        rows.append(
            {
                "key": claim.key,
                "section": claim.section,
                "words": claim.words,
                "quoted": claim.quoted,
                "measure": what,
                "value": value,
                "holds_within": "" if np.isnan(claim.holds[0]) else f"[{claim.holds[0]:g}, {claim.holds[1]:g}]",
                "verdict": claim.verdict(value),
                "shortfall": claim.shortfall(value),
            }
        )
    return pd.DataFrame(rows)
