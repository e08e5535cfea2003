"""COHERENT CENNS-10 liquid-argon Analysis A data analysis (astrocevns.datasets.coherent_lar2020): the derived release
subset, the detector chain, the response per timing group, the likelihood against the release's fit and an
independent fit of its files, the recast entry point."""

import shutil
from pathlib import Path

import helpers
import numpy as np
import pytest
from helpers import ROOT, load_config
from scipy.optimize import brentq
from scipy.stats import norm

from astrocevns.datasets import recasting
from astrocevns.datasets.coherent_lar2020 import detector, recast
from astrocevns.datasets.coherent_lar2020.model import PointTemplates
from astrocevns.datasets.coherent_lar2020.release import TIME_EDGES_US, read_release
from astrocevns.datasets.coherent_lar2020.response import GROUPS, POINTS, build_response
from astrocevns.physics import models
from astrocevns.tables.io import InputError

CONFIG = load_config()
SETTINGS = CONFIG["coherent_lar_2020"]
SUBSET = ROOT / SETTINGS["data"]


@pytest.fixture(scope="module")
def analysis():
    return recast.statistical_model({**SETTINGS, "data": SUBSET})


@pytest.fixture(scope="module")
def release(analysis):
    return analysis[0].release


def free_cevns_fit(model):
    """The release's fit: the CEvNS PDF with a free normalisation (the signal slot), no CEvNS prediction.

    Returns (best-fit events, lower and upper 1-sigma edges from D = D_min + 1, sqrt(D(0) - D_min))."""
    cevns = model.release_cevns()
    nothing = PointTemplates(np.zeros_like(cevns.at_events), np.zeros_like(cevns.total))
    best, theta = model.profile(nothing, cevns)
    s_hat = theta["theta"][0, theta["names"].index("signal_rate_multiplier")]

    def excess(s):
        return model.profile(nothing, cevns, np.array([s]))[0][0] - best[0] - 1.0

    total = cevns.total[0]
    return (
        s_hat * total,
        brentq(excess, 0.2, s_hat) * total,
        brentq(excess, s_hat, 3.0) * total,
        np.sqrt(excess(0.0) + 1.0),
    )


# --- the release's fit -------------------------------------------------------------------------------------


def test_fit_of_the_data_gives_the_releases_cevns_events(analysis):
    """LArParametersAnlA.yaml: 159 +- 43 CEvNS events after the 3-D fit (within 10 %). The independent fit of the
    same files with the same systematics (the reference copy's provenance/verify.py, scipy L-BFGS-B + Powell) gives
    161.7 +44.1 / -43.5 and 3.81 sigma: this Newton profile agrees to 0.1 events."""
    events, lower, upper, significance = free_cevns_fit(analysis[0])
    assert events == pytest.approx(159.0, rel=0.10)
    assert upper - events == pytest.approx(43.0, rel=0.10) and events - lower == pytest.approx(43.0, rel=0.10)
    assert events == pytest.approx(161.7, abs=0.1)
    assert (upper - events, events - lower) == pytest.approx((44.1, 43.5), abs=0.1)
    assert significance == pytest.approx(3.81, abs=0.01)


def test_own_standard_model_through_the_chain_agrees_with_the_release(analysis, release):
    """The workflow's CEvNS (Helm form factor, pi-DAR flux at 0.09 per flavour per proton, 24.4 kg) through QF,
    resolution and efficiency: 133.1 events against the release's 128 +- 17, 4.0 % above (0.3 sigma). Its energy
    distribution is that of the release's PDF within 0.01 in each fraction."""
    own = analysis[1].standard_model_events[0]
    assert own.sum() == pytest.approx(133.1, abs=0.1)
    assert own.sum() / release.value("cevns_prediction") - 1.0 == pytest.approx(0.040, abs=0.002)
    released = release.pdfs["cevns"].sum(axis=(1, 2))
    assert np.max(np.abs(own.sum(axis=0) / own.sum() - released / released.sum())) < 0.01


def test_prompt_fraction_of_the_chain_and_of_the_releases_time_profile(analysis):
    """The release's CEvNS time profile is phi prompt + (1 - phi) delayed (eq. D3) to 7e-4 with a POT-trace mean
    of 452 ns (the YAML: 440 +- 200 ns) and phi = 0.248; the chain's prompt share is 0.219 (29.1 of 133.1)."""
    mean_us, phi, residual = analysis[1].timing
    assert residual < 1e-3
    assert mean_us == pytest.approx(0.440, abs=0.02) and phi == pytest.approx(0.248, abs=0.002)
    own = analysis[1].standard_model_events[0]
    assert own[0].sum() / own.sum() == pytest.approx(0.219, abs=0.002)


# --- the detector chain ------------------------------------------------------------------------------------


