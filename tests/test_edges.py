"""Exact boundaries in g at fixed masses (astrocevns.inference.edges): against known roots, against the fine scan of
bounds.smallest_excluded_coupling, against the marching-squares contour of a 4x finer grid, and their outlines."""

import numpy as np
import pytest
from matplotlib.path import Path

from astrocevns.inference import contours, edges, statistics
from astrocevns.inference.bounds import smallest_excluded_coupling
from astrocevns.physics import fluxes, rates
from astrocevns.physics.detectors import Detector, Efficiency

THRESHOLD = statistics.delta_chi2(0.9, 2)  # 4.61
REPORT_MASSES_MEV = np.array([0.1, 1.0, 10.0, 100.0, 1000.0])
SIGMA_SN = 0.25


def analytic_chi2(roots_log10):
    """chi2 = T exp((x - r1)(x - r2)(x - r3)), x = log10 g: excluded on (r1, r2) and above r3, each r of shape (k,)."""
    r1, r2, r3 = roots_log10

    def chi2(g):
        x = np.log10(g)
        return THRESHOLD * np.exp((x - r1) * (x - r2) * (x - r3))

    return chi2


def by_mass(table, masses):
    """Rows of an edge table per mass, as a list of dicts of arrays."""
    return [
        {name: np.asarray(values)[np.asarray(table["m_MeV"]) == m] for name, values in table.items()} for m in masses
    ]


def test_edges_are_the_known_roots_with_the_range_ends():
    m = np.geomspace(1e-2, 1e4, 13)
    log_m = np.log10(m)
    r1 = -6.0 + 0.3 * log_m
    roots = (r1, r1 + 1.0, r1 + 1.5)
    table = edges.exclusion_edges(analytic_chi2(roots), m, 1e-9, 1.0, THRESHOLD, scan_points=100)
    for k, rows in enumerate(by_mass(table, m)):
        assert list(rows["edge"]) == ["lower", "upper", "lower", "upper"]
        assert list(rows["interval"]) == [0, 0, 1, 1]
        assert list(rows["crossing"]) == [True, True, True, False]
        assert np.log10(rows["g"][:3]) == pytest.approx([r[k] for r in roots], abs=1e-9)
        assert rows["g"][3] == 1.0  # the excluded interval reaches the end of the range


class PointwiseChi2:
    """An analytic chi2 that also evaluates scattered points (``at_points``), counting the points it is given."""

    def __init__(self, chi2, n_masses):
        self.chi2, self.n_masses, self.points = chi2, n_masses, 0

    def __call__(self, g):
        self.points += g.size
        return self.chi2(g)

    def at_points(self, g, column):
        self.points += g.size
        full = self.chi2(np.repeat(g[:, None], self.n_masses, axis=1))
        return full[np.arange(g.size), column]


def test_pointwise_evaluation_finds_the_same_edges_without_padding():
    """Masses with one edge next to masses with four: the padded call evaluates every mass as often as the
    busiest one; ``at_points`` only the brackets, with bit-identical edges."""
    m = np.geomspace(1e-2, 1e4, 13)
    r1 = -6.0 + 0.3 * np.log10(m)
    r2 = np.where(np.arange(m.size) % 4 == 0, r1 + 1.0, r1 - 10.0)  # most masses: (r1, r2) below the range
    roots = (np.minimum(r1, r2), np.maximum(r1, r2), r1 + 1.5)
    padded = edges.exclusion_edges(analytic_chi2(roots), m, 1e-9, 1.0, THRESHOLD, scan_points=100)
    pointwise = PointwiseChi2(analytic_chi2(roots), m.size)
    table = edges.exclusion_edges(pointwise, m, 1e-9, 1.0, THRESHOLD, scan_points=100)
    for name, column in padded.items():
        assert np.array_equal(table[name], column), name
    n_crossings = int(np.sum(padded["crossing"]))
    n_steps = int(np.ceil(np.log2((np.log(1.0 / 1e-9) / 99) / 1e-10)))  # bisection steps from a scan step to rtol
    assert pointwise.points == 100 * m.size + n_crossings * n_steps
    assert n_crossings < 3 * m.size  # so the padded bisection (3 rows per mass) evaluates more


