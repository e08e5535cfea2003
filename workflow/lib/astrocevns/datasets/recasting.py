"""What the recasts of released xenon data share: the CEvNS template of a (g, m) grid, the profile-likelihood
ratio against the best fit, a signal's upper limit and the tables of a data analysis.

A light mediator changes the solar CEvNS rate only. Its binned spectrum is a polynomial in g^2
(astrocevns.physics.rates): dR/dE_r = a(E) + b(E; m) g^2 + c(E; m) g^4, so its template in the analysis space
of a release (a linear map of the spectrum) is the same polynomial of the templates of a, b and c, at
every point of the release's detector-response parameters: the whole (g, m) plane costs three templates
per mass. At each (g, m) the CEvNS template replaces the release's own in its statistical model, and

    q(g, m) = D(g, m) - min_{g', m'} D(g', m'),                                                       (Q1)

the profile-likelihood ratio against the best fit, with D the profiled -2 ln L, as the releases set their
limits. The best fit is the Standard Model (g = 0, the same at every mass) or the least D over g at a grid
mass, found by minimisation (:func:`best_fit`).

A statistical model is any object with a method ``profile(cevns, signal=None, signal_multiplier=None)``
returning (D per problem, best-fit details), where ``cevns`` and ``signal`` have a method
``at(*point, rows=...)`` giving (at_events, total) at a point of the response parameters
(:mod:`astrocevns.datasets.xenonnt2024.model`, :mod:`astrocevns.datasets.xenonnt_s2only2026.model`).

Each release is a subpackage whose ``recast`` module is the analysis's entry point, found by the name of its
config section through :data:`DATA_RELEASES`: ``ANALYSIS`` (the family name of its tables, ``<section>/<section>``),
``WORKFLOW`` (a :class:`WorkflowNeeds`: what the workflow's rules need of it), ``statistical_model(settings)``
(the model and its response to recoil spectra, from the config section), ``spectrum_coefficients(spec, inputs,
definition, masses_MeV, response)`` (the coefficients a, b, c of its own source on its own target, each of shape
(n_masses, *the spectrum shape ``response.templates`` accepts)) and ``log_expectation(log, model, templates)``
(its Standard-Model CEvNS against the release's own). Adding a release is a subpackage, an entry here and a
config section; rule ``data_analysis`` runs any of them, and nothing else in the workflow names a release.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..inference import bounds, contours, edges, result_tables, statistics
from ..physics import rates
from ..physics.detectors import Detector, Efficiency
from ..tables import io

if TYPE_CHECKING:
    from ..physics.fluxes import PiecewiseLinearFluence
    from ..physics.nuclei import Nucleus


DATA_RELEASES = {
    "xenonnt_2024": "astrocevns.datasets.xenonnt2024.recast",
    "xenonnt_s2only_2026": "astrocevns.datasets.xenonnt_s2only2026.recast",
    "coherent_csi_2021": "astrocevns.datasets.coherent_csi2021.recast",
    "coherent_lar_2020": "astrocevns.datasets.coherent_lar2020.recast",
}
"""The data analyses by config section name: the module of each release's entry point."""


