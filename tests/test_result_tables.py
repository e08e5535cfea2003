"""The one writer of the five result tables (astrocevns.inference.result_tables), and the figures' use of the grid
masses it records: an analysis on a grid of its own (the combination) is outlined on its own masses."""

import numpy as np
import pyarrow.parquet as pq
import pytest

from astrocevns.inference import exclusion, result_tables
from astrocevns.presentation import plotting
from astrocevns.tables import io

MASSES = np.array([1.0, 10.0, 100.0])


def tiny_analysis():
    """A counting-free Asimov analysis of one source on three masses: N = 100 (1 + b g^2), b falling with m."""
    ones = np.ones((MASSES.size, 2))
    b = np.array([1e10, 1e9, 1e6])[:, None] * ones
    spectra = {"solar": exclusion.SourceSpectra(MASSES, ((50.0 * ones, 50.0 * b, 0.0 * ones),))}
    statistic = exclusion.Statistic("asimov_poisson", 4.61, {"solar": 0.1})
    scan = {"g_min": 1e-9, "g_max": 1.0, "scan_points": 60}
    result = exclusion.analyse(statistic, spectra, spectra, np.geomspace(1e-8, 1e-1, 30), scan)
    return {
        name: {"analysis": np.zeros(len(t["m_MeV"]), int), **t}
        for name, t in zip(
            result_tables.TABLES,
            (result.grid, result.contours, result.edges, result.bounds, result.intervals),
            strict=True,
        )
    }


def test_the_tables_carry_labels_nulls_and_the_grid_masses(tmp_path):
    tables = tiny_analysis()
    tables["bounds"]["g_min"] = tables["bounds"]["g_min"].copy()
    tables["bounds"]["g_min"][-1] = np.nan  # nothing excluded in range at the last mass
    paths = {name: str(tmp_path / f"{name}.parquet") for name in result_tables.TABLES}
    labels = {"model": "toy", "mediator": "vector", "coupling": "g"}
    meta = {"family": "solar/toy", **labels}
    result_tables.write_result_tables(tables, ["solar/toy"], labels, paths, meta, ["solar"])
    bounds, meta = io.read_columns(paths["bounds"])
    assert list(bounds)[:5] == ["analysis", "model", "mediator", "coupling", "m_MeV"]
    assert set(bounds["analysis"]) == {"solar/toy"} and set(bounds["model"]) == {"toy"}
    assert pq.read_table(paths["bounds"]).column("g_min").null_count == 1
    np.testing.assert_array_equal(result_tables.grid_masses(meta), MASSES)
    edges, _ = io.read_columns(paths["edges"])
    assert set(edges["edge"]) <= {"lower", "upper"} and edges["m_MeV"].size > 0
    found, masses = plotting.read_edge_tables([paths["edges"]], ["solar/toy"])
    np.testing.assert_array_equal(masses["toy", "solar/toy"], MASSES)
    assert found["toy", "solar/toy"]["g"].size == edges["g"].size


def test_a_table_without_grid_masses_gives_none():
    assert result_tables.grid_masses({"family": "x"}) is None
    with pytest.raises(ValueError):
        result_tables.grid_masses({"grid_m_MeV": "1.0,x"})
