"""Neutrino sources from their config entries: tabulated fluence per component, per flavour and in total.

A source table has the column ``E_nu_MeV`` and, for every component (a supernova species or a
steady-source component), ``fluence_<component>_per_cm2_MeV`` plus ``fluence_total_per_cm2_MeV``:
the number of neutrinos per cm^2 and MeV that reach the detector over the exposure (the whole
burst for a supernova, ``exposure_yr`` for a steady source, all protons on target for a
pion-decay-at-rest beam). The same neutrinos by flavour at the detector, neutrinos and
antineutrinos together, are in ``fluence_flavour_<e|mu|tau>_per_cm2_MeV``; they add up to the total.

Each component says how it arrives: ``flavours`` gives the fraction of it in each flavour (a supernova
nu_x species is nu_mu, anti-nu_mu, nu_tau and anti-nu_tau in equal parts: {mu: 0.5, tau: 0.5}), and
``solar_msw: <region>`` marks solar nu_e produced in that region of the Sun, which arrive with the
adiabatic MSW-LMA survival probability (:mod:`astrocevns.physics.oscillations`). The flavours of a
pion-decay-at-rest beam are fixed by the decays.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from ..tables import io
from . import constants as c
from . import fluxes, oscillations
from .models import ALL_FLAVOURS, FLAVOURS

log = logging.getLogger(__name__)

TOTAL_COLUMN = "fluence_total_per_cm2_MeV"


PION_DECAY_FLAVOURS: dict[str, Mapping[str, float | np.ndarray]] = {
    "numu": {"mu": 1.0},
    "nue": {"e": 1.0},
    "numubar": {"mu": 1.0},
}
"""Flavours of the three pi-DAR components (no oscillation over a few tens of metres)."""


def fluence_column(component: str) -> str:
    return f"fluence_{component}_per_cm2_MeV"


def flavour_column(flavour: str) -> str:
    """Column of the fluence of one flavour (neutrinos and antineutrinos) at the detector."""
    return fluence_column(f"flavour_{flavour}")


def supernova_components(spec: Mapping) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Fluence of each species (times its multiplicity) on the configured energy grid (eq. 17)."""
    grid = spec["energy_grid_MeV"]
    E = np.linspace(grid["min"], grid["max"], grid["n"])
    components = {}
    for species, entry in spec["species"].items():
        history = io.read_garching_timeseries(entry["file"])
        if spec["t_max_s"] > history.time_s[-1]:
            log.info(
                "%s: signal ends at t_pb = %.4g s, before t_max = %g s; integrating to its end",
                entry["file"],
                history.time_s[-1],
                spec["t_max_s"],
            )
        number = fluxes.total_neutrino_number(history, spec["t_max_s"])
        log.info("%s: %.4e neutrinos emitted per species, x %d species", species, number, entry["multiplicity"])
        components[species] = entry["multiplicity"] * fluxes.supernova_fluence(
            E, history, spec["t_max_s"], spec["distance_kpc"]
        )
    return E, components


def steady_components(spec: Mapping) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Fluence of each steady component over ``exposure_yr``, on the union of the tables' grids."""
    tables = []
    for component, entry in spec["components"].items():
        E, value = io.read_spectrum_table(entry["file"], value_name=f"{component} flux")
        if "total_flux_per_cm2_s" in entry:
            value = fluxes.normalised_to(E, value, entry["total_flux_per_cm2_s"])
        log.info("%s: integrated flux %.4e cm^-2 s^-1", component, np.trapezoid(value, E))
        tables.append((E, value))
    E, values = fluxes.on_common_grid(tables)
    exposure_s = spec["exposure_yr"] * c.SECONDS_PER_YEAR
    return E, {component: exposure_s * v for component, v in zip(spec["components"], values, strict=False)}