@dataclass(frozen=True)
class WorkflowNeeds:
    """What the workflow's rules need of a data analysis (the ``WORKFLOW`` of its ``recast`` module).

    Attributes
    ----------
    files : tuple of str
        The files of the release subset in the section's ``data`` directory (inputs of its jobs, with
        ``checksums.txt``).
    verify : callable
        ``verify(directory)`` compares them with ``checksums.txt`` (InputError naming a file); run at parse time.
    memory_mb : callable
        ``memory_mb(grid_points)``: the memory of one job [MB] for a (g, m) grid of that many points.
    source_key : str or None
        The section's key that names the config source whose fluence table the job reads (``inputs.flux``);
        None where the release's flux is its own.
    source_kind : str
        The kind of source that key must name (``steady``: solar neutrinos).
    target : str or None
        The ``targets`` entry the spectrum is computed on, or
    target_key : str or None
        the section's key that names it; both None where the release's target is its own.
    validation : bool
        Whether ``workflow/scripts/{section}_validation.py`` writes ``results/tables/{section}_validation.csv``
        (``snakemake {section}_validation``).
    data_sets : tuple of str
        The data the analysis fits (e.g. science runs): two analyses that share one are not independent, and a
        combination (:mod:`astrocevns.datasets.combination`) refuses them.
    """

    files: tuple[str, ...]
    verify: Callable[[str | os.PathLike[str]], None]
    memory_mb: Callable[[int], float]
    source_key: str | None = None
    source_kind: str = "steady"
    target: str | None = None
    target_key: str | None = None
    validation: bool = False
    data_sets: tuple[str, ...] = ()

    def source(self, section: Mapping[str, Any]) -> str | None:
        """The config source whose fluence the analysis reads, or None."""
        return None if self.source_key is None else section[self.source_key]

    def target_names(self, section: Mapping[str, Any], targets: Mapping[str, Mapping]) -> list[str]:
        """The ``targets`` entries the analysis reads: its target and, for a compound, its elements."""
        name = self.target if self.target_key is None else section[self.target_key]
        if name is None:
            return []
        return list(dict.fromkeys([name, *targets.get(name, {}).get("composition", {})]))


def release_analysis(name: str) -> Any:
    """The entry-point module of the data release ``name`` (:data:`DATA_RELEASES`)."""
    from importlib import import_module

    if name not in DATA_RELEASES:
        raise KeyError(f"no data release {name!r}; known: {', '.join(DATA_RELEASES)}")
    return import_module(DATA_RELEASES[name])


def dataset(
    release: str, spec: Mapping[str, Any], inputs: Any, masses_MeV: npt.ArrayLike
) -> tuple[Any, Any, Any, CouplingTemplates]:
    """The data analysis ``release`` for the model ``spec["model"]``: its entry-point module, statistical model,
    response and CEvNS templates at ``masses_MeV`` (the release's own ``spectrum_coefficients`` of its source on
    its target, through :func:`coupling_templates`). ``spec`` is the job's params (the release's section under
    its name) and ``inputs`` the job's input files."""
    analysis = release_analysis(release)
    model, response = analysis.statistical_model(spec[release])
    coefficients = analysis.spectrum_coefficients(
        spec, inputs, spec["model"]["definition"], np.asarray(masses_MeV, dtype=float), response
    )
    return analysis, model, response, coupling_templates(model, response, coefficients)


def cevns_kernel(
    fluence: PiecewiseLinearFluence | Mapping[str, PiecewiseLinearFluence], nucleus: Nucleus, nodes_keV: npt.ArrayLike
) -> rates.RecoilKernel:
    """Differential-rate kernel of CEvNS on one tonne of ``nucleus`` at the recoil energies ``nodes_keV``.

    Its ``coupling_polynomial`` gives dR/dE_r per tonne over the fluence's exposure at the nodes; the
    detection efficiency and threshold are not applied here: a release's response holds them.
    """
    detector = Detector("data_release", nucleus, 1.0, float(np.min(nodes_keV)), Efficiency.ideal())
    return rates.differential_rate_kernel(fluence, detector, nodes_keV)


def steady_source_coefficients(
    spec: Mapping[str, Any],
    flux_path: str,
    target: str,
    definition: Mapping,
    masses_MeV: npt.ArrayLike,
    nodes_keV: npt.ArrayLike,
) -> tuple[np.ndarray, ...]:
    """(a, b, c) of dR/dE_r = a + b g^2 + c g^4 per tonne-year of the steady source whose fluence table is at
    ``flux_path``, on the element ``target`` of ``spec["targets"]``, at ``nodes_keV`` [events / (t yr keV)],
    each of shape (n_masses, n_nodes): the spectrum over the fluence's exposure divided by that exposure
    (``spec["exposure_yr"]``). The model is ``definition`` (an entry of ``models``, named ``spec["model"]``)."""
    from ..physics import builders, models, sources

    nucleus = builders.nucleus(target, spec["targets"][target], spec["form_factor"])
    kernel = cevns_kernel(sources.flavour_fluences(io.read_columns(flux_path)[0]), nucleus, nodes_keV)
    coefficients = kernel.coupling_polynomial(
        models.from_config(spec["model"]["name"], dict(definition)), np.asarray(masses_MeV, dtype=float)
    )
    return tuple(c / spec["exposure_yr"] for c in coefficients)


