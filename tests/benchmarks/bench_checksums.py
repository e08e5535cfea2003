"""Cost of the Parquet checksums on a 1000 x 1000 chi2 table of a family with two variants (2e6 rows).

Run: PYTHONPATH=workflow/lib python tests/benchmarks/bench_checksums.py
Prints the best of five timings of: the checksums alone; io.write_parquet and io.read_columns (all columns,
and the four a figure reads), each with the checksums and with them switched off (no checksum computed on
writing, none compared on reading), so that the difference is their whole cost.
"""

import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pyarrow as pa

from astrocevns.tables import checksums, columnar, io


def best_of(function, repeats=5):
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def chi2_table(n_g=1000, n_m=1000, variants=2):
    rng = np.random.default_rng(0)
    rows = n_g * n_m * variants
    g, m = np.geomspace(1e-7, 1e-2, n_g), np.geomspace(1e-2, 1e4, n_m)
    return {
        "analysis": columnar.categorical(np.repeat(np.arange(variants), n_g * n_m), ["a/combined", "a/combined-x"]),
        "g": np.tile(np.repeat(g, n_m), variants),
        "m_MeV": np.tile(np.tile(m, n_g), variants),
        "chi2": rng.exponential(5.0, rows),
        "pull": rng.uniform(-1.0, 0.5, rows),
        "source": columnar.categorical(rng.integers(0, 2, rows), ["sn_cc", "sn_failed"]),
    }


def main():
    table = chi2_table()
    arrow = pa.table({name: columnar.to_arrow(column) for name, column in table.items()})
    drawn = ["analysis", "g", "m_MeV", "chi2"]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "chi2.parquet"
        steps = {
            "write_parquet": lambda: io.write_parquet(table, path, {}),
            "read_columns, all": lambda: io.read_columns(path),
            "read_columns, 4 drawn": lambda: io.read_columns(path, columns=drawn),
        }
        timings = {"checksums alone": (best_of(lambda: checksums.table_checksum(arrow)), None)}
        recorded = checksums.table_checksum(arrow)  # written without being computed again, so the file stays valid
        for name, step in steps.items():
            with_checksums = best_of(step)
            with (
                mock.patch.object(checksums, "table_checksum", lambda _: recorded),
                mock.patch.object(checksums, "mismatches", lambda *_: []),
            ):
                timings[name] = (with_checksums, best_of(step))
        size_mb = path.stat().st_size / 1e6
    print(f"{arrow.num_rows} rows, {arrow.nbytes / 1e6:.0f} MB in memory, {size_mb:.0f} MB on disk")
    for name, (seconds, without) in timings.items():
        extra = "" if without is None else f"   without checksums {1e3 * without:5.0f} ms"
        print(f"{name:24s} {1e3 * seconds:5.0f} ms{extra}")


if __name__ == "__main__":
    main()
