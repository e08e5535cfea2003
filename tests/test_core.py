"""Supernova-core trapping and cooling (paper sec. IV A, eqs. 12-14): every recipe against its formula."""

import re
from dataclasses import replace

import numpy as np
import pytest
from helpers import ROOT
from scipy.special import zeta

from astrocevns.physics import core
from astrocevns.tables import io

G_F2_HBARC2 = (1.1663787e-11) ** 2 * (197.3269804e-13) ** 2  # cm^2 / MeV^2
C_CM_PER_S = 2.99792458e10
G_A, SIN2_W = 1.27, 0.231
E_GRID = np.linspace(0.2, 400.0, 2000)
MASSES = np.geomspace(1e-2, 1e4, 7)
PAPER = core.CoreRecipe("total", "paper_eq13", "paper_eq14", "paper_literal")
FIXED = core.DiffusionRegion(10.0, 40.0)
# <E^2> / T^2 of a Fermi-Dirac number spectrum E^2 f(E) at mu = 0
E2_OVER_T2 = 12 * (15 / 16) * zeta(5) / ((3 / 4) * zeta(3))


@pytest.fixture(scope="module")
def default_profile():
    return io.read_core_profile(ROOT / "resources/supernova/core_profile_SFHo_s18.6.csv")


def uniform_profile(rho=1e13, T=5.0, ye=1e-8, mu_nu=0.0, mu_e=-200.0, r_max=100.0):
    r = np.array([0.0, r_max])
    ones = np.ones(2)
    return core.CoreProfile(r, rho * ones, T * ones, ye * ones, mu_nu * ones, mu_e * ones)


# --- cross sections (eq. 12) ----------------------------------------------------------------------


@pytest.mark.parametrize("charges", ["paper_literal", "physical"])
def test_nucleon_cross_sections_against_textbook_low_energy_limits(charges):
    """E << m_N: sigma = G_F^2 E^2 / pi (C_V^2 + 3 C_A^2) with C_V = -1/2, C_A = -g_A/2 (n) and
    C_V = 1/2 - 2 sin^2, C_A = g_A/2 (p); transport (2/3) G_F^2 E^2 / pi (C_V^2 + 5 C_A^2) (Burrows, Reddy &
    Thompson 2006, Nucl. Phys. A 777, 356). The paper's literal charge: G_F^2 (1 + 3 g_A)^2 E^2 / (4 pi)
    with the (1 + cos theta) / 2 shape of eq. 2, whose transport average is 2/3."""
    E = np.array([0.3, 1.0])
    neutron, proton = core.nucleons(charges)
    if charges == "physical":
        couplings = {"n": (-0.5, -G_A / 2), "p": (0.5 - 2 * SIN2_W, G_A / 2)}
        total = {k: (cv**2 + 3 * ca**2) / np.pi for k, (cv, ca) in couplings.items()}
        transport = {k: 2 / 3 * (cv**2 + 5 * ca**2) / np.pi for k, (cv, ca) in couplings.items()}
    else:
        charge = {"n": 1 + 3 * G_A, "p": (1 - 4 * SIN2_W) + 3 * G_A}
        total = {k: q**2 / (4 * np.pi) for k, q in charge.items()}
        transport = {k: 2 / 3 * v for k, v in total.items()}
    for name, nucleon in (("n", neutron), ("p", proton)):
        for kind, expected in (("total", total), ("transport", transport)):
            value = core.sm_nucleon_cross_section_cm2(E, nucleon, kind)
            assert value == pytest.approx(G_F2_HBARC2 * E**2 * expected[name], rel=3e-3)  # recoil ~ E / m_N


