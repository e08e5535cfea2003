"""Tables on disk: Parquet with provenance metadata and content checksums, NumPy columns to and from Arrow,
and the readers of the input tables (time series, spectra).
"""
