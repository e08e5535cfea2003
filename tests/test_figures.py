"""The figures' declarative descriptions (config/figures.yaml) and the checks of what they draw."""

import pytest
import yaml
from helpers import ROOT, load_config

from astrocevns.inference.analyses import expand_analyses
from astrocevns.pipeline.config import ConfigError
from astrocevns.presentation import figures

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
        "sn_cc/combined-xenon1t_nr",
        "sn_failed/combined-xenon1t_nr",
    }


def test_optional_layer_of_an_unconfigured_analysis_is_skipped_not_an_error():
    without = {name: a for name, a in ANALYSES.items() if not name.startswith("xenon1t/")}
    figures.check_figures(DESCRIPTIONS, CONFIG, without)
    assert "xenon1t/xenon1t" not in figures.required_analyses(DESCRIPTIONS["fig7"], without)
    assert figures.skipped_layers(DESCRIPTIONS["fig7"], without) == ["XENONnT 2024 (data)", "XENON1T S2 (1 t yr)"]


def test_missing_analysis_of_a_required_layer_names_figure_and_layer():
    without = {name: a for name, a in ANALYSES.items() if name != "solar/darwin"}
    with pytest.raises(ConfigError, match=r"figure fig7 .*layer 4 \('solar \(⁸B \+ hep\): DARWIN'\).*'solar/darwin'"):
        figures.check_figures(DESCRIPTIONS, CONFIG, without)


def test_figures_of_models_not_computed_are_not_built():
    built = figures.buildable(DESCRIPTIONS, ["universal_vector"])
    assert "fig10" not in built and "fig9" not in built and "fig8" in built
    assert figures.panels(DESCRIPTIONS["fig5"], ["universal_vector"]) == ["universal_vector"]


def test_unknown_model_in_panels_is_an_error():
    broken = {"fig8": {**DESCRIPTIONS["fig8"], "panels": ["axion"]}}
    with pytest.raises(ConfigError, match="figure fig8 .*unknown model"):
        figures.check_figures(broken, CONFIG, ANALYSES)


# What each caption of the paper demands of the figure's description (colours and styles are data there).


def layer(number, label):
    """The layer of fig{number} with this legend text."""
    found = [entry for entry in DESCRIPTIONS[f"fig{number}"]["layers"] if entry["label"] == label]
    assert found, f"fig{number} has no layer {label!r}"
    return found[0]


def layers_of(number, analysis):
    return [entry for entry in DESCRIPTIONS[f"fig{number}"]["layers"] if entry.get("analysis") == analysis]


def test_fig1_tau_10_s_dashed_100_s_solid_black_and_cooling_lines_white_and_grey():
    description = DESCRIPTIONS["fig1"]
    assert CONFIG["core"]["diffusion_times_s"] == [10.0, 100.0]
    assert description["tau_lines"] == [{"colour": "black", "style": "dashed"}, {"colour": "black", "style": "solid"}]
    assert description["cooling"]["nue"]["colour"] == "white"
    assert description["cooling"]["nux"]["colour"] in ("grey", "0.6")


@pytest.mark.parametrize("number", [2, 3, 4])
def test_rate_figures_lead_orange_xenon_blue(number):
    description = DESCRIPTIONS[f"fig{number}"]
    assert description["target_colours"] == {"Pb": "orange", "Xe": "blue"}
    assert "solid" not in description["curve_styles"]  # the SM alone is solid
    assert len(description["curve_styles"]) >= len(CONFIG["figures"]["rate_curves"])


