"""Analyses: which sources and detectors share a chi-square, and their efficiency variants.

An analysis is named ``{source}/{detectors}`` (e.g. ``sn_cc/combined``). Its ``sources`` list holds
one source, or several supernova models whose chi2 minimum is taken ("marginalised over SN
models", paper sec. VII A); all its ``detectors`` share one pull on that source's normalisation.
For every non-ideal efficiency that one of its detectors lists, the workflow adds the variant
``{name}-{efficiency}``, in which those detectors use that efficiency (the band of the figures),
unless the analysis pins one ``efficiency`` for all its detectors. An analysis and its variants form
a ``family``, named like the analysis, whose chi-squares one job computes.

Its ``statistic`` is the paper's Asimov Poisson chi-square (default, eqs. 21-24) or, for the
existing bounds computed from published data (paper secs. VII B, VIII B-C), a ``counting`` experiment or an
``event_ceiling`` (each a kind of :mod:`astrocevns.inference.kinds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ASIMOV = {"kind": "asimov_poisson"}
BEAM_KINDS = ("pion_decay_at_rest",)


@dataclass(frozen=True)
class Analysis:
    """One chi-square: ``members`` are (detector, efficiency) pairs; sigma per source; ``family``: the
    configured analysis it is an efficiency variant of (its own name for the analysis itself)."""

    name: str
    sources: tuple
    members: tuple
    sigma_by_source: tuple  # ((source, sigma), ...), ordered like ``sources``
    statistic: dict = field(default_factory=lambda: dict(ASIMOV))
    family: str = ""

    def sigma(self, source: str) -> float:
        return dict(self.sigma_by_source)[source]


def expand_analyses(
    analyses: Mapping[str, Mapping], detectors: Mapping[str, Mapping], normalisation_uncertainty: Mapping[str, float]
) -> dict[str, Analysis]:
    """All analyses of the config, efficiency variants included, as {name: Analysis}.

    Parameters
    ----------
    analyses : dict
        config['analyses']: name -> {sources, detectors, normalisation_uncertainty, efficiency,
        statistic (all three optional)}.
    detectors : dict
        config['detectors'] (for each detector's list of efficiencies).
    normalisation_uncertainty : dict
        config['statistics']['normalisation_uncertainty']: source -> sigma_x.
    """
    expanded = {}
    for name, spec in analyses.items():
        sigma = tuple(
            (
                source,
                float(
                    spec["normalisation_uncertainty"]
                    if "normalisation_uncertainty" in spec
                    else normalisation_uncertainty[source]
                ),
            )
            for source in spec["sources"]
        )
        statistic = dict(spec.get("statistic", ASIMOV))
        if "efficiency" in spec:
            members = tuple((d, spec["efficiency"]) for d in spec["detectors"])
            expanded[name] = Analysis(name, tuple(spec["sources"]), members, sigma, statistic, name)
            continue
        efficiencies = sorted({e for d in spec["detectors"] for e in detectors[d]["efficiencies"]} - {"ideal"})
        for efficiency in ["ideal", *efficiencies]:
            members = tuple(
                (d, efficiency if efficiency in detectors[d]["efficiencies"] else "ideal") for d in spec["detectors"]
            )
            label = name if efficiency == "ideal" else f"{name}-{efficiency}"
            expanded[label] = Analysis(label, tuple(spec["sources"]), members, sigma, statistic, name)
    return expanded


def families(analyses: Mapping[str, Analysis]) -> dict[str, tuple[Analysis, ...]]:
    """{family: (the analysis, then its efficiency variants)} of the analyses of :func:`expand_analyses`."""
    grouped: dict[str, list[Analysis]] = {}
    for analysis in analyses.values():
        grouped.setdefault(analysis.family or analysis.name, []).append(analysis)
    return {name: tuple(members) for name, members in grouped.items()}


def sees(sources: Mapping[str, Mapping], source: str, detector: str) -> bool:
    """Whether ``detector`` observes ``source``.

    A beam (pion decay at rest) reaches only the detectors it lists, at its baseline; those
    detectors see no other source (the astrophysical fluxes are negligible there and not modelled).
    """
    spec = sources[source]
    if spec["kind"] in BEAM_KINDS:
        return detector in spec["detectors"]
    return not any(detector in s["detectors"] for s in sources.values() if s["kind"] in BEAM_KINDS)
