"""The CEvNS templates of the XENONnT S2-only analysis on a (g, m) grid.

The binned spectrum a + b g^2 + c g^4 (astrocevns.physics.rates) maps through eq. R1 (:mod:`.response`) to the same
polynomial of the templates of a, b and c at every t_qy anchor, three templates per mass; at each (g, m)
this template replaces the release's 8B CEvNS template N in eq. S1 (:mod:`.model`), and q(g, m) is the
profile-likelihood ratio against the best fit (eq. Q1 of :mod:`astrocevns.datasets.recasting`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from ..recasting import CouplingTemplates, WorkflowNeeds, coupling_templates, solar_xenon_coefficients
from . import release

__all__ = [
    "ANALYSIS",
    "WORKFLOW",
    "coupling_templates",
    "log_expectation",
    "spectrum_coefficients",
    "statistical_model",
]

if TYPE_CHECKING:
    from .model import S2OnlyModel
    from .response import Response


ANALYSIS = "xenonnt_s2only_2026/xenonnt_s2only_2026"
"""The family name of the analysis's tables."""


def memory_mb(grid_points: int) -> float:
    """Memory of an S2-only job [MB]: 21 bins and 17 components per grid point in chunks of 2e4 problems, about
    10 kB a grid point (550 MB measured on the default 200 x 200 grid)."""
    return 200 + 1e-2 * grid_points


WORKFLOW = WorkflowNeeds(
    files=release.FILES,
    verify=release.verify_checksums,
    memory_mb=memory_mb,
    source_key="source",
    target="Xe",
    validation=True,
    data_sets=("XENONnT SR0", "XENONnT SR1", "XENONnT SR2"),
)
"""What the rules need: the release subset, the solar fluence of the section's ``source`` and the config's xenon."""


def statistical_model(settings: Mapping) -> tuple[S2OnlyModel, Response]:
    """The release's statistical model and its response to recoil spectra, from the config section
    ``xenonnt_s2only_2026`` (``data``, ``nodes_per_interval``)."""
    from .model import S2OnlyModel
    from .release import read_release
    from .response import build_response

    release = read_release(settings["data"])
    return S2OnlyModel(release), build_response(release, settings["nodes_per_interval"])


spectrum_coefficients = solar_xenon_coefficients
"""The solar CEvNS on xenon (:func:`~astrocevns.datasets.recasting.solar_xenon_coefficients`)."""


def log_expectation(log: logging.Logger, model: S2OnlyModel, templates: CouplingTemplates) -> None:
    """Log the Standard-Model CEvNS of ``templates`` per run at t_qy = 0 against the release's CEvNS template."""
    release = model.release
    nominal = int(np.flatnonzero(release.anchors == 0.0)[0])

    def per_run(at_events: np.ndarray) -> list[float]:
        return np.round(at_events.reshape(len(release.runs), -1).sum(axis=1), 3).tolist()

    log.info(
        "Standard-Model CEvNS at t_qy = 0 per run: %s events; the release's 8B template: %s",
        per_run(templates.at_events[0, 0, nominal]),
        per_run(model.release_cevns().at_events[nominal]),
    )
