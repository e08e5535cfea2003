"""Poisson chi-square with a pull on the flux normalisation (paper eqs. 21-24).

For one source seen by several detectors, with Asimov data N^SM and prediction N(g, m):

    chi2(x) = sum_det sum_i 2 [(1 + x) N_i - N_i^SM + N_i^SM ln(N_i^SM / ((1 + x) N_i))] + (x / sigma)^2.

With A = sum N_i and B = sum N_i^SM (over all bins of all detectors), the fitted-to-SM ratio of the
totals t = (1 + x) A / B and the shape term

    D = sum N_i^SM ln[(N_i^SM / B) / (N_i / A)] >= 0

(B times the Kullback-Leibler divergence of the predicted spectral shape from the SM one), this is

    chi2(x) = 2 B (t - 1 - ln t) + 2 D + (x / sigma)^2,

a sum of three non-negative terms, convex on x > -1, with its minimum where (A + x / sigma^2)(1 + x) = B:
a quadratic solved in closed form for the whole grid at once (no iteration, no loop over grid points).

Precision. Large couplings can scale the prediction up by 1e20 and more; the best pull then lies so
close to -1 that 1 + x is not representable through x, and the textbook form (1 + x) A - B ln(1 + x) + C
loses every digit (or becomes infinite) although the exact chi2 levels off at 2 D + 1 / sigma^2. Here
the minimum is evaluated from t and D directly, which stay of order one: each of the three terms is
computed to a few units of rounding, so chi2 is accurate to about 1e-14 (B + chi2) in absolute terms
for every prediction the minimiser can meet (``tests/test_precision.py`` checks it against mpmath).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

CHI2_ERROR_PER_SM_EVENT = 1e-13
"""Absolute error of the profiled chi2 per SM event, as ``tests/test_precision.py`` bounds it against mpmath."""


def check_precision(sm_events: float, threshold: float, tolerance: float = 0.01) -> None:
    """Raise ValueError where the chi2 of ``sm_events`` SM events cannot resolve ``threshold`` to ``tolerance``.

    The error of :func:`profiled_poisson_chi2` grows with the number of SM events (about 1e-13 of it): from
    4.6e11 events on it exceeds 1 % of the 90 % CL threshold 4.61, and a bound would be set by rounding.
    """
    error = CHI2_ERROR_PER_SM_EVENT * sm_events
    if error > tolerance * threshold:
        raise ValueError(
            f"{sm_events:.4g} Standard-Model events: the chi-square is accurate to {error:.2g} "
            f"({CHI2_ERROR_PER_SM_EVENT:g} per event), more than {tolerance:.0%} of the threshold "
            f"delta chi2 = {threshold:.3g}, so a bound would be set by rounding; reduce the exposure, "
            "the detector mass or the source's flux"
        )


def delta_chi2(cl: float, dof: int) -> float:
    """Threshold on chi2 for confidence level ``cl`` with ``dof`` degrees of freedom (4.61 at 90 %, 2 dof).

    Closed forms for the common cases, so that the statistics jobs need not load SciPy:
    dof = 1 is the square of the two-sided normal quantile, dof = 2 is -2 ln(1 - cl).
    """
    if dof == 1:
        return NormalDist().inv_cdf(0.5 * (1.0 + cl)) ** 2
    if dof == 2:
        return -2.0 * math.log1p(-cl)
    from scipy.special import chdtri  # other dof: SciPy's inverse survival function

    return float(chdtri(dof, 1.0 - cl))


def p_value(q: npt.ArrayLike, dof: int) -> np.ndarray:
    """Probability that a chi2 variable of ``dof`` degrees of freedom exceeds ``q`` (Wilks' asymptotic p-value).

    Closed forms for dof = 1 (erfc(sqrt(q / 2))) and dof = 2 (exp(-q / 2)), SciPy otherwise.
    """
    q = np.asarray(q, dtype=float)
    if dof == 1:
        return np.vectorize(math.erfc)(np.sqrt(np.maximum(q, 0.0) / 2.0))
    if dof == 2:
        return np.exp(-np.maximum(q, 0.0) / 2.0)
    from scipy.special import chdtrc

    return chdtrc(dof, q)


def significance(q: npt.ArrayLike, dof: int) -> np.ndarray:
    """Gaussian standard deviations Z of a two-sided test with the p-value of ``q`` for ``dof`` degrees of
    freedom: Z = sqrt(q) for dof = 1; q = 2.30 (2 dof, p = 0.317) is Z = 1.00."""
    p = np.atleast_1d(p_value(q, dof))
    z = np.array([NormalDist().inv_cdf(1.0 - 0.5 * v) if v > 0.0 else np.inf for v in p.ravel()])
    return z.reshape(np.shape(q))


def poisson_chi2_terms(counts: npt.ArrayLike, sm_counts: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A = sum N, B = sum N^SM, C = sum N^SM ln(N^SM / N) over the last axis (bins).

    Bins with N^SM = 0 contribute only through A; a bin with N^SM > 0 and N = 0 makes C infinite.
    """
    counts = np.asarray(counts, dtype=float)
    sm = np.broadcast_to(np.asarray(sm_counts, dtype=float), counts.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(sm > 0.0, sm * np.log(sm / counts), 0.0)
    return counts.sum(axis=-1), sm.sum(axis=-1), log_ratio.sum(axis=-1)


def poisson_shape_terms(counts: npt.ArrayLike, sm_counts: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A = sum N, B = sum N^SM and the shape term D = sum N^SM ln[(N^SM / B) / (N / A)] >= 0 over the last axis.

    D is summed bin by bin from the prediction rescaled to the SM total, N_i B / A, so that it keeps its
    precision however far A is from B (C + B ln(A / B) would cancel). Bins with N^SM = 0 contribute only
    through A; a bin with N^SM > 0 and N <= 0 makes D infinite.

    Raises
    ------
    ValueError
        Where a predicted count is not finite (an overflow that no chi2 can be computed from).
    """
    counts = np.asarray(counts, dtype=float)
    sm = np.asarray(sm_counts, dtype=float)
    A = counts.sum(axis=-1)
    if not np.all(np.isfinite(A)):
        raise ValueError(
            "predicted counts are not finite (overflow at the largest couplings?); no chi2 can be computed from them"
        )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if sm.ndim == 1:  # one SM spectrum for every prediction: its empty bins dropped, the sum over bins a dot
            B = np.broadcast_to(sm.sum(), A.shape)
            with_events = sm > 0.0
            if not with_events.all():
                counts, sm = counts[..., with_events], sm[with_events]
            ratio = counts * (B / A)[..., None]  # the prediction rescaled to the SM total
            np.divide(sm, ratio, out=ratio)
            D = np.log(ratio, out=ratio) @ sm
        else:
            sm = np.broadcast_to(sm, counts.shape)
            B = sm.sum(axis=-1)
            terms = np.where(sm > 0.0, sm * np.log(sm / (counts * (B / A)[..., None])), 0.0)
            D = terms.sum(axis=-1)
    # NaN comes only from a bin with N^SM > 0 and N <= 0 (also A = 0): that prediction is excluded at any CL
    return A, B, np.where(np.isnan(D), np.inf, np.maximum(D, 0.0))


def _excess_of_log(t):
    """t - 1 - ln t >= 0 to full relative precision: a Taylor series in d = t - 1 for |d| < 0.1, where the
    direct difference, ~ d^2 / 2, would cancel; infinite at t = 0."""
    t = np.asarray(t, dtype=float)
    d = t - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = d - np.log1p(d)
    near = np.abs(d) < 0.1
    if not near.any():
        return direct
    # sum_{k=2}^{17} (-1)^k d^k / k by Horner; the first term left out is below 1e-17 of the sum
    series = np.zeros_like(d)
    for k in range(17, 1, -1):
        series = series * d + (-1.0) ** k / k
    return np.where(near, series * d * d, direct)


def _chi2(ratio, pull, A, B, D, sigma):
    """2 B (t - 1 - ln t) + 2 D + (x / sigma)^2 at fitted-to-SM ratio t = ``ratio`` and pull x;
    2 (1 + x) A + (x / sigma)^2 where there are no SM events (B = 0)."""
    with np.errstate(invalid="ignore"):
        poisson = np.where(B > 0.0, 2.0 * B * _excess_of_log(ratio) + 2.0 * D, 2.0 * (1.0 + pull) * A)
    return poisson + (pull / sigma) ** 2


def chi2_at_pull(pull: npt.ArrayLike, A: npt.ArrayLike, B: npt.ArrayLike, C: npt.ArrayLike, sigma: float) -> np.ndarray:
    """chi2(x) of the module docstring for given pull x and the sums A, B, C of :func:`poisson_chi2_terms`.

    Exact up to the rounding of x itself (1 + x is exact for x near -1) and of C + B ln(A / B), which
    cancels to about 1e-16 B |ln(A / B)|. The minimum over x is :func:`profiled_poisson_chi2`, which does
    not go through x.
    """
    x = np.asarray(pull, dtype=float)
    A, B, C = (np.asarray(v, dtype=float) for v in (A, B, C))
    with np.errstate(divide="ignore", invalid="ignore"):
        D = np.where(A > 0.0, C + B * np.log(A / B), np.inf)
        ratio = (1.0 + x) * A / B
    return _chi2(ratio, x, A, B, D, sigma)


def best_pull(A: npt.ArrayLike, B: npt.ArrayLike, sigma: float) -> np.ndarray:
    """The minimising x > -1 of chi2(x): the larger root of x^2/s^2 + (A + 1/s^2) x + (A - B) = 0.

    Written as x = 2 (B - A) / (b + sqrt((A - 1/s^2)^2 + 4 B / s^2)), b = A + 1/s^2, which is free of
    cancellation and, through hypot, of overflow; it tends to -1 (never below) when B -> 0 and A s^2 >= 1.
    Near -1, 1 + x carries few significant digits: the chi2 is evaluated from :func:`fitted_ratio`.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    root = np.hypot(A - 1.0 / sigma**2, 2.0 * np.sqrt(B) / sigma)
    return np.maximum(2.0 * (B - A) / (A + 1.0 / sigma**2 + root), -1.0)


def fitted_ratio(A: npt.ArrayLike, B: npt.ArrayLike, sigma: float) -> np.ndarray:
    """t = (1 + x) A / B at the minimising pull x: the fitted total over the SM total, to full precision.

    1 + x = u solves u^2 + beta u - B s^2 = 0 with beta = A s^2 - 1, so
    t = 2 A s^2 / (beta + h) for beta >= 0 and t = A (h - beta) / (2 B) for beta < 0, h = hypot(beta, 2 s sqrt(B)),
    each free of cancellation: t tends to 1 however large the prediction A (x -> -1), 0 where A = 0.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    beta = A * sigma**2 - 1.0
    h = np.hypot(beta, 2.0 * sigma * np.sqrt(B))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(beta >= 0.0, 2.0 * A * sigma**2 / (beta + h), A * (h - beta) / (2.0 * B))


def profiled_poisson_chi2(
    A: npt.ArrayLike, B: npt.ArrayLike, D: npt.ArrayLike, sigma: float
) -> tuple[np.ndarray, np.ndarray]:
    """chi2 minimised over the pull, from the sums A, B and the shape term D of :func:`poisson_shape_terms`.

    Returns
    -------
    chi2, pull : ndarray
        The minimum (about 2 D + 1 / sigma^2 where A >> B / sigma^2, infinite where D is) and the pull x.
    """
    pull = best_pull(A, B, sigma)
    return _chi2(fitted_ratio(A, B, sigma), pull, A, B, D, sigma), pull


def profiled_chi2(
    counts_by_detector: Sequence[npt.ArrayLike], sm_by_detector: Sequence[npt.ArrayLike], sigma: float
) -> tuple[np.ndarray, np.ndarray]:
    """chi2 minimised over one pull x shared by several detectors (eqs. 21-24).

    The shape term of the union of the detectors' bins is the sum of each detector's own plus that of
    the split of the events between detectors, sum_d B_d ln[(B_d / B) / (A_d / A)]: both non-negative.

    Parameters
    ----------
    counts_by_detector : sequence of ndarray, each shape grid + (n_bins_d,)
        Predicted counts N_i(g, m) per detector; grids must broadcast together; finite.
    sm_by_detector : sequence of ndarray, each shape (n_bins_d,)
        Asimov data N_i^SM.
    sigma : float
        Normalisation uncertainty sigma_x of the source (e.g. 0.25 for a supernova).

    Returns
    -------
    chi2, pull : ndarray, shape grid
    """
    terms = [poisson_shape_terms(counts, sm) for counts, sm in zip(counts_by_detector, sm_by_detector, strict=True)]
    A = sum(a for a, _, _ in terms)
    B = sum(b for _, b, _ in terms)
    D = sum(d for _, _, d in terms)
    if len(terms) > 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            for a, b, _ in terms:
                split = np.where(a > 0.0, b * np.log((b / B) * (A / a)), np.inf)
                D = D + np.where(b > 0.0, split, 0.0)
    return profiled_poisson_chi2(A, B, D, sigma)


def counting_chi2(
    counts: npt.ArrayLike, observed: float, observed_uncertainty: float, sigma: float
) -> tuple[np.ndarray, np.ndarray]:
    """chi2 of one counted number of events with a Gaussian pull on the prediction's normalisation.

    chi2(a) = (N_obs - (1 + a) N)^2 / s^2 + (a / sigma)^2, minimised over a in closed form:
    chi2 = (N_obs - N)^2 / (s^2 + sigma^2 N^2), at a = sigma^2 N (N_obs - N) / (s^2 + sigma^2 N^2).
    (The COHERENT counting analyses: N_obs +- s observed, prediction uncertain by a fraction sigma.)

    Returns
    -------
    chi2, pull : ndarray, shape of ``counts``
    """
    N = np.asarray(counts, dtype=float)
    variance = observed_uncertainty**2 + (sigma * N) ** 2
    return (observed - N) ** 2 / variance, sigma**2 * N * (observed - N) / variance


def ceiling_statistic(counts: npt.ArrayLike, max_events: float, threshold: float) -> np.ndarray:
    """threshold x N / N_max: crosses ``threshold`` exactly where N exceeds the ceiling N_max.

    The XENON1T bound of the paper (sec. VII B) excludes (g, m) where the predicted number of
    neutrino events exceeds the largest number compatible with the WIMP search; expressed this way
    it shares the chi2 tables, contours and bounds of the other analyses.
    """
    return threshold * np.asarray(counts, dtype=float) / max_events
