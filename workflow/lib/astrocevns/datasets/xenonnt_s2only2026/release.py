"""The derived XENONnT S2-only release in ``resources/xenonnt_s2only_2026``
(resources/derivation/xenonnt_s2only_2026.py).

Every reader checks what it reads and raises :class:`astrocevns.tables.io.InputError` naming the file (and
the dataset, row or column): a missing, modified or corrupted file stops the run before any number
is computed from it. ``checksums.txt`` in the same directory lists the SHA-256 of each file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...tables.io import InputError
from .. import release_files
from ..release_files import csv_table, dataset, finite, open_hdf5, read_parameters

TEMPLATES = "templates.h5"
FILES = ("templates.h5", "observed.csv", "parameters.csv", "si_limits.csv")
SCIENCE_RUNS = ("sr0", "sr1", "sr2")
SCRIPT = "resources/derivation/xenonnt_s2only_2026.py"


@dataclass(frozen=True)
class ScienceRun:
    """Templates and events of one science run; templates in events per cS2 bin per tonne-year.

    Attributes
    ----------
    name : str
        ``sr0``, ``sr1`` or ``sr2``.
    exposure_t_yr : float
        The release's livetime parameter: the exposure that multiplies every template.
    observed : ndarray, shape (n_bins,)
        Events per cS2 bin.
    response : ndarray, shape (n_anchors, n_energies, n_bins)
        Events per bin for one recoil per tonne-year at each mono-energetic energy, at each t_qy anchor.
    cevns : ndarray, shape (n_anchors, n_bins)
        The release's 8B CEvNS template at the t_qy anchors.
    cathode : ndarray, shape (n_anchors, n_bins)
        The cathode background at the t_sys anchors of this run.
    de : ndarray, shape (n_bins,)
    ae : ndarray, shape (n_bins,) or None
        The release's two other instrumental backgrounds (no ``ae`` in SR2).
    """

    name: str
    exposure_t_yr: float
    observed: np.ndarray
    response: np.ndarray
    cevns: np.ndarray
    cathode: np.ndarray
    de: np.ndarray
    ae: np.ndarray | None


@dataclass(frozen=True)
class Release:
    """What the analysis needs of the release.

    Attributes
    ----------
    runs : tuple of ScienceRun
    cs2_edges_PE : ndarray
        The analysis space: 7 bins in cS2 [PE].
    energy_keV : ndarray
        The mono-energetic recoil energies of the response (0.5 to 5 keV).
    anchors : ndarray
        The values of t_qy (response, cevns) and t_sys (cathode) at which the templates are tabulated.
    parameters : dict of str to astrocevns.datasets.release_files.Parameter
    si_limits : dict of str to ndarray
        The published spin-independent limit: ``wimp_mass_GeV``, ``power_constrained_limit_cm2``, ...
    """

    runs: tuple
    cs2_edges_PE: np.ndarray
    energy_keV: np.ndarray
    anchors: np.ndarray
    parameters: dict
    si_limits: dict


def verify_checksums(directory: str | os.PathLike[str]) -> None:
    """Compare each file of the release subset with ``checksums.txt``; raise InputError naming a file that
    is missing or whose SHA-256 differs."""
    release_files.verify_checksums(directory, FILES, SCRIPT)


def _axis(handle, path, name):
    if name not in handle:
        raise InputError(f"{path}: dataset {name!r} missing")
    axis = np.asarray(handle[name], dtype=float)
    if axis.ndim != 1 or axis.size < 2 or np.any(np.diff(axis) <= 0) or not np.all(np.isfinite(axis)):
        raise InputError(f"{path}: dataset {name!r} is not an increasing list of at least two values")
    return axis


def _read_templates(path):
    with open_hdf5(path) as handle:
        edges, energies, anchors = (_axis(handle, path, name) for name in ("cs2_edges_PE", "energy_keV", "anchors"))
        n_a, n_e, n_b = anchors.size, energies.size, edges.size - 1
        runs = {
            run: {
                "response": dataset(handle, path, f"{run}/response", (n_a, n_e, n_b)),
                "cevns": dataset(handle, path, f"{run}/cevns", (n_a, n_b)),
                "cathode": dataset(handle, path, f"{run}/cathode", (n_a, n_b)),
                "de": dataset(handle, path, f"{run}/de", (n_b,)),
                "ae": dataset(handle, path, f"{run}/ae", (n_b,)) if f"{run}/ae" in handle else None,
            }
            for run in SCIENCE_RUNS
        }
    return runs, edges, energies, anchors


def _read_observed(path, edges):
    """Events per run and cS2 bin; the bins must be those of ``templates.h5``, each listed once."""
    table, lines = csv_table(
        path, {"science_run": str, "cs2_bin": int, "cs2_low_PE": finite, "cs2_high_PE": finite, "events": int}
    )
    observed = {run: np.full(edges.size - 1, -1.0) for run in SCIENCE_RUNS}
    for line, run, index, low, high, events in zip(lines, *table.values(), strict=True):
        if run not in observed:
            raise InputError(f"{path}, line {line}: unknown science run {run!r}; expected one of {SCIENCE_RUNS}")
        if (
            not 0 <= index < edges.size - 1
            or not np.isclose(low, edges[index])
            or not np.isclose(high, edges[index + 1])
        ):
            raise InputError(
                f"{path}, line {line}: cS2 bin {index} [{low:g}, {high:g}] PE is not a bin of the "
                f"analysis space {edges.tolist()}"
            )
        if events < 0 or observed[run][index] >= 0:
            raise InputError(f"{path}, line {line}: negative count or bin {index} of {run} listed twice")
        observed[run][index] = events
    for run, counts in observed.items():
        if np.any(counts < 0):
            raise InputError(f"{path}: {run} lacks cS2 bin(s) {np.flatnonzero(counts < 0).tolist()}")
    return observed


def read_release(directory: str | os.PathLike[str]) -> Release:
    """The :class:`Release` in ``directory`` (``resources/xenonnt_s2only_2026``), after checking every file."""
    directory = Path(directory)
    verify_checksums(directory)
    templates, edges, energies, anchors = _read_templates(directory / TEMPLATES)
    observed = _read_observed(directory / "observed.csv", edges)
    parameters_path = directory / "parameters.csv"
    parameters = read_parameters(parameters_path)
    for run in SCIENCE_RUNS:
        if f"livetime_{run}" not in parameters:
            raise InputError(f"{parameters_path}: parameter livetime_{run} missing")
    runs = tuple(
        ScienceRun(run, parameters[f"livetime_{run}"].nominal, observed[run], **templates[run]) for run in SCIENCE_RUNS
    )
    limits, _ = csv_table(
        directory / "si_limits.csv",
        {
            "wimp_mass_GeV": finite,
            "power_constrained_limit_cm2": finite,
            "median_sensitivity_cm2": finite,
            "minus_1_sigma_sensitivity_cm2": finite,
        },
    )
    return Release(runs, edges, energies, anchors, parameters, limits)
