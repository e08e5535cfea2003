"""``asimov_poisson``: the paper's Poisson chi-square against Asimov data (eqs. 21-24).

One pull on each source's normalisation, shared by the analysis's detectors, minimised in closed form
(:func:`astrocevns.inference.statistics.profiled_chi2`); with several sources (supernova models) the minimum
over them ("marginalised over SN models", paper sec. VII A).
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
    """The least chi2 over the sources, its pull and the index of that source."""
    results = [
        statistics.profiled_chi2(
            spectra[source].counts(coupling),
            spectra[source].sm_counts(),
            statistic.sigma(source, len(spectra[source].detectors)),
        )
        for source in statistic.sigma_by_source
    ]
    chi2 = np.stack([result[0] for result in results])
    best = np.argmin(chi2, axis=0)
    pull = np.take_along_axis(np.stack([result[1] for result in results]), best[None], axis=0)[0]
    return chi2.min(axis=0), pull, best


KIND = Kind(
    name="asimov_poisson",
    schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["kind"],
        "properties": {"kind": {"const": "asimov_poisson", "description": "the paper's eqs. 21-24 (default)"}},
    },
    evaluate=evaluate,
    asimov_data=True,
    one_source=False,
)
