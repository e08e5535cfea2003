"""Checks of a configuration beyond its JSON schema, and builders of library objects from it.

The schema (config/schema.yaml) checks types and ranges; :func:`check_config` checks what a schema
cannot: finite numbers (a schema range lets NaN through), cross references (detector -> target,
detector -> efficiency), files that must exist, and physical consistency (e.g. an efficiency that is
not zero everywhere above the detector's threshold). Both run when the Snakefile is parsed, before any
job starts.
"""

from __future__ import annotations

import copy
import functools
import logging
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..errors import ConfigError, InputError
from ..inference import kinds
from ..inference.analyses import ASIMOV, sees
from ..physics import constants as c
from ..physics import cross_sections as xs
from ..physics.builders import composition
from ..physics.core import CoreRecipe, diffusion_region
from ..physics.detectors import Efficiency
from ..physics.models import FLAVOURS
from ..tables import io
from . import memory

NUCLEON_KEYS = {"quarks": ("u", "d"), "nucleons": ("proton", "neutron")}


def _checked_read(reader, path, key, root):
    """Read ``path`` with ``reader``; a missing or malformed file becomes a ConfigError naming ``key``.

    A file read once is not read again while unchanged (the checks of many variants share their inputs).
    """
    full = Path(root) / path
    if not full.is_file():
        raise ConfigError(f"config key {key}: file not found: {path}")
    try:
        return _read_once(reader, str(full.resolve()), full.stat().st_mtime_ns, full.stat().st_size)
    except InputError as error:
        raise ConfigError(f"config key {key}: {error}") from None


@functools.lru_cache(maxsize=256)
def _read_once(reader, path, _mtime_ns, _size):
    return reader(path)


YAML_11_BOOLEANS = {True: "on, yes, true or y", False: "off, no, false or n"}


def check_keys(node, where: str = "config", key: str = "") -> None:
    """Raise :class:`ConfigError` for a mapping key that is not a string, naming where it is.

    YAML 1.1, which PyYAML reads, turns the keys ``off``, ``on``, ``yes``, ``no`` into booleans and ``8`` into
    an integer; such a key would fail much later (sorting, lookup) without a name.
    """
    if isinstance(node, Mapping):
        for name, value in node.items():
            dotted = f"{key}.{name}" if key else str(name)
            if not isinstance(name, str):
                hint = (
                    f"YAML reads an unquoted {YAML_11_BOOLEANS[name]} as the boolean {name}"
                    if isinstance(name, bool)
                    else f"YAML reads it as a {type(name).__name__}"
                )
                prefix = "config key" if where == "config" else f"{where}: key"
                raise ConfigError(f"{prefix} {dotted}: the key {name!r} is not a string ({hint}); quote the key")
            check_keys(value, where, dotted)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_keys(value, where, f"{key}[{index}]")


def schema_validator(schema: Mapping):
    """A JSON-schema (draft 2020-12) validator of ``schema`` for which an integer is a Python int.

    JSON Schema counts 8.0 as an integer; a config value 8.0 for an integer key (``grid.g.n``) would
    pass and then fail in a job (``np.geomspace(..., 8.0)``), so here a float is never an integer.
    """
    import jsonschema

    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    return jsonschema.validators.extend(base, type_checker=checker)(schema)