def test_fig5_darwin_hatched_resnova3_dashed_combination_filled_and_last():
    for source, shade in (("sn_cc", "orange"), ("sn_failed", "blue")):
        styles = {
            d: [e["style"] for e in layers_of(5, f"{source}/{d}") if e["type"] == "region"]
            for d in ("darwin", "resnova3", "combined")
        }
        assert styles == {"darwin": ["hatch"], "resnova3": ["dashed"], "combined": ["fill"]}
        assert {e["colour"] for e in layers_of(5, f"{source}/combined")} == {shade}
        assert {e["colour"] for e in layers_of(5, f"{source}/darwin")} == {shade}
    regions = [e for e in DESCRIPTIONS["fig5"]["layers"] if e["type"] == "region"]
    assert [e["analysis"].split("/")[1] for e in regions[-2:]] == ["combined", "combined"]
    hatches = [e["hatch"] for e in regions if e["style"] == "hatch"]
    assert len(set(hatches)) == 2 and {h[0] for h in hatches} == {"/", "\\"}  # hatches of other angles
    bands = [e for e in DESCRIPTIONS["fig5"]["layers"] if e["type"] == "band"]
    assert {(e["analysis"], e["colour"]) for e in bands} == {
        ("sn_cc/combined", "orange"),
        ("sn_failed/combined", "blue"),
    }


def test_fig6_detector_colours_filled_regions():
    colours = {e["analysis"].split("/")[1]: (e["colour"], e["style"]) for e in DESCRIPTIONS["fig6"]["layers"]}
    assert colours == {
        "darwin": ("navy", "fill"),
        "xenonnt": ("cyan", "fill"),
        "resnova3": ("yellow", "fill"),
        "resnova1": ("red", "fill"),
    }


def test_fig7_atmospheric_blue_solar_pink_xenon1t_beige_over_them_xenonnt_filled():
    regions = [e for e in DESCRIPTIONS["fig7"]["layers"] if e["type"] == "region"]
    by_analysis = {e["analysis"]: e for e in regions}
    assert {by_analysis[f"atmospheric/{d}"]["colour"] for d in ("darwin", "resnova3", "combined")} == {"blue"}
    assert {by_analysis[f"solar/{d}"]["colour"] for d in ("darwin", "resnova3", "combined")} == {"pink"}
    assert by_analysis["xenon1t/xenon1t"]["colour"] == "beige"
    order = [e["analysis"] for e in regions]
    assert order.index("xenon1t/xenon1t") > order.index("atmospheric/combined")  # visible above the atmospheric
    assert by_analysis["xenonnt_2024/xenonnt_2024"]["style"] == "fill"  # the excluded side and the allowed strip


def test_fig8_sn_green_solar_and_atmospheric_one_orange_region_xenon1t_light_green_core_as_fig1():
    sn = layers_of(8, "sn_marginalised/combined")
    assert [(e["colour"], e["style"]) for e in sn] == [("green", "hatch")]
    sun_and_sky = layers_of(8, "solar/combined") + layers_of(8, "atmospheric/combined")
    assert {(e["colour"], e["style"], e["label"]) for e in sun_and_sky} == {
        ("orange", "hatch", "solar + atmospheric, RES-NOVA-3 + DARWIN")
    }  # one region, one legend entry
    assert layers_of(8, "xenon1t/xenon1t")[0]["colour"] == "lightgreen"
    core = {e["level"]: (e["colour"], e["style"]) for e in DESCRIPTIONS["fig8"]["layers"] if e["type"] == "core"}
    assert core == {10.0: ("black", "dashed"), 100.0: ("black", "solid")}


@pytest.mark.parametrize("number", [9, 10])
def test_figs9_10_sn_blue_dashed_hatched_solar_atmospheric_red_solid_hatched_core_purple(number):
    sn = layers_of(number, "sn_marginalised/combined")
    projected = [e for e in sn if "model" not in e]
    assert [(e["colour"], e["style"], e["line"]) for e in projected] == [("blue", "hatch", "dashed")]
    sun_and_sky = [
        e for a in ("solar/combined", "atmospheric/combined") for e in layers_of(number, a) if "model" not in e
    ]
    assert {(e["colour"], e["style"], e["line"]) for e in sun_and_sky} == {("red", "hatch", "solid")}
    core = [e for e in DESCRIPTIONS[f"fig{number}"]["layers"] if e["type"] == "core"]
    assert core[0]["quantity"] == "tau_s" and (core[0]["colour"], core[0]["style"]) == ("purple", "dashdot")
    for existing in ("coherent_csi/coherent_csi", "xenon1t/xenon1t"):  # leptons and quarks: beige solid regions
        assert [(e["colour"], e["style"]) for e in layers_of(number, existing)] == [("beige", "fill")]