def test_excluded_at_the_start_of_the_range_gives_a_lower_row_at_g_min():
    table = edges.exclusion_edges(
        lambda g: np.where(g < 1e-4, 10.0, 0.0), np.array([1.0, 2.0]), 1e-6, 1.0, THRESHOLD, scan_points=50
    )
    assert list(table["edge"]) == ["lower", "upper"] * 2
    assert list(table["crossing"]) == [False, True] * 2
    assert table["g"][::2] == pytest.approx([1e-6, 1e-6], rel=1e-15)
    assert table["g"][1::2] == pytest.approx([1e-4, 1e-4], rel=1e-9)  # a jump is located like a smooth crossing


def test_features_narrower_than_the_scan_step_are_found():
    # scan step 0.09 decades; an allowed gap of 0.002 decades (as the vector strip) and an excluded island of
    # 0.004 decades below the lower boundary (at 1 MeV centred half-way between two scan points, so that the two
    # samples around it are level)
    m = np.array([1.0, 10.0, 100.0])
    r1 = np.array([-6.0, -5.7, -5.4])
    gap = analytic_chi2((r1, r1 + 1.0, r1 + 1.002))

    def chi2(g):
        x = np.log10(g)
        # a broad bump that exceeds T only for |x - c| < 0.002: it shows as a local maximum of the scan
        island = THRESHOLD * np.exp(10.0 * (0.002**2 - (x - (r1 - 1.5)) ** 2))
        return np.maximum(gap(g), island)

    table = edges.exclusion_edges(chi2, m, 1e-9, 1.0, THRESHOLD, scan_points=100)
    for k, rows in enumerate(by_mass(table, m)):
        expected = [r1[k] - 1.502, r1[k] - 1.498, r1[k], r1[k] + 1.0, r1[k] + 1.002]
        assert list(rows["edge"]) == ["lower", "upper", "lower", "upper", "lower", "upper"]
        assert np.log10(rows["g"][:5]) == pytest.approx(expected, abs=1e-9)


def test_nan_in_chi2_is_an_error():
    with pytest.raises(ValueError, match="NaN"):
        edges.exclusion_edges(lambda g: np.full(g.shape, np.nan), np.array([1.0]), 1e-6, 1.0, THRESHOLD)


@pytest.fixture
def sn_kernel(xenon):
    """A supernova-like fluence (<E> = 14 MeV, alpha = 2.5) on 40 t of xenon, 2 keV bins from 1 keV."""
    E = np.linspace(0.05, 150.0, 4000)
    fluence = fluxes.PiecewiseLinearFluence(E, 1e11 * fluxes.pinched_spectrum(E, 14.0, 14.0**2 * 4.5 / 3.5))
    return rates.recoil_kernel(fluence, Detector("darwin", xenon, 40.0, 1.0, Efficiency.ideal()), 2.0, 100.0)


def chi2_from_polynomial(kernel, mediator, masses):
    """chi2(g) at ``masses`` through the exact polynomial in g^2 of the spectra, as rule chi2 evaluates it."""
    coefficients = kernel.coupling_polynomial(mediator, masses)

    def chi2(g):
        counts = rates.counts_from_polynomial(coefficients, g)
        return statistics.profiled_chi2([counts], [coefficients[0][0]], SIGMA_SN)[0]

    return chi2


@pytest.mark.parametrize("mediator", rates.MEDIATORS)
def test_lowest_edge_is_the_smallest_excluded_coupling_at_the_report_masses(sn_kernel, mediator):
    chi2 = chi2_from_polynomial(sn_kernel, mediator, REPORT_MASSES_MEV)
    reference = smallest_excluded_coupling(chi2, 1e-9, 1.0, THRESHOLD, scan_points=400)
    table = edges.exclusion_edges(chi2, REPORT_MASSES_MEV, 1e-9, 1.0, THRESHOLD, scan_points=400)
    lowest = [rows["g"][0] for rows in by_mass(table, REPORT_MASSES_MEV)]
    assert np.all(np.isfinite(reference))
    assert lowest == pytest.approx(reference, rel=1e-6)


