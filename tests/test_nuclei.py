"""Nuclei: charges, masses, numbers of targets and the Helm form factor (eqs. 2, 3, 6, 10)."""

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.special import spherical_jn

from astrocevns.physics.nuclei import helm_form_factor

AVOGADRO = 6.02214076e23  # CODATA 2018 exact


def test_form_factor_is_one_at_zero_momentum(xenon, lead):
    assert helm_form_factor(0.0, 131.293) == pytest.approx(1.0, abs=1e-15)
    assert xenon.form_factor(0.0) == pytest.approx(1.0, abs=1e-15)
    assert lead.form_factor(1e-12) == pytest.approx(1.0, abs=1e-9)


def test_form_factor_small_x_series_joins_exact_expression():
    Q = np.array([0.9e-3, 1.1e-3]) / 5.0  # straddles the series switch at Q R0 = 1e-3
    exact = 3 * spherical_jn(1, Q * 5.0) / (Q * 5.0)
    assert np.allclose(helm_form_factor(Q, 125.0, 1.0, 0.0) / exact, 1.0, atol=1e-12)


def test_form_factor_vanishes_at_first_zero_of_j1(xenon):
    # first zero of j1: tan x = x at x = 4.493409457909064 (Abramowitz & Stegun table 10.6)
    x1 = brentq(lambda x: spherical_jn(1, x), 4.0, 5.0)
    assert x1 == pytest.approx(4.493409457909064, rel=1e-12)
    R = 1.2 * 131.293 ** (1 / 3)
    R0 = np.sqrt(R**2 - 5 * 0.5**2)
    assert abs(helm_form_factor(x1 / R0, 131.293)) < 1e-12
    assert helm_form_factor(0.9 * x1 / R0, 131.293) > 0 > helm_form_factor(1.1 * x1 / R0, 131.293)


def test_weak_charges_by_hand(xenon, lead):
    # Q_w = N - Z (1 - 4 x 0.231) = N - 0.076 Z
    assert xenon.weak_charge == pytest.approx(77.293 - 0.076 * 54, rel=1e-12)
    assert lead.weak_charge == pytest.approx(125.2 - 0.076 * 82, rel=1e-12)
    assert xenon.vector_charge == pytest.approx(3 * 131.293)
    assert lead.scalar_charge == pytest.approx(14 * 207.2 + 1.1 * 82)


def test_nuclear_mass_and_targets_per_tonne(xenon):
    assert xenon.mass_MeV == pytest.approx(931.5 * 131.293)
    # one tonne = 1e6 g of atoms of molar mass A g/mol
    assert xenon.targets_per_tonne() == pytest.approx(1e6 / 131.293 * AVOGADRO, rel=1e-8)
    assert xenon.targets_per_tonne() == pytest.approx(4.5867e27, rel=1e-4)
