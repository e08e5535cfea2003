"""Analyses: which sources and detectors share a chi-square, and their efficiency variants.

An analysis is named ``{source}/{detectors}`` (e.g. ``sn_cc/combined``). Its ``sources`` list holds
one source, or several supernova models whose chi2 minimum is taken ("marginalised over SN
models", paper sec. VI); all its ``detectors`` share one pull on that source's normalisation.
For every non-ideal efficiency that one of its detectors lists, the workflow adds the variant
``{name}-{efficiency}``, in which those detectors use that efficiency (the band of the figures).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Analysis:
    """One chi-square: ``members`` are (detector, efficiency) pairs; sigma per source."""

    name: str
    sources: tuple
    members: tuple
    sigma_by_source: tuple  # ((source, sigma), ...), ordered like ``sources``

    def sigma(self, source):
        return dict(self.sigma_by_source)[source]


def expand_analyses(analyses, detectors, normalisation_uncertainty):
    """All analyses of the config, efficiency variants included, as {name: Analysis}.

    Parameters
    ----------
    analyses : dict
        config['analyses']: name -> {sources, detectors, normalisation_uncertainty (optional)}.
    detectors : dict
        config['detectors'] (for each detector's list of efficiencies).
    normalisation_uncertainty : dict
        config['statistics']['normalisation_uncertainty']: source -> sigma_x.
    """
    expanded = {}
    for name, spec in analyses.items():
        sigma = tuple(
            (source, float(spec.get("normalisation_uncertainty", normalisation_uncertainty[source])))
            for source in spec["sources"]
        )
        efficiencies = sorted({e for d in spec["detectors"] for e in detectors[d]["efficiencies"]} - {"ideal"})
        for efficiency in ["ideal", *efficiencies]:
            members = tuple(
                (d, efficiency if efficiency in detectors[d]["efficiencies"] else "ideal") for d in spec["detectors"]
            )
            label = name if efficiency == "ideal" else f"{name}-{efficiency}"
            expanded[label] = Analysis(label, tuple(spec["sources"]), members, sigma)
    return expanded
