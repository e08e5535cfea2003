"""The XENONnT 2024 test statistic for light mediators, and the spin-independent WIMP limit that validates it.

A light mediator changes the solar CEvNS rate only. Its binned spectrum is a polynomial in g^2
(astrocevns.rates): dR/dE_r = a(E) + b(E; m) g^2 + c(E; m) g^4, so by eq. R1 its template is the
same polynomial of the templates of a, b and c at every yield point, and the whole (g, m) plane
costs three templates per mass. At each (g, m) the CEvNS template replaces the release's b8
template in eq. M1 (:mod:`.model`), and

    q(g, m) = D(g, m) - min_{g', m'} D(g', m'),                                                       (Q1)

the profile-likelihood ratio against the best fit, with D the profiled -2 ln L. The best fit is
searched on the grid and at g = 0 (the Standard Model, the same at every mass).
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


def test_statistic_grid(model: ReleaseModel, templates: CouplingTemplates, couplings: npt.ArrayLike,
                        mass_index: npt.ArrayLike, refined_masses: int = 5,
                        iterations: int = 30) -> tuple[np.ndarray, float, float]:
    """q(g, m) of eq. Q1 on the grid ``couplings`` x the masses ``mass_index`` of ``templates``.

    The best fit is the Standard Model or the grid point of least D refined along g: at the
    ``refined_masses`` masses whose grid minimum is lowest, a golden-section search in ln g between the
    neighbours of that minimum (``iterations`` steps) removes the dependence on the spacing in g.
    (For a heavy mediator D depends on g / m only, so this also removes the spacing in m.)

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
    rows = np.argmin(deviance, axis=0)
    columns = np.argsort(deviance[rows, np.arange(mass_index.size)])[:refined_masses]
    log_g = np.log(couplings)
    lo, hi = log_g[np.maximum(rows[columns] - 1, 0)], log_g[np.minimum(rows[columns] + 1, log_g.size - 1)]
    masses = mass_index[columns]

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
    best = min(standard_model, float(deviance.min()), float(np.min(fc)), float(np.min(fd)))
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
