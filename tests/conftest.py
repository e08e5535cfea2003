"""Shared fixtures: the paper's target nuclei, the repository root and the reference inputs."""

from pathlib import Path

import pytest

from astrocevns.nuclei import Nucleus

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture
def xenon():
    return Nucleus("Xe", 131.293, 54)


@pytest.fixture
def lead():
    return Nucleus("Pb", 207.2, 82)


@pytest.fixture
def reference_dir():
    if not REFERENCE.is_dir():
        pytest.skip(f"reference inputs not found at {REFERENCE} (they ship beside the checkout in ../shared)")
    return REFERENCE


WORKFLOW_FILES = ("Snakefile", "config", "workflow", "resources", "envs", "profiles", "pyproject.toml")


def copy_workflow(directory):
    """Copy the workflow's tracked parts (no results) into ``directory``, as after a clone."""
    import shutil

    directory.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, directory / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(source, directory / name)
    return directory


@pytest.fixture
def workflow_copy(tmp_path):
    """A fresh copy of the workflow in a temporary directory."""
    return copy_workflow(tmp_path)


def run_snakemake(directory, *args):
    """Run Snakemake of this interpreter in ``directory``; returns the CompletedProcess."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args], cwd=directory, capture_output=True, text=True, timeout=1200
    )
