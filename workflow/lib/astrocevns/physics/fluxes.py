"""Neutrino fluxes: supernova pinched spectra and time integration (eqs. 15-17), steady sources.

A flux is handed to the rate engine as a :class:`PiecewiseLinearFluence`: the time-integrated
number of neutrinos per cm^2 and MeV, dN/dE_nu, tabulated on an energy grid and linear in between.
The E_nu integrals of the separable engine are then exact for that representation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import constants as c


def pinching_parameter(mean_MeV: npt.ArrayLike, mean_sq_MeV2: npt.ArrayLike) -> np.ndarray:
    """alpha = (2 <E>^2 - <E^2>) / (<E^2> - <E>^2) (eq. 16)."""
    mean = np.asarray(mean_MeV, dtype=float)
    mean_sq = np.asarray(mean_sq_MeV2, dtype=float)
    return (2.0 * mean**2 - mean_sq) / (mean_sq - mean**2)


def pinched_spectrum(E_MeV: npt.ArrayLike, mean_MeV: npt.ArrayLike, mean_sq_MeV2: npt.ArrayLike) -> np.ndarray:
    """Unit-normalised pinched spectrum f(E) [MeV^-1] (eq. 15).

    f = E^alpha / Gamma(alpha + 1) ((alpha + 1)/<E>)^(alpha + 1) exp(-(alpha + 1) E / <E>);
    its first two moments are <E> and <E^2>. Broadcasts over all arguments.
    """
    E = np.asarray(E_MeV, dtype=float)
    mean = np.asarray(mean_MeV, dtype=float)
    a1 = pinching_parameter(mean, mean_sq_MeV2) + 1.0
    log_gamma = np.vectorize(math.lgamma, otypes=[float])(a1)
    with np.errstate(divide="ignore"):
        log_f = a1 * np.log(a1 / mean) + (a1 - 1.0) * np.log(E) - a1 * E / mean - log_gamma
    return np.where(E > 0.0, np.exp(log_f), 0.0)


@dataclass(frozen=True)
class LuminosityHistory:
    """One flavour's neutrino signal from a simulation (Garching archive format).

    Attributes
    ----------
    time_s : ndarray
        Post-bounce time t_pb [s], increasing.
    luminosity_foe_per_s : ndarray
        Energy luminosity L [10^51 erg/s] of one species.
    mean_energy_MeV, mean_sq_energy_MeV2 : ndarray
        <E> [MeV] and <E^2> [MeV^2].
    """

    time_s: np.ndarray
    luminosity_foe_per_s: np.ndarray
    mean_energy_MeV: np.ndarray
    mean_sq_energy_MeV2: np.ndarray

    def clipped(self, t_max_s: float) -> LuminosityHistory:
        """The history on 0 <= t_pb <= t_max, with end points added by linear interpolation."""
        t = self.time_s
        t_hi = min(t_max_s, t[-1])
        inner = (t > 0.0) & (t < t_hi)
        t_new = np.concatenate([[max(0.0, t[0])], t[inner], [t_hi]])
        columns = (self.luminosity_foe_per_s, self.mean_energy_MeV, self.mean_sq_energy_MeV2)
        return LuminosityHistory(t_new, *(np.interp(t_new, t, col) for col in columns))

    def number_rate_per_s(self) -> np.ndarray:
        """dN/dt = L / <E> [s^-1] of one species."""
        return self.luminosity_foe_per_s * c.ERG_PER_FOE * c.MEV_PER_ERG / self.mean_energy_MeV


def total_neutrino_number(history: LuminosityHistory, t_max_s: float) -> float:
    """Number of neutrinos of one species emitted in 0 <= t_pb <= t_max: integral of L/<E> dt."""
    h = history.clipped(t_max_s)
    return np.trapezoid(h.number_rate_per_s(), h.time_s)


def supernova_fluence(
    E_MeV: npt.ArrayLike, history: LuminosityHistory, t_max_s: float, distance_kpc: float, time_chunk: int = 512
) -> np.ndarray:
    """Time-integrated fluence dN/dE [cm^-2 MeV^-1] of one species at distance D (eq. 17).

    integral over 0 <= t_pb <= t_max of L(t)/<E>(t) f(E, t) / (4 pi D^2), trapezoidal in t on the
    simulation's own time samples. Vectorised in blocks of ``time_chunk`` samples to bound memory.
    """
    E = np.asarray(E_MeV, dtype=float)
    h = history.clipped(t_max_s)
    weights = np.zeros_like(h.time_s)
    dt = np.diff(h.time_s)
    weights[:-1] += 0.5 * dt
    weights[1:] += 0.5 * dt
    weights *= h.number_rate_per_s()
    fluence = np.zeros_like(E)
    for start in range(0, h.time_s.size, time_chunk):
        block = slice(start, start + time_chunk)
        spectra = pinched_spectrum(E[None, :], h.mean_energy_MeV[block, None], h.mean_sq_energy_MeV2[block, None])
        fluence += weights[block] @ spectra
    distance_cm = distance_kpc * c.CM_PER_KPC
    return fluence / (c.FOUR_PI * distance_cm**2)


def normalised_to(E_MeV: npt.ArrayLike, spectrum: npt.ArrayLike, total: float) -> np.ndarray:
    """Rescale a tabulated spectrum so that its trapezoidal integral over E is ``total``."""
    values = np.asarray(spectrum, dtype=float)
    return values * (total / np.trapezoid(values, np.asarray(E_MeV, dtype=float)))


def on_common_grid(tables: Sequence[tuple[npt.ArrayLike, npt.ArrayLike]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Put several (E_MeV, values) tables on the union of their grids; zero outside each table."""
    E = np.unique(np.concatenate([np.asarray(E_k, dtype=float) for E_k, _ in tables]))
    return E, [
        np.interp(E, np.asarray(E_k, dtype=float), np.asarray(v_k, dtype=float), left=0.0, right=0.0)
        for E_k, v_k in tables
    ]


