"""Eqs. M1-M3 of :mod:`.model` minimised for many problems and sign patterns at once, with the structure of the model.

Parameters x = (phi, n_BRN, n_NIN, |t_1|, |t_2|, |t_3|, s_1 ... s_9) in one sign pattern of t. Two properties make
each Newton step cheap:

- the anti-coincident window holds the steady state alone, mu^AC_ij = s_i A_i e_j with sum_j e_j = 1 and A_i the
  AC events of PE bin i, so its deviance is 2 A_i (s_i - ln s_i) plus a constant (F1): no AC bin is needed;
- s_i scales the bins of PE row i only, so the Hessian is an arrow: a dense block of the six other parameters and
  a diagonal in s. The step solves the 6 x 6 Schur complement (F2) by a Cholesky factorisation vectorised over
  the problems (a non-positive pivot: the exact Hessian is not positive there, and the Gauss-Newton one is used).

The iteration is the projected Newton method with Armijo backtracking of
:func:`astrocevns.datasets.xenonnt2024.likelihood.minimise`, on the same parameters, limits and priors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_DENSE = 6
"""phi, n_BRN, n_NIN and the three |t_s|: the dense block of the Hessian."""
MAX_ITERATIONS, HALVINGS = 100, 50
KEEP = 1e-3
"""A Newton step is shortened to keep at least this fraction of a positive phi or s_i: at phi = 0 the shape
parameters have no gradient, and a step that clipped phi to zero could stop there short of a minimum at small
phi; D is infinite at s_i = 0 (F1)."""


@dataclass(frozen=True)
class Shared:
    """What does not depend on the problem, in the coincident bins with events (n_ev of them).

    observed (n_ev,); row (n_ev,) the PE bin of each; steady (n_ev,) A_i e_j of each (its steady state at s = 1);
    ac_events (n_pe,) A_i; neutrons (2, n_ev) and neutron_totals (2,): the BRN and NIN templates; constant: the
    terms of the deviance without parameters (F1 and the saturated sum n ln n - n over the C and AC bins).
    """

    observed: np.ndarray
    row: np.ndarray
    steady: np.ndarray
    ac_events: np.ndarray
    neutrons: np.ndarray
    neutron_totals: np.ndarray
    constant: float

    indicator: np.ndarray
    """(n_ev, n_pe): 1 where a bin lies in a PE row."""


@dataclass
class Problems:
    """Per-problem inputs: the CEvNS nominal template (Q, n_ev) and its total (Q,), the shape differences of the
    problem's sign pattern (Q, 3, n_ev) and totals (Q, 3); the priors and limits (Q, K): nominal, precision
    (1 / width^2, zero without prior), lower, upper."""

    base: np.ndarray
    base_total: np.ndarray
    delta: np.ndarray
    delta_total: np.ndarray
    nominal: np.ndarray
    precision: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def take(self, rows: np.ndarray) -> Problems:
        return Problems(*(a[rows] for a in vars(self).values()))


def _expectation(shared: Shared, p: Problems, x: np.ndarray):
    """(mu (Q, n_ev), the CEvNS template at |t| (Q, n_ev) and its total (Q,))."""
    a = x[:, 3:N_DENSE]
    cevns = p.base + np.einsum("qs,qsb->qb", a, p.delta)
    cevns_total = p.base_total + np.einsum("qs,qs->q", a, p.delta_total)
    mu = x[:, :1] * cevns + x[:, 1:3] @ shared.neutrons + x[:, N_DENSE:][:, shared.row] * shared.steady
    return mu, cevns, cevns_total


def deviance(shared: Shared, p: Problems, x: np.ndarray) -> np.ndarray:
    """D of eqs. M1-M3 (with F1) at x, per problem (infinite where an observed bin has no expectation)."""
    mu, _, cevns_total = _expectation(shared, p, x)
    s = x[:, N_DENSE:]
    total = x[:, 0] * cevns_total + x[:, 1:3] @ shared.neutron_totals + 2.0 * s @ shared.ac_events
    with np.errstate(divide="ignore", invalid="ignore"):
        log = np.log(mu) @ shared.observed + np.log(s) @ shared.ac_events
    value = 2.0 * (total - log) + shared.constant + np.sum((x - p.nominal) ** 2 * p.precision, axis=1)
    return np.where(np.isnan(value), np.inf, value)


def shape_gradient(shared: Shared, p: Problems, x: np.ndarray) -> np.ndarray:
    """dD / d|t_s| at x (Q, 3) in the sign pattern of the problems."""
    mu, _, _ = _expectation(shared, p, x)
    w = shared.observed / mu
    data = p.delta_total - np.matmul(p.delta, w[:, :, None])[..., 0]
    return 2.0 * x[:, :1] * data + 2.0 * ((x - p.nominal) * p.precision)[:, 3:N_DENSE]


def _derivatives(shared: Shared, p: Problems, x: np.ndarray):
    """Gradient (Q, K), and the arrow Hessian (exact and Gauss-Newton): dense blocks (Q, 6, 6), cross block
    (Q, 6, n_pe), diagonals of the steady block (Q, n_pe)."""
    mu, cevns, cevns_total = _expectation(shared, p, x)
    n, phi, s, Q = shared.observed, x[:, 0], x[:, N_DENSE:], x.shape[0]
    w = n / mu
    v = w / mu
    J = np.empty((Q, N_DENSE, n.size))  # Jacobian of mu in the dense parameters (the order of x)
    J[:, 0], J[:, 1:3], J[:, 3:] = cevns, shared.neutrons, phi[:, None, None] * p.delta
    J_totals = np.concatenate(
        [cevns_total[:, None], np.broadcast_to(shared.neutron_totals, (Q, 2)), phi[:, None] * p.delta_total], axis=1
    )
    rows = shared.indicator
    gradient = np.empty_like(x)
    gradient[:, :N_DENSE] = 2.0 * (J_totals - np.matmul(J, w[:, :, None])[..., 0])
    gradient[:, N_DENSE:] = 2.0 * (2.0 * shared.ac_events - (w * shared.steady) @ rows - shared.ac_events / s)
    gradient += 2.0 * (x - p.nominal) * p.precision
    dense = 2.0 * np.matmul(J * v[:, None], np.swapaxes(J, 1, 2))
    cross = 2.0 * ((J * (v * shared.steady)[:, None]).reshape(-1, n.size) @ rows).reshape(Q, N_DENSE, -1)
    steady_gn = 2.0 * (v * shared.steady**2) @ rows + 2.0 * p.precision[:, N_DENSE:]
    steady = steady_gn + 2.0 * shared.ac_events / s**2
    index = np.arange(N_DENSE)
    dense[:, index, index] += 2.0 * p.precision[:, :N_DENSE]
    second = 2.0 * (p.delta_total - np.matmul(p.delta, w[:, :, None])[..., 0])  # d^2 D / d phi d|t_s|
    exact = dense.copy()
    exact[:, 0, 3:] += second
    exact[:, 3:, 0] += second
    return gradient, (exact, cross, steady), (dense, cross, steady_gn)


def _cholesky_solve(matrix: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve matrix y = rhs for symmetric (Q, k, k) matrices by a Cholesky factorisation vectorised over Q;
    also whether each was positive definite (its y is meaningless if not)."""
    L = matrix.copy()
    k = L.shape[1]
    ok = np.ones(L.shape[0], dtype=bool)
    for j in range(k):
        pivot = L[:, j, j] - np.einsum("qi,qi->q", L[:, j, :j], L[:, j, :j])
        ok &= pivot > 0.0
        root = np.sqrt(np.where(pivot > 0.0, pivot, 1.0))
        L[:, j, j] = root
        below = L[:, j + 1 :, j] - np.einsum("qri,qi->qr", L[:, j + 1 :, :j], L[:, j, :j])
        L[:, j + 1 :, j] = below / root[:, None]
    y = rhs.copy()
    for j in range(k):
        y[:, j] = (y[:, j] - np.einsum("qi,qi->q", L[:, j, :j], y[:, :j])) / L[:, j, j]
    for j in reversed(range(k)):
        y[:, j] = (y[:, j] - np.einsum("qi,qi->q", L[:, j + 1 :, j], y[:, j + 1 :])) / L[:, j, j]
    return y, ok


