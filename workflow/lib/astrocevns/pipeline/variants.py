"""Variants and scans: many configurations of the workflow side by side.

A variant is a named overlay, a partial configuration merged onto the base one (mappings merged key
by key, everything else replaced, as Snakemake merges ``--configfile`` files). A scan sets one or
several config keys to each value of a list and so expands into one variant per value; the deviation
ledger makes a variant of every key of the paper-literal overlay and one with all of them.

Jobs whose parameters and inputs are identical in two configurations are run once: the workflow
resolves each job of a variant to the first configuration (the base first) in which the same job has
the same identity (:func:`first_with_identity`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import ConfigError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
"""A variant's name is a directory under results/variants/: it starts with a letter, digit or _, so that
``.`` and ``..`` (which would put it at results/variants/ or results/ itself) and hidden names cannot occur."""
NAME_RULE = "a name starts with a letter, digit or _ and holds letters, digits and _.+- only"
FIXED_KEYS = ("models_computed",)
"""Keys a variant cannot change: they fix the outputs of the shared rules (one spectra table per mediator)."""


def merged(base: Mapping, overlay: Mapping) -> dict:
    """``overlay`` merged onto a deep copy of ``base``: mappings key by key, other values replaced."""
    result = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def get_key(config: Mapping, dotted: str) -> Any:
    """The value at a dotted key such as ``detectors.darwin.threshold_keV`` (KeyError naming the key)."""
    node = config
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def overlay_for(dotted: str, value: Any) -> dict:
    """The overlay that sets one dotted key, e.g. {'detectors': {'darwin': {'threshold_keV': 0.5}}}."""
    overlay: Any = value
    for part in reversed(dotted.split(".")):
        overlay = {part: overlay}
    return overlay


def leaf_keys(mapping: Mapping, prefix: str = "") -> list[str]:
    """Dotted keys of every non-mapping value of a nested mapping, in order."""
    keys = []
    for key, value in mapping.items():
        dotted = f"{prefix}{key}"
        keys += leaf_keys(value, f"{dotted}.") if isinstance(value, Mapping) and value else [dotted]
    return keys


def value_label(value: Any) -> str:
    """A scan value as it appears in a variant name: 0.3 -> '0.3', 10.0 -> '10', True -> 'true'."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_scan(name: str, scan: Mapping, base: Mapping) -> None:
    """Raise :class:`ConfigError` naming the key for a scan over a missing key, an empty list of values,
    or a value whose type differs from the base value's."""
    key = f"config key scans.{name}"
    if not NAME_PATTERN.match(name):
        raise ConfigError(f"{key}: {NAME_RULE}")
    if not scan["values"]:
        raise ConfigError(f"{key}.values: the list of values is empty")
    check_listed_analyses(f"scans.{name}.analyses", scan["analyses"], base)
    for dotted in scan["keys"]:
        try:
            current = get_key(base, dotted)
        except KeyError:
            raise ConfigError(f"{key}.keys: {dotted!r} is not a key of the configuration") from None
        if isinstance(current, Mapping):
            raise ConfigError(f"{key}.keys: {dotted!r} is a section, not a value")
        for value in scan["values"]:
            numeric = isinstance(current, int | float) and not isinstance(current, bool)
            same = (
                (isinstance(value, int | float) and not isinstance(value, bool))
                if numeric
                else isinstance(value, type(current))
            )
            if not same:
                raise ConfigError(
                    f"{key}.values: {value!r} is a {type(value).__name__}, but {dotted} holds a "
                    f"{type(current).__name__} ({current!r})"
                )


def check_listed_analyses(key: str, listed: Sequence[str], base: Mapping) -> None:
    """Every analysis a scan or the deviation ledger lists is one of the configuration's ``analyses``."""
    unknown = [analysis for analysis in listed if analysis not in base["analyses"]]
    if unknown:
        raise ConfigError(f"config key {key}: unknown analysis {unknown[0]!r}; known: {', '.join(base['analyses'])}")


