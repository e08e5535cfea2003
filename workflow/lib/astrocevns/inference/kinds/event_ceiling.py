"""``event_ceiling``: excluded where the events exceed the most a WIMP at a published limit gives (the paper's
XENON1T bound, sec. VII B).

The statistic threshold x N / N_max (:func:`astrocevns.inference.statistics.ceiling_statistic`) crosses the
threshold exactly where the predicted events N exceed the ceiling N_max: the largest number of events of a
spin-independent WIMP at the limit's (mass, cross section) pairs, counted with the detector's threshold and
efficiency (:func:`astrocevns.physics.wimps.event_ceiling`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import ConfigError
from ...physics import wimps
from ...physics.detectors import Efficiency
from ...tables import io
from .. import statistics
from .base import Evaluation, Kind, Reader

if TYPE_CHECKING:
    from ..exclusion import SourceSpectra, Statistic


def evaluate(statistic: Statistic, spectra: Mapping[str, SourceSpectra], coupling: np.ndarray | float) -> Evaluation:
    """threshold x N / N_max of the one source's events (no pull)."""
    counts = spectra[next(iter(statistic.sigma_by_source))].total_counts(coupling)
    zeros = np.zeros(counts.shape)
    ceiling = statistics.ceiling_statistic(counts, statistic.parameters["max_events"], statistic.threshold)
    return ceiling, zeros, zeros.astype(int)


def prepare(entry: Mapping, spec: Mapping, files: Mapping[str, list[str]], log: Any) -> dict[str, float]:
    """N_max of the WIMP limit (the curve of ``wimp_limit`` or the entry's one point) in the family's detector."""
    efficiency_name = spec["variants"][0]["members"][0][1]
    tables = files.get("efficiency", [])
    efficiency = Efficiency(efficiency_name, *io.read_efficiency_table(tables[0])) if tables else Efficiency.ideal()
    limits = files.get("wimp_limit", [])
    limit = io.read_wimp_limit(limits[0]) if limits else None
    max_events, wimp_mass_GeV = wimps.event_ceiling(entry, spec["statistic_detector"], efficiency, limit)
    log.info("event ceiling: %.4g events (WIMP of %.4g GeV at the limit)", max_events, wimp_mass_GeV)
    return {"max_events": max_events}


def check(config: Mapping, key: str, analysis: Mapping, read: Reader) -> None:
    """The limit curve reads, and the WIMP exposure is the neutrinos' (detector mass x source exposure_yr)."""
    entry = analysis["statistic"]
    if "wimp_limit" in entry:
        read(io.read_wimp_limit, entry["wimp_limit"], f"{key}.statistic.wimp_limit")
    source = config["sources"][analysis["sources"][0]]
    exposure = config["detectors"][analysis["detectors"][0]]["mass_t"] * source.get("exposure_yr", float("nan"))
    if not np.isclose(exposure, entry["exposure_t_yr"], rtol=1e-6):
        raise ConfigError(
            f"config key {key}.statistic.exposure_t_yr: {entry['exposure_t_yr']} t yr differs from "
            f"the neutrino exposure {exposure:.6g} t yr (detector mass x source exposure_yr)"
        )


POSITIVE = {"type": "number", "exclusiveMinimum": 0}

KIND = Kind(
    name="event_ceiling",
    schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "exposure_t_yr", "halo"],
        "oneOf": [{"required": ["wimp_limit"]}, {"required": ["wimp_mass_GeV", "wimp_cross_section_cm2"]}],
        "properties": {
            "kind": {"const": "event_ceiling"},
            "wimp_limit": {
                "type": "string",
                "minLength": 1,
                "description": "CSV mass_GeV,cross_section_cm2 of a 90 % CL SI limit; N_max is the largest WIMP "
                "count over its pairs",
            },
            "wimp_mass_GeV": POSITIVE,
            "wimp_cross_section_cm2": {**POSITIVE, "description": "90 % CL spin-independent limit"},
            "exposure_t_yr": POSITIVE,
            "halo": {
                "type": "object",
                "additionalProperties": False,
                "required": ["rho_GeV_per_cm3", "v0_km_per_s", "v_esc_km_per_s"],
                "properties": {name: POSITIVE for name in ("rho_GeV_per_cm3", "v0_km_per_s", "v_esc_km_per_s")},
            },
        },
    },
    evaluate=evaluate,
    prepare=prepare,
    check=check,
    file_keys=("wimp_limit",),
    efficiency_table=True,
    detector_entry=True,
    one_detector=True,
)