def test_transport_cross_section_below_total_and_equal_for_isotropic_scattering():
    """Forward-peaked shapes (eq. 2's vector NC term, the Z' term, a light scalar) lose weight under
    1 - cos(theta); an isotropic cross section does not; a heavy scalar (dsigma/dE_r ~ E_r) gains 4/3."""
    E = np.array([0.1, 3.0, 30.0, 200.0])
    neutron = core.nucleons("paper_literal")[0]
    sm = [core.sm_nucleon_cross_section_cm2(E, neutron, kind) for kind in ("transport", "total")]
    assert np.all(sm[0] < sm[1])
    assert sm[0][0] / sm[1][0] == pytest.approx(2 / 3, rel=1e-3)
    vector = [
        core.nucleon_cross_section_polynomial(E, MASSES, neutron, "vector", kind)[2] for kind in ("transport", "total")
    ]
    assert np.all(vector[0] < vector[1])
    scalar = [
        core.nucleon_cross_section_polynomial(E, np.array([1e-3, 1e5]), neutron, "scalar", kind)[2]
        for kind in ("transport", "total")
    ]
    assert np.all(scalar[0][0] < scalar[1][0])
    assert scalar[0][1, 0] / scalar[1][1, 0] == pytest.approx(4 / 3, rel=1e-3)
    # equal vector and axial charges: (1 + cos) + (3 - cos) is flat in cos(theta)
    isotropic = core.Nucleon(replace(neutron.nucleus, weak_charge_override=1.0), 1.0)
    low = np.array([0.01, 0.1])
    flat = [core.sm_nucleon_cross_section_cm2(low, isotropic, kind) for kind in ("transport", "total")]
    assert flat[0] == pytest.approx(flat[1], rel=2 * low[-1] / 931.5)


def test_recoil_quadrature_against_closed_forms_and_a_tighter_rule():
    """The ln(u) Gauss-Legendre rule: scalar term against int E_r / u^2 = (ln(1 + z) - z / (1 + z)) / b^2,
    vector g^4 term against int (1 - a E_r) / u^2 in closed form; 64 nodes within 1e-8 of 256 nodes."""
    E = np.array([3.0, 30.0, 200.0])
    m = np.array([1e-2, 1.0, 100.0, 1e4])
    neutron = core.nucleons("paper_literal")[0]
    mT = 931.5
    X = 2 * E**2 / (mT + 2 * E)
    _, _, s2 = core.nucleon_cross_section_polynomial(E, m, neutron, "scalar", "total")
    b, z = 2 * mT, 2 * mT * X[None, :] / m[:, None] ** 2
    closed = 14**2 * mT**2 / (4 * np.pi * E**2) * (197.3269804e-13) ** 2 * (np.log1p(z) - z / (1 + z)) / b**2
    assert s2 == pytest.approx(closed, rel=1e-8)
    _, _, v2 = core.nucleon_cross_section_polynomial(E, m, neutron, "vector", "total")
    a, m2 = mT / (2 * E**2), m[:, None] ** 2
    u_hi = b * X + m2  # int_0^X (1 - a E_r) / (b E_r + m^2)^2 dE_r
    z = b * X / m2
    integral = X / (m2 * u_hi) - a / b**2 * (np.log1p(z) - z / (1 + z))
    # K^2 P = 2 Q'^2 m_N / (4 pi) with Q' = 3 (eq. 6: the Fermi constant cancels)
    assert v2 == pytest.approx(2 * 3**2 * mT / (4 * np.pi) * (197.3269804e-13) ** 2 * integral, rel=1e-8)
    for mediator in ("vector", "scalar"):
        for kind in ("total", "transport"):
            default = core.nucleon_cross_section_polynomial(E, m, neutron, mediator, kind)
            tight = core.nucleon_cross_section_polynomial(E, m, neutron, mediator, kind, nodes=256)
            assert all(np.allclose(x, y, rtol=1e-8, atol=0) for x, y in zip(default[1:], tight[1:], strict=True))


def test_vector_interference_follows_the_vector_charge():
    """The Z' interferes with the vector NC charge: destructively on neutrons; with the physical charges
    constructively on protons (Q_V = -(1 - 4 sin^2), the sign of Q_w = N - Z (1 - 4 sin^2))."""
    E = np.array([10.0, 50.0])
    for charges, proton_sign in (("physical", 1), ("paper_literal", -1)):
        neutron, proton = core.nucleons(charges)
        assert np.all(core.nucleon_cross_section_polynomial(E, MASSES, neutron, "vector")[1] < 0)
        assert np.all(proton_sign * core.nucleon_cross_section_polynomial(E, MASSES, proton, "vector")[1] > 0)