@dataclass(frozen=True)
class PiecewiseLinearFluence:
    """dN/dE_nu [cm^-2 MeV^-1] tabulated on E_MeV (> 0, increasing), linear in between, zero outside.

    :meth:`tail_integrals` gives J0(x) = int_x^inf psi dE and J2(x) = int_x^inf psi / E^2 dE exactly
    for this representation; the separable rate engine needs nothing else of the flux.
    """

    E_MeV: np.ndarray
    fluence_per_cm2_MeV: np.ndarray

    def __post_init__(self):
        E = np.asarray(self.E_MeV, dtype=float)
        if E.ndim != 1 or E.size < 2 or E[0] <= 0.0 or np.any(np.diff(E) <= 0.0):
            raise ValueError("fluence grid must be a positive, strictly increasing 1-d array")

    def __call__(self, E_MeV):
        return np.interp(E_MeV, self.E_MeV, self.fluence_per_cm2_MeV, left=0.0, right=0.0)

    @property
    def max_energy_MeV(self) -> float:
        """Largest energy with non-zero fluence (the spectrum's end point on the grid)."""
        nonzero = np.flatnonzero(self.fluence_per_cm2_MeV > 0.0)
        return float(self.E_MeV[min(nonzero[-1] + 1, self.E_MeV.size - 1)]) if nonzero.size else 0.0

    def _antiderivatives(self, k, E):
        """Antiderivatives of psi and of psi/E^2 on segment k (psi = a + b E there), at E."""
        grid, psi = self.E_MeV, self.fluence_per_cm2_MeV
        slope = (psi[k + 1] - psi[k]) / (grid[k + 1] - grid[k])
        intercept = psi[k] - slope * grid[k]
        return intercept * E + 0.5 * slope * E**2, -intercept / E + slope * np.log(E)

    def tail_integrals(self, E_min_MeV: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """(J0, J2) = (int_{E_min}^inf psi dE, int_{E_min}^inf psi/E^2 dE) for an array of E_min."""
        grid = self.E_MeV
        segments = np.arange(grid.size - 1)
        P0_lo, P2_lo = self._antiderivatives(segments, grid[:-1])
        P0_hi, P2_hi = self._antiderivatives(segments, grid[1:])
        # integrals over whole segments, accumulated from the top of the grid
        tail0 = np.append(np.cumsum((P0_hi - P0_lo)[::-1])[::-1], 0.0)
        tail2 = np.append(np.cumsum((P2_hi - P2_lo)[::-1])[::-1], 0.0)
        E_min = np.clip(np.asarray(E_min_MeV, dtype=float), grid[0], grid[-1])
        k = np.clip(np.searchsorted(grid, E_min, side="right") - 1, 0, grid.size - 2)
        P0_at, P2_at = self._antiderivatives(k, E_min)
        return (P0_hi[k] - P0_at) + tail0[k + 1], (P2_hi[k] - P2_at) + tail2[k + 1]


PROMPT_LINE_MEV = (c.CHARGED_PION_MASS_MEV**2 - c.MUON_MASS_MEV**2) / (2.0 * c.CHARGED_PION_MASS_MEV)
"""Energy of the prompt nu_mu of pi+ -> mu+ nu_mu at rest: (m_pi^2 - m_mu^2) / (2 m_pi) = 29.79 MeV."""

PROMPT_LINE_HALF_WIDTH_MEV = 1e-3
"""Half width of the triangle that stands for the monochromatic prompt line in a piecewise-linear
fluence. A recoil threshold then moves by at most 2 x 1e-3 / 29.79 = 7e-5 relative; the COHERENT
event counts change by 1.5e-5 between 1e-3 and 1e-4 MeV, the quadrature of the step the line makes
in E_r inside one recoil bin (tests/test_existing_bounds.py)."""


def michel_spectra(E_MeV: npt.ArrayLike) -> dict[str, np.ndarray]:
    """Unit-normalised spectra [MeV^-1] of the delayed neutrinos of mu+ -> e+ nu_e anti-nu_mu at rest.

    nu_e: (192 / m_mu) x^2 (1/2 - x); anti-nu_mu: (64 / m_mu) x^2 (3/4 - x); x = E / m_mu <= 1/2
    (the V-A Michel spectra without radiative corrections). Returns {"nue": ..., "numubar": ...}.
    """
    x = np.asarray(E_MeV, dtype=float) / c.MUON_MASS_MEV
    inside = (x >= 0.0) & (x <= 0.5)
    return {
        "nue": np.where(inside, 192.0 / c.MUON_MASS_MEV * x**2 * (0.5 - x), 0.0),
        "numubar": np.where(inside, 64.0 / c.MUON_MASS_MEV * x**2 * (0.75 - x), 0.0),
    }


def prompt_line(E_MeV: npt.ArrayLike, half_width_MeV: float = PROMPT_LINE_HALF_WIDTH_MEV) -> np.ndarray:
    """The prompt nu_mu line as a unit-area triangle of half width ``half_width_MeV`` [MeV^-1]."""
    distance = np.abs(np.asarray(E_MeV, dtype=float) - PROMPT_LINE_MEV)
    return np.maximum(0.0, 1.0 - distance / half_width_MeV) / half_width_MeV


def pion_decay_at_rest_grid(points: int, half_width_MeV: float = PROMPT_LINE_HALF_WIDTH_MEV) -> np.ndarray:
    """Energies that represent the three pi-DAR spectra exactly at their nodes: ``points`` up to m_mu/2
    plus the three vertices of the prompt-line triangle."""
    michel = np.linspace(0.0, 0.5 * c.MUON_MASS_MEV, points)
    line = PROMPT_LINE_MEV + half_width_MeV * np.array([-1.0, 0.0, 1.0])
    return np.union1d(michel, line)


def pion_decay_at_rest_fluence(
    E_MeV: npt.ArrayLike,
    protons_on_target: float,
    neutrinos_per_proton: float,
    baseline_m: float,
    half_width_MeV: float = PROMPT_LINE_HALF_WIDTH_MEV,
) -> dict[str, np.ndarray]:
    """Fluence [cm^-2 MeV^-1] of each pi-DAR flavour at distance ``baseline_m`` from an isotropic source.

    Each flavour (prompt nu_mu, delayed nu_e and anti-nu_mu) carries ``neutrinos_per_proton`` x
    ``protons_on_target`` neutrinos spread over 4 pi L^2.
    """
    per_cm2 = protons_on_target * neutrinos_per_proton / (c.FOUR_PI * (baseline_m * c.CM_PER_M) ** 2)
    michel = michel_spectra(E_MeV)
    return {
        "numu": per_cm2 * prompt_line(E_MeV, half_width_MeV),
        "nue": per_cm2 * michel["nue"],
        "numubar": per_cm2 * michel["numubar"],
    }
