"""Fault tolerance and determinism: a run killed with SIGKILL resumes to byte-identical tables, every
Parquet table carries its provenance metadata and checksums, a corrupt table is named with how to regenerate
it, `snakemake verify_results` lists the bad files, and bad input found at parse time stops the run."""

import os
import shutil
import signal
import subprocess
import time

import pyarrow.parquet as pq
import pytest
import yaml
from helpers import TEST_CONFIG, copy_workflow, environment_without_slurm, run_snakemake, snakemake_command

pytestmark = [pytest.mark.workflow, pytest.mark.slow]
TARGET = "results/tables/event_counts.csv"
# the kernels of every source and detector, and one analysis's chi-square: enough jobs to kill a run halfway
TARGETS = (TARGET, "results/bounds/universal_vector/solar/darwin.parquet")


def parquet_files(directory):
    return {p.relative_to(directory): p.read_bytes() for p in sorted((directory / "results").rglob("*.parquet"))}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    directory = copy_workflow(tmp_path_factory.mktemp("uninterrupted"))
    result = run_snakemake(directory, *TARGETS, "--cores", "2", *TEST_CONFIG)
    assert result.returncode == 0, result.stderr[-3000:]
    return directory


def test_killed_run_resumes_to_identical_tables(uninterrupted, tmp_path):
    directory = copy_workflow(tmp_path)
    command = snakemake_command(*TARGETS, "--cores", "2", *TEST_CONFIG)
    process = subprocess.Popen(
        command,
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=environment_without_slurm(directory),
    )
    deadline = time.time() + 300
    while time.time() < deadline and len(list((directory / "results").glob("spectra/*/*/*/*.parquet"))) < 10:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the scheduler and every job it started
    process.wait()
    assert not (directory / TARGET).exists(), "the run finished before it could be killed"
    assert run_snakemake(directory, "--unlock", *TEST_CONFIG).returncode == 0
    resumed = run_snakemake(directory, *TARGETS, "--cores", "2", "--rerun-incomplete", *TEST_CONFIG)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    first, second = parquet_files(uninterrupted), parquet_files(directory)
    assert first.keys() == second.keys() and len(first) > 50
    differing = [str(path) for path in first if first[path] != second[path]]
    assert not differing, differing[:5]
    assert (uninterrupted / TARGET).read_bytes() == (directory / TARGET).read_bytes()


def test_parquet_metadata_has_version_input_hash_and_checksums(uninterrupted):
    for path in (uninterrupted / "results").rglob("*.parquet"):
        meta = pq.read_schema(path).metadata
        assert b"astrocevns_version" in meta and len(meta[b"inputs_hash"]) == 16, path
        assert b"astrocevns_checksum" in meta, path


# --- corrupt tables are named, and a results folder can be checked -----------------------------------------

SPECTRA = "results/spectra/universal_vector/solar/darwin/ideal.parquet"


def run_log(directory, *args):
    result = run_snakemake(directory, *args)
    return result.returncode, result.stdout + result.stderr


def test_corrupt_intermediate_table_is_named_and_regenerated(uninterrupted, tmp_path):
    directory = tmp_path / "copy"
    shutil.copytree(uninterrupted, directory, symlinks=True)
    table = directory / SPECTRA
    table.write_bytes(table.read_bytes()[:-200])  # truncated, as by a full disk or a killed copy
    code, log = run_log(directory, *TARGETS, "--cores", "2", *TEST_CONFIG)
    assert code != 0
    assert f"{SPECTRA}: unreadable Parquet table" in log, log[-3000:]
    assert f"snakemake --forcerun {SPECTRA}" in log

    code, _ = run_log(directory, "verify_results", "--cores", "1", *TEST_CONFIG)
    report = (directory / "logs" / "verify_results.log").read_text()
    assert code != 0 and f"{SPECTRA}: unreadable Parquet table" in report, report

    code, log = run_log(directory, *TARGETS, "--cores", "2", "--forcerun", SPECTRA, *TEST_CONFIG)  # as the message says
    assert code == 0, log[-3000:]
    code, _ = run_log(directory, "verify_results", "--cores", "1", *TEST_CONFIG)
    report = (directory / "logs" / "verify_results.log").read_text()
    # the fixture built only its targets: what remains are the other final outputs, not yet made
    bad = [line.strip() for line in report.splitlines() if line.startswith("  results/")]
    assert bad and all(line.endswith(": missing") for line in bad), bad


PARSE_CASES = {
    "NaN in the config": (
        "config/config.yaml",
        lambda c: c["sources"]["sn_cc"].update(distance_kpc=float("nan")),
        "config key sources.sn_cc.distance_kpc: nan is not a finite number",
    ),
    "efficiency of zeros": (
        "resources/detectors/xenon1t_nr_efficiency.csv",
        "E_r_keV,efficiency\n0,0\n50,0\n100,0\n",
        "config key efficiencies.xenon1t_nr: resources/detectors/xenon1t_nr_efficiency.csv: "
        "efficiency is zero everywhere",
    ),
    "mistyped first row": (
        "resources/solar/8B_spectrum.csv",
        "0.O,0\n1,2\n17,0\n",
        "8B_spectrum.csv, line 1: non-numeric value '0.O'",
    ),
}


@pytest.mark.parametrize("case", sorted(PARSE_CASES))
def test_bad_input_stops_the_run_when_parsed(case, tmp_path):
    directory = copy_workflow(tmp_path)
    relative, change, expected = PARSE_CASES[case]
    path = directory / relative
    if callable(change):
        config = yaml.safe_load(path.read_text())
        change(config)
        path.write_text(yaml.safe_dump(config))
    else:
        path.write_text(change)
    code, log = run_log(directory, "--cores", "1")
    assert code != 0 and expected in log, log[-2000:]
    assert not (directory / "results").exists()
