"""The one place that validates a configuration: renamed keys, YAML keys, the JSON schema (with its defaults),
the checks a schema cannot make (:func:`astrocevns.pipeline.config.check_config`) and the cross checks of the parts of a
run (data releases, scans, toys, figures).

:func:`validate` runs on the base configuration when the workflow is parsed, :func:`check_variant` on each
variant's merged configuration (:class:`astrocevns.pipeline.plan.Plan`); both raise :class:`ConfigError` naming the key
(and the file or row), before any job starts.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..datasets import recasting
from ..errors import ConfigError, InputError
from ..inference import kinds
from ..inference.analyses import expand_analyses, families
from ..presentation import figures
from . import variants
from .config import check_config, check_keys, schema_validator

RENAMED_KEYS = {"mediators": "models_computed"}
"""{old config key: its new name}: an old key stops the run with a message naming the new one."""


def _load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.lru_cache(maxsize=8)
def _validator(schema_path: str, defaults: bool) -> Any:
    """The validator of the schema at ``schema_path``, compiled once (the variants' checks share it)."""
    validator = schema_validator(_load_yaml(Path(schema_path)))
    return _with_defaults(type(validator))(validator.schema) if defaults else validator


def _with_defaults(validator_class: Any) -> Any:
    """``validator_class`` that also fills in every property's ``default`` (as Snakemake's ``validate`` does)."""
    import jsonschema

    check_properties = validator_class.VALIDATORS["properties"]

    def properties(validator: Any, spec: Mapping, instance: Any, schema: Mapping) -> Any:
        if isinstance(instance, dict):
            for name, subschema in spec.items():
                if "default" in subschema:
                    instance.setdefault(name, subschema["default"])
        yield from check_properties(validator, spec, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": properties})


def schema_check(config: Any, schema_path: str | Path, where: str = "config", defaults: bool = True) -> None:
    """Validate ``config`` against the JSON schema at ``schema_path`` (an integer is a Python int), filling in
    the schema's defaults; ConfigError naming the key."""
    import jsonschema

    try:
        _validator(str(Path(schema_path).resolve()), defaults).validate(config)
    except jsonschema.ValidationError as error:
        key = ".".join(str(part) for part in error.absolute_path)
        instance = "".join(f"[{part!r}]" for part in error.absolute_path)
        prefix = "config key" if where == "config" else f"{where}: key"
        raise ConfigError(f"{prefix} {key or '(top level)'}: {error.message} (on instance{instance})") from None


def check_renamed(config: Mapping, where: str = "config key ") -> None:
    """ConfigError for a key that was renamed (:data:`RENAMED_KEYS`), naming its new name; ``where`` prefixes
    the key in the message."""
    for old, new in RENAMED_KEYS.items():
        if old in config:
            raise ConfigError(
                f"{where}{old}: the key is now called {new!r} (the models computed for every "
                f"analysis); write {new}: {config[old]!r} instead"
            )


def check_data_releases(config: Mapping, root: str | Path) -> None:
    """Every data-release section present: its source of the right kind (the releases' :class:`WorkflowNeeds`),
    and its release subset unmodified (checksums)."""
    for name in recasting.DATA_RELEASES:
        section = config.get(name)
        if not section:
            continue
        needs = recasting.release_analysis(name).WORKFLOW
        source = needs.source(section)
        if source is not None and config["sources"].get(source, {}).get("kind") != needs.source_kind:
            raise ConfigError(
                f"config key {name}.{needs.source_key}: {source!r} is not a {needs.source_kind} source "
                "of the config (the neutrinos whose CEvNS the release sees)"
            )
        for target in needs.target_names(section, config["targets"]):
            if target not in config["targets"]:
                raise ConfigError(f"config key {name}: unknown target {target!r}; known: {sorted(config['targets'])}")
        try:  # a missing, modified or corrupted file of the release stops the run here, naming the file
            needs.verify(Path(root) / section["data"])
        except InputError as error:
            raise ConfigError(f"config key {name}.data: {error}") from None


def check_combination(config: Mapping) -> None:
    """The ``combined_data`` section: at least two data analyses of the config that fit no data in common
    (:attr:`astrocevns.datasets.recasting.WorkflowNeeds.data_sets`), flux groups of its members, each member in one
    group
    at most."""
    section = config.get("combined_data")
    if not section:
        return
    members = section["members"]
    for axis, spec in section.get("grid", {}).items():
        if spec["min"] >= spec["max"]:
            raise ConfigError(
                f"config key combined_data.grid.{axis}: min = {spec['min']} must be below max = {spec['max']}"
            )
    for member in members:
        if member not in recasting.DATA_RELEASES or not config.get(member):
            present = [name for name in recasting.DATA_RELEASES if config.get(name)]
            raise ConfigError(
                f"config key combined_data.members: {member!r} is not a data analysis of the config; present: {present}"
            )
    if len(set(members)) != len(members) or len(members) < 2:
        raise ConfigError(f"config key combined_data.members: {members} are not two or more distinct analyses")
    seen: dict[str, str] = {}
    for member in members:
        for data in recasting.release_analysis(member).WORKFLOW.data_sets:
            if data in seen:
                raise ConfigError(
                    f"config key combined_data.members: {seen[data]} and {member} both fit {data}; "
                    "their likelihoods are not independent (keep one)"
                )
            seen[data] = member
    grouped: set[str] = set()
    for name, group in section["shared_flux"].items():
        for member in group["members"]:
            if member not in members:
                raise ConfigError(
                    f"config key combined_data.shared_flux.{name}.members: {member!r} is not among "
                    f"combined_data.members {members}"
                )
            if member in grouped:
                raise ConfigError(f"config key combined_data.shared_flux.{name}.members: {member!r} is in two groups")
            grouped.add(member)


def check_scans(config: Mapping) -> None:
    """A scan's report masses are among the report masses; its values give valid variants."""
    for name, scan in config["scans"].items():
        outside = sorted(set(scan["report_masses_MeV"]) - set(config["report_masses_MeV"]))
        if outside:
            raise ConfigError(f"config key scans.{name}.report_masses_MeV: {outside} are not among report_masses_MeV")
        variants.scan_variants({name: scan}, config)
    variants.check_listed_analyses("deviation_ledger.analyses", config["deviation_ledger"]["analyses"], config)
    check_ledger_methods(config)


def check_ledger_methods(config: Mapping) -> None:
    """Both analyses of each ``deviation_ledger.methods`` pair are computed by the base configuration: one of its
    ``analyses`` or the analysis of a data release it configures (``<section>/<section>``)."""
    data_analyses = [recasting.release_analysis(name).ANALYSIS for name in recasting.DATA_RELEASES if config.get(name)]
    known = [*config["analyses"], *data_analyses]
    for alternative, paper in config["deviation_ledger"].get("methods", {}).items():
        for role, analysis in (("", alternative), (f".{alternative}", paper)):
            if analysis not in known:
                raise ConfigError(
                    f"config key deviation_ledger.methods{role}: unknown analysis {analysis!r}; "
                    f"known: {', '.join(known)}"
                )


DATA_TOY_RELEASES = ("xenonnt_2024",)
"""The data releases whose statistical model draws toys (astrocevns.datasets.data_toys)."""


def check_toys(config: Mapping) -> None:
    """Each analysis of the toys is a one-source Asimov Poisson family of the config, its models known, a coverage
    point lies at a report mass (where the spectra are tabulated), and the chunks hold whole blocks."""
    toys = config["toys"]
    base = families(
        expand_analyses(config["analyses"], config["detectors"], config["statistics"]["normalisation_uncertainty"])
    )
    wanted = [("expected", a, m) for a in toys["expected"]["analyses"] for m in toys["expected"]["models"]]
    wanted += [(f"coverage.points.{p['name']}", p["analysis"], p["model"]) for p in toys["coverage"]["points"]]
    for where, analysis, model in wanted:
        family = base.get(analysis)
        if family is None:
            raise ConfigError(f"config key toys.{where}: {analysis!r} is not an analysis of the config")
        if not kinds.get(family[0].statistic["kind"]).asimov_data or len(family[0].sources) != 1:
            raise ConfigError(f"config key toys.{where}: {analysis!r} is not an Asimov Poisson analysis of one source")
        if model not in config["models"]:
            raise ConfigError(f"config key toys.{where}: unknown model {model!r}; known: {sorted(config['models'])}")
    for point in toys["coverage"]["points"]:
        if point["m_MeV"] not in config["report_masses_MeV"]:
            raise ConfigError(
                f"config key toys.coverage.points.{point['name']}.m_MeV: {point['m_MeV']} is not among "
                "report_masses_MeV"
            )
    for kind in ("expected", "coverage"):
        if toys[kind]["toys_per_chunk"] % toys["block"]:
            raise ConfigError(
                f"config key toys.{kind}.toys_per_chunk: {toys[kind]['toys_per_chunk']} is not a "
                f"multiple of toys.block ({toys['block']})"
            )
    data = toys["coverage"]["data"]
    for point in data["points"]:
        where = f"config key toys.coverage.data.points.{point['name']}"
        if point["analysis"] not in DATA_TOY_RELEASES:
            raise ConfigError(f"{where}.analysis: {point['analysis']!r}; toys are drawn for {list(DATA_TOY_RELEASES)}")
        if point["model"] not in config["models"]:
            raise ConfigError(f"{where}.model: unknown model {point['model']!r}; known: {sorted(config['models'])}")
    names = [p["name"] for p in toys["coverage"]["points"] + data["points"]]
    if len(set(names)) != len(names):
        raise ConfigError("config key toys.coverage: two points (of points and data.points) share a name")
    if data["points"] and data["toys_per_chunk"] % toys["block"]:
        raise ConfigError(
            f"config key toys.coverage.data.toys_per_chunk: {data['toys_per_chunk']} is not a multiple "
            f"of toys.block ({toys['block']})"
        )


def validate(config: dict, root: str | Path, schema: str | Path = "config/schema.yaml") -> dict:
    """Validate the base configuration in place (the schema's defaults filled in) and return it.

    Checks, in order: renamed keys, keys that YAML did not read as strings, the schema, the checks of
    :func:`astrocevns.pipeline.config.check_config` (which reads every input file once), the data releases, the scans
    and the toys.
    """
    check_renamed(config)
    check_keys(config)  # a YAML 1.1 boolean (off, yes) or a number as a key, before anything sorts the keys
    schema_check(config, Path(root) / schema)
    check_config(config, root=root)
    check_data_releases(config, root)
    check_combination(config)
    check_scans(config)
    check_toys(config)
    return config


def load_figures(config: Mapping, root: str | Path, schema: str | Path = "config/figures.schema.yaml") -> dict:
    """The figures' descriptions (``figures.description``), validated against their schema (defaults filled
    in) and checked against the configuration (:func:`astrocevns.presentation.figures.check_figures`)."""
    path = Path(root) / config["figures"]["description"]
    try:
        descriptions = _load_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"config key figures.description: {path}: {error}") from None
    schema_check(descriptions, Path(root) / schema, where=str(config["figures"]["description"]))
    sigmas = config["statistics"]["normalisation_uncertainty"]
    figures.check_figures(descriptions, config, expand_analyses(config["analyses"], config["detectors"], sigmas))
    return descriptions


def load_ledger(config: Mapping, root: str | Path) -> dict[str, dict]:
    """{variant: overlay} of the deviation ledger from the paper-literal overlay (``deviation_ledger.overlay``)."""
    overlay = config["deviation_ledger"]["overlay"]
    paper_literal = _load_yaml(Path(root) / overlay) or {}
    check_keys(paper_literal, f"deviation_ledger.overlay ({overlay})")
    check_renamed(paper_literal, f"deviation_ledger.overlay ({overlay}): key ")
    return variants.ledger_variants(paper_literal, config)


def check_variant(
    name: str, overlay: Mapping, merged: dict, root: str | Path, schema: str | Path = "config/schema.yaml"
) -> None:
    """A variant's overlay changes no fixed key, and its merged configuration passes the base's checks (the base,
    validated first, carries the schema's defaults); ConfigError naming the variant."""
    try:
        check_renamed(overlay, f"config key variants.{name}.")
        variants.check_overlay(name, overlay)
        schema_check(merged, Path(root) / schema, defaults=False)
        check_config(merged, root=root)
    except ConfigError as error:
        raise ConfigError(f"variant {name}: {error}") from None
