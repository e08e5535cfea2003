"""Readers and writers: Garching time series, spectrum tables, Parquet with provenance metadata.

Every text reader validates what it reads and raises :class:`InputError` naming the file and row: UTF-8
(a leading byte-order mark is dropped), a header line only where the format has one and only of column
names, every other non-comment line a row of finite numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..errors import InputError
from ..physics import couplings
from ..physics.fluxes import LuminosityHistory
from . import checksums, columnar

if TYPE_CHECKING:
    import pandas as pd

    from ..physics.core import CoreProfile


HEADER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_ ()\[\]/^*<>-]*")
"""A column name of a header line: a letter first, then letters, digits and unit punctuation, no '.' or '+'
(so that a mistyped number such as 'O.5' or 'l.2e+3' is never taken for one)."""


def _text_lines(path):
    """The lines of a UTF-8 text file, without a leading byte-order mark; InputError if absent or not UTF-8."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        line_no = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}, line {line_no}: not UTF-8 text (byte {raw[error.start]:#04x})") from None


def _number(field):
    """The float a table field holds, or None; Python's digit separator '_' is refused, as a likely typo."""
    if "_" in field:
        return None
    try:
        return float(field)
    except ValueError:
        return None


def _is_header(fields):
    return all(HEADER_NAME.fullmatch(field) and _number(field) is None for field in fields)


