# Configuration checks (at parse time, before any job) and input functions shared by the rules.
#
# The workflow computes the base configuration under results/ and every variant (a named overlay, a
# value of a scan, a key of the deviation ledger) under results/variants/{variant}/ with the same
# layout. Rules are written once for a path prefix {root}; a job of a variant whose parameters and
# inputs equal those of the same job in an earlier configuration (the base first) is not run again:
# its consumers read the earlier one's table (resolved_root).

import functools
import json
import re
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import yaml

from astrocevns import figures, memory, variants
from astrocevns.analyses import BEAM_KINDS, expand_analyses, families, sees
from astrocevns.config import ConfigError, check_config, check_keys, composition, schema_validator
from astrocevns.io import InputError
from astrocevns.xenonnt2024.release import FILES as XENONNT_2024_FILES
from astrocevns.xenonnt2024.release import verify_checksums
from astrocevns.xenonnt_s2only2026.release import FILES as XENONNT_S2ONLY_2026_FILES
from astrocevns.xenonnt_s2only2026.release import (
    verify_checksums as verify_s2only_checksums,
)

BASE = "results"
ROOT_PATTERN = rf"{BASE}(/variants/[A-Za-z0-9_.+-]+)?"


def plain(value):
    """A config fragment as plain, key-sorted JSON types, so that params compare exactly."""
    return json.loads(json.dumps(value, sort_keys=True))


def parse_error(error):
    raise WorkflowError(str(error)) from None


class Setup:
    """One configuration: its config and what the rules derive from it (analyses, families, figures)."""

    def __init__(
        self,
        name,
        cfg,
        analyses=None,
        with_figures=False,
        tables=("event_counts", "bounds", "core_bounds"),
    ):
        self.name, self.config, self.tables = name, cfg, tables
        self.root = BASE if not name else f"{BASE}/variants/{name}"
        self.sources = sorted(cfg["sources"])
        self.detectors = sorted(cfg["detectors"])
        self.models = list(cfg["mediators"])  # the models computed for every analysis
        self.mediators = list(dict.fromkeys(cfg["models"][model]["mediator"] for model in self.models))  # their types
        expanded = expand_analyses(
            cfg["analyses"],
            cfg["detectors"],
            cfg["statistics"]["normalisation_uncertainty"],
        )
        self.analyses = {n: a for n, a in expanded.items() if analyses is None or a.family in analyses}
        self.families = families(self.analyses)
        # models an analysis adds to those of every analysis (its 'models'): one chi2_model job each
        self.extra_models = {
            family: [m for m in cfg["analyses"][family].get("models", []) if m not in self.models]
            for family in self.families
        }
        self.figures = figures.buildable(FIGURE_DESCRIPTIONS, self.panel_models()) if with_figures else {}

    def panel_models(self):
        """The models whose tables exist for at least one analysis: those of every analysis and the added ones."""
        return list(dict.fromkeys(self.models + [m for models in self.extra_models.values() for m in models]))

    def has_tables(self, model, family):
        return model in self.models or model in self.extra_models.get(family, [])


def variant_setup(name, overlay, analyses=None, tables=("event_counts", "bounds", "core_bounds")):
    """The Setup of a variant: the overlay merged onto the base config, validated like the base."""
    cfg = variants.merged(config, overlay)
    if analyses is not None:  # a scan computes its analyses only
        cfg["analyses"] = {name: spec for name, spec in cfg["analyses"].items() if name in analyses}
    try:
        variants.check_overlay(name, overlay)
        SCHEMA_VALIDATOR.validate(cfg)  # the base, validated first, carries the schema's defaults
        check_config(cfg, root=workflow.basedir)
    except ConfigError as error:
        parse_error(f"variant {name}: {error}")
    except jsonschema.ValidationError as error:
        key = ".".join(str(part) for part in error.absolute_path)
        parse_error(f"variant {name}: config key {key}: {error.message}")
    setup = Setup(name, cfg, analyses, tables=tables, with_figures=analyses is None)
    added = sorted(set(setup.panel_models()) - set(SPECTRA_MODELS))
    if added:
        parse_error(f"variant {name}: analyses add models {added} that the base configuration does not compute")
    return setup


try:  # a YAML 1.1 boolean (off, yes) or a number as a key, before anything sorts or looks up the keys
    check_keys(config)
except ConfigError as error:
    parse_error(error)
