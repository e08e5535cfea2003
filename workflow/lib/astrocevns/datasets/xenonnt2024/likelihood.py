"""Profile likelihood of binned Poisson counts whose expectation is a sum of scaled templates.

The expectation in bin j is mu_j = sum_c (prod_{p in c} theta_p) T_cj: every component c is a
template T_c times the product of its multipliers (e.g. the 8B CEvNS template times a signal
efficiency times a rate multiplier). With Gaussian constraints on the multipliers,

    D(theta) = 2 sum_j [mu_j - n_j + n_j ln(n_j / mu_j)] + sum_p ((theta_p - nominal_p) / width_p)^2    (L1)

is -2 ln L up to a constant (the Poisson deviance plus the constraints; D >= 0). Only bins with
events need mu_j itself: the others enter through the component totals sum_j T_cj, so a component
is given by its values in the bins with events and its total. The counts may differ between the problems
(pseudo-experiments: one problem per toy, a bin with events in any toy counted in all of them, its zeros
contributing nothing to the sum over n_j ln(n_j / mu_j)).

:func:`minimise` minimises L1 over theta inside box limits for many problems at once (a leading
axis P of the templates: one problem per (g, m) grid point, say) by projected Newton steps with a
backtracking line search, without a Python loop over the problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Component:
    """A template scaled by the product of the parameters ``multipliers`` (indices into theta).

    ``at_events`` holds its expected events in the bins with events, shape (n_event_bins,) when
    shared by all problems or (P, n_event_bins) per problem; ``total`` its events summed over every
    bin, shape () or (P,).
    """

    multipliers: tuple
    at_events: np.ndarray
    total: np.ndarray


@dataclass(frozen=True)
class Parameters:
    """Gaussian constraints and fit limits of the parameters, each of shape (K,) or (P, K).

    ``width`` is infinite for an unconstrained parameter; ``lower == upper`` fixes a parameter.
    """

    nominal: np.ndarray
    width: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def take(self, rows: slice | np.ndarray) -> Parameters:
        """The parameters of the problems ``rows`` (constraints shared by all problems stay as they are)."""
        return Parameters(*(a[rows] if a.ndim == 2 else a for a in (self.nominal, self.width, self.lower, self.upper)))

    def fixed(self, k: int, values: npt.ArrayLike) -> Parameters:
        """These parameters with parameter k fixed to ``values`` (one per problem)."""
        values = np.asarray(values, dtype=float)
        arrays = [
            np.array(np.broadcast_to(a, (values.size, a.shape[-1])))
            for a in (self.nominal, self.width, self.lower, self.upper)
        ]
        for array in (arrays[0], arrays[2], arrays[3]):
            array[:, k] = values
        arrays[1][:, k] = np.inf
        return Parameters(*arrays)


class _Terms:
    """The components of a set of problems, the per-problem ones first and the shared ones as one matrix
    (so that sums over the bins with events of the shared templates are matrix products)."""

    def __init__(self, components: Sequence[Component], observed: np.ndarray) -> None:
        self.observed = observed
        self.batched = [c for c in components if np.ndim(c.at_events) == 2]
        shared = [c for c in components if np.ndim(c.at_events) == 1]
        self.components = self.batched + shared
        self.shared_at_events = np.array([c.at_events for c in shared], dtype=float).reshape(len(shared), -1)
        self.shared_total = np.array([c.total for c in shared], dtype=float)
        S = self.shared_at_events
        self.shared_products = (S[:, None, :] * S[None, :, :]).reshape(-1, S.shape[1])

    def take(self, rows: slice | np.ndarray) -> _Terms:
        """The terms of the problems ``rows``."""
        taken = [Component(c.multipliers, c.at_events[rows], c.total[rows]) for c in self.batched]
        observed = self.observed[rows] if self.observed.ndim == 2 else self.observed
        return _Terms(taken + self.components[len(self.batched) :], observed)

    def coefficients(self, theta: np.ndarray) -> np.ndarray:
        """prod_{p in c} theta_p for every component, shape (P, C)."""
        columns = []
        for c in self.components:
            product = theta[:, c.multipliers[0]]
            for p in c.multipliers[1:]:
                product = product * theta[:, p]
            columns.append(product)
        return np.stack(columns, axis=1)

    def expectation(self, coefficients: np.ndarray) -> np.ndarray:
        """mu in the bins with events, shape (P, n_event_bins)."""
        nb = len(self.batched)
        mu = coefficients[:, nb:] @ self.shared_at_events
        for i, c in enumerate(self.batched):
            mu += coefficients[:, i, None] * c.at_events
        return mu

    def totals(self, coefficients: np.ndarray) -> np.ndarray:
        """sum_c coefficient_c x total_c, shape (P,)."""
        nb = len(self.batched)
        result = coefficients[:, nb:] @ self.shared_total
        for i, c in enumerate(self.batched):
            result = result + coefficients[:, i] * c.total
        return result

    def projections(self, weights: np.ndarray) -> np.ndarray:
        """total_c - sum_j weights_j T_cj for every component, shape (P, C)."""
        nb = len(self.batched)
        out = np.empty((weights.shape[0], len(self.components)))
        out[:, nb:] = self.shared_total - weights @ self.shared_at_events.T
        for i, c in enumerate(self.batched):
            out[:, i] = c.total - np.sum(weights * c.at_events, axis=1)
        return out

    def curvature(self, weights: np.ndarray) -> np.ndarray:
        """V_cd = sum_j weights_j T_cj T_dj, shape (P, C, C)."""
        P, nb, C = weights.shape[0], len(self.batched), len(self.components)
        V = np.empty((P, C, C))
        V[:, nb:, nb:] = (weights @ self.shared_products.T).reshape(P, C - nb, C - nb)
        for i, c in enumerate(self.batched):
            weighted = weights * c.at_events
            V[:, i, nb:] = V[:, nb:, i] = weighted @ self.shared_at_events.T
            for j in range(i, nb):
                V[:, i, j] = V[:, j, i] = np.sum(weighted * self.batched[j].at_events, axis=1)
        return V


def _deviance(terms, theta, parameters):
    """L1 for every problem (infinite where an observed bin has no expectation), the components'
    coefficients and mu."""
    coefficients = terms.coefficients(theta)
    mu = terms.expectation(coefficients)
    n = terms.observed
    with np.errstate(divide="ignore", invalid="ignore"):
        log_terms = np.where(n > 0.0, n * np.log(n / mu), 0.0)
    log_terms[(n > 0.0) & ~(mu > 0.0)] = np.inf
    poisson = 2.0 * (terms.totals(coefficients) - n.sum(axis=-1) + log_terms.sum(axis=1))
    pulls = (theta - parameters.nominal) / parameters.width  # 0 where the width is infinite
    return poisson + np.sum(pulls**2, axis=1), coefficients, mu


def _derivatives(terms, theta, parameters, coefficients, mu):
    """Gradient (P, K), Newton Hessian and its Gauss-Newton part (P, K, K) of L1."""
    n_problems, K = theta.shape
    n = terms.observed
    ratio = np.divide(n, mu, out=np.zeros(mu.shape), where=n > 0.0)
    u = terms.projections(ratio)  # d(D/2) / d coefficient_c
    V = terms.curvature(ratio / mu)
    jacobian = np.zeros((n_problems, len(terms.components), K))  # d coefficient_c / d theta_p
    second = np.zeros((n_problems, K, K))  # sum_c u_c d^2 coefficient_c / d theta_p d theta_q
    for c, component in enumerate(terms.components):
        for p in component.multipliers:
            others = [q for q in component.multipliers if q != p]
            jacobian[:, c, p] = np.prod(theta[:, others], axis=1)
            for q in others:
                rest = [r for r in component.multipliers if r not in (p, q)]
                second[:, p, q] += u[:, c] * np.prod(theta[:, rest], axis=1)
    precision = 1.0 / parameters.width**2
    gradient = 2.0 * (np.sum(jacobian * u[:, :, None], axis=1) + (theta - parameters.nominal) * precision)
    gauss_newton = 2.0 * np.swapaxes(jacobian, 1, 2) @ (V @ jacobian)
    gauss_newton += 2.0 * np.eye(K) * np.broadcast_to(precision, theta.shape)[:, None, :]
    return gradient, gauss_newton + 2.0 * second, gauss_newton


def _newton_step(gradient, hessian, gauss_newton, free):
    """Projected Newton step on the free parameters; the Gauss-Newton step where Newton's is not downhill."""
    both = free[:, :, None] & free[:, None, :]
    eye = np.eye(gradient.shape[1])
    g = np.where(free, gradient, 0.0)

    def solve(matrix: np.ndarray, rows: slice | np.ndarray) -> np.ndarray:
        """The step of ``matrix`` restricted to the free parameters, solved with unit diagonal (the
        curvatures of the parameters differ by many orders of magnitude) and a tiny ridge."""
        restricted = np.where(both[rows], matrix[rows], eye)
        scale = 1.0 / np.sqrt(np.maximum(np.abs(np.diagonal(restricted, axis1=1, axis2=2)), 1e-300))
        scaled = restricted * scale[:, :, None] * scale[:, None, :] + 1e-12 * eye
        return scale * np.linalg.solve(scaled, -(g[rows] * scale)[..., None])[..., 0]

    step = solve(hessian, slice(None))
    uphill = np.sum(g * step, axis=1) >= 0.0
    if uphill.any():
        step[uphill] = solve(gauss_newton, uphill)
    return np.where(free, step, 0.0)


