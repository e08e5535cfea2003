"""External bounds (resources/external_limits/README.md): the reader, its region kinds, and the shipped curves
against the public tables they are derived from."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from helpers import ROOT
from matplotlib.path import Path as Polygon

from astrocevns.tables import io

CURVE = """# name: test bound
# citation: nowhere, fig. 0
# mediator: vector
# convention: g_BL
m_MeV,coupling
0.1,3e-5
10,3e-5
1000,3e-3
"""

LIMITS = ROOT / "resources" / "external_limits"
SHIPPED = {  # file: the experiments of the public tables whose union it is (../shared/reference/external_limits)
    "b_minus_l_beam_dump": ["E137", "E141", "Orsay", "NuCal", "CHARM"],
    "b_minus_l_nu_lepton": ["Borexino", "Texono", "CHARM-II"],
}
CEILING_G_BL = 1.0  # where the shipped regions are cut (resources/derivation/external_limits.py)


def test_reads_curve_and_converts_b_minus_l_coupling(tmp_path):
    path = tmp_path / "curve.csv"
    path.write_text(CURVE)
    header, m, g = io.read_limit_curve(path)
    assert header["name"] == "test bound" and header["mediator"] == "vector"
    assert header["region"] == "lower"  # a file without a region line is a lower edge, as before
    # U(1)_{B-L}: g_q = g_BL / 3, g_nu = g_BL, so g = sqrt(g_nu g_q) = g_BL / sqrt(3)
    assert np.allclose(g, np.array([3e-5, 3e-5, 3e-3]) / np.sqrt(3))
    assert np.array_equal(m, [0.1, 10, 1000])


def test_reads_an_upper_edge_and_a_closed_region(tmp_path):
    upper = tmp_path / "upper.csv"
    upper.write_text(CURVE.replace("# convention: g_BL\n", "# convention: g_BL\n# region: upper\n"))
    assert io.read_limit_curve(upper)[0]["region"] == "upper"
    closed = tmp_path / "closed.csv"
    closed.write_text(
        CURVE.replace("# convention: g_BL\n", "# convention: g\n# region: closed\n").replace(
            "1000,3e-3", "1000,3e-3\n10,1e-2"
        )
    )  # goes back in mass: allowed for an outline
    header, m, g = io.read_limit_curve(closed)
    assert header["region"] == "closed"
    assert np.array_equal(m, [0.1, 10, 1000, 10]) and np.array_equal(g, [3e-5, 3e-5, 3e-3, 1e-2])


@pytest.mark.parametrize(
    "edit, message",
    [
        (("# convention: g_BL", "# convention: epsilon"), "convention 'epsilon' not one of"),
        (("# citation: nowhere, fig. 0\n", ""), "header line '# citation: ...' missing"),
        (("10,3e-5", "0.01,3e-5"), "line 7: mass not strictly increasing"),
        (("1000,3e-3", "1000,-3e-3"), "line 8: mass and coupling must be positive"),
        (("# convention: g_BL\n", "# convention: g_BL\n# region: band\n"), "region 'band' not one of"),
        (
            ("# convention: g_BL\n", "# convention: g_BL\n# region: upper\n", "10,3e-5", "0.01,3e-5"),
            "line 8: mass not strictly increasing",
        ),
        (
            ("# convention: g_BL\n", "# convention: g_BL\n# region: closed\n", "1000,3e-3\n", ""),
            "a closed region needs at least three points, found 2",
        ),
    ],
)
def test_rejects_malformed_curves(tmp_path, edit, message):
    path = tmp_path / "curve.csv"
    text = CURVE
    for old, new in zip(edit[::2], edit[1::2], strict=True):
        text = text.replace(old, new)
    path.write_text(text)
    with pytest.raises(io.InputError, match=message):
        io.read_limit_curve(path)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_regions_carry_their_provenance_and_are_listed_for_fig9(name):
    header, m, g = io.read_limit_curve(LIMITS / f"{name}.csv")
    assert (header["mediator"], header["convention"], header["region"]) == ("vector", "g_BL", "closed")
    assert "arXiv:1803.05466" in header["citation"]
    assert "KlingFelix/FORESEE" in header["origin"] and header["licence"].startswith("MIT License")
    assert all(experiment in header["paper"] for experiment in SHIPPED[name])
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    assert name in config["external_limits"]["fig9"]
    assert config["external_limits"]["directory"] == "resources/external_limits"


def closed_polygon(log_m, log_g):
    return Polygon(np.column_stack([np.append(log_m, log_m[0]), np.append(log_g, log_g[0])]), closed=True)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_region_is_the_union_of_the_public_outlines(name, reference_dir):
    """A point lies inside the shipped outline exactly when it lies inside one of the experiments' outlines
    (matplotlib's point-in-polygon test on the public tables), below the cut at g_BL = 1; points within 0.02
    decades of a boundary are not judged."""
    _, m_MeV, g = io.read_limit_curve(LIMITS / f"{name}.csv")
    shipped = closed_polygon(np.log10(m_MeV), np.log10(g * np.sqrt(3.0)))
    sources = []
    for experiment in SHIPPED[name]:
        mass_GeV, g_BL = np.loadtxt(
            reference_dir / "external_limits" / "b_minus_l" / f"bounds_{experiment}.txt", unpack=True
        )
        sources.append(closed_polygon(np.log10(mass_GeV * 1e3), np.log10(g_BL)))
    rng = np.random.default_rng(11)
    lo, hi = np.min(shipped.vertices, axis=0), np.max(shipped.vertices, axis=0)
    points = rng.uniform(lo - 0.3, hi + 0.3, size=(20000, 2))

    def truth(shift):
        moved = points + shift
        inside = np.any([source.contains_points(moved) for source in sources], axis=0)
        return inside & (moved[:, 1] < np.log10(CEILING_G_BL))

    expected = truth((0.0, 0.0))
    clear = np.ones(len(points), dtype=bool)
    for shift in ((0.02, 0.0), (-0.02, 0.0), (0.0, 0.02), (0.0, -0.02)):
        clear &= truth(shift) == expected
    assert expected[clear].sum() > 2000 and (~expected[clear]).sum() > 2000
    assert np.array_equal(shipped.contains_points(points[clear]), expected[clear])


def test_every_shipped_file_is_described_in_the_readme():
    readme = (LIMITS / "README.md").read_text()
    shipped = sorted(path.stem for path in Path(LIMITS).glob("*.csv"))
    assert shipped == sorted(SHIPPED)
    assert all(f"`{name}.csv`" in readme for name in shipped)
