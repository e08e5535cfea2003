"""Pull-method chi-square (eqs. 21-24): closed-form minimiser, limits, combination, marginalisation."""

import numpy as np
import pytest
from helpers import load_config
from scipy.optimize import minimize_scalar

from astrocevns.inference import exclusion, statistics
from astrocevns.physics import builders, rates, sources
from astrocevns.physics.detectors import Efficiency


def chi2_direct(x, counts, sm, sigma):
    """Eq. 21-24 written out bin by bin (no algebraic reduction)."""
    terms = (1 + x) * counts - sm + np.where(sm > 0, sm * np.log(np.where(sm > 0, sm, 1) / ((1 + x) * counts)), 0)
    return 2 * terms.sum() + (x / sigma) ** 2


def test_thresholds_match_chi2_tables():
    # chi^2 quantiles (e.g. PDG 2020, fig. 40.4): 90 % CL: 2.706 (1 dof), 4.605 (2 dof); 95 %: 5.991 (2 dof)
    assert statistics.delta_chi2(0.90, 2) == pytest.approx(4.605, abs=1e-3)
    assert statistics.delta_chi2(0.90, 1) == pytest.approx(2.706, abs=1e-3)
    assert statistics.delta_chi2(0.95, 2) == pytest.approx(5.991, abs=1e-3)


@pytest.mark.parametrize("dof", [1, 2])
@pytest.mark.parametrize("cl", [0.6827, 0.90, 0.95, 0.99, 0.9999])
def test_closed_form_thresholds_match_scipy_quantile(cl, dof):
    # the closed forms for 1 and 2 dof against SciPy's chi-square quantile
    from scipy.stats import chi2

    assert statistics.delta_chi2(cl, dof) == pytest.approx(chi2.ppf(cl, dof), rel=1e-12)


def random_problem(rng):
    """A random detector pair with a prediction that can sit far above, near or far below the SM."""
    n1, n2 = rng.integers(1, 8), rng.integers(1, 8)
    kind = rng.integers(0, 4)
    sm = [10 ** rng.uniform(-3, 3, n1), 10 ** rng.uniform(-3, 3, n2)]
    if kind == 0:  # tiny counts, N_i << 1
        sm = [s * 1e-3 for s in sm]
    if kind == 3:  # some empty SM bins
        sm[0][0] = 0.0
    scale = 10 ** rng.uniform(-1, 2) if kind != 1 else 10 ** rng.uniform(2, 4)  # kind 1: best x near -1
    counts = [s * scale * rng.uniform(0.5, 1.5, s.size) + 1e-6 for s in sm]
    return counts, sm, rng.choice([0.1, 0.25, 0.5])


def test_closed_form_minimum_equals_scipy_per_point():
    rng = np.random.default_rng(2021)
    near_minus_one = 0
    for _ in range(200):
        counts, sm, sigma = random_problem(rng)
        chi2, pull = statistics.profiled_chi2(counts, sm, sigma)
        c, s = np.concatenate(counts), np.concatenate(sm)
        # Brent in u = ln(1 + x), which maps x in (-1, inf) onto the real line
        reference = minimize_scalar(
            lambda u, c=c, s=s, sigma=sigma: chi2_direct(np.expm1(u), c, s, sigma),
            bracket=(-1.0, 0.0),
            method="brent",
            tol=1e-12,
        )
        assert chi2 <= reference.fun + 1e-8 * max(1.0, reference.fun)
        assert chi2 == pytest.approx(reference.fun, rel=1e-8, abs=1e-8)
        assert chi2 == pytest.approx(chi2_direct(pull, c, s, sigma), rel=1e-10, abs=1e-10)
        near_minus_one += pull < -0.9
    assert near_minus_one >= 20  # the sample does probe the boundary x -> -1