def test_recipe_rejects_unknown_choices():
    with pytest.raises(ValueError, match="core.diffusion_time: 'flux_limited' is not one of paper_eq13, slab"):
        core.CoreRecipe(diffusion_time="flux_limited")
    assert core.CoreRecipe().scattering_power == 4 and PAPER.scattering_power == 8


# --- species (eq. 12) -------------------------------------------------------------------------------


def test_species_spectra_and_absorption_on_a_uniform_core():
    """nu_x: mu = 0, neutral current only, against the hand value n <sigma_NC> with <E^2> = 12.9 T^2
    (T = 1 MeV, free neutrons; the axial recoil term is 8 E / 3 m_N ~ 1 %). nu_e (+mu, CC on neutrons) is more
    opaque than nu_x; anti-nu_e (-mu, no protons to absorb on) has a colder spectrum and is less opaque."""
    T, rho = 1.0, 1e13
    shell = uniform_profile(rho, T, mu_nu=2.0).between(10.0, 11.0, 3)
    n_n = rho / 1.66053906660e-24
    for charges, factor in (("physical", 1 + 3 * G_A**2), ("paper_literal", (1 + 3 * G_A) ** 2)):
        recipe = core.CoreRecipe(cross_section="total", nucleon_charges=charges)
        k = {s: core.sm_inverse_mean_free_path(shell, s, E_GRID, recipe)[0] for s in core.SPECIES}
        assert k["nux"] == pytest.approx(n_n * G_F2_HBARC2 * factor * E2_OVER_T2 * T**2 / (4 * np.pi), rel=0.02)
        assert k["nue"] > k["nux"] > k["nuebar"]
        polynomial = core.inverse_mean_free_path(shell, "nux", "vector", MASSES, E_GRID, recipe)
        assert polynomial[0][0] == pytest.approx(k["nux"], rel=1e-12)


def test_sm_diffusion_time_of_a_uniform_core_by_hand():
    """Free neutrons (Y_e -> 0), T = 5 MeV, mu = 0, no electron blocking, the paper's charge 1 + 3 g_A:
    sigma_NC = G_F^2 (1 + 3 g_A)^2 E^2 / (4 pi); sigma_CC(nu_e n) = G_F^2 cos^2 theta_C (1 + 3 g_A^2) (E + Delta)^2
    / pi; slab: tau = 3 L^2 / (2 lambda c), averaged over nu_e and anti-nu_e."""
    T, rho, L_cm = 5.0, 1e13, 30e5
    E1 = 3 * (7 / 8) * zeta(4) / ((3 / 4) * zeta(3)) * T
    n_n = rho / 1.66053906660e-24
    nc = n_n * G_F2_HBARC2 * (1 + 3 * G_A) ** 2 * E2_OVER_T2 * T**2 / (4 * np.pi)
    cc = n_n * G_F2_HBARC2 * 0.9737**2 * (1 + 3 * G_A**2) * (E2_OVER_T2 * T**2 + 2 * 1.29333 * E1 + 1.29333**2) / np.pi
    tau_nu, tau_nubar = (3 * L_cm**2 * k / (2 * C_CM_PER_S) for k in (nc + cc, nc))
    recipe = core.CoreRecipe("total", "slab", "optical_depth", "paper_literal")
    result = core.core_polynomials(uniform_profile(rho, T), "vector", MASSES, FIXED, E_GRID, recipe, 400)
    assert result.tau0_s == pytest.approx(0.5 * (tau_nu + tau_nubar), rel=0.03)  # recoil and p_e ~ E_e corrections


# --- diffusion time (eq. 13) and scatterings (eq. 14) on a uniform core ----------------------------


SHELL_FORMS = {  # c lambda tau for constant lambda, from R1 to R2 [km^2]
    "paper_eq13": lambda R1, R2: (R2**2 - R1**2) / 2,
    "slab": lambda R1, R2: 3 * (R2 - R1) ** 2 / 2,
    "spherical_shell": lambda R1, R2: (R2**2 - R1**2) / 2 - R1**2 + R1**3 / R2,
}


