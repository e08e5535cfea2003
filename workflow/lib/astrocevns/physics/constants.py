"""Physical constants and unit conversions, in one place.

Natural units (hbar = c = 1) with energies in MeV are used inside the library.
Names carry their unit. Sources: CODATA 2018 / PDG 2020 unless stated.
"""

import math

# --- couplings -------------------------------------------------------------
G_F_PER_MEV2 = 1.1663787e-11
"""Fermi constant [MeV^-2] (PDG 2020: 1.1663787e-5 GeV^-2)."""

SIN2_THETA_W = 0.231
"""Weak mixing angle sin^2(theta_W) used by the paper (sec. II, below eq. 2)."""

G_A_NUCLEON = 1.27
"""Nucleon axial coupling g_A (PDG 2020: 1.2754)."""

COS2_THETA_C = 0.9737**2
"""cos^2 of the Cabibbo angle, |V_ud|^2 (PDG 2020: |V_ud| = 0.97370)."""

# --- masses ----------------------------------------------------------------
ATOMIC_MASS_UNIT_MEV = 931.494
ATOMIC_MASS_UNIT_GEV = 0.93149410242  # CODATA 2018, full precision (the unit wimprates uses)
"""Atomic mass unit u [MeV] (CODATA 2018: 931.494 10242 MeV)."""

NUCLEON_MASS_PAPER_MEV = 931.5
"""Mass per nucleon used for m_T = 931.5 MeV x A (paper, below eq. 2)."""

ELECTRON_MASS_MEV = 0.51099895
"""Electron mass [MeV] (CODATA 2018)."""

NEUTRON_PROTON_MASS_DIFFERENCE_MEV = 1.29333
"""m_n - m_p [MeV] (CODATA 2018)."""

SPEED_OF_LIGHT_CM_PER_S = 2.99792458e10
SPEED_OF_LIGHT_KM_PER_S = 2.99792458e5
KM_PER_CM = 1e-5
GRAM_PER_U = 1.66053906660e-24
"""Atomic mass unit [g] (CODATA 2018)."""

# --- conversions -----------------------------------------------------------
HBARC_MEV_FM = 197.3269804
"""hbar c [MeV fm] (CODATA 2018)."""

HBARC2_CM2_MEV2 = (HBARC_MEV_FM * 1e-13) ** 2
"""(hbar c)^2 [cm^2 MeV^2]: converts a natural-unit cross section in MeV^-2 to cm^2 (3.8938e-22)."""

KEV_PER_MEV = 1e3
MEV_PER_ERG = 6.241509074e5
"""1 erg in MeV (CODATA 2018: 1 eV = 1.602176634e-19 J)."""

ERG_PER_FOE = 1e51
"""1 foe = 10^51 erg (the Garching archive's luminosity unit is foe/s)."""

CM_PER_KPC = 3.0856775814913673e21
"""1 kiloparsec [cm] (IAU 2015: 1 pc = 3.0856775814913673e16 m)."""

SECONDS_PER_YEAR = 365.25 * 86400.0
"""Julian year [s]."""

KG_PER_TONNE = 1e3
KG_PER_U = 1.66053906660e-27
"""Atomic mass unit [kg] (CODATA 2018)."""

FOUR_PI = 4.0 * math.pi

# --- pion decay at rest (PDG 2020) -------------------------------------------
CHARGED_PION_MASS_MEV = 139.57039
MUON_MASS_MEV = 105.6583755
CM_PER_M = 100.0

# --- mediator models and neutrino oscillations -------------------------------
FINE_STRUCTURE_CONSTANT = 1.0 / 137.035999084
"""alpha at zero momentum transfer (CODATA 2018)."""

TAU_MASS_MEV = 1776.86
"""tau-lepton mass [MeV] (PDG 2020)."""

SCALAR_CHARGE_PER_PROTON = 15.1
SCALAR_CHARGE_PER_NEUTRON = 14.0
"""Scalar charges of a proton and a neutron per unit quark coupling: Q_s = 14 A + 1.1 Z = 15.1 Z + 14 N (eq. 10)."""

AVOGADRO_PER_MOL = 6.02214076e23
"""Avogadro constant N_A [mol^-1] (SI 2019, exact): solar electron densities are quoted in N_A cm^-3."""

EV2_PER_MEV2 = 1e12
"""1 MeV^2 in eV^2 (mass-squared differences are quoted in eV^2)."""
