"""The CEvNS templates of the COHERENT CsI[Na] 2021 analysis on a (g, m) grid.

The pi-DAR fluence of the config section (astrocevns.physics.fluxes.pion_decay_at_rest_fluence) is split by time of
arrival: the prompt nu_mu and the delayed nu_e and anti-nu_mu (:data:`.timing.GROUP_COMPONENTS`), each with
its flavours. The recoil spectrum of each group on the nuclei of the section's target (the config's
``targets``: Cs and I by weight) is a polynomial a + b g^2 + c g^4 (:mod:`astrocevns.physics.rates`, the model from
:func:`astrocevns.physics.models.from_config`), so a flavour-specific model or a light mediator changes the prompt
and delayed spectra each in its own way; eq. E3 (:mod:`.response`) maps them to three templates per mass at
every response point, and q(g, m) is the profile-likelihood ratio of eqs. M1-M3 (:mod:`.model`) against the
best fit (eq. Q1 of :mod:`astrocevns.datasets.recasting`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ...physics import builders, fluxes, models, rates, sources
from ...physics.detectors import Efficiency
from ...physics.models import ALL_FLAVOURS, FLAVOURS
from ..recasting import CouplingTemplates, WorkflowNeeds, coupling_templates
from . import release
from .response import POINTS
from .timing import GROUP_COMPONENTS, TIMING_GROUPS

__all__ = [
    "ANALYSIS",
    "WORKFLOW",
    "PAPER_SM_EVENTS",
    "coupling_templates",
    "log_expectation",
    "spectrum_coefficients",
    "statistical_model",
]

if TYPE_CHECKING:
    from .model import CsIModel
    from .response import Response

ANALYSIS = "coherent_csi_2021/coherent_csi_2021"
"""The family name of the analysis's tables."""
SECTION = "coherent_csi_2021"


def memory_mb(grid_points: int) -> float:
    """Memory of a job [MB]: 234 (PE, time) bins and the shape-parameter patterns per problem in chunks of 2e4
    problems, about 10 kB a grid point."""
    return 300 + 1e-2 * grid_points


WORKFLOW = WorkflowNeeds(
    files=release.FILES,
    verify=release.verify_checksums,
    memory_mb=memory_mb,
    source_key=None,
    target_key="target",
    data_sets=("COHERENT CsI[Na] 2021",),
)
"""What the rules need: the release subset only (the beam's flux is the section's own,
the target the section names)."""

PAPER_SM_EVENTS = (341.0, 11.0, 42.0)
"""The Standard-Model CEvNS prediction of arXiv:2110.07730: 341 +- 11 (theory) +- 42 (experiment) events."""


def statistical_model(settings: Mapping) -> tuple[CsIModel, Response]:
    """The likelihood and its response to recoil spectra, from the config section ``coherent_csi_2021``
    (``data``, ``flux_uncertainty`` and the numeric settings of :func:`.response.build_response`)."""
    from .model import CsIModel
    from .release import read_release
    from .response import build_response

    release = read_release(settings["data"])
    return CsIModel(release, settings["flux_uncertainty"]), build_response(release, settings)


def timing_group_fluences(settings: Mapping) -> dict[str, dict[str, fluxes.PiecewiseLinearFluence]]:
    """{timing group: {flavour group: fluence}} of the section's pi-DAR source (``protons_on_target``,
    ``neutrinos_per_proton``, ``baseline_m``): each group's whole flux and its flavours e, mu, tau."""
    E = fluxes.pion_decay_at_rest_grid(sources.MICHEL_POINTS)
    components = fluxes.pion_decay_at_rest_fluence(
        E, settings["protons_on_target"], settings["neutrinos_per_proton"], settings["baseline_m"]
    )
    positive = E > 0.0
    groups = {}
    for group in TIMING_GROUPS:
        by_flavour = {flavour: np.zeros(E.size) for flavour in FLAVOURS}
        for component in GROUP_COMPONENTS[group]:
            for flavour, share in sources.PION_DECAY_FLAVOURS[component].items():
                by_flavour[flavour] = by_flavour[flavour] + share * components[component]
        total = np.sum([components[component] for component in GROUP_COMPONENTS[group]], axis=0)
        groups[group] = {
            name: fluxes.PiecewiseLinearFluence(E[positive], values[positive])
            for name, values in {ALL_FLAVOURS: total, **by_flavour}.items()
        }
    return groups


def spectrum_coefficients(
    spec: Mapping, inputs: Any, definition: Mapping, masses_MeV: npt.ArrayLike, response: Response
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, c) of dR/dE_r = a + b g^2 + c g^4 at the response's nodes per timing group [events / keV over the
    exposure], each of shape (n_masses, n_timing_groups, n_nodes).

    ``spec`` holds the sections ``coherent_csi_2021`` (its target and source), ``targets`` and ``form_factor``
    (and optionally ``model.name``); ``definition`` is the model's ``models`` entry; ``inputs`` is not used
    (the flux is analytic).
    """
    settings = spec[SECTION]
    model = models.from_config(spec.get("model", {}).get("name", "model"), dict(definition))
    detector = {
        "target": settings["target"],
        "mass_t": response.target_mass_t,
        "threshold_keV": float(np.min(response.nodes_keV)),
    }
    parts = builders.detector_parts(SECTION, detector, spec["targets"], spec["form_factor"], Efficiency.ideal())
    masses = np.asarray(masses_MeV, dtype=float)
    per_group = []
    for fluence in timing_group_fluences(settings).values():
        polynomials = [
            rates.differential_rate_kernel(fluence, part, response.nodes_keV).coupling_polynomial(model, masses)
            for part in parts
        ]
        per_group.append([np.sum(terms, axis=0) for terms in zip(*polynomials, strict=True)])
    a, b, c = (np.stack([group[k] for group in per_group], axis=-2) for k in range(3))
    return a, b, c


def log_expectation(log: logging.Logger, model: CsIModel, templates: CouplingTemplates) -> None:
    """Log the Standard-Model CEvNS events of ``templates`` at the nominal response against the paper's prediction,
    and the events at each response point."""
    events = templates.total[0, 0]
    log.info(
        "Standard-Model CEvNS at the nominal response: %.1f events in the region of interest (the paper: "
        "%.0f +- %.0f (th) +- %.0f (exp)); at the response points %s: %s",
        events[0],
        *PAPER_SM_EVENTS,
        [f"{e}/{q}" for e, q in POINTS],
        np.round(events, 1).tolist(),
    )
