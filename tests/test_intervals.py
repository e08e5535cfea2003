"""Excluded intervals in g (astrocevns.inference.edges.excluded_intervals, astrocevns.inference.exclusion.analyse): a
statistic with a
known allowed strip, solved by hand, and the interval count of the bounds."""

import numpy as np
import pytest

from astrocevns.inference import edges, exclusion, statistics

THRESHOLD = statistics.delta_chi2(0.9, 2)  # 4.61


def test_intervals_pair_the_edges_of_an_excluded_set_with_a_gap():
    # chi2 = T exp((x - r1)(x - r2)(x - r3)), x = log10 g: excluded on (r1, r2) and above r3
    m = np.array([1.0, 10.0])
    r1, r2, r3 = np.array([-6.0, -5.5]), np.array([-5.0, -4.5]), np.array([-4.9, -4.4])

    def chi2(g):
        x = np.log10(g)
        return THRESHOLD * np.exp((x - r1) * (x - r2) * (x - r3))

    table, counts = edges.excluded_intervals(edges.exclusion_edges(chi2, m, 1e-9, 1.0, THRESHOLD, 200), m)
    assert counts.tolist() == [2, 2]
    assert table["interval"].tolist() == [0, 1, 0, 1]
    assert np.log10(table["g_low"]) == pytest.approx([r1[0], r3[0], r1[1], r3[1]], abs=1e-9)
    assert np.log10(table["g_high"][[0, 2]]) == pytest.approx([r2[0], r2[1]], abs=1e-9)
    assert table["g_high"][[1, 3]].tolist() == [1.0, 1.0]
    assert table["to_range_end"].tolist() == [False, True, False, True]


def test_nothing_excluded_gives_no_interval():
    table, counts = edges.excluded_intervals(
        edges.exclusion_edges(lambda g: np.zeros(g.shape), np.array([1.0]), 1e-9, 1.0, THRESHOLD, 50), np.array([1.0])
    )
    assert counts.tolist() == [0]
    assert table["g_low"].size == 0


def test_a_vector_like_strip_splits_the_exclusion_into_two_intervals_at_the_solved_edges():
    # N(g) = N0 (1 - u)^2 with u = g^2 / s(m), s = (1e-5 m / MeV)^2: the events return to the SM at u = 2 (the strip
    # of destructive interference, eq. 6). Counted against N_obs = N0 +- s_obs without a pull, chi2 = (N - N0)^2 /
    # s_obs^2 exceeds T where |u (u - 2)| > d = sqrt(T) s_obs / N0: on 1 - sqrt(1 - d) < u < 1 + sqrt(1 - d) and on
    # u > 1 + sqrt(1 + d) (solved by hand), the strip between.
    n0, s_obs = 100.0, 5.0
    masses = np.array([0.1, 1.0, 10.0])
    s = (1e-5 * masses) ** 2
    a = np.full((3, 1), n0)
    spectra = exclusion.SourceSpectra(masses, ((a, -2.0 * n0 / s[:, None], n0 / s[:, None] ** 2),))
    statistic = exclusion.Statistic(
        "counting", THRESHOLD, {"source": 0.0}, "shared", {"observed_events": n0, "observed_uncertainty": s_obs}
    )
    g = np.geomspace(1e-9, 1.0, 80)
    result = exclusion.analyse(
        statistic, {"source": spectra}, {"source": spectra}, g, {"g_min": 1e-9, "g_max": 1.0, "scan_points": 400}
    )
    d = np.sqrt(THRESHOLD) * s_obs / n0
    u_edges = np.array([1.0 - np.sqrt(1.0 - d), 1.0 + np.sqrt(1.0 - d), 1.0 + np.sqrt(1.0 + d)])
    intervals = result.intervals
    assert result.bounds["n_intervals"].tolist() == [2, 2, 2]
    for k in range(3):
        rows = intervals["m_MeV"] == masses[k]
        expected = np.sqrt(u_edges * s[k])
        assert intervals["g_low"][rows] == pytest.approx(expected[[0, 2]], rel=1e-9)
        assert intervals["g_high"][rows][0] == pytest.approx(expected[1], rel=1e-9)
        assert intervals["to_range_end"][rows].tolist() == [False, True]
    assert result.bounds["g_min"] == pytest.approx(np.sqrt(u_edges[0] * s), rel=1e-9)
