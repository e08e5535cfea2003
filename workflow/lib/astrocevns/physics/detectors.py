"""Detectors: target, mass, threshold and recoil-energy efficiency (paper sec. III)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .nuclei import Nucleus


@dataclass(frozen=True)
class Efficiency:
    """Detection efficiency eps(E_r), linear between tabulated points, constant beyond the ends.

    ``Efficiency.ideal()`` is 100 % everywhere (the paper's default).
    """

    name: str
    E_r_keV: np.ndarray
    efficiency: np.ndarray

    @classmethod
    def ideal(cls) -> Efficiency:
        return cls("ideal", np.array([0.0, 1.0]), np.array([1.0, 1.0]))

    def __call__(self, E_r_keV):
        return np.interp(E_r_keV, self.E_r_keV, self.efficiency)


@dataclass(frozen=True)
class Detector:
    """A detector: ``mass_t`` tonnes of ``nucleus`` with recoil threshold and efficiency."""

    name: str
    nucleus: Nucleus
    mass_t: float
    threshold_keV: float
    efficiency: Efficiency

    @property
    def number_of_targets(self) -> float:
        """N_T = M / (A u) (below eq. 11)."""
        return self.mass_t * self.nucleus.targets_per_tonne()