def _numeric_rows(path, n_columns, delimiter=None, header=False):
    """Rows of a text table without '#' comments, as (line numbers, floats).

    With ``header`` (the format allows one), the first non-comment line may name the columns; it is taken
    for a header only if every field is a name (:data:`HEADER_NAME`, not a number). Any other non-numeric
    field, in the first row as anywhere else, is an error naming the file and line.
    """
    rows, first = [], True
    for line_no, line in enumerate(_text_lines(path), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        fields = [field.strip() for field in text.split(delimiter)]
        values = [_number(field) for field in fields]
        may_be_header, first = header and first, False
        if None in values:
            if may_be_header and _is_header(fields):
                continue
            bad = fields[values.index(None)]
            hint = " (a header line may only name the columns)" if may_be_header else ""
            raise InputError(f"{path}, line {line_no}: non-numeric value {bad!r} in {text!r}{hint}")
        if len(values) != n_columns:
            raise InputError(f"{path}, line {line_no}: expected {n_columns} columns, found {len(values)}")
        if not np.all(np.isfinite(values)):
            raise InputError(f"{path}, line {line_no}: NaN or infinite value in {text!r}")
        rows.append((line_no, values))
    if len(rows) < 2:
        raise InputError(f"{path}: needs at least two data rows, found {len(rows)}")
    return np.array([r[0] for r in rows]), np.array([r[1] for r in rows])


def _check_increasing(path, line_nos, values, what, strict=True):
    steps = np.diff(values)
    bad = np.flatnonzero(steps <= 0.0 if strict else steps < 0.0)
    if bad.size:
        order = "strictly increasing" if strict else "non-decreasing"
        raise InputError(f"{path}, line {line_nos[bad[0] + 1]}: {what} not {order}")


def _check_non_negative(path, line_nos, values, what):
    bad = np.flatnonzero(values < 0.0)
    if bad.size:
        raise InputError(f"{path}, line {line_nos[bad[0]]}: negative {what} {values[bad[0]]:g}")


def read_garching_timeseries(path: str | Path) -> LuminosityHistory:
    """Read one flavour's signal in the Garching archive format.

    Four whitespace-separated columns per row: t_pb [s], L [foe/s], <E> [MeV], <E^2> [MeV^2];
    lines starting with '#' are comments, and there is no header line (column names are '#' lines).
    Requires non-decreasing time, L >= 0, <E> > 0 and <E>^2 < <E^2> < 2 <E>^2 (a pinching parameter
    alpha > 0, eq. 16). Simulation restarts repeat a time stamp; only the first row of a repeated time is kept.
    """
    line_nos, data = _numeric_rows(path, 4)
    _check_increasing(path, line_nos, data[:, 0], "time", strict=False)
    keep = np.append(True, np.diff(data[:, 0]) > 0.0)
    line_nos, data = line_nos[keep], data[keep]
    t, L, E1, E2 = data.T
    _check_non_negative(path, line_nos, L, "luminosity")
    bad = np.flatnonzero((E1 <= 0.0) | (E2 <= E1**2) | (E2 >= 2.0 * E1**2))
    if bad.size:
        i = bad[0]
        raise InputError(
            f"{path}, line {line_nos[i]}: <E> = {E1[i]:g} MeV, <E^2> = {E2[i]:g} MeV^2 do not give "
            "a pinched spectrum (need <E>^2 < <E^2> < 2 <E>^2)"
        )
    return LuminosityHistory(t, L, E1, E2)


def write_garching_timeseries(path: str | Path, history: LuminosityHistory, header_lines: list[str]) -> None:
    """Write a history in the Garching format, with '#' provenance lines first."""
    columns = np.column_stack(
        [history.time_s, history.luminosity_foe_per_s, history.mean_energy_MeV, history.mean_sq_energy_MeV2]
    )
    header = "\n".join(header_lines + ["time [s]  luminosity [foe/s]  <E> [MeV]  <E^2> [MeV^2]"])
    np.savetxt(path, columns, fmt="%.9e", header=header, comments="# ")


def read_spectrum_table(path: str | Path, value_name: str = "value") -> tuple[np.ndarray, np.ndarray]:
    """Read a two-column CSV table E_nu [MeV] (or E_r [keV]), value; '#' lines are comments.

    The first non-comment line may name the columns (names only, e.g. ``E_nu_MeV,flux``); a leading
    byte-order mark is ignored. Energies must be increasing and values non-negative.
    """
    line_nos, data = _numeric_rows(path, 2, delimiter=",", header=True)
    E, value = data.T
    _check_increasing(path, line_nos, E, "energy")
    _check_non_negative(path, line_nos, value, value_name)
    return E, value


def read_efficiency_table(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read an efficiency table E_r [keV], eps (CSV, optional header line of names); eps must lie in [0, 1]."""
    line_nos, data = _numeric_rows(path, 2, delimiter=",", header=True)
    E, eff = data.T
    _check_increasing(path, line_nos, E, "recoil energy")
    bad = np.flatnonzero((eff < 0.0) | (eff > 1.0))
    if bad.size:
        raise InputError(f"{path}, line {line_nos[bad[0]]}: efficiency {eff[bad[0]]:g} outside [0, 1]")
    return E, eff


def read_wimp_limit(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read a WIMP limit curve mass_GeV, cross_section_cm2 (CSV, header line of names): increasing masses,
    positive cross sections."""
    line_nos, data = _numeric_rows(path, 2, delimiter=",", header=True)
    mass_GeV, sigma_cm2 = data.T
    _check_increasing(path, line_nos, mass_GeV, "WIMP mass")
    bad = np.flatnonzero(~(sigma_cm2 > 0.0))
    if bad.size:
        raise InputError(f"{path}, line {line_nos[bad[0]]}: cross section {sigma_cm2[bad[0]]:g} is not positive")
    return mass_GeV, sigma_cm2


def content_hash(*items: object) -> str:
    """SHA-256 (16 hex digits) of JSON-normalised parameters and of the bytes of input files."""
    h = hashlib.sha256()
    for item in items:
        if isinstance(item, (str, Path)) and Path(item).is_file():
            h.update(Path(item).read_bytes())
        else:
            h.update(json.dumps(item, sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


def write_csv(table: pd.DataFrame, path: str | Path, float_format: str = "%.6g") -> None:
    """Write a final CSV table (no index) and its checksum file
    (:func:`astrocevns.tables.checksums.record_file_checksums`)."""
    table.to_csv(path, index=False, float_format=float_format)
    checksums.record_file_checksums(path)


def read_csv(path: str | Path, **options: Any) -> pd.DataFrame:
    """A CSV table that a job of the workflow wrote, refused (:class:`TableError`) unless it matches its checksum:
    a table edited by hand would otherwise pass its numbers on to every table built from it. ``options`` go to
    :func:`pandas.read_csv`."""
    import pandas as pd

    problem = checksums.file_checksum_problem(path)
    if problem is not None:
        raise TableError(path, problem)
    return pd.read_csv(path, **options)


def write_parquet(
    table: pd.DataFrame | Mapping[str, npt.ArrayLike | pa.Array], path: str | Path, metadata: Mapping[str, object]
) -> None:
    """Write a table to Parquet with key/value metadata (package version and checksums added); deterministic.

    ``table`` is a pandas DataFrame or a mapping of column name to array (NumPy or pyarrow); the
    hot rules use mappings, converted by :mod:`astrocevns.tables.columnar`, so that their jobs need not load
    pandas. NaN in a float column is refused, so that no table downstream silently inherits one; a
    value missing on purpose is a null (pandas ``Float64`` NA or a pyarrow array with nulls, e.g.
    ``columnar.to_arrow(values, valid)``). The row count and a checksum of every column are stored under
    the metadata key ``astrocevns_checksum`` (:mod:`astrocevns.tables.checksums`); the readers below verify them.
    """
    if isinstance(table, dict):
        arrow = pa.table({name: columnar.to_arrow(column) for name, column in table.items()})
    else:
        arrow = pa.Table.from_pandas(table, preserve_index=False)
    for name, column in zip(arrow.column_names, arrow.columns, strict=True):
        if pa.types.is_floating(column.type) and column.null_count == 0 and np.isnan(columnar.to_numpy(column)).any():
            raise ValueError(f"{path}: refusing to write NaN in column {name!r}")
    meta = {
        "astrocevns_version": __version__,
        **{k: str(v) for k, v in metadata.items()},
        checksums.METADATA_KEY: checksums.table_checksum(arrow),
    }
    existing = arrow.schema.metadata or {}
    arrow = arrow.replace_schema_metadata({**existing, **{k.encode(): v.encode() for k, v in meta.items()}})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(arrow, path, compression="zstd")


class TableError(InputError):
    """A Parquet table between rules that is missing, unreadable, truncated or not what was written.

    The message names the file, the ``problem`` and how to regenerate the file.
    """

    def __init__(self, path, problem):
        self.path, self.problem = str(path), problem
        super().__init__(
            f"{path}: {problem}; regenerate it with `snakemake --forcerun {path}` "
            "(or delete it and run snakemake again)"
        )


def _decoded_metadata(schema):
    hidden = (b"pandas", checksums.METADATA_KEY.encode())
    return {k.decode(): v.decode() for k, v in (schema.metadata or {}).items() if k not in hidden}


def _read_table(path, columns, require_checksum=False):
    """One Parquet file as a pyarrow Table (only ``columns``, if given), its row count and checksums verified.

    ParquetFile, unlike read_table, does not load pyarrow.dataset (and with it pandas), which would double
    the start-up of a short job. A table without checksums (written before they were added) is read as is,
    unless ``require_checksum``.

    Raises
    ------
    TableError
        Naming the file and how to regenerate it, if it is missing, unreadable (e.g. truncated: "Parquet
        magic bytes not found") or differs from its checksums.
    """
    if not Path(path).is_file():
        raise TableError(path, "table not found")
    try:
        with pq.ParquetFile(path) as handle:
            available = handle.schema_arrow.names
            unknown = [name for name in columns or () if name not in available]
            if unknown:
                raise KeyError(f"{path}: no column(s) {unknown}; the table has {available}")
            table = handle.read(columns=columns)
    except (OSError, EOFError, ValueError, pa.ArrowException) as error:
        raise TableError(path, f"unreadable Parquet table ({error})") from None
    recorded = (table.schema.metadata or {}).get(checksums.METADATA_KEY.encode())
    if recorded is None:
        if require_checksum:
            raise TableError(path, "no checksum in its metadata, so it cannot be verified")
        return table
    try:
        problems = checksums.mismatches(table, recorded.decode())
    except (ValueError, KeyError, TypeError) as error:
        problems = [f"unreadable checksum record ({error})"]
    if problems:
        raise TableError(path, f"corrupt table: {', '.join(problems)}")
    return table


def read_parquet(path: str | Path, columns: Sequence[str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read a Parquet table (optionally only ``columns``) as a DataFrame, and its key/value metadata."""
    table = _read_table(path, columns)
    return table.to_pandas(), _decoded_metadata(table.schema)


def read_columns(
    path: str | os.PathLike[str], columns: Sequence[str] | None = None
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Read a Parquet table as {column: NumPy array} and its metadata, without loading pandas."""
    table = _read_table(path, columns)
    return {
        name: columnar.to_numpy(column) for name, column in zip(table.column_names, table.columns, strict=True)
    }, _decoded_metadata(table.schema)


def read_metadata(path: str | Path) -> dict[str, str]:
    """The key/value metadata of a Parquet file, once its rows have been read and verified."""
    return _decoded_metadata(_read_table(path, None).schema)


def verify_table(path: str | Path) -> None:
    """Read every column of a Parquet table written by :func:`write_parquet` and verify its checksums.

    Raises
    ------
    TableError
        Also when the table carries no checksum.
    """
    _read_table(path, None, require_checksum=True)


CORE_TABLE_COLUMNS = (
    "r_km",
    "density_g_cm3",
    "temperature_MeV",
    "electron_fraction",
    "nue_chemical_potential_MeV",
    "electron_chemical_potential_MeV",
)
GARCHING_CORE_COLUMNS = {"radius": 1e-5, "density": 1.0, "temperature": 1.0, "Y_e": 1.0, "mu_nu": 1.0, "mu_e": 1.0}
"""Columns of a Garching hydro profile the core stage reads (in CoreProfile order), with unit factors (cm -> km)."""


def _garching_core_columns(path, lines):
    """Positions of the needed columns, from the '#' line of column names (separated by 2+ spaces)."""
    for line in lines:
        names = [n for n in re.split(r"\s{2,}", line.lstrip("#").strip()) if n]
        if line.startswith("#") and "radius" in names and "density" in names:
            missing = [n for n in GARCHING_CORE_COLUMNS if n not in names]
            if missing:
                raise InputError(f"{path}: column(s) {missing} not found in the header {names}")
            return len(names), [names.index(n) for n in GARCHING_CORE_COLUMNS]
    raise InputError(f"{path}: no '#' header line naming the columns (radius, density, ...)")


def read_core_profile(path: str | Path) -> CoreProfile:
    """Read a proto-neutron-star profile: the project's CSV table or a Garching hydro profile.

    CSV (``.csv``): columns r_km, density_g_cm3, temperature_MeV, electron_fraction,
    nue_chemical_potential_MeV, electron_chemical_potential_MeV. Garching format: whitespace
    columns named in a '#' header line (radius [cm], density [g/cm^3], temperature [MeV], mu_nu,
    mu_e [MeV], Y_e, ...). Radius must increase; density and temperature be positive; 0 < Y_e < 1.
    """
    from ..physics.core import CoreProfile

    path = Path(path)
    if path.suffix == ".csv":
        line_nos, data = _numeric_rows(path, len(CORE_TABLE_COLUMNS), delimiter=",", header=True)
        columns = data.T
    else:
        lines = _text_lines(path)
        n_columns, positions = _garching_core_columns(path, lines)
        rows = [
            (no, line)
            for no, line in enumerate(lines, start=1)
            if line.strip() and not line.startswith("#") and "=" not in line
        ]
        values = []
        for no, line in rows:
            fields = line.split()
            if len(fields) != n_columns:
                raise InputError(f"{path}, line {no}: expected {n_columns} columns, found {len(fields)}")
            numbers = [_number(fields[i]) for i in positions]
            if None in numbers:
                bad = fields[positions[numbers.index(None)]]
                raise InputError(f"{path}, line {no}: non-numeric value {bad!r} in {line.strip()!r}")
            values.append(numbers)
        if len(values) < 2:
            raise InputError(f"{path}: needs at least two data rows, found {len(values)}")
        line_nos = np.array([no for no, _ in rows])
        columns = (np.array(values) * np.array(list(GARCHING_CORE_COLUMNS.values()))).T
    r, rho, T, ye, mu_nu, mu_e = columns
    if not np.all(np.isfinite(columns)):
        bad = np.flatnonzero(~np.all(np.isfinite(columns), axis=0))[0]
        raise InputError(f"{path}, line {line_nos[bad]}: NaN or infinite value")
    _check_increasing(path, line_nos, r, "radius")
    for values, what in ((rho, "density"), (T, "temperature")):
        bad = np.flatnonzero(values <= 0.0)
        if bad.size:
            raise InputError(f"{path}, line {line_nos[bad[0]]}: {what} {values[bad[0]]:g} is not positive")
    bad = np.flatnonzero((ye <= 0.0) | (ye >= 1.0))
    if bad.size:
        raise InputError(f"{path}, line {line_nos[bad[0]]}: Y_e = {ye[bad[0]]:g} outside (0, 1)")
    return CoreProfile(r, rho, T, ye, mu_nu, mu_e)


LIMIT_REGIONS = ("lower", "upper", "closed")
"""What the points of an external bound trace (header '# region: ...', default lower): the lower edge of a
region excluded above it, the upper edge of one excluded below it, or the closed outline of an excluded region."""


def read_limit_curve(path: str | os.PathLike[str]) -> tuple[dict[str, str], np.ndarray, np.ndarray]:
    """Read an external bound (resources/external_limits/README.md): '# key: value' header lines (name,
    citation, mediator, convention; optionally region and provenance keys) and two CSV columns m_MeV, coupling.

    Returns (header dict, m_MeV, g) with the coupling converted to the workflow's g and ``header['region']``
    one of :data:`LIMIT_REGIONS` (lower when the file does not say). The masses of a lower or upper edge
    increase; the points of a closed outline go round it, the last joining the first.
    """
    header = {}
    for line in _text_lines(path):
        if line.startswith("#") and ":" in line:
            key, value = line[1:].split(":", 1)
            header[key.strip()] = value.strip()
    for key in ("name", "citation", "mediator", "convention"):
        if key not in header:
            raise InputError(f"{path}: header line '# {key}: ...' missing")
    if header["convention"] not in couplings.MODEL_PER_G:
        raise InputError(f"{path}: convention {header['convention']!r} not one of {sorted(couplings.MODEL_PER_G)}")
    if header["mediator"] not in ("vector", "scalar"):
        raise InputError(f"{path}: mediator {header['mediator']!r} not 'vector' or 'scalar'")
    header.setdefault("region", LIMIT_REGIONS[0])
    if header["region"] not in LIMIT_REGIONS:
        raise InputError(f"{path}: region {header['region']!r} not one of {list(LIMIT_REGIONS)}")
    line_nos, data = _numeric_rows(path, 2, delimiter=",", header=True)
    m, coupling = data.T
    if header["region"] == "closed":
        if m.size < 3:
            raise InputError(f"{path}: a closed region needs at least three points, found {m.size}")
    else:
        _check_increasing(path, line_nos, m, "mass")
    bad = np.flatnonzero((m <= 0) | (coupling <= 0))
    if bad.size:
        raise InputError(f"{path}, line {line_nos[bad[0]]}: mass and coupling must be positive")
    return header, m, np.asarray(couplings.from_model(coupling, header["convention"]))
