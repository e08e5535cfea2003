# The configuration validated (astrocevns.pipeline.validation), the plan of the run (astrocevns.pipeline.plan: every configuration,
# its jobs and which of them variants share), and the input functions of the rules, which name the files of a job
# from the plan. Rules are written once for a path prefix {root}: results/ for the base configuration,
# results/variants/{variant}/ for a variant; a job a variant shares with an earlier configuration (the base first)
# is read from there (resolved_root).

import re
from pathlib import Path

from astrocevns.errors import ConfigError
from astrocevns.pipeline import memory, validation, variants
from astrocevns.pipeline.plan import BASE, ROOT_PATTERN, Plan, efficiency_path, grid_points, keys_by_value, plain
from astrocevns.pipeline.plan import core_spec, kernel_spec, mass_spec, oscillation_spec, rates_spec
from astrocevns.presentation import figures


def parse_error(error):
    raise WorkflowError(str(error)) from None


ROOT_DIR = Path(workflow.basedir)
try:
    validation.validate(config, ROOT_DIR)
    FIGURE_DESCRIPTIONS = validation.load_figures(config, ROOT_DIR)
    PLAN = Plan(
        config,
        FIGURE_DESCRIPTIONS,
        validation.load_ledger(config, ROOT_DIR),
        check_variant=lambda name, overlay, merged: validation.check_variant(name, overlay, merged, ROOT_DIR),
    )
except ConfigError as error:
    parse_error(error)
BASE_SETUP, SETUPS, SCANS, LEDGER = PLAN.base, PLAN.setups, PLAN.scans, PLAN.ledger
for name in sorted(set(FIGURE_DESCRIPTIONS) - set(BASE_SETUP.figures), key=lambda n: int(n[3:])):
    logger.warning(
        f"{name} is not built: none of its panels {FIGURE_DESCRIPTIONS[name]['panels']} is among "
        f"the models computed {BASE_SETUP.panel_models()}"
    )
for message in PLAN.unshared_data_warnings():
    logger.warning(message)

# wildcard values of every configuration
FIGURE_NUMBERS = sorted(int(name[3:]) for name in BASE_SETUP.figures)
MODELS = BASE_SETUP.models
SPECTRA_MODELS = PLAN.spectra_models  # every model a spectra job writes (variants cannot add one)
SOURCES = sorted({s for setup in SETUPS.values() for s in setup.sources})
DETECTORS = sorted({d for setup in SETUPS.values() for d in setup.detectors})
MEDIATORS = BASE_SETUP.mediators  # mediator types: the core and rate tables
# one chi2 rule per set of added models, one spectra rule per list of efficiencies (outputs cannot depend on wildcards)
FAMILIES_BY_ADDED_MODELS = keys_by_value(PLAN.family_extra_models)
DETECTORS_BY_EFFICIENCIES = keys_by_value(PLAN.detector_efficiencies)
FAMILY_PATTERN = "|".join(
    re.escape(name) for name in sorted({f for setup in SETUPS.values() for f in setup.families}, key=len, reverse=True)
)
DATA_RELEASES = list(PLAN.data_releases)  # the data analyses present (rule data_analysis), by config section
DATA_ANALYSES = PLAN.data_analyses  # their families, "<section>/<section>"
VALIDATED_RELEASES = PLAN.validated_releases()  # those with a validation table


def setup_of(wildcards):
    """The Setup of the configuration a job belongs to (from its {root} wildcard)."""
    return PLAN.setup_of_root(wildcards.root)


resolved_root = PLAN.resolved_root


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


def efficiencies_params(wildcards):
    """[name, table or None] of each efficiency of a spectra job's detector, in the order of its outputs."""
    cfg = setup_of(wildcards).config
    return [[name, efficiency_path(cfg, name)] for name in PLAN.detector_efficiencies[wildcards.detector]]


def efficiency_files(wildcards):
    """The efficiency tables of a spectra job's detector (none for 'ideal')."""
    return [path for _, path in efficiencies_params(wildcards) if path is not None]