@pytest.mark.parametrize("mediator", rates.MEDIATORS)
def test_every_edge_brackets_the_threshold_of_the_full_rate(sn_kernel, mediator):
    """chi2 from the kernel's counts (not the polynomial) is below the threshold just on the allowed side of
    each edge and above it just on the excluded side, 1e-6 away in g."""
    masses = np.geomspace(1e-2, 1e4, 9)
    table = edges.exclusion_edges(chi2_from_polynomial(sn_kernel, mediator, masses), masses, 1e-7, 1e-2, THRESHOLD)
    crossing = table["crossing"]
    g, m = table["g"][crossing], table["m_MeV"][crossing]
    into_excluded = np.where(table["edge"][crossing] == "lower", 1.0, -1.0)

    def chi2(coupling):
        return statistics.profiled_chi2([sn_kernel.counts(mediator, coupling, m)], [sn_kernel.sm_counts()], SIGMA_SN)[0]

    assert np.all(chi2(g * (1 + 1e-6 * into_excluded)) > THRESHOLD)
    assert np.all(chi2(g * (1 - 1e-6 * into_excluded)) < THRESHOLD)
    assert crossing.sum() >= masses.size


@pytest.mark.parametrize("mediator", rates.MEDIATORS)
def test_edges_match_the_contour_of_a_four_times_finer_grid(sn_kernel, mediator):
    """At each grid mass the marching-squares contour of a grid 4x finer in g and m crosses the mass
    line within half a fine g step of an exact edge, and every exact edge further than two fine steps
    from its neighbours has such a crossing."""
    masses, g = np.geomspace(1e-2, 1e4, 25), np.geomspace(1e-7, 1e-2, 41)
    fine_masses, fine_g = np.geomspace(1e-2, 1e4, 4 * 24 + 1), np.geomspace(1e-7, 1e-2, 4 * 40 + 1)
    fine_step = np.log10(fine_g[1] / fine_g[0])
    fine_chi2 = chi2_from_polynomial(sn_kernel, mediator, fine_masses)(fine_g[:, None])
    lines = contours.exclusion_contours(fine_masses, fine_g, fine_chi2, THRESHOLD)
    table = edges.exclusion_edges(chi2_from_polynomial(sn_kernel, mediator, masses), masses, g[0], g[-1], THRESHOLD)
    compared = 0
    for m, rows in zip(masses, by_mass(table, masses), strict=True):
        exact = np.log10(rows["g"][rows["crossing"]])
        on_line = np.isclose(np.log10(lines["m_MeV"]), np.log10(m), rtol=0, atol=1e-9)
        contour = np.unique(np.round(np.log10(lines["g"][on_line]), 9))
        if contour.size:
            assert np.min(np.abs(contour[:, None] - exact[None, :]), axis=1).max() < 0.5 * fine_step, m
        isolated = np.diff(np.concatenate([[-np.inf], exact, [np.inf]]))
        resolved = exact[np.minimum(isolated[:-1], isolated[1:]) > 2 * fine_step]
        if resolved.size:
            assert np.min(np.abs(resolved[:, None] - contour[None, :]), axis=1).max() < 0.5 * fine_step, m
        compared += resolved.size
    assert compared >= masses.size


def test_accuracy_does_not_depend_on_the_scan(sn_kernel):
    masses = np.geomspace(1e-2, 1e4, 13)
    chi2 = chi2_from_polynomial(sn_kernel, "vector", masses)
    coarse = edges.exclusion_edges(chi2, masses, 1e-7, 1e-2, THRESHOLD, scan_points=60)
    fine = edges.exclusion_edges(chi2, masses, 1e-7, 1e-2, THRESHOLD, scan_points=2000)
    assert list(coarse["edge"]) == list(fine["edge"])
    assert coarse["g"] == pytest.approx(fine["g"], rel=1e-9)


def test_vector_strip_holds_the_coupling_where_the_counts_return_to_the_sm(sn_kernel):
    """Heavy vector mediator: the allowed strip between two excluded intervals contains the g at which the total
    count equals the SM one, sum_i (b_i g^2 + c_i g^4) = 0, i.e. g^2 = -sum b / sum c (eq. 6 expanded)."""
    masses = np.array([300.0, 1000.0, 3000.0])
    table = edges.exclusion_edges(chi2_from_polynomial(sn_kernel, "vector", masses), masses, 1e-7, 1.0, THRESHOLD)
    _, b, c = sn_kernel.coupling_polynomial("vector", masses)
    g_sm = np.sqrt(-b.sum(axis=-1) / c.sum(axis=-1))
    for rows, g_equal in zip(by_mass(table, masses), g_sm, strict=True):
        assert list(rows["edge"]) == ["lower", "upper", "lower", "upper"]
        assert rows["g"][1] < g_equal < rows["g"][2]


