"""The separable rate engine (the E_nu integrals done once per source and detector) against brute-force
double quadrature, and its accuracy."""

import numpy as np
import pytest
from scipy.integrate import quad

from astrocevns.physics import cross_sections as xs
from astrocevns.physics import fluxes, models, rates
from astrocevns.physics.detectors import Detector, Efficiency

KEV = 1e-3


def sn_like(E):
    """Pinched spectrum, <E> = 14 MeV, alpha = 2.5, scaled to a plausible fluence."""
    return 1e11 * fluxes.pinched_spectrum(E, 14.0, 14.0**2 * 4.5 / 3.5)


def solar_like(E):
    """A smooth spectrum with an end point at 16 MeV."""
    return 1e13 * np.where(E < 16.0, E**2 * (16.0 - E) ** 2, 0.0)


def smooth_efficiency():
    E = np.arange(0.0, 120.0, 0.01)
    return Efficiency("smooth", E, 0.9 / (1 + np.exp(-(E - 3.0) / 0.8)))


CASES = {
    "sn_xe": (sn_like, 150.0, "xenon", Efficiency.ideal()),
    "sn_pb": (sn_like, 150.0, "lead", smooth_efficiency()),
    "solar_xe": (solar_like, 16.0, "xenon", smooth_efficiency()),
}


def make_case(name, request):
    spectrum, E_max, nucleus_fixture, efficiency = CASES[name]
    nucleus = request.getfixturevalue(nucleus_fixture)
    E = np.linspace(0.05, E_max, 20000)
    fluence = fluxes.PiecewiseLinearFluence(E, spectrum(E))
    detector = Detector(name, nucleus, 10.0, 1.0, efficiency)
    return spectrum, fluence, detector


def brute_force_counts(spectrum, E_nu_max, detector, lo_keV, hi_keV, mediator, g, m):
    """N_bin by nested adaptive quadrature of eq. 11 with the full cross section (no separability)."""
    nucleus = detector.nucleus
    section = xs.vector_cross_section if mediator == "vector" else xs.scalar_cross_section

    def rate(E_r_keV):
        E_r = E_r_keV * KEV
        E_min = xs.min_neutrino_energy_MeV(E_r, nucleus.mass_MeV)
        if E_min >= E_nu_max:
            return 0.0
        inner = quad(lambda E: spectrum(E) * section(E, E_r, g, m, nucleus), E_min, E_nu_max, epsrel=1e-10, limit=200)
        return detector.number_of_targets * detector.efficiency(E_r_keV) * inner[0] * KEV

    return quad(rate, lo_keV, hi_keV, epsrel=1e-7, limit=200)[0]


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")  # round-off far below 1e-4
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("mediator", rates.MEDIATORS)
def test_engine_matches_brute_force_double_quadrature(case, mediator, request):
    spectrum, fluence, detector = make_case(case, request)
    kernel = rates.recoil_kernel(fluence, detector, width_keV=2.0, max_keV=100.0)
    n_bins = kernel.sm_counts().size
    rng = np.random.default_rng(abs(hash((case, mediator))) % 2**32)
    E_nu_max = fluence.max_energy_MeV
    for _ in range(7):  # 3 cases x 7 = 21 random (g, m, bin) points per mediator
        g, m, b = 10 ** rng.uniform(-6.5, -3.5), 10 ** rng.uniform(-2, 3), rng.integers(0, min(n_bins, 12))
        engine = kernel.counts(mediator, g, m)[b]
        lo, hi = kernel.bins.edges_keV[b], kernel.bins.edges_keV[b + 1]
        end_keV = xs.max_recoil_energy_MeV(E_nu_max, detector.nucleus.mass_MeV) / KEV
        reference = brute_force_counts(spectrum, E_nu_max, detector, lo, min(hi, end_keV), mediator, g, m)
        assert engine == pytest.approx(reference, rel=1e-4), (g, m, b)


def test_engine_reduces_to_sm_counts_at_small_coupling(request):
    _, fluence, detector = make_case("sn_xe", request)
    kernel = rates.recoil_kernel(fluence, detector, 2.0, 100.0)
    for mediator in rates.MEDIATORS:
        assert np.allclose(kernel.counts(mediator, 1e-12, 1.0), kernel.sm_counts(), rtol=1e-12)
        assert np.allclose(kernel.counts(mediator, 1e-3, 1e8), kernel.sm_counts(), rtol=1e-8)


def test_engine_broadcasts_over_a_grid(request):
    _, fluence, detector = make_case("solar_xe", request)
    kernel = rates.recoil_kernel(fluence, detector, 2.0, 100.0)
    g, m = np.geomspace(1e-7, 1e-3, 5), np.geomspace(1e-2, 1e3, 7)
    grid = kernel.counts("vector", g[:, None], m[None, :])
    assert grid.shape == (5, 7, kernel.sm_counts().size)
    assert grid[3, 2] == pytest.approx(kernel.counts("vector", g[3], m[2]), rel=1e-14)