def source_flux(wildcards):
    """The fluence table of a job's source (for spectra and rates), where it is computed."""
    setup = setup_of(wildcards)
    return f"{resolved_root('fluxes', setup.name, wildcards.source)}/fluxes/{wildcards.source}.parquet"


def kernel_params(wildcards):
    return kernel_spec(setup_of(wildcards).config, wildcards.detector)


def mass_params(wildcards):
    return mass_spec(setup_of(wildcards).config)


def spectra_models_params(wildcards):
    return PLAN.spectra_models_spec(setup_of(wildcards).config)


def event_count_kernels(wildcards):
    """The kernels of every astrophysical source in every detector that sees it."""
    setup = setup_of(wildcards)
    return [PLAN.spectra_path(setup, (None, *key), "kernels") for key in setup.event_count_keys()]


def job_models(wildcards):
    """The models of a chi2 job: those of every analysis, then the ones its family adds."""
    return setup_of(wildcards).family_models(wildcards.family)


def spectra_of_family(wildcards):
    """The spectra tables of a family, in the order of Setup.family_spectra_keys."""
    setup = setup_of(wildcards)
    keys = setup.family_spectra_keys(wildcards.family, job_models(wildcards))
    return [PLAN.spectra_path(setup, key) for key in keys]


def statistic_files(wildcards):
    """The input files of a family's statistic by name (an event ceiling's efficiency table and WIMP limit)."""
    return setup_of(wildcards).statistic_files(wildcards.family)


def family_params(wildcards):
    return PLAN.family_spec(setup_of(wildcards).name, wildcards.family, job_models(wildcards))


def analysis_tables(wildcards, kind):
    """The ``kind`` tables (bounds, intervals) of every family of a configuration and of the data analyses."""
    return PLAN.analysis_tables(setup_of(wildcards), kind)


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


