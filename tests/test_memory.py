"""Memory estimates of the jobs from the grid (astrocevns.pipeline.memory): the parse-time warning, and the estimates
against the peak resident memory of the jobs of a real run, within a factor 1.5."""

import copy
import json
import logging
import os
import subprocess
import sys

import pytest
import yaml
from helpers import ROOT, copy_workflow

from astrocevns.pipeline import config as cfg
from astrocevns.pipeline import memory

CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
FACTOR = 1.5


def with_grid(n_g, n_m):
    config = copy.deepcopy(CONFIG)
    config["grid"]["g"]["n"], config["grid"]["m_MeV"]["n"] = n_g, n_m
    return config


def test_recoil_bins_by_hand():
    # DARWIN: 2 keV bins from 1 keV to 100 keV: 49 whole bins; COHERENT CsI from 4.266 keV: 47
    assert memory.detector_bins(CONFIG, "darwin") == 49
    assert memory.detector_bins(CONFIG, "coherent_csi") == 47


def test_estimates_grow_with_the_grid():
    small, large = memory.largest_jobs_mb(with_grid(200, 200)), memory.largest_jobs_mb(with_grid(3000, 3000))
    assert all(large[rule] > small[rule] for rule in ("chi2", "figure", "spectra"))
    assert large["figure"] < 1024  # figures draw exact edges; fig. 1 reads one core table at a time


def test_default_grid_stays_below_the_limit_and_3000_squared_warns(caplog):
    assert memory.memory_warnings(CONFIG) == []
    large = with_grid(3000, 3000)
    large["memory"]["limit_mb"] = 64_000  # whatever this machine has
    with caplog.at_level(logging.WARNING, logger="astrocevns.pipeline.config"):
        cfg.check_config(large, root=ROOT)
    warned = [record.getMessage() for record in caplog.records]
    assert any(
        "a chi2 job needs an estimated" in message and "memory.warn_mb = 3000 MB" in message for message in warned
    ), warned
    raised = with_grid(3000, 3000)
    raised["memory"]["warn_mb"] = 20_000
    assert memory.memory_warnings(raised) == []


def test_a_grid_far_over_the_memory_stops_when_parsed_unless_the_limit_is_raised():
    # 8000 x 8000: a chi2 job needs about 21 GB; it used to be a warning and the job died after two minutes
    huge = with_grid(8000, 8000)
    huge["memory"]["limit_mb"] = 16_000
    with pytest.raises(
        cfg.ConfigError,
        match=r"config key memory.limit_mb: memory: a chi2 job needs an estimated "
        r"\d+ MB on the 8000 x 8000 grid, more than memory.limit_mb = 16000 MB",
    ):
        cfg.check_config(huge, root=ROOT)
    huge["memory"]["limit_mb"] = 100_000
    assert memory.memory_limit_errors(huge) == []
    # without memory.limit_mb: the memory of this machine (a 1e5 x 1e4 chi2 job needs about 1 TB)
    assert f"more than this machine's {memory.machine_memory_mb()} MB" in " ".join(
        memory.memory_limit_errors(with_grid(100_000, 10_000))
    )


RECORDER = """
import atexit, json, os, sys


def record():
    job = getattr(sys.modules.get("__main__"), "snakemake", None)
    if job is None or ".snakemake/scripts/" not in sys.argv[0]:
        return
    with open("/proc/self/status") as status:
        peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(os.environ["JOB_PEAKS"], "a") as handle:
        handle.write(json.dumps({"rule": job.rule, "wildcards": dict(job.wildcards.items()),
                                 "peak_mb": peak_kib / 1024}) + "\\n")


atexit.register(record)
"""


@pytest.mark.workflow
@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="peak memory read from /proc (Linux)")
def test_estimates_match_measured_peaks(tmp_path):
    """Fig. 11 (four supernova families), its spectra and the vector core on a 600 x 300 grid, a size the
    coefficients were not measured on; every job's peak (VmHWM, recorded as it exits) within FACTOR."""
    directory = copy_workflow(tmp_path / "run")
    n_g, n_m = 600, 300
    (directory / "grid.yaml").write_text(
        yaml.safe_dump(
            {"grid": {"g": {"min": 1.0e-7, "max": 1.0e-2, "n": n_g}, "m_MeV": {"min": 1.0e-2, "max": 1.0e4, "n": n_m}}}
        )
    )
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(RECORDER)
    peaks = tmp_path / "peaks.jsonl"
    env = {
        **os.environ,
        "JOB_PEAKS": str(peaks),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "fig11",
            "results/core/vector.parquet",
            "--cores",
            "2",
            "--configfile",
            "config/config.yaml",
            "grid.yaml",
        ],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    bins = memory.detector_bins(CONFIG, "darwin")
    assert memory.detector_bins(CONFIG, "resnova3") == bins
    estimate = {
        "spectra": memory.spectra_job_mb(
            n_m + len(CONFIG["report_masses_MeV"]), bins, CONFIG["recoil_bins"]["nodes_per_bin"]
        ),
        "chi2": memory.chi2_job_mb(n_g, n_m, variants=2, bins_per_detector=[bins, bins]),  # RES-NOVA-3 + DARWIN
        "core": memory.core_job_mb(n_g, n_m, CONFIG["core"]["radii"], CONFIG["core"]["energy_grid_MeV"]["n"]),
        "figure": memory.figure_job_mb(n_g * n_m, grids=0),  # fig. 11 draws exact edges, no grid
    }
    jobs = [json.loads(line) for line in peaks.read_text().splitlines()]
    checked = {rule: [job for job in jobs if job["rule"] == rule] for rule in estimate}
    assert all(checked.values()), {rule: len(found) for rule, found in checked.items()}
    for rule, found in checked.items():
        for job in found:
            ratio = estimate[rule] / job["peak_mb"]
            assert 1 / FACTOR < ratio < FACTOR, (rule, job, estimate[rule])
