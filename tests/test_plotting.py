"""The figures' shared helpers (astrocevns.plotting) that carry numbers into labels."""

import pytest

from astrocevns import plotting


@pytest.mark.parametrize("value, label", [(1e-5, "10⁻⁵"), (1.0, "10⁰"), (1e3, "10³"), (1e-12, "10⁻¹²"),
                                          (0.1 * (1 + 1e-12), "10⁻¹")])
def test_decade_tick_labels_in_superscripts(value, label):
    assert plotting.decade_label(value) == label


@pytest.mark.parametrize("value, label", [(1e-5, "10^{-5}"), (3e-5, "3 \\times 10^{-5}")])
def test_latex_numbers(value, label):
    assert plotting.latex_number(value) == label


def test_expected_band_shades_the_16_to_84_percent_quantiles_of_its_analysis_and_model():
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    bands = pd.DataFrame({"analysis": ["solar/combined"] * 2 + ["sn_cc/combined"], "model": ["universal_vector"] * 3,
                          "m_MeV": [10.0, 1.0, 1.0], "q16": [2.0, 1.0, 5.0], "q84": [4.0, 3.0, 6.0]})
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