def _check_finite(node, key="config"):
    """Every number in the configuration is finite (YAML reads .nan, .inf and 1e999 as floats)."""
    if isinstance(node, dict):
        for name, value in node.items():
            _check_finite(value, f"{key}.{name}" if key != "config" else str(name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_finite(value, f"{key}[{index}]")
    elif isinstance(node, float) and not math.isfinite(node):
        raise ConfigError(f"config key {key}: {node} is not a finite number")


def _first_positive_keV(efficiency, lo_keV, hi_keV):
    """The lowest recoil energy in [lo, hi] at which the (piecewise-linear) efficiency is positive, or None.

    Its maximum on the interval is at a tabulated point inside or at an end, so those are all we test.
    """
    inside = (efficiency.E_r_keV > lo_keV) & (efficiency.E_r_keV < hi_keV)
    E_keV = np.concatenate([[lo_keV], efficiency.E_r_keV[inside], [hi_keV]])
    positive = efficiency(E_keV) > 0.0
    return E_keV[np.argmax(positive)] if positive.any() else None


def _check_efficiencies(config, root):
    """Read every efficiency table; each must be positive somewhere. Returns {name: Efficiency}."""
    tables = {}
    for name, path in config["efficiencies"].items():
        key = f"efficiencies.{name}"
        tables[name] = Efficiency(name, *_checked_read(io.read_efficiency_table, path, key, root))
        if not np.any(tables[name].efficiency > 0.0):
            raise ConfigError(f"config key {key}: {path}: efficiency is zero everywhere")
    return tables


def _check_sees_events(config, efficiencies, det, efficiency, hi_keV, where):
    """A detector's efficiency must be positive somewhere between its threshold and ``hi_keV``."""
    if efficiency == "ideal":
        return
    threshold = config["detectors"][det]["threshold_keV"]
    if _first_positive_keV(efficiencies[efficiency], threshold, hi_keV) is None:
        path = config["efficiencies"][efficiency]
        raise ConfigError(
            f"config key detectors.{det}.efficiencies: efficiency {efficiency!r} ({path}) is zero from the threshold "
            f"{threshold} keV to {hi_keV:.4g} keV ({where}): the detector would see no events"
        )


def _check_covers_threshold(config, efficiencies, det, efficiency):
    """An efficiency table starts at or below the detector's threshold: below its first row it is unknown."""
    if efficiency == "ideal":
        return
    threshold, table = config["detectors"][det]["threshold_keV"], efficiencies[efficiency]
    path = config["efficiencies"][efficiency]
    if table.E_r_keV[0] > threshold:
        raise ConfigError(
            f"config key detectors.{det}.efficiencies: efficiency {efficiency!r} ({path}) "
            f"starts at {table.E_r_keV[0]:g} keV, above the threshold {threshold:g} keV; below its first row it is "
            f"not known (it would be held at {table.efficiency[0]:g}): extend the table down to the threshold"
        )


def _check_detectors(config, efficiencies):
    targets = config["targets"]
    for name, target in targets.items():
        if "composition" in target:
            for element in target["composition"]:
                if element not in targets or "composition" in targets[element]:
                    raise ConfigError(
                        f"config key targets.{name}.composition: {element!r} is not an element of targets"
                    )
        elif target["Z"] >= target["A"]:
            raise ConfigError(f"config key targets.{name}: Z = {target['Z']} must be below A = {target['A']}")
    for name, det in config["detectors"].items():
        key = f"detectors.{name}"
        if det["target"] not in targets:
            raise ConfigError(f"config key {key}.target: unknown target {det['target']!r}; known: {sorted(targets)}")
        for eff in det["efficiencies"]:
            if eff != "ideal" and eff not in efficiencies:
                known = ", ".join(["ideal", *sorted(efficiencies)])
                raise ConfigError(f"config key {key}.efficiencies: unknown efficiency {eff!r}; known: {known}")
        if det["threshold_keV"] >= config["recoil_bins"]["max_keV"]:
            raise ConfigError(
                f"config key {key}.threshold_keV: {det['threshold_keV']} is not below recoil_bins.max_keV"
            )
        for eff in det["efficiencies"]:
            _check_covers_threshold(config, efficiencies, name, eff)
            _check_sees_events(config, efficiencies, name, eff, config["recoil_bins"]["max_keV"], "recoil_bins.max_keV")


SOLAR_END_POINT_MEV = 18.8
"""The highest energy of any solar neutrino: the hep end point, 18.77 MeV (Bahcall, Neutrino Astrophysics, 1989)."""

SSM_FLUX_PER_CM2_S = {
    "pp": 5.98e10,
    "pep": 1.44e8,
    "hep": 7.98e3,
    "7Be": 4.93e9,
    "8B": 5.46e6,
    "13N": 2.78e8,
    "15O": 2.05e8,
    "17F": 5.29e6,
}
"""Solar neutrino fluxes at the Earth of the B16-GS98 standard solar model (Vinyoles et al. 2017) [cm^-2 s^-1].
A component produced in a region of one of these names must lie within a factor ``SSM_FLUX_FACTOR`` of it;
any solar component below their sum, 6.5e10."""

SSM_FLUX_FACTOR = 10.0

MAX_NEUTRINO_ENERGY_MEV = 1.0e4
"""Plausibility limit of a tabulated neutrino energy [MeV]: coherence is lost far below 10 GeV (the sub-GeV
atmospheric flux ends at 1 GeV); a table beyond it is most likely in keV."""

SUPERNOVA_LIMITS = {
    "luminosity": ("luminosity_foe_per_s", 1.0e5, "foe/s"),
    "mean energy": ("mean_energy_MeV", 100.0, "MeV"),
}
"""Plausibility limits of a Garching time series, {quantity: (its LuminosityHistory field, limit, unit)}: mean
energies of supernova neutrinos are 5-40 MeV, the peak luminosity of one species a few hundred foe/s (1 foe =
1e51 erg); above these the file is in other units (keV, erg/s)."""


def _check_garching_units(path, key, history):
    for quantity, (field, limit, unit) in SUPERNOVA_LIMITS.items():
        largest = float(np.max(getattr(history, field)))
        if largest > limit:
            raise ConfigError(
                f"config key {key}: {path}: the largest {quantity} is {largest:.4g} {unit}, above the "
                f"plausible {limit:g} {unit}; is the file in other units (the Garching format: t [s], "
                "L [foe/s], <E> [MeV], <E^2> [MeV^2])?"
            )


def _check_spectrum_units(name, component, spec, E_MeV, value):
    """Plausibility of a steady component's table: its end point, and for solar neutrinos their total flux."""
    key = f"config key sources.{name}.components.{component}"
    end_MeV = E_MeV[np.flatnonzero(value > 0)[-1]]
    solar = "solar_msw" in spec
    limit, why = (
        (SOLAR_END_POINT_MEV, "the hep end point, the highest of any solar neutrino")
        if solar
        else (MAX_NEUTRINO_ENERGY_MEV, "a plausible CEvNS source")
    )
    if end_MeV > limit:
        raise ConfigError(
            f"{key}.file: {spec['file']}: the spectrum extends to {end_MeV:.6g} MeV, beyond "
            f"{limit:g} MeV ({why}); are the energies in keV instead of MeV?"
        )
    if not solar:
        return
    total = spec.get("total_flux_per_cm2_s", float(np.trapezoid(value, E_MeV)))
    where = "total_flux_per_cm2_s" if "total_flux_per_cm2_s" in spec else f"file: {spec['file']}: the integral"
    expected = SSM_FLUX_PER_CM2_S.get(spec["solar_msw"])
    if expected is None:
        expected, lo, hi = sum(SSM_FLUX_PER_CM2_S.values()), 0.0, 1.0
        what = "the flux of all solar neutrinos together"
    else:
        lo, hi = 1.0 / SSM_FLUX_FACTOR, SSM_FLUX_FACTOR
        what = f"{SSM_FLUX_FACTOR:g} x from the standard-solar-model {spec['solar_msw']} flux"
    if not lo * expected <= total <= hi * expected:
        raise ConfigError(
            f"{key}.{where}: {total:.4g} cm^-2 s^-1 is more than {what} ({expected:.3g} cm^-2 s^-1, "
            "B16-GS98); is it per m^2 instead of per cm^2?"
        )


def _check_sources(config, root):
    """Read every source input once; return the largest neutrino energy [MeV] of each source."""
    max_energy = {}
    for name, source in config["sources"].items():
        key = f"sources.{name}"
        if source["kind"] == "supernova":
            grid = source["energy_grid_MeV"]
            if grid["min"] >= grid["max"]:
                raise ConfigError(f"config key {key}.energy_grid_MeV: min must be below max")
            for species, spec in source["species"].items():
                where = f"{key}.species.{species}.file"
                history = _checked_read(io.read_garching_timeseries, spec["file"], where, root)
                _check_garching_units(spec["file"], where, history)
            max_energy[name] = grid["max"]
        elif source["kind"] == "pion_decay_at_rest":
            for det in source["detectors"]:
                if det not in config["detectors"]:
                    raise ConfigError(
                        f"config key {key}.detectors: unknown detector {det!r}; known: {sorted(config['detectors'])}"
                    )
            max_energy[name] = 0.5 * c.MUON_MASS_MEV  # Michel end point
        else:
            energies = []
            for component, spec in source["components"].items():
                E, value = _checked_read(
                    io.read_spectrum_table, spec["file"], f"{key}.components.{component}.file", root
                )
                if not np.any(value > 0):
                    raise ConfigError(f"config key {key}.components.{component}.file: {spec['file']}: spectrum is zero")
                _check_spectrum_units(name, component, spec, E, value)
                energies.append(E[np.flatnonzero(value > 0)[-1]])
            max_energy[name] = max(energies)
    return max_energy


def _check_statistic(config, key, analysis, root):
    """An analysis's pinned efficiency, and its statistic against the schema and the checks of its kind."""
    if "efficiency" in analysis:
        for det in analysis["detectors"]:
            if analysis["efficiency"] not in config["detectors"][det]["efficiencies"]:
                raise ConfigError(
                    f"config key {key}.efficiency: {analysis['efficiency']!r} is not among detectors.{det}.efficiencies"
                )
    statistic = analysis.get("statistic", ASIMOV)
    kind = kinds.get(statistic["kind"], f"{key}.statistic.kind")
    import jsonschema

    try:
        schema_validator(kind.schema).validate(statistic)
    except jsonschema.ValidationError as error:
        where = "".join(f".{part}" for part in error.absolute_path)
        raise ConfigError(f"config key {key}.statistic{where}: {error.message}") from None
    for part, one in (("sources", kind.one_source), ("detectors", kind.one_detector)):
        if one and len(analysis[part]) != 1:
            raise ConfigError(f"config key {key}.{part}: a {kind.name} statistic takes exactly one {part[:-1]}")

    def read(reader, path, where):
        return _checked_read(reader, path, where, root)

    kind.check(config, key, {**analysis, "statistic": statistic}, read)


def _check_flavours(config):
    """Every supernova species and steady component says how it arrives: flavour fractions or solar MSW."""
    regions = config["oscillations"]["sun"]["production"]
    for name, source in config["sources"].items():
        for kind in ("species", "components"):
            for component, entry in source.get(kind, {}).items():
                key = f"sources.{name}.{kind}.{component}"
                if ("flavours" in entry) == ("solar_msw" in entry):
                    allowed = "flavours or solar_msw" if kind == "components" else "flavours"
                    raise ConfigError(f"config key {key}: give {allowed} (exactly one): how it reaches the detector")
                if "solar_msw" in entry and entry["solar_msw"] not in regions:
                    raise ConfigError(
                        f"config key {key}.solar_msw: unknown production region {entry['solar_msw']!r}; "
                        f"known (oscillations.sun.production): {sorted(regions)}"
                    )
                fractions = entry.get("flavours", {})
                for flavour in fractions:
                    if flavour not in FLAVOURS:
                        raise ConfigError(
                            f"config key {key}.flavours.{flavour}: unknown flavour {flavour!r}; "
                            f"known: {', '.join(FLAVOURS)}"
                        )
                if fractions and not np.isclose(sum(fractions.values()), 1.0, rtol=0.0, atol=1e-9):
                    total = sum(fractions.values())
                    raise ConfigError(f"config key {key}.flavours: the fractions sum to {total:g}, not 1")


def _check_model(name, model):
    """Parse-time checks of one ``models`` entry (README "Models"), naming the offending key."""
    key = f"models.{name}.charges"
    charges = model["charges"]
    for flavour in charges["neutrinos"]:
        if flavour not in FLAVOURS:
            raise ConfigError(
                f"config key {key}.neutrinos.{flavour}: unknown flavour {flavour!r}; known: {', '.join(FLAVOURS)}"
            )
    for group, known in NUCLEON_KEYS.items():
        for particle in charges.get(group, {}):
            if particle not in known:
                raise ConfigError(
                    f"config key {key}.{group}.{particle}: unknown {group[:-1]} {particle!r}; known: {', '.join(known)}"
                )
    if "quarks" in charges and "nucleons" in charges:
        raise ConfigError(f"config key {key}: give quarks or nucleons, not both")
    mixing = charges.get("kinetic_mixing", False)
    if model["mediator"] == "scalar":
        if "kinetic_mixing" in charges:
            raise ConfigError(
                f"config key {key}.kinetic_mixing: a vector-only key in the scalar model {name!r} "
                "(only a vector boson mixes with the photon)"
            )
        quarks = charges.get("quarks", {})
        if quarks.get("u", 0.0) != quarks.get("d", 0.0):
            raise ConfigError(
                f"config key {key}.quarks: different u and d charges are vector-only; a scalar model "
                "takes one charge for every quark (the paper's eq. 10), or nucleon charges (nucleons)"
            )
    if not any(charges["neutrinos"].values()):
        raise ConfigError(f"config key {key}.neutrinos: every neutrino charge is zero, so the model changes no rate")
    if mixing and not np.isclose(sum(charges["neutrinos"].values()), 0.0, atol=1e-12):
        raise ConfigError(
            f"config key {key}.kinetic_mixing: the one-loop mixing is finite only if the lepton charges "
            f"sum to zero; the neutrino charges sum to {sum(charges['neutrinos'].values()):g}"
        )
    nuclear = [value for group in NUCLEON_KEYS for value in charges.get(group, {}).values()]
    if not any(nuclear) and not mixing:
        raise ConfigError(
            f"config key {key}: every quark and nucleon charge is zero and there is no kinetic mixing, "
            "so the model changes no rate"
        )


def _check_models(config):
    """The models, and the model names that ``models_computed`` and the analyses list."""
    models = config["models"]
    for name, model in models.items():
        _check_model(name, model)
    listed = [("models_computed", config["models_computed"])]
    listed += [(f"analyses.{name}.models", analysis.get("models", [])) for name, analysis in config["analyses"].items()]
    for key, names in listed:
        for model in names:
            if model not in models:
                raise ConfigError(f"config key {key}: unknown model {model!r}; known: {sorted(models)}")


def _check_free_maps(config):
    """Keys of the maps keyed by names of other sections are among those names (a wrong-case key such as
    ``normalisation_uncertainty.Solar`` would otherwise be ignored, and the source take another sigma)."""
    sources = config["sources"]
    for name in config["statistics"]["normalisation_uncertainty"]:
        if name not in sources:
            raise ConfigError(
                f"config key statistics.normalisation_uncertainty.{name}: unknown source {name!r}; "
                f"known: {', '.join(sources)}"
            )


def _check_analyses(config, max_energy, efficiencies, root):
    sigmas = config["statistics"]["normalisation_uncertainty"]
    for name, analysis in config["analyses"].items():
        key = f"analyses.{name}"
        end_points = []
        for det in analysis["detectors"]:
            if det not in config["detectors"]:
                raise ConfigError(
                    f"config key {key}.detectors: unknown detector {det!r}; known: {sorted(config['detectors'])}"
                )
        for source in analysis["sources"]:
            if source not in config["sources"]:
                raise ConfigError(
                    f"config key {key}.sources: unknown source {source!r}; known: {sorted(config['sources'])}"
                )
            if source not in sigmas and "normalisation_uncertainty" not in analysis:
                raise ConfigError(
                    f"config key statistics.normalisation_uncertainty: no sigma for source {source!r} ({key})"
                )
            for det in analysis["detectors"]:
                if not sees(config["sources"], source, det):
                    raise ConfigError(
                        f"config key {key}: detector {det!r} does not see source {source!r} "
                        "(a pion-decay-at-rest beam reaches only the detectors it lists)"
                    )
                spec = config["detectors"][det]
                lightest_A = min(
                    config["targets"][element]["A"] for element in composition(config["targets"], spec["target"])
                )
                mass_MeV = c.NUCLEON_MASS_PAPER_MEV * lightest_A
                end_keV = xs.max_recoil_energy_MeV(max_energy[source], mass_MeV) * c.KEV_PER_MEV
                if spec["threshold_keV"] >= end_keV:
                    raise ConfigError(
                        f"config key detectors.{det}.threshold_keV: {spec['threshold_keV']} keV is at or above the "
                        f"kinematic end point {end_keV:.3g} keV of source {source!r} (used in {key})"
                    )
                end_points.append((source, det, min(end_keV, config["recoil_bins"]["max_keV"])))
        _check_statistic(config, key, analysis, root)
        for source, det, end_keV in end_points:
            used = [analysis["efficiency"]] if "efficiency" in analysis else config["detectors"][det]["efficiencies"]
            for eff in used:
                where = f"the end point for source {source!r} in {key}"
                _check_sees_events(config, efficiencies, det, eff, end_keV, where)


def _check_ranges(config):
    for axis, spec in config["grid"].items():
        if spec["min"] >= spec["max"]:
            raise ConfigError(f"config key grid.{axis}: min = {spec['min']} must be below max = {spec['max']}")
    if config["bounds"]["g_min"] >= config["bounds"]["g_max"]:
        raise ConfigError("config key bounds: g_min must be below g_max")
    figures = config["figures"]
    elements = sorted(name for name, target in config["targets"].items() if "composition" not in target)
    for target in [*figures["rate_targets"], figures["regime_target"]]:
        if target not in elements:
            raise ConfigError(f"config key figures: unknown element {target!r} among targets; known: {elements}")
    if figures["regime_source"] not in config["sources"]:
        raise ConfigError(f"config key figures.regime_source: unknown source {figures['regime_source']!r}")


def check_config(config: dict, root: str | Path = ".") -> None:
    """Raise :class:`ConfigError` naming the key (and file and row) of the first inconsistency found.

    Reads every input file once, so that a malformed table stops the run before any job starts. Logs a
    warning (logger ``astrocevns.pipeline.config``) for every grid rule whose jobs are estimated to need more memory
    than ``memory.warn_mb``, and stops where one needs more than ``memory.limit_mb`` (default: this machine's
    memory; :mod:`astrocevns.pipeline.memory`).
    """
    _check_finite(config)
    _check_ranges(config)
    _check_models(config)
    _check_free_maps(config)
    _check_flavours(config)
    efficiencies = _check_efficiencies(config, root)
    _check_detectors(config, efficiencies)
    _check_analyses(config, _check_sources(config, root), efficiencies, root)
    _check_core(config["core"], root)
    limits = config["external_limits"]
    for figure in ("fig9", "fig10"):
        for name in limits[figure]:
            path = f"{limits['directory']}/{name}.csv"
            if (Path(root) / path).is_file():
                _checked_read(io.read_limit_curve, path, f"external_limits.{figure}", root)
    for message in memory.memory_warnings(config):
        logging.getLogger(__name__).warning(message)
    errors = memory.memory_limit_errors(config)
    if errors:
        raise ConfigError(f"config key memory.limit_mb: {errors[0]}")


def _check_core(core, root):
    """The diffusion region inside the profile, R1 below R2; radii taken from the profile are found here."""
    profile = _checked_read(io.read_core_profile, core["profile"], "core.profile", root)
    energy = core["energy_grid_MeV"]
    recipe = CoreRecipe(core["cross_section"], core["diffusion_time"], core["scatterings"], core["nucleon_charges"])
    try:
        diffusion_region(
            profile, core["R1_km"], core["R2_km"], np.linspace(energy["min"], energy["max"], energy["n"]), recipe
        )
    except ValueError as error:
        raise ConfigError(f"config key {error} (profile {core['profile']})") from None


def with_absolute_paths(config: dict, root: str | Path) -> dict:
    """A copy of ``config`` whose input-file paths (relative to the repository root) are absolute.

    The workflow runs from the repository root; code that reads the inputs from elsewhere (tests,
    notebooks) resolves them with this instead of changing directory.
    """
    resolved = copy.deepcopy(config)
    root = Path(root)

    def absolute(path: str) -> str:
        return str(root / path)

    for source in resolved.get("sources", {}).values():
        for entry in [*source.get("species", {}).values(), *source.get("components", {}).values()]:
            entry["file"] = absolute(entry["file"])
    resolved["efficiencies"] = {name: absolute(path) for name, path in resolved.get("efficiencies", {}).items()}
    for analysis in resolved.get("analyses", {}).values():
        statistic = analysis.get("statistic")
        if statistic is not None and statistic.get("kind") in kinds.names():
            for name in kinds.get(statistic["kind"]).file_keys:
                if name in statistic:
                    statistic[name] = absolute(statistic[name])
    if "core" in resolved:
        resolved["core"]["profile"] = absolute(resolved["core"]["profile"])
    if "figures" in resolved and "description" in resolved["figures"]:
        resolved["figures"]["description"] = absolute(resolved["figures"]["description"])
    if "external_limits" in resolved:
        resolved["external_limits"]["directory"] = absolute(resolved["external_limits"]["directory"])
    return resolved
