"""NumPy columns to and from Arrow arrays, buffer to buffer, without loading pandas.

``pa.array`` and ``Array.to_numpy`` probe for pandas types and so import pandas on first use
(0.2 s, a third of the start-up of a short job, paid by every job that writes or reads a table).
The columns the workflow exchanges are fixed-width numbers, booleans and a few strings, whose Arrow
layout is a validity bitmap plus a data buffer (plus offsets for strings), so they are wrapped
directly here; anything else falls back to pyarrow's own conversion.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa


def _bitmap(flags):
    """Arrow's little-endian bit-packed buffer of a boolean array."""
    return pa.py_buffer(np.packbits(np.asarray(flags, dtype=bool), bitorder="little"))


def to_arrow(values: npt.ArrayLike | pa.Array, valid: npt.ArrayLike | None = None) -> pa.Array:
    """A 1-D NumPy column (numbers, booleans or strings) as a pyarrow Array.

    ``valid``: optional boolean mask, False where the value is null (missing on purpose).
    A pyarrow Array is returned unchanged.
    """
    if isinstance(values, pa.Array):
        return values
    values = np.asarray(values)
    validity = None if valid is None else _bitmap(valid)
    if values.ndim != 1:
        raise ValueError(f"a column must be one-dimensional, not of shape {values.shape}")
    if values.dtype.kind == "b":
        return pa.Array.from_buffers(pa.bool_(), values.size, [validity, _bitmap(values)])
    if values.dtype.kind in "iuf":
        values = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("="))
        return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), values.size, [validity, pa.py_buffer(values)])
    if values.dtype.kind == "U" or (values.dtype.kind == "O" and all(isinstance(v, str) for v in values)):
        encoded = [str(v).encode() for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return pa.Array.from_buffers(
            pa.string(), len(encoded), [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
        )
    return pa.array(values, mask=None if valid is None else ~np.asarray(valid, dtype=bool))


def categorical(codes: npt.ArrayLike, names: npt.ArrayLike) -> pa.DictionaryArray:
    """A dictionary-encoded string column: ``names[codes[i]]`` in row i, stored once per name."""
    return pa.DictionaryArray.from_arrays(to_arrow(np.asarray(codes, dtype=np.int32)), to_arrow(np.asarray(names)))


def to_numpy(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow (Chunked)Array of fixed-width numbers or booleans without nulls as a read-only NumPy
    array (a view of the Arrow buffer for numbers), a dictionary-encoded one as an array of its values;
    other columns through pyarrow's own conversion."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    kind = column.type
    if pa.types.is_dictionary(kind) and not column.null_count:
        # an object array shares one Python string per category (8 bytes a row, not the string's width)
        parts = [np.asarray(chunk.dictionary.to_pylist(), dtype=object)[to_numpy(chunk.indices)] for chunk in chunks]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=object)
    plain = pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
    if not plain or column.null_count:
        return column.to_numpy(zero_copy_only=False)
    parts = [_chunk_to_numpy(chunk) for chunk in chunks]
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.dtype(kind.to_pandas_dtype()))


def _chunk_to_numpy(chunk):
    dtype = np.dtype(chunk.type.to_pandas_dtype())
    if len(chunk) == 0:
        return np.zeros(0, dtype=dtype)
    data = chunk.buffers()[1]
    if dtype.kind == "b":
        bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), count=chunk.offset + len(chunk), bitorder="little")
        return bits[chunk.offset :].astype(bool)
    return np.frombuffer(data, dtype=dtype, count=len(chunk), offset=chunk.offset * dtype.itemsize)
