"""The plan of a run: every configuration it computes, the jobs each needs, and which jobs they share.

The workflow computes the base configuration under ``results/`` and every variant (a named overlay, a value
of a scan, a key of the deviation ledger) under ``results/variants/{variant}/`` with the same layout. A job
of a variant whose parameters and inputs equal those of the same job in an earlier configuration (the base
first) is not run again: its consumers read the earlier one's table (:meth:`Plan.resolved_root`). A job's
*identity* is the canonical string of what it depends on (the ``*_spec`` functions below, and the identities
of the jobs it reads); two configurations share a job where its identities are equal.

Everything here is a pure function of the configuration (validated by :func:`astrocevns.pipeline.validation.validate`
first): the rules of the workflow name their files from it (``workflow/rules/common.smk``), and the tests
check the sharing of jobs through it (``tests/test_plan.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..datasets import recasting
from ..errors import ConfigError
from ..inference import kinds
from ..inference.analyses import BEAM_KINDS, Analysis, expand_analyses, families, sees
from ..physics.builders import composition
from ..presentation import figures
from . import variants

BASE = "results"
ROOT_PATTERN = rf"{BASE}(/variants/[A-Za-z0-9_.+-]+)?"
COMBINED = "combined_data"
"""The config section of the combination of data analyses (astrocevns.datasets.combination)."""
COMBINED_FAMILY = f"{COMBINED}/{COMBINED}"
"""The {root} of a job: ``results`` or ``results/variants/<name>``."""
ALL_TABLES = ("event_counts", "bounds", "core_bounds")
"""The tables of the base configuration and of a named variant (results/.../tables/*.csv)."""
SCAN_TABLES = ("bounds",)
LEDGER_TABLES = ("bounds", "core_bounds")


def plain(value: Any) -> Any:
    """A config fragment as plain, key-sorted JSON types, so that params compare exactly."""
    return json.loads(json.dumps(value, sort_keys=True))


class Setup:
    """One configuration: its config and what the rules derive from it (analyses, families, figures).

    Parameters
    ----------
    name : str
        "" for the base configuration, else the variant's name.
    cfg : dict
        The validated configuration (defaults filled in).
    descriptions : dict
        The figures' descriptions (config/figures.yaml).
    analyses : list of str, optional
        The families it computes (a scan's); all of the config's by default.
    with_figures : bool
    tables : tuple of str
        The tables it writes (:data:`ALL_TABLES`, :data:`SCAN_TABLES`, :data:`LEDGER_TABLES`).
    """

    def __init__(
        self,
        name: str,
        cfg: dict,
        descriptions: Mapping[str, Mapping],
        analyses: Sequence[str] | None = None,
        with_figures: bool = False,
        tables: Sequence[str] = ALL_TABLES,
    ) -> None:
        self.name, self.config, self.tables = name, cfg, tuple(tables)
        self.root = BASE if not name else f"{BASE}/variants/{name}"
        self.sources = sorted(cfg["sources"])
        self.detectors = sorted(cfg["detectors"])
        self.models = list(cfg["models_computed"])  # the models computed for every analysis
        self.mediators = list(dict.fromkeys(cfg["models"][model]["mediator"] for model in self.models))  # their types
        expanded = expand_analyses(cfg["analyses"], cfg["detectors"], cfg["statistics"]["normalisation_uncertainty"])
        self.analyses: dict[str, Analysis] = {
            n: a for n, a in expanded.items() if analyses is None or a.family in analyses
        }
        self.families = families(self.analyses)
        # models an analysis adds to those of every analysis (its 'models'), computed by the family's chi2 job
        self.extra_models = {
            family: [m for m in cfg["analyses"][family].get("models", []) if m not in self.models]
            for family in self.families
        }
        self.figures = figures.buildable(descriptions, self.panel_models()) if with_figures else {}

    def panel_models(self) -> list[str]:
        """The models whose tables exist for at least one analysis: those of every analysis and the added ones."""
        return list(dict.fromkeys(self.models + [m for models in self.extra_models.values() for m in models]))

    def has_tables(self, model: str, family: str) -> bool:
        return model in self.models or model in self.extra_models.get(family, [])

    def family_models(self, family: str) -> list[str]:
        """The models of a family's chi2 job: those of every analysis, then the ones the family adds."""
        return self.models + self.extra_models[family]

    def detector_efficiency_pairs(self) -> list[tuple[str, str]]:
        """(detector, efficiency) for every efficiency each detector lists."""
        return [(d, e) for d in self.detectors for e in self.config["detectors"][d]["efficiencies"]]

    def family_spectra_keys(self, family: str, models: Sequence[str]) -> list[tuple[str, str, str, str]]:
        """(model, source, detector, efficiency) of every spectra table the analyses of ``family`` read, once
        each."""
        keys = [
            (model, source, detector, efficiency)
            for model in models
            for analysis in self.families[family]
            for source in analysis.sources
            for detector, efficiency in analysis.members
        ]
        return list(dict.fromkeys(keys))

    def event_count_keys(self) -> list[tuple[str, str, str]]:
        """(source, detector, efficiency) of every astrophysical source in every detector that sees it: the
        kernels of the event-count table."""
        cfg = self.config
        return [
            (source, detector, efficiency)
            for source in self.sources
            if cfg["sources"][source]["kind"] not in BEAM_KINDS  # the paper's astrophysical sources
            for detector, efficiency in self.detector_efficiency_pairs()
            if sees(cfg["sources"], source, detector)
        ]

    def statistic_files(self, family: str) -> dict[str, list[str]]:
        """The input files of a family's statistic by name (an event ceiling's efficiency table and WIMP limit;
        see :meth:`astrocevns.inference.kinds.base.Kind.input_files`)."""
        analysis = self.families[family][0]
        kind = kinds.get(analysis.statistic["kind"])
        efficiency = efficiency_path(self.config, analysis.members[0][1]) if kind.efficiency_table else None
        return kind.input_files(analysis.statistic, efficiency)


# ---- what each job depends on (its identity, besides the identities of the jobs it reads) ----


def keys_by_value(mapping: Mapping[str, Any]) -> dict[Any, list[str]]:
    """{value: the keys of ``mapping`` with that value, sorted}: one rule per value (e.g. per list of outputs)."""
    grouped: dict[Any, list[str]] = {}
    for key, value in sorted(mapping.items()):
        grouped.setdefault(value, []).append(key)
    return grouped


def uses_solar_msw(cfg: Mapping, source: str) -> bool:
    """Whether a source has solar components, whose flavours at the Earth depend on the oscillation parameters."""
    return any("solar_msw" in entry for entry in cfg["sources"][source].get("components", {}).values())


def oscillation_spec(cfg: Mapping, source: str) -> Any:
    return plain(cfg["oscillations"]) if uses_solar_msw(cfg, source) else None


def flux_spec(cfg: Mapping, source: str) -> list | None:
    """What the fluence table of one source depends on: its section and, for solar components, the oscillations."""
    if source not in cfg["sources"]:
        return None
    return [plain(cfg["sources"][source]), oscillation_spec(cfg, source)]


def kernel_spec(cfg: Mapping, detector: str) -> Any:
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


def mass_spec(cfg: Mapping) -> Any:
    return plain({"grid": cfg["grid"]["m_MeV"], "report": cfg["report_masses_MeV"]})


def efficiency_path(cfg: Mapping, efficiency: str) -> str | None:
    return None if efficiency == "ideal" else cfg["efficiencies"][efficiency]


def core_spec(cfg: Mapping) -> Any:
    return plain(
        {
            "core": cfg["core"],
            "grid": cfg["grid"],
            "report_masses_MeV": cfg["report_masses_MeV"],
            "bounds": cfg["bounds"],
        }
    )


def rates_spec(cfg: Mapping, source: str) -> Any:
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
            "mediators": list(dict.fromkeys(cfg["models"][model]["mediator"] for model in cfg["models_computed"])),
        }
    )


def grid_points(cfg: Mapping) -> int:
    """The (g, m) points of a configuration's grid."""
    return cfg["grid"]["g"]["n"] * cfg["grid"]["m_MeV"]["n"]


def combination_grid(cfg: Mapping) -> dict[str, Any]:
    """The (g, m) grid of the combination of data analyses: ``combined_data.grid``'s axes where given, else the
    configuration's."""
    return {**cfg["grid"], **(cfg.get(COMBINED) or {}).get("grid", {})}


class Plan:
    """Every configuration of a run and where each of their jobs runs.

    Parameters
    ----------
    config : dict
        The base configuration, validated (:func:`astrocevns.pipeline.validation.validate`).
    descriptions : dict
        The figures' descriptions (config/figures.yaml).
    ledger : dict
        {variant: overlay} of the deviation ledger (:func:`astrocevns.pipeline.variants.ledger_variants`).
    check_variant : callable, optional
        ``check_variant(name, overlay, merged_config)`` validates a variant's configuration (raising
        :class:`astrocevns.errors.ConfigError`); :func:`astrocevns.pipeline.validation.check_variant` in the workflow.
    """

    def __init__(
        self,
        config: dict,
        descriptions: Mapping[str, Mapping],
        ledger: Mapping[str, dict],
        check_variant: Callable[[str, Mapping, dict], None] | None = None,
    ) -> None:
        self.config, self.descriptions, self.ledger = config, descriptions, dict(ledger)
        self._check_variant = check_variant
        self.base = Setup("", config, descriptions, with_figures=True)
        self.spectra_models = self.base.panel_models()  # every model a spectra job writes (variants cannot add one)
        self.data_releases = {name: config[name] for name in recasting.DATA_RELEASES if config.get(name)}
        """The config sections of the data analyses that are present, by section name."""
        self.data_analyses = [recasting.release_analysis(name).ANALYSIS for name in self.data_releases]
        """Analyses of real data computed by rule ``data_analysis`` (not ``analyses``); figures may draw them."""
        self.combination: dict[str, Any] = config.get(COMBINED) or {}
        """The ``combined_data`` section (rule combined_data), or empty."""
        self.data_families = self.data_analyses + ([COMBINED_FAMILY] if self.combination else [])
        """The families of real data: every data analysis and their combination; figures may draw them."""
        self.scans = {
            name: {**scan, "variants": variants.scan_variants({name: scan}, config)}
            for name, scan in config["scans"].items()
        }
        variants.one_namespace(
            {
                "variants": config["variants"],
                **{f"scans.{name}": scan["variants"] for name, scan in self.scans.items()},
                f"deviation_ledger.overlay ({config['deviation_ledger']['overlay']})": self.ledger,
            }
        )
        self.setups: dict[str, Setup] = {"": self.base}
        for name, overlay in config["variants"].items():
            self.setups[name] = self._variant(name, overlay)
        for scan in self.scans.values():
            for variant, overlay in scan["variants"].items():
                self.setups[variant] = self._variant(variant, overlay, scan["analyses"], SCAN_TABLES)
        for name, overlay in self.ledger.items():
            self.setups[name] = self._variant(name, overlay, config["deviation_ledger"]["analyses"], LEDGER_TABLES)
        self.names = list(self.setups)
        self.family_extra_models = self._same_everywhere(
            "analyses.{}.models", "the models {} adds", lambda setup: setup.extra_models
        )
        """{family: the models it adds}, one list for every configuration (they fix a chi2 job's outputs)."""
        self.detector_efficiencies = self._same_everywhere(
            "detectors.{}.efficiencies",
            "the efficiencies of {}",
            lambda setup: {d: setup.config["detectors"][d]["efficiencies"] for d in setup.detectors},
        )
        """{detector: its efficiencies}, one list for every configuration (they fix a spectra job's outputs)."""
        self._roots: dict[tuple, str] = {}

    def _same_everywhere(
        self, key: str, what: str, lists_of: Callable[[Setup], Mapping[str, Sequence[str]]]
    ) -> dict[str, tuple[str, ...]]:
        """{name: list} of ``lists_of(setup)``, which must be the same in every configuration where the name
        occurs: the outputs of a rule (``key`` and ``what`` name it in the error, ``{}`` standing for the name)."""
        lists: dict[str, tuple[str, ...]] = {}
        first: dict[str, str] = {}
        for name, setup in self.setups.items():
            for item, values in lists_of(setup).items():
                values = tuple(values)
                if lists.setdefault(item, values) != values:
                    raise ConfigError(
                        f"config key {f'variants.{name}.' if name else ''}{key.format(item)}: "
                        f"{what.format(item)} ({list(values)}) differ from those of configuration "
                        f"{first[item] or 'base'} ({list(lists[item])}); a variant cannot change them"
                    )
                first.setdefault(item, name)
        return lists

    def _variant(
        self, name: str, overlay: Mapping, analyses: Sequence[str] | None = None, tables: Sequence[str] = ALL_TABLES
    ) -> Setup:
        """The Setup of a variant: the overlay merged onto the base config, validated like the base."""
        cfg = variants.merged(self.config, overlay)
        if analyses is not None:  # a scan computes its analyses only
            cfg["analyses"] = {name: spec for name, spec in cfg["analyses"].items() if name in analyses}
        if self._check_variant is not None:
            self._check_variant(name, overlay, cfg)
        setup = Setup(name, cfg, self.descriptions, analyses, tables=tables, with_figures=analyses is None)
        added = sorted(set(setup.panel_models()) - set(self.spectra_models))
        if added:
            raise ConfigError(
                f"variant {name}: analyses add models {added} that the base configuration does not compute"
            )
        return setup

    def setup_of_root(self, root: str) -> Setup:
        """The Setup of the configuration whose results lie under ``root``."""
        return self.setups[root.removeprefix(BASE).removeprefix("/variants/")]

    # ---- identities ----

    def spectra_models_spec(self, cfg: Mapping) -> Any:
        """[name, definition] of every model a spectra job writes, in the order of its outputs."""
        return plain([[model, cfg["models"][model]] for model in self.spectra_models])

    def spectra_identity(self, name: str, source: str, detector: str) -> str | None:
        """The identity of the spectra job of (``source``, ``detector``): every efficiency of the detector."""
        cfg = self.setups[name].config
        if source not in cfg["sources"] or detector not in cfg["detectors"]:
            return None
        return variants.identity(
            [
                flux_spec(cfg, source),
                kernel_spec(cfg, detector),
                mass_spec(cfg),
                [efficiency_path(cfg, efficiency) for efficiency in self.detector_efficiencies[detector]],
                self.spectra_models_spec(cfg),
            ]
        )

    def family_spec(self, name: str, family: str, models: Sequence[str]) -> Any:
        """Only what the chi-squares of one family for ``models`` depend on (its variants differ only in their
        members)."""
        setup = self.setups[name]
        cfg = setup.config
        analyses = setup.families[family]
        analysis = analyses[0]
        kind = kinds.get(analysis.statistic["kind"])
        return plain(
            {
                "statistic": analysis.statistic,
                "spectra_keys": [list(key) for key in setup.family_spectra_keys(family, models)],
                "statistic_detector": cfg["detectors"][analysis.members[0][0]] if kind.detector_entry else None,
                "models": [
                    {
                        "name": model,
                        "mediator": cfg["models"][model]["mediator"],
                        "coupling": cfg["models"][model]["coupling"]["name"],
                    }
                    for model in models
                ],
                "sources": list(analysis.sources),
                "variants": [
                    {"name": variant.name, "members": [list(m) for m in variant.members]} for variant in analyses
                ],
                "sigma": dict(analysis.sigma_by_source),
                "grid_g": cfg["grid"]["g"],
                "statistics": {
                    "cl": cfg["statistics"]["cl"],
                    "dof": cfg["statistics"]["dof"],
                    # where the prior goes matters only where detectors share a pull
                    "pull_prior": cfg["statistics"]["pull_prior"]
                    if any(len(a.members) > 1 for a in analyses)
                    else "shared",
                },
                "bounds": cfg["bounds"],
            }
        )

    def family_identity(self, name: str, family: str) -> str | None:
        setup = self.setups[name]
        if family not in setup.families:
            return None
        listed = setup.family_models(family)
        jobs = dict.fromkeys(key[1:3] for key in setup.family_spectra_keys(family, listed))
        spectra = [self.spectra_identity(name, *job) for job in jobs]
        return variants.identity([self.family_spec(name, family, listed), spectra, setup.statistic_files(family)])

    def identity(self, stage: str, name: str, *key: str) -> str | None:
        """The identity of job ``stage`` (fluxes, spectra, chi2, core, rates) for ``key`` (spectra: source and
        detector) in configuration ``name``; None where it has no such job."""
        cfg = self.setups[name].config
        if stage == "fluxes":
            return variants.identity(flux_spec(cfg, *key))
        if stage == "spectra":
            return self.spectra_identity(name, *key)
        if stage == "chi2":
            return self.family_identity(name, *key)
        if stage == "core":
            return variants.identity(core_spec(cfg))
        if stage == "rates":
            return variants.identity([flux_spec(cfg, *key), rates_spec(cfg, *key)])
        raise KeyError(f"no job stage {stage!r}")

    def resolved_root(self, stage: str, name: str, *key: str) -> str:
        """The root of the first configuration (the base first) whose job ``stage`` for ``key`` is identical to
        that of configuration ``name``: the job runs there once and every configuration reads it."""
        cache_key = (stage, name, *key)
        if cache_key not in self._roots:
            first = variants.first_with_identity(self.names, lambda n: self.identity(stage, n, *key), name)
            self._roots[cache_key] = self.setups[first].root
        return self._roots[cache_key]

    # ---- the jobs of a configuration ----

    def jobs(self, name: str) -> dict[tuple[str, ...], str]:
        """{(stage, *key): the root it runs under} of every job behind the tables of configuration ``name``
        (:attr:`Setup.tables`): a job whose root is not the configuration's own is shared with an earlier one."""
        setup = self.setups[name]
        wanted: list[tuple[str, ...]] = []
        if "bounds" in setup.tables:
            for family in setup.families:
                wanted.append(("chi2", family))
                keys = setup.family_spectra_keys(family, setup.family_models(family))
                wanted += [("spectra", *key[1:3]) for key in keys]
        if "event_counts" in setup.tables:
            wanted += [("spectra", *key[:2]) for key in setup.event_count_keys()]
        if "core_bounds" in setup.tables:
            wanted.append(("core",))
        wanted += [("fluxes", key[1]) for key in wanted if key[0] == "spectra"]
        return {key: self.resolved_root(key[0], name, *key[1:]) for key in dict.fromkeys(wanted)}

    def own_jobs(self, name: str) -> list[tuple[str, ...]]:
        """The jobs that run for configuration ``name`` itself (those :meth:`jobs` does not share)."""
        root = self.setups[name].root
        return [key for key, where in self.jobs(name).items() if where == root]

    # ---- where the tables are ----

    def spectra_path(self, setup: Setup, key: tuple[str | None, str, str, str], table: str = "spectra") -> str:
        """A spectra (or kernel) table of configuration ``setup``, where it is computed."""
        mediator, source, detector, efficiency = key
        root = self.resolved_root("spectra", setup.name, source, detector)
        if table == "kernels":
            return f"{root}/kernels/{source}/{detector}/{efficiency}.parquet"
        return f"{root}/spectra/{mediator}/{source}/{detector}/{efficiency}.parquet"

    def chi2_root(self, setup: Setup, family: str) -> str:
        """Where the tables of ``family`` are computed (by its chi2 job, for every model of the family)."""
        return self.resolved_root("chi2", setup.name, family)

    def analysis_tables(self, setup: Setup, kind: str) -> list[str]:
        """The ``kind`` tables (bounds, intervals) of every family of a configuration, for every model it computes
        for the family, and those of the data analyses it shares with the base."""
        data = [
            f"{BASE}/{kind}/{model}/{family}.parquet"
            for family in self.data_families
            if self.data_family_shared(setup, family)
            for model in self.spectra_models
        ]
        return [
            f"{self.chi2_root(setup, family)}/{kind}/{model}/{family}.parquet"
            for family in setup.families
            for model in setup.family_models(family)
        ] + data

    def drawable_analyses(self, setup: Setup) -> list[str]:
        """The analyses a figure of ``setup`` can draw: its configured ones, and for the base the data analyses."""
        return [*setup.analyses, *(self.data_families if not setup.name else [])]

    def family_tables(self, setup: Setup, kind: str, layers: Sequence[Mapping], models: Sequence[str]) -> list[str]:
        """The ``kind`` tables (e.g. edges) of the analyses of ``layers``, for each panel model (or the layer's own
        model): one per family and model (an efficiency variant is in its analysis's table)."""
        tables = []
        for panel in models:
            for layer in layers:
                model = layer.get("model", panel)
                for analysis in figures.layer_analyses(layer):
                    if analysis in self.data_families:
                        tables.append(f"{BASE}/{kind}/{model}/{analysis}.parquet")
                        continue
                    family = setup.analyses[analysis].family
                    if setup.has_tables(model, family):
                        tables.append(f"{self.chi2_root(setup, family)}/{kind}/{model}/{family}.parquet")
        return list(dict.fromkeys(tables))

    def figure_models(self, setup: Setup, description: Mapping) -> list[str]:
        """The models of a bound figure's panels: every model of ``models_computed`` for "all", else those it
        lists."""
        return figures.panels(description, setup.models if description["panels"] == "all" else setup.panel_models())

    def tables_of(self, setup: Setup) -> list[str]:
        """The tables a configuration writes: all three for the base and named variants, bounds.csv for a scan
        value, bounds.csv and core_bounds.csv for a variant of the deviation ledger."""
        return [f"{setup.root}/tables/{name}.csv" for name in setup.tables]

    # ---- the data analyses (rule data_analysis): for the base configuration only ----

    def data_identity(self, setup: Setup, release: str) -> str | None:
        """What the data analysis of section ``release`` depends on in configuration ``setup``: its section, the
        targets and source it reads (:class:`astrocevns.datasets.recasting.WorkflowNeeds`), the grid, bounds, report
        masses, statistics and the models."""
        cfg = setup.config
        if not cfg.get(release):
            return None
        needs = recasting.release_analysis(release).WORKFLOW
        source = needs.source(cfg[release])
        return variants.identity(
            [
                cfg[release],
                {name: cfg["targets"].get(name) for name in needs.target_names(cfg[release], cfg["targets"])},
                cfg["form_factor"],
                cfg["grid"],
                cfg["bounds"],
                cfg["report_masses_MeV"],
                {"cl": cfg["statistics"]["cl"], "dof": cfg["statistics"]["dof"]},
                flux_spec(cfg, source) if source else None,
                [cfg["models"][model] for model in self.spectra_models],
            ]
        )

    def data_analysis_shared(self, setup: Setup, release: str) -> bool:
        """Whether a configuration's data analysis ``release`` is the base's: it runs for the base configuration
        only, and a variant that does not change what it depends on lists the base's bounds in its bounds.csv."""
        return not setup.name or self.data_identity(setup, release) == self.data_identity(self.base, release)

    def data_family_shared(self, setup: Setup, family: str) -> bool:
        """Whether the data family ``family`` of ``setup`` is the base's: a data analysis as
        :meth:`data_analysis_shared`; their combination where its section and every member are."""
        if family != COMBINED_FAMILY:
            return self.data_analysis_shared(setup, family.split("/")[0])
        return (setup.config.get(COMBINED) or {}) == self.combination and all(
            self.data_analysis_shared(setup, member) for member in self.combination["members"]
        )

    def combined_inputs(self) -> dict[str, Any]:
        """The input files of rule combined_data: those of every member, named ``<member>__<input>``."""
        return {
            f"{member}__{key}": value
            for member in self.combination["members"]
            for key, value in self.data_release_inputs(member).items()
        }

    def combined_params(self, model: str) -> Any:
        """What the combination of ``model`` depends on: every member's params (:meth:`data_release_params`),
        the flux groups and the grid, bounds and statistics shared by all."""
        members = {member: self.data_release_params(member, model) for member in self.combination["members"]}
        first = next(iter(members.values()))
        grid = combination_grid(self.config)
        return plain(
            {
                "members": members,
                "inputs": {member: sorted(self.data_release_inputs(member)) for member in members},
                "shared_flux": self.combination["shared_flux"],
                **{key: first[key] for key in ("bounds", "statistics", "model")},
                "grid_g": grid["g"],
                "masses": {**first["masses"], "grid": grid["m_MeV"]},
            }
        )

    def combined_memory_mb(self) -> int:
        """Memory of a combination job [MB]: every member's templates and likelihood at once, on its grid."""
        grid = combination_grid(self.config)
        points = grid["g"]["n"] * grid["m_MeV"]["n"]
        return int(sum(self.data_memory_mb(member, points) for member in self.combination["members"]))

    def data_release_inputs(self, release: str) -> dict[str, Any]:
        """The input files of the data analysis ``release``: the files of its release subset (and their
        checksums), and the fluence of the source it reads, if any."""
        section = self.data_releases[release]
        needs = recasting.release_analysis(release).WORKFLOW
        source = needs.source(section)
        inputs: dict[str, Any] = {"flux": f"{BASE}/fluxes/{source}.parquet"} if source else {}
        inputs["release"] = [f"{section['data']}/{file}" for file in (*needs.files, "checksums.txt")]
        return inputs

    def data_release_params(self, release: str, model: str | None = None) -> Any:
        """Only what the data analysis ``release`` of ``model`` depends on, or with ``model`` None its validation
        table: the section (its ``validation`` settings for the validation only), the targets it reads, the form
        factor, the exposure of its source and the statistics."""
        cfg = self.config
        section = self.data_releases[release]
        needs = recasting.release_analysis(release).WORKFLOW
        validation = model is None
        settings = {k: v for k, v in section.items() if validation or k != "validation"}
        source = needs.source(section)
        common: dict[str, Any] = {
            release: settings,
            "targets": {name: cfg["targets"][name] for name in needs.target_names(section, cfg["targets"])},
            "form_factor": cfg["form_factor"],
            "statistics": {"cl": cfg["statistics"]["cl"]},
        }
        if source:
            common["exposure_yr"] = cfg["sources"][source]["exposure_yr"]
        if validation:
            return plain(common)
        spec = cfg["models"][model]
        return plain(
            {
                **common,
                "grid_g": cfg["grid"]["g"],
                "bounds": cfg["bounds"],
                "masses": {"grid": cfg["grid"]["m_MeV"], "report": cfg["report_masses_MeV"]},
                "statistics": {k: cfg["statistics"][k] for k in ("cl", "dof")},
                "model": {
                    "name": model,
                    "definition": spec,
                    "mediator": spec["mediator"],
                    "coupling": spec["coupling"]["name"],
                },
            }
        )

    def data_memory_mb(self, release: str, points: int | None = None) -> int:
        """Memory of a data-analysis job [MB] on a grid of ``points`` (the configuration's by default), by the
        release's own model of it."""
        points = grid_points(self.config) if points is None else points
        return int(recasting.release_analysis(release).WORKFLOW.memory_mb(points))

    def validated_releases(self) -> list[str]:
        """The data analyses present that have a validation table (``{release}_validation.csv``)."""
        return [name for name in self.data_releases if recasting.release_analysis(name).WORKFLOW.validation]

    def unshared_data_warnings(self) -> list[str]:
        """A message for every named variant whose bounds.csv and figures leave data analyses out."""
        messages = []
        for name in self.config["variants"]:
            left_out = [
                family for family in self.data_families if not self.data_family_shared(self.setups[name], family)
            ]
            if left_out:
                messages.append(
                    f"variant {name}: no rows of {', '.join(left_out)} in its bounds.csv and figures: the data "
                    "analyses run for the base configuration only, and the variant changes what they depend on "
                    "(grid, bounds, report masses, statistics, their source, their target or the models)"
                )
        return messages
