"""The derived COHERENT CENNS-10 Analysis A release in ``resources/coherent_lar_2020``
(resources/derivation/coherent_lar_2020.py).

Every reader checks what it reads and raises :class:`astrocevns.tables.io.InputError` naming the file (and the row or
column): a missing, modified or corrupted file stops the run before any number is computed from it.
``checksums.txt`` in the same directory lists the SHA-256 of each file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...tables.io import InputError
from .. import release_files
from ..release_files import csv_table, finite, optional

FILES = ("pdfs.csv", "efficiency.csv", "parameters.csv")
SCRIPT = "resources/derivation/coherent_lar_2020.py"

ENERGY_EDGES_KEVEE = np.linspace(0.0, 120.0, 13)
F90_EDGES = np.linspace(0.5, 0.9, 9)
TIME_EDGES_US = np.linspace(-0.1, 4.9, 11)
"""The analysis space: 12 x 8 x 10 bins (the release's bin centres are the midpoints of these edges)."""

SHAPE = (ENERGY_EDGES_KEVEE.size - 1, F90_EDGES.size - 1, TIME_EDGES_US.size - 1)

PDFS = (
    "cevns",
    "cevns_f90_plus",
    "cevns_f90_minus",
    "cevns_timing_mean",
    "prompt_brn",
    "prompt_brn_energy_plus",
    "prompt_brn_energy_minus",
    "prompt_brn_timing_mean_plus",
    "prompt_brn_timing_mean_minus",
    "prompt_brn_timing_width",
    "delayed_brn",
    "steady_state",
)
"""The expected counts per bin of pdfs.csv (6.12 GWh)."""

PARAMETERS = (
    "protons_on_target_1e22",
    "distance_m",
    "fiducial_mass_kg",
    "quenching_a",
    "quenching_b_per_keVnr",
    "neutrinos_per_proton",
    "resolution_keVee_sqrt",
    "pot_trace_mean_ns",
    "pot_trace_width_ns",
    "cevns_prediction",
    "prompt_brn_prediction",
    "delayed_brn_prediction",
    "steady_state_prediction",
    "cevns_best_fit",
    "prompt_brn_best_fit",
    "delayed_brn_best_fit",
    "steady_state_best_fit",
)


@dataclass(frozen=True)
class Release:
    """What the analysis needs of the release.

    Attributes
    ----------
    observed : ndarray, shape (12, 8, 10)
        Counts per (energy, F90, time) bin.
    pdfs : dict of str to ndarray, shape (12, 8, 10)
        Expected counts per bin of each PDF of :data:`PDFS` for the release's exposure.
    efficiency_keVee, efficiency : ndarray
        The acceptance efficiency at reconstructed energies [keVee] (bin centres of 0.5 keVee).
    parameters : dict of str to tuple of (float, float)
        (value, uncertainty; NaN where the release calls it negligible) of :data:`PARAMETERS`.
    """

    observed: np.ndarray
    pdfs: dict
    efficiency_keVee: np.ndarray
    efficiency: np.ndarray
    parameters: dict

    def value(self, name: str) -> float:
        return self.parameters[name][0]

    def uncertainty(self, name: str) -> float:
        return self.parameters[name][1]


def _check_centres(path, column, values, edges, lines):
    """Each bin's centre is the midpoint of one of ``edges``' bins, in the release's (energy-major) order."""
    centres = 0.5 * (edges[1:] + edges[:-1])
    grids = np.meshgrid(
        *(0.5 * (e[1:] + e[:-1]) for e in (ENERGY_EDGES_KEVEE, F90_EDGES, TIME_EDGES_US)), indexing="ij"
    )
    expected = grids[("energy_keVee", "f90", "time_us").index(column)].ravel()
    wrong = np.flatnonzero(~np.isclose(values, expected, rtol=0, atol=1e-9 * np.max(np.abs(centres))))
    if wrong.size:
        raise InputError(
            f"{path}, line {lines[wrong[0]]}, column {column}: {values[wrong[0]]:g}, expected the bin "
            f"centre {expected[wrong[0]]:g} (12 x 8 x 10 bins, energy-major)"
        )


def read_pdfs(path: Path) -> tuple[np.ndarray, dict]:
    """(observed, {pdf: counts}) of pdfs.csv, each of shape (12, 8, 10); counts finite and non-negative."""
    columns = {
        "energy_keVee": finite,
        "f90": finite,
        "time_us": finite,
        "observed": finite,
        **dict.fromkeys(PDFS, finite),
    }
    table, lines = csv_table(path, columns)
    n_bins = int(np.prod(SHAPE))
    if len(lines) != n_bins:
        raise InputError(f"{path}: {len(lines)} rows, expected {n_bins} (12 energy x 8 F90 x 10 time bins)")
    for column, edges in (("energy_keVee", ENERGY_EDGES_KEVEE), ("f90", F90_EDGES), ("time_us", TIME_EDGES_US)):
        _check_centres(path, column, table[column], edges, lines)
    for column in ("observed", *PDFS):
        negative = np.flatnonzero(table[column] < 0)
        if negative.size:
            raise InputError(f"{path}, line {lines[negative[0]]}, column {column}: negative count")
    observed = table["observed"]
    if np.any(observed != np.round(observed)):
        raise InputError(f"{path}: column observed holds a non-integer count")
    return observed.reshape(SHAPE), {name: table[name].reshape(SHAPE) for name in PDFS}


def read_efficiency(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(reconstructed energy [keVee], efficiency in [0, 1]) of efficiency.csv, energies increasing."""
    table, lines = csv_table(path, {"energy_keVee": finite, "efficiency": finite})
    energy, efficiency = table["energy_keVee"], table["efficiency"]
    if np.any(np.diff(energy) <= 0):
        raise InputError(f"{path}: energies not increasing")
    bad = np.flatnonzero((efficiency < 0) | (efficiency > 1))
    if bad.size:
        raise InputError(f"{path}, line {lines[bad[0]]}, column efficiency: {efficiency[bad[0]]:g} outside [0, 1]")
    return energy, efficiency


def read_parameters(path: Path) -> dict:
    """{name: (value, uncertainty)} of parameters.csv; every name of :data:`PARAMETERS` present."""
    table, _ = csv_table(path, {"parameter": str, "value": finite, "uncertainty": optional})
    parameters = {str(n): (float(v), float(u)) for n, v, u in zip(*table.values(), strict=True)}
    missing = [name for name in PARAMETERS if name not in parameters]
    if missing:
        raise InputError(f"{path}: parameter(s) {missing} missing")
    return parameters


def verify_checksums(directory: str | os.PathLike[str]) -> None:
    """Compare each file of the release subset with ``checksums.txt``; raise InputError naming a file that
    is missing or whose SHA-256 differs."""
    release_files.verify_checksums(directory, FILES, SCRIPT)


def read_release(directory: str | os.PathLike[str]) -> Release:
    """The :class:`Release` in ``directory`` (``resources/coherent_lar_2020``), after checking every file."""
    directory = Path(directory)
    verify_checksums(directory)
    observed, pdfs = read_pdfs(directory / "pdfs.csv")
    energy, efficiency = read_efficiency(directory / "efficiency.csv")
    return Release(observed, pdfs, energy, efficiency, read_parameters(directory / "parameters.csv"))
