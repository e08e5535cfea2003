"""The XENONnT 2024 test statistic for light mediators, and the spin-independent WIMP limit that validates it.

By eq. R1 the template of a spectrum a + b g^2 + c g^4 is the same polynomial of the templates of a, b
and c at every yield point; at each (g, m) the CEvNS template replaces the release's b8 template in
eq. M1 (:mod:`.model`), and q(g, m) is the profile-likelihood ratio against the best fit (eq. Q1 of
:mod:`astrocevns.datasets.recasting`, which holds the grid, the exclusion and the tables shared with the other
recasts; they are re-exported here).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..recasting import (
    CouplingTemplates,
    WorkflowNeeds,
    cevns_kernel,
    coupling_templates,
    profiled_deviance,
    search_couplings,
    solar_xenon_coefficients,
    test_statistic_grid,
    upper_limit,
)
from . import release

if TYPE_CHECKING:
    from .model import ReleaseModel, YieldTemplates
    from .response import Response

__all__ = [
    "ANALYSIS",
    "WORKFLOW",
    "CouplingTemplates",
    "cevns_kernel",
    "coupling_templates",
    "log_expectation",
    "profiled_deviance",
    "search_couplings",
    "si_upper_limit",
    "spectrum_coefficients",
    "statistical_model",
    "test_statistic_grid",
]


ANALYSIS = "xenonnt_2024/xenonnt_2024"
"""The family name of the recast's tables (``results/{kind}/{model}/xenonnt_2024/xenonnt_2024.parquet``)."""


def memory_mb(grid_points: int) -> float:
    """Memory of a recast job [MB]: the likelihood of the whole grid at every yield point, about 2 kB a grid
    point."""
    return 400 + 2e-3 * grid_points


WORKFLOW = WorkflowNeeds(
    files=release.FILES,
    verify=release.verify_checksums,
    memory_mb=memory_mb,
    source_key="source",
    target="Xe",
    validation=True,
    data_sets=("XENONnT SR0", "XENONnT SR1"),
)
"""What the rules need: the release subset, the solar fluence of the section's ``source`` and the config's xenon."""


def statistical_model(settings: Mapping) -> tuple[ReleaseModel, Response]:
    """The release's statistical model and its response to recoil spectra, from the config section
    ``xenonnt_2024`` (``data``, ``yields``, ``yield_step``, ``nodes_per_interval``)."""
    from .model import ReleaseModel
    from .release import read_release
    from .response import build_response

    release = read_release(settings["data"])
    return (
        ReleaseModel(release, settings["yields"], settings["yield_step"]),
        build_response(release, settings["nodes_per_interval"]),
    )


spectrum_coefficients = solar_xenon_coefficients
"""The solar CEvNS on xenon (:func:`~astrocevns.datasets.recasting.solar_xenon_coefficients`)."""


def log_expectation(log: logging.Logger, model: ReleaseModel, templates: CouplingTemplates) -> None:
    """Log the Standard-Model CEvNS of ``templates`` at nominal yields against the release's 8B template."""
    nominal = model.nominal
    ours, release_b8 = templates.total[0, 0][nominal], model.release_templates("b8").total[nominal]
    log.info(
        "Standard-Model CEvNS at nominal yields: %.4f events in SR0 + SR1; the release's 8B template: %.4f "
        "(ratio %.4f)",
        ours,
        release_b8,
        ours / release_b8,
    )


def si_upper_limit(
    model: ReleaseModel,
    signal: YieldTemplates,
    threshold: float,
    b8: YieldTemplates | None = None,
    rounds: int = 6,
    points: int = 24,
) -> float:
    """Upper limit on the multiplier of a signal template (:func:`astrocevns.datasets.recasting.upper_limit`), with the
    release's 8B CEvNS template unless ``b8`` is given."""
    b8 = model.release_templates("b8") if b8 is None else b8
    return upper_limit(model, b8, signal, threshold, rounds=rounds, points=points)
