"""NumPy <-> Arrow columns without pandas (astrocevns.tables.columnar), checked against pyarrow's own conversion."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from astrocevns.tables import columnar, io

LIB = Path(__file__).resolve().parents[1] / "workflow" / "lib"


@pytest.mark.parametrize(
    "values",
    [
        np.linspace(-1.0, 1.0, 7),
        np.arange(11, dtype=np.int64) - 5,
        np.arange(3, dtype=np.int32),
        np.array([1.5, 2.5], dtype=">f8"),  # big-endian input is stored native
        np.array([True, False, True, True, False, False, True, False, True]),  # more than one byte of bits
        np.array(["sn_cc/combined", "solar/darwin", "", "atmospheric-sigma50/combined"]),
        np.array(["vector", "scalar"], dtype=object),
        np.zeros(0),
    ],
)
def test_columns_equal_pyarrows_own_conversion(values):
    ours = columnar.to_arrow(values)
    native = values.astype(values.dtype.newbyteorder("=")) if values.dtype.kind in "iufb" else values
    assert ours.equals(pa.array(native, type=ours.type))
    if values.dtype.kind in "iufb":
        back = columnar.to_numpy(ours)
        assert back.dtype == native.dtype and np.array_equal(back, values)


def test_nulls_where_not_valid():
    values = np.array([1e-5, np.nan, 3e-5])
    column = columnar.to_arrow(values, valid=~np.isnan(values))
    assert column.equals(pa.array(values, mask=np.isnan(values)))
    assert column.null_count == 1
    assert columnar.to_numpy(column)[0] == 1e-5 and np.isnan(columnar.to_numpy(column)[1])


def test_categorical_column():
    column = columnar.categorical(np.array([1, 0, 1, 1]), ["sn_cc", "sn_failed"])
    assert column.to_pylist() == ["sn_failed", "sn_cc", "sn_failed", "sn_failed"]
    two_chunks = pa.chunked_array([column, columnar.categorical([0], ["solar"])])
    assert columnar.to_numpy(two_chunks).tolist() == ["sn_failed", "sn_cc", "sn_failed", "sn_failed", "solar"]


def test_slices_and_chunks_read_at_their_offset():
    column = pa.chunked_array(
        [pa.array([0.0, 1.0, 2.0, 3.0]).slice(1, 2), pa.array([True, False, True]).slice(1).cast(pa.float64())]
    )
    assert np.array_equal(columnar.to_numpy(column), [1.0, 2.0, 0.0, 1.0])
    bits = pa.array([True, False, False, True, True, False, True, True, False, True]).slice(3, 6)
    assert np.array_equal(columnar.to_numpy(bits), [True, True, False, True, True, False])


def test_parquet_round_trip_does_not_load_pandas(tmp_path):
    """The hot jobs write and read their tables without pandas (it would add 0.2 s to each job)."""
    script = f"""
import sys
sys.path.insert(0, {str(LIB)!r})
import numpy as np
from astrocevns.tables import columnar, io
g_min = np.array([1e-5, np.nan])
io.write_parquet({{"m_MeV": np.array([1.0, 10.0]), "on_grid": np.array([True, False]), "g_min":
                  columnar.to_arrow(g_min, valid=~np.isnan(g_min)), "analysis": np.array(["a", "b"]),
                  "source": columnar.categorical([0, 1], ["sn_cc", "sn_failed"])}},
                 {str(tmp_path / "t.parquet")!r}, {{}})
frame, meta = io.read_columns({str(tmp_path / "t.parquet")!r}, columns=["m_MeV", "on_grid", "source"])
assert frame["on_grid"].tolist() == [True, False] and frame["m_MeV"].tolist() == [1.0, 10.0]
assert frame["source"].tolist() == ["sn_cc", "sn_failed"]
print("pandas" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_nan_is_still_refused(tmp_path):
    with pytest.raises(ValueError, match="NaN in column 'g'"):
        io.write_parquet({"g": np.array([1.0, np.nan])}, tmp_path / "t.parquet", {})
