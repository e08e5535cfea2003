"""Fault tolerance and determinism: a run killed with SIGKILL resumes to byte-identical tables,
and every Parquet table carries its provenance metadata."""

import os
import signal
import subprocess
import time

import pyarrow.parquet as pq
import pytest
from helpers import TEST_CONFIG, copy_workflow, environment_without_slurm, run_snakemake, snakemake_command

pytestmark = pytest.mark.workflow
TARGET = "results/tables/bounds.csv"


def parquet_files(directory):
    return {p.relative_to(directory): p.read_bytes() for p in sorted((directory / "results").rglob("*.parquet"))}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    directory = copy_workflow(tmp_path_factory.mktemp("uninterrupted"))
    result = run_snakemake(directory, TARGET, "--cores", "2", *TEST_CONFIG)
    assert result.returncode == 0, result.stderr[-3000:]
    return directory


def test_killed_run_resumes_to_identical_tables(uninterrupted, tmp_path):
    directory = copy_workflow(tmp_path)
    command = snakemake_command(TARGET, "--cores", "2", *TEST_CONFIG)
    process = subprocess.Popen(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env=environment_without_slurm(directory))
    deadline = time.time() + 300
    while time.time() < deadline and len(list((directory / "results").glob("spectra/*/*/*/*.parquet"))) < 10:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the scheduler and every job it started
    process.wait()
    assert not (directory / TARGET).exists(), "the run finished before it could be killed"
    assert run_snakemake(directory, "--unlock", *TEST_CONFIG).returncode == 0
    resumed = run_snakemake(directory, TARGET, "--cores", "2", "--rerun-incomplete", *TEST_CONFIG)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    first, second = parquet_files(uninterrupted), parquet_files(directory)
    assert first.keys() == second.keys() and len(first) > 50
    differing = [str(path) for path in first if first[path] != second[path]]
    assert not differing, differing[:5]
    assert (uninterrupted / TARGET).read_bytes() == (directory / TARGET).read_bytes()


def test_parquet_metadata_has_version_and_input_hash(uninterrupted):
    for path in (uninterrupted / "results").rglob("*.parquet"):
        meta = pq.read_schema(path).metadata
        assert b"astrocevns_version" in meta and len(meta[b"inputs_hash"]) == 16, path
