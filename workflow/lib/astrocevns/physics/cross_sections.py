"""Differential CEvNS cross sections dsigma/dE_r: SM (eq. 2), vector Z' (eqs. 5-6), scalar (eqs. 9-10).

All energies in MeV; cross sections returned in cm^2 / MeV. The coupling is g = sqrt(g_nu g_q)
and the mediator mass m is in MeV. Every function broadcasts over its array arguments and is
zero outside the kinematic range E_r <= E_r^max(E_nu).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from . import constants as c

if TYPE_CHECKING:
    from .nuclei import Nucleus


def max_recoil_energy_MeV(E_nu_MeV: npt.ArrayLike, target_mass_MeV: float) -> np.ndarray:
    """Kinematic end point E_r^max = 2 E_nu^2 / (m_T + 2 E_nu) (below eq. 2)."""
    E_nu = np.asarray(E_nu_MeV, dtype=float)
    return 2.0 * E_nu**2 / (target_mass_MeV + 2.0 * E_nu)


def min_neutrino_energy_MeV(E_r_MeV: npt.ArrayLike, target_mass_MeV: float) -> np.ndarray:
    """Smallest E_nu that can give recoil E_r: the inverse of :func:`max_recoil_energy_MeV`."""
    E_r = np.asarray(E_r_MeV, dtype=float)
    return 0.5 * (E_r + np.sqrt(E_r**2 + 2.0 * target_mass_MeV * E_r))


def kinematic_factor(E_nu_MeV: npt.ArrayLike, E_r_MeV: npt.ArrayLike, target_mass_MeV: float) -> np.ndarray:
    """(1 - m_T E_r / (2 E_nu^2)) of eqs. 2 and 5, set to zero above E_r^max."""
    E_nu = np.asarray(E_nu_MeV, dtype=float)
    E_r = np.asarray(E_r_MeV, dtype=float)
    allowed = E_r <= max_recoil_energy_MeV(E_nu, target_mass_MeV)
    return np.where(allowed, 1.0 - target_mass_MeV * E_r / (2.0 * E_nu**2), 0.0)


def sm_prefactor_cm2_per_MeV(nucleus: Nucleus) -> float:
    """G_F^2 m_T Q_w^2 / (4 pi) (hbar c)^2: the SM cross section per unit kinematic factor and F^2."""
    return c.G_F_PER_MEV2**2 * nucleus.mass_MeV * nucleus.weak_charge**2 / c.FOUR_PI * c.HBARC2_CM2_MEV2


def sm_cross_section(E_nu_MeV: npt.ArrayLike, E_r_MeV: npt.ArrayLike, nucleus: Nucleus) -> np.ndarray:
    """Standard-Model dsigma/dE_r [cm^2/MeV] (eq. 2)."""
    E_r = np.asarray(E_r_MeV, dtype=float)
    return (
        sm_prefactor_cm2_per_MeV(nucleus)
        * kinematic_factor(E_nu_MeV, E_r, nucleus.mass_MeV)
        * nucleus.form_factor(E_r) ** 2
    )


def recoil_propagator_MeV2(
    E_r_MeV: npt.ArrayLike, mediator_mass_MeV: npt.ArrayLike, target_mass_MeV: float
) -> np.ndarray:
    """Mediator propagator denominator 2 m_T E_r + m^2 [MeV^2] (eqs. 6 and 10)."""
    return 2.0 * target_mass_MeV * np.asarray(E_r_MeV, dtype=float) + np.asarray(mediator_mass_MeV, dtype=float) ** 2


def vector_strength_MeV2(nucleus: Nucleus) -> float:
    """sqrt(2) Q'_w / (G_F Q_w) [MeV^2]: the Z' amplitude relative to the SM one (eq. 6).

    With it, xi = -Q_w/2 * (1 - g^2 * vector_strength / (2 m_T E_r + m^2)).
    """
    return np.sqrt(2.0) * nucleus.vector_charge / (c.G_F_PER_MEV2 * nucleus.weak_charge)


def vector_to_sm_ratio(
    E_r_MeV: npt.ArrayLike, coupling: npt.ArrayLike, mediator_mass_MeV: npt.ArrayLike, nucleus: Nucleus
) -> np.ndarray:
    """dsigma_Z'/dsigma_SM = (2 xi / Q_w)^2 (eqs. 5-6); independent of E_nu."""
    g2 = np.asarray(coupling, dtype=float) ** 2
    propagator = recoil_propagator_MeV2(E_r_MeV, mediator_mass_MeV, nucleus.mass_MeV)
    return (1.0 - g2 * vector_strength_MeV2(nucleus) / propagator) ** 2


