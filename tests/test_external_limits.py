"""Reader of user-supplied external bounds (resources/external_limits/README.md)."""

import numpy as np
import pytest

from astrocevns import io

CURVE = """# name: test bound
# citation: nowhere, fig. 0
# mediator: vector
# convention: g_BL
m_MeV,coupling
0.1,3e-5
10,3e-5
1000,3e-3
"""


def test_reads_curve_and_converts_b_minus_l_coupling(tmp_path):
    path = tmp_path / "curve.csv"
    path.write_text(CURVE)
    header, m, g = io.read_limit_curve(path)
    assert header["name"] == "test bound" and header["mediator"] == "vector"
    # U(1)_{B-L}: g_q = g_BL / 3, g_nu = g_BL, so g = sqrt(g_nu g_q) = g_BL / sqrt(3)
    assert np.allclose(g, np.array([3e-5, 3e-5, 3e-3]) / np.sqrt(3))
    assert np.array_equal(m, [0.1, 10, 1000])


@pytest.mark.parametrize(
    "edit, message",
    [
        (("# convention: g_BL", "# convention: epsilon"), "convention 'epsilon' not one of"),
        (("# citation: nowhere, fig. 0\n", ""), "header line '# citation: ...' missing"),
        (("10,3e-5", "0.01,3e-5"), "line 7: mass not strictly increasing"),
        (("1000,3e-3", "1000,-3e-3"), "line 8: mass and coupling must be positive"),
    ],
)
def test_rejects_malformed_curves(tmp_path, edit, message):
    path = tmp_path / "curve.csv"
    path.write_text(CURVE.replace(*edit))
    with pytest.raises(io.InputError, match=message):
        io.read_limit_curve(path)
