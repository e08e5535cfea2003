"""Reading the derived subsets of data releases in ``resources/`` (resources/derivation/): checksums, CSV
tables with '#' provenance headers, and the parameters of a statistical model.

Every reader raises :class:`astrocevns.tables.io.InputError` naming the file (and the row or column): a missing,
modified or corrupted file stops the run before any number is computed from it.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError


def verify_checksums(directory: str | os.PathLike[str], files: Sequence[str], script: str) -> None:
    """Compare each of ``files`` in ``directory`` with ``checksums.txt`` there; raise InputError naming a file that
    is missing or whose SHA-256 differs (``script`` regenerates them)."""
    directory = Path(directory)
    manifest = directory / "checksums.txt"
    if not manifest.is_file():
        raise InputError(f"{manifest}: file not found")
    expected = {
        name: digest
        for digest, name in (line.split(maxsplit=1) for line in manifest.read_text().splitlines() if line.strip())
    }
    for name in files:
        path = directory / name
        if not path.is_file():
            raise InputError(f"{path}: file not found")
        if name not in expected:
            raise InputError(f"{manifest}: no checksum for {name}")
        if hashlib.sha256(path.read_bytes()).hexdigest() != expected[name]:
            raise InputError(
                f"{path}: SHA-256 differs from {manifest} (corrupted or modified; regenerate it with {script})"
            )


def csv_table(path, converters):
    """Columns of a CSV file with '#' comment lines and a header naming at least the ``converters``' keys."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    lines = [
        (number, line)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    if len(lines) < 2:
        raise InputError(f"{path}: needs a header and at least one row")
    rows = list(csv.reader(line for _, line in lines))
    header = rows[0]
    missing = [name for name in converters if name not in header]
    if missing:
        raise InputError(f"{path}: column(s) {missing} missing from the header {header}")
    columns = {name: [] for name in converters}
    for (number, _), row in zip(lines[1:], rows[1:], strict=True):
        if len(row) != len(header):
            raise InputError(f"{path}, line {number}: expected {len(header)} fields, found {len(row)}")
        for name, convert in converters.items():
            try:
                columns[name].append(convert(row[header.index(name)]))
            except ValueError as error:
                raise InputError(f"{path}, line {number}, column {name}: {error}") from None
    return {name: np.asarray(values) for name, values in columns.items()}, [number for number, _ in lines[1:]]


def finite(text):
    """A finite float from ``text`` (ValueError otherwise)."""
    value = float(text)
    if not np.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def optional(text):
    """NaN for an empty field, else :func:`finite`."""
    return float("nan") if text.strip() == "" else finite(text)


@dataclass(frozen=True)
class Parameter:
    """A parameter of the statistical model: Gaussian constraint of width ``uncertainty`` about ``nominal``
    (infinite: unconstrained) and the fit range [lower, upper] (lower == upper: fixed)."""

    name: str
    nominal: float
    uncertainty: float
    lower: float
    upper: float


def read_parameters(path):
    """{name: Parameter} of a parameters.csv (parameter, nominal, uncertainty, fit_min, fit_max; empty
    uncertainty: unconstrained; empty limits: fixed)."""
    table, lines = csv_table(
        path, {"parameter": str, "nominal": finite, "uncertainty": optional, "fit_min": optional, "fit_max": optional}
    )
    parameters = {}
    for line, name, nominal, width, lower, upper in zip(lines, *table.values(), strict=True):
        fixed = np.isnan(lower) and np.isnan(upper)
        if not fixed and not lower <= nominal <= upper:
            raise InputError(
                f"{path}, line {line}: {name}: nominal {nominal:g} outside the fit range [{lower:g}, {upper:g}]"
            )
        if width <= 0.0:
            raise InputError(f"{path}, line {line}: {name}: uncertainty {width:g} is not positive")
        parameters[str(name)] = Parameter(
            str(name),
            float(nominal),
            float(np.inf if np.isnan(width) else width),
            float(nominal if fixed else lower),
            float(nominal if fixed else upper),
        )
    return parameters


def open_hdf5(path):
    """An open h5py File of ``path``; InputError naming it if it is missing or not HDF5."""
    import h5py

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise InputError(f"{path}: not a readable HDF5 file ({error})") from None


def dataset(handle, path, name, shape=None):
    """A dataset of an HDF5 file as an array: present, of the given shape, finite and non-negative."""
    if name not in handle:
        raise InputError(f"{path}: dataset {name!r} missing")
    values = np.asarray(handle[name], dtype=float)
    if shape is not None and values.shape != shape:
        raise InputError(f"{path}: dataset {name!r} has shape {values.shape}, expected {shape}")
    if not np.all(np.isfinite(values)) or np.any(values < 0.0):
        raise InputError(f"{path}: dataset {name!r} holds negative or non-finite values")
    return values