def vector_cross_section(
    E_nu_MeV: npt.ArrayLike,
    E_r_MeV: npt.ArrayLike,
    coupling: npt.ArrayLike,
    mediator_mass_MeV: npt.ArrayLike,
    nucleus: Nucleus,
) -> np.ndarray:
    """SM plus vector Z' dsigma/dE_r [cm^2/MeV] (eqs. 5-6): G_F^2 m_T/pi |xi|^2 (1 - m_T E_r/2E^2) F^2."""
    return sm_cross_section(E_nu_MeV, E_r_MeV, nucleus) * vector_to_sm_ratio(
        E_r_MeV, coupling, mediator_mass_MeV, nucleus
    )


def vector_zero_recoil_MeV(coupling: npt.ArrayLike, mediator_mass_MeV: npt.ArrayLike, nucleus: Nucleus) -> np.ndarray:
    """Recoil energy where xi = 0 and the vector rate vanishes (appendix B, eq. B1 with squares).

    E_r = (2 g^2 Q'_w - sqrt(2) G_F Q_w m^2) / (2 sqrt(2) G_F Q_w m_T); negative means no zero.
    """
    g2 = np.asarray(coupling, dtype=float) ** 2
    m2 = np.asarray(mediator_mass_MeV, dtype=float) ** 2
    s2gq = np.sqrt(2.0) * c.G_F_PER_MEV2 * nucleus.weak_charge
    return (2.0 * g2 * nucleus.vector_charge - s2gq * m2) / (2.0 * s2gq * nucleus.mass_MeV)


def scalar_prefactor_cm2_MeV2(E_r_MeV: npt.ArrayLike, nucleus: Nucleus) -> np.ndarray:
    """Q_s^2 m_T^2 E_r F^2 / (4 pi) (hbar c)^2 [cm^2 MeV^2]: eq. 10 without g^4, 1/E_nu^2 and the propagator."""
    E_r = np.asarray(E_r_MeV, dtype=float)
    return (
        nucleus.scalar_charge**2
        * nucleus.mass_MeV**2
        * E_r
        * nucleus.form_factor(E_r) ** 2
        / c.FOUR_PI
        * c.HBARC2_CM2_MEV2
    )


def scalar_extra_cross_section(
    E_nu_MeV: npt.ArrayLike,
    E_r_MeV: npt.ArrayLike,
    coupling: npt.ArrayLike,
    mediator_mass_MeV: npt.ArrayLike,
    nucleus: Nucleus,
) -> np.ndarray:
    """Scalar term (g^2 Q_s)^2 m_T^2 E_r F^2 / (4 pi E_nu^2 (2 E_r m_T + m^2)^2) [cm^2/MeV] (eq. 10)."""
    E_nu = np.asarray(E_nu_MeV, dtype=float)
    E_r = np.asarray(E_r_MeV, dtype=float)
    allowed = E_r <= max_recoil_energy_MeV(E_nu, nucleus.mass_MeV)
    g4 = np.asarray(coupling, dtype=float) ** 4
    propagator = recoil_propagator_MeV2(E_r, mediator_mass_MeV, nucleus.mass_MeV)
    value = scalar_prefactor_cm2_MeV2(E_r, nucleus) * g4 / (E_nu**2 * propagator**2)
    return np.where(allowed, value, 0.0)


def scalar_cross_section(
    E_nu_MeV: npt.ArrayLike,
    E_r_MeV: npt.ArrayLike,
    coupling: npt.ArrayLike,
    mediator_mass_MeV: npt.ArrayLike,
    nucleus: Nucleus,
) -> np.ndarray:
    """SM plus scalar dsigma/dE_r [cm^2/MeV] (eq. 9): no interference, so never below the SM."""
    return sm_cross_section(E_nu_MeV, E_r_MeV, nucleus) + scalar_extra_cross_section(
        E_nu_MeV, E_r_MeV, coupling, mediator_mass_MeV, nucleus
    )