@pytest.mark.parametrize("diffusion_time", sorted(SHELL_FORMS))
@pytest.mark.parametrize("cross_section", ["total", "transport"])
def test_diffusion_time_closed_forms_on_a_uniform_core(diffusion_time, cross_section):
    """Constant lambda: eq. 13 gives (R2^2 - R1^2) / (2 lambda c); the slab and shell first-passage times their
    closed forms; every g-coefficient likewise, averaged over nu_e and anti-nu_e."""
    profile = uniform_profile(rho=3e12, T=8.0, ye=0.2, mu_nu=3.0)
    recipe = core.CoreRecipe(cross_section, diffusion_time)
    R1, R2 = 10.0, 40.0
    result = core.core_polynomials(profile, "vector", MASSES, core.DiffusionRegion(R1, R2), E_GRID, recipe)
    point = profile.between(20.0, 20.0, 1)
    k = [core.inverse_mean_free_path(point, s, "vector", MASSES, E_GRID, recipe) for s in core.DIFFUSING_SPECIES]
    form = SHELL_FORMS[diffusion_time](R1 * 1e5, R2 * 1e5) / C_CM_PER_S
    assert result.tau0_s == pytest.approx(form * np.mean([ks[0][0] for ks in k]), rel=1e-4)
    assert result.tau2_s == pytest.approx(form * np.mean([ks[2][0] for ks in k], axis=0), rel=1e-4)


def test_spherical_shell_and_eq13_from_the_centre_are_the_sphere_escape_time():
    """At R1 -> 0 both are the mean escape time from the centre of a sphere, R^2 / (6 D) with D = lambda c / 3."""
    profile = uniform_profile(rho=3e12, T=8.0)
    point = profile.between(5.0, 5.0, 1)
    lam_cm = 1 / np.mean([core.sm_inverse_mean_free_path(point, s, E_GRID)[0] for s in core.DIFFUSING_SPECIES])
    sphere = (20e5) ** 2 / (6 * lam_cm * C_CM_PER_S / 3)
    for diffusion_time in ("paper_eq13", "spherical_shell"):
        result = core.core_polynomials(
            profile,
            "vector",
            MASSES,
            core.DiffusionRegion(1e-4, 20.0),
            E_GRID,
            core.CoreRecipe(diffusion_time=diffusion_time),
            2000,
        )
        assert result.tau0_s == pytest.approx(sphere, rel=1e-4)


@pytest.mark.parametrize("cross_section", ["total", "transport"])
def test_scatterings_closed_forms_on_a_uniform_core(cross_section):
    """Constant lambda_phi = 1 / (g^4 k): the optical depth is g^4 k (R2 - R1), eq. 14 is g^8 k^2 R2^2 (from r = 0);
    per species, from the total scalar cross section whatever the diffusion uses."""
    profile = uniform_profile(rho=3e12, T=8.0, ye=0.2, mu_nu=3.0)
    point = profile.between(20.0, 20.0, 1)
    R1, R2 = 10.0, 40.0
    total = core.CoreRecipe(cross_section="total")
    k = {s: core.inverse_mean_free_path(point, s, "scalar", MASSES, E_GRID, total)[2][0] for s in core.COOLING_SPECIES}
    # the hotter nu_e spectrum (mu > 0): more opaque to a heavy scalar (sigma ~ E^2), less to a light one (ln E / E^2)
    assert k["nue"][-1] > k["nux"][-1] and k["nue"][0] < k["nux"][0]
    for scatterings, expected, power in (
        ("optical_depth", lambda k: k * (R2 - R1) * 1e5, 4),
        ("paper_eq14", lambda k: (k * R2 * 1e5) ** 2, 8),
    ):
        recipe = core.CoreRecipe(cross_section, scatterings=scatterings)
        result = core.core_polynomials(profile, "scalar", MASSES, core.DiffusionRegion(R1, R2), E_GRID, recipe)
        for species in core.COOLING_SPECIES:
            assert result.scatterings(1.0, species) == pytest.approx(expected(k[species]), rel=1e-6)
            assert result.scatterings(1e-3, species) == pytest.approx(1e-3**power * expected(k[species]), rel=1e-6)


