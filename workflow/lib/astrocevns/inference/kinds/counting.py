"""``counting``: one counted number of events against the prediction (the paper's COHERENT bounds, sec. VIII B-C).

chi2 = (N_obs - (1 + x) N)^2 / s^2 + (x / sigma)^2 profiled over the pull x
(:func:`astrocevns.inference.statistics.counting_chi2`), measured from its best fit over the couplings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from .. import statistics
from .base import Evaluation, Kind

if TYPE_CHECKING:
    from ..exclusion import SourceSpectra, Statistic


def evaluate(statistic: Statistic, spectra: Mapping[str, SourceSpectra], coupling: np.ndarray | float) -> Evaluation:
    """The counting chi2 of the total events of the one source and its pull."""
    source = next(iter(statistic.sigma_by_source))
    chi2, pull = statistics.counting_chi2(
        spectra[source].total_counts(coupling),
        statistic.parameters["observed_events"],
        statistic.parameters["observed_uncertainty"],
        statistic.sigma_by_source[source],
    )
    return chi2, pull, np.zeros(chi2.shape, dtype=int)


def best_fit_reference(
    statistic: Statistic, spectra: Mapping[str, SourceSpectra], chi2_grid: np.ndarray, g: np.ndarray | None = None
) -> float:
    """The statistic of the best fit that the exclusion is measured from.

    The counting chi2 (N_obs - N)^2 / (s^2 + sigma^2 N^2) is smallest, zero, where the prediction N equals
    the observed count. N(g) is continuous in g at each mass, so where the predictions on the grid's
    couplings ``g`` straddle N_obs at some mass, a coupling in between predicts N_obs exactly and the best
    fit is 0, whatever the grid's spacing. Otherwise it is the lower of the SM (g = 0) and the grid's minimum.
    """
    if g is not None:
        source = next(iter(statistic.sigma_by_source))
        counts = spectra[source].total_counts(np.asarray(g, dtype=float)[:, None])
        observed = statistic.parameters["observed_events"]
        if np.any((counts.min(axis=0) <= observed) & (counts.max(axis=0) >= observed)):
            return 0.0
    return float(min(evaluate(statistic, spectra, 0.0)[0].min(), chi2_grid.min()))


KIND = Kind(
    name="counting",
    schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "observed_events", "observed_uncertainty"],
        "properties": {
            "kind": {"const": "counting"},
            "observed_events": {"type": "number", "minimum": 0},
            "observed_uncertainty": {"type": "number", "exclusiveMinimum": 0},
        },
    },
    evaluate=evaluate,
    best_fit_reference=best_fit_reference,
)
