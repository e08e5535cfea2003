"""The figures' declarative descriptions (config/figures.yaml): what each figure draws and reads.

A description names a figure's kind, its panels (mediators) and, for the bound figures, its layers
in drawing order. The workflow's rules take a figure's inputs from it (:func:`required_analyses`,
:func:`core_layers`) and the figure script draws what it lists (:mod:`astrocevns.presentation.plotting`), so the
two cannot disagree. Loaded without matplotlib (:func:`check_figures` reads its colour names).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..errors import ConfigError


class FigureParams(dict):
    """The parameters of a figure job (its description and the config values it labels with). The report prints
    a job's parameters with ``str``: this names the figure instead of printing them all; ``repr`` (which
    Snakemake compares to decide on a rerun) is the full dict's."""

    def __str__(self) -> str:
        return f"{self['name']}: its description in config/figures.yaml"


def panels(description: Mapping, models: Sequence[str]) -> list[str]:
    """The models a figure draws, a panel each: its ``panels`` that the config computes ("all": every model of
    the config's ``models_computed``, the first of ``models``)."""
    listed = description["panels"]
    return list(models) if listed == "all" else [m for m in listed if m in models]


def layer_analyses(layer: Mapping) -> list[str]:
    """The analysis of a region or band layer, and a band's variant."""
    return [layer["analysis"], *([layer["variant"]] if "variant" in layer else [])]


def core_layers(description: Mapping) -> list[Mapping]:
    """The layers of a bound figure drawn from the supernova-core tables."""
    return [layer for layer in description.get("layers", []) if layer["type"] == "core"]


def expected_layers(description: Mapping) -> list[Mapping]:
    """The layers of a bound figure drawn from the toys' expected bands (results/tables/expected_bands.csv)."""
    return [layer for layer in description.get("layers", []) if layer["type"] == "expected"]


def drawn_layers(description: Mapping, analyses: Iterable[str]) -> list[Mapping]:
    """The layers that will be drawn: all but the optional ones whose analysis the config does not define."""
    known = set(analyses)
    return [
        layer
        for layer in description.get("layers", [])
        if not (
            layer.get("optional")
            and layer["type"] in ("region", "band")
            and not {layer["analysis"], layer.get("variant", layer["analysis"])} <= known
        )
    ]


def required_analyses(description: Mapping, analyses: Iterable[str]) -> list[str]:
    """Every analysis (efficiency variants included) whose chi2 table the figure draws, in drawing order."""
    names = []
    for layer in drawn_layers(description, analyses):
        if layer["type"] in ("region", "band"):
            names += [layer["analysis"], *([layer["variant"]] if "variant" in layer else [])]
    return list(dict.fromkeys(names))


def skipped_layers(description: Mapping, analyses: Iterable[str]) -> list[str]:
    """Labels of the optional layers left out because the config does not define their analysis."""
    drawn = [id(layer) for layer in drawn_layers(description, analyses)]
    return [layer["label"] for layer in description.get("layers", []) if id(layer) not in drawn]


def buildable(descriptions: Mapping[str, Mapping], models: Sequence[str]) -> dict[str, Mapping]:
    """The figures with at least one panel among the models computed (the others cannot be drawn)."""
    return {name: d for name, d in descriptions.items() if d["panels"] == "all" or panels(d, models)}


def check_figures(descriptions: Mapping[str, Mapping], config: Mapping, analyses: Iterable[str]) -> None:
    """Raise :class:`ConfigError` naming the figure and layer of anything a figure needs that is not configured.

    Checked: layer colours are colours; panels name known mediators; the analyses of non-optional layers
    exist; rate figures name known sources; external-limit lists exist; core layers draw a quantity of the
    core tables.
    """
    from matplotlib.colors import is_color_like  # the colours as the figure jobs will read them

    known = set(analyses)
    for name, description in descriptions.items():
        key = f"figure {name} (config/figures.yaml)"
        for number, layer in enumerate(description.get("layers", []), start=1):
            if "colour" in layer and not is_color_like(layer["colour"]):
                raise ConfigError(
                    f"{key}, layer {number} ({layer['label']!r}): colour {layer['colour']!r} is not a "
                    "matplotlib colour (a name such as 'navy', 'tab:blue', or '#1f77b4')"
                )
        if description["panels"] != "all":
            unknown = [m for m in description["panels"] if m not in config["models"]]
            if unknown:
                raise ConfigError(f"{key}: unknown model(s) {unknown} in panels; known: {sorted(config['models'])}")
            if description["kind"] != "bounds":
                raise ConfigError(f"{key}: a {description['kind']} figure draws every mediator type (panels: all)")
        for number, layer in enumerate(description.get("layers", []), start=1):
            if layer.get("model", next(iter(config["models"]))) not in config["models"]:
                raise ConfigError(f"{key}, layer {number} ({layer['label']!r}): unknown model {layer['model']!r}")
        for source in description.get("sources", []):
            if source not in config["sources"]:
                raise ConfigError(f"{key}: unknown source {source!r}; known: {sorted(config['sources'])}")
        lists = config.get("external_limits", {})
        if "external_limits" in description and description["external_limits"] not in lists:
            raise ConfigError(
                f"{key}: external_limits {description['external_limits']!r} is not a list of the "
                f"config's external_limits; known: {sorted(k for k in lists if k != 'directory')}"
            )
        for number, layer in enumerate(description.get("layers", []), start=1):
            if layer["type"] not in ("region", "band") or layer.get("optional"):
                continue
            for analysis in (layer["analysis"], layer.get("variant", layer["analysis"])):
                if analysis not in known:
                    raise ConfigError(
                        f"{key}, layer {number} ({layer['label']!r}): draws analysis {analysis!r}, which the config "
                        "does not define (add it under analyses, or mark the layer optional: true)"
                    )