def minimise(
    observed: npt.ArrayLike,
    components: Sequence[Component],
    parameters: Parameters,
    start: npt.ArrayLike | None = None,
    give_up_above: np.ndarray | None = None,
    tolerance: float = 1e-9,
    max_iterations: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise L1 over theta within [lower, upper] for every problem.

    Parameters
    ----------
    observed : ndarray, shape (n_event_bins,) or (P, n_event_bins)
        Counts of the bins with events (every other bin has none), shared by the problems or per problem.
    components : sequence of Component
    parameters : Parameters
    start : ndarray, shape (P, K), optional
        Starting point (default: the nominal values, clipped to the limits).
    give_up_above : ndarray, shape (P,), optional
        Stop iterating a problem once its minimum is known to lie above this value: when D, less the
        decrease its Newton step predicts, exceeds it while that decrease is below 0.9. For a
        self-concordant D (the Poisson deviance of templates with linear multipliers is) D - D_min
        is then at most the predicted decrease (Boyd & Vandenberghe, Convex Optimization, sec. 9.6).
        Such a problem returns its last D, an upper bound of its minimum, itself above the value.
    tolerance : float
        Stop a problem when the decrease of D predicted by its Newton step is below this.

    Returns
    -------
    deviance : ndarray, shape (P,)
        The minimum of L1.
    theta : ndarray, shape (P, K)
        Where it is reached.
    """
    observed = np.asarray(observed, dtype=float)
    per_problem = [c.at_events for c in components] + [observed, parameters.nominal, parameters.lower, parameters.upper]
    n_problems = max([1] + [np.shape(a)[0] for a in per_problem if np.ndim(a) == 2])
    K = np.shape(parameters.nominal)[-1]
    lower, upper = (np.broadcast_to(a, (n_problems, K)) for a in (parameters.lower, parameters.upper))
    theta = np.array(
        np.clip(np.broadcast_to(parameters.nominal, (n_problems, K)) if start is None else start, lower, upper),
        dtype=float,
    )
    terms, sub = _Terms(list(components), observed), parameters
    deviance, coefficients, mu = _deviance(terms, theta, parameters)
    active = np.arange(n_problems)  # the problems still iterating; terms, sub, coefficients and mu are theirs
    for _ in range(max_iterations):
        th, lo, hi, current = theta[active], lower[active], upper[active], deviance[active]
        gradient, hessian, gauss_newton = _derivatives(terms, th, sub, coefficients, mu)
        free = ~((th <= lo) & (gradient > 0.0) | (th >= hi) & (gradient < 0.0) | (lo == hi))
        step = _newton_step(gradient, hessian, gauss_newton, free)
        decrease = np.maximum(-np.sum(gradient * step, axis=1), 0.0)
        alpha = np.ones(active.size)
        trial = np.clip(th + step, lo, hi)
        value, coefficients, mu = _deviance(terms, trial, sub)
        slack = 1e-13 * np.abs(current)  # round-off of D
        for _ in range(50):  # backtracking until the Armijo condition holds
            bad = (value > current - 1e-4 * alpha * decrease + slack) & (decrease > tolerance)
            if not bad.any():
                break
            alpha[bad] *= 0.5
            trial[bad] = np.clip(th[bad] + alpha[bad, None] * step[bad], lo[bad], hi[bad])
            value[bad], coefficients[bad], mu[bad] = _deviance(terms.take(bad), trial[bad], sub.take(bad))
        accepted = value <= current + slack
        theta[active[accepted]] = trial[accepted]
        deviance[active[accepted]] = value[accepted]
        going = accepted & (decrease > tolerance)
        if give_up_above is not None:
            going &= ~((decrease < 0.9) & (current - decrease > give_up_above[active]))
        if not going.any():
            break
        active, coefficients, mu = active[going], coefficients[going], mu[going]
        terms, sub = terms.take(going), sub.take(going)
    return deviance, theta


def expectation(components: Sequence[Component], theta: npt.ArrayLike) -> np.ndarray:
    """mu_j of eq. L1 in the bins with events at the parameters ``theta`` (P, K), shape (P, n_event_bins)."""
    terms = _Terms(list(components), np.zeros(0))
    return terms.expectation(terms.coefficients(np.atleast_2d(np.asarray(theta, dtype=float))))