def solar_xenon_coefficients(
    spec: Mapping[str, Any], inputs: Any, definition: Mapping, masses_MeV: npt.ArrayLike, response: Any
) -> tuple[np.ndarray, ...]:
    """The ``spectrum_coefficients`` hook of a xenon release that sees a steady source: (a, b, c) of its CEvNS
    spectrum dR/dE_r = a + b g^2 + c g^4 on xenon at the response's nodes [events / (t yr keV)], each of shape
    (n_masses, n_nodes), from the fluence ``inputs.flux`` of the section's source
    (:func:`steady_source_coefficients`)."""
    return steady_source_coefficients(spec, inputs.flux, "Xe", definition, masses_MeV, response.nodes_keV)


@dataclass(frozen=True)
class CouplingTemplates:
    """The CEvNS template of every mediator mass as a polynomial in g^2, at every response point of a model.

    Attributes
    ----------
    at_events : ndarray, shape (3, n_masses, *point_shape, n_event_bins)
        Coefficients of g^0, g^2 and g^4 in the bins with events (exposure included).
    total : ndarray, shape (3, n_masses, *point_shape)
        The same for the events summed over all bins.
    """

    at_events: np.ndarray
    total: np.ndarray

    def at_couplings(self, coupling: npt.ArrayLike, mass_index: npt.ArrayLike) -> _AtCouplings:
        """The templates at couplings ``coupling`` and masses ``mass_index`` (flat arrays of one length P),
        as an object whose ``at(*point, rows=...)`` gives (at_events (P, ...), total (P, ...))."""
        return _AtCouplings(self, np.asarray(coupling, dtype=float) ** 2, np.asarray(mass_index))