@pytest.mark.parametrize("mediator", rates.MEDIATORS)
def test_quadrature_order_is_converged(mediator, request):
    """Accuracy of the default 16-node Gauss-Legendre rule: within 1e-6 of 48 nodes (asserted 1e-5)."""
    _, fluence, detector = make_case("solar_xe", request)
    default = rates.recoil_kernel(fluence, detector, 2.0, 100.0)
    tight = rates.recoil_kernel(fluence, detector, 2.0, 100.0, nodes_per_bin=48)
    g, m = np.geomspace(1e-6, 1e-3, 7)[:, None], np.geomspace(1e-2, 1e3, 9)[None, :]
    a, b = default.counts(mediator, g, m), tight.counts(mediator, g, m)
    assert np.max(np.abs(a - b) / b) < 1e-5


def test_bins_stop_at_the_kinematic_end_point(request):
    _, fluence, detector = make_case("solar_xe", request)
    kernel = rates.recoil_kernel(fluence, detector, 2.0, 100.0)
    end_keV = xs.max_recoil_energy_MeV(16.0, detector.nucleus.mass_MeV) / KEV  # 4.18 keV on Xe
    assert kernel.bins.edges_keV[-2] < end_keV <= kernel.bins.edges_keV[-1]
    assert kernel.bins.nodes_keV.max() < end_keV
    assert np.all(kernel.sm_counts() > 0)


def test_kernel_round_trips_through_a_table(request):
    _, fluence, detector = make_case("sn_pb", request)
    kernel = rates.recoil_kernel(fluence, detector, 2.0, 100.0)
    again = rates.kernel_from_frame(rates.kernel_frame(kernel))
    assert np.array_equal(again.counts("scalar", 1e-5, 3.0), kernel.counts("scalar", 1e-5, 3.0))
    assert np.array_equal(again.bins.edges_keV, kernel.bins.edges_keV)


def test_differential_rate_matches_cross_section_integral(request):
    """dR/dE_r at a point = N_T eps int psi dsigma/dE_r dE_nu (eq. 11), by adaptive quadrature."""
    spectrum, fluence, detector = make_case("sn_pb", request)
    E_r_keV = np.array([0.5, 3.0, 20.0])
    kernel = rates.differential_rate_kernel(fluence, detector, E_r_keV)
    for mediator, section in (("vector", xs.vector_cross_section), ("scalar", xs.scalar_cross_section)):
        rate = kernel.counts(mediator, 2e-5, 3.0)
        for E, value in zip(E_r_keV, rate, strict=False):
            E_min = xs.min_neutrino_energy_MeV(E * KEV, detector.nucleus.mass_MeV)
            inner = quad(
                lambda x, E=E, section=section: spectrum(x) * section(x, E * KEV, 2e-5, 3.0, detector.nucleus),
                E_min,
                150.0,
                epsrel=1e-10,
                limit=200,
            )[0]
            expected = detector.number_of_targets * detector.efficiency(E) * inner * KEV
            assert value == pytest.approx(expected, rel=1e-5)


def flavour_resolved_case(request):
    """The 'sn_pb' case with nu_e and nu_x spectra of different temperatures as flavour groups."""
    _, fluence, detector = make_case("sn_pb", request)
    E = fluence.E_MeV
    groups = {
        "e": fluxes.PiecewiseLinearFluence(E, 0.4 * fluence(E)),
        "mu": fluxes.PiecewiseLinearFluence(E, 1e11 * fluxes.pinched_spectrum(E, 16.0, 16.0**2 * 1.25)),
        "tau": fluxes.PiecewiseLinearFluence(E, 0.6 * fluence(E)),
    }
    total = fluxes.PiecewiseLinearFluence(E, sum(g.fluence_per_cm2_MeV for g in groups.values()))
    return rates.recoil_kernel({"all": total, **groups}, detector, 2.0, 100.0)


def test_flavour_resolved_kernel_round_trips_through_a_table(request):
    kernel = flavour_resolved_case(request)
    assert kernel.groups == ("all", "e", "mu", "tau")
    again = rates.kernel_from_frame(rates.kernel_frame(kernel))
    assert again.groups == kernel.groups
    model = models.from_config(
        "b3lmu",
        {
            "mediator": "vector",
            "coupling": {"name": "g", "latex": "g"},
            "citation": "-",
            "charges": {"nucleons": {"proton": 1, "neutron": 1}, "neutrinos": {"mu": -3}},
        },
    )
    assert np.array_equal(again.counts(model, 1e-5, 3.0), kernel.counts(model, 1e-5, 3.0))


def test_flavour_group_kernel_is_the_kernel_of_that_flavour_alone(request):
    """A group's SM rate is the kernel of its own fluence (the engine is linear in the flux)."""
    kernel = flavour_resolved_case(request)
    _, fluence, detector = make_case("sn_pb", request)
    alone = rates.recoil_kernel(
        fluxes.PiecewiseLinearFluence(fluence.E_MeV, 0.6 * fluence(fluence.E_MeV)), detector, 2.0, 100.0
    )
    assert np.allclose(kernel.sm_rate_per_keV[kernel.groups.index("tau")], alone.sm_rate_per_keV[0], rtol=1e-13)
    assert np.allclose(kernel.scalar_rate_MeV4_per_keV[3], alone.scalar_rate_MeV4_per_keV[0], rtol=1e-13)
