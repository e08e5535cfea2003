"""The XENONnT 2024 test statistic for light mediators, and the spin-independent WIMP limit that validates it.

By eq. R1 the template of a spectrum a + b g^2 + c g^4 is the same polynomial of the templates of a, b
and c at every yield point; at each (g, m) the CEvNS template replaces the release's b8 template in
eq. M1 (:mod:`.model`), and q(g, m) is the profile-likelihood ratio against the best fit (eq. Q1 of
:mod:`astrocevns.recasting`, which holds the grid, the exclusion and the tables shared with the other
recasts; they are re-exported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..recasting import (
    CouplingTemplates,
    cevns_kernel,
    profiled_deviance,
    search_couplings,
    test_statistic_grid,
    upper_limit,
)

if TYPE_CHECKING:
    from .model import ReleaseModel, YieldTemplates
    from .response import Response

__all__ = ["CouplingTemplates", "cevns_kernel", "coupling_templates", "profiled_deviance", "search_couplings",
           "si_upper_limit", "test_statistic_grid"]


def coupling_templates(model: ReleaseModel, response: Response,
                       coefficients: Sequence[npt.ArrayLike]) -> CouplingTemplates:
    """:class:`~astrocevns.recasting.CouplingTemplates` from the spectrum coefficients (a, b, c) at the
    response's nodes, at every yield point (t_ly, t_qy) of ``model``.

    Parameters
    ----------
    model : ReleaseModel
    response : Response
    coefficients : tuple of three ndarray, each shape (n_masses, n_nodes)
        dR/dE_r = a + b g^2 + c g^4 at ``response.nodes_keV`` [events / (t yr keV)], e.g. from
        ``RecoilKernel.coupling_polynomial`` of a differential-rate kernel on those nodes, divided by the
        exposure of its fluence. How they were obtained (mediator, charges) does not matter here.
    """
    templates = model.anchored(response.templates(np.stack([np.asarray(c, dtype=float) for c in coefficients])))
    return CouplingTemplates(templates.at_events, templates.total)


def si_upper_limit(model: ReleaseModel, signal: YieldTemplates, threshold: float, b8: YieldTemplates | None = None,
                   rounds: int = 6, points: int = 24) -> float:
    """Upper limit on the multiplier of a signal template (:func:`astrocevns.recasting.upper_limit`), with the
    release's 8B CEvNS template unless ``b8`` is given."""
    b8 = model.release_templates("b8") if b8 is None else b8
    return upper_limit(model, b8, signal, threshold, rounds=rounds, points=points)