def test_fig9_external_bounds_in_the_captions_groups():
    styles = DESCRIPTIONS["fig9"]["external_styles"]
    assert {name: (s["colour"], s["style"]) for name, s in styles.items()} == {
        "b_minus_l_beam_dump": ("beige", "fill"),
        "b_minus_l_nu_lepton": ("beige", "fill"),  # leptons and quarks
        "bbn": ("beige", "hatch"),
        "sn1987a": ("beige", "hatch"),
    }  # neutrinos only: right-slash hatch
    assert {styles[name]["hatch"][0] for name in ("bbn", "sn1987a")} == {"/"}
    assert set(styles) == set(CONFIG["external_limits"]["fig9"])


def test_fig10_core_tau_dash_dotted_and_scalar_cooling_line_dotted_purple():
    core = {e["quantity"]: e for e in DESCRIPTIONS["fig10"]["layers"] if e["type"] == "core"}
    assert (core["tau_s"]["style"], core["n_scatter_nue"]["style"]) == ("dashdot", "dotted")
    assert core["n_scatter_nue"]["colour"] == "purple" and core["n_scatter_nue"]["level"] == 1.0
    assert core["n_scatter_nux"]["style"] == "dotted"


def test_fig11_25_percent_regions_solid_10_percent_dashed_coinciding_lines_both_visible():
    by_analysis = {e["analysis"]: e for e in DESCRIPTIONS["fig11"]["layers"]}
    assert by_analysis["sn_cc/combined"]["style"] == by_analysis["sn_marginalised/combined"]["style"] == "fill"
    assert by_analysis["sn_cc-sigma10/combined"]["style"] == "dashed"
    assert by_analysis["sn_marginalised-sigma10/combined"]["style"] == "dashed"
    # the marginalised lines coincide with the CC-SN ones where the CC-SN is weaker: drawn wide, beneath
    order = list(by_analysis)
    for marginalised, cc in (
        ("sn_marginalised/combined", "sn_cc/combined"),
        ("sn_marginalised-sigma10/combined", "sn_cc-sigma10/combined"),
    ):
        assert order.index(marginalised) < order.index(cc)
        assert by_analysis[marginalised].get("width", 1.3) > 2 * by_analysis[cc].get("width", 1.3)


def test_fig12_sm_solid_blue_orange_band_mediators_blue_and_beige_three_regimes():
    description = DESCRIPTIONS["fig12"]
    assert description["sm"] == {"colour": "blue", "style": "solid"} and description["band"]["colour"] == "orange"
    assert [c["colour"] for c in description["curves"]] == ["blue", "beige"]
    masses = sorted({c["m_MeV"] for c in CONFIG["figures"]["regime_curves"]})
    assert len(masses) == 3  # light, comparable, heavy: 2 m_T E_r ~ 2 * 122 GeV * 5 keV ~ (35 MeV)^2 on Xe
    assert masses[0] < 35.0 / 10 and masses[1] == pytest.approx(35.0, rel=1) and masses[2] > 35.0 * 10


def test_every_colour_named_is_a_palette_or_matplotlib_colour():
    from matplotlib.colors import is_color_like

    from astrocevns.presentation import plotting

    def colours(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from ([value] if key == "colour" else colours(value))
        elif isinstance(node, list):
            for item in node:
                yield from colours(item)

    for name, description in DESCRIPTIONS.items():
        for value in colours(description):
            assert is_color_like(plotting.colour(value)), f"{name}: colour {value!r}"


def test_a_colour_that_is_no_colour_names_figure_and_layer():
    # it used to stop the figure job, after the 119 jobs before it
    layers = [dict(layer) for layer in DESCRIPTIONS["fig6"]["layers"]]
    layers[0]["colour"] = "navvy"
    broken = {"fig6": {**DESCRIPTIONS["fig6"], "layers": layers}}
    with pytest.raises(
        ConfigError,
        match=r"figure fig6 \(config/figures.yaml\), layer 1 \(.*\): colour 'navvy' is "
        r"not a matplotlib colour",
    ):
        figures.check_figures(broken, CONFIG, ANALYSES)