@dataclass(frozen=True)
class _AtCouplings:
    templates: CouplingTemplates
    g2: np.ndarray
    mass_index: np.ndarray

    def at(self, *point: int | slice, rows: slice | np.ndarray = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        masses = self.mass_index[rows]
        a, b, c = self.templates.at_events[(slice(None), masses, *point)]
        A, B, C = self.templates.total[(slice(None), masses, *point)]
        x = self.g2[rows]
        xa, xA = x.reshape((-1,) + (1,) * (a.ndim - 1)), x.reshape((-1,) + (1,) * (A.ndim - 1))
        return a + xa * (b + xa * c), A + xA * (B + xA * C)

    def take(self, rows: slice | np.ndarray) -> _AtCouplings:
        """The templates of the problems ``rows`` (indices, repeats allowed)."""
        return _AtCouplings(self.templates, self.g2[rows], self.mass_index[rows])


def coupling_templates(model: Any, response: Any, coefficients: Sequence[npt.ArrayLike]) -> CouplingTemplates:
    """:class:`CouplingTemplates` from the spectrum coefficients (a, b, c) at the response's nodes, at every
    response point (yields, anchors) of ``model``.

    Parameters
    ----------
    model : statistical model with ``anchored(per_run)`` (the templates at its response points)
    response : response with ``templates(rate_per_t_yr_keV)`` (eq. R1 of the release's package)
    coefficients : tuple of three ndarray, each shape (n_masses, n_nodes)
        dR/dE_r = a + b g^2 + c g^4 at ``response.nodes_keV`` [events / (t yr keV)], e.g. from
        ``RecoilKernel.coupling_polynomial`` of a differential-rate kernel on those nodes, divided by the
        exposure of its fluence. How they were obtained (mediator, charges) does not matter here.
    """
    templates = model.anchored(response.templates(np.stack([np.asarray(c, dtype=float) for c in coefficients])))
    # C order: a problem's template is then one contiguous block (a gather of scattered bins costs ~10x more)
    return CouplingTemplates(np.ascontiguousarray(templates.at_events), np.ascontiguousarray(templates.total))


def profiled_deviance(
    model: Any, templates: CouplingTemplates, coupling: npt.ArrayLike, mass_index: npt.ArrayLike, chunk: int = 20000
) -> np.ndarray:
    """D at couplings and mass indices that broadcast together, ``chunk`` problems at a time.

    Returns an array of their broadcast shape.
    """
    g, m = np.broadcast_arrays(np.asarray(coupling, dtype=float), np.asarray(mass_index))
    flat_g, flat_m = g.ravel(), m.ravel()
    out = np.empty(flat_g.size)
    for start in range(0, flat_g.size, chunk):
        rows = slice(start, start + chunk)
        out[rows] = model.profile(templates.at_couplings(flat_g[rows], flat_m[rows]))[0]
    return out.reshape(g.shape)


RATE_CHANGE_RANGE = (1e-4, 30.0)
"""Where the best-fit search evaluates D: couplings that change the CEvNS events by more than 1e-4 of the Standard
Model's (below, D is the SM's to (1e-4 / 0.038)^2 ~ 1e-5: a few per cent constraint on the 8B flux absorbs it) and
predict less than 30 times them (hundreds of events against tens observed: D is hundreds above)."""


SEARCH_POINTS_PER_DECADE = 24
"""Couplings per decade of the best-fit search (a factor 1.10 apart, finer than the dip of D in g, 1.3 wide)."""


def search_couplings(g_min: float, g_max: float) -> np.ndarray:
    """The couplings of the best-fit search over [g_min, g_max]: :data:`SEARCH_POINTS_PER_DECADE` per decade."""
    return np.geomspace(g_min, g_max, int(np.ceil(SEARCH_POINTS_PER_DECADE * np.log10(g_max / g_min))) + 1)


def rate_change(
    templates: CouplingTemplates, search: np.ndarray, mass_index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where on search x masses the couplings change the CEvNS events (summed over the response points) within
    :data:`RATE_CHANGE_RANGE` (``relevant``), and where they predict too many (``too_large``), each
    (n_search, n_masses)."""
    a, b, c = (templates.total[k][mass_index].reshape(mass_index.size, -1).sum(axis=1) for k in range(3))
    g2 = search[:, None] ** 2
    ratio = (a + g2 * (b + g2 * c)) / a
    small, large = RATE_CHANGE_RANGE
    return (np.abs(ratio - 1.0) > small) & (ratio < large), ratio >= large


def golden_section(
    at: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray, iterations: int
) -> tuple[np.ndarray, np.ndarray]:
    """Golden-section search of ``at`` (vectorised over brackets) in the brackets [lo, hi], ``iterations`` steps
    (each narrows them by 0.618). Returns (where, value) of the least point found in each."""
    shrink = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - shrink * (hi - lo), lo + shrink * (hi - lo)
    fc, fd = at(c), at(d)
    for _ in range(iterations):
        left = fc < fd  # the minimum lies in [lo, d], else in [c, hi]; one new point each
        lo, hi = np.where(left, lo, c), np.where(left, d, hi)
        c, d = np.where(left, hi - shrink * (hi - lo), d), np.where(left, c, lo + shrink * (hi - lo))
        f = at(np.where(left, c, d))
        fc, fd = np.where(left, f, fd), np.where(left, fc, f)
    return np.where(fc < fd, c, d), np.where(fc < fd, fc, fd)


def _search_scan(model: Any, templates: CouplingTemplates, search: np.ndarray, mass_index: np.ndarray) -> np.ndarray:
    """D on search x masses, evaluated where the rate changes (:func:`rate_change`): the SM's D where the couplings
    are too small to matter, infinite where they predict far too many events."""
    relevant, too_large = rate_change(templates, search, mass_index)
    scan = np.where(too_large, np.inf, float(profiled_deviance(model, templates, 0.0, 0)))
    rows, columns = np.nonzero(relevant)
    scan[rows, columns] = profiled_deviance(model, templates, search[rows], mass_index[columns])
    return scan


def best_fit(
    model: Any,
    templates: CouplingTemplates,
    search: npt.ArrayLike,
    mass_index: npt.ArrayLike,
    margin: float = 1.0,
    iterations: int = 40,
) -> tuple[float, float, int]:
    """The least D over g > 0 at the masses ``mass_index``, found by minimisation; independent of the grid.

    D along g has more than one minimum at a mass: near the Standard Model and, for a vector, a narrow dip
    where the interference lowers the 8B rate the data prefer (about a factor 1.3 wide in g at 1 MeV). Every
    local minimum of a scan over the couplings ``search`` (log-spaced, finer than the dip) brackets one;
    a golden-section search in ln g refines at once all those within ``margin`` of the scan's least D
    (``iterations`` steps: 0.618^40 = 4e-9 of the bracket), so the result depends on the scan only through
    which minima it brackets.

    Returns
    -------
    deviance : float
        The least D.
    g : float
        The coupling where it lies.
    mass : int
        The entry of ``mass_index`` where it lies.
    """
    search, mass_index = np.asarray(search, dtype=float), np.asarray(mass_index)
    scan = _search_scan(model, templates, search, mass_index)
    row, column = np.unravel_index(np.argmin(scan), scan.shape)
    least = (float(scan[row, column]), float(search[row]), int(mass_index[column]))
    inner = (scan[1:-1] <= scan[:-2]) & (scan[1:-1] < scan[2:]) & (scan[1:-1] < scan.min() + margin)
    rows, columns = np.nonzero(inner)
    if rows.size == 0:
        return least
    log_g, masses = np.log(search), mass_index[columns]
    lo, hi = log_g[rows], log_g[rows + 2]  # the neighbours of the scan's local minimum at rows + 1

    where, refined = golden_section(
        lambda x: profiled_deviance(model, templates, np.exp(x), masses), lo, hi, iterations
    )
    k = int(np.argmin(refined))
    if refined[k] >= least[0]:
        return least
    return float(refined[k]), float(np.exp(where[k])), int(masses[k])


def test_statistic_grid(
    model: Any, templates: CouplingTemplates, couplings: npt.ArrayLike, mass_index: npt.ArrayLike, search: npt.ArrayLike
) -> tuple[np.ndarray, float, float, tuple[float, int]]:
    """q(g, m) of eq. Q1 on the grid ``couplings`` x the masses ``mass_index`` of ``templates``.

    The best fit is the Standard Model or the :func:`best_fit` over g > 0 at the grid masses, searched on
    the couplings ``search`` and refined by minimisation: the reference of every q does not depend on
    the grid's axis in g. (For a heavy mediator D depends on g / m only, below about 1 MeV not on m at all.)

    Returns
    -------
    q : ndarray, shape (n_couplings, n_masses)
    best : float
        The D of the best fit: the reference of eq. Q1.
    standard_model : float
        D at g = 0.
    best_point : tuple of float and int
        The best fit's coupling and mass index (0 and the first mass where it is the Standard Model).
    """
    couplings, mass_index = np.asarray(couplings, dtype=float), np.asarray(mass_index)
    deviance = profiled_deviance(model, templates, couplings[:, None], mass_index[None, :])
    standard_model = float(profiled_deviance(model, templates, 0.0, 0))
    row, column = np.unravel_index(np.argmin(deviance), deviance.shape)
    candidates = [
        (standard_model, 0.0, int(mass_index[0])),
        (float(deviance[row, column]), float(couplings[row]), int(mass_index[column])),
        best_fit(model, templates, search, mass_index),
    ]
    best, g_best, m_best = min(candidates, key=lambda candidate: candidate[0])
    return deviance - best, best, standard_model, (g_best, m_best)


def upper_limit(
    model: Any,
    cevns: Any,
    signal: Any,
    threshold: float,
    signal_name: str = "wimp_rate_multiplier",
    rounds: int = 6,
    points: int = 24,
) -> float:
    """Upper limit on the multiplier of a signal template (the releases' asymptotic method).

    The best fit lets the multiplier s >= 0 float; the limit is the s above it where the profiled
    -2 ln L exceeds its minimum by ``threshold`` (the releases: the 90 % quantile of chi^2 with one
    degree of freedom, 2.71). Found by a log-spaced scan, refined ``rounds`` times with ``points``
    evaluations inside the bracket (each round narrows it by a factor points - 1).

    Parameters
    ----------
    model : statistical model (see the module docstring)
    cevns, signal : template sources
        The CEvNS background and the signal at multiplier 1 (e.g. a WIMP at a reference cross section).
    threshold : float
    signal_name : str
        The name of the signal multiplier among the best-fit parameters.

    Returns
    -------
    float
        The upper limit on s.
    """
    best_deviance, best = model.profile(cevns, signal)
    s_hat = float(best["theta"][0, best["names"].index(signal_name)])
    reference = float(best_deviance[0])

    def excess(multipliers: np.ndarray) -> np.ndarray:
        return model.profile(cevns, signal, multipliers)[0] - reference - threshold

    total_signal = float(np.max(signal.total))  # signal events at s = 1 (largest over the response points)
    scan = s_hat + np.geomspace(1e-3, 1e3, 61) * max(s_hat, 1.0 / total_signal)
    above = np.flatnonzero(excess(scan) > 0.0)
    if above.size == 0:
        raise ValueError("the signal is not excluded within 1e3 times its scale")
    lo, hi = (scan[above[0] - 1], scan[above[0]]) if above[0] > 0 else (s_hat, scan[0])
    for _ in range(rounds):
        inner = np.linspace(lo, hi, points)
        first = int(np.argmax(excess(inner) > 0.0))
        lo, hi = inner[max(first - 1, 0)], inner[first]
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Exclusion:
    """The results of a data analysis for one model, in the layout of the other analyses' tables."""

    g: np.ndarray
    m_MeV: np.ndarray
    q: np.ndarray
    best: float
    standard_model: float
    lines: dict
    edges: dict
    report_MeV: np.ndarray
    g_min: np.ndarray
    below_range: np.ndarray
    n_intervals: np.ndarray
    intervals: dict
    best_point: tuple[float, float]
    """The best fit's (g, m_MeV): g = 0 where it is the Standard Model."""

    def tables(self) -> dict[str, dict[str, np.ndarray]]:
        """The tables of :func:`astrocevns.inference.result_tables.write_result_tables` (one analysis, index 0)."""
        g, m = self.g, self.m_MeV
        tables = {
            "chi2": {"g": np.repeat(g, m.size), "m_MeV": np.tile(m, g.size), "chi2": self.q.ravel()},
            "contours": self.lines,
            "edges": self.edges,
            "bounds": {
                "m_MeV": self.report_MeV,
                "g_min": self.g_min,
                "below_range": self.below_range,
                "n_intervals": self.n_intervals,
            },
            "intervals": self.intervals,
        }
        return {name: {"analysis": np.zeros(len(table["m_MeV"]), dtype=int), **table} for name, table in tables.items()}


@dataclass(frozen=True)
class Excess:
    """D(g, m) minus the best fit's D, as the bound and edge finders call it: couplings (n, k) at the masses
    ``mass_index`` (k,) of ``templates``, or scattered points (``at_points``: one profile per point)."""

    model: Any
    templates: CouplingTemplates
    mass_index: np.ndarray
    best: float

    def __call__(self, coupling: np.ndarray) -> np.ndarray:
        return profiled_deviance(self.model, self.templates, coupling, self.mass_index) - self.best

    def at_points(self, coupling: np.ndarray, column: np.ndarray) -> np.ndarray:
        """At couplings ``coupling`` and the masses ``mass_index[column]`` (flat arrays of one length)."""
        return profiled_deviance(self.model, self.templates, coupling, self.mass_index[column]) - self.best


def exclusion(
    model: Any,
    templates: CouplingTemplates,
    g: np.ndarray,
    m_MeV: np.ndarray,
    report_MeV: np.ndarray,
    threshold: float,
    bounds_spec: Mapping[str, Any],
) -> Exclusion:
    """q(g, m) on the grid (eq. Q1), its contours at ``threshold``, its exact edges in g at every grid mass
    and the smallest excluded coupling at the report masses.

    ``templates`` holds the grid masses first, then the report masses; ``bounds_spec`` is the config's
    ``bounds`` (g_min, g_max, scan_points, edge_scan_points).
    """
    grid_index, report_index = np.arange(m_MeV.size), m_MeV.size + np.arange(report_MeV.size)
    search = search_couplings(bounds_spec["g_min"], bounds_spec["g_max"])  # the best fit, not on the grid
    q, best, standard_model, (g_best, m_best) = test_statistic_grid(model, templates, g, grid_index, search)

    at_report, at_grid = Excess(model, templates, report_index, best), Excess(model, templates, grid_index, best)
    g_min = bounds.smallest_excluded_coupling(
        at_report, bounds_spec["g_min"], bounds_spec["g_max"], threshold, bounds_spec["scan_points"]
    )
    below = bounds.excluded_below_range(at_report, bounds_spec["g_min"], threshold, report_MeV.size)
    intervals, n_intervals = edges.excluded_intervals(
        edges.exclusion_edges(
            at_report,
            report_MeV,
            bounds_spec["g_min"],
            bounds_spec["g_max"],
            threshold,
            bounds_spec["scan_points"],
        ),
        report_MeV,
    )
    found = edges.exclusion_edges(at_grid, m_MeV, g[0], g[-1], threshold, bounds_spec["edge_scan_points"])
    return Exclusion(
        g,
        m_MeV,
        q,
        best,
        standard_model,
        contours.exclusion_contours(m_MeV, g, q, threshold),
        found,
        report_MeV,
        g_min,
        below,
        n_intervals,
        intervals,
        (g_best, float(m_MeV[m_best])),
    )


def write_tables(
    result: Exclusion,
    analysis: str,
    entry: Mapping[str, Any],
    threshold: float,
    dof: int,
    outputs: Any,
    meta: Mapping[str, str],
) -> None:
    """The tables of :mod:`astrocevns.inference.result_tables` for one model ``entry`` (name, mediator, coupling)
    of a data analysis; ``outputs`` has attributes chi2, contours, edges, bounds, intervals. The intervals carry
    the best fit (``best_fit_g``, ``best_fit_m_MeV``), q of the Standard Model against it (``q_sm``) and the
    significance of the preference for ``dof`` degrees of freedom (``z_sm``)."""
    q_sm = result.standard_model - result.best
    labels = {"model": entry["name"], "mediator": entry["mediator"], "coupling": entry["coupling"]}
    meta = {
        "family": analysis,
        **labels,
        "delta_chi2": repr(threshold),
        "statistic": "template_likelihood",
        "best_fit_minus_2_log_L": repr(result.best),
        "standard_model_q": repr(q_sm),
        **meta,
    }
    fit = {
        "best_fit_g": result.best_point[0],
        "best_fit_m_MeV": result.best_point[1],
        "q_sm": q_sm,
        "z_sm": float(statistics.significance(q_sm, dof)),
    }
    paths = {table: getattr(outputs, table) for table in result_tables.TABLES}
    result_tables.write_result_tables(result.tables(), [analysis], labels, paths, meta, fit=fit)


def log_summary(log: Any, name: str, result: Exclusion, threshold: float) -> None:
    """Log the best fit, the excluded share of the grid and the bounds of ``result`` for the model ``name``."""
    log.info(
        "%s: -2 ln L = %.4f at the Standard Model, %.4f at the best fit (g = %.4g, m = %.4g MeV); q(SM) = %.4f",
        name,
        result.standard_model,
        result.best,
        *result.best_point,
        result.standard_model - result.best,
    )
    log.info("%s: %.1f %% of the grid excluded at q > %.3f", name, 100 * np.mean(result.q > threshold), threshold)
    log.info(
        "%s: g_min at %s MeV = %s; excluded intervals: %s",
        name,
        result.report_MeV.tolist(),
        np.round(result.g_min, 9).tolist(),
        result.n_intervals.tolist(),
    )
