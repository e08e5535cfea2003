"""The CEvNS templates of the XENONnT S2-only analysis on a (g, m) grid.

The binned spectrum a + b g^2 + c g^4 (astrocevns.rates) maps through eq. R1 (:mod:`.response`) to the same
polynomial of the templates of a, b and c at every t_qy anchor, three templates per mass; at each (g, m)
this template replaces the release's 8B CEvNS template N in eq. S1 (:mod:`.model`), and q(g, m) is the
profile-likelihood ratio against the best fit (eq. Q1 of :mod:`astrocevns.recasting`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..recasting import CouplingTemplates

if TYPE_CHECKING:
    from .model import S2OnlyModel
    from .response import Response


def coupling_templates(model: S2OnlyModel, response: Response,
                       coefficients: Sequence[npt.ArrayLike]) -> CouplingTemplates:
    """:class:`~astrocevns.recasting.CouplingTemplates` (per-bin events of the three runs at every t_qy anchor)
    from the spectrum coefficients (a, b, c), each shape (n_masses, n_nodes), at ``response.nodes_keV``
    [events / (t yr keV)]."""
    templates = model.anchored(response.templates(np.stack([np.asarray(c, dtype=float) for c in coefficients])))
    return CouplingTemplates(templates.at_events, templates.total)
