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
