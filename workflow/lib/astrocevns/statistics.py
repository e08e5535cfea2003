"""Poisson chi-square with a pull on the flux normalisation (paper eqs. 21-24).

For one source seen by several detectors, with Asimov data N^SM and prediction N(g, m):

    chi2(x) = sum_det sum_i 2 [(1 + x) N_i - N_i^SM + N_i^SM ln(N_i^SM / ((1 + x) N_i))] + (x / sigma)^2.

With A = sum N_i, B = sum N_i^SM and C = sum N_i^SM ln(N_i^SM / N_i) (over all bins of all detectors)
this is chi2(x) = 2 [(1 + x) A - B + C - B ln(1 + x)] + (x / sigma)^2: convex on x > -1, with its
minimum where (A + x / sigma^2)(1 + x) = B, a quadratic solved in closed form for the whole grid at
once (no iteration, no loop over grid points).
"""

import math
from statistics import NormalDist

import numpy as np


def delta_chi2(cl, dof):
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


def poisson_chi2_terms(counts, sm_counts):
    """A = sum N, B = sum N^SM, C = sum N^SM ln(N^SM / N) over the last axis (bins).

    Bins with N^SM = 0 contribute only through A; a bin with N^SM > 0 and N = 0 makes C infinite.
    """
    counts = np.asarray(counts, dtype=float)
    sm = np.broadcast_to(np.asarray(sm_counts, dtype=float), counts.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(sm > 0.0, sm * np.log(sm / counts), 0.0)
    return counts.sum(axis=-1), sm.sum(axis=-1), log_ratio.sum(axis=-1)


def chi2_at_pull(pull, A, B, C, sigma):
    """chi2(x) of the module docstring for given pull x (broadcasts)."""
    x = np.asarray(pull, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(B > 0.0, B * np.log1p(x), 0.0)
    return 2.0 * ((1.0 + x) * A - B + C - log_term) + (x / sigma) ** 2


def best_pull(A, B, sigma):
    """The minimising x > -1 of chi2(x): the larger root of x^2/s^2 + (A + 1/s^2) x + (A - B) = 0.

    Written as x = 2 (B - A) / (b + sqrt(b^2 + 4 (B - A) / s^2)), b = A + 1/s^2, which is free of
    cancellation; it tends to -1 (never below) when B -> 0 and A s^2 >= 1.
    """
    A = np.asarray(A, dtype=float)
    b = A + 1.0 / sigma**2
    discriminant = np.maximum(b**2 + 4.0 * (B - A) / sigma**2, 0.0)
    return np.maximum(2.0 * (B - A) / (b + np.sqrt(discriminant)), -1.0)


def profiled_chi2(counts_by_detector, sm_by_detector, sigma):
    """chi2 minimised over one pull x shared by several detectors (eqs. 21-24).

    Parameters
    ----------
    counts_by_detector : sequence of ndarray, each shape grid + (n_bins_d,)
        Predicted counts N_i(g, m) per detector; grids must broadcast together.
    sm_by_detector : sequence of ndarray, each shape (n_bins_d,)
        Asimov data N_i^SM.
    sigma : float
        Normalisation uncertainty sigma_x of the source (e.g. 0.25 for a supernova).

    Returns
    -------
    chi2, pull : ndarray, shape grid
    """
    A = B = C = 0.0
    for counts, sm in zip(counts_by_detector, sm_by_detector):
        a, b, c = poisson_chi2_terms(counts, sm)
        A, B, C = A + a, B + b, C + c
    pull = best_pull(A, B, sigma)
    chi2 = chi2_at_pull(pull, A, B, C, sigma)
    # exact zero when the prediction is the SM (g -> 0): remove round-off
    return np.where(np.isfinite(chi2), np.maximum(chi2, 0.0), np.inf), pull


def counting_chi2(counts, observed, observed_uncertainty, sigma):
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


def ceiling_statistic(counts, max_events, threshold):
    """threshold x N / N_max: crosses ``threshold`` exactly where N exceeds the ceiling N_max.

    The XENON1T bound of the paper (sec. VII B) excludes (g, m) where the predicted number of
    neutrino events exceeds the largest number compatible with the WIMP search; expressed this way
    it shares the chi2 tables, contours and bounds of the other analyses.
    """
    return threshold * np.asarray(counts, dtype=float) / max_events
