"""The figures' declarative descriptions (config/figures.yaml) and the checks of what they draw."""

import pytest
import yaml
from helpers import ROOT, load_config

from astrocevns import figures
from astrocevns.analyses import expand_analyses
from astrocevns.config import ConfigError

DESCRIPTIONS = yaml.safe_load((ROOT / "config" / "figures.yaml").read_text())
CONFIG = load_config()
ANALYSES = expand_analyses(CONFIG["analyses"], CONFIG["detectors"], CONFIG["statistics"]["normalisation_uncertainty"])


def test_the_paper_figures_are_all_described():
    assert sorted(DESCRIPTIONS, key=lambda name: int(name[3:])) == [f"fig{n}" for n in range(1, 13)]
    figures.check_figures(DESCRIPTIONS, CONFIG, ANALYSES)


def test_required_analyses_include_band_variants_in_drawing_order():
    needed = figures.required_analyses(DESCRIPTIONS["fig5"], ANALYSES)
    assert needed[:2] == ["sn_cc/combined", "sn_cc/combined-xenon1t_nr"]
    assert set(needed) == {f"{s}/{d}" for s in ("sn_cc", "sn_failed") for d in ("combined", "darwin", "resnova3")} | {
        "sn_cc/combined-xenon1t_nr", "sn_failed/combined-xenon1t_nr"}


def test_optional_layer_of_an_unconfigured_analysis_is_skipped_not_an_error():
    without = {name: a for name, a in ANALYSES.items() if not name.startswith("xenon1t/")}
    figures.check_figures(DESCRIPTIONS, CONFIG, without)
    assert "xenon1t/xenon1t" not in figures.required_analyses(DESCRIPTIONS["fig7"], without)
    assert figures.skipped_layers(DESCRIPTIONS["fig7"], without) == ["XENON1T 2018 (1 t yr)", "XENONnT 2024 (data)"]


def test_missing_analysis_of_a_required_layer_names_figure_and_layer():
    without = {name: a for name, a in ANALYSES.items() if name != "solar/darwin"}
    with pytest.raises(ConfigError, match=r"figure fig7 .*layer 9 \('solar \(⁸B \+ hep\): DARWIN'\).*'solar/darwin'"):
        figures.check_figures(DESCRIPTIONS, CONFIG, without)


def test_figures_of_models_not_computed_are_not_built():
    built = figures.buildable(DESCRIPTIONS, ["universal_vector"])
    assert "fig10" not in built and "fig9" not in built and "fig8" in built
    assert figures.panels(DESCRIPTIONS["fig5"], ["universal_vector"]) == ["universal_vector"]


def test_unknown_model_in_panels_is_an_error():
    broken = {"fig8": {**DESCRIPTIONS["fig8"], "panels": ["axion"]}}
    with pytest.raises(ConfigError, match="figure fig8 .*unknown model"):
        figures.check_figures(broken, CONFIG, ANALYSES)


def test_a_colour_that_is_no_colour_names_figure_and_layer():
    # it used to stop the figure job, after the 119 jobs before it
    layers = [dict(layer) for layer in DESCRIPTIONS["fig6"]["layers"]]
    layers[0]["colour"] = "navvy"
    broken = {"fig6": {**DESCRIPTIONS["fig6"], "layers": layers}}
    with pytest.raises(ConfigError, match=r"figure fig6 \(config/figures.yaml\), layer 1 \(.*\): colour 'navvy' is "
                                          r"not a matplotlib colour"):
        figures.check_figures(broken, CONFIG, ANALYSES)
