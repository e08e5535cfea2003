"""The XENONnT 2024 test statistic for light mediators, and the spin-independent WIMP limit that validates it.

A light mediator changes the solar CEvNS rate only. Its binned spectrum is a polynomial in g^2
(astrocevns.rates): dR/dE_r = a(E) + b(E; m) g^2 + c(E; m) g^4, so by eq. R1 its template is the
same polynomial of the templates of a, b and c at every yield point, and the whole (g, m) plane
costs three templates per mass. At each (g, m) the CEvNS template replaces the release's b8
template in eq. M1 (:mod:`.model`), and

    q(g, m) = D(g, m) - min_{g', m'} D(g', m'),                                                       (Q1)

the profile-likelihood ratio against the best fit, with D the profiled -2 ln L. The best fit is the
Standard Model (g = 0, the same at every mass) or the minimum over g at a mass, found by minimisation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .. import rates
from ..detectors import Detector, Efficiency

if TYPE_CHECKING:
    from ..fluxes import PiecewiseLinearFluence
    from ..nuclei import Nucleus
    from .model import ReleaseModel, YieldTemplates
    from .response import Response


def cevns_kernel(fluence: PiecewiseLinearFluence | Mapping[str, PiecewiseLinearFluence], nucleus: Nucleus,
                 nodes_keV: npt.ArrayLike) -> rates.RecoilKernel:
    """Differential-rate kernel of CEvNS on one tonne of ``nucleus`` at the recoil energies ``nodes_keV``.

    Its ``coupling_polynomial`` gives dR/dE_r per tonne over the fluence's exposure at the nodes; the
    detection efficiency and threshold are not applied here: the mono-energetic templates hold them.
    """
    detector = Detector("xenonnt_2024", nucleus, 1.0, float(np.min(nodes_keV)), Efficiency.ideal())
    return rates.differential_rate_kernel(fluence, detector, nodes_keV)


@dataclass(frozen=True)
class CouplingTemplates:
    """The CEvNS template of every mediator mass as a polynomial in g^2, at every yield point of a model.

    Attributes
    ----------
    at_events : ndarray, shape (3, n_masses, n_points, n_points, n_event_bins)
        Coefficients of g^0, g^2 and g^4 in the bins with events (exposure included).
    total : ndarray, shape (3, n_masses, n_points, n_points)
        The same for the events summed over all bins.
    """

    at_events: np.ndarray
    total: np.ndarray

    def at_couplings(self, coupling: npt.ArrayLike, mass_index: npt.ArrayLike) -> _AtCouplings:
        """The templates at couplings ``coupling`` and masses ``mass_index`` (flat arrays of one length P),
        as an object whose ``at(ly, qy)`` gives (at_events (P, n_event_bins), total (P,))."""
        return _AtCouplings(self, np.asarray(coupling, dtype=float) ** 2, np.asarray(mass_index))


@dataclass(frozen=True)
class _AtCouplings:
    templates: CouplingTemplates
    g2: np.ndarray
    mass_index: np.ndarray

    def at(self, ly: int, qy: int, rows: slice | np.ndarray = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        masses = self.mass_index[rows]
        a, b, c = self.templates.at_events[:, masses, ly, qy, :]
        A, B, C = self.templates.total[:, masses, ly, qy]
        x = self.g2[rows]
        return a + x[:, None] * (b + x[:, None] * c), A + x * (B + x * C)


def coupling_templates(model: ReleaseModel, response: Response,
                       coefficients: Sequence[npt.ArrayLike]) -> CouplingTemplates:
    """:class:`CouplingTemplates` from the spectrum coefficients (a, b, c) at the response's nodes.

    Parameters
    ----------
    model : ReleaseModel
    response : Response
    coefficients : tuple of three ndarray, each shape (n_masses, n_nodes)
        dR/dE_r = a + b g^2 + c g^4 at ``response.nodes_keV`` [events / (t yr keV)], e.g. from
        ``RecoilKernel.coupling_polynomial`` of a differential-rate kernel on those nodes, divided by the
        exposure of its fluence. How they were obtained (mediator, charges) does not matter here.
    """
    templates = model.anchored(response.templates(np.stack([np.asarray(c, dtype=float) for c in coefficients])))
    return CouplingTemplates(templates.at_events, templates.total)


def profiled_deviance(model: ReleaseModel, templates: CouplingTemplates, coupling: npt.ArrayLike,
                      mass_index: npt.ArrayLike, chunk: int = 20000) -> np.ndarray:
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
"""Where the best-fit search evaluates D: couplings that change the CEvNS events (nominal yields) by more than
1e-4 of the Standard Model's (below, D is the SM's to (1e-4 / 0.038)^2 ~ 1e-5: the 8B multiplier's 3.8 %
constraint absorbs it) and predict less than 30 times them (330 events against 37 observed: D is hundreds above)."""


SEARCH_POINTS_PER_DECADE = 24
"""Couplings per decade of the best-fit search (a factor 1.10 apart, finer than the dip of D in g, 1.3 wide)."""


def search_couplings(g_min: float, g_max: float) -> np.ndarray:
    """The couplings of the best-fit search over [g_min, g_max]: :data:`SEARCH_POINTS_PER_DECADE` per decade."""
    return np.geomspace(g_min, g_max, int(np.ceil(SEARCH_POINTS_PER_DECADE * np.log10(g_max / g_min))) + 1)


def _search_scan(model: ReleaseModel, templates: CouplingTemplates, search: np.ndarray,
                 mass_index: np.ndarray) -> np.ndarray:
    """D on search x masses, evaluated where the rate changes (:data:`RATE_CHANGE_RANGE`): the SM's D where the
    couplings are too small to matter, infinite where they predict far too many events."""
    a, b, c = (templates.total[k][(mass_index, *model.nominal)] for k in range(3))
    g2 = search[:, None] ** 2
    ratio = (a + g2 * (b + g2 * c)) / a
    small, large = RATE_CHANGE_RANGE
    relevant = (np.abs(ratio - 1.0) > small) & (ratio < large)
    scan = np.where(ratio >= large, np.inf, float(profiled_deviance(model, templates, 0.0, 0)))
    rows, columns = np.nonzero(relevant)
    scan[rows, columns] = profiled_deviance(model, templates, search[rows], mass_index[columns])
    return scan


def best_fit(model: ReleaseModel, templates: CouplingTemplates, search: npt.ArrayLike, mass_index: npt.ArrayLike,
             margin: float = 1.0, iterations: int = 40) -> float:
    """The least D over g > 0 at the masses ``mass_index``, found by minimisation; independent of the grid.

    D along g has more than one minimum at a mass: near the Standard Model and, for a vector, a narrow dip
    where the interference lowers the 8B rate the data prefer (about a factor 1.3 wide in g at 1 MeV). Every
    local minimum of a scan over the couplings ``search`` (log-spaced, finer than the dip) brackets one;
    a golden-section search in ln g refines at once all those within ``margin`` of the scan's least D
    (``iterations`` steps: 0.618^40 = 4e-9 of the bracket), so the result depends on the scan only through
    which minima it brackets.
    """
    search, mass_index = np.asarray(search, dtype=float), np.asarray(mass_index)
    scan = _search_scan(model, templates, search, mass_index)
    inner = (scan[1:-1] <= scan[:-2]) & (scan[1:-1] < scan[2:]) & (scan[1:-1] < scan.min() + margin)
    rows, columns = np.nonzero(inner)
    if rows.size == 0:
        return float(scan.min())
    log_g, masses = np.log(search), mass_index[columns]
    lo, hi = log_g[rows], log_g[rows + 2]  # the neighbours of the scan's local minimum at rows + 1

    def at(x: np.ndarray) -> np.ndarray:
        return profiled_deviance(model, templates, np.exp(x), masses)

    shrink = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - shrink * (hi - lo), lo + shrink * (hi - lo)
    fc, fd = at(c), at(d)
    for _ in range(iterations):
        left = fc < fd  # the minimum lies in [lo, d], else in [c, hi]; one new point each
        lo, hi = np.where(left, lo, c), np.where(left, d, hi)
        c, d = np.where(left, hi - shrink * (hi - lo), d), np.where(left, c, lo + shrink * (hi - lo))
        f = at(np.where(left, c, d))
        fc, fd = np.where(left, f, fd), np.where(left, fc, f)
    return float(min(scan.min(), np.min(fc), np.min(fd)))


def test_statistic_grid(model: ReleaseModel, templates: CouplingTemplates, couplings: npt.ArrayLike,
                        mass_index: npt.ArrayLike, search: npt.ArrayLike) -> tuple[np.ndarray, float, float]:
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
    """
    couplings, mass_index = np.asarray(couplings, dtype=float), np.asarray(mass_index)
    deviance = profiled_deviance(model, templates, couplings[:, None], mass_index[None, :])
    standard_model = float(profiled_deviance(model, templates, 0.0, 0))
    best = min(standard_model, float(deviance.min()), best_fit(model, templates, search, mass_index))
    return deviance - best, best, standard_model


