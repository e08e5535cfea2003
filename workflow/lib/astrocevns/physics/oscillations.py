"""Flavour of solar neutrinos at the Earth: adiabatic MSW-LMA survival probability, averaged over production.

A nu_e produced at electron density n_e leaves the Sun adiabatically; with nu_3 decoupled
(Delta m^2_31 >> the matter potential) and oscillations averaged over the Sun-Earth distance, its
survival probability is (M. C. Gonzalez-Garcia and Y. Nir, Rev. Mod. Phys. 75, 345 (2003), sec. IV;
PDG 2022 review "Neutrino masses, mixing and oscillations", sec. 14.9)

    P_ee = cos^4 theta_13 (1 + cos 2 theta_12 cos 2 theta_12^m) / 2 + sin^4 theta_13,
    cos 2 theta_12^m = (cos 2 theta_12 - beta) / sqrt((cos 2 theta_12 - beta)^2 + sin^2 2 theta_12),
    beta = 2 sqrt(2) G_F cos^2 theta_13 n_e E / Delta m^2_21.

It tends to the vacuum average cos^4 theta_13 (1 - sin^2 2 theta_12 / 2) + sin^4 theta_13 at low energy and
to cos^4 theta_13 sin^2 theta_12 + sin^4 theta_13 when beta >> 1. The rest, 1 - P_ee, arrives as nu_mu
and nu_tau in the ratio cos^2 theta_23 : sin^2 theta_23.

Each component of the solar flux (8B, hep) is produced over its own region of the core; P_ee is
averaged over it with the smooth electron-density and production profiles of the config
(``oscillations.sun``, fitted to the B16 standard solar model by resources/derivation/solar_production.py):

    n_e(r) = n_c exp(-(r / r_n)^p),   dN/dr propto r^2 exp(-(r / r_0)^k),   r in solar radii.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import constants as c
from .models import FLAVOURS

PRODUCTION_NODES = 64
"""Gauss-Legendre nodes in r over a production region: the average P_ee is within 1e-12 of 256 nodes
(tests/test_oscillations.py)."""

PRODUCTION_TAIL = 40.0
"""The production region is integrated up to r_0 PRODUCTION_TAIL^(1/k), where exp(-(r / r_0)^k) = e^-40."""


@dataclass(frozen=True)
class MixingParameters:
    """Oscillation parameters of a global fit (config ``oscillations``): sin^2 of the mixing angles, Delta m^2_21."""

    sin2_theta12: float
    sin2_theta13: float
    sin2_theta23: float
    dm2_21_eV2: float

    @classmethod
    def from_config(cls, spec: Mapping[str, float]) -> MixingParameters:
        return cls(spec["sin2_theta12"], spec["sin2_theta13"], spec["sin2_theta23"], spec["dm2_21_eV2"])


def matter_potential_MeV(electron_density_per_cm3: npt.ArrayLike) -> np.ndarray:
    """Charged-current potential V = sqrt(2) G_F n_e [MeV] of nu_e in matter of electron density n_e [cm^-3]."""
    hbarc3_cm3_MeV3 = c.HBARC2_CM2_MEV2**1.5
    return np.sqrt(2.0) * c.G_F_PER_MEV2 * np.asarray(electron_density_per_cm3, dtype=float) * hbarc3_cm3_MeV3


def adiabatic_survival_probability(
    E_MeV: npt.ArrayLike, electron_density_per_cm3: npt.ArrayLike, mixing: MixingParameters
) -> np.ndarray:
    """P_ee of a nu_e of energy E produced at electron density n_e (module docstring). Broadcasts."""
    cos2_13 = 1.0 - mixing.sin2_theta13
    cos_2theta = 1.0 - 2.0 * mixing.sin2_theta12
    sin_2theta_sq = 1.0 - cos_2theta**2
    beta = (
        2.0
        * matter_potential_MeV(electron_density_per_cm3)
        * cos2_13
        * np.asarray(E_MeV, dtype=float)
        * c.EV2_PER_MEV2
        / mixing.dm2_21_eV2
    )
    cos_2theta_matter = (cos_2theta - beta) / np.sqrt((cos_2theta - beta) ** 2 + sin_2theta_sq)
    return cos2_13**2 * 0.5 * (1.0 + cos_2theta * cos_2theta_matter) + mixing.sin2_theta13**2


def electron_density_per_cm3(radius: npt.ArrayLike, spec: Mapping[str, float]) -> np.ndarray:
    """n_e(r) = n_c exp(-(r / r_n)^p) [cm^-3] at ``radius`` [solar radii]; ``spec``: the sun's electron_density."""
    r = np.asarray(radius, dtype=float)
    return spec["central_NA_per_cm3"] * c.AVOGADRO_PER_MOL * np.exp(-((r / spec["scale_radius"]) ** spec["exponent"]))


def production_quadrature(spec: Mapping[str, float], nodes: int = PRODUCTION_NODES) -> tuple[np.ndarray, np.ndarray]:
    """Radii [solar radii] and weights (summing to 1) of dN/dr propto r^2 exp(-(r / r_0)^k) (``spec``: one region)."""
    r_0, k = spec["scale_radius"], spec["exponent"]
    r_max = r_0 * PRODUCTION_TAIL ** (1.0 / k)
    x, w = np.polynomial.legendre.leggauss(nodes)
    r = 0.5 * r_max * (x + 1.0)
    weights = w * r**2 * np.exp(-((r / r_0) ** k))
    return r, weights / weights.sum()


def solar_survival_probability(
    E_MeV: npt.ArrayLike, mixing: MixingParameters, sun: Mapping[str, Mapping], region: str
) -> np.ndarray:
    """P_ee(E) of the solar nu_e of production region ``region`` (e.g. '8B'), averaged over where they are produced.

    Parameters
    ----------
    E_MeV : array_like
        Neutrino energies [MeV].
    mixing : MixingParameters
    sun : dict
        The config's ``oscillations.sun``: ``electron_density`` and ``production`` per region.
    region : str
        A key of ``sun['production']``.
    """
    r, weights = production_quadrature(sun["production"][region])
    n_e = electron_density_per_cm3(r, sun["electron_density"])
    E = np.asarray(E_MeV, dtype=float)
    return adiabatic_survival_probability(E[..., None], n_e, mixing) @ weights


def solar_flavour_fractions(
    E_MeV: npt.ArrayLike, mixing: MixingParameters, sun: Mapping[str, Mapping], region: str
) -> dict[str, np.ndarray]:
    """{flavour: fraction} of the solar neutrinos of ``region`` arriving as each flavour at energies E_MeV.

    nu_e: the averaged P_ee; nu_mu and nu_tau: (1 - P_ee) cos^2 theta_23 and (1 - P_ee) sin^2 theta_23.
    """
    survival = solar_survival_probability(E_MeV, mixing, sun, region)
    converted = 1.0 - survival
    shares = {"e": survival, "mu": converted * (1.0 - mixing.sin2_theta23), "tau": converted * mixing.sin2_theta23}
    return {flavour: shares[flavour] for flavour in FLAVOURS}
