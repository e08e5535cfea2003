"""Shared helpers for deriving the embedded default tables in ``resources/``.

The reference data passed on the command line is used only as a fit target
and for validation; every table written here is evaluated from our own
formulas on our own energy grids.
"""

import argparse
import csv
import hashlib
from pathlib import Path

import numpy as np
from scipy.special import loggamma

from astrocevns.physics import constants

RESOURCES = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = RESOURCES.parents[1] / "shared" / "reference"

M_E = constants.ELECTRON_MASS_MEV
ALPHA = constants.FINE_STRUCTURE_CONSTANT
HBARC_OVER_ME_FM = constants.HBARC_MEV_FM / constants.ELECTRON_MASS_MEV  # reduced Compton wavelength of the electron
NUMBER_FORMAT = "%.6e"


def reference_dir(description):
    """Parse the command line and return the reference directory.

    Parameters
    ----------
    description : str
        Help text of the calling script.

    Returns
    -------
    pathlib.Path
        Directory holding the public reference data (read only).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "reference",
        nargs="?",
        default=str(DEFAULT_REFERENCE),
        help="reference data directory (default: <repo>/../shared/reference)",
    )
    return Path(parser.parse_args().reference)


def load_reference(path):
    """Load a two-column reference table (comma or whitespace separated).

    Parameters
    ----------
    path : pathlib.Path
        Reference file.

    Returns
    -------
    x, y : numpy.ndarray
        First and second column.
    """
    delimiter = "," if path.suffix == ".csv" else None
    data = np.loadtxt(path, delimiter=delimiter)
    return data[:, 0], data[:, 1]


def fermi_function_positron(z_daughter, w_total, mass_number):
    """Relativistic Fermi function F0 for positron emission.

    Uses the point-charge Dirac solution evaluated at the nuclear radius
    R = 1.2 A^(1/3) fm (e.g. Wilkinson, NIM 82 (1970) 122):
    F0 = 2 (1 + g) (2 p R)^(2 g - 2) exp(pi eta) |Gamma(g + i eta)|^2 / Gamma(2 g + 1)^2,
    with g = sqrt(1 - (alpha Z)^2) and eta = -alpha Z W / p for a positron.

    Parameters
    ----------
    z_daughter : int
        Charge number of the daughter nucleus.
    w_total : numpy.ndarray
        Total positron energy [MeV].
    mass_number : int
        Mass number A (sets the nuclear radius).

    Returns
    -------
    numpy.ndarray
        F0, zero where the positron momentum vanishes.
    """
    w = np.asarray(w_total, dtype=float) / M_E
    above = w > 1.0
    p = np.sqrt(np.where(above, w * w - 1.0, 1.0))
    gamma = np.sqrt(1.0 - (ALPHA * z_daughter) ** 2)
    eta = -ALPHA * z_daughter * w / p
    radius = 1.2 * mass_number ** (1.0 / 3.0) / HBARC_OVER_ME_FM
    log_f = (
        np.log(2.0 * (1.0 + gamma))
        + 2.0 * (gamma - 1.0) * np.log(2.0 * p * radius)
        + np.pi * eta
        + 2.0 * loggamma(gamma + 1j * eta).real
        - 2.0 * loggamma(2.0 * gamma + 1.0)
    )
    return np.where(above, np.exp(log_f), 0.0)


def allowed_neutrino_shape(e_nu, w_endpoint, z_daughter, mass_number):
    """Unnormalised allowed beta+ neutrino spectrum.

    dN/dE_nu propto E_nu^2 p_e W F0(Z, W) with W = w_endpoint - E_nu the total
    positron energy.

    Parameters
    ----------
    e_nu : numpy.ndarray
        Neutrino energy [MeV] (broadcastable with ``w_endpoint``).
    w_endpoint : numpy.ndarray or float
        Total energy release to positron + neutrino, i.e. positron kinetic
        endpoint + m_e [MeV].
    z_daughter, mass_number : int
        Daughter charge number and mass number.

    Returns
    -------
    numpy.ndarray
        Spectrum shape, zero outside 0 <= E_nu <= w_endpoint - m_e.
    """
    w = np.maximum(w_endpoint - e_nu, M_E)
    p = np.sqrt(w * w - M_E * M_E)
    shape = e_nu**2 * p * w * fermi_function_positron(z_daughter, w, mass_number)
    return np.where(e_nu >= 0.0, shape, 0.0)


def tail_integral(e, spectrum, e_min):
    """Integral of psi(E) (1 - e_min^2 / E^2) over E >= e_min (trapezoid).

    This is the energy weighting of the coherent-scattering rate just above
    the kinematic threshold E_nu = e_min.

    Parameters
    ----------
    e, spectrum : numpy.ndarray
        Energy grid [MeV] and spectrum on it.
    e_min : float
        Lower integration limit [MeV].

    Returns
    -------
    float
        The weighted tail integral.
    """
    above = e >= e_min
    e_fine = np.union1d(e[above], [e_min])
    y = np.interp(e_fine, e, spectrum) * (1.0 - e_min**2 / e_fine**2)
    return np.trapezoid(y, e_fine)


def relative_deviation(model, reference):
    """Return (max |rel. dev.|, rms rel. dev.) of ``model`` versus ``reference``.

    Parameters
    ----------
    model, reference : numpy.ndarray
        Values on the same points.

    Returns
    -------
    tuple of float
    """
    rel = model / reference - 1.0
    return float(np.max(np.abs(rel))), float(np.sqrt(np.mean(rel**2)))


def write_table(path, header_lines, column_names, columns):
    """Write a CSV table with a '#' provenance header and fixed number format.

    Parameters
    ----------
    path : pathlib.Path
        Output file.
    header_lines : list of str
        Provenance comment lines (without the leading '# ').
    column_names : list of str
        Column names for the header line.
    columns : list of numpy.ndarray
        Data columns of equal length.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for line in header_lines:
            handle.write(f"# {line}".rstrip() + "\n")
        handle.write(",".join(column_names) + "\n")
        np.savetxt(handle, np.column_stack(columns), fmt=NUMBER_FORMAT, delimiter=",")
    print(f"wrote {path}")