def scan_variants(scans: Mapping[str, Mapping], base: Mapping) -> dict[str, dict]:
    """{variant name: overlay} of every value of every scan; the name is ``{scan}-{value}``.

    Raises :class:`ConfigError` naming the scan where two of its values give one name (``1`` and ``1.0``,
    or a value listed twice) or a value gives a name that is not a directory name (e.g. ``a/b``).
    """
    variants: dict[str, dict] = {}
    for name, scan in scans.items():
        check_scan(name, scan, base)
        given_by: dict[str, Any] = {}
        for value in scan["values"]:
            variant = f"{name}-{value_label(value)}"
            if variant in given_by:
                raise ConfigError(
                    f"config key scans.{name}.values: {given_by[variant]!r} and {value!r} both give "
                    f"the variant {variant!r}; list each value once"
                )
            if not NAME_PATTERN.match(variant):
                raise ConfigError(
                    f"config key scans.{name}.values: {value!r} gives the variant name {variant!r}; {NAME_RULE}"
                )
            given_by[variant] = value
            overlay: dict = {}
            for dotted in scan["keys"]:
                overlay = merged(overlay, overlay_for(dotted, value))
            variants[variant] = overlay
    return variants


def one_namespace(groups: Mapping[str, Mapping[str, Any]]) -> None:
    """Raise :class:`ConfigError` where two configurations would share a name, i.e. a results/variants/ folder.

    ``groups`` maps where names come from (e.g. ``variants``, ``scans.sn_distance``, ``the deviation ledger``)
    to the names it gives. A named variant ``sn_distance-10`` and the value 10 of scan ``sn_distance``, or
    value 1 of scan ``x-`` and value -1 of scan ``x`` (both ``x--1``), would overwrite each other's tables.
    """
    origin: dict[str, str] = {}
    for group, names in groups.items():
        for name in names:
            if name in origin:
                raise ConfigError(
                    f"config key {group}: the variant name {name!r} is also given by {origin[name]}; "
                    "each variant, scan value and ledger key needs a name of its own "
                    "(results/variants/<name>/)"
                )
            origin[name] = group


def ledger_variants(paper: Mapping, base: Mapping) -> dict[str, dict]:
    """One variant per key of the paper-literal overlay (``paper-{key}``) and one with all (``paper-all``).

    Keys whose paper value equals the default are left out (they deviate from nothing).
    """
    variants = {}
    for dotted in leaf_keys(paper):
        value = get_key(paper, dotted)
        try:
            default = get_key(base, dotted)
        except KeyError:
            raise ConfigError(f"paper-literal overlay: {dotted!r} is not a key of the configuration") from None
        if value != default:
            variants[f"paper-{dotted}"] = overlay_for(dotted, value)
    if variants:
        variants["paper-all"] = copy.deepcopy(dict(paper))
    return variants


def check_overlay(name: str, overlay: Mapping) -> None:
    """A variant may not change the keys that fix the outputs of the shared rules."""
    if not NAME_PATTERN.match(name):
        raise ConfigError(f"config key variants.{name}: {NAME_RULE}")
    for key in FIXED_KEYS:
        if key in overlay:
            raise ConfigError(
                f"config key variants.{name}.{key}: a variant cannot change {key} (run the workflow "
                "with another configfile instead)"
            )


def identity(value: Any) -> str:
    """A canonical string of plain config values (key-sorted JSON), for comparing jobs of two configurations."""
    return json.dumps(value, sort_keys=True, default=str)


def first_with_identity(names: Sequence[str], identity_of: Callable[[str], str | None], name: str) -> str:
    """The first configuration in ``names`` (ordered: the base first) whose job has the same identity as the
    job of configuration ``name``; ``identity_of`` returns None where a configuration has no such job."""
    own = identity_of(name)
    for candidate in names:
        if candidate == name:
            return name
        if identity_of(candidate) == own:
            return candidate
    return name
