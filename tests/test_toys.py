"""Pseudo-experiments (astrocevns.inference.toys): the toys' chi2 against the library's, bounds of Asimov data against
the
bisection of astrocevns.inference.bounds, the toy median against the Asimov bound on solar/DARWIN (a large count),
Wilks'
threshold recovered where the likelihood is Gaussian, and seeds that make every chunk reproducible."""

import numpy as np
import pytest
from helpers import load_config

from astrocevns.inference import bounds, statistics, toys
from astrocevns.physics import builders, rates, sources
from astrocevns.physics.detectors import Efficiency

T2, T1 = statistics.delta_chi2(0.9, 2), statistics.delta_chi2(0.9, 1)
CONFIG = load_config()
G_AXIS = np.geomspace(1e-9, 1.0, 200)  # the default toys.g_points over bounds.g_min..g_max
MASSES_MEV = np.array([0.1, 10.0, 1000.0])
SIGMA_SOLAR = 0.10


@pytest.fixture(scope="module")
def solar_darwin():
    """The solar neutrinos in DARWIN (40 t, 1 yr, 1 keV; about 3400 SM events) of the default configuration."""
    fluence = sources.total_fluence(sources.source_table(CONFIG["sources"]["solar"], CONFIG["oscillations"]))
    (detector,) = builders.detector_parts(
        "darwin", CONFIG["detectors"]["darwin"], CONFIG["targets"], CONFIG["form_factor"], Efficiency.ideal()
    )
    return rates.recoil_kernel(fluence, detector, **CONFIG["recoil_bins"])


def prediction(kernel, mediator, masses=MASSES_MEV, sigma=SIGMA_SOLAR):
    return toys.Prediction(kernel.coupling_polynomial(mediator, masses), sigma)


def test_toy_chi2_is_the_profiled_chi2_of_the_library(solar_darwin):
    p = prediction(solar_darwin, "vector")
    data = toys.draw(toys.generator(1), p.coefficients[0], SIGMA_SOLAR, 7)
    g = np.geomspace(1e-7, 1e-3, 30)
    fast = toys.chi2_on_axis(data, p.counts(g), SIGMA_SOLAR)
    counts = p.counts(g)
    for k in range(MASSES_MEV.size):
        for t in range(7):
            # the library's chi2 with the toy as the data (its 'sm' argument): eqs. 21-24 bin by bin
            reference = statistics.profiled_chi2([counts[k]], [data[k, t]], SIGMA_SOLAR)[0]
            assert fast[k, t] == pytest.approx(reference, rel=1e-9, abs=1e-8 * data[k, t].sum())


@pytest.mark.parametrize("mediator", ["vector", "scalar"])
def test_asimov_data_give_the_bisected_bound(solar_darwin, mediator):
    p = prediction(solar_darwin, mediator)
    on_axis = toys.expected_g_min(p, G_AXIS, T2, None, 0, data=p.coefficients[0][:, None, :])[:, 0]

    def chi2(g):
        return statistics.profiled_chi2(
            [rates.counts_from_polynomial(p.coefficients, g)], [p.coefficients[0][0]], SIGMA_SOLAR
        )[0]

    bisected = bounds.smallest_excluded_coupling(chi2, 1e-9, 1.0, T2, 400)
    assert on_axis == pytest.approx(bisected, rel=5e-3)


def test_a_power_law_crossing_is_interpolated_exactly():
    g = np.geomspace(1e-6, 1e-3, 31)
    delta = (g / 1e-5) ** 4  # delta = T at g = 1e-5 T^(1/4)
    assert toys.smallest_excluded(delta[None, :], g, T2)[0] == pytest.approx(1e-5 * T2**0.25, rel=1e-12)
    assert np.isnan(toys.smallest_excluded(np.zeros((1, 31)), g, T2)[0])


@pytest.mark.parametrize("mediator", ["vector", "scalar"])
def test_toy_median_of_a_large_count_agrees_with_the_asimov_bound(solar_darwin, mediator):
    # the Asimov data are the median experiment when the counts are large (Cowan et al. 2011, arXiv:1007.1727)
    p = prediction(solar_darwin, mediator)
    asimov = toys.expected_g_min(p, G_AXIS, T2, None, 0, data=p.coefficients[0][:, None, :])[:, 0]
    g_min = toys.expected_g_min(p, G_AXIS, T2, toys.generator(7, mediator), 2000)
    assert np.median(g_min, axis=1) == pytest.approx(asimov, rel=0.04)
    band = toys.band_quantiles(g_min[1])
    assert band["q025"] < band["q16"] < band["median"] < band["q84"] < band["q975"]


def test_wilks_threshold_is_recovered_where_the_likelihood_is_gaussian():
    # two bins of 1e5 events, one growing with g^2: the Poisson likelihood is Gaussian in g^2 and the hypothesis
    # lies 30 sigma from the boundary g = 0, so q with 1 dof follows chi2 with 1 dof (Wilks): 90 % at 2.706
    a = np.array([[1e5, 1e5]])
    p = toys.Prediction((a, np.array([[1e5, 0.0]]), np.zeros((1, 2))), 0.05)
    g_axis = np.sqrt(np.linspace(0.001, 0.04, 400))
    q1, _ = toys.hypothesis_statistics(p, np.sqrt(0.02), p, g_axis, toys.generator(3), 8000)
    assert np.quantile(q1, 0.9) == pytest.approx(T1, abs=0.12)  # 8000 toys: the quantile to about 0.06


def test_seeds_come_from_the_identity_of_the_chunk():
    draw = [toys.generator(2010, "coverage", "point", 0, chunk).random(3) for chunk in (0, 0, 1)]
    assert np.array_equal(draw[0], draw[1])
    assert not np.array_equal(draw[0], draw[2])


def test_neyman_bound_interpolates_the_crossing_of_the_thresholds():
    g = np.array([1.0, 2.0, 4.0])
    # excess -1 at 1, +1 at 2: the crossing is half-way in ln g
    assert toys.neyman_bound(g, np.array([1.0, 5.0, 9.0]), np.array([2.0, 4.0, 4.0])) == pytest.approx(np.sqrt(2.0))
    assert np.isnan(toys.neyman_bound(g, np.zeros(3), np.ones(3)))