def test_quenching_at_a_hand_point():
    """QF = a + b T: at 20 keVnr (0.246 + 0.00078 x 20) x 20 = 5.232 keVee."""
    assert detector.quenched_keVee(20.0, 0.246, 0.00078) == pytest.approx(5.232, rel=1e-12)


def test_resolution_at_a_hand_point():
    """sigma / E = 0.58 / sqrt(E): at 16 keVee sigma = 0.58 x 4 = 2.32 keVee."""
    assert detector.resolution_keVee(16.0, 0.58) == pytest.approx(2.32, rel=1e-12)


def test_efficiency_at_listed_points(release):
    """CENNS10AnlAEfficiency.txt: 0 at 0.25 keVee, 0.2906 at 2.25, 0.6400 at 5.25, 0.9044 at 10.25, 0.9521 at
    20.25, 0.963 at 39.75 keVee; halfway between two points the mean of both."""
    listed = {0.25: 0.0, 2.25: 0.29056, 5.25: 0.640023, 10.25: 0.904381, 20.25: 0.952105}
    for energy, value in listed.items():
        assert np.interp(energy, release.efficiency_keVee, release.efficiency) == pytest.approx(value, abs=1e-6)
    assert release.efficiency[-1] == pytest.approx(0.963, abs=5e-4)
    assert np.interp(5.0, release.efficiency_keVee, release.efficiency) == pytest.approx(
        0.5 * (0.592432 + 0.640023), rel=1e-12
    )


def test_bin_acceptance_beyond_the_efficiency_table(release):
    """Above 40 keVee the efficiency is constant (its last value): a recoil at 65 keVee lands in [60, 70] with
    the Gaussian probability 2 Phi(5 / sigma) - 1, sigma = 0.58 sqrt(65)."""
    edges = np.linspace(0.0, 120.0, 13)
    p = detector.bin_acceptance(65.0, edges, release.efficiency_keVee, release.efficiency, 0.58)
    sigma = 0.58 * np.sqrt(65.0)
    assert p[6] == pytest.approx(release.efficiency[-1] * (2 * norm.cdf(5.0 / sigma) - 1), rel=1e-12)


def test_bin_acceptance_against_numerical_quadrature(release):
    """Eq. D2 (closed form on each linear piece of the efficiency) against a trapezoid sum on 2e4 points a bin."""
    edges = np.linspace(0.0, 120.0, 13)
    for energy in (1.5, 3.0, 9.0, 38.0):
        sigma = 0.58 * np.sqrt(energy)
        expected = []
        for lo, hi in zip(edges[:-1], edges[1:], strict=True):
            x = np.linspace(lo, hi, 20001)
            expected.append(
                np.trapezoid(np.interp(x, release.efficiency_keVee, release.efficiency) * norm.pdf(x, energy, sigma), x)
            )
        p = detector.bin_acceptance(energy, edges, release.efficiency_keVee, release.efficiency, 0.58)
        assert p == pytest.approx(expected, abs=2e-7)


def test_time_profiles_against_sampled_decays():
    """Eq. D3 against 4e5 sampled POT times + pi+ (+ mu+) decay times, in the window -0.1 to 4.9 us."""
    rng = np.random.default_rng(1)
    n = 400000
    arrival = rng.normal(0.44, 0.15, n) + rng.exponential(detector.PION_LIFETIME_US, n)
    samples = (arrival, arrival + rng.exponential(detector.MUON_LIFETIME_US, n))
    profiles = detector.time_profiles(TIME_EDGES_US, 0.44, 0.15)
    for profile, times in zip(profiles, samples, strict=True):
        counts = np.histogram(times, TIME_EDGES_US)[0]
        assert profile == pytest.approx(counts / counts.sum(), abs=4e-3)


# --- the response ------------------------------------------------------------------------------------------


def test_standard_model_recovery(analysis, release):
    """At g -> 0 the template of every point is the Standard Model's: with ``timing: release`` the release's PDF
    itself (and its variants); with ``timing: groups`` its energy and F90 distributions, 128 events."""
    model, response = analysis
    templates = recasting.coupling_templates(
        model, response, recast.spectrum_coefficients({}, None, CONFIG["models"]["universal_vector"], [10.0], response)
    )
    at, total = templates.at_couplings([1e-12], [0]).at()
    released = model.release_cevns()
    assert total[0] == pytest.approx(released.total, rel=1e-9)
    own = response.templates(np.array([response.kernel(g).sm_counts() for g in GROUPS]))[0].reshape(12, 8, 10)
    assert own.sum(axis=2) == pytest.approx(release.pdfs["cevns"].sum(axis=2), abs=1e-9)
    alone = build_response(
        release, response.detector.nucleus, "release", SETTINGS["interval_keV"], SETTINGS["nodes_per_interval"]
    )
    exact = alone.templates(np.array([alone.kernel(g).sm_counts() for g in GROUPS]))
    for k, point in enumerate(POINTS[:4]):
        assert exact[k] == pytest.approx(release.pdfs[point if k else "cevns"].ravel(), abs=1e-9)
    assert model.anchored(exact).at_events == pytest.approx(released.at_events, abs=1e-9)


