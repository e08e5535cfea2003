"""Fixtures shared by the test modules (helpers that are not fixtures live in tests/helpers.py)."""

import pytest
from helpers import REFERENCE, copy_workflow, load_config

from astrocevns.physics.nuclei import Nucleus


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


@pytest.fixture(scope="session")
def paper_config():
    """The paper's configuration (config/config.yaml) with absolute input paths."""
    return load_config()


@pytest.fixture(scope="session")
def test_config():
    """The small test configuration (config/test.yaml over config/config.yaml) with absolute input paths."""
    return load_config("test.yaml")


@pytest.fixture
def workflow_copy(tmp_path):
    """A fresh copy of the workflow in a temporary directory."""
    return copy_workflow(tmp_path)
