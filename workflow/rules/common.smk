# Configuration checks (at parse time, before any job) and input functions shared by the rules.

import json
import re
from pathlib import Path
from types import SimpleNamespace

from astrocevns.analyses import BEAM_KINDS, expand_analyses, families, sees
from astrocevns.config import ConfigError, check_config, composition

validate(config, schema="../../config/schema.yaml")
try:
    check_config(config, root=workflow.basedir)
except ConfigError as error:
    raise WorkflowError(str(error)) from None

SOURCES = sorted(config["sources"])
DETECTORS = sorted(config["detectors"])
MODELS = list(config["mediators"])  # the models computed for every analysis
MEDIATORS = list(dict.fromkeys(config["models"][model]["mediator"] for model in MODELS))  # their types: core, rates
ANALYSES = expand_analyses(
    config["analyses"], config["detectors"], config["statistics"]["normalisation_uncertainty"]
)
FAMILIES = families(ANALYSES)  # one chi2 job per configured analysis, its efficiency variants included
FAMILY_PATTERN = "|".join(re.escape(name) for name in FAMILIES)
# models a configured analysis adds to MODELS, computed by a chi2_model job each; and every model with spectra
EXTRA_MODELS = {
    family: [model for model in config["analyses"][family].get("models", []) if model not in MODELS] for family in FAMILIES
}
SPECTRA_MODELS = list(dict.fromkeys(MODELS + [model for models in EXTRA_MODELS.values() for model in models]))


def plain(value):
    """A config fragment as plain, key-sorted JSON types, so that params compare exactly."""
    return json.loads(json.dumps(value, sort_keys=True))


def source_files(wildcards):
    """The input files of one source: supernova time series or steady-source spectra (a beam has none)."""
    spec = config["sources"][wildcards.source]
    entries = spec.get("species", spec.get("components", {}))
    return [entry["file"] for entry in entries.values()]


def uses_solar_msw(source):
    """Whether a source has solar components, whose flavours at the Earth depend on the oscillation parameters."""
    return any("solar_msw" in entry for entry in config["sources"][source].get("components", {}).values())


def efficiency_files(wildcards):
    """The efficiency table, if any (none for 'ideal')."""
    if wildcards.efficiency == "ideal":
        return []
    return [config["efficiencies"][wildcards.efficiency]]


def detector_efficiency_pairs():
    """(detector, efficiency) for every efficiency each detector lists."""
    return [(d, e) for d in DETECTORS for e in config["detectors"][d]["efficiencies"]]


def kernel_params(wildcards):
    """Only what the kernel of one (source, detector, efficiency) depends on."""
    spec = config["detectors"][wildcards.detector]
    targets = config["targets"]
    return plain(
        {
            "detector": spec,
            "targets": {name: targets[name] for name in {spec["target"], *composition(targets, spec["target"])}},
            "form_factor": config["form_factor"],
            "recoil_bins": config["recoil_bins"],
        }
    )


def job_models(wildcards):
    """The models of a chi2 job: MODELS (rule chi2), or the one model of a chi2_model job."""
    model = getattr(wildcards, "model", None)
    return [model] if model else MODELS


def spectra_of_family(wildcards):
    """The spectra tables the analyses of a family read: model by model, analysis by analysis, every
    source x (detector, efficiency); a table two analyses share is listed for each."""
    return [
        f"results/spectra/{model}/{source}/{detector}/{efficiency}.parquet"
        for model in job_models(wildcards)
        for analysis in FAMILIES[wildcards.analysis]
        for source in analysis.sources
        for detector, efficiency in analysis.members
    ]


def ceiling_efficiency_files(wildcards):
    """The efficiency table of an event-ceiling analysis (its WIMP count uses the detector's efficiency)."""
    analysis = FAMILIES[wildcards.analysis][0]
    if analysis.statistic["kind"] != "event_ceiling":
        return []
    return efficiency_files(SimpleNamespace(efficiency=analysis.members[0][1]))


def family_params(wildcards):
    """Only what the chi-squares of one family depend on (its variants differ only in their members)."""
    analyses = FAMILIES[wildcards.analysis]
    analysis = analyses[0]
    ceiling = analysis.statistic["kind"] == "event_ceiling"
    return plain(
        {
            "statistic": analysis.statistic,
            "ceiling_detector": config["detectors"][analysis.members[0][0]] if ceiling else None,
            "models": [{"name": model, "mediator": config["models"][model]["mediator"],
                        "coupling": config["models"][model]["coupling"]["name"]} for model in job_models(wildcards)],
            "sources": list(analysis.sources),
            "variants": [{"name": variant.name, "members": [list(m) for m in variant.members]} for variant in analyses],
            "sigma": dict(analysis.sigma_by_source),
            "grid_g": config["grid"]["g"],
            "statistics": {k: config["statistics"][k] for k in ("cl", "dof")},
            "bounds": config["bounds"],
        }
    )


def rates_params(wildcards):
    """Only what the rate table of one source depends on: targets, E_r axis and the figures' curves."""
    figures = config["figures"]
    targets = sorted(set(figures["rate_targets"]) | {figures["regime_target"]})
    curves = figures["rate_curves"] + (figures["regime_curves"] if wildcards.source == figures["regime_source"] else [])
    return plain(
        {
            "targets": targets,
            "target_specs": {t: config["targets"][t] for t in targets},
            "form_factor": config["form_factor"],
            "recoil_keV": figures["recoil_keV"],
            "curves": curves,
            "mediators": MEDIATORS,
        }
    )


def external_limit_files(number):
    """The external-bound files listed for figure ``number`` that are present (the others are skipped)."""
    limits = config["external_limits"]
    paths = [f"{limits['directory']}/{name}.csv" for name in limits[f"fig{number}"]]
    return [path for path in paths if Path(path).is_file()]


def figure_params(number):
    """Only the plain values figure ``number`` labels its panels with (so unrelated edits rerun nothing)."""
    figures = config["figures"]
    threshold = figures["threshold_keV"]
    if number in (2, 3, 4):
        return plain({"curves": figures["rate_curves"], "threshold_keV": threshold, "mediators": MEDIATORS})
    if number == 1:
        return plain({"core": config["core"]})
    if number in (9, 10):
        return plain({"mediators": MEDIATORS, "cl": config["statistics"]["cl"],
                      "external_listed": config["external_limits"][f"fig{number}"]})
    if number == 12:
        sigma = config["statistics"]["normalisation_uncertainty"][figures["regime_source"]]
        return plain({"curves": figures["regime_curves"], "target": figures["regime_target"],
                      "threshold_keV": threshold, "sigma": sigma, "mediators": MEDIATORS})
    return plain({"mediators": MEDIATORS, "cl": config["statistics"]["cl"]})
