"""Target nuclei: masses, charges and the Helm form factor (paper sec. II, eqs. 2-3, 6, 10)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import constants as c


@dataclass(frozen=True)
class Nucleus:
    """A target nucleus T(A, Z) with the paper's charges.

    Parameters
    ----------
    name : str
        Label, e.g. ``"Xe"``.
    A : float
        Mass number (the mean atomic weight for a natural element).
    Z : int
        Proton number.
    radius_coefficient_fm : float
        R = radius_coefficient_fm * A^(1/3) in the Helm form factor (eq. 3; paper 1.2 fm).
    skin_thickness_fm : float
        Helm surface thickness s (eq. 3; paper 0.5 fm). Zero radius and thickness give F = 1.
    weak_charge_override : float, optional
        Replaces N - Z (1 - 4 sin^2 theta_W); used for single nucleons in the supernova core,
        where the paper adds the axial coupling (sec. IV A).
    """

    name: str
    A: float
    Z: int
    radius_coefficient_fm: float = 1.2
    skin_thickness_fm: float = 0.5
    weak_charge_override: float | None = None

    @property
    def N(self) -> float:
        """Neutron number N = A - Z."""
        return self.A - self.Z

    @property
    def mass_MeV(self) -> float:
        """Nuclear mass m_T = 931.5 MeV x A (paper, below eq. 2)."""
        return c.NUCLEON_MASS_PAPER_MEV * self.A

    @property
    def weak_charge(self) -> float:
        """SM weak charge Q_w = N - Z (1 - 4 sin^2 theta_W) (eq. 2), unless overridden."""
        if self.weak_charge_override is not None:
            return self.weak_charge_override
        return self.N - self.Z * (1.0 - 4.0 * c.SIN2_THETA_W)

    @property
    def vector_charge(self) -> float:
        """Z' charge Q'_w = 3 A: three quarks per nucleon, universal g_q (eq. 6)."""
        return 3.0 * self.A

    @property
    def scalar_charge(self) -> float:
        """Scalar charge Q_s = 14 A + 1.1 Z (eq. 10)."""
        return 14.0 * self.A + 1.1 * self.Z

    def targets_per_tonne(self) -> float:
        """Number of nuclei in one tonne, N_T = M / (A u) (below eq. 11)."""
        return c.KG_PER_TONNE / (self.A * c.KG_PER_U)

    def momentum_transfer_MeV(self, E_r_MeV: npt.ArrayLike) -> np.ndarray:
        """Momentum transfer Q = sqrt(2 m_T E_r) [MeV]."""
        return np.sqrt(2.0 * self.mass_MeV * np.asarray(E_r_MeV, dtype=float))

    def form_factor(self, E_r_MeV: npt.ArrayLike) -> np.ndarray:
        """Helm form factor F(Q) (eq. 3) at recoil energy E_r [MeV]; F(0) = 1."""
        return helm_form_factor(
            self.momentum_transfer_MeV(E_r_MeV) / c.HBARC_MEV_FM,
            self.A,
            self.radius_coefficient_fm,
            self.skin_thickness_fm,
        )


def helm_form_factor(
    Q_per_fm: npt.ArrayLike, A: float, radius_coefficient_fm: float = 1.2, skin_thickness_fm: float = 0.5
) -> np.ndarray:
    """Helm form factor F = 3 j1(Q R0)/(Q R0) exp(-Q^2 s^2 / 2) (eq. 3).

    Parameters
    ----------
    Q_per_fm : array_like
        Momentum transfer [fm^-1].
    A : float
        Mass number; R = radius_coefficient_fm A^(1/3), R0 = sqrt(R^2 - 5 s^2).
    radius_coefficient_fm, skin_thickness_fm : float
        The paper's 1.2 fm and s = 0.5 fm by default.
    """
    Q = np.asarray(Q_per_fm, dtype=float)
    s = skin_thickness_fm
    R = radius_coefficient_fm * A ** (1.0 / 3.0)
    R0 = np.sqrt(R**2 - 5.0 * s**2)
    x = Q * R0
    small = x < 1e-3
    x_safe = np.where(small, 1.0, x)
    # j1(x) = sin x / x^2 - cos x / x; 3 j1(x)/x -> 1 - x^2/10 for x -> 0 (its series)
    j1 = np.sin(x_safe) / x_safe**2 - np.cos(x_safe) / x_safe
    shape = np.where(small, 1.0 - x**2 / 10.0, 3.0 * j1 / x_safe)
    return shape * np.exp(-0.5 * (Q * s) ** 2)