# --- the diffusion region ---------------------------------------------------------------------------


def test_degeneracy_radius_where_mu_over_T_is_one():
    """mu_nu_e = 30 - 2 r [MeV] at T = 10 MeV: eta = 1 at r = 10 km (rows every 0.7 km)."""
    r = np.arange(0.0, 30.0, 0.7)
    ones = np.ones_like(r)
    profile = core.CoreProfile(r, 1e14 * ones, 10 * ones, 0.2 * ones, 30 - 2 * r, 50 * ones)
    assert core.degeneracy_radius_km(profile) == pytest.approx(10.0, abs=1e-9)
    with pytest.raises(ValueError, match="core.R1_km: mu_nu_e / T = 0.5 at the centre"):
        core.degeneracy_radius_km(uniform_profile(T=10.0, mu_nu=5.0))


def test_neutrinosphere_of_an_exponential_atmosphere():
    """rho = rho0 exp(-r / H) at constant T and Y_e: 1/lambda = kappa rho, so the optical depth from R_out is
    kappa rho0 H (exp(-r/H) - exp(-R_out/H)), which reaches 2/3 at a radius found in closed form."""
    rho0, H_km, R_out = 1e14, 1.0, 60.0
    r = np.linspace(0.0, R_out, 61)
    ones = np.ones_like(r)
    profile = core.CoreProfile(r, rho0 * np.exp(-r / H_km), 6 * ones, 0.1 * ones, 2 * ones, 10 * ones)
    for species in core.SPECIES:
        kappa = core.sm_inverse_mean_free_path(
            uniform_profile(rho=1.0, T=6, ye=0.1, mu_nu=2, mu_e=10).between(1.0, 1.0, 1), species, E_GRID
        )[0]
        depth0 = kappa * rho0 * H_km * 1e5
        expected = -H_km * np.log(2 / 3 / depth0 + np.exp(-R_out / H_km))
        assert core.neutrinosphere_radius_km(profile, species, E_GRID) == pytest.approx(expected, abs=2e-3)
    with pytest.raises(ValueError, match="core.R2_km: the nux optical depth .* no neutrinosphere"):
        core.neutrinosphere_radius_km(profile, "nux", E_GRID, inner_km=30.0)


def test_diffusion_region_from_the_profile(default_profile):
    """On the embedded profile: eta = 1 near 8 km; the neutrinospheres at 18-22 km, nu_e outermost and nu_x
    innermost (only nu_e and anti-nu_e absorb); within 1e-3 km of a four times finer radial grid."""
    E = np.linspace(0.5, 400.0, 400)
    region = core.diffusion_region(default_profile, "eta_1", "neutrinosphere", E)
    assert 7.5 < region.R1_km < 9.0
    outer = [region.outer_km(s) for s in ("nue", "nuebar", "nux")]
    assert 18.0 < outer[2] < outer[1] < outer[0] < 22.0
    for species in core.SPECIES:
        finer = core.neutrinosphere_radius_km(
            default_profile, species, E, core.CoreRecipe(), region.R1_km, n_radii=9600
        )
        assert region.outer_km(species) == pytest.approx(finer, abs=1e-3)
    fixed = core.diffusion_region(default_profile, 10.0, 40.0, E)
    assert fixed == core.DiffusionRegion(10.0, 40.0)


@pytest.mark.parametrize(
    "R1, R2, message",
    [
        (50.0, 40.0, "core: R1_km = 50.0 must be below R2_km = 40.0"),
        (10.0, 80.0, r"core.R2_km: 80.0 km is not inside the profile \(0.5..60 km\)"),
        ("eta", 40.0, "core.R1_km: 'eta' is neither a radius nor eta_1"),
        (25.0, "neutrinosphere", "core.R2_km: the nue optical depth from 60 km in to 25 km is .* no neutrinosphere"),
    ],
)
def test_diffusion_region_rejects_bad_radii(default_profile, R1, R2, message):
    with pytest.raises(ValueError, match=message):
        core.diffusion_region(default_profile, R1, R2, np.linspace(0.5, 400.0, 100))


