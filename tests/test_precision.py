"""Precision of the profiled chi-square (eqs. 21-24) for every pull the minimiser can reach, against an
independent 40-digit evaluation with mpmath, and bounds that are empty exactly where the exact chi2 stays
below the threshold."""

import mpmath as mp
import numpy as np
import pytest

from astrocevns.inference import bounds, statistics

DIGITS = 40


def exact_profiled_chi2(counts, sm, sigma):
    """min over u = 1 + x > 0 of sum_i 2 [u N_i - S_i + S_i ln(S_i / (u N_i))] + ((u - 1) / sigma)^2, in mpmath.

    The bins are taken one by one (no reduction to sums); the minimum is located by Newton's method on the
    slope d chi2 / du, started below the root, where it converges monotonically (the slope is increasing
    and concave in u). Returns (chi2, u).
    """
    with mp.workdps(DIGITS):
        n = [mp.mpf(float(v)) for v in np.ravel(counts)]
        s = [mp.mpf(float(v)) for v in np.ravel(sm)]
        variance = mp.mpf(float(sigma)) ** 2

        def slope(u):
            return mp.fsum(2 * (ni - si / u) for ni, si in zip(n, s, strict=True)) + 2 * (u - 1) / variance

        def curvature(u):
            return mp.fsum(2 * si / u**2 for si in s) + 2 / variance

        u = mp.mpf(1)
        while slope(u) > 0:
            u /= 16
        for _ in range(500):
            step = slope(u) / curvature(u)
            u -= step
            if abs(step) <= u * mp.mpf(10) ** (5 - DIGITS):
                break
        else:
            raise RuntimeError("Newton's method did not converge")
        terms = [
            2 * u * ni if si == 0 else 2 * (u * ni - si + si * mp.log(si / (u * ni)))
            for ni, si in zip(n, s, strict=True)
        ]
        return mp.fsum(terms) + (u - 1) ** 2 / variance, u


def random_case(rng, rows):
    """SM spectra of 1-3 detectors and ``rows`` predictions from 1e-4 to 1e30 times the SM, of SM-like to
    strongly distorted shape, some bins without SM events."""
    sm = [10 ** rng.uniform(-4, 4) * 10 ** rng.uniform(-1, 1, rng.integers(1, 12)) for _ in range(rng.integers(1, 4))]
    if rng.random() < 0.3:
        sm[0][rng.integers(sm[0].size)] = 0.0
    scale = 10 ** rng.uniform(-4, 30, (rows, 1))
    distortion = rng.choice([1e-3, 0.1, 1.0])
    counts = [(s + 1e-3 * s.max()) * scale * np.exp(distortion * rng.standard_normal((rows, s.size))) for s in sm]
    return counts, sm, 10 ** rng.uniform(-2, 0.5)


def test_profiled_chi2_matches_40_digit_minimum():
    rng = np.random.default_rng(20210412)
    worst, deep = 0.0, 0
    for _ in range(40):
        counts, sm, sigma = random_case(rng, rows=4)
        chi2, pull = statistics.profiled_chi2(counts, sm, sigma)  # all rows at once
        for row in range(chi2.size):
            predicted = np.concatenate([c[row] for c in counts])
            expected, u = exact_profiled_chi2(predicted, np.concatenate(sm), sigma)
            total_sm = sum(s.sum() for s in sm)
            error = abs(chi2[row] - float(expected)) / (total_sm + float(expected))
            worst = max(worst, error)
            assert error < 1e-13, (chi2[row], expected)
            assert pull[row] == pytest.approx(float(u - 1), rel=1e-13, abs=1e-15)
            deep += u < 1e-16  # 1 + x not representable through x
    assert deep >= 20, "the sample must probe pulls whose 1 + x is below float64 resolution"
    assert worst > 0.0


def test_pull_near_minus_one_keeps_the_plateau():
    # N = k N^SM (the SM shape, D = 0), B = sum N^SM: by hand, the minimum is at 1 + x = 1/k + 1/(k^2 B sigma^2)
    # + O(k^-3), where chi2 = (1 - 1/k)^2 / sigma^2 - 1 / (k^2 B sigma^4) + O(k^-3); the float64 pull reads -1
    # for k > 1e16, and the textbook evaluation through x becomes infinite
    sm = np.array([40.0, 25.0, 9.0, 1.0])
    sigma = 0.5
    for k in (1e6, 1e17, 1e25, 1e100, 1e250):
        chi2, pull = statistics.profiled_chi2([k * sm], [sm], sigma)
        assert chi2 == pytest.approx((1 - 1 / k) ** 2 / sigma**2 - 1 / k / k / (sm.sum() * sigma**4), rel=1e-14)
        assert pull == pytest.approx(-1.0, abs=2e-6)


def test_best_pull_does_not_overflow():
    # A = 1e200 >> B: the minimum is at 1 + x = B / (A - 1/sigma^2), i.e. x = -1 to double precision
    assert statistics.best_pull(1e200, 1.0, 0.25) == -1.0
    assert statistics.fitted_ratio(1e200, 1.0, 0.25) == pytest.approx(1.0, rel=1e-15)