validate(config, schema="../../config/schema.yaml")
SCHEMA_VALIDATOR = schema_validator(
    yaml.load(
        (Path(workflow.basedir) / "config/schema.yaml").read_text(),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
)
try:  # integers as integers (the schema's own check lets 8.0 through for an integer key)
    SCHEMA_VALIDATOR.validate(config)
except jsonschema.ValidationError as error:
    key = ".".join(str(part) for part in error.absolute_path)
    parse_error(f"config key {key}: {error.message}")
FIGURE_DESCRIPTIONS = yaml.safe_load((Path(workflow.basedir) / config["figures"]["description"]).read_text())
validate(FIGURE_DESCRIPTIONS, schema="../../config/figures.schema.yaml")
try:
    check_config(config, root=workflow.basedir)
except ConfigError as error:
    parse_error(error)
BASE_SETUP = Setup("", config, with_figures=True)
try:
    figures.check_figures(FIGURE_DESCRIPTIONS, config, BASE_SETUP.analyses)
except ConfigError as error:
    parse_error(error)
for name in sorted(set(FIGURE_DESCRIPTIONS) - set(BASE_SETUP.figures), key=lambda n: int(n[3:])):
    logger.warning(
        f"{name} is not built: none of its panels {FIGURE_DESCRIPTIONS[name]['panels']} is among "
        f"the models computed {BASE_SETUP.panel_models()}"
    )
FIGURE_NUMBERS = sorted(int(name[3:]) for name in BASE_SETUP.figures)
MODELS = BASE_SETUP.models
SPECTRA_MODELS = BASE_SETUP.panel_models()  # every model a spectra job writes (variants cannot add one)

# the XENONnT 2024 data recast (rules/xenonnt.smk): an analysis of the base configuration, for every model
XENONNT_2024 = config.get("xenonnt_2024")
XENONNT_2024_ANALYSIS = XENONNT_2024_FAMILY = "xenonnt_2024/xenonnt_2024"
# the XENONnT S2-only 2026 data analysis (rules/xenonnt.smk), the same way
XENONNT_S2ONLY_2026 = config.get("xenonnt_s2only_2026")
XENONNT_S2ONLY_2026_FAMILY = "xenonnt_s2only_2026/xenonnt_s2only_2026"
for name, section, verify in (
    ("xenonnt_2024", XENONNT_2024, verify_checksums),
    ("xenonnt_s2only_2026", XENONNT_S2ONLY_2026, verify_s2only_checksums),
):
    if not section:
        continue
    if config["sources"].get(section["source"], {}).get("kind") != "steady":
        parse_error(
            f"config key {name}.source: {section['source']!r} is not a steady source of the config (the solar "
            "neutrinos whose CEvNS XENONnT sees)"
        )
    try:  # a missing, modified or corrupted file of the release stops the run here, naming the file
        verify(Path(workflow.basedir) / section["data"])
    except InputError as error:
        parse_error(f"config key {name}.data: {error}")
DATA_RELEASES = {
    name: section
    for name, section in (
        ("xenonnt_2024", XENONNT_2024),
        ("xenonnt_s2only_2026", XENONNT_S2ONLY_2026),
    )
    if section
}
"""The config sections of the data analyses that are present, by section name."""
DATA_ANALYSES = [f"{name}/{name}" for name in DATA_RELEASES]
"""Analyses of real data computed by rules of their own (not `analyses`); figures may draw them."""

try:
    SCANS = {name: {**scan, "variants": {}} for name, scan in config["scans"].items()}
    for name, scan in config["scans"].items():
        outside = sorted(set(scan["report_masses_MeV"]) - set(config["report_masses_MeV"]))
        if outside:
            raise ConfigError(f"config key scans.{name}.report_masses_MeV: {outside} are not among report_masses_MeV")
        for variant, overlay in variants.scan_variants({name: scan}, config).items():
            SCANS[name]["variants"][variant] = overlay
    variants.check_listed_analyses("deviation_ledger.analyses", config["deviation_ledger"]["analyses"], config)
    ledger_overlay = config["deviation_ledger"]["overlay"]
    paper_literal = yaml.safe_load((Path(workflow.basedir) / ledger_overlay).read_text()) or {}
    check_keys(paper_literal, f"deviation_ledger.overlay ({ledger_overlay})")
    LEDGER = variants.ledger_variants(paper_literal, config)
    variants.one_namespace(
        {
            "variants": config["variants"],
            **{f"scans.{name}": scan["variants"] for name, scan in SCANS.items()},
            f"deviation_ledger.overlay ({ledger_overlay})": LEDGER,
        }
    )
except ConfigError as error:
    parse_error(error)
SETUPS = {"": BASE_SETUP}
for name, overlay in config["variants"].items():
    SETUPS[name] = variant_setup(name, overlay)
for name, scan in SCANS.items():
    for variant, overlay in scan["variants"].items():
        SETUPS[variant] = variant_setup(variant, overlay, scan["analyses"], tables=("bounds",))
for name, overlay in LEDGER.items():
    SETUPS[name] = variant_setup(
        name,
        overlay,
        config["deviation_ledger"]["analyses"],
        tables=("bounds", "core_bounds"),
    )
NAMES = list(SETUPS)

# wildcard values of every configuration
SOURCES = sorted({s for setup in SETUPS.values() for s in setup.sources})
DETECTORS = sorted({d for setup in SETUPS.values() for d in setup.detectors})
MEDIATORS = BASE_SETUP.mediators  # mediator types: the core and rate tables
EXTRA_PAIRS = sorted({(m, f) for setup in SETUPS.values() for f, models in setup.extra_models.items() for m in models})
FAMILY_PATTERN = "|".join(
    re.escape(name) for name in sorted({f for setup in SETUPS.values() for f in setup.families}, key=len, reverse=True)
)


def setup_of(wildcards):
    """The Setup of the configuration a job belongs to (from its {root} wildcard)."""
    return SETUPS[wildcards.root.removeprefix(BASE).removeprefix("/variants/")]


# ---- what each job depends on, per configuration (also its identity for sharing jobs) ----


def uses_solar_msw(cfg, source):
    """Whether a source has solar components, whose flavours at the Earth depend on the oscillation parameters."""
    return any("solar_msw" in entry for entry in cfg["sources"][source].get("components", {}).values())


def oscillation_spec(cfg, source):
    return plain(cfg["oscillations"]) if uses_solar_msw(cfg, source) else None


def flux_spec(cfg, source):
    if source not in cfg["sources"]:
        return None
    return [plain(cfg["sources"][source]), oscillation_spec(cfg, source)]


def kernel_spec(cfg, detector):
    """Only what the kernel of one detector depends on (besides the flux and the efficiency table)."""
    spec = cfg["detectors"][detector]
    targets = cfg["targets"]
    return plain(
        {
            "detector": spec,
            "targets": {name: targets[name] for name in {spec["target"], *composition(targets, spec["target"])}},
            "form_factor": cfg["form_factor"],
            "recoil_bins": cfg["recoil_bins"],
        }
    )


def mass_spec(cfg):
    return plain({"grid": cfg["grid"]["m_MeV"], "report": cfg["report_masses_MeV"]})


def efficiency_path(cfg, efficiency):
    return None if efficiency == "ideal" else cfg["efficiencies"][efficiency]


def spectra_identity(name, source, detector, efficiency):
    cfg = SETUPS[name].config
    if source not in cfg["sources"] or detector not in cfg["detectors"]:
        return None
    return variants.identity(
        [
            flux_spec(cfg, source),
            kernel_spec(cfg, detector),
            mass_spec(cfg),
            efficiency_path(cfg, efficiency),
            spectra_models_spec(cfg),
        ]
    )


def spectra_models_spec(cfg):
    """[name, definition] of every model a spectra job writes, in the order of its outputs."""
    return plain([[model, cfg["models"][model]] for model in SPECTRA_MODELS])


def family_spec(name, family, models):
    """Only what the chi-squares of one family for ``models`` depend on (its variants differ only in their members)."""
    setup = SETUPS[name]
    cfg = setup.config
    analyses = setup.families[family]
    analysis = analyses[0]
    ceiling = analysis.statistic["kind"] == "event_ceiling"
    return plain(
        {
            "statistic": analysis.statistic,
            "spectra_keys": [list(key) for key in family_spectra_keys(setup, family, models)],
            "ceiling_detector": (cfg["detectors"][analysis.members[0][0]] if ceiling else None),
            "models": [
                {
                    "name": model,
                    "mediator": cfg["models"][model]["mediator"],
                    "coupling": cfg["models"][model]["coupling"]["name"],
                }
                for model in models
            ],
            "sources": list(analysis.sources),
            "variants": [{"name": variant.name, "members": [list(m) for m in variant.members]} for variant in analyses],
            "sigma": dict(analysis.sigma_by_source),
            "grid_g": cfg["grid"]["g"],
            "statistics": {
                "cl": cfg["statistics"]["cl"],
                "dof": cfg["statistics"]["dof"],
                # where the prior goes matters only where detectors share a pull
                "pull_prior": (
                    cfg["statistics"]["pull_prior"] if any(len(a.members) > 1 for a in analyses) else "shared"
                ),
            },
            "bounds": cfg["bounds"],
        }
    )


def family_identity(name, family, *models):
    setup = SETUPS[name]
    models = list(models) or setup.models
    if family not in setup.families or not all(setup.has_tables(model, family) for model in models):
        return None
    spectra = [spectra_identity(name, *key[1:]) for key in family_spectra_keys(setup, family, models)]
    return variants.identity([family_spec(name, family, models), spectra, efficiency_files_of(setup, family)])


def core_spec(cfg):
    return plain(
        {
            "core": cfg["core"],
            "grid": cfg["grid"],
            "report_masses_MeV": cfg["report_masses_MeV"],
            "bounds": cfg["bounds"],
        }
    )


def rates_spec(cfg, source):
    """Only what the rate table of one source depends on: targets, E_r axis and the figures' curves."""
    figures_config = cfg["figures"]
    targets = sorted(set(figures_config["rate_targets"]) | {figures_config["regime_target"]})
    regime = figures_config["regime_curves"] if source == figures_config["regime_source"] else []
    return plain(
        {
            "targets": targets,
            "target_specs": {t: cfg["targets"][t] for t in targets},
            "form_factor": cfg["form_factor"],
            "recoil_keV": figures_config["recoil_keV"],
            "curves": figures_config["rate_curves"] + regime,
            "mediators": list(dict.fromkeys(cfg["models"][model]["mediator"] for model in cfg["mediators"])),
        }
    )


IDENTITIES = {
    "fluxes": lambda name, source: variants.identity(flux_spec(SETUPS[name].config, source)),
    "spectra": spectra_identity,
    "chi2": family_identity,
    "core": lambda name: variants.identity(core_spec(SETUPS[name].config)),
    "rates": lambda name, source: variants.identity(
        [
            flux_spec(SETUPS[name].config, source),
            rates_spec(SETUPS[name].config, source),
        ]
    ),
    "chi2_model": lambda name, model, family: family_identity(name, family, model),
}


@functools.cache
def resolved_root(stage, name, *key):
    """The root of the first configuration (the base first) whose job ``stage`` for ``key`` is identical to
    that of configuration ``name``: the job runs there once and every configuration reads it.
    """
    return SETUPS[variants.first_with_identity(NAMES, lambda n: IDENTITIES[stage](n, *key), name)].root


# ---- input and params functions of the rules ----


def source_files(wildcards):
    """The input files of one source: supernova time series or steady-source spectra (a beam has none)."""
    spec = setup_of(wildcards).config["sources"][wildcards.source]
    entries = spec.get("species", spec.get("components", {}))
    return [entry["file"] for entry in entries.values()]


def source_params(wildcards):
    return plain(setup_of(wildcards).config["sources"][wildcards.source])


def oscillation_params(wildcards):
    return oscillation_spec(setup_of(wildcards).config, wildcards.source)


def efficiency_files(wildcards):
    """The efficiency table, if any (none for 'ideal')."""
    path = efficiency_path(setup_of(wildcards).config, wildcards.efficiency)
    return [] if path is None else [path]


def source_flux(wildcards):
    """The fluence table of a job's source (for spectra and rates), where it is computed."""
    setup = setup_of(wildcards)
    return f"{resolved_root('fluxes', setup.name, wildcards.source)}/fluxes/{wildcards.source}.parquet"


def kernel_params(wildcards):
    return kernel_spec(setup_of(wildcards).config, wildcards.detector)


def mass_params(wildcards):
    return mass_spec(setup_of(wildcards).config)


def detector_efficiency_pairs(setup):
    """(detector, efficiency) for every efficiency each detector lists."""
    return [(d, e) for d in setup.detectors for e in setup.config["detectors"][d]["efficiencies"]]


def spectra_path(setup, key, table="spectra"):
    """A spectra (or kernel) table of configuration ``setup``, where it is computed."""
    mediator, source, detector, efficiency = key
    root = resolved_root("spectra", setup.name, source, detector, efficiency)
    if table == "kernels":
        return f"{root}/kernels/{source}/{detector}/{efficiency}.parquet"
    return f"{root}/spectra/{mediator}/{source}/{detector}/{efficiency}.parquet"


def event_count_kernels(wildcards):
    """The kernels of every astrophysical source in every detector that sees it."""
    setup = setup_of(wildcards)
    cfg = setup.config
    return [
        spectra_path(setup, (None, source, detector, efficiency), "kernels")
        for source in setup.sources
        if cfg["sources"][source]["kind"] not in BEAM_KINDS  # the paper's astrophysical sources
        for detector, efficiency in detector_efficiency_pairs(setup)
        if sees(cfg["sources"], source, detector)
    ]


def family_spectra_keys(setup, family, models):
    """(model, source, detector, efficiency) of every spectra table the analyses of ``family`` read, once each."""
    keys = [
        (model, source, detector, efficiency)
        for model in models
        for analysis in setup.families[family]
        for source in analysis.sources
        for detector, efficiency in analysis.members
    ]
    return list(dict.fromkeys(keys))


def job_models(wildcards):
    """The models of a chi2 job: those of every analysis (rule chi2), or the one of a chi2_model job."""
    model = getattr(wildcards, "model", None)
    return [model] if model else setup_of(wildcards).models


def spectra_of_family(wildcards):
    """The spectra tables of a family, in the order of :func:`family_spectra_keys`."""
    setup = setup_of(wildcards)
    return [spectra_path(setup, key) for key in family_spectra_keys(setup, wildcards.analysis, job_models(wildcards))]


def efficiency_files_of(setup, family):
    """The efficiency table of an event-ceiling analysis (its WIMP count uses the detector's efficiency)."""
    analysis = setup.families[family][0]
    if analysis.statistic["kind"] != "event_ceiling":
        return []
    path = efficiency_path(setup.config, analysis.members[0][1])
    return [] if path is None else [path]


def ceiling_efficiency_files(wildcards):
    return efficiency_files_of(setup_of(wildcards), wildcards.analysis)


def ceiling_limit_files(wildcards):
    """The WIMP limit curve of an event-ceiling analysis that names one (statistic.wimp_limit)."""
    statistic = setup_of(wildcards).families[wildcards.analysis][0].statistic
    return [statistic["wimp_limit"]] if "wimp_limit" in statistic else []


def family_params(wildcards):
    return family_spec(setup_of(wildcards).name, wildcards.analysis, job_models(wildcards))


def chi2_root(setup, family, model):
    """Where the tables of ``family`` for ``model`` are computed (by rule chi2, or chi2_model for an added model)."""
    if model in setup.models:
        return resolved_root("chi2", setup.name, family)
    return resolved_root("chi2_model", setup.name, model, family)


def analysis_tables(wildcards, kind):
    """The ``kind`` tables (bounds, intervals) of every family of a configuration, for every model it computes for
    the family."""
    setup = setup_of(wildcards)
    data = [f"{BASE}/{kind}/{model}/{name}.parquet" for name in DATA_ANALYSES for model in SPECTRA_MODELS]
    return [
        f"{chi2_root(setup, family, model)}/{kind}/{model}/{family}.parquet"
        for family in setup.families
        for model in setup.models + setup.extra_models[family]
    ] + (data if data_analyses_shared(setup) else [])


def core_profile(wildcards):
    return setup_of(wildcards).config["core"]["profile"]


def core_params(wildcards):
    return core_spec(setup_of(wildcards).config)


def core_bounds_tables(wildcards):
    setup = setup_of(wildcards)
    root = resolved_root("core", setup.name)
    return [f"{root}/core/bounds/{mediator}.parquet" for mediator in setup.mediators]


def rates_params(wildcards):
    return rates_spec(setup_of(wildcards).config, wildcards.source)


def figure_setup(wildcards):
    setup = setup_of(wildcards)
    name = f"fig{wildcards.number}"
    if name not in setup.figures:
        parse_error(f"{name} is drawn for the base configuration only, not for {setup.root}")
    return setup, setup.figures[name]


def family_tables(setup, kind, layers, models):
    """The ``kind`` tables (e.g. edges) of the analyses of ``layers``, for each panel model (or the layer's own
    model): one per family and model (an efficiency variant is in its analysis's table).
    """
    tables = []
    for panel in models:
        for layer in layers:
            model = layer.get("model", panel)
            for analysis in figures.layer_analyses(layer):
                if analysis in DATA_ANALYSES:
                    tables.append(f"{BASE}/{kind}/{model}/{analysis}.parquet")
                    continue
                family = setup.analyses[analysis].family
                if setup.has_tables(model, family):
                    tables.append(f"{chi2_root(setup, family, model)}/{kind}/{model}/{family}.parquet")
    return list(dict.fromkeys(tables))


def external_limit_files(cfg, description):
    """The external-bound files listed for a figure that are present (the others are skipped with a log line)."""
    if "external_limits" not in description:
        return []
    limits = cfg["external_limits"]
    paths = [f"{limits['directory']}/{name}.csv" for name in limits[description["external_limits"]]]
    return [path for path in paths if Path(path).is_file()]


def drawable_analyses(setup):
    """The analyses a figure of ``setup`` can draw: its configured ones, and for the base the data analyses."""
    return [*setup.analyses, *(DATA_ANALYSES if not setup.name else [])]


def figure_models(setup, description):
    """The models of a bound figure's panels: every model of `mediators` for "all", else those it lists."""
    return figures.panels(
        description,
        setup.models if description["panels"] == "all" else setup.panel_models(),
    )


def figure_inputs(wildcards):
    """Every table figure ``number`` draws, as its description in config/figures.yaml lists it."""
    setup, description = figure_setup(wildcards)
    kind = description["kind"]
    core_root = resolved_root("core", setup.name)
    if kind == "core":
        return {"core": [f"{core_root}/core/{mediator}.parquet" for mediator in setup.mediators]}
    if kind in ("rates", "regimes"):
        sources = description["sources"] if kind == "rates" else [setup.config["figures"]["regime_source"]]
        return {"rates": [f"{resolved_root('rates', setup.name, s)}/rates/{s}.parquet" for s in sources]}
    models = figure_models(setup, description)
    layers = figures.drawn_layers(description, drawable_analyses(setup))
    core_types = dict.fromkeys(setup.config["models"][model]["mediator"] for model in models)
    return {
        "edges": family_tables(
            setup,
            "edges",
            [layer for layer in layers if layer["type"] in ("region", "band")],
            models,
        ),
        "core": (
            [f"{core_root}/core/{mediator}.parquet" for mediator in core_types]
            if figures.core_layers(description)
            else []
        ),
        "external": external_limit_files(setup.config, description),
        "expected": (
            [f"{BASE}/tables/expected_bands.csv"]
            if setup.config["figures"].get("expected_bands") and figures.expected_layers(description) and EXPECTED_PAIRS
            else []
        ),
    }


def figure_params(wildcards):
    """The figure's description and only the plain config values it labels with (unrelated edits rerun nothing)."""
    setup, description = figure_setup(wildcards)
    cfg = setup.config
    figures_config, statistics = cfg["figures"], cfg["statistics"]
    labels = {"mediators": setup.mediators}
    if description["kind"] == "rates":
        labels |= {
            "curves": figures_config["rate_curves"],
            "threshold_keV": figures_config["threshold_keV"],
            "targets": figures_config["rate_targets"],
        }
    elif description["kind"] == "regimes":
        labels |= {
            "curves": figures_config["regime_curves"],
            "target": figures_config["regime_target"],
            "threshold_keV": figures_config["threshold_keV"],
            "sigma": statistics["normalisation_uncertainty"][figures_config["regime_source"]],
        }
    elif description["kind"] == "core":
        labels |= {"core": cfg["core"]}
    else:
        models = figure_models(setup, description)
        labels |= {
            "cl": statistics["cl"],
            "grid": cfg["grid"],
            "panels": [{"model": m, **cfg["models"][m]} for m in models],
            "analyses": figures.required_analyses(description, drawable_analyses(setup)),
            "skipped": figures.skipped_layers(description, drawable_analyses(setup)),
            "expected_bands": bool(cfg["figures"].get("expected_bands")),
        }
        if "external_limits" in description:
            labels["external_listed"] = cfg["external_limits"][description["external_limits"]]
    return figures.FigureParams(plain({"name": f"fig{wildcards.number}", "description": description, **labels}))


def figure_labels(wildcards):
    """The report's label of a figure: its number, zero-padded so that the report lists the figures in order."""
    return {"figure": f"Fig. {int(wildcards.number):02d}"}


def grid_points(setup):
    return setup.config["grid"]["g"]["n"] * setup.config["grid"]["m_MeV"]["n"]


def figure_memory_mb(wildcards):
    """Memory of a figure job (astrocevns.memory): the core map of fig. 1 is the one grid a figure reads."""
    setup, description = figure_setup(wildcards)
    grids = memory.FIGURE_GRIDS if description["kind"] == "core" else 0
    return memory.figure_job_mb(grid_points(setup), grids)


def chi2_memory_mb(wildcards):
    """Memory of a chi2 job (astrocevns.memory): the grid evaluated 64 couplings at a time, and its tables."""
    setup = setup_of(wildcards)
    grid = setup.config["grid"]
    analyses = setup.families[wildcards.analysis]
    bins = [memory.detector_bins(setup.config, detector) for detector, _ in analyses[0].members]
    return memory.chi2_job_mb(grid["g"]["n"], grid["m_MeV"]["n"], len(analyses), bins)


def core_memory_mb(wildcards):
    """Memory of a core job (astrocevns.memory)."""
    cfg = setup_of(wildcards).config
    grid = cfg["grid"]
    return memory.core_job_mb(
        grid["g"]["n"],
        grid["m_MeV"]["n"],
        cfg["core"]["radii"],
        cfg["core"]["energy_grid_MeV"]["n"],
    )


# ---- what a configuration writes ----


def tables_of(setup):
    """The tables a configuration writes: all three for the base and named variants, bounds.csv for a scan
    value, bounds.csv and core_bounds.csv for a variant of the deviation ledger."""
    return [f"{setup.root}/tables/{name}.csv" for name in setup.tables]


def scan_bounds_tables(wildcards):
    return [f"{SETUPS[variant].root}/tables/bounds.csv" for variant in SCANS[wildcards.scan]["variants"]]


def scan_params(wildcards):
    scan = SCANS[wildcards.scan]
    return plain(
        {
            "name": wildcards.scan,
            "keys": scan["keys"],
            "values": scan["values"],
            "analyses": scan["analyses"],
            "report_masses_MeV": scan["report_masses_MeV"],
            "base_values": [variants.get_key(config, key) for key in scan["keys"]],
            "label": scan.get("label", ", ".join(scan["keys"])),
        }
    )


def ledger_tables(wildcards):
    """The bounds and core-bounds tables of every ledger variant, variant by variant."""
    return [f"{SETUPS[name].root}/tables/{table}.csv" for name in LEDGER for table in ("bounds", "core_bounds")]


def ledger_params(wildcards):
    """{variant: its dotted keys, their paper values and their defaults}."""
    return plain(
        {
            name: {
                "keys": variants.leaf_keys(overlay),
                "paper": {key: variants.get_key(overlay, key) for key in variants.leaf_keys(overlay)},
                "defaults": {key: variants.get_key(config, key) for key in variants.leaf_keys(overlay)},
            }
            for name, overlay in LEDGER.items()
        }
    )


# ---- the XENONnT data analyses (rules/xenonnt.smk): 2024 S1+S2 and 2026 S2-only ----


def data_identity(setup):
    """What the data analyses (the XENONnT recasts) of a configuration depend on."""
    cfg = setup.config
    if not DATA_RELEASES:
        return None
    keys = {"cl": cfg["statistics"]["cl"], "dof": cfg["statistics"]["dof"]}
    return variants.identity(
        [
            *(cfg.get(name) for name in DATA_RELEASES),
            cfg["targets"]["Xe"],
            cfg["form_factor"],
            cfg["grid"],
            cfg["bounds"],
            cfg["report_masses_MeV"],
            keys,
            *(flux_spec(cfg, section["source"]) for section in DATA_RELEASES.values()),
            [cfg["models"][model] for model in SPECTRA_MODELS],
        ]
    )


def data_analyses_shared(setup):
    """Whether a configuration's data analyses are the base's: they run for the base configuration only, and a
    variant that does not change what they depend on lists the base's bounds in its bounds.csv."""
    return not setup.name or data_identity(setup) == data_identity(BASE_SETUP)


def data_release_inputs(name, files):
    """The solar fluence and the files of the release subset of the data analysis ``name``."""
    section = DATA_RELEASES[name]
    return {
        "flux": f"{BASE}/fluxes/{section['source']}.parquet",
        "release": [f"{section['data']}/{file}" for file in (*files, "checksums.txt")],
    }


def xenonnt_2024_inputs(wildcards):
    return data_release_inputs("xenonnt_2024", XENONNT_2024_FILES)


def xenonnt_s2only_2026_inputs(wildcards):
    return data_release_inputs("xenonnt_s2only_2026", XENONNT_S2ONLY_2026_FILES)


def data_release_params(name, validation, model=None):
    """Only what the data analysis ``name`` of ``model`` (``validation`` False) or its validation table
    depends on."""
    section = DATA_RELEASES[name]
    settings = {k: v for k, v in section.items() if validation or k != "validation"}
    common = {
        name: settings,
        "xenon": config["targets"]["Xe"],
        "form_factor": config["form_factor"],
        "exposure_yr": config["sources"][section["source"]]["exposure_yr"],
        "statistics": {"cl": config["statistics"]["cl"]},
    }
    if validation:
        return plain(common)
    spec = config["models"][model]
    return plain(
        {
            **common,
            "grid_g": config["grid"]["g"],
            "bounds": config["bounds"],
            "masses": {
                "grid": config["grid"]["m_MeV"],
                "report": config["report_masses_MeV"],
            },
            "statistics": {k: config["statistics"][k] for k in ("cl", "dof")},
            "model": {
                "name": model,
                "definition": spec,
                "mediator": spec["mediator"],
                "coupling": spec["coupling"]["name"],
            },
        }
    )


def xenonnt_2024_params(validation, model=None):
    return data_release_params("xenonnt_2024", validation, model)


def xenonnt_s2only_2026_params(validation, model=None):
    return data_release_params("xenonnt_s2only_2026", validation, model)


def xenonnt_2024_memory_mb(wildcards):
    """Memory of a recast job: the likelihood of the whole grid at every yield point, about 2 kB a grid point."""
    return int(400 + 2e-3 * grid_points(BASE_SETUP))


def xenonnt_s2only_2026_memory_mb(wildcards):
    """Memory of an S2-only job: 21 bins and 17 components per grid point in chunks of 2e4 problems, about 10 kB a
    grid point (550 MB measured on the default 200 x 200 grid)."""
    return int(200 + 1e-2 * grid_points(BASE_SETUP))


def claims_config(wildcards):
    """The settings config/claims.yaml reads (detectors, sources, statistics, recoil bins, core), as plain data."""
    keys = ("detectors", "sources", "statistics", "recoil_bins", "core")
    return plain({key: BASE_SETUP.config[key] for key in keys})


for name in config["variants"]:
    if DATA_RELEASES and not data_analyses_shared(SETUPS[name]):
        logger.warning(
            f"variant {name}: no rows of {', '.join(DATA_ANALYSES)} in its bounds.csv and figures: the data "
            "analyses run for the base configuration only, and the variant changes what they depend on (grid, "
            "bounds, report masses, statistics, their solar flux, the xenon target or the models)"
        )


# ---- pseudo-experiments (rules/toys.smk) ----

TOYS = config["toys"]


def computes(analysis, model):
    """Whether the base configuration computes ``model`` for ``analysis`` (the toys of the others are left out)."""
    return analysis in BASE_SETUP.families and model in BASE_SETUP.models + BASE_SETUP.extra_models[analysis]


EXPECTED_PAIRS = [(a, m) for a in TOYS["expected"]["analyses"] for m in TOYS["expected"]["models"] if computes(a, m)]
TOY_POINTS = {p["name"]: p for p in TOYS["coverage"]["points"] if computes(p["analysis"], p["model"])}


def check_toys():
    """Each analysis of the toys is a one-source Asimov Poisson family of the base, its models computed for it, and a
    coverage point lies at a report mass (where the spectra are tabulated)."""
    wanted = [("expected", a, m) for a in TOYS["expected"]["analyses"] for m in TOYS["expected"]["models"]]
    wanted += [(f"coverage.points.{p['name']}", p["analysis"], p["model"]) for p in TOYS["coverage"]["points"]]
    for where, analysis, model in wanted:
        family = BASE_SETUP.families.get(analysis)
        if family is None:
            parse_error(f"config key toys.{where}: {analysis!r} is not an analysis of the config")
        if family[0].statistic["kind"] != "asimov_poisson" or len(family[0].sources) != 1:
            parse_error(f"config key toys.{where}: {analysis!r} is not an Asimov Poisson analysis of one source")
        if model not in config["models"]:
            parse_error(f"config key toys.{where}: unknown model {model!r}; known: {sorted(config['models'])}")
    for point in TOYS["coverage"]["points"]:
        if point["m_MeV"] not in config["report_masses_MeV"]:
            parse_error(
                f"config key toys.coverage.points.{point['name']}.m_MeV: {point['m_MeV']} is not among "
                "report_masses_MeV"
            )
    for kind in ("expected", "coverage"):
        if TOYS[kind]["toys_per_chunk"] % TOYS["block"]:
            parse_error(
                f"config key toys.{kind}.toys_per_chunk: {TOYS[kind]['toys_per_chunk']} is not a multiple of "
                f"toys.block ({TOYS['block']})"
            )
    if len({p["name"] for p in TOYS["coverage"]["points"]}) != len(TOYS["coverage"]["points"]):
        parse_error("config key toys.coverage.points: two points share a name")


check_toys()

DATA_TOYS = TOYS["coverage"]["data"]
DATA_TOY_RELEASES = {"xenonnt_2024": XENONNT_2024_FILES}
"""The data releases whose statistical model draws toys (astrocevns.data_toys), with the files of their subset."""
DATA_TOY_POINTS = {p["name"]: p for p in DATA_TOYS["points"] if p["analysis"] in DATA_RELEASES}


def check_data_toys():
    """A data point names a data release whose model draws toys and a model of the config; its name is unique
    among all coverage points."""
    for point in DATA_TOYS["points"]:
        where = f"config key toys.coverage.data.points.{point['name']}"
        if point["analysis"] not in DATA_TOY_RELEASES:
            parse_error(f"{where}.analysis: {point['analysis']!r}; toys are drawn for {sorted(DATA_TOY_RELEASES)}")
        if point["model"] not in config["models"]:
            parse_error(f"{where}.model: unknown model {point['model']!r}; known: {sorted(config['models'])}")
    names = [p["name"] for p in TOYS["coverage"]["points"] + DATA_TOYS["points"]]
    if len(set(names)) != len(names):
        parse_error("config key toys.coverage: two points (of points and data.points) share a name")
    if DATA_TOYS["toys_per_chunk"] % TOYS["block"]:
        parse_error(
            f"config key toys.coverage.data.toys_per_chunk: {DATA_TOYS['toys_per_chunk']} is not a multiple of "
            f"toys.block ({TOYS['block']})"
        )


check_data_toys()


def data_toy_inputs(wildcards):
    name = DATA_TOY_POINTS[wildcards.point]["analysis"]
    return data_release_inputs(name, DATA_TOY_RELEASES[name])


def data_toy_params(wildcards):
    point = DATA_TOY_POINTS[wildcards.point]
    return {
        **data_release_params(point["analysis"], False, point["model"]),
        "release": point["analysis"],
        "point": plain(point),
        "toys": plain(
            {k: TOYS[k] for k in ("seed", "block")} | {"run": {k: v for k, v in DATA_TOYS.items() if k != "points"}}
        ),
    }


def toy_spectra(analysis, model):
    return [spectra_path(BASE_SETUP, key) for key in family_spectra_keys(BASE_SETUP, analysis, [model])]


def toy_params(analysis, model, kind):
    return {
        "family": family_spec("", analysis, [model]),
        "toys": plain({k: v for k, v in TOYS.items() if k in ("seed", "block", "g_points")} | {"run": TOYS[kind]}),
        "report_masses_MeV": config["report_masses_MeV"],
        "grid_m": config["grid"]["m_MeV"],
    }