# --- the default profile ----------------------------------------------------------------------------


def test_sm_mean_free_path_and_diffusion_time_at_default_profile(default_profile):
    """At 12 km (rho ~ 1.5e14 g/cm^3, T ~ 32 MeV) the anti-nu_e mean free path is centimetres; tau of order a second.

    Hand estimate for neutrons only: lambda ~ 1 / (n_n G_F^2 (1 + 3 g_A^2) <E^2> / 4 pi) with <E^2> ~ 13 T^2
    (mu ~ 0); the SM diffusion time must stay below the paper's 10 s criterion (Burrows & Lattimer 1986: seconds).
    """
    shell = default_profile.between(12.0, 12.0001, 2)
    n_n, _ = shell.nucleon_densities_per_cm3()
    T = shell.temperature_MeV[0]
    hand = 1 / (n_n[0] * G_F2_HBARC2 * (1 + 3 * G_A**2) * 13 * T**2 / (4 * np.pi))
    k0 = core.sm_inverse_mean_free_path(shell, "nuebar", E_GRID, core.CoreRecipe(cross_section="total"))
    assert 1 / k0[0] == pytest.approx(hand, rel=0.5)
    assert 0.1 < 1 / k0[0] < 100  # cm
    for recipe in (core.CoreRecipe(), PAPER):
        tau = core.core_polynomials(default_profile, "vector", MASSES, FIXED, E_GRID, recipe).tau0_s
        assert 0.1 < tau < 10.0


@pytest.mark.parametrize("recipe", [core.CoreRecipe(), PAPER], ids=["default", "paper"])
def test_radial_quadrature_against_a_finer_one(default_profile, recipe):
    """200 radii: tau within 1e-3 and N within 5e-4 of 1600 radii (default profile, 10-40 km)."""
    E = np.linspace(0.5, 400.0, 400)
    coarse, fine = (core.core_polynomials(default_profile, "scalar", MASSES, FIXED, E, recipe, n) for n in (200, 1600))
    assert coarse.tau0_s == pytest.approx(fine.tau0_s, rel=1e-3)
    assert coarse.tau2_s == pytest.approx(fine.tau2_s, rel=1e-3)
    for species in core.COOLING_SPECIES:
        assert coarse.scattering_coefficients[species] == pytest.approx(fine.scattering_coefficients[species], rel=5e-4)


def test_energy_quadrature_against_a_finer_one(default_profile):
    """The config's 400 energies from 0.5 to 400 MeV: SM tau within 1e-5, the g^4 terms within 4e-3 of 1600."""
    coarse, fine = (
        core.core_polynomials(default_profile, "scalar", MASSES, FIXED, np.linspace(0.5, 400.0, n)) for n in (400, 1600)
    )
    assert coarse.tau0_s == pytest.approx(fine.tau0_s, rel=1e-5)
    assert coarse.tau2_s == pytest.approx(fine.tau2_s, rel=4e-3)
    for species in core.COOLING_SPECIES:
        assert coarse.scattering_coefficients[species] == pytest.approx(fine.scattering_coefficients[species], rel=4e-3)


def test_mass_blocks_do_not_change_the_result(default_profile):
    recipe = core.CoreRecipe()
    whole = core.core_polynomials(default_profile, "scalar", MASSES, FIXED, E_GRID[::5], recipe)
    blocks = core.core_polynomials(default_profile, "scalar", MASSES, FIXED, E_GRID[::5], recipe, masses_per_block=2)
    assert blocks.tau2_s == pytest.approx(whole.tau2_s, rel=1e-12)
    assert blocks.scattering_coefficients["nux"] == pytest.approx(whole.scattering_coefficients["nux"], rel=1e-12)


def test_diffusion_time_recovers_sm_at_small_coupling_and_heavy_mediator(default_profile):
    for mediator in ("vector", "scalar"):
        p = core.core_polynomials(default_profile, mediator, MASSES, FIXED, E_GRID)
        assert p.diffusion_time_s(1e-9) == pytest.approx(p.tau0_s, rel=1e-8)
        heavy = core.core_polynomials(default_profile, mediator, np.array([1e7]), FIXED, E_GRID)
        assert heavy.diffusion_time_s(1e-2) == pytest.approx(heavy.tau0_s, rel=1e-4)


