# Configuration checks (at parse time, before any job) and input functions shared by the rules.

import json
import re
from pathlib import Path
from types import SimpleNamespace

import yaml

from astrocevns import figures
from astrocevns.analyses import BEAM_KINDS, expand_analyses, families, sees
from astrocevns.config import ConfigError, check_config, composition

validate(config, schema="../../config/schema.yaml")
FIGURE_DESCRIPTIONS = yaml.safe_load((Path(workflow.basedir) / config["figures"]["description"]).read_text())
validate(FIGURE_DESCRIPTIONS, schema="../../config/figures.schema.yaml")
try:
    check_config(config, root=workflow.basedir)
except ConfigError as error:
    raise WorkflowError(str(error)) from None

SOURCES = sorted(config["sources"])
DETECTORS = sorted(config["detectors"])
MEDIATORS = list(config["mediators"])
ANALYSES = expand_analyses(
    config["analyses"], config["detectors"], config["statistics"]["normalisation_uncertainty"]
)
FAMILIES = families(ANALYSES)  # one chi2 job per configured analysis, its efficiency variants included
FAMILY_PATTERN = "|".join(re.escape(name) for name in FAMILIES)
try:
    figures.check_figures(FIGURE_DESCRIPTIONS, config, ANALYSES)
except ConfigError as error:
    raise WorkflowError(str(error)) from None
FIGURES = figures.buildable(FIGURE_DESCRIPTIONS, MEDIATORS)
for name in sorted(set(FIGURE_DESCRIPTIONS) - set(FIGURES), key=lambda n: int(n[3:])):
    logger.warning(f"{name} is not built: none of its panels {FIGURE_DESCRIPTIONS[name]['panels']} is among "
                   f"the configured mediators {MEDIATORS}")
FIGURE_NUMBERS = sorted(int(name[3:]) for name in FIGURES)


def plain(value):
    """A config fragment as plain, key-sorted JSON types, so that params compare exactly."""
    return json.loads(json.dumps(value, sort_keys=True))


def source_files(wildcards):
    """The input files of one source: supernova time series or steady-source spectra (a beam has none)."""
    spec = config["sources"][wildcards.source]
    entries = spec.get("species", spec.get("components", {}))
    return [entry["file"] for entry in entries.values()]


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


def family_spectra_keys(family):
    """(mediator, source, detector, efficiency) of every spectra table the analyses of ``family`` read, once each."""
    keys = [
        (mediator, source, detector, efficiency)
        for mediator in MEDIATORS
        for analysis in FAMILIES[family]
        for source in analysis.sources
        for detector, efficiency in analysis.members
    ]
    return list(dict.fromkeys(keys))


def spectra_of_family(wildcards):
    """The spectra tables of a family, in the order of :func:`family_spectra_keys`."""
    return ["results/spectra/{}/{}/{}/{}.parquet".format(*key) for key in family_spectra_keys(wildcards.analysis)]


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
            "spectra_keys": [list(key) for key in family_spectra_keys(wildcards.analysis)],
            "ceiling_detector": config["detectors"][analysis.members[0][0]] if ceiling else None,
            "mediators": MEDIATORS,
            "sources": list(analysis.sources),
            "variants": [{"name": variant.name, "members": [list(m) for m in variant.members]} for variant in analyses],
            "sigma": dict(analysis.sigma_by_source),
            "grid_g": config["grid"]["g"],
            "statistics": {k: config["statistics"][k] for k in ("cl", "dof", "pull_prior")},
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


def chi2_tables(analyses, mediators):
    """The chi2 tables that hold ``analyses``: one per family (an efficiency variant is in its analysis's table)."""
    tables = dict.fromkeys(ANALYSES[analysis].family for analysis in analyses)
    return [f"results/chi2/{mediator}/{family}.parquet" for mediator in mediators for family in tables]


def external_limit_files(description):
    """The external-bound files listed for a figure that are present (the others are skipped with a log line)."""
    if "external_limits" not in description:
        return []
    limits = config["external_limits"]
    paths = [f"{limits['directory']}/{name}.csv" for name in limits[description["external_limits"]]]
    return [path for path in paths if Path(path).is_file()]


def figure_inputs(wildcards):
    """Every table figure ``number`` draws, as its description in config/figures.yaml lists it."""
    description = FIGURES[f"fig{wildcards.number}"]
    mediators = figures.panels(description, MEDIATORS)
    kind = description["kind"]
    if kind == "core":
        return {"core": [f"results/core/{mediator}.parquet" for mediator in mediators]}
    if kind == "rates":
        return {"rates": [f"results/rates/{source}.parquet" for source in description["sources"]]}
    if kind == "regimes":
        return {"rates": [f"results/rates/{config['figures']['regime_source']}.parquet"]}
    return {
        "chi2": chi2_tables(figures.required_analyses(description, ANALYSES), mediators),
        "core": [f"results/core/{mediator}.parquet" for mediator in mediators] if figures.core_layers(description) else [],
        "external": external_limit_files(description),
    }


def figure_params(wildcards):
    """The figure's description and only the plain config values it labels with (unrelated edits rerun nothing)."""
    name = f"fig{wildcards.number}"
    description = FIGURES[name]
    figures_config, statistics = config["figures"], config["statistics"]
    labels = {"mediators": figures.panels(description, MEDIATORS)}
    if description["kind"] == "rates":
        labels |= {"curves": figures_config["rate_curves"], "threshold_keV": figures_config["threshold_keV"],
                   "targets": figures_config["rate_targets"]}
    elif description["kind"] == "regimes":
        labels |= {"curves": figures_config["regime_curves"], "target": figures_config["regime_target"],
                   "threshold_keV": figures_config["threshold_keV"],
                   "sigma": statistics["normalisation_uncertainty"][figures_config["regime_source"]]}
    elif description["kind"] == "core":
        labels |= {"core": config["core"]}
    else:
        labels |= {"cl": statistics["cl"], "analyses": figures.required_analyses(description, ANALYSES),
                   "skipped": figures.skipped_layers(description, ANALYSES)}
        if "external_limits" in description:
            labels["external_listed"] = config["external_limits"][description["external_limits"]]
    return plain({"name": name, "description": description, **labels})


def figure_memory_mb(wildcards):
    """Memory of a figure job: a bound figure holds a few copies of every chi2 grid it draws."""
    grid_points = config["grid"]["g"]["n"] * config["grid"]["m_MeV"]["n"]
    return int(400 + 60e-6 * grid_points * len(figure_inputs(wildcards).get("chi2", [])) * 3)


def chi2_memory_mb(wildcards):
    """Memory of a chi2 job: the grid is evaluated 64 couplings at a time; the tables hold 5 columns."""
    grid_points = config["grid"]["g"]["n"] * config["grid"]["m_MeV"]["n"]
    return int(400 + 120e-6 * grid_points * len(FAMILIES[wildcards.analysis]))