def external_limit_files(cfg, description):
    """The external-bound files listed for a figure that are present (the others are skipped with a log line)."""
    if "external_limits" not in description:
        return []
    limits = cfg["external_limits"]
    paths = [f"{limits['directory']}/{name}.csv" for name in limits[description["external_limits"]]]
    return [path for path in paths if Path(path).is_file()]


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
    models = PLAN.figure_models(setup, description)
    layers = figures.drawn_layers(description, PLAN.drawable_analyses(setup))
    core_types = dict.fromkeys(setup.config["models"][model]["mediator"] for model in models)
    return {
        "edges": PLAN.family_tables(
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
        models = PLAN.figure_models(setup, description)
        drawable = PLAN.drawable_analyses(setup)
        labels |= {
            "cl": statistics["cl"],
            "grid": cfg["grid"],
            "panels": [{"model": m, **cfg["models"][m]} for m in models],
            "analyses": figures.required_analyses(description, drawable),
            "skipped": figures.skipped_layers(description, drawable),
            "expected_bands": bool(cfg["figures"].get("expected_bands")),
        }
        if "external_limits" in description:
            labels["external_listed"] = cfg["external_limits"][description["external_limits"]]
    return figures.FigureParams(plain({"name": f"fig{wildcards.number}", "description": description, **labels}))


def figure_labels(wildcards):
    """The report's label of a figure: its number, zero-padded so that the report lists the figures in order."""
    return {"figure": f"Fig. {int(wildcards.number):02d}"}


def figure_memory_mb(wildcards):
    """Memory of a figure job (astrocevns.pipeline.memory): the core map of fig. 1 is the one grid a figure reads."""
    setup, description = figure_setup(wildcards)
    grids = memory.FIGURE_GRIDS if description["kind"] == "core" else 0
    return memory.figure_job_mb(grid_points(setup.config), grids)


def chi2_memory_mb(wildcards):
    """Memory of a chi2 job (astrocevns.pipeline.memory): the grid evaluated 64 couplings at a time, and its tables."""
    setup = setup_of(wildcards)
    grid = setup.config["grid"]
    analyses = setup.families[wildcards.family]
    bins = [memory.detector_bins(setup.config, detector) for detector, _ in analyses[0].members]
    return memory.chi2_job_mb(grid["g"]["n"], grid["m_MeV"]["n"], len(analyses), bins)


def core_memory_mb(wildcards):
    """Memory of a core job (astrocevns.pipeline.memory)."""
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
    return PLAN.tables_of(setup)


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


def claims_config(wildcards):
    """The settings config/claims.yaml reads (detectors, sources, statistics, recoil bins, core), as plain data."""
    keys = ("detectors", "sources", "statistics", "recoil_bins", "core")
    return plain({key: BASE_SETUP.config[key] for key in keys})


# ---- the data analyses (rules/data_analyses.smk): every release of astrocevns.datasets.recasting.DATA_RELEASES present ----


def data_analysis_inputs(wildcards):
    """The files of the release subset and, if the release reads one, the fluence of its source."""
    return PLAN.data_release_inputs(wildcards.release)


def data_analysis_params(wildcards):
    """Only what the data analysis of ``release`` for ``model`` depends on (its validation: without a model)."""
    return PLAN.data_release_params(wildcards.release, getattr(wildcards, "model", None))


def data_analysis_memory_mb(wildcards):
    """Memory of a data-analysis job, by the release's own model of it (its recast module's WORKFLOW)."""
    return PLAN.data_memory_mb(wildcards.release)


def combined_data_inputs(wildcards):
    """The input files of every member of the combination, named ``<member>__<input>``."""
    return PLAN.combined_inputs()


def combined_data_params(wildcards):
    return PLAN.combined_params(wildcards.model)


def combined_data_memory_mb(wildcards):
    return PLAN.combined_memory_mb()


# ---- pseudo-experiments (rules/toys.smk; checked by astrocevns.pipeline.validation.check_toys) ----

TOYS = config["toys"]


def computes(family, model):
    """Whether the base configuration computes ``model`` for ``family`` (the toys of the others are left out)."""
    return family in BASE_SETUP.families and BASE_SETUP.has_tables(model, family)


EXPECTED_PAIRS = [(a, m) for a in TOYS["expected"]["analyses"] for m in TOYS["expected"]["models"] if computes(a, m)]
TOY_POINTS = {p["name"]: p for p in TOYS["coverage"]["points"] if computes(p["analysis"], p["model"])}


def toy_spectra(family, model):
    return [PLAN.spectra_path(BASE_SETUP, key) for key in BASE_SETUP.family_spectra_keys(family, [model])]


DATA_TOYS = TOYS["coverage"]["data"]
DATA_TOY_POINTS = {p["name"]: p for p in DATA_TOYS["points"] if p["analysis"] in DATA_RELEASES}
"""The coverage points of data analyses (astrocevns.datasets.data_toys) whose release the config computes."""


def data_toy_inputs(wildcards):
    return PLAN.data_release_inputs(DATA_TOY_POINTS[wildcards.point]["analysis"])


def data_toy_params(wildcards):
    point = DATA_TOY_POINTS[wildcards.point]
    return {
        **PLAN.data_release_params(point["analysis"], point["model"]),
        "release": point["analysis"],
        "point": plain(point),
        "toys": plain(
            {k: TOYS[k] for k in ("seed", "block")} | {"run": {k: v for k, v in DATA_TOYS.items() if k != "points"}}
        ),
    }


def data_toy_memory_mb(wildcards):
    return PLAN.data_memory_mb(DATA_TOY_POINTS[wildcards.point]["analysis"])


def toy_params(family, model, kind):
    return {
        "family": PLAN.family_spec("", family, [model]),
        "toys": plain({k: v for k, v in TOYS.items() if k in ("seed", "block", "g_points")} | {"run": TOYS[kind]}),
        "report_masses_MeV": config["report_masses_MeV"],
        "grid_m": config["grid"]["m_MeV"],
    }