def test_chi2_at_pull_equals_the_profile_at_the_best_pull():
    # away from x = -1 the pull holds 1 + x to full precision: both evaluations agree
    sm = np.array([3.0, 2.0, 0.5])
    counts = np.array([[4.0, 2.5, 0.7], [1.0, 0.1, 2.0], [300.0, 150.0, 40.0]])
    chi2, pull = statistics.profiled_chi2([counts], [sm], 0.25)
    A, B, C = statistics.poisson_chi2_terms(counts, sm)
    assert statistics.chi2_at_pull(pull, A, B, C, 0.25) == pytest.approx(chi2, rel=1e-12)


def test_non_finite_prediction_is_refused():
    with pytest.raises(ValueError, match="not finite"):
        statistics.profiled_chi2([np.array([np.inf, 1.0])], [np.array([1.0, 1.0])], 0.25)


def test_bound_is_empty_exactly_where_the_exact_chi2_never_crosses():
    """Couplings up to 1 scale the prediction by up to 1e30: the exact chi2 levels off at 2 D + 1 / sigma^2
    (shape term D, see astrocevns.inference.statistics), chosen within 15 % of the threshold of a random CL and dof."""
    rng = np.random.default_rng(83002)
    outcomes, ambiguous = [], 0
    for _ in range(14):
        cl, dof = rng.uniform(0.6, 0.999), int(rng.integers(1, 4))
        threshold = statistics.delta_chi2(cl, dof)
        sm = 10 ** rng.uniform(-1, 1.5, rng.integers(3, 10))
        shape = sm * np.exp(rng.uniform(0.005, 0.05) * rng.standard_normal(sm.size))  # the g^4 term's spectrum
        with mp.workdps(DIGITS):
            s, w = [mp.mpf(float(v)) for v in sm], [mp.mpf(float(v)) for v in shape]
            plateau_shape = 2 * mp.fsum(
                si * mp.log((si / mp.fsum(s)) / (wi / mp.fsum(w))) for si, wi in zip(s, w, strict=True)
            )
        sigma = float((threshold * rng.uniform(0.85, 1.15) - plateau_shape) ** -0.5)
        c4 = shape * 10 ** rng.uniform(20, 30)
        c2 = 1.8 * np.sqrt(sm * c4) * rng.uniform(-1, 1, sm.size)  # interference that never drives N below 0

        def counts(g, sm=sm, c2=c2, c4=c4):
            return sm + c2 * g[..., None] ** 2 + c4 * g[..., None] ** 4

        def chi2_of_g(g, sm=sm, sigma=sigma, counts=counts):
            return statistics.profiled_chi2([counts(g)], [sm], sigma)[0]

        g_min = bounds.smallest_excluded_coupling(chi2_of_g, 1e-9, 1.0, threshold, scan_points=30)[0]
        scan = np.geomspace(1e-9, 1.0, 30)
        exact = [float(exact_profiled_chi2(counts(np.array(g)), sm, sigma)[0]) for g in scan]
        if abs(max(exact) - threshold) < 1e-9 * threshold:
            ambiguous += 1
            continue
        crosses = max(exact) > threshold
        outcomes.append(crosses)
        assert np.isnan(g_min) == (not crosses), (cl, dof, threshold, max(exact), g_min)
        if crosses:
            at_bound = float(exact_profiled_chi2(counts(np.array(g_min)), sm, sigma)[0])
            assert at_bound > threshold * (1 - 1e-9)
    assert ambiguous <= 1 and 3 <= sum(outcomes) <= len(outcomes) - 3  # both outcomes are tested


def test_precision_guard_at_huge_counts():
    # 1e-13 x 4.6e11 events = 1 % of the threshold 4.61: below it the chi2 resolves the threshold, above it not
    statistics.check_precision(4.0e11, 4.61)
    with pytest.raises(
        ValueError,
        match=r"1e\+16 Standard-Model events: the chi-square is accurate to 1e\+03 "
        r"\(1e-13 per event\), more than 1% of the threshold delta chi2 = 4.61",
    ):
        statistics.check_precision(1.0e16, 4.61)


def test_a_chi2_job_of_huge_counts_stops_naming_the_analysis():
    # one detector, two masses, SM 1e8 events per bin over three bins, an exposure of 1e12 t yr would give 1e16
    from astrocevns.inference import exclusion

    masses = np.array([1.0, 10.0])
    a = np.full((2, 3), 1e8)
    spectra = {
        True: {"solar": exclusion.SourceSpectra(masses, ((a, 1e10 * a, 0 * a),))},
        False: {"solar": exclusion.SourceSpectra(masses, ((a, 1e10 * a, 0 * a),))},
    }
    statistic = exclusion.Statistic("asimov_poisson", 4.61, {"solar": 0.1})
    scan = {"g_min": 1e-9, "g_max": 1.0, "scan_points": 30, "edge_scan_points": 20}
    variant = {"name": "solar/darwin", "members": [("darwin", "ideal")]}
    exclusion.analyse_family(statistic, [variant], [spectra], np.geomspace(1e-7, 1e-2, 8), scan)  # 3e8: sound
    huge = {on_grid: {"solar": exclusion.SourceSpectra(masses, ((1e8 * a, 1e18 * a, 0 * a),))} for on_grid in spectra}
    with pytest.raises(ValueError, match=r"analysis solar/darwin, source solar: 3e\+16 Standard-Model events"):
        exclusion.analyse_family(statistic, [variant], [huge], np.geomspace(1e-7, 1e-2, 8), scan)
