"""Parquet tables carry a checksum of their contents; the readers name a corrupt or truncated table and how
to regenerate it, and astrocevns.pipeline.verify lists every bad file of a results folder."""

import json
import re
import struct
import zlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from astrocevns.pipeline import verify
from astrocevns.tables import checksums, columnar, io


def sample_table(rows=50):
    rng = np.random.default_rng(1)
    g_min = rng.random(rows)
    valid = rng.random(rows) > 0.2
    return {
        "g": rng.random(rows),
        "chi2": rng.exponential(5.0, rows),
        "on_grid": rng.random(rows) > 0.5,
        "line": np.arange(rows),
        "g_min": columnar.to_arrow(g_min, valid=valid),
        "mediator": np.array(["vector", "scalar"] * (rows // 2)),
        "source": columnar.categorical(rng.integers(0, 2, rows), ["sn_cc", "sn_failed"]),
    }


@pytest.fixture
def table_path(tmp_path):
    path = tmp_path / "results" / "chi2" / "vector" / "sn_cc" / "combined.parquet"
    io.write_parquet(sample_table(), path, {"family": "sn_cc/combined"})
    return path


def rewrite(path, change):
    """Rewrite a table keeping its metadata (with the recorded checksum) but with ``change`` applied to its rows:
    the silent corruption a checksum is there to catch."""
    table = pq.read_table(path)
    pq.write_table(change(table).replace_schema_metadata(table.schema.metadata), path)


def test_round_trip_verifies_and_hides_the_checksum(table_path):
    columns, meta = io.read_columns(table_path)
    assert meta["family"] == "sn_cc/combined" and checksums.METADATA_KEY not in meta
    assert columns["source"].tolist() == sample_table()["source"].to_pylist()
    frame, _ = io.read_parquet(table_path, columns=["g", "g_min"])
    assert frame["g_min"].isna().sum() > 0
    assert io.read_metadata(table_path)["family"] == "sn_cc/combined"
    record = json.loads(pq.read_schema(table_path).metadata[checksums.METADATA_KEY.encode()])
    assert record["rows"] == 50 and set(record["columns"]) == set(sample_table())


def test_pandas_tables_carry_checksums_too(tmp_path):
    frame = pd.DataFrame({"mediator": ["vector", "scalar"], "g": pd.array([1e-5, None], dtype="Float64")})
    io.write_parquet(frame, tmp_path / "t.parquet", {})
    io.verify_table(tmp_path / "t.parquet")


def test_truncated_table_is_named_with_how_to_regenerate_it(table_path):
    data = table_path.read_bytes()
    table_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(io.TableError) as error:
        io.read_columns(table_path, columns=["g"])
    message = str(error.value)
    assert str(table_path) in message and "unreadable Parquet table" in message
    assert f"snakemake --forcerun {table_path}" in message


def test_changed_values_do_not_match_the_checksum(table_path):
    def perturb(table):
        chi2 = table["chi2"].to_numpy().copy()
        chi2[7] *= 1 + 1e-15
        return table.set_column(table.column_names.index("chi2"), "chi2", pa.array(chi2))

    rewrite(table_path, perturb)
    with pytest.raises(io.TableError, match=r"column 'chi2' does not match its checksum"):
        io.read_columns(table_path)
    io.read_columns(table_path, columns=["g", "source"])  # the columns read are the ones verified


def test_lost_rows_are_named(table_path):
    rewrite(table_path, lambda table: table.slice(0, 40))
    with pytest.raises(io.TableError, match="40 rows instead of 50"):
        io.read_columns(table_path, columns=["g"])


def test_a_flipped_bit_is_caught_or_harmless(table_path):
    # anywhere in the file: the reader raises TableError or returns exactly the values written (a flip in the
    # encoded Arrow schema may change a flag such as a dictionary's 'ordered', not a value)
    original = pq.read_table(table_path)
    data = table_path.read_bytes()
    caught = 0
    for position in range(0, len(data), 5):
        corrupt = bytearray(data)
        corrupt[position] ^= 0x04
        table_path.write_bytes(bytes(corrupt))
        try:
            io.read_columns(table_path)
        except io.TableError as error:
            assert str(table_path) in str(error)
            caught += 1
            continue
        read = pq.read_table(table_path)
        assert read.column_names == original.column_names, position
        assert all(read[name].to_pylist() == original[name].to_pylist() for name in read.column_names), position
    assert caught > len(data) // 10


def test_missing_table_is_named(tmp_path):
    with pytest.raises(io.TableError, match="table not found; regenerate it"):
        io.read_columns(tmp_path / "absent.parquet")


def test_table_without_checksum_is_read_but_not_verified(tmp_path):
    path = tmp_path / "old.parquet"
    pq.write_table(pa.table({"g": [1.0, 2.0]}), path)
    assert io.read_columns(path)[0]["g"].tolist() == [1.0, 2.0]
    with pytest.raises(io.TableError, match="no checksum"):
        io.verify_table(path)


@pytest.mark.parametrize("name", list(sample_table()))
def test_checksum_does_not_depend_on_chunking_or_row_groups(tmp_path, name):
    column = pa.table({k: columnar.to_arrow(v) for k, v in sample_table().items()})[name]
    whole = checksums.column_checksum(column)
    pieces = pa.chunked_array([column.slice(0, 7), column.slice(7, 20), column.slice(27)])
    assert checksums.column_checksum(pieces) == whole
    table = pa.table({name: column})
    path = tmp_path / "groups.parquet"
    pq.write_table(
        table.replace_schema_metadata({checksums.METADATA_KEY: checksums.table_checksum(table)}), path, row_group_size=9
    )
    io.verify_table(path)


def test_checksum_sees_every_kind_of_change():
    base = pa.table({k: columnar.to_arrow(v) for k, v in sample_table().items()})
    for name in base.column_names:
        column = base[name].combine_chunks()
        reversed_rows = column.take(pa.array(np.arange(len(column))[::-1]))
        assert checksums.column_checksum(reversed_rows) != checksums.column_checksum(column), name


# --- verify a results folder ---------------------------------------------------------------------------


def png_bytes():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return verify.PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


@pytest.fixture
def results(tmp_path):
    root = tmp_path / "results"
    for name in ("good", "truncated", "tampered"):
        io.write_parquet(sample_table(), root / "spectra" / f"{name}.parquet", {})
    truncated = root / "spectra" / "truncated.parquet"
    truncated.write_bytes(truncated.read_bytes()[:-100])
    rewrite(root / "spectra" / "tampered.parquet", lambda table: table.slice(1))
    (root / "tables").mkdir()
    (root / "tables" / "bounds.csv").write_text("analysis,mediator,m_MeV,g_min\nsolar/darwin,vector,1,2e-5\n")
    (root / "tables" / "event_counts.csv").write_text("source,detector,events\nsolar,darwin,4")
    (root / "figures").mkdir()
    (root / "figures" / "fig1.png").write_bytes(png_bytes())
    (root / "figures" / "fig2.png").write_bytes(png_bytes()[:-6])
    (root / "figures" / "fig2.pdf").write_bytes(b"%PDF-1.4\n...\n%%EOF\n")
    for name in (
        "tables/bounds.csv",
        "tables/event_counts.csv",
        "figures/fig1.png",
        "figures/fig2.png",
        "figures/fig2.pdf",
    ):
        checksums.record_file_checksums(root / name)  # as the jobs write them
    return root


def test_verify_lists_exactly_the_bad_files(results):
    expected = [str(results / "tables" / "bounds.csv"), str(results / "tables" / "core_bounds.csv")]
    checked, problems = verify.verify_results(results, expected)
    assert checked == 9
    assert sorted(problems) == sorted(
        str(results / p)
        for p in (
            "spectra/truncated.parquet",
            "spectra/tampered.parquet",
            "tables/event_counts.csv",
            "figures/fig2.png",
            "tables/core_bounds.csv",
        )
    )
    assert problems[str(results / "tables" / "core_bounds.csv")] == "missing"
    assert "rows instead of" in problems[str(results / "spectra" / "tampered.parquet")]
    summary = verify.report(checked, problems)
    assert "9 files checked, 5 bad" in summary and "snakemake --forcerun" in summary


def test_verify_command_line(results, capsys):
    assert verify.main([str(results)]) == 1
    assert "truncated.parquet" in capsys.readouterr().out
    for bad in ("spectra/truncated.parquet", "spectra/tampered.parquet", "tables/event_counts.csv", "figures/fig2.png"):
        (results / bad).unlink()
    assert verify.main([str(results)]) == 0
    assert "4 files checked: all sound" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name, edit",
    [
        (
            "tables/bounds.csv",
            lambda text: text.replace(b"2e-5", b"3e-5"),
        ),  # a number edited by hand, still well formed
        ("figures/fig1.png", lambda data: data[:20] + bytes([data[20] ^ 1]) + data[21:]),  # one bit flipped
        ("figures/fig2.pdf", lambda data: data.replace(b"...", b"..,")),
    ],
)
def test_verify_names_a_final_output_that_no_longer_matches_its_checksum(results, name, edit):
    path = results / name
    path.write_bytes(edit(path.read_bytes()))
    problems = verify.verify_results(results)[1]
    assert problems[str(path)] == (
        f"does not match its checksum ({path.name}.sha256): edited or damaged after its job wrote it"
    )


def test_a_final_output_without_its_checksum_file_is_named(results):
    (results / "tables" / "bounds.csv.sha256").unlink()
    assert verify.verify_results(results)[1][str(results / "tables" / "bounds.csv")] == (
        "no recorded checksum (bounds.csv.sha256 is missing)"
    )


def test_a_downstream_job_refuses_an_edited_table(results):
    path = results / "tables" / "bounds.csv"
    assert io.read_csv(path).g_min.tolist() == [2e-5]
    path.write_text(path.read_text().replace("2e-5", "1e-9"))
    with pytest.raises(
        io.TableError,
        match=re.escape(
            f"{path}: does not match its checksum (bounds.csv.sha256): "
            f"edited or damaged after its job wrote it; regenerate it with "
            f"`snakemake --forcerun {path}`"
        ),
    ):
        io.read_csv(path)
