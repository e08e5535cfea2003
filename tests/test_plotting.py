"""The figures' shared helpers (astrocevns.presentation.plotting) that carry numbers into labels."""

import pytest

from astrocevns.presentation import plotting


@pytest.mark.parametrize(
    "value, label", [(1e-5, "10⁻⁵"), (1.0, "10⁰"), (1e3, "10³"), (1e-12, "10⁻¹²"), (0.1 * (1 + 1e-12), "10⁻¹")]
)
def test_decade_tick_labels_in_superscripts(value, label):
    assert plotting.decade_label(value) == label


@pytest.mark.parametrize("value, label", [(1e-5, "10⁻⁵"), (3e-5, "3 × 10⁻⁵"), (1e-3, "10⁻³")])
def test_unicode_numbers(value, label):
    assert plotting.unicode_number(value) == label


def test_region_styles_light_fill_opaque_outline():
    fill = plotting.region_style({"style": "fill", "colour": "orange"})
    assert fill["face"][3] == plotting.FILL_ALPHA < 0.3 and fill["colour"] == "#e66101"
    assert fill["linestyle"] == "-" and fill["hatch"] is None and fill["patch"]
    hatch = plotting.region_style({"style": "hatch", "colour": "blue", "hatch": "\\\\", "line": "dashed"})
    assert hatch["face"] == "none" and hatch["hatch"] == "\\\\" and hatch["linestyle"] == "--"
    line = plotting.region_style({"style": "dashed", "colour": "blue"})
    assert not line["patch"] and line["linestyle"] == "--"
    assert plotting.region_style({"style": "fill", "colour": "grey", "width": 4.0})["linewidth"] == 4.0


def test_legend_has_one_entry_per_label_in_first_drawn_order():
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], label=name) for name in ("a", "b", "a", "c", "b")]
    assert [h.get_label() for h in plotting.unique_handles(handles)] == ["a", "b", "c"]
    assert plotting.unique_handles(handles)[0] is handles[0]


def test_regime_columns_group_the_couplings_of_each_mass_light_to_heavy():
    curves = [{"g": 3e-5, "m_MeV": 0.1}, {"g": 1e-3, "m_MeV": 1000.0}, {"g": 1e-5, "m_MeV": 0.1}]
    assert plotting.regime_curves(curves) == [(0.1, [3e-5, 1e-5]), (1000.0, [1e-3])]


def test_figure_data_rows_carry_the_colour_map_value(tmp_path):
    data = plotting.FigureData()
    data.add("map", "scalar", [1.0, 2.0], [1e-5, 2e-5], value=[0.5, 1.5])
    data.add("line", "scalar", [1.0], [3e-5])
    data.write_csv(tmp_path / "fig.csv")
    assert (tmp_path / "fig.csv").read_text().splitlines() == [
        "layer,panel,line,edge,x,y,value",
        '"map","scalar",0,,1,1e-05,0.5',
        '"map","scalar",0,,2,2e-05,1.5',
        '"line","scalar",0,,1,3e-05,',
    ]


@pytest.mark.parametrize(
    "name, label",
    [
        ("atmospheric/combined-xenon1t_nr", "atmospheric, RES-NOVA-3 + DARWIN, XENON1T efficiency"),
        ("sn_marginalised/darwin", "SN, marginalised, DARWIN"),
        ("sn_cc/resnova3", "CC-SN (27 M☉), RES-NOVA-3"),
        ("coherent_csi/coherent_csi", "coherent_csi, coherent_csi"),
    ],
)
def test_scan_legends_name_analyses_readably(name, label):
    assert plotting.analysis_label(name) == label


def test_scan_panels_in_a_stable_order():
    assert plotting.model_order(["b_minus_l", "axion", "universal_scalar", "universal_vector", "b_minus_l"]) == [
        "universal_vector",
        "universal_scalar",
        "b_minus_l",
        "axion",
    ]


def test_scan_point_without_a_ratio_is_logged_not_silently_dropped(caplog):
    import logging

    import pandas as pd

    table = pd.DataFrame(
        {
            "value": [1.0, 2.0, 1.0, 2.0],
            "analysis": ["solar/combined"] * 4,
            "model": ["universal_vector"] * 4,
            "m_MeV": [1.0, 1.0, 10.0, 10.0],
            "ratio_to_base": [1.0, float("nan"), 1.0, 0.9],
        }
    )
    scan = {"name": "exposure", "values": [1.0, 2.0], "base_values": [1.0], "label": "exposure [yr]"}
    with caplog.at_level(logging.WARNING):
        fig = plotting.scan_figure(table, scan, logging.getLogger("scan"))
    assert "no ratio for solar/combined, universal_vector, m = 1 MeV at 2.0" in caplog.text
    assert sum(len(line.get_xdata()) for line in fig.axes[0].get_lines() if line.get_marker() == "o") == 3


def test_expected_band_shades_the_16_to_84_percent_quantiles_of_its_analysis_and_model():
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    bands = pd.DataFrame(
        {
            "analysis": ["solar/combined"] * 2 + ["sn_cc/combined"],
            "model": ["universal_vector"] * 3,
            "m_MeV": [10.0, 1.0, 1.0],
            "q16": [2.0, 1.0, 5.0],
            "q84": [4.0, 3.0, 6.0],
        }
    )
    layer = {"analysis": "solar/combined", "colour": "pink", "label": "solar: expected"}
    data = plotting.FigureData()
    fig, ax = plt.subplots()
    assert plotting.expected_band(ax, data, layer, "universal_vector", bands) is not None
    x, y = data.parts[0][4], data.parts[0][5]
    # the outline runs along q16 in increasing mass and back along q84
    assert np.asarray(x).tolist() == [1.0, 10.0, 10.0, 1.0]
    assert np.asarray(y).tolist() == [1.0, 2.0, 4.0, 3.0]
    assert plotting.expected_band(ax, data, layer, "universal_scalar", bands) is None
    plt.close(fig)
