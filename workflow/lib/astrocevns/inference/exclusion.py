"""Exclusion of an analysis family on the (g, m) plane: chi-square grid, contours and bounds.

An analysis (see :mod:`astrocevns.inference.analyses`) combines the binned spectra of its detectors for one
or several sources. Its statistic is evaluated from the exact polynomials in g^2 of those spectra
(:func:`astrocevns.physics.rates.polynomial_from_frame`), so any coupling costs a few array operations. The
statistic's kind (:mod:`astrocevns.inference.kinds`: the paper's Asimov Poisson chi-square, a counting
experiment, an event ceiling, ...) says how counts become the statistic; everything else here is the same for
every kind.

A family is an analysis and its efficiency variants; one workflow job computes all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..physics import rates
from . import bounds, contours, edges, kinds, statistics

Coefficients = tuple[np.ndarray, np.ndarray, np.ndarray]
Table = dict[str, np.ndarray]

PULL_PRIORS = ("shared", "per_detector")


@dataclass(frozen=True)
class SourceSpectra:
    """The spectra of one source in the detectors of an analysis, at one set of masses.

    Attributes
    ----------
    masses_MeV : ndarray, shape (n_masses,)
    detectors : tuple of coefficient triples
        Per detector (a, b, c), each of shape (n_masses, n_bins_d): N_i = a_i + b_i g^2 + c_i g^4.
    """

    masses_MeV: np.ndarray
    detectors: tuple[Coefficients, ...]

    def counts(self, coupling: np.ndarray | float) -> list[np.ndarray]:
        """Binned counts of each detector at couplings broadcasting against the masses."""
        return [rates.counts_from_polynomial(coefficients, coupling) for coefficients in self.detectors]

    def sm_counts(self) -> list[np.ndarray]:
        """Asimov data N_i^SM of each detector (independent of the mass)."""
        return [coefficients[0][0] for coefficients in self.detectors]

    def total_counts(self, coupling: np.ndarray | float) -> np.ndarray:
        """Events summed over all bins and detectors."""
        return sum(counts.sum(axis=-1) for counts in self.counts(coupling))


def split_spectra(table: Mapping[str, np.ndarray]) -> dict[bool, tuple[np.ndarray, Coefficients]]:
    """{on_grid: (masses, coefficient triple)} of one spectra table (grid masses and report masses)."""
    return {on_grid: rates.polynomial_from_frame(table, on_grid) for on_grid in (True, False)}


def join_detectors(parts: Sequence[dict[bool, tuple[np.ndarray, Coefficients]]]) -> dict[bool, SourceSpectra]:
    """{on_grid: SourceSpectra} of one source from the split spectra tables of the analysis's detectors."""
    return {
        on_grid: SourceSpectra(parts[0][on_grid][0], tuple(part[on_grid][1] for part in parts))
        for on_grid in (True, False)
    }


@dataclass(frozen=True)
class Statistic:
    """How an analysis turns predicted counts into a test statistic.

    Attributes
    ----------
    kind : str
        A kind of :mod:`astrocevns.inference.kinds` (``asimov_poisson``, ``counting``, ``event_ceiling``, ...).
    threshold : float
        Delta chi2 of the confidence level (4.61 at 90 % CL, 2 dof).
    sigma_by_source : dict
        Normalisation uncertainty sigma_x of each source of the analysis, in the analysis's order.
    pull_prior : str
        ``shared``: one prior (x / sigma)^2 for the pull shared by all detectors (default);
        ``per_detector``: the prior inside the sum over detectors, as eq. 21 is printed
        (equivalent to sigma / sqrt(number of detectors)).
    parameters : dict
        The numbers the kind needs ({name: float}; ``counting``: observed_events, observed_uncertainty;
        ``event_ceiling``: max_events), as the kind's ``prepare`` gives them.
    """

    kind: str
    threshold: float
    sigma_by_source: dict = field(default_factory=dict)
    pull_prior: str = "shared"
    parameters: Mapping[str, float] = field(default_factory=dict)

    def sigma(self, source: str, n_detectors: int) -> float:
        """The effective normalisation uncertainty of ``source`` seen by ``n_detectors`` detectors."""
        sigma = float(self.sigma_by_source[source])
        return sigma / np.sqrt(n_detectors) if self.pull_prior == "per_detector" else sigma