def test_minimiser_is_vectorised_over_a_grid():
    rng = np.random.default_rng(7)
    sm = 10 ** rng.uniform(-2, 2, 5)
    counts = sm * 10 ** rng.uniform(-1, 1, (30, 40, 1))
    chi2, pull = statistics.profiled_chi2([counts], [sm], 0.2)
    assert chi2.shape == pull.shape == (30, 40)
    i, j = 17, 29
    one, _ = statistics.profiled_chi2([counts[i, j]], [sm], 0.2)
    assert chi2[i, j] == pytest.approx(one, rel=1e-14)


def test_shape_term_of_one_sm_spectrum_equals_the_sum_over_bins():
    """D = sum_i N^SM_i ln[(N^SM_i / B) / (N_i / A)] summed directly over the bins with SM events, against the
    fast path for one SM spectrum (empty SM bins dropped, the sum a dot product) and the broadcast path."""
    rng = np.random.default_rng(11)
    sm = np.array([5.0, 0.0, 2.0, 0.5, 0.0, 1.0])
    counts = sm * rng.uniform(0.3, 3.0, (7, 9, sm.size)) + rng.uniform(0.0, 0.2, (7, 9, sm.size))
    counts[2, 3, 2] = 0.0  # a bin with SM events predicted empty: infinite D
    A, B = counts.sum(axis=-1), sm.sum()
    with np.errstate(divide="ignore"):
        direct = np.sum(sm[sm > 0] * np.log((sm[sm > 0] / B) / (counts[..., sm > 0] / A[..., None])), axis=-1)
    fast = statistics.poisson_shape_terms(counts, sm)
    broadcast = statistics.poisson_shape_terms(counts, np.broadcast_to(sm, counts.shape).copy())
    assert np.isinf(fast[2][2, 3]) and np.isinf(broadcast[2][2, 3])
    finite = np.isfinite(direct)
    assert np.allclose(fast[2][finite], direct[finite], rtol=1e-13, atol=0.0)
    for got, expected in zip(fast, broadcast, strict=True):
        assert np.allclose(got, expected, rtol=1e-13, atol=0.0)


def test_zero_prediction_with_sm_events_is_excluded():
    chi2, _ = statistics.profiled_chi2([np.array([0.0, 1.0])], [np.array([3.0, 1.0])], 0.1)
    assert np.isinf(chi2)


# --- physics behaviour on the paper's supernova setup ----------------------------------------

CONFIG = load_config()


@pytest.fixture(scope="module")
def sn_kernels():
    kernels = {}
    for source in ("sn_cc", "sn_failed"):
        fluence = sources.total_fluence(sources.source_table(CONFIG["sources"][source]))
        for name in ("resnova3", "darwin"):
            det = CONFIG["detectors"][name]
            (detector,) = builders.detector_parts(
                name, det, CONFIG["targets"], CONFIG["form_factor"], Efficiency.ideal()
            )
            kernels[source, name] = rates.recoil_kernel(fluence, detector, **CONFIG["recoil_bins"])
    return kernels


G = np.geomspace(1e-7, 1e-2, 60)[:, None]
M = np.geomspace(1e-2, 1e4, 50)[None, :]


def chi2_for(kernels, source, detectors, mediator, g=G, m=M):
    counts = [kernels[source, d].counts(mediator, g, m) for d in detectors]
    sm = [kernels[source, d].sm_counts() for d in detectors]
    return statistics.profiled_chi2(counts, sm, 0.25)[0]


@pytest.mark.parametrize("mediator", ["vector", "scalar"])
def test_chi2_vanishes_as_coupling_vanishes(sn_kernels, mediator):
    chi2 = chi2_for(sn_kernels, "sn_cc", ["resnova3", "darwin"], mediator, g=np.array([[1e-12]]), m=M)
    assert np.all(chi2 < 1e-9)


@pytest.mark.parametrize("mediator", ["vector", "scalar"])
def test_combined_is_at_least_as_strong_as_each_detector(sn_kernels, mediator):
    combined = chi2_for(sn_kernels, "sn_cc", ["resnova3", "darwin"], mediator)
    for d in ("resnova3", "darwin"):
        alone = chi2_for(sn_kernels, "sn_cc", [d], mediator)
        finite = np.isfinite(alone)
        assert np.all(combined[finite] >= alone[finite] - 1e-9 * (1 + alone[finite]))


