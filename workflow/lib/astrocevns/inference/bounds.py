"""Smallest excluded coupling at fixed mediator mass: a fine scan in g, refined by bisection."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def smallest_excluded_coupling(
    chi2_of_g: Callable[[np.ndarray], np.ndarray],
    g_min: float,
    g_max: float,
    threshold: float,
    scan_points: int = 400,
    bisections: int = 40,
) -> np.ndarray:
    """Smallest g in [g_min, g_max] with chi2(g) > threshold, for several masses at once.

    Parameters
    ----------
    chi2_of_g : callable
        Maps couplings of shape (n, k) to chi2 of shape (n, k), column j at the j-th mass.
    g_min, g_max : float
        Scan range (log-uniform, ``scan_points`` points).
    threshold : float
        Delta chi2 of the confidence level.

    Returns
    -------
    ndarray, shape (k,)
        The coupling where chi2 first crosses the threshold, located to a relative precision of
        (g_max/g_min)^(1/scan_points) / 2^bisections; NaN where it never does in range, and NaN where
        ``g_min`` itself is excluded: the bound then lies below the scanned range and is no number of it
        (:func:`excluded_below_range` tells the two apart).

    Notes
    -----
    An exclusion is reported only at a coupling where ``chi2_of_g`` itself exceeded the threshold (a scan
    point, then the bisection's upper end), so the bound is empty wherever chi2 stays below the threshold
    over the scan; with the chi-square of :mod:`astrocevns.inference.statistics`, accurate to about 1e-14 of the
    SM events for every pull, that is where the exact chi2 does (``tests/test_precision.py``).
    """
    g = np.geomspace(g_min, g_max, scan_points)[:, None]
    chi2 = chi2_of_g(g)
    excluded = chi2 > threshold
    first = np.argmax(excluded, axis=0)
    found = excluded.any(axis=0)
    log_hi = np.log(g[first, 0])
    log_lo = np.log(g[np.maximum(first - 1, 0), 0])
    for _ in range(bisections):
        log_mid = 0.5 * (log_lo + log_hi)
        above = chi2_of_g(np.exp(log_mid)[None, :])[0] > threshold
        log_hi = np.where(above, log_mid, log_hi)
        log_lo = np.where(above, log_lo, log_mid)
    # excluded at the very first scan point: the crossing lies below g_min, the range gives no number
    return np.where(found & (first > 0), np.exp(log_hi), np.nan)


def excluded_below_range(
    chi2_of_g: Callable[[np.ndarray], np.ndarray], g_min: float, threshold: float, masses: int
) -> np.ndarray:
    """Whether chi2 already exceeds ``threshold`` at the scan's lower end ``g_min``, for each of ``masses`` masses.

    There the smallest excluded coupling lies below the scanned range (e.g. charges of 1e6, an exposure of
    1e12 t yr); bounds tables flag it instead of reporting ``g_min``. ``chi2_of_g`` as for
    :func:`smallest_excluded_coupling`.
    """
    return np.asarray(chi2_of_g(np.full((1, masses), g_min))[0] > threshold)