def _arrow_step(gradient, hessian, free):
    """-H^-1 g on the free parameters of an arrow Hessian (F2), with unit diagonal scaling; and whether the
    dense Schur complement was positive definite."""
    dense, cross, steady = hessian
    with np.errstate(all="ignore"):  # a non-finite step (overflowing templates) fails the positivity check
        return _arrow_solve(gradient, dense, cross, steady, free)


def _arrow_solve(gradient, dense, cross, steady, free):
    g = np.where(free, gradient, 0.0)
    fd, fs = free[:, :N_DENSE], free[:, N_DENSE:]
    eye = np.eye(N_DENSE)
    dense = np.where(fd[:, :, None] & fd[:, None, :], dense, eye)
    cross = np.where(fd[:, :, None] & fs[:, None, :], cross, 0.0)
    steady = np.where(fs, steady, 1.0)
    scale = 1.0 / np.sqrt(np.maximum(np.abs(np.diagonal(dense, axis1=1, axis2=2)), 1e-300))
    scaled_cross = cross / steady[:, None, :]
    schur = dense - scaled_cross @ np.swapaxes(cross, 1, 2)
    rhs = g[:, :N_DENSE] - np.einsum("qkl,ql->qk", scaled_cross, g[:, N_DENSE:])
    scaled = schur * scale[:, :, None] * scale[:, None, :] + 1e-12 * eye
    y, ok = _cholesky_solve(scaled, -rhs * scale)
    step_dense = y * scale
    step_steady = -(g[:, N_DENSE:] + np.einsum("qkl,qk->ql", cross, step_dense)) / steady
    step = np.where(free, np.concatenate([step_dense, step_steady], axis=1), 0.0)
    return step, ok & np.all(np.isfinite(step), axis=1)