# An excluded set with a lower boundary, an allowed hole (lens) above it and an excluded island (ellipse) below.
def lens_and_island(log_m, x):
    r1 = -6.0 + 0.5 * log_m
    lens = np.clip(np.sin(np.pi * (log_m - 0.5) / 2.0), 0.0, None) * ((log_m > 0.5) & (log_m < 2.5))
    in_hole = (x > r1 + 1.0) & (x < r1 + 1.0 + 0.6 * lens)
    ellipse = 0.4 * np.sqrt(np.clip(1.0 - (2.0 * (log_m + 1.0)) ** 2, 0.0, None))
    in_island = np.abs(x - (r1 - 2.0)) < ellipse
    return ((x > r1) & ~in_hole) | in_island


@pytest.fixture
def lens_outline():
    masses = np.geomspace(1e-2, 1e4, 161)

    def chi2(g):
        return np.where(lens_and_island(np.log10(masses), np.log10(g)), 2.0 * THRESHOLD, 0.5 * THRESHOLD)

    table = edges.exclusion_edges(chi2, masses, 1e-9, 1e-1, THRESHOLD, scan_points=200)
    return masses, edges.outline_rings(table, masses)


def ring_paths(rings):
    for index in np.unique(rings["ring"]):
        rows = rings["ring"] == index
        yield np.column_stack([np.log10(rings["m_MeV"][rows]), np.log10(rings["g"][rows])]), rings["stroke"][rows]


def test_rings_contain_exactly_the_excluded_points(lens_outline):
    _, rings = lens_outline
    rng = np.random.default_rng(7)
    points = np.column_stack([rng.uniform(-2.0, 4.0, 20000), rng.uniform(-9.0, -1.0, 20000)])
    truth = lens_and_island(points[:, 0], points[:, 1])
    # keep points whose 0.1-decade neighbourhood in m and 0.05 in g is on the same side (away from the boundary)
    for dm in (-0.1, 0.0, 0.1):
        for dx in (-0.05, 0.0, 0.05):
            truth = np.where(lens_and_island(points[:, 0] + dm, points[:, 1] + dx) == truth, truth, -1)
    keep = truth >= 0
    inside = (
        sum(
            Path(np.vstack([vertices, vertices[:1]]), closed=True).contains_points(points[keep]).astype(int)
            for vertices, _ in ring_paths(rings)
        )
        % 2
        == 1
    )  # even-odd rule
    assert keep.sum() > 15000
    assert np.array_equal(inside, truth[keep] == 1)


def test_rings_run_with_the_excluded_side_on_the_left(lens_outline):
    _, rings = lens_outline
    areas = []
    for vertices, _ in ring_paths(rings):
        x, y = vertices.T
        areas.append(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))  # shoelace: > 0 counter-clockwise
    assert len(areas) == 3
    assert sorted(np.sign(areas)) == [-1, 1, 1]  # the allowed hole runs clockwise


def test_boundary_lines_leave_out_the_range_ends(lens_outline):
    masses, rings = lens_outline
    lines = edges.boundary_lines(rings)
    closed = np.unique(lines["line"][lines["closed"]])
    assert closed.size == 2  # the hole and the island
    open_rows = ~lines["closed"]
    assert np.unique(lines["line"][open_rows]).size == 1  # the lower boundary, from the first to the last mass
    assert np.array_equal(np.unique(lines["m_MeV"][open_rows]), masses)
    expected = -6.0 + 0.5 * np.log10(lines["m_MeV"][open_rows])
    assert np.log10(lines["g"][open_rows]) == pytest.approx(expected, abs=1e-9)


def test_outline_needs_every_mass_of_the_edges():
    table = edges.exclusion_edges(lambda g: g * 1e6, np.array([1.0, 2.0]), 1e-9, 1.0, THRESHOLD, scan_points=20)
    with pytest.raises(ValueError, match="contain the mass of every edge"):
        edges.outline_rings(table, np.array([1.0, 3.0]))
