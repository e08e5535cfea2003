"""Checks of a configuration beyond its JSON schema, and builders of library objects from it.

The schema (config/schema.yaml) checks types and ranges; :func:`check_config` checks what a schema
cannot: cross references (detector -> target, detector -> efficiency), files that must exist, and
physical consistency. Both run when the Snakefile is parsed, before any job starts.
"""

from pathlib import Path

from .detectors import Detector
from .nuclei import Nucleus


class ConfigError(ValueError):
    """An inconsistent configuration; the message names the offending key."""


def _require_file(path, key, root):
    if not (Path(root) / path).is_file():
        raise ConfigError(f"config key {key}: file not found: {path}")


def check_config(config, root="."):
    """Raise :class:`ConfigError` naming the key of the first inconsistency found."""
    targets = config["targets"]
    efficiencies = config["efficiencies"]
    for name, path in efficiencies.items():
        _require_file(path, f"efficiencies.{name}", root)
    for name, det in config["detectors"].items():
        key = f"detectors.{name}"
        if det["target"] not in targets:
            raise ConfigError(f"config key {key}.target: unknown target {det['target']!r}; known: {sorted(targets)}")
        for eff in det["efficiencies"]:
            if eff != "ideal" and eff not in efficiencies:
                raise ConfigError(
                    f"config key {key}.efficiencies: unknown efficiency {eff!r}; known: ideal, {', '.join(sorted(efficiencies))}"
                )
        if det["threshold_keV"] >= config["recoil_bins"]["max_keV"]:
            raise ConfigError(f"config key {key}.threshold_keV: {det['threshold_keV']} is not below recoil_bins.max_keV")
    for name, target in targets.items():
        if target["Z"] >= target["A"]:
            raise ConfigError(f"config key targets.{name}: Z = {target['Z']} must be below A = {target['A']}")
    for axis, spec in config["grid"].items():
        if spec["min"] >= spec["max"]:
            raise ConfigError(f"config key grid.{axis}: min = {spec['min']} must be below max = {spec['max']}")
    if config["bounds"]["g_min"] >= config["bounds"]["g_max"]:
        raise ConfigError("config key bounds: g_min must be below g_max")
    sigmas = config["statistics"]["normalisation_uncertainty"]
    for name, analysis in config["analyses"].items():
        key = f"analyses.{name}"
        for source in analysis["sources"]:
            if source not in config["sources"]:
                raise ConfigError(f"config key {key}.sources: unknown source {source!r}; known: {sorted(config['sources'])}")
            if source not in sigmas and "normalisation_uncertainty" not in analysis:
                raise ConfigError(f"config key statistics.normalisation_uncertainty: no sigma for source {source!r} ({key})")
        for det in analysis["detectors"]:
            if det not in config["detectors"]:
                raise ConfigError(f"config key {key}.detectors: unknown detector {det!r}; known: {sorted(config['detectors'])}")
    figures = config["figures"]
    for target in [*figures["rate_targets"], figures["regime_target"]]:
        if target not in targets:
            raise ConfigError(f"config key figures: unknown target {target!r}; known: {sorted(targets)}")
    if figures["regime_source"] not in config["sources"]:
        raise ConfigError(f"config key figures.regime_source: unknown source {figures['regime_source']!r}")
    for name, source in config["sources"].items():
        key = f"sources.{name}"
        if source["kind"] == "supernova":
            grid = source["energy_grid_MeV"]
            if grid["min"] >= grid["max"]:
                raise ConfigError(f"config key {key}.energy_grid_MeV: min must be below max")
            for species, spec in source["species"].items():
                _require_file(spec["file"], f"{key}.species.{species}.file", root)
        else:
            for component, spec in source["components"].items():
                _require_file(spec["file"], f"{key}.components.{component}.file", root)


def nucleus(name, target, form_factor):
    """A :class:`Nucleus` from a ``targets`` entry and the ``form_factor`` section."""
    return Nucleus(name, target["A"], target["Z"], form_factor["radius_coefficient_fm"], form_factor["skin_thickness_fm"])


def detector(name, spec, nucleus, efficiency):
    """A :class:`Detector` from a ``detectors`` entry, its :class:`Nucleus` and an :class:`Efficiency`."""
    return Detector(name, nucleus, spec["mass_t"], spec["threshold_keV"], efficiency)
