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