def source_spectra(kernels, source, detectors, mediator, m=M[0]):
    """The library's view of one source in several detectors, at the masses ``m``."""
    return exclusion.SourceSpectra(m, tuple(kernels[source, d].coupling_polynomial(mediator, m) for d in detectors))


@pytest.mark.parametrize("mediator", ["vector", "scalar"])
def test_marginalised_never_stronger_than_either_model(sn_kernels, mediator):
    threshold = statistics.delta_chi2(0.9, 2)
    both = ["resnova3", "darwin"]
    spectra = {source: source_spectra(sn_kernels, source, both, mediator) for source in ("sn_cc", "sn_failed")}
    marginal = exclusion.Statistic("asimov_poisson", threshold, {"sn_cc": 0.25, "sn_failed": 0.25})
    marginalised, _, best = exclusion.evaluate(marginal, spectra, G)
    cc = chi2_for(sn_kernels, "sn_cc", both, mediator)
    failed = chi2_for(sn_kernels, "sn_failed", both, mediator)
    assert not np.any((marginalised > threshold) & ~((cc > threshold) & (failed > threshold)))
    # the minimum over the two models, and the index of the model that gives it
    np.testing.assert_allclose(marginalised, np.minimum(cc, failed), rtol=1e-12)
    assert np.array_equal(best, (failed < cc).astype(int))


def test_prior_inside_the_sum_over_detectors_is_a_narrower_prior(sn_kernels):
    """Eq. 21 as printed adds (x / sigma)^2 for every detector: with two detectors that is one prior
    of width sigma / sqrt(2), so the chi2 lies between the shared-prior ones of sigma and sigma / 2."""
    both = ["resnova3", "darwin"]
    spectra = {"sn_cc": source_spectra(sn_kernels, "sn_cc", both, "vector")}
    shared = exclusion.evaluate(exclusion.Statistic("asimov_poisson", 4.61, {"sn_cc": 0.25}), spectra, G)[0]
    inside = exclusion.evaluate(
        exclusion.Statistic("asimov_poisson", 4.61, {"sn_cc": 0.25}, "per_detector"), spectra, G
    )[0]
    by_hand = statistics.profiled_chi2(spectra["sn_cc"].counts(G), spectra["sn_cc"].sm_counts(), 0.25 / np.sqrt(2))[0]
    np.testing.assert_allclose(inside, by_hand, rtol=1e-12)
    assert np.all(inside >= shared - 1e-9 * (1 + shared))


def test_resnova3_dominates_supernova_bound_at_low_mass(sn_kernels):
    # paper sec. IX: RES-NOVA-3 (456 t of lead) drives the supernova bounds
    g = np.geomspace(1e-7, 1e-3, 400)[:, None]
    m = np.array([[1.0]])
    threshold = statistics.delta_chi2(0.9, 2)
    first = {
        d: g[np.argmax(chi2_for(sn_kernels, "sn_cc", [d], "scalar", g, m)[:, 0] > threshold), 0]
        for d in ("resnova3", "darwin")
    }
    assert first["resnova3"] < first["darwin"]


def test_significance_of_a_preference_matches_the_gaussian_tail():
    # 2.30 is the 68.27 % (1 sigma) quantile of chi2 with 2 dof, 4.61 the 90 % one; 1 dof: Z = sqrt(q)
    assert statistics.significance(2.2957, 2) == pytest.approx(1.0, abs=1e-4)
    assert statistics.p_value(4.605170, 2) == pytest.approx(0.1, rel=1e-6)
    assert statistics.significance(4.0, 1) == pytest.approx(2.0, rel=1e-12)
    assert statistics.p_value(2.705543, 1) == pytest.approx(0.1, rel=1e-5)
    assert statistics.p_value(6.251389, 3) == pytest.approx(0.1, rel=1e-5)  # SciPy path: 90 % of chi2, 3 dof
