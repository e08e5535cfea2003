"""The statistic kinds of the analyses (config ``analyses.<name>.statistic.kind``), one module each, found by name.

A kind says how an analysis turns the predicted counts of its detectors into a test statistic, and what else
that takes: its config entry (a JSON schema), checks of that entry against the rest of the config, input files
and numbers computed from them before the grid is evaluated (:class:`~astrocevns.inference.kinds.base.Kind`).
The chi-square grid, contours, edges and bounds of :mod:`astrocevns.inference.exclusion` are the same for every
kind.

Adding a kind is a module here that defines ``KIND`` (a :class:`~astrocevns.inference.kinds.base.Kind`) and its
entry in :data:`MODULES`; a kind defined elsewhere (a notebook, a test) is added with :func:`register`. Nothing
else in the library or the workflow names a kind.
"""

from __future__ import annotations

import importlib

from ...errors import ConfigError
from .base import Kind

MODULES = {
    "asimov_poisson": "astrocevns.inference.kinds.asimov_poisson",
    "counting": "astrocevns.inference.kinds.counting",
    "event_ceiling": "astrocevns.inference.kinds.event_ceiling",
}
"""The kinds of the library by name: the module that defines each one's ``KIND``."""

_REGISTERED: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make ``kind`` known by its name (a name already registered is replaced); returns it."""
    _REGISTERED[kind.name] = kind
    return kind


def names() -> list[str]:
    """The names of every kind: the library's and the registered ones."""
    return sorted({*MODULES, *_REGISTERED})


def get(name: str, key: str = "statistic.kind") -> Kind:
    """The kind called ``name``; ConfigError naming the config ``key`` and the known kinds if there is none."""
    if name not in _REGISTERED:
        if name not in MODULES:
            raise ConfigError(f"config key {key}: unknown statistic kind {name!r}; known: {names()}")
        register(importlib.import_module(MODULES[name]).KIND)
    return _REGISTERED[name]