def write_solar_spectrum(name, header_lines, energies, spectrum, tail_emin, tail_ratios):
    """Write ``solar/<name>_spectrum.csv`` (E_nu_MeV, spectrum_per_MeV) and print the tail ratios."""
    write_table(
        RESOURCES / "solar" / f"{name}_spectrum.csv",
        header_lines,
        ["E_nu_MeV", "spectrum_per_MeV"],
        [energies, spectrum],
    )
    for e_min, ratio in zip(tail_emin, tail_ratios, strict=False):
        print(f"tail ratio Emin={e_min:.0f} MeV: {ratio:.4f}")


def exact_number(value):
    """The shortest decimal that reads back as the same double (every value is kept exactly); '' for None."""
    return "" if value is None else repr(float(value))


def release_header(what, columns, extra, source, citation, command):
    """The '#' header lines of a table derived from a data release: what, columns, notes, source, citation and
    the regeneration command."""
    return [
        what,
        f"Columns: {columns}.",
        *extra,
        f"Source: {source}.",
        f"Citation: {citation}.",
        f"Regenerate (from the repository root): {command}",
    ]


def write_release_csv(path, header_lines, names, rows):
    """Write rows of strings under a '#' header (a data release's values, each written exactly)."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(f"# {line}\n" for line in header_lines)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    print(f"wrote {path}")


def write_checksums(directory, names):
    """``checksums.txt`` in ``directory``: the SHA-256 of each of the files ``names`` there."""
    lines = [f"{hashlib.sha256((directory / name).read_bytes()).hexdigest()}  {name}\n" for name in names]
    (directory / "checksums.txt").write_text("".join(lines), encoding="utf-8")
    print(f"wrote {directory / 'checksums.txt'}")