def si_upper_limit(model: ReleaseModel, signal: YieldTemplates, threshold: float, b8: YieldTemplates | None = None,
                   rounds: int = 6, points: int = 24) -> float:
    """Upper limit on the multiplier of a signal template (the release's asymptotic method).

    The best fit lets the multiplier s >= 0 float; the limit is the s above it where the profiled
    -2 ln L exceeds its minimum by ``threshold`` (the release: the 90 % quantile of chi^2 with one
    degree of freedom, 2.71). Found by a log-spaced scan, refined ``rounds`` times with ``points``
    evaluations inside the bracket (each round narrows it by a factor points - 1).

    Parameters
    ----------
    model : ReleaseModel
    signal : YieldTemplates
        The signal at multiplier 1 (e.g. a WIMP at a reference cross section).
    threshold : float
    b8 : YieldTemplates, optional
        The 8B CEvNS template; default the release's.

    Returns
    -------
    float
        The upper limit on s.
    """
    b8 = model.release_templates("b8") if b8 is None else b8
    best_deviance, best = model.profile(b8, signal)
    s_hat = float(best["theta"][0, best["names"].index("wimp_rate_multiplier")])
    reference = float(best_deviance[0])

    def excess(multipliers: np.ndarray) -> np.ndarray:
        return model.profile(b8, signal, multipliers)[0] - reference - threshold

    total_signal = float(np.max(signal.total))  # signal events at s = 1 (largest over the yields)
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
