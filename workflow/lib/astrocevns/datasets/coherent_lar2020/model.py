"""The statistical model of Analysis A: a binned Poisson likelihood over the 960 (energy, F90, time) bins.

The expected counts in bin b are

    lambda_b = nu C_b(t_C) + s W_b(t_C) + N_p B_b(t_B) + N_d D_b + N_s S_b,                                  (M1)

with C the CEvNS template of the tested spectrum (events at the Standard-Model flux and mass, :mod:`.response`)
and nu its normalisation: the SNS flux (0.09 +- 0.009 neutrinos per flavour per proton, 10 %) times the fiducial
mass (24.4 +- 0.61 kg, 2.5 %), one Gaussian of mean 1 and width sqrt(0.10^2 + 0.025^2) = 0.103, or with the flux
scale f fixed (a combination of datasets adds the flux prior once), of mean f and width 0.025 f. W is an optional
signal of multiplier s >= 0 (free, or fixed per problem: :func:`astrocevns.datasets.recasting.upper_limit`). B, D and S
are
the release's prompt BRN, delayed BRN and steady-state PDFs normalised to one, N_p, N_d, N_s their events,
Gaussian-constrained as the release gives them (497 +- 160, 33 +- 33, 3154 +- 25; the steady-state PDF sums to
3152). Each template moves with unit-Gaussian shape nuisances t by piecewise-linear morphing between its
variants,

    X(t) = X_0 + sum_j t_j (X_j+ - X_0) for t_j >= 0,  X_0 + sum_j t_j (X_0 - X_j-) for t_j < 0,            (M2)

the CEvNS (and signal) with the F90 (+-1 sigma), the timing mean (one-sided: X_j- = 2 X_0 - X_j+, mirrored),
and the quenching factor's a and b (+-1 sigma each, independent), the prompt BRN with its energy (+-1 sigma),
timing mean (+-1 sigma) and timing width (one-sided, mirrored); the BRN variants are normalised to one like the
nominal PDF (the +1 sigma timing-mean file sums to 523.7, not 497). The deviance

    D = 2 sum_b (lambda_b - n_b + n_b ln(n_b / lambda_b)) + sum_k ((x_k - x_k0) / sigma_k)^2                  (M3)

is profiled over every parameter for many problems at once by a projected Newton method on arrays (exact
Hessian, Gauss-Newton where it is not a descent direction, halved steps where D does not decrease): the
normalisations are bounded at zero, and a two-sided morphing parameter that reaches zero stays there while its
one-sided derivatives bracket zero (the kink of eq. M2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from .response import POINTS

if TYPE_CHECKING:
    from .release import Release
    from .response import Response

SIGNAL = "signal_rate_multiplier"
CEVNS = "cevns_normalisation"
BACKGROUNDS = ("prompt_brn", "delayed_brn", "steady_state")
PRIORS = {
    "prompt_brn": "prompt_brn_prediction",
    "delayed_brn": "delayed_brn_prediction",
    "steady_state": "steady_state_prediction",
}
CEVNS_SHAPES = {
    "cevns_f90": ("cevns_f90_plus", "cevns_f90_minus"),
    "cevns_timing_mean": ("cevns_timing_mean", None),
    "quenching_a": ("quenching_a_plus", "quenching_a_minus"),
    "quenching_b": ("quenching_b_plus", "quenching_b_minus"),
}
BRN_SHAPES = {
    "brn_energy": ("prompt_brn_energy_plus", "prompt_brn_energy_minus"),
    "brn_timing_mean": ("prompt_brn_timing_mean_plus", "prompt_brn_timing_mean_minus"),
    "brn_timing_width": ("prompt_brn_timing_width", None),
}
"""The shape nuisances: (+1 sigma, -1 sigma) variant of each (None: one-sided, mirrored)."""

BLOCK = 128
"""Problems profiled together (about 0.15 kB x 960 bins x 12 parameters each): a block's arrays stay in the
processor's cache; 1024 at a time took 1.5x as long per problem (tests/benchmarks/bench_data_analyses.py)."""