def test_quadrature_of_the_recoil_nodes(analysis, release):
    """2 keVnr intervals with 4 Gauss-Legendre nodes against 0.5 keVnr with 8: the Standard-Model events per
    point and energy bin agree to 1e-7 of the total."""
    coarse = analysis[1].standard_model_events
    fine = build_response(release, analysis[1].detector.nucleus, "groups", 0.5, 8).standard_model_events
    assert np.max(np.abs(coarse - fine)) < 1e-7 * coarse[0].sum()


def test_timing_groups_are_separate(analysis):
    """A mediator coupled to nu_e alone changes the delayed group only (the prompt flux is nu_mu)."""
    electron = models.Model("electron_only", "vector", (1.0, 0.0, 0.0), 3.0, 3.0)
    a, b, c = recast.spectrum_coefficients({}, None, electron, [1.0, 100.0], analysis[1])
    assert a.shape == (2, 2, analysis[1].nodes_keV.size)
    assert np.all(b[:, 0] == 0.0) and np.all(c[:, 0] == 0.0)
    assert np.all(b[:, 1] < 0.0) and np.all(c[:, 1] > 0.0)  # destructive interference on argon (eq. 6)


# --- the likelihood ----------------------------------------------------------------------------------------


def test_profile_of_many_problems_equals_each_alone(analysis):
    model = analysis[0]
    cevns = model.release_cevns()
    scale = np.array([0.3, 1.0, 2.5])
    many = PointTemplates(cevns.at_events * scale[:, None, None], cevns.total * scale[:, None])
    together = model.profile(many)[0]
    alone = [model.profile(PointTemplates(cevns.at_events * s, cevns.total * s))[0][0] for s in scale]
    assert together == pytest.approx(alone, abs=1e-6)


def test_flux_scale_fixes_the_flux_and_keeps_the_mass_prior(analysis):
    """With the flux scale f fixed the CEvNS normalisation has the fiducial mass's 2.5 % about f; profiled, the
    10 % flux prior lets it move further."""
    model = analysis[0]
    cevns = model.release_cevns()
    fixed = model.profile(cevns, flux_scale=np.array([0.8, 1.0, 1.2]))[1]["theta"][:, 0]
    assert fixed / np.array([0.8, 1.0, 1.2]) == pytest.approx(1.0, abs=0.05)
    free = model.profile(cevns)[1]["theta"][0, 0]
    assert abs(free - 1.0) > abs(fixed[1] - 1.0)
    assert model.cevns_uncertainty == pytest.approx(np.hypot(0.1, 0.61 / 24.4), rel=1e-12)


# --- bad input ---------------------------------------------------------------------------------------------


def test_missing_file_is_named(tmp_path):
    directory = tmp_path / "subset"
    shutil.copytree(SUBSET, directory)
    (directory / "efficiency.csv").unlink()
    with pytest.raises(InputError, match=r"efficiency\.csv: file not found"):
        read_release(directory)


def test_modified_file_is_named(tmp_path):
    directory = tmp_path / "subset"
    shutil.copytree(SUBSET, directory)
    path = directory / "pdfs.csv"
    path.write_text(path.read_text().replace("\n5,0.525,0.15,32,", "\n5,0.525,0.15,33,", 1))
    with pytest.raises(InputError, match=r"pdfs\.csv: SHA-256 differs"):
        read_release(directory)


def test_corrupted_row_is_named(tmp_path):
    def edit(directory):
        path = directory / "pdfs.csv"
        path.write_text(path.read_text().replace("\n5,0.525,0.65,", "\n5,0.575,0.65,", 1))

    with pytest.raises(InputError, match=r"pdfs\.csv, line \d+, column f90: 0\.575, expected the bin centre 0\.525"):
        read_release(helpers.corrupted_copy(SUBSET, tmp_path, edit))


# --- against the reference copy ----------------------------------------------------------------------------


def test_subset_holds_the_reference_files(reference_dir, release):
    folder = reference_dir / "coherent_lar_2020"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    assert release.observed.ravel() == pytest.approx(np.loadtxt(folder / "datanobkgsub.txt")[:, 3], abs=0)
    assert release.pdfs["prompt_brn_timing_width"].ravel() == pytest.approx(
        np.loadtxt(folder / "brnpdfBRNTimingWidthSyst.txt")[:, 3], abs=0
    )
    assert release.efficiency == pytest.approx(np.loadtxt(folder / "CENNS10AnlAEfficiency.txt")[:, 2], abs=0)


def test_entry_point_is_registered():
    assert recasting.release_analysis("coherent_lar_2020") is recast
    assert Path(SUBSET, "checksums.txt").is_file()
