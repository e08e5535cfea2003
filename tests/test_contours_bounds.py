"""Contour extraction and the fine scan for the smallest excluded coupling."""

import numpy as np
import pandas as pd
import pytest

from astrocevns.inference.bounds import excluded_below_range, smallest_excluded_coupling
from astrocevns.inference.contours import exclusion_contours

M = np.geomspace(1e-2, 1e4, 241)
G = np.geomspace(1e-7, 1e-2, 201)
LOG_M, LOG_G = np.meshgrid(np.log10(M), np.log10(G))


def test_contour_recovers_a_circle_in_log_space():
    # chi2 = 4.61 (r / 1.5)^2 about (log m, log g) = (1, -4.5): the threshold line is the circle r = 1.5
    chi2 = 4.61 * (np.hypot(LOG_M - 1.0, LOG_G + 4.5) / 1.5) ** 2
    lines = pd.DataFrame(exclusion_contours(M, G, chi2, 4.61))
    assert lines["line"].nunique() == 1 and lines["closed"].all()
    radius = np.hypot(np.log10(lines.m_MeV) - 1.0, np.log10(lines.g) + 4.5)
    assert radius.to_numpy() == pytest.approx(1.5, abs=2e-3)


def test_contour_finds_boundary_and_island():
    # excluded above a line log g = -5 + 0.5 log m, plus an island (closed loop) below it
    chi2 = 4.61 * 10 ** (2 * (LOG_G + 5 - 0.5 * LOG_M))
    island = np.hypot(LOG_M - 2.0, LOG_G + 6.0) < 0.5
    chi2 = np.where(island, 100.0, chi2)
    lines = pd.DataFrame(exclusion_contours(M, G, chi2, 4.61))
    per_line = lines.groupby("line")
    assert per_line.ngroups == 2
    closed = per_line["closed"].first()
    assert closed.sum() == 1
    open_line = lines[lines.line == closed.idxmin()]
    expected = -5 + 0.5 * np.log10(open_line.m_MeV)
    assert np.log10(open_line.g).to_numpy() == pytest.approx(expected.to_numpy(), abs=2e-2)


def test_infinite_chi2_counts_as_excluded():
    chi2 = np.where(LOG_G > -4, np.inf, 0.0)
    lines = pd.DataFrame(exclusion_contours(M, G, chi2, 4.61))
    assert np.log10(lines.g).to_numpy() == pytest.approx(-4.0, abs=0.05)


def test_smallest_excluded_coupling_by_bisection():
    # chi2 = (g / g0(m))^4 with g0 = 1e-5 (1 + m): crossing at g = g0 4.61^(1/4)
    masses = np.array([0.1, 1.0, 10.0, 1e5])
    g0 = 1e-5 * (1 + masses)
    found = smallest_excluded_coupling(lambda g: (g / g0) ** 4, 1e-9, 1.0, 4.61, scan_points=100)
    expected = g0 * 4.61**0.25
    assert found[:3] == pytest.approx(expected[:3], rel=1e-9)
    assert np.isnan(found[3])  # beyond the scan range


def test_smallest_excluded_coupling_takes_the_lower_of_two_crossings():
    # excluded at small g, allowed in a window (like the vector cancellation), excluded again above
    def chi2(g):
        log_g = np.log10(g)
        return np.where((log_g > -6) & (log_g < -5), 10.0, 0.0) + np.where(log_g > -3, 10.0, 0.0)

    assert smallest_excluded_coupling(chi2, 1e-9, 1.0, 4.61)[0] == pytest.approx(1e-6, rel=1e-6)


def test_a_bound_below_the_scanned_range_is_flagged_not_reported_as_its_edge():
    # chi2 = (g / g0)^4 with g0 = 1e-12 at the first mass (excluded at g_min = 1e-9 already), 1e-5 at the second
    g0 = np.array([1e-12, 1e-5])

    def chi2(g):
        return (g / g0) ** 4

    found = smallest_excluded_coupling(chi2, 1e-9, 1.0, 4.61, scan_points=100)
    assert np.isnan(found[0])  # not 1e-9, the scan's lower edge
    assert found[1] == pytest.approx(1e-5 * 4.61**0.25, rel=1e-9)
    assert excluded_below_range(chi2, 1e-9, 4.61, 2).tolist() == [True, False]
