"""Helpers shared by the test modules: the repository, its configuration, and running Snakemake."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from astrocevns.pipeline.config import with_absolute_paths

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"
TEST_CONFIG = ("--configfile", "config/config.yaml", "config/test.yaml")
"""Snakemake arguments of the small test configuration (config/test.yaml over the paper's setup)."""

WORKFLOW_FILES = ("Snakefile", "config", "workflow", "resources", "envs", "profiles", "pyproject.toml")
SLURM_CLIENTS = ("sacct", "sacctmgr", "scontrol", "squeue", "sinfo", "sshare", "sbatch", "scancel")


def load_config(*overlays):
    """config/config.yaml with the given files of config/ merged over it (top-level keys replaced or, for
    mappings, merged one level deep, as Snakemake merges --configfile), its input paths made absolute."""
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    for name in overlays:
        for key, value in yaml.safe_load((ROOT / "config" / name).read_text()).items():
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key] = {**config[key], **value}
            else:
                config[key] = value
    return with_absolute_paths(config, ROOT)


def copy_workflow(directory):
    """Copy the workflow's tracked parts (no results) into ``directory``, as after a clone."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, directory / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(source, directory / name)
    return directory


def environment_without_slurm(directory):
    """os.environ with stand-ins for the SLURM clients that fail at once.

    The SLURM executor plugin, when installed, probes `scontrol show config` whenever Snakemake starts;
    on a machine with SLURM installed but no controller running, that call hangs for its 10 s time-out.
    Workflow tests that run locally put these stand-ins first on PATH and do not pay it.
    """
    stubs = Path(directory) / ".no-slurm-bin"
    stubs.mkdir(exist_ok=True)
    for name in SLURM_CLIENTS:
        stub = stubs / name
        stub.write_text("#!/bin/sh\necho 'SLURM is not used by this test' >&2\nexit 1\n")
        stub.chmod(0o755)
    return {**os.environ, "PATH": f"{stubs}{os.pathsep}{os.environ.get('PATH', '')}"}


def snakemake_command(*args):
    """The command line of Snakemake of this interpreter."""
    return [sys.executable, "-m", "snakemake", *args]


def run_snakemake(directory, *args, timeout=1200):
    """Run Snakemake locally in ``directory`` (without the SLURM clients' probe); returns the CompletedProcess."""
    return subprocess.run(
        snakemake_command(*args),
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment_without_slurm(directory),
    )


def corrupted_copy(source, tmp_path, edit):
    """A copy of the release subset ``source`` in ``tmp_path``/subset after ``edit(directory)``, with its
    checksums regenerated (so that the readers, not the checksums, meet the edit)."""
    directory = Path(tmp_path) / "subset"
    shutil.copytree(source, directory)
    edit(directory)
    names = [line.split()[1] for line in (directory / "checksums.txt").read_text().splitlines()]
    (directory / "checksums.txt").write_text(
        "".join(f"{hashlib.sha256((directory / n).read_bytes()).hexdigest()}  {n}\n" for n in names)
    )
    return directory