MICHEL_POINTS = 2001
"""Energy nodes of the Michel spectra (0 to m_mu/2, 26 keV apart): their piecewise-linear integrals
are within 1e-6 of the exact normalisation (tests/test_fluxes.py)."""


def pion_decay_at_rest_components(spec: Mapping) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Prompt nu_mu, delayed nu_e and anti-nu_mu of a stopped-pion source at the detector (analytic)."""
    E = fluxes.pion_decay_at_rest_grid(MICHEL_POINTS)
    components = fluxes.pion_decay_at_rest_fluence(
        E, spec["protons_on_target"], spec["neutrinos_per_proton"], spec["baseline_m"]
    )
    log.info("pi-DAR: %.4e neutrinos per cm^2 per flavour", np.trapezoid(components["nue"], E))
    return E, components


BUILDERS = {
    "supernova": supernova_components,
    "steady": steady_components,
    "pion_decay_at_rest": pion_decay_at_rest_components,
}


def component_flavours(
    spec: Mapping, E_MeV: npt.ArrayLike, oscillation_spec: Mapping | None = None
) -> dict[str, Mapping[str, float | np.ndarray]]:
    """{component: {flavour: fraction}} of a source entry; a fraction is a number or, for solar MSW, an array on E_MeV.

    ``oscillation_spec`` is the config's ``oscillations`` section, needed only by ``solar_msw`` components.
    """
    if spec["kind"] == "pion_decay_at_rest":
        return PION_DECAY_FLAVOURS
    shares: dict[str, Mapping[str, float | np.ndarray]] = {}
    for component, entry in spec.get("species", spec.get("components", {})).items():
        if "solar_msw" in entry:
            if oscillation_spec is None:
                raise ValueError(f"component {component!r} is solar (solar_msw): its flavours need the oscillations")
            mixing = oscillations.MixingParameters.from_config(oscillation_spec)
            shares[component] = oscillations.solar_flavour_fractions(
                E_MeV, mixing, oscillation_spec["sun"], entry["solar_msw"]
            )
        else:
            shares[component] = entry["flavours"]
    return shares


def source_table(spec: Mapping, oscillation_spec: Mapping | None = None) -> dict[str, np.ndarray]:
    """The fluence table {column: array} of a source config entry (see module docstring)."""
    E, components = BUILDERS[spec["kind"]](spec)
    table = {"E_nu_MeV": E, **{fluence_column(component): f for component, f in components.items()}}
    table[TOTAL_COLUMN] = np.sum(list(components.values()), axis=0)
    shares = component_flavours(spec, E, oscillation_spec)
    for flavour in FLAVOURS:
        table[flavour_column(flavour)] = np.sum(
            [fluence * shares[component].get(flavour, 0.0) for component, fluence in components.items()], axis=0
        )
    return table


def _fluence(frame, column):
    """One fluence column of a source table as a :class:`fluxes.PiecewiseLinearFluence`.

    A grid point at E_nu = 0 is dropped: a recoil above any threshold needs E_nu^min > 0, and psi/E^2
    (for the integral I_2) is not defined there.
    """
    E, values = np.asarray(frame["E_nu_MeV"]), np.asarray(frame[column])
    positive = E > 0.0
    return fluxes.PiecewiseLinearFluence(E[positive], values[positive])


def total_fluence(frame: Mapping[str, npt.ArrayLike]) -> fluxes.PiecewiseLinearFluence:
    """The flavour-blind total of a source table as a :class:`fluxes.PiecewiseLinearFluence`."""
    return _fluence(frame, TOTAL_COLUMN)


def flavour_fluences(frame: Mapping[str, npt.ArrayLike]) -> dict[str, fluxes.PiecewiseLinearFluence]:
    """{flavour group: PiecewiseLinearFluence}: the total under :data:`models.ALL_FLAVOURS`, and each flavour."""
    return {ALL_FLAVOURS: total_fluence(frame), **{f: _fluence(frame, flavour_column(f)) for f in FLAVOURS}}