def evaluate(
    statistic: Statistic, spectra: Mapping[str, SourceSpectra], coupling: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(test statistic, best pull, index of the best source) at couplings broadcasting against the masses.

    Excluded where the statistic, less its best fit (:func:`best_fit_reference`), exceeds
    ``statistic.threshold``. ``spectra`` is {source: SourceSpectra}.
    """
    return kinds.get(statistic.kind).evaluate(statistic, spectra, coupling)


def evaluate_on_grid(
    statistic: Statistic, spectra: Mapping[str, SourceSpectra], g: np.ndarray, rows: int = 64
) -> tuple[np.ndarray, ...]:
    """:func:`evaluate` on the whole grid (shape (n_g, n_masses)), ``rows`` couplings at a time so that
    the memory of large grids stays bounded."""
    parts = [evaluate(statistic, spectra, g[start : start + rows, None]) for start in range(0, g.size, rows)]
    return tuple(np.concatenate(part) for part in zip(*parts, strict=True))


def best_fit_reference(
    statistic: Statistic, spectra: Mapping[str, SourceSpectra], chi2_grid: np.ndarray, g: np.ndarray | None = None
) -> float:
    """The statistic of the best fit that the exclusion is measured from (0 for a statistic that is already a
    difference), as the statistic's kind finds it from the grid's statistic ``chi2_grid`` at the couplings ``g``."""
    return kinds.get(statistic.kind).best_fit_reference(statistic, spectra, chi2_grid, g)


@dataclass(frozen=True)
class AnalysisResult:
    """The tables of one analysis and model: chi2 grid, contour polylines, exact edges in g at every grid
    mass, bounds and every excluded interval at the report masses."""

    grid: Table
    contours: Table
    edges: Table
    bounds: Table
    intervals: Table

    def excluded_fraction(self, threshold: float) -> float:
        return float(np.mean(self.grid["chi2"] > threshold))


def analyse(
    statistic: Statistic,
    grid_spectra: Mapping[str, SourceSpectra],
    report_spectra: Mapping[str, SourceSpectra],
    g: np.ndarray,
    scan: Mapping[str, float],
) -> AnalysisResult:
    """Chi2 grid, exclusion contours and smallest excluded couplings of one analysis.

    Parameters
    ----------
    statistic : Statistic
    grid_spectra, report_spectra : dict
        {source: SourceSpectra} at the grid masses and at the report masses.
    g : ndarray
        The coupling axis of the grid.
    scan : dict
        ``g_min``, ``g_max``, ``scan_points`` of the fine scan in g at each report mass; the exact edges at
        the grid masses are searched over the grid's range of g with ``edge_scan_points`` (default 60).

    Returns
    -------
    AnalysisResult
        ``grid``: columns g, m_MeV, chi2 (delta chi2 from the best fit; infinite where no events are
        predicted but the SM has some), pull, source (index into the statistic's sources);
        ``contours``: see :func:`astrocevns.inference.contours.exclusion_contours`;
        ``edges``: every edge in g of the excluded set at each grid mass, located to 1e-10 in g by
        root-finding on the closed form (see :func:`astrocevns.inference.edges.exclusion_edges`);
        ``bounds``: m_MeV, g_min (NaN where nothing in range is excluded, or where the bound lies below
        the range), below_range (True where ``scan["g_min"]`` itself is excluded) and n_intervals, the number of
        excluded intervals in g at that mass;
        ``intervals``: every excluded interval at the report masses
        (:func:`astrocevns.inference.edges.excluded_intervals`),
        its edges located to 1e-10 in g over the fine scan's range.
    """
    masses = next(iter(grid_spectra.values())).masses_MeV
    report_masses = next(iter(report_spectra.values())).masses_MeV
    chi2, pull, best = evaluate_on_grid(statistic, grid_spectra, g)
    reference = best_fit_reference(statistic, grid_spectra, chi2, g)
    chi2 = chi2 - reference
    grid = {
        "g": np.repeat(g, masses.size),
        "m_MeV": np.tile(masses, g.size),
        "chi2": chi2.ravel(),
        "pull": pull.ravel(),
        "source": best.ravel(),
    }
    lines = contours.exclusion_contours(masses, g, chi2, statistic.threshold)

    def grid_chi2(coupling: np.ndarray) -> np.ndarray:
        return evaluate(statistic, grid_spectra, coupling)[0] - reference

    def report_chi2(coupling: np.ndarray) -> np.ndarray:
        return evaluate(statistic, report_spectra, coupling)[0] - reference

    found = edges.exclusion_edges(
        grid_chi2, masses, g[0], g[-1], statistic.threshold, int(scan.get("edge_scan_points", 60))
    )
    g_min = bounds.smallest_excluded_coupling(
        report_chi2, scan["g_min"], scan["g_max"], statistic.threshold, int(scan["scan_points"])
    )
    below = bounds.excluded_below_range(report_chi2, scan["g_min"], statistic.threshold, report_masses.size)
    intervals, n_intervals = edges.excluded_intervals(
        edges.exclusion_edges(
            report_chi2, report_masses, scan["g_min"], scan["g_max"], statistic.threshold, int(scan["scan_points"])
        ),
        report_masses,
    )
    return AnalysisResult(
        grid,
        lines,
        found,
        {"m_MeV": report_masses, "g_min": g_min, "below_range": below, "n_intervals": n_intervals},
        intervals,
    )


def stack(tables: Sequence[Table]) -> Table:
    """Tables one after another, with the index of the table of each row in an ``analysis`` column."""
    rows = [len(table["m_MeV"]) for table in tables]
    return {
        "analysis": np.repeat(np.arange(len(tables)), rows),
        **{column: np.concatenate([table[column] for table in tables]) for column in tables[0]},
    }


def family_spectra(
    variants: Sequence[Mapping], sources: Sequence[str], read: Callable[[tuple], Mapping[str, np.ndarray]]
) -> list[dict[bool, dict[str, SourceSpectra]]]:
    """The spectra of each variant of a family: [{on_grid: {source: SourceSpectra}}], variant by variant.

    ``variants`` are {name, members: [(detector, efficiency), ...]}; ``read((source, detector, efficiency))``
    returns that spectra table. A table that several variants share is read and split once.
    """
    split = {}

    def split_table(key: tuple) -> dict[bool, tuple[np.ndarray, Coefficients]]:
        if key not in split:
            split[key] = split_spectra(read(key))
        return split[key]

    result = []
    for variant in variants:
        per_source = {
            source: join_detectors([split_table((source, *member)) for member in variant["members"]])
            for source in sources
        }
        result.append(
            {on_grid: {source: per_source[source][on_grid] for source in sources} for on_grid in (True, False)}
        )
    return result


def analyse_family(
    statistic: Statistic,
    variants: Sequence[Mapping],
    spectra: Sequence[Mapping],
    g: np.ndarray,
    scan: Mapping[str, float],
    log: logging.Logger | None = None,
) -> tuple[Table, ...]:
    """The stacked chi2, contour, edge, bounds and interval tables of a family's variants (``analysis``: variant
    index).

    ``spectra`` is the output of :func:`family_spectra` for the same ``variants``.
    """
    log = log or logging.getLogger("astrocevns")
    results = []
    for variant, variant_spectra in zip(variants, spectra, strict=True):
        if kinds.get(statistic.kind).asimov_data:
            for source, source_spectra in variant_spectra[True].items():
                try:
                    statistics.check_precision(sum(sm.sum() for sm in source_spectra.sm_counts()), statistic.threshold)
                except ValueError as error:
                    raise ValueError(f"analysis {variant['name']}, source {source}: {error}") from None
        result = analyse(statistic, variant_spectra[True], variant_spectra[False], g, scan)
        first_points = np.unique(result.contours["line"], return_index=True)[1]
        log.info(
            "%s: %.1f %% of the grid excluded at delta chi2 > %.3f; %d contour lines (%d closed); g_min at %s MeV = %s",
            variant["name"],
            100 * result.excluded_fraction(statistic.threshold),
            statistic.threshold,
            first_points.size,
            int(result.contours["closed"][first_points].sum()),
            result.bounds["m_MeV"].tolist(),
            np.round(result.bounds["g_min"], 9).tolist(),
        )
        results.append(result)
    tables = ("grid", "contours", "edges", "bounds", "intervals")
    return tuple(stack([getattr(result, table) for result in results]) for table in tables)