def minimise(
    shared: Shared,
    problems: Problems,
    start: np.ndarray,
    give_up_above: np.ndarray | None = None,
    tolerance: float = 1e-9,
) -> tuple[np.ndarray, np.ndarray]:
    """(D, x) at the minimum within the limits of every problem, from ``start`` (Q, K).

    ``give_up_above`` (Q,): stop a problem once D less the decrease its Newton step predicts exceeds this while
    that decrease is below 0.9 (where D is close to quadratic, as in
    :func:`astrocevns.datasets.xenonnt2024.likelihood.minimise`); it returns its last D, above its minimum.
    """
    lower, upper = problems.lower, problems.upper
    positive = np.r_[0, N_DENSE : start.shape[1]]  # phi and the s_i
    x = np.clip(start, lower, upper)
    value = deviance(shared, problems, x)
    active = np.arange(x.shape[0])
    p = problems
    for _ in range(MAX_ITERATIONS):
        xa, lo, hi, current = x[active], lower[active], upper[active], value[active]
        gradient, exact, gauss_newton = _derivatives(shared, p, xa)
        free = ~((xa <= lo) & (gradient > 0.0) | (xa >= hi) & (gradient < 0.0) | (lo == hi))
        step, ok = _arrow_step(gradient, exact, free)
        g = np.where(free, gradient, 0.0)
        redo = ~ok | (np.sum(g * step, axis=1) >= 0.0)
        if redo.any():
            fallback, _ = _arrow_step(gradient[redo], tuple(h[redo] for h in gauss_newton), free[redo])
            step[redo] = fallback
        decrease = np.maximum(-np.sum(g * step, axis=1), 0.0)
        alpha = np.ones(active.size)
        kept = xa[:, positive]
        with np.errstate(divide="ignore", invalid="ignore"):  # a positive phi or s_i stays positive
            room = np.where((step[:, positive] < 0.0) & (kept > 0.0), (KEEP - 1.0) * kept / step[:, positive], 1.0)
        step *= np.minimum(room.min(axis=1), 1.0)[:, None]
        decrease = np.maximum(-np.sum(g * step, axis=1), 0.0)
        trial = np.clip(xa + step, lo, hi)
        trial_value = deviance(shared, p, trial)
        slack = 1e-13 * np.abs(current)
        for _ in range(HALVINGS):
            bad = (trial_value > current - 1e-4 * alpha * decrease + slack) & (decrease > tolerance)
            if not bad.any():
                break
            alpha[bad] *= 0.5
            trial[bad] = np.clip(xa[bad] + alpha[bad, None] * step[bad], lo[bad], hi[bad])
            trial_value[bad] = deviance(shared, p.take(np.flatnonzero(bad)), trial[bad])
        accepted = trial_value <= current + slack
        x[active[accepted]] = trial[accepted]
        value[active[accepted]] = trial_value[accepted]
        going = accepted & (decrease > tolerance)
        if give_up_above is not None:
            going &= ~((decrease < 0.9) & (current - decrease > give_up_above[active]))
        if not going.any():
            break
        active = active[going]
        p = p.take(np.flatnonzero(going))
    return value, x
