"""The XENON1T event ceiling of the paper (sec. VII B) from a published WIMP limit, with wimprates.

A XENON1T search excludes a spin-independent WIMP-nucleon cross section sigma(m_chi) at each WIMP
mass m_chi at 90 % CL. The number of nuclear-recoil events a WIMP at the limit would give in the
detector is

    N(m_chi) = exposure x int_{E_thr} eps(E_r) dR/dE_r(m_chi, sigma(m_chi)) dE_r,

with the standard-halo rate of ``wimprates`` (Lewin & Smith 1996 with a Helm form factor). The
paper takes the upper bound of these counts over the limit's (mass, cross section) pairs,
N_max = max_m N(m) (the default: the S2-only limit of arXiv:1907.11485 with its S2 efficiency and
0.7 keV threshold); a statistic can also name one pair (the 2018 S1+S2 limit of arXiv:1805.12562 at
6 GeV, the ``xenon1t-s1s2`` analysis). A neutrino signal with more events than N_max is excluded.
wimprates 0.5 normalises its speed
distribution to k^2 = 0.987 (for v_esc/v0 = 544/220) instead of 1; XENON1T computed its limits
with it, so its rate is used as it is (tests/test_existing_bounds.py quantifies the difference).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from . import constants as c

if TYPE_CHECKING:
    import wimprates as wr


def standard_halo(halo: Mapping[str, float]) -> wr.StandardHaloModel:
    """A wimprates StandardHaloModel from {rho_GeV_per_cm3, v0_km_per_s, v_esc_km_per_s}."""
    import numericalunits as nu
    import wimprates as wr

    return wr.StandardHaloModel(
        v_0=halo["v0_km_per_s"] * nu.km / nu.s,
        v_esc=halo["v_esc_km_per_s"] * nu.km / nu.s,
        rho_dm=halo["rho_GeV_per_cm3"] * nu.GeV / nu.c0**2 / nu.cm**3,
    )


def wimp_rate_per_t_yr_keV(
    E_r_keV: npt.ArrayLike, mass_GeV: float, cross_section_cm2: float, halo: Mapping[str, float]
) -> np.ndarray:
    """Spin-independent WIMP rate on xenon [events / (t yr keV)] from wimprates' rate_wimp_std.

    numericalunits draws random unit values at import (its self-check of dimensions); fixing them to
    SI makes the result reproducible to the last bit, so reruns write identical tables.
    """
    import numericalunits as nu

    nu.reset_units("SI")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # wimprates announces its default halo on import
        import wimprates as wr

    rate = wr.rate_wimp_std(
        np.atleast_1d(np.asarray(E_r_keV, dtype=float)),
        mw=mass_GeV,
        sigma_nucleon=cross_section_cm2,
        halo_model=standard_halo(halo),
    )
    return np.asarray(rate, dtype=float)


def max_recoil_keV(mass_GeV: float, halo: Mapping[str, float], nucleus_mass_GeV: float) -> float:
    """Largest recoil a halo WIMP can give: 2 mu^2 v_max^2 / m_N, v_max = v_esc + v_earth (v_earth <= 1.1 v0)."""
    mu = mass_GeV * nucleus_mass_GeV / (mass_GeV + nucleus_mass_GeV)
    beta_max = (halo["v_esc_km_per_s"] + 1.1 * halo["v0_km_per_s"]) / c.SPEED_OF_LIGHT_KM_PER_S
    return 2.0 * mu**2 * beta_max**2 / nucleus_mass_GeV * 1e6


def wimp_event_count(
    mass_GeV: float,
    cross_section_cm2: float,
    halo: Mapping[str, float],
    exposure_t_yr: float,
    threshold_keV: float,
    efficiency: Callable[[np.ndarray], np.ndarray],
    nodes: int = 96,
) -> float:
    """Expected WIMP events above ``threshold_keV`` with ``efficiency`` (an Efficiency), Gauss-Legendre in E_r.

    The integrand vanishes at the kinematic end point; 96 nodes agree with 384 within 1e-4
    (tests/test_existing_bounds.py).
    """
    xenon_mass_GeV = 131.293 * c.ATOMIC_MASS_UNIT_GEV  # wimprates' xenon: standard atomic weight x u
    end_keV = max_recoil_keV(mass_GeV, halo, xenon_mass_GeV)
    if end_keV <= threshold_keV:
        return 0.0
    x, w = np.polynomial.legendre.leggauss(nodes)
    half = 0.5 * (end_keV - threshold_keV)
    E = threshold_keV + half * (x + 1.0)
    rate = wimp_rate_per_t_yr_keV(E, mass_GeV, cross_section_cm2, halo)
    return float(exposure_t_yr * half * np.sum(w * efficiency(E) * rate))


def event_ceiling(
    statistic: Mapping,
    detector: Mapping,
    efficiency: Callable[[np.ndarray], np.ndarray],
    limit: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[float, float]:
    """(N_max, the WIMP mass [GeV] that gives it) of an ``event_ceiling`` statistic (config) for a detector entry
    and its Efficiency: the largest WIMP count over the (mass_GeV, cross_section_cm2) pairs of ``limit`` (a
    published limit curve, read with :func:`astrocevns.tables.io.read_wimp_limit`), or of the statistic's one pair."""
    if limit is None:
        limit = (np.array([statistic["wimp_mass_GeV"]]), np.array([statistic["wimp_cross_section_cm2"]]))
    counts = [
        wimp_event_count(
            mass_GeV, sigma_cm2, statistic["halo"], statistic["exposure_t_yr"], detector["threshold_keV"], efficiency
        )
        for mass_GeV, sigma_cm2 in zip(*limit, strict=True)
    ]
    best = int(np.argmax(counts))
    return float(counts[best]), float(limit[0][best])
