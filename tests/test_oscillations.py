"""Solar nu_e survival probability (adiabatic MSW-LMA) and the flavours of the solar flux at the Earth."""

import math

import numpy as np
import pytest
from helpers import load_config
from scipy.integrate import quad

from astrocevns.physics import constants as c
from astrocevns.physics import oscillations

CONFIG = load_config()
MIXING = oscillations.MixingParameters.from_config(CONFIG["oscillations"])
SUN = CONFIG["oscillations"]["sun"]
S12, S13 = MIXING.sin2_theta12, MIXING.sin2_theta13
VACUUM = (1 - S13) ** 2 * (1 - 2 * S12 * (1 - S12)) + S13**2  # cos^4 t13 (1 - sin^2 2t12 / 2) + sin^4 t13
HIGH_DENSITY = (1 - S13) ** 2 * S12 + S13**2  # cos^4 t13 sin^2 t12 + sin^4 t13


def test_matter_potential_of_the_textbook():
    # sqrt(2) G_F N_A = 7.63e-14 eV cm^3: V = 7.63e-14 eV for n_e = 1 N_A cm^-3 (e.g. Giunti & Kim, eq. 9.37)
    assert oscillations.matter_potential_MeV(c.AVOGADRO_PER_MOL) * 1e6 == pytest.approx(7.63e-14, rel=2e-3)


@pytest.mark.parametrize("region", ["8B", "hep"])
def test_survival_probability_lies_between_0_3_and_0_6_from_2_to_16_MeV(region):
    P = oscillations.solar_survival_probability(np.linspace(2.0, 16.0, 141), MIXING, SUN, region)
    assert np.all((P > 0.3) & (P < 0.6))
    assert np.all(np.diff(P) < 0)  # the MSW transition: decreasing from the vacuum to the matter value


@pytest.mark.parametrize("region", ["8B", "hep"])
def test_survival_probability_tends_to_the_vacuum_value_at_low_energy(region):
    P = oscillations.solar_survival_probability(np.array([1e-4, 1e-3, 0.05]), MIXING, SUN, region)
    assert P[0] == pytest.approx(VACUUM, abs=1e-5)
    assert pytest.approx(0.553, abs=2e-3) == VACUUM  # with NuFIT 5.2: sin^2 t12 = 0.303, sin^2 t13 = 0.0223
    # the matter correction is linear in beta, i.e. in E: ten times smaller at a ten times lower energy
    assert (VACUUM - P[1]) / (VACUUM - P[0]) == pytest.approx(10.0, rel=0.01)
    assert P[2] < P[1]


def test_high_density_limit_and_the_resonance():
    n_e = 100 * c.AVOGADRO_PER_MOL
    assert oscillations.adiabatic_survival_probability(1e6, n_e, MIXING) == pytest.approx(HIGH_DENSITY, abs=1e-6)
    # at the resonance beta = cos 2 t12, theta_12^m = 45 deg: P_ee = cos^4 t13 / 2 + sin^4 t13; by hand
    # 2 V E cos^2 t13 = cos 2 t12 Delta m^2 with V = 7.63e-12 eV: E = 0.394 x 7.41e-5 / (2 x 7.63e-12 x 0.9778) eV
    V_eV = 7.6324e-14 * 100
    E_res_MeV = (1 - 2 * S12) * MIXING.dm2_21_eV2 / (2 * V_eV * (1 - S13)) / 1e6
    assert E_res_MeV == pytest.approx(1.956, rel=1e-3)
    P = oscillations.adiabatic_survival_probability(E_res_MeV, n_e, MIXING)
    assert pytest.approx(0.5 * (1 - S13) ** 2 + S13**2, abs=1e-3) == P


def test_8b_survival_at_10_MeV_against_the_borexino_and_sno_range():
    """Measured 8B P_ee above 5 MeV is 0.30-0.37 (SNO, Borexino); adiabatic MSW-LMA gives ~0.32 at 10 MeV."""
    assert oscillations.solar_survival_probability(10.0, MIXING, SUN, "8B") == pytest.approx(0.32, abs=0.015)


def production_shape(spec):
    """The unnormalised production distribution r^2 exp(-(r / r_0)^k) of one region."""
    return lambda r: r**2 * np.exp(-((r / spec["scale_radius"]) ** spec["exponent"]))


def test_production_regions_against_the_standard_solar_model():
    """Mean electron density where 8B and hep neutrinos are produced: 87.9 and 51.4 N_A cm^-3 in the B16-GS98
    model (Vinyoles et al. 2017), and median production radii 0.049 and 0.137 R_sun."""
    for region, density_NA, median in (("8B", 87.9, 0.049), ("hep", 51.4, 0.137)):
        r, w = oscillations.production_quadrature(SUN["production"][region])
        n_e = oscillations.electron_density_per_cm3(r, SUN["electron_density"]) / c.AVOGADRO_PER_MOL
        assert w @ n_e == pytest.approx(density_NA, rel=0.02)
        shape = production_shape(SUN["production"][region])
        assert quad(shape, 0, median)[0] / quad(shape, 0, 1)[0] == pytest.approx(0.5, abs=0.01)


def test_production_quadrature_is_converged():
    """The accuracy quoted at PRODUCTION_NODES: 64 Gauss-Legendre nodes within 1e-12 of 256."""
    E = np.geomspace(0.1, 20.0, 40)
    for region in ("8B", "hep"):
        spec = SUN["production"][region]
        r, w = oscillations.production_quadrature(spec)
        r_fine, w_fine = oscillations.production_quadrature(spec, nodes=256)
        coarse, fine = (
            oscillations.adiabatic_survival_probability(
                E[:, None], oscillations.electron_density_per_cm3(x, SUN["electron_density"]), MIXING
            )
            @ weights
            for x, weights in ((r, w), (r_fine, w_fine))
        )
        assert np.max(np.abs(coarse - fine)) < 1e-12
        # the weights integrate the normalised distribution: its mean radius against adaptive quadrature
        shape = production_shape(spec)
        mean = quad(lambda x, shape=shape: x * shape(x), 0, 1)[0] / quad(shape, 0, 1)[0]
        assert w @ r == pytest.approx(mean, rel=1e-10)


def test_flavour_fractions_add_up_and_split_by_theta23():
    E = np.geomspace(0.5, 18.0, 30)
    shares = oscillations.solar_flavour_fractions(E, MIXING, SUN, "8B")
    assert np.allclose(shares["e"] + shares["mu"] + shares["tau"], 1.0, rtol=0, atol=1e-15)
    assert np.allclose(shares["tau"] / shares["mu"], MIXING.sin2_theta23 / (1 - MIXING.sin2_theta23), rtol=1e-14)
    assert math.isclose(MIXING.sin2_theta23, 0.451)
