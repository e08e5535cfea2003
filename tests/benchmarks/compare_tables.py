"""Compare every table of two results directories: the numbers must not change when the workflow is restructured.

Walks both directories for ``*.csv`` and ``*.parquet`` (tables, figure data, spectra, chi2, edges, bounds, toys,
variants, ...) and compares each pair:
  - Parquet: the same columns in the same order and the same rows; floating-point columns within
    ``--rtol`` relative (default 1e-12, the target for the bounds), with an absolute floor of ``--rtol``
    times the column's largest magnitude for values that cancel to ~0; nulls where the other has nulls; every
    other column exactly;
  - CSV: the same header and rows; a number within one unit of its last printed digit (the tables are written
    with a fixed number of significant digits, so two values 1e-12 apart may round to neighbouring prints)
    or within ``--rtol``; text exactly.
The key/value metadata of the Parquet files (provenance hashes, the package version) is compared too and
reported, but a difference there fails only with ``--metadata``.

Exit status 0 when every table agrees, 1 otherwise. Run: python tests/benchmarks/compare_tables.py A/results B/results
"""

import argparse
import csv
import math
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

VOLATILE_METADATA = {"astrocevns_version", "pandas", "astrocevns_checksum"}
"""Metadata keys not compared: the package version, pandas' schema record and the checksums of the columns
(the columns themselves are compared)."""


def tables_in(directory):
    """{relative path: path} of the CSV and Parquet files under ``directory``."""
    return {
        path.relative_to(directory).as_posix(): path
        for pattern in ("*.csv", "*.parquet")
        for path in directory.rglob(pattern)
    }


def last_digit_unit(text):
    """One unit of the last printed digit of a number written as ``text`` (0 for an integer without exponent)."""
    try:
        exponent = Decimal(text.strip()).as_tuple().exponent
    except InvalidOperation:
        return None
    return 10.0**exponent if isinstance(exponent, int) else None


def csv_differences(a, b, rtol):
    """Descriptions of the differences between the CSV files ``a`` and ``b``."""
    with a.open(newline="") as handle_a, b.open(newline="") as handle_b:
        rows_a, rows_b = list(csv.reader(handle_a)), list(csv.reader(handle_b))
    if not rows_a or not rows_b or rows_a[0] != rows_b[0]:
        return [f"header {rows_a[:1]} against {rows_b[:1]}"]
    if len(rows_a) != len(rows_b):
        return [f"{len(rows_a) - 1} rows against {len(rows_b) - 1}"]
    header, problems = rows_a[0], []
    for line, (row_a, row_b) in enumerate(zip(rows_a[1:], rows_b[1:], strict=True), start=2):
        for column, (x, y) in enumerate(zip(row_a, row_b, strict=True)):
            if x == y:
                continue
            unit_x, unit_y = last_digit_unit(x), last_digit_unit(y)
            if unit_x is not None and unit_y is not None:
                u, v = float(x), float(y)
                allowed = max(unit_x, unit_y) * (1.0 + 1e-9) + rtol * max(abs(u), abs(v))
                if abs(u - v) <= allowed or (math.isnan(u) and math.isnan(v)):
                    continue
            name = header[column] if column < len(header) else column
            problems.append(f"line {line}, column {name}: {x!r} against {y!r}")
    return problems


def column_differences(name, x, y, rtol):
    """Descriptions of the differences between two pyarrow columns ``x`` and ``y`` of one name."""
    if x.type != y.type:
        return [f"column {name}: type {x.type} against {y.type}"]
    if pa.types.is_dictionary(x.type):
        x, y = x.cast(x.type.value_type), y.cast(y.type.value_type)
    nulls_x, nulls_y = np.asarray(x.is_null()), np.asarray(y.is_null())
    if (nulls_x != nulls_y).any():
        return [f"column {name}: nulls at {np.flatnonzero(nulls_x != nulls_y)[:5].tolist()} differ"]
    if pa.types.is_floating(x.type):
        u = np.asarray(x.fill_null(0.0).to_numpy(zero_copy_only=False), dtype=float)
        v = np.asarray(y.fill_null(0.0).to_numpy(zero_copy_only=False), dtype=float)
        finite = np.isfinite(u) & np.isfinite(v)
        scale = np.max(np.abs(u[finite]), initial=0.0)
        close = np.where(
            finite,
            np.abs(u - v) <= rtol * np.maximum(np.abs(u), np.abs(v)) + rtol * scale,
            (u == v) | (np.isnan(u) & np.isnan(v)),
        )
        if close.all():
            return []
        worst = int(np.argmax(np.where(finite, np.abs(u - v) / np.maximum(np.abs(u) + np.abs(v), 1e-300), np.inf)))
        return [
            f"column {name}: {np.count_nonzero(~close)} of {u.size} values differ, e.g. row {worst}: "
            f"{u[worst]!r} against {v[worst]!r}"
        ]
    if not x.equals(y):
        changed = [i for i, (p, q) in enumerate(zip(x.to_pylist(), y.to_pylist(), strict=True)) if p != q]
        return [f"column {name}: {len(changed)} values differ, e.g. row {changed[0]}"]
    return []


def parquet_differences(a, b, rtol):
    """(differences of the columns, differences of the metadata) of the Parquet files ``a`` and ``b``."""
    table_a, table_b = pq.read_table(a), pq.read_table(b)
    if table_a.column_names != table_b.column_names:
        return [f"columns {table_a.column_names} against {table_b.column_names}"], []
    if table_a.num_rows != table_b.num_rows:
        return [f"{table_a.num_rows} rows against {table_b.num_rows}"], []
    problems = []
    for name in table_a.column_names:
        problems += column_differences(
            name, table_a.column(name).combine_chunks(), table_b.column(name).combine_chunks(), rtol
        )
    meta_a, meta_b = (
        {k.decode(): v.decode() for k, v in (t.schema.metadata or {}).items() if k.decode() not in VOLATILE_METADATA}
        for t in (table_a, table_b)
    )
    metadata = [
        f"metadata {key}: {meta_a.get(key)!r} against {meta_b.get(key)!r}"
        for key in sorted(set(meta_a) | set(meta_b))
        if meta_a.get(key) != meta_b.get(key)
    ]
    return problems, metadata


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first", type=Path, help="a results directory")
    parser.add_argument("second", type=Path, help="the results directory to compare it with")
    parser.add_argument("--rtol", type=float, default=1e-12, help="relative tolerance of floating-point values")
    parser.add_argument("--metadata", action="store_true", help="fail on differences of the Parquet metadata")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args()
    first, second = tables_in(args.first), tables_in(args.second)
    failed = sorted(set(first) ^ set(second))
    for name in failed:
        print(f"only in {args.first if name in first else args.second}: {name}")
    metadata_changed = 0
    for name in sorted(set(first) & set(second)):
        if name.endswith(".csv"):
            problems, metadata = csv_differences(first[name], second[name], args.rtol), []
        else:
            problems, metadata = parquet_differences(first[name], second[name], args.rtol)
        metadata_changed += bool(metadata)
        if problems or (metadata and args.metadata):
            failed.append(name)
        for line in problems + (metadata if not args.quiet else []):
            print(f"{name}: {line}")
    compared = len(set(first) & set(second))
    print(
        f"{compared} tables compared (rtol {args.rtol:g}): {len(failed)} differ or are missing, "
        f"{metadata_changed} with other metadata"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