ITERATIONS, HALVINGS, TOLERANCE = 60, 12, 1e-9


class _TemplateSource(Protocol):
    def at(self, *point: int, rows: slice | np.ndarray = ...) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class PointTemplates:
    """A template at every response point: ``at_events`` (..., n_points, n_event_bins) in the bins with events,
    ``total`` (..., n_points) over all bins."""

    at_events: np.ndarray
    total: np.ndarray

    def at(self, *point: int | slice, rows: slice | np.ndarray = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        """(per-bin events, total) at ``point`` (all points if none), of the problems ``rows`` if there is a leading
        problem axis."""
        index = (*point, Ellipsis) if self.total.ndim == 1 else (rows, *point, Ellipsis)
        return self.at_events[index], self.total[index if self.total.ndim == 1 else (rows, *point)]


def _morphing(templates: np.ndarray, shapes: dict, names: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Eq. M2 as X(t) = X_0 + sum_j (t_j m_j + |t_j| h_j): (m, h) = the mean and half difference of X_j+ - X_0
    and X_0 - X_j- for each shape nuisance; templates (..., n_names, n); returns two arrays (..., n_shapes, n)."""
    nominal = templates[..., 0, :]

    def at(name):
        return templates[..., names.index(name), :]

    mean, half = [], []
    for up, down in shapes.values():
        plus = at(up) - nominal
        minus = plus if down is None else nominal - at(down)
        mean.append(0.5 * (plus + minus))
        half.append(0.5 * (plus - minus))
    return np.stack(mean, axis=-2), np.stack(half, axis=-2)


class LArModel:
    """Eq. M1-M3 for a :class:`~astrocevns.datasets.coherent_lar2020.release.Release` and its response."""

    def __init__(self, release: Release, response: Response) -> None:
        self.release = release
        self.response = response
        observed = release.observed.ravel()
        self.event_bins = np.flatnonzero(observed > 0)
        self.observed = observed[self.event_bins]
        self.saturated = 2.0 * np.sum(self.observed * np.log(self.observed) - self.observed)
        pdfs = {name: values.ravel() / values.sum() for name, values in release.pdfs.items()}
        brn_names = ("prompt_brn", *(n for pair in BRN_SHAPES.values() for n in pair if n is not None))
        brn = np.array([pdfs[name] for name in brn_names])
        self.brn = _Morphed.of(brn[:, self.event_bins], brn.sum(axis=-1), BRN_SHAPES, brn_names)
        self.others = [(pdfs[name][self.event_bins], pdfs[name].sum()) for name in ("delayed_brn", "steady_state")]
        mass = release.uncertainty("fiducial_mass_kg") / release.value("fiducial_mass_kg")
        flux = release.uncertainty("neutrinos_per_proton") / release.value("neutrinos_per_proton")
        self.mass_uncertainty, self.cevns_uncertainty = mass, float(np.hypot(mass, flux))
        self.background_priors = [(release.value(PRIORS[n]), release.uncertainty(PRIORS[n])) for n in BACKGROUNDS]
        self.start = None
        _, best = self.profile(self.release_cevns())
        self.start = dict(zip(best["names"], best["theta"][0], strict=True))

    def anchored(self, per_point: npt.ArrayLike) -> PointTemplates:
        """:class:`PointTemplates` of templates at the response points, shape (..., n_points, 960)."""
        per_point = np.asarray(per_point, dtype=float)
        return PointTemplates(per_point[..., self.event_bins], per_point.sum(axis=-1))

    def release_cevns(self) -> PointTemplates:
        """The release's CEvNS PDF at its points; at the quenching points reweighted per energy bin by the
        Standard-Model events of the chain (eq. R1) at that point over those at the nominal one."""
        events = self.response.standard_model_events.sum(axis=1)
        ratio = np.divide(events, events[0], out=np.zeros_like(events), where=events[0] > 0)
        pdfs = [
            self.release.pdfs[p if p in self.release.pdfs else "cevns"] * r[:, None, None]
            for p, r in zip(POINTS, ratio, strict=True)
        ]
        return self.anchored(np.array(pdfs).reshape(len(POINTS), -1))

    def parameter_names(self, with_signal: bool) -> list[str]:
        return [CEVNS, *([SIGNAL] if with_signal else []), *BACKGROUNDS, *CEVNS_SHAPES, *BRN_SHAPES]

    def profile(
        self,
        cevns: _TemplateSource,
        signal: _TemplateSource | None = None,
        signal_multiplier: npt.ArrayLike | None = None,
        flux_scale: npt.ArrayLike | None = None,
    ) -> tuple[np.ndarray, dict]:
        """D of eq. M3 profiled over every nuisance parameter, for many problems at once.

        Parameters
        ----------
        cevns : object with a method ``at(*point, rows=...)``
            (per-bin events (P, n_points, n_event_bins) or shared, total) of the CEvNS template at every
            response point (e.g. :class:`PointTemplates`, or a spectrum that depends on (g, m)).
        signal : the same, optional
            A signal template at unit multiplier, morphed like the CEvNS.
        signal_multiplier : ndarray, shape (P,), optional
            Fixed signal multipliers; None: fitted (>= 0).
        flux_scale : ndarray, shape (P,), optional
            Fixed SNS flux scale of each problem (> 0): the flux prior is left out, the fiducial mass's kept.

        Returns
        -------
        deviance : ndarray, shape (P,)
        best : dict
            ``names`` and ``theta`` (P, K) where the minimum is reached.
        """
        names = self.parameter_names(signal is not None)
        n_problems = _problems(cevns, signal, signal_multiplier, flux_scale)
        if flux_scale is None:
            nu0, nu_width = np.ones(n_problems), np.full(n_problems, self.cevns_uncertainty)
        else:
            nu0 = np.broadcast_to(np.asarray(flux_scale, dtype=float), (n_problems,))
            if np.any(nu0 <= 0):
                raise ValueError("flux_scale must be positive")
            nu_width = nu0 * self.mass_uncertainty
        multipliers = (
            None
            if signal_multiplier is None
            else np.broadcast_to(np.asarray(signal_multiplier, dtype=float), (n_problems,))
        )
        deviance, theta = np.empty(n_problems), np.empty((n_problems, len(names)))
        for start in range(0, n_problems, BLOCK):
            rows = np.arange(start, min(start + BLOCK, n_problems))
            problem = _Problem(
                self,
                names,
                cevns,
                signal,
                rows,
                nu0[rows],
                nu_width[rows],
                None if multipliers is None else multipliers[rows],
            )
            deviance[rows], theta[rows] = problem.solve()
        return deviance, {"names": names, "theta": theta}


def _problems(cevns, signal, signal_multiplier, flux_scale) -> int:
    """The number of problems: of the templates' leading axis, or of the fixed multipliers or flux scales."""
    sizes = [np.size(x) for x in (signal_multiplier, flux_scale) if x is not None]
    for source in (cevns, signal):
        if source is not None:
            total = source.at(0)[1]
            sizes.append(total.shape[0] if np.ndim(total) == 1 else 1)
    return max(sizes)


def _rows(source, rows, n_points, n_events):
    """(at_events (R, n_points, n_event_bins), total (R, n_points)) of ``source`` for ``rows``."""
    at_events, total = source.at(rows=rows)
    return (np.broadcast_to(at_events, (rows.size, n_points, n_events)), np.broadcast_to(total, (rows.size, n_points)))


def _slope_sum(vector: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """sum_b v_(r)jb w_rb for slopes per problem (R, n_shapes, n_ev) or shared (n_shapes, n_ev)."""
    return weight @ vector.T if vector.ndim == 2 else np.einsum("rjb,rb->rj", vector, weight)


@dataclass(frozen=True)
class _Morphed:
    """A morphed template in the event bins and over all bins: nominal, and (m, h) of :func:`_morphing`."""

    nominal: np.ndarray
    mean: np.ndarray
    half: np.ndarray
    nominal_total: np.ndarray
    mean_total: np.ndarray
    half_total: np.ndarray

    @classmethod
    def of(cls, at_events, total, shapes, names):
        mean, half = _morphing(at_events, shapes, names)
        mean_total, half_total = _morphing(total[..., None], shapes, names)
        return cls(at_events[..., 0, :], mean, half, total[..., 0], mean_total[..., 0], half_total[..., 0])

    def value(self, t):
        """(X(t) in the event bins (R, n_ev), its total (R,)) at shape parameters t (R, n_shapes)."""
        a = np.abs(t)
        if self.nominal.ndim == 1:  # shared by the problems
            return (
                self.nominal + t @ self.mean + a @ self.half,
                self.nominal_total + t @ self.mean_total + a @ self.half_total,
            )
        return (
            self.nominal + np.einsum("rj,rjb->rb", t, self.mean) + np.einsum("rj,rjb->rb", a, self.half),
            self.nominal_total + np.sum(t * self.mean_total + a * self.half_total, axis=1),
        )

    def slope(self, sign):
        """(dX/dt_j in the event bins (R, n_shapes, n_ev), totals (R, n_shapes)) on the side ``sign`` (+-1) of t."""
        return (self.mean + sign[:, :, None] * self.half, self.mean_total + sign * self.half_total)


class _Problem:
    """A block of problems of eq. M3 and their projected Newton minimisation.

    Parameters x: the CEvNS normalisation, the signal multiplier (if any), N_p, N_d, N_s, the CEvNS shape
    parameters, the BRN shape parameters.
    """

    def __init__(self, model, names, cevns, signal, rows, nu0, nu_width, multipliers):
        self.model, self.names = model, names
        n_ev, n_points = model.event_bins.size, len(POINTS)
        self.sources = [
            _Morphed.of(*_rows(source, rows, n_points, n_ev), CEVNS_SHAPES, POINTS)
            for source in (cevns, signal)
            if source is not None
        ]
        self.n_sources = len(self.sources)
        self.background = self.n_sources  # index of N_p; N_d, N_s follow
        self.cevns_shapes = slice(
            self.n_sources + len(BACKGROUNDS), self.n_sources + len(BACKGROUNDS) + len(CEVNS_SHAPES)
        )
        self.brn_shapes = slice(self.cevns_shapes.stop, len(names))
        self.shapes = slice(self.cevns_shapes.start, len(names))
        self.two_sided = np.array([down is not None for down in (*CEVNS_SHAPES.values(), *BRN_SHAPES.values())])
        K, R = len(names), rows.size
        self.center = np.zeros((R, K))
        self.width = np.full((R, K), np.inf)
        self.center[:, 0], self.width[:, 0] = nu0, nu_width
        for j, (mean, sigma) in enumerate(model.background_priors):
            self.center[:, self.background + j], self.width[:, self.background + j] = mean, sigma
        self.width[:, self.shapes] = 1.0
        self.inverse_width2 = np.where(np.isfinite(self.width), 1.0 / self.width**2, 0.0)
        self.fixed = np.zeros((R, K), dtype=bool)
        self.lower_bounded = np.zeros(K, dtype=bool)
        self.lower_bounded[: self.shapes.start] = True
        start = np.array(
            [model.start.get(n, c) if model.start else c for n, c in zip(names, self.center[0], strict=True)]
        )
        self.x = np.tile(start, (R, 1))
        self.x[:, 0] = nu0
        if signal is not None:
            self.x[:, 1] = 1.0 if multipliers is None else multipliers
            self.fixed[:, 1] = multipliers is not None

    def _lambda(self, x, sources):
        """(lambda in the event bins (R, n_ev), its total (R,), the sources' and the BRN's morphed values)."""
        m = self.model
        values = [source.value(x[:, self.cevns_shapes]) for source in sources]
        brn = m.brn.value(x[:, self.brn_shapes])
        lam = sum(x[:, s, None] * v for s, (v, _) in enumerate(values)) + x[:, self.background, None] * brn[0]
        tot = sum(x[:, s] * v for s, (_, v) in enumerate(values)) + x[:, self.background] * brn[1]
        for j, (vector, total) in enumerate(m.others):
            lam = lam + x[:, self.background + 1 + j, None] * vector
            tot = tot + x[:, self.background + 1 + j] * total
        return lam, tot, values, brn

    def deviance(self, x, rows, sources):
        """D of eq. M3 at ``x`` of the problems ``rows`` of the block (``sources``: their templates)."""
        lam, tot, _, _ = self._lambda(x, sources)
        with np.errstate(divide="ignore", invalid="ignore"):
            log = np.where(lam > 0, np.log(np.where(lam > 0, lam, 1.0)), -np.inf)
        center, width = self.center[rows], self.width[rows]
        prior = np.sum(np.where(np.isfinite(width), ((x - center) / width) ** 2, 0.0), axis=1)
        return 2.0 * tot - 2.0 * log @ self.model.observed + self.model.saturated + prior

    def _derivatives(self, x, rows, sources):
        """Gradient, exact and Gauss-Newton Hessians of D at ``x`` and the free parameters there.

        A two-sided shape parameter at zero moves to the side where D decreases, or stays (not free) if it
        increases on both.
        """
        m, n = self.model, self.model.observed
        R, K = x.shape
        lam, tot, values, brn = self._lambda(x, sources)
        lam = np.maximum(lam, 1e-300)
        weight = n / lam
        center, inverse_width2 = self.center[rows], self.inverse_width2[rows]
        t = x[:, self.shapes]
        # one-sided gradients of the shape parameters: g = G_mean + sign G_half
        slopes_mean = [(s.mean, s.mean_total) for s in sources] + [(m.brn.mean, m.brn.mean_total)]
        slopes_half = [(s.half, s.half_total) for s in sources] + [(m.brn.half, m.brn.half_total)]
        scales = [x[:, k] for k in range(self.n_sources)]

        def shape_gradient(slopes):
            out = np.zeros((R, t.shape[1]))
            for scale, (vector, total) in zip(scales, slopes[:-1], strict=True):
                out[:, : len(CEVNS_SHAPES)] += scale[:, None] * (total - _slope_sum(vector, weight))
            vector, total = slopes[-1]
            out[:, len(CEVNS_SHAPES) :] += x[:, self.background, None] * (total - _slope_sum(vector, weight))
            return 2.0 * out

        g_mean, g_half = shape_gradient(slopes_mean), shape_gradient(slopes_half)
        at_kink = self.two_sided & (t == 0)
        g_plus, g_minus = g_mean + g_half, g_mean - g_half
        stuck = at_kink & (g_plus >= 0) & (g_minus <= 0)
        sign = np.where(t != 0, np.sign(t), np.where(at_kink & (g_plus >= 0), -1.0, 1.0))
        J = np.zeros((R, K, lam.shape[1]))
        Jt = np.zeros((R, K))
        cross = []  # (k, l, vector, total) of the non-zero second derivatives of lambda
        for s, (source, (value, total)) in enumerate(zip(sources, values, strict=True)):
            J[:, s], Jt[:, s] = value, total
            vector, totals = source.slope(sign[:, : len(CEVNS_SHAPES)])
            J[:, self.cevns_shapes] += x[:, s, None, None] * vector
            Jt[:, self.cevns_shapes] += x[:, s, None] * totals
            cross += [(s, self.cevns_shapes.start + j, vector[:, j], totals[:, j]) for j in range(len(CEVNS_SHAPES))]
        J[:, self.background], Jt[:, self.background] = brn
        vector, totals = m.brn.slope(sign[:, len(CEVNS_SHAPES) :])
        J[:, self.brn_shapes] = x[:, self.background, None, None] * vector
        Jt[:, self.brn_shapes] = x[:, self.background, None] * totals
        cross += [
            (self.background, self.brn_shapes.start + j, vector[:, j], totals[:, j]) for j in range(len(BRN_SHAPES))
        ]
        for j, (vector, total) in enumerate(m.others):
            J[:, self.background + 1 + j], Jt[:, self.background + 1 + j] = vector, total
        gradient = 2.0 * (Jt - np.einsum("rkb,rb->rk", J, weight)) + 2.0 * (x - center) * inverse_width2
        gauss_newton = 2.0 * np.matmul(J * (weight / lam)[:, None, :], np.swapaxes(J, 1, 2))
        diagonal = np.arange(K)
        gauss_newton[:, diagonal, diagonal] += 2.0 * inverse_width2
        hessian = gauss_newton.copy()
        for a, b, vector, total in cross:
            term = 2.0 * (total - np.einsum("rb,rb->r", vector, weight))
            hessian[:, a, b] += term
            hessian[:, b, a] += term
        at_bound = self.lower_bounded & (x <= 0) & (gradient > 0)
        free = ~self.fixed[rows] & ~at_bound
        free[:, self.shapes] &= ~stuck
        return gradient, hessian, gauss_newton, free

    @staticmethod
    def _step(gradient, hessian, gauss_newton, free):
        """The Newton step on the free parameters (exact Hessian; Gauss-Newton where that does not descend)."""
        eye = np.eye(gradient.shape[1])[None]
        g = np.where(free, gradient, 0.0)
        mask = free[:, :, None] & free[:, None, :]
        steps = []
        for matrix in (hessian, gauss_newton):
            with np.errstate(all="ignore"):
                try:
                    steps.append(-np.linalg.solve(np.where(mask, matrix, eye), g[..., None])[..., 0])
                except np.linalg.LinAlgError:
                    steps.append(np.full_like(g, np.nan))
        exact, fallback = steps
        descends = np.all(np.isfinite(exact), axis=1) & (np.einsum("rk,rk->r", exact, g) < 0)
        return np.where(descends[:, None], exact, fallback)

    def _project(self, x_old, x_new):
        """Normalisations clipped at zero; a two-sided shape parameter that changes sign stops at zero."""
        x_new = np.where(self.lower_bounded & (x_new < 0), 0.0, x_new)
        crossing = self.two_sided & (x_old[:, self.shapes] * x_new[:, self.shapes] < 0)
        x_new[:, self.shapes] = np.where(crossing, 0.0, x_new[:, self.shapes])
        return x_new

    def solve(self):
        """(D, x) at the minimum of every problem of the block."""
        x = self.x.copy()
        active = np.arange(x.shape[0])
        sources = self.sources
        value = self.deviance(x, active, sources)
        for _ in range(ITERATIONS):
            xa = x[active]
            gradient, hessian, gauss_newton, free = self._derivatives(xa, active, sources)
            step = self._step(gradient, hessian, gauss_newton, free)
            predicted = -0.5 * np.einsum("rk,rk->r", np.where(free, gradient, 0.0), step)
            best = value[active].copy()
            trial_x, scale = xa.copy(), np.ones(active.size)
            pending = np.flatnonzero(predicted >= TOLERANCE)
            decrease = np.zeros(active.size)
            for _ in range(HALVINGS):
                if pending.size == 0:
                    break
                trial = self._project(xa[pending], xa[pending] + scale[pending, None] * step[pending])
                trial_value = self.deviance(trial, active[pending], [_subset(s, pending) for s in sources])
                better = trial_value <= best[pending]
                accepted = pending[better]
                trial_x[accepted], decrease[accepted] = trial[better], best[accepted] - trial_value[better]
                best[accepted] = trial_value[better]
                pending = pending[~better]
                scale[pending] *= 0.5
            x[active], value[active] = trial_x, best
            keep = decrease >= TOLERANCE
            keep[pending] = False
            if not keep.any():
                break
            active = active[keep]
            sources = [_subset(s, np.flatnonzero(keep)) for s in sources]
        return value, x


def _subset(source: _Morphed, rows: np.ndarray) -> _Morphed:
    """The templates of the problems ``rows`` of a block."""
    return _Morphed(*(a[rows] for a in vars(source).values()))
