"""The CEvNS templates of Analysis A on a (g, m) grid: the entry point of :mod:`astrocevns.datasets.recasting`.

The recoil spectrum of each timing group (prompt nu_mu, delayed nu_e and anti-nu_mu) on argon from the SNS
pi-DAR flux is a + b g^2 + c g^4 (astrocevns.physics.rates, the workflow's own cross section); it maps through eq. R2
(:mod:`.response`) to the same polynomial of the templates of a, b and c at every response point, three
templates per mass; at each (g, m) this template replaces the release's CEvNS PDF in eq. M1 (:mod:`.model`),
and q(g, m) is the profile-likelihood ratio against the best fit (eq. Q1 of :mod:`astrocevns.datasets.recasting`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ...physics import builders, models
from ..recasting import CouplingTemplates, WorkflowNeeds, coupling_templates
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
    from .model import LArModel
    from .response import Response

ANALYSIS = "coherent_lar_2020/coherent_lar_2020"
"""The family name of the analysis's tables."""

SECTION = "coherent_lar_2020"


def memory_mb(grid_points: int) -> float:
    """Memory of a job [MB]: 960 (energy, F90, time) bins and four components per problem in chunks of 2e4
    problems, about 20 kB a grid point."""
    return 300 + 2e-2 * grid_points


WORKFLOW = WorkflowNeeds(
    files=release.FILES,
    verify=release.verify_checksums,
    memory_mb=memory_mb,
    source_key=None,
    data_sets=("COHERENT CENNS-10 2020",),
)
"""What the rules need: the release subset only (the beam's flux is the section's own,
the argon of the section)."""


def statistical_model(settings: Mapping) -> tuple[LArModel, Response]:
    """The release's statistical model and its response to recoil spectra, from the config section
    ``coherent_lar_2020`` (``data``, ``target`` (A, Z of argon), ``form_factor``, ``timing``, ``interval_keV``,
    ``nodes_per_interval``)."""
    from .model import LArModel
    from .release import read_release
    from .response import build_response

    release = read_release(settings["data"])
    argon = builders.nucleus("Ar", settings["target"], settings["form_factor"])
    response = build_response(
        release, argon, settings["timing"], settings["interval_keV"], settings["nodes_per_interval"]
    )
    return LArModel(release, response), response


def spectrum_coefficients(
    spec: Mapping, inputs: Any, definition: Mapping | models.Model, masses_MeV: npt.ArrayLike, response: Response
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, c) of dR/dT = a + b g^2 + c g^4 per timing group at the response's nodes [events / keVnr over the
    release's exposure, 24.4 kg], each of shape (n_masses, n_groups, n_nodes).

    The source (the release's beam: 13.8e22 POT, 0.09 neutrinos per flavour per proton, 27.5 m) and the target (the
    section's argon) are the response's own; ``spec`` and ``inputs`` are not needed. ``definition`` is the model's
    entry of the config (``models``), or a :class:`astrocevns.physics.models.Model`.
    """
    model = definition if isinstance(definition, models.Model) else models.from_config("model", dict(definition))
    per_group = [
        response.kernel(group).coupling_polynomial(model, np.asarray(masses_MeV, dtype=float))
        for group in response.fluences
    ]
    a, b, c = (np.stack([coefficients[k] for coefficients in per_group], axis=-2) for k in range(3))
    return a, b, c


def log_expectation(log: logging.Logger, model: LArModel, templates: CouplingTemplates) -> None:
    """Log the Standard-Model CEvNS of ``templates`` at the nominal point against the release's, and the workflow's
    own prediction through the detector chain."""
    own = model.response.standard_model_events[0]
    log.info(
        "Standard-Model CEvNS at the nominal point: %.3f events (release: %.3f); the workflow's own "
        "prediction through the detector chain: %.2f (prompt %.2f, delayed %.2f)",
        float(templates.total[0, 0, 0]),
        float(model.release.pdfs["cevns"].sum()),
        own.sum(),
        *own.sum(axis=1),
    )
