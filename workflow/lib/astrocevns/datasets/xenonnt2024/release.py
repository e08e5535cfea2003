"""The derived XENONnT 2024 release in ``resources/xenonnt_2024`` (resources/derivation/xenonnt_2024.py).

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
FILES = ("templates.h5", "events.csv", "parameters.csv", "yields.csv", "b8_spectrum.csv", "si_limits.csv")
AXES = ("cs2", "s2_shadow_s2_time_shadow", "s1_bdt_score", "s2_bdt_score")
SCIENCE_RUNS = ("sr0", "sr1")
YIELD_LEVELS = ("lower", "median", "upper")


@dataclass(frozen=True)
class ScienceRun:
    """Templates and events of one science run; templates in events per analysis bin per tonne-year.

    Attributes
    ----------
    name : str
        ``sr0`` or ``sr1``.
    exposure_t_yr : float
        The release's livetime parameter: the exposure that multiplies every template.
    bin_edges : tuple of ndarray
        Edges of the analysis space along each of :data:`AXES`.
    observed : ndarray, shape (n_bins,)
        Events per analysis bin (flattened in C order, like the templates' last axis).
    mono : ndarray, shape (n_energies, n_yields, n_yields, n_bins)
        Response to one event per tonne-year at a recoil energy, light yield and charge yield.
    b8, rg : ndarray, shape (n_anchors, n_anchors, n_bins)
        Solar 8B CEvNS and radiogenic-neutron templates at the yield anchors (t_ly, t_qy).
    ac, er : ndarray, shape (n_bins,)
        Accidental-coincidence and electronic-recoil templates (independent of the yields).
    """

    name: str
    exposure_t_yr: float
    bin_edges: tuple
    observed: np.ndarray
    mono: np.ndarray
    b8: np.ndarray
    rg: np.ndarray
    ac: np.ndarray
    er: np.ndarray


@dataclass(frozen=True)
class Release:
    """What the recast needs of the release.

    Attributes
    ----------
    runs : tuple of ScienceRun
    mono_energy_keV : ndarray
        Recoil energies of the mono-energetic templates (0.51 to 5 keV: the search's region of interest).
    mono_yield_per_keV : ndarray
        Light and charge yields of the mono-energetic templates [quanta/keV].
    anchors : ndarray
        Values of t_ly and t_qy at which b8 and rg are tabulated.
    parameters : dict of str to Parameter
    yield_E_r_keV : ndarray
    light_yield, charge_yield : ndarray, shape (3, n)
        Lower, median and upper yield curves [quanta/keV] on ``yield_E_r_keV``.
    b8_spectrum : tuple of ndarray
        The release's 8B CEvNS recoil spectrum: E_r [keV] and the cumulative rate [events / (t yr)].
    si_limits : dict of str to ndarray
        The published spin-independent limit: ``wimp_mass_GeV``, ``upper_limit_cm2``, ...
    """

    runs: tuple
    mono_energy_keV: np.ndarray
    mono_yield_per_keV: np.ndarray
    anchors: np.ndarray
    parameters: dict
    yield_E_r_keV: np.ndarray
    light_yield: np.ndarray
    charge_yield: np.ndarray
    b8_spectrum: tuple
    si_limits: dict


def verify_checksums(directory: str | os.PathLike[str]) -> None:
    """Compare each file of the release subset with ``checksums.txt``; raise InputError naming a file that
    is missing or whose SHA-256 differs."""
    release_files.verify_checksums(directory, FILES, "resources/derivation/xenonnt_2024.py")


def _read_templates(path):
    """{run: (bin edges, mono, b8, rg, ac, er)} and the axes of the basis and of the anchors."""
    with open_hdf5(path) as handle:
        energies = dataset(handle, path, "mono_energy_keV")
        yields = dataset(handle, path, "mono_yield_per_keV")
        anchors = np.asarray(handle["yield_anchors"]) if "yield_anchors" in handle else None
        if anchors is None or anchors.ndim != 1 or anchors.size < 2:
            raise InputError(f"{path}: dataset 'yield_anchors' missing or not a list of values")
        for name, axis in (("mono_energy_keV", energies), ("mono_yield_per_keV", yields), ("yield_anchors", anchors)):
            if axis.ndim != 1 or axis.size < 2 or np.any(np.diff(axis) <= 0):
                raise InputError(f"{path}: dataset {name!r} is not an increasing list of at least two values")
        runs = {}
        for run in SCIENCE_RUNS:
            edges = tuple(dataset(handle, path, f"{run}/bin_edges/{axis}") for axis in AXES)
            if any(e.ndim != 1 or e.size < 2 or np.any(np.diff(e) <= 0) for e in edges):
                raise InputError(f"{path}: {run}/bin_edges are not increasing")
            space = tuple(e.size - 1 for e in edges)
            n_t, n_y = anchors.size, yields.size
            runs[run] = (
                edges,
                dataset(handle, path, f"{run}/mono", (energies.size, n_y, n_y, *space)),
                *(dataset(handle, path, f"{run}/{name}", (n_t, n_t, *space)) for name in ("b8", "rg")),
                *(dataset(handle, path, f"{run}/{name}", space) for name in ("ac", "er")),
            )
    return runs, energies, yields, anchors


def _bin_events(path, line_numbers, coordinates, edges):
    """Events per analysis bin (flattened in C order); an event outside the analysis space is an error."""
    index = []
    for axis, values, axis_edges in zip(AXES, coordinates, edges, strict=True):
        outside = np.flatnonzero((values < axis_edges[0]) | (values > axis_edges[-1]))
        if outside.size:
            raise InputError(
                f"{path}, line {line_numbers[outside[0]]}: {axis} = {values[outside[0]]:g} outside the "
                f"analysis space [{axis_edges[0]:g}, {axis_edges[-1]:g}]"
            )
        index.append(np.clip(np.searchsorted(axis_edges, values, side="right") - 1, 0, axis_edges.size - 2))
    shape = tuple(e.size - 1 for e in edges)
    flat = np.ravel_multi_index(tuple(index), shape) if index[0].size else np.zeros(0, int)
    return np.bincount(flat, minlength=int(np.prod(shape))).astype(float)


def _increasing(path, lines, values, what):
    bad = np.flatnonzero(np.diff(values) <= 0.0)
    if bad.size:
        raise InputError(f"{path}, line {lines[bad[0] + 1]}: {what} not increasing")


def read_release(directory: str | os.PathLike[str]) -> Release:
    """The :class:`Release` in ``directory`` (``resources/xenonnt_2024``), after checking every file."""
    directory = Path(directory)
    verify_checksums(directory)
    templates, energies, yields, anchors = _read_templates(directory / TEMPLATES)

    events_path = directory / "events.csv"
    events, event_lines = csv_table(events_path, {"science_run": str, **{axis: finite for axis in AXES}})
    unknown = np.flatnonzero(~np.isin(events["science_run"], SCIENCE_RUNS))
    if unknown.size:
        raise InputError(
            f"{events_path}, line {event_lines[unknown[0]]}: unknown science run "
            f"{events['science_run'][unknown[0]]!r}; expected one of {SCIENCE_RUNS}"
        )
    parameters = read_parameters(directory / "parameters.csv")
    for run in SCIENCE_RUNS:
        if f"livetime_{run}" not in parameters:
            raise InputError(f"{directory / 'parameters.csv'}: parameter livetime_{run} missing")
    runs = []
    for run in SCIENCE_RUNS:
        edges, mono, b8, rg, ac, er = templates[run]
        rows = events["science_run"] == run
        observed = _bin_events(events_path, np.asarray(event_lines)[rows], [events[a][rows] for a in AXES], edges)
        flat = (-1,)
        runs.append(
            ScienceRun(
                run,
                parameters[f"livetime_{run}"].nominal,
                edges,
                observed,
                mono.reshape(mono.shape[:3] + flat),
                b8.reshape(b8.shape[:2] + flat),
                rg.reshape(rg.shape[:2] + flat),
                ac.reshape(flat),
                er.reshape(flat),
            )
        )

    yields_path = directory / "yields.csv"
    names = [f"{kind}_yield_{level}_per_keV" for kind in ("light", "charge") for level in YIELD_LEVELS]
    table, lines = csv_table(yields_path, {"E_r_keV": finite, **{name: finite for name in names}})
    _increasing(yields_path, lines, table["E_r_keV"], "E_r_keV")
    curves = np.array([table[name] for name in names])
    if np.any(curves < 0.0):
        raise InputError(f"{yields_path}: negative yield")

    spectrum_path = directory / "b8_spectrum.csv"
    spectrum, lines = csv_table(spectrum_path, {"E_r_keV": finite, "cumulative_rate_per_t_yr": finite})
    _increasing(spectrum_path, lines, spectrum["E_r_keV"], "E_r_keV")
    limits, _ = csv_table(
        directory / "si_limits.csv",
        {
            "wimp_mass_GeV": finite,
            "upper_limit_cm2": finite,
            "power_constrained_limit_cm2": finite,
            "median_sensitivity_cm2": finite,
        },
    )
    return Release(
        tuple(runs),
        energies,
        yields,
        anchors,
        parameters,
        table["E_r_keV"],
        curves[:3],
        curves[3:],
        (spectrum["E_r_keV"], spectrum["cumulative_rate_per_t_yr"]),
        limits,
    )
