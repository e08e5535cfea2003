"""What a statistic kind is made of (see :mod:`astrocevns.inference.kinds`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..exclusion import SourceSpectra, Statistic

Evaluation = tuple[np.ndarray, np.ndarray, np.ndarray]
Reader = Callable[[Callable[[str], Any], str, str], Any]
"""``read(reader, path, key)``: ``reader(path)`` of a file relative to the repository root, a missing or
malformed file a ConfigError naming the config ``key``."""


def no_reference(
    statistic: Statistic, spectra: Mapping[str, SourceSpectra], chi2_grid: np.ndarray, g: np.ndarray | None
) -> float:
    """The statistic is already measured from its reference (Asimov data, a ceiling): 0."""
    return 0.0


def no_check(config: Mapping, key: str, analysis: Mapping, read: Reader) -> None:
    """Nothing to check beyond the kind's schema."""


def parameters_from_config(entry: Mapping, spec: Mapping, files: Mapping[str, list[str]], log: Any) -> dict[str, float]:
    """The numbers of the config entry (``kind`` aside) as they stand."""
    return {name: float(value) for name, value in entry.items() if name != "kind"}


@dataclass(frozen=True)
class Kind:
    """A statistic kind.

    Attributes
    ----------
    name : str
        The config's ``statistic.kind``.
    schema : dict
        JSON schema of the config entry ``statistic`` (its ``kind`` included).
    evaluate : callable
        ``evaluate(statistic, spectra, coupling)`` -> (test statistic, best pull, index of the best source), each
        broadcasting the couplings against the masses; ``spectra`` is {source: SourceSpectra}, ``statistic`` a
        :class:`~astrocevns.inference.exclusion.Statistic` whose ``parameters`` come from ``prepare``.
    best_fit_reference : callable
        ``best_fit_reference(statistic, spectra, chi2_grid, g)``: the value of the statistic that the exclusion
        is measured from (the best fit; 0 where the statistic is already a difference).
    prepare : callable
        ``prepare(entry, family_spec, files, log)`` -> the numbers ``evaluate`` needs ({name: float}), from the
        config entry, the family's job spec and the kind's input files ({name: [path]}, see ``input_files``).
    check : callable
        ``check(config, key, analysis, read)``: ConfigError naming a key where the entry does not fit the rest
        of the configuration.
    file_keys : tuple of str
        Keys of the entry that hold paths (relative to the repository root): inputs of the job.
    efficiency_table : bool
        Whether the job reads its detector's efficiency table (input ``efficiency``).
    detector_entry : bool
        Whether the job needs its detector's config entry (family spec ``statistic_detector``).
    asimov_data : bool
        Whether the data are the Standard Model's Asimov data, so that the statistic's precision is checked
        against its SM events and the projection toys apply.
    one_source, one_detector : bool
        Whether an analysis of the kind takes exactly one source / one detector.
    """

    name: str
    schema: Mapping
    evaluate: Callable[[Statistic, Mapping[str, SourceSpectra], np.ndarray | float], Evaluation]
    best_fit_reference: Callable[..., float] = no_reference
    prepare: Callable[..., dict[str, float]] = parameters_from_config
    check: Callable[[Mapping, str, Mapping, Reader], None] = no_check
    file_keys: tuple[str, ...] = ()
    efficiency_table: bool = False
    detector_entry: bool = False
    asimov_data: bool = False
    one_source: bool = True
    one_detector: bool = False

    def input_files(self, entry: Mapping, efficiency_file: str | None) -> dict[str, list[str]]:
        """The kind's input files of a job, by name: the entry's paths and, where needed, the efficiency table."""
        files = {key: [entry[key]] if key in entry else [] for key in self.file_keys}
        if self.efficiency_table:
            files["efficiency"] = [] if efficiency_file is None else [efficiency_file]
        return files
