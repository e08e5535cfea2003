"""The derived COHERENT CsI[Na] 2021 release in ``resources/coherent_csi_2021``
(resources/derivation/coherent_csi_2021.py).

Every reader checks what it reads and raises :class:`astrocevns.tables.io.InputError` naming the file (and the row
or column): a missing, modified or corrupted file stops the run before any number is computed from it.
``checksums.txt`` in the same directory lists the SHA-256 of each file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...tables.io import InputError
from .. import release_files
from ..release_files import csv_table, finite, read_parameters

FILES = ("events.csv", "neutron_energy_pdfs.csv", "neutron_time_pdfs.csv", "response_curves.csv", "parameters.csv")
SCRIPT = "resources/derivation/coherent_csi_2021.py"
EFFICIENCY_VARIANTS = ("nominal", "plus", "minus")
QUENCHING_VARIANTS = ("nominal", "model0_plus", "model0_minus", "model1_plus", "model1_minus")
PARAMETERS = (
    "detector_mass_kg",
    "resolution_a_keVee",
    "resolution_b_per_keVee",
    "pot_trace_mean_us",
    "pot_trace_width_us",
    "timing_efficiency_onset_us",
    "timing_efficiency_slope_per_us",
    "brn_events",
    "nin_events",
)


@dataclass(frozen=True)
class Release:
    """What the analysis needs of the release.

    Attributes
    ----------
    pe_edges, time_edges_us : ndarray
        The likelihood's bins in reconstructed energy [PE] and recoil time [us].
    coincident, anticoincident : ndarray, shape (n_pe, n_time)
        Beam-on events of the coincident (C) and anti-coincident (AC) windows per bin.
    neutron_pe_edges : ndarray
        Edges of the 1-PE bins of the neutron energy PDFs.
    neutron_time_edges_us : ndarray
        Edges of the 0.01-us bins of the neutron time PDFs.
    neutron_energy, neutron_time : dict of str to ndarray
        ``brn`` and ``nin`` densities on those bins (as released, not normalised).
    efficiency : dict of str to ndarray, shape (4,)
        Coefficients (a, b, c, d) of the energy efficiency per variant (:data:`EFFICIENCY_VARIANTS`).
    quenching : dict of str to ndarray, shape (4,)
        Coefficients of the scintillation response per variant (:data:`QUENCHING_VARIANTS`).
    parameters : dict of str to astrocevns.datasets.release_files.Parameter
    """

    pe_edges: np.ndarray
    time_edges_us: np.ndarray
    coincident: np.ndarray
    anticoincident: np.ndarray
    neutron_pe_edges: np.ndarray
    neutron_time_edges_us: np.ndarray
    neutron_energy: dict
    neutron_time: dict
    efficiency: dict
    quenching: dict
    parameters: dict

    def value(self, name: str) -> float:
        """The nominal value of parameter ``name``."""
        return self.parameters[name].nominal


def verify_checksums(directory: str | os.PathLike[str]) -> None:
    """Compare each file of the release subset with ``checksums.txt``; raise InputError naming a file that
    is missing or whose SHA-256 differs."""
    release_files.verify_checksums(directory, FILES, SCRIPT)


def _edges(path, low, high, what):
    """Contiguous bin edges from the unique (low, high) pairs of a table; InputError if they leave gaps."""
    pairs = np.unique(np.column_stack([low, high]), axis=0)
    if np.any(pairs[:, 1] <= pairs[:, 0]) or np.any(pairs[1:, 0] != pairs[:-1, 1]):
        raise InputError(f"{path}: the {what} bins are not contiguous and increasing")
    return np.append(pairs[:, 0], pairs[-1, 1])


def _read_events(path):
    table, lines = csv_table(
        path,
        {
            "pe_bin": int,
            "t_bin": int,
            "pe_low": finite,
            "pe_high": finite,
            "t_low_us": finite,
            "t_high_us": finite,
            "coincident": int,
            "anticoincident": int,
        },
    )
    pe_edges = _edges(path, table["pe_low"], table["pe_high"], "PE")
    time_edges = _edges(path, table["t_low_us"], table["t_high_us"], "time")
    counts = {
        window: np.full((pe_edges.size - 1, time_edges.size - 1), -1) for window in ("coincident", "anticoincident")
    }
    for k, line in enumerate(lines):
        i, j = table["pe_bin"][k], table["t_bin"][k]
        if (
            not (0 <= i < pe_edges.size - 1 and 0 <= j < time_edges.size - 1)
            or pe_edges[i] != table["pe_low"][k]
            or time_edges[j] != table["t_low_us"][k]
        ):
            raise InputError(f"{path}, line {line}: bin ({i}, {j}) does not match its edges")
        for window, grid in counts.items():
            if table[window][k] < 0 or grid[i, j] >= 0:
                raise InputError(f"{path}, line {line}: negative count or bin ({i}, {j}) listed twice")
            grid[i, j] = table[window][k]
    for window, grid in counts.items():
        if np.any(grid < 0):
            raise InputError(f"{path}: {window} lacks bin(s) {np.argwhere(grid < 0).tolist()}")
    return pe_edges, time_edges, counts


def _read_pdfs(path, low, high):
    table, _ = csv_table(path, {low: finite, high: finite, "brn": finite, "nin": finite})
    edges = _edges(path, table[low], table[high], low.split("_")[0])
    if edges.size - 1 != table[low].size:
        raise InputError(f"{path}: a bin is listed twice")
    for kind in ("brn", "nin"):
        if np.any(table[kind] < 0) or table[kind].sum() <= 0:
            raise InputError(f"{path}: column {kind} has negative values or sums to zero")
    return edges, {kind: table[kind] for kind in ("brn", "nin")}


def _read_curves(path):
    table, lines = csv_table(path, {"curve": str, "variant": str, "a": finite, "b": finite, "c": finite, "d": finite})
    curves = {"efficiency": {}, "quenching": {}}
    for k, line in enumerate(lines):
        curve, variant = table["curve"][k], table["variant"][k]
        if curve not in curves or variant in curves[curve]:
            raise InputError(f"{path}, line {line}: unknown curve {curve!r} or variant {variant!r} listed twice")
        curves[curve][variant] = np.array([table[name][k] for name in "abcd"])
    for curve, variants in (("efficiency", EFFICIENCY_VARIANTS), ("quenching", QUENCHING_VARIANTS)):
        missing = sorted(set(variants) - set(curves[curve]))
        if missing:
            raise InputError(f"{path}: {curve} lacks variant(s) {missing}")
    return curves


def read_release(directory: str | os.PathLike[str]) -> Release:
    """The :class:`Release` in ``directory`` (``resources/coherent_csi_2021``), after checking every file."""
    directory = Path(directory)
    verify_checksums(directory)
    pe_edges, time_edges, counts = _read_events(directory / "events.csv")
    neutron_pe_edges, energy = _read_pdfs(directory / "neutron_energy_pdfs.csv", "pe_low", "pe_high")
    neutron_time_edges, time = _read_pdfs(directory / "neutron_time_pdfs.csv", "t_low_us", "t_high_us")
    for name, edges, analysis in (
        ("neutron_energy_pdfs.csv", neutron_pe_edges, pe_edges),
        ("neutron_time_pdfs.csv", neutron_time_edges, time_edges),
    ):
        if not np.all(np.isin(np.round(analysis, 9), np.round(edges, 9))):
            raise InputError(f"{directory / name}: its bins do not cover the analysis bins {analysis.tolist()}")
    curves = _read_curves(directory / "response_curves.csv")
    parameters_path = directory / "parameters.csv"
    parameters = read_parameters(parameters_path)
    missing = [name for name in PARAMETERS if name not in parameters]
    if missing:
        raise InputError(f"{parameters_path}: parameter(s) {missing} missing")
    return Release(
        pe_edges,
        time_edges,
        counts["coincident"],
        counts["anticoincident"],
        neutron_pe_edges,
        neutron_time_edges,
        energy,
        time,
        curves["efficiency"],
        curves["quenching"],
        parameters,
    )