def test_diffusion_time_grows_with_coupling(default_profile):
    g = np.geomspace(1e-7, 1e-1, 400)[:, None]
    for recipe in (core.CoreRecipe(), PAPER):
        scalar = core.core_polynomials(default_profile, "scalar", MASSES, FIXED, E_GRID, recipe).diffusion_time_s(g)
        assert np.all(np.diff(scalar, axis=0) >= 0)
        # vector: destructive interference on neutrons lowers tau first; beyond the minimum it grows monotonically
        vector = core.core_polynomials(default_profile, "vector", MASSES, FIXED, E_GRID, recipe).diffusion_time_s(g)
        for column in vector.T:
            lowest = np.argmin(column)
            assert np.all(np.diff(column[lowest:]) >= 0) and np.all(np.diff(column[: lowest + 1]) <= 0)


def test_paper_qualitative_results(default_profile):
    """Sec. IV A: the core argument bites only for g >~ 1e-4 at low mass; for the LNC scalar the cooling
    criterion (N >= 1, nu_e and nu_x) excludes far more than the diffusion criterion (tau > 10 s)."""
    m = np.array([0.1, 1.0, 10.0])
    g = np.geomspace(1e-8, 1e-1, 2000)[:, None]
    for mediator in ("vector", "scalar"):
        tau = core.core_polynomials(default_profile, mediator, m, FIXED, E_GRID).diffusion_time_s(g)
        first = g[np.argmax(tau > 10.0, axis=0), 0]
        assert np.all(first > 1e-4)
    for recipe in (core.CoreRecipe(), PAPER):
        scalar = core.core_polynomials(default_profile, "scalar", m, FIXED, E_GRID, recipe)
        diffusion = g[np.argmax(scalar.diffusion_time_s(g) > 10.0, axis=0), 0]
        for species in core.COOLING_SPECIES:
            cooling = g[np.argmax(scalar.scatterings(g, species) >= 1.0, axis=0), 0]
            assert np.all(cooling < diffusion / 10)


# --- profile readers ----------------------------------------------------------------------------------


def test_reader_parses_reference_garching_profile(reference_dir, default_profile):
    profile = io.read_core_profile(reference_dir / "supernova" / "core_profile_SFHo_s18.6_tpb1.0s.txt")
    assert profile.radius_km.size > 1000
    at = lambda p, r: np.interp(r, p.radius_km, p.density_g_cm3)  # noqa: E731
    # the embedded parametrisation follows the reference within its stated 10 %
    for r in (10.0, 15.0, 20.0, 30.0):
        assert at(default_profile, r) == pytest.approx(at(profile, r), rel=0.1)


@pytest.mark.parametrize(
    "text, message",
    [
        ("#  radius   density\n1 2\n", "column(s) ['temperature', 'Y_e', 'mu_nu', 'mu_e'] not found"),
        ("no header\n1 2 3\n", "no '#' header line"),
    ],
)
def test_reader_rejects_malformed_garching_profile(tmp_path, text, message):
    path = tmp_path / "profile.txt"
    path.write_text(text)
    with pytest.raises(io.InputError, match=re.escape(message)):
        io.read_core_profile(path)


def test_reader_rejects_bad_rows_of_a_table(tmp_path):
    header = (
        "r_km,density_g_cm3,temperature_MeV,electron_fraction,nue_chemical_potential_MeV,"
        "electron_chemical_potential_MeV\n"
    )
    path = tmp_path / "profile.csv"
    path.write_text(header + "1,1e14,10,0.3,5,50\n2,1e14,10,1.3,5,50\n")
    with pytest.raises(io.InputError, match="profile.csv, line 3: Y_e = 1.3 outside"):
        io.read_core_profile(path)
    path.write_text(header + "1,1e14,10,0.3,5,50\n2,-1,10,0.3,5,50\n")
    with pytest.raises(io.InputError, match="line 3: density -1 is not positive"):
        io.read_core_profile(path)
