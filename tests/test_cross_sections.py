"""Cross sections: kinematics, SM normalisation, vector and scalar limits (eqs. 2, 5-6, 9-10, B1)."""

import numpy as np
import pytest
from scipy.integrate import quad

from astrocevns.physics import cross_sections as xs
from astrocevns.physics.nuclei import Nucleus

rng = np.random.default_rng(20101)


def test_recoil_end_point_by_hand(xenon):
    # 10 MeV on Xe: 2 x 100 / (122299.4 + 20) MeV
    assert xs.max_recoil_energy_MeV(10.0, xenon.mass_MeV) == pytest.approx(200 / (931.5 * 131.293 + 20), rel=1e-9)
    E_r = xs.max_recoil_energy_MeV(np.array([5.0, 30.0, 300.0]), xenon.mass_MeV)
    assert np.allclose(xs.min_neutrino_energy_MeV(E_r, xenon.mass_MeV), [5.0, 30.0, 300.0], rtol=1e-12)


def test_cross_section_zero_beyond_end_point(xenon):
    E_max = xs.max_recoil_energy_MeV(20.0, xenon.mass_MeV)
    assert xs.sm_cross_section(20.0, 0.999 * E_max, xenon) > 0
    assert xs.sm_cross_section(20.0, 1.001 * E_max, xenon) == 0
    assert xs.scalar_extra_cross_section(20.0, 1.001 * E_max, 1e-4, 1.0, xenon) == 0


def test_total_sm_cross_section_coherent_limit():
    # Point nucleus (F = 1) and E << m_T: sigma = G_F^2 Q_w^2 E^2 / (4 pi)
    # = 4.22e-45 cm^2 Q_w^2 (E/MeV)^2 (Drukier & Stodolsky, PRD 30, 2295 (1984), eq. 2)
    point = Nucleus("Xe", 131.293, 54, radius_coefficient_fm=1e-6, skin_thickness_fm=0.0)
    E = 10.0
    sigma, _ = quad(lambda Er: xs.sm_cross_section(E, Er, point), 0, xs.max_recoil_energy_MeV(E, point.mass_MeV))
    assert sigma / (point.weak_charge**2 * E**2) == pytest.approx(4.216e-45, rel=2e-3)


def test_vector_recovers_sm_at_small_coupling_and_heavy_mediator(xenon):
    E_nu = rng.uniform(10, 60, 50)
    E_r = rng.uniform(0, 1, 50) * xs.max_recoil_energy_MeV(E_nu, xenon.mass_MeV)
    sm = xs.sm_cross_section(E_nu, E_r, xenon)
    assert np.allclose(xs.vector_cross_section(E_nu, E_r, 1e-12, 1.0, xenon), sm, rtol=1e-12)
    assert np.allclose(xs.vector_cross_section(E_nu, E_r, 1e-3, 1e9, xenon), sm, rtol=1e-8)
    assert np.allclose(xs.scalar_cross_section(E_nu, E_r, 1e-12, 1.0, xenon), sm, rtol=1e-12)
    assert np.allclose(xs.scalar_cross_section(E_nu, E_r, 1e-3, 1e9, xenon), sm, rtol=1e-8)


def test_vector_equals_paper_eq5_with_xi(xenon):
    # eq. 5: G_F^2 m_T/pi |xi|^2 (1 - m_T E_r/2E^2) F^2 with xi from eq. 6, written out directly
    G_F, g, m, E, Er = 1.1663787e-11, 3e-5, 5.0, 30.0, 5e-3
    xi = -xenon.weak_charge / 2 + g**2 * 3 * xenon.A / (np.sqrt(2) * G_F * (2 * xenon.mass_MeV * Er + m**2))
    direct = G_F**2 * xenon.mass_MeV / np.pi * xi**2 * (1 - xenon.mass_MeV * Er / (2 * E**2))
    direct *= xenon.form_factor(Er) ** 2 * (197.3269804e-13) ** 2
    assert xs.vector_cross_section(E, Er, g, m, xenon) == pytest.approx(direct, rel=1e-12)


def test_vector_rate_vanishes_where_xi_is_zero(xenon, lead):
    for nucleus in (xenon, lead):
        for g, m in [(6e-5, 1.0), (3e-5, 0.1), (1e-4, 10.0)]:  # zeros at a few to tens of keV
            E_zero = xs.vector_zero_recoil_MeV(g, m, nucleus)
            assert E_zero > 0
            E_nu = 200.0  # able to give that recoil
            assert xs.sm_cross_section(E_nu, E_zero, nucleus) > 0
            assert xs.vector_cross_section(E_nu, E_zero, g, m, nucleus) < 1e-20 * xs.sm_cross_section(
                E_nu, E_zero, nucleus
            )
            # destructive interference: below the SM above the zero
            assert xs.vector_cross_section(E_nu, 2 * E_zero, g, m, nucleus) < xs.sm_cross_section(
                E_nu, 2 * E_zero, nucleus
            )


def test_vector_zero_recoil_matches_b1_with_squares(xenon):
    # eq. B1 corrected: E_r = (2 g^2 Q'_w - sqrt(2) G_F Q_w m^2) / (2 sqrt(2) G_F Q_w m_T)
    G_F, g, m = 1.1663787e-11, 1e-4, 1.0
    expected = (2 * g**2 * 3 * xenon.A - np.sqrt(2) * G_F * xenon.weak_charge * m**2) / (
        2 * np.sqrt(2) * G_F * xenon.weak_charge * xenon.mass_MeV
    )
    assert xs.vector_zero_recoil_MeV(g, m, xenon) == pytest.approx(expected, rel=1e-13)
    assert xs.vector_zero_recoil_MeV(1e-7, 10.0, xenon) < 0  # weak coupling: no zero


def test_scalar_never_below_sm(xenon, lead):
    E_nu = rng.uniform(5, 100, 200)
    for nucleus in (xenon, lead):
        E_r = rng.uniform(0, 1, 200) * xs.max_recoil_energy_MeV(E_nu, nucleus.mass_MeV)
        g = 10 ** rng.uniform(-7, -2, 200)
        m = 10 ** rng.uniform(-2, 4, 200)
        assert np.all(xs.scalar_cross_section(E_nu, E_r, g, m, nucleus) >= xs.sm_cross_section(E_nu, E_r, nucleus))


def test_scalar_term_equals_paper_eq10(lead):
    g, m, E, Er = 1e-5, 2.0, 20.0, 1e-3
    direct = (g**2 * (14 * 207.2 + 1.1 * 82)) ** 2 * lead.mass_MeV**2 * Er
    direct /= 4 * np.pi * E**2 * (2 * Er * lead.mass_MeV + m**2) ** 2
    direct *= lead.form_factor(Er) ** 2 * (197.3269804e-13) ** 2
    assert xs.scalar_extra_cross_section(E, Er, g, m, lead) == pytest.approx(direct, rel=1e-12)
