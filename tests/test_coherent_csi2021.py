"""COHERENT CsI[Na] 2021 data analysis (astrocevns.datasets.coherent_csi2021): the derived release subset, the timing
model, quenching, resolution and efficiency, the likelihood, and the validation against arXiv:2110.07730."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers import REFERENCE, ROOT, corrupted_copy, load_config
from scipy import integrate

from astrocevns.datasets import recasting
from astrocevns.datasets.coherent_csi2021 import recast, timing
from astrocevns.datasets.coherent_csi2021.model import CsIModel
from astrocevns.datasets.coherent_csi2021.release import read_release
from astrocevns.datasets.coherent_csi2021.response import build_response, efficiency, pe_density, quenched_keVee
from astrocevns.tables.io import InputError

CONFIG = load_config()
SETTINGS = CONFIG["coherent_csi_2021"]
SUBSET = ROOT / SETTINGS["data"]
SOURCE = REFERENCE / "coherent_csi_2021"
PAPER_SM, PAPER_SM_TH, PAPER_SM_EXP = 341.0, 11.0, 42.0  # arXiv:2110.07730: SM CEvNS prediction
PAPER_FIT, PAPER_FIT_ERROR = 306.0, 20.0  # arXiv:2110.07730: fitted CEvNS events


@pytest.fixture(scope="module")
def release():
    return read_release(SUBSET)


@pytest.fixture(scope="module")
def response(release):
    return build_response(release, SETTINGS)


@pytest.fixture(scope="module")
def model(release):
    return CsIModel(release, SETTINGS["flux_uncertainty"])


def coefficients(response, name, masses=(1.0,)):
    spec = {**CONFIG, "model": {"name": name}}
    return recast.spectrum_coefficients(spec, None, CONFIG["models"][name], np.asarray(masses), response)


@pytest.fixture(scope="module")
def sm_templates(model, response):
    """The Standard-Model CEvNS template at every response point (no problem axis)."""
    a, _, _ = coefficients(response, "universal_vector")
    return model.anchored(response.templates(a[0]))


# ---- the derived subset ----------------------------------------------------------------------------------------


def test_event_counts_in_the_region_of_interest(release):
    """1578 coincident and 1295 anti-coincident events with PE < 60, trec < 6 us (asserted by an independent
    third-party analysis of this release), and the per-PE-bin counts of the release's own event lists."""
    assert release.coincident.sum() == 1578 and release.anticoincident.sum() == 1295
    np.testing.assert_array_equal(release.pe_edges, [0, 8, 12, 16, 20, 24, 32, 40, 50, 60])
    np.testing.assert_array_equal(release.coincident.sum(axis=1), [11, 147, 224, 177, 144, 237, 210, 231, 197])
    np.testing.assert_array_equal(release.anticoincident.sum(axis=1), [4, 98, 144, 123, 105, 202, 182, 216, 221])


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the reference copy of the release is not available")
def test_events_binned_from_the_release_event_lists(release):
    """events.csv against the release's event lists, binned here with np.histogram2d on the same edges."""
    for window, file in ((release.coincident, "dataBeamOnC.txt"), (release.anticoincident, "dataBeamOnAC.txt")):
        pe, t = np.loadtxt(SOURCE / file, comments="#").T
        keep = (pe < 60) & (t >= 0) & (t < 6)
        counts = np.histogram2d(pe[keep], t[keep], bins=(release.pe_edges, release.time_edges_us))[0]
        np.testing.assert_array_equal(window, counts)


@pytest.mark.parametrize("name", ["events.csv", "parameters.csv", "response_curves.csv", "neutron_time_pdfs.csv"])
def test_missing_file_is_named(tmp_path, name):
    directory = tmp_path / "subset"
    shutil.copytree(SUBSET, directory)
    (directory / name).unlink()
    with pytest.raises(InputError, match=name):
        read_release(directory)


def test_modified_file_fails_its_checksum(tmp_path):
    directory = tmp_path / "subset"
    shutil.copytree(SUBSET, directory)
    path = directory / "events.csv"
    path.write_text(path.read_text().replace(",11,", ",12,", 1))
    with pytest.raises(InputError, match="events.csv: SHA-256 differs"):
        read_release(directory)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("events.csv", "pe_bin,t_bin", "pe_bin,time_bin", "column"),
        ("response_curves.csv", "quenching,model1_minus", "quenching,model2_minus", "model1_minus"),
        ("parameters.csv", "brn_events", "brn_count", "brn_events"),
        ("neutron_energy_pdfs.csv", "\n0.0,1.0,", "\n0.0,1.5,", "not contiguous"),
    ],
)
def test_malformed_file_is_named(tmp_path, name, old, new, message):
    def edit(directory):
        path = directory / name
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new, 1))

    with pytest.raises(InputError, match=message) as error:
        read_release(corrupted_copy(SUBSET, tmp_path, edit))
    assert name in str(error.value)


# ---- timing ----------------------------------------------------------------------------------------------------

MEAN_US, WIDTH_US = 0.4734, 0.1464


def test_timing_pdfs_integrate_to_one():
    """Eqs. T1 and T2 are CDFs: 0 long before the pulse, 1 long after; their densities integrate to 1."""
    assert timing.prompt_cdf(-5.0, MEAN_US, WIDTH_US) < 1e-12 and timing.delayed_cdf(-5.0, MEAN_US, WIDTH_US) < 1e-12
    assert timing.prompt_cdf(60.0, MEAN_US, WIDTH_US) == pytest.approx(1.0, abs=1e-12)
    assert timing.delayed_cdf(60.0, MEAN_US, WIDTH_US) == pytest.approx(1.0, abs=1e-10)
    for g in range(2):
        total, _ = integrate.quad(
            lambda t, g=g: timing.densities(t, MEAN_US, WIDTH_US)[g], -5.0, 60.0, points=[0.47], limit=200
        )
        assert total == pytest.approx(1.0, abs=1e-8)


def test_timing_means_add_the_lifetimes():
    """The mean arrival time is the pulse's mean plus tau_pi (prompt) or tau_pi + tau_mu (delayed)."""
    for g, expected in ((0, MEAN_US + 0.026033), (1, MEAN_US + 0.026033 + 2.1969811)):
        mean, _ = integrate.quad(
            lambda t, g=g: t * timing.densities(t, MEAN_US, WIDTH_US)[g], -5.0, 80.0, points=[0.47], limit=200
        )
        assert mean == pytest.approx(expected, abs=1e-7)


def test_delayed_tail_has_the_muon_lifetime():
    """Long after the pulse the delayed density falls as exp(-t / 2.1969811 us) (PDG muon lifetime)."""
    t = np.array([3.0, 8.0])
    density = timing.densities(t, MEAN_US, WIDTH_US)[1]
    assert (t[1] - t[0]) / np.log(density[0] / density[1]) == pytest.approx(2.1969811, rel=1e-6)


def test_bin_probabilities_quadrature_against_the_cdfs():
    """With no timing efficiency the Gauss-Legendre bin integrals equal the CDF differences: 16 nodes per bin
    on the analysis bins are within 1e-9 (the prompt peak is 0.15 us wide, the narrowest bins 0.1 us)."""
    edges = np.array([0.0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0])
    probabilities = timing.bin_probabilities(edges, MEAN_US, WIDTH_US, 0.52, 0.0)
    np.testing.assert_allclose(probabilities[0], np.diff(timing.prompt_cdf(edges, MEAN_US, WIDTH_US)), atol=1e-9)
    np.testing.assert_allclose(probabilities[1], np.diff(timing.delayed_cdf(edges, MEAN_US, WIDTH_US)), atol=1e-9)


def test_timing_efficiency_values():
    """Eq. T3: 1 before 0.52 us, exp(-0.0494 x 4.48) = 0.8015 at 5 us."""
    np.testing.assert_allclose(
        timing.timing_efficiency([0.3, 0.52, 5.0], 0.52, 0.0494), [1.0, 1.0, np.exp(-0.0494 * 4.48)]
    )


def test_pot_trace_reproduces_the_nin_timing(release):
    """The NIN follow the delayed neutrinos: with the POT trace of parameters.csv (fitted to it) eq. T2 gives the
    release's NIN time PDF within 1.5 % of its peak in every 0.01-us bin."""
    edges = release.neutron_time_edges_us
    pdf = release.neutron_time["nin"] / release.neutron_time["nin"].sum()
    model = np.diff(timing.delayed_cdf(edges, release.value("pot_trace_mean_us"), release.value("pot_trace_width_us")))
    assert np.max(np.abs(model / model.sum() - pdf)) < 0.015 * pdf.max()


def test_steady_state_time_profile_matches_the_anticoincident_events(model, release):
    """The AC events (no beam) in time follow the timing efficiency: chi^2 of their time histogram against a flat
    rate times eq. T3 is below the 99 % quantile for 12 degrees of freedom (26.2)."""
    observed = release.anticoincident.sum(axis=0)
    expected = observed.sum() * model.steady_time
    assert np.sum((observed - expected) ** 2 / expected) < 26.2
    flat = observed.sum() * np.diff(release.time_edges_us) / 6.0
    assert np.sum((observed - expected) ** 2 / expected) < np.sum((observed - flat) ** 2 / flat)


# ---- quenching, resolution, efficiency ---------------------------------------------------------------------------


def test_quenching_at_a_hand_computed_point(release):
    """Nominal E_ee at 10 keVnr: 0.0554628e-2 + 4.30681e-4 - 111.707e-6 + 840.384e-8 = 8.820058e-4 MeVee."""
    assert quenched_keVee(10.0, release.quenching["nominal"]) == pytest.approx(0.8820058, rel=1e-7)
    quenching_factor = quenched_keVee(np.array([5.0, 20.0, 30.0, 50.0]), release.quenching["nominal"]) / np.array(
        [5.0, 20.0, 30.0, 50.0]
    )
    np.testing.assert_allclose(quenching_factor, [0.074, 0.104, 0.107, 0.097], atol=6e-4)  # the release's README


def test_efficiency_values(release):
    """Nominal efficiency at 5, 8, 10, 15, 20, 30, 60 PE: 0 (clipped), 0.071, 0.246, 0.677, 0.897, 0.982, 0.987."""
    np.testing.assert_allclose(
        efficiency([5.0, 8.0, 10.0, 15.0, 20.0, 30.0, 60.0], release.efficiency["nominal"]),
        [0.0, 0.071, 0.246, 0.677, 0.897, 0.982, 0.987],
        atol=6e-4,
    )
    assert efficiency(10.0, release.efficiency["plus"]) > efficiency(10.0, release.efficiency["minus"])


def test_resolution_is_normalised_with_mean_13_35_pe_per_keVee():
    for E_ee in (0.3, 1.0, 3.0):
        norm, _ = integrate.quad(lambda x, e=E_ee: pe_density(x, e, 0.0749, 9.56), 0, 200)
        mean, _ = integrate.quad(lambda x, e=E_ee: x * pe_density(x, e, 0.0749, 9.56), 0, 200)
        assert norm == pytest.approx(1.0, abs=1e-9)
        assert mean == pytest.approx(E_ee / 0.0749, rel=1e-8)


def test_response_quadrature_accuracy(release, response):
    """The config's recoil, PE and time quadratures against twice as many nodes: SM CEvNS per bin within 2e-3 of
    the largest bin, in total within 5e-4."""
    fine = build_response(
        release,
        {
            **SETTINGS,
            "recoil_keV": {**SETTINGS["recoil_keV"], "step": 0.25},
            "recoil_nodes_per_interval": 8,
            "pe_nodes_per_PE": 8,
            "time_nodes_per_bin": 32,
        },
    )
    coarse = response.templates(coefficients(response, "universal_vector")[0][0])[0]
    accurate = fine.templates(coefficients(fine, "universal_vector")[0][0])[0]
    assert np.max(np.abs(coarse - accurate)) < 2e-3 * accurate.max()
    assert coarse.sum() == pytest.approx(accurate.sum(), rel=5e-4)


def test_recoils_below_the_range_do_not_pass(release):
    """Recoils below 1 keVnr (E_ee < 0.07 keVee, ~1 PE) are kept with probability below 1e-5."""
    x = np.linspace(0.0, 60.0, 6001)
    kept = np.trapezoid(
        pe_density(x[1:], quenched_keVee(1.0, release.quenching["model0_plus"]), 0.0749, 9.56)
        * efficiency(x[1:], release.efficiency["plus"]),
        x[1:],
    )
    assert kept < 1e-5


# ---- spectra -----------------------------------------------------------------------------------------------------


def test_prompt_recoils_end_at_the_kinematic_limit(response):
    """The prompt 29.79 MeV nu_mu recoil Cs and I up to 2 E^2 / (m_T + 2 E): 14.33 and 15.01 keV (m_T = A u)."""
    a, _, _ = coefficients(response, "universal_vector")
    limit_keV = max(2 * 29.79**2 / (A * 931.494 + 2 * 29.79) * 1e3 for A in (132.905, 126.904))
    nodes = response.nodes_keV
    assert np.all(a[0, 0, nodes > limit_keV + 0.01] == 0.0) and np.all(a[0, 0, nodes < limit_keV - 0.05] > 0.0)
    assert np.all(a[0, 1, nodes < 45.0] > 0.0)


def test_flavour_specific_models_change_prompt_and_delayed_apart(response):
    """U(1)_{B-3L_e} couples nu_e only: the prompt nu_mu spectrum keeps the SM (b = c = 0), the delayed one does not."""
    _, b, c = coefficients(response, "b_minus_3l_e")
    assert np.all(b[0, 0] == 0.0) and np.all(c[0, 0] == 0.0)
    assert np.any(b[0, 1] != 0.0)


def test_standard_model_recovered_at_small_coupling(model, response):
    """At g = 1e-12 the templates of every model are the SM's to 1e-12 and give the SM's D (the vector's relative
    change is 2 g^2 Q_V sqrt(2) / (G_F Q_w m^2) ~ 4e-16 at 1 MeV)."""
    for name in ("universal_vector", "universal_scalar", "b_minus_l"):
        templates = recasting.coupling_templates(model, response, coefficients(response, name, [1.0, 100.0]))
        small = templates.at_couplings([1e-12, 1e-12], [0, 1]).at(0)[1]
        np.testing.assert_allclose(small, templates.total[0, :, 0], rtol=1e-12)
        deviance = recasting.profiled_deviance(model, templates, np.array([0.0, 1e-12]), np.array([0, 1]))
        assert deviance[1] == pytest.approx(deviance[0], abs=1e-8)


# ---- validation against arXiv:2110.07730 ------------------------------------------------------------------------


def test_standard_model_expectation_against_the_paper(sm_templates):
    """341 +- 11 (th) +- 42 (exp) SM CEvNS events: ours at the nominal response within the combined uncertainty."""
    events = sm_templates.total[0]
    assert abs(events - PAPER_SM) < np.hypot(PAPER_SM_TH, PAPER_SM_EXP)


def test_fitted_cevns_events_against_the_paper(release, sm_templates):
    """The CEvNS normalisation free (as the paper fits it): 306 +- 20 events fitted; ours within 20 of 306, and the
    best-fit normalisation (fitted / predicted) within the paper's 306/341 = 0.897 +- 20/341."""
    free = CsIModel(release, np.inf)
    _, best = free.profile(sm_templates)
    events = float(best["cevns_events"][0])
    assert abs(events - PAPER_FIT) < PAPER_FIT_ERROR
    assert abs(events / sm_templates.total[0] - PAPER_FIT / PAPER_SM) < PAPER_FIT_ERROR / PAPER_SM
    names = best["names"]
    assert best["theta"][0, names.index("brn_multiplier")] == pytest.approx(1.0, abs=0.5)


def test_cevns_significance(release, sm_templates):
    """CEvNS is observed: the free fit against no CEvNS (flux scale 0) has q > 81, i.e. above 9 sigma (ours: q = 100,
    10 sigma; the paper, with its full flux file and companion systematics: 11.6 sigma)."""
    free = CsIModel(release, np.inf)
    best, _ = free.profile(sm_templates)
    none, _ = free.profile(sm_templates, flux_scale=np.array([0.0]))
    assert none[0] - best[0] > 81.0


def test_flux_scale_fixes_the_flux_and_drops_its_prior(model, sm_templates):
    """D with the flux fixed at its profiled value is D less that value's prior term ((phi - 1) / 0.1)^2."""
    deviance, best = model.profile(sm_templates)
    phi = best["theta"][0, 0]
    fixed, _ = model.profile(sm_templates, flux_scale=np.array([phi]))
    assert fixed[0] == pytest.approx(deviance[0] - ((phi - 1.0) / SETTINGS["flux_uncertainty"]) ** 2, abs=1e-6)


def test_profile_is_vectorised_over_problems(model, sm_templates):
    """Many problems at once give the D of each problem alone."""
    scales = np.array([0.5, 1.0, 1.5])
    batched = type(sm_templates)(sm_templates.at_events * scales[:, None, None], sm_templates.total * scales[:, None])
    together, _ = model.profile(batched)
    for k, s in enumerate(scales):
        alone, _ = model.profile(type(sm_templates)(sm_templates.at_events * s, sm_templates.total * s))
        assert together[k] == pytest.approx(alone[0], abs=1e-6)


def test_registered_as_a_data_release():
    entry = recasting.release_analysis("coherent_csi_2021")
    assert entry.ANALYSIS == "coherent_csi_2021/coherent_csi_2021"
    assert Path(SUBSET, "checksums.txt").is_file()


# ---- the fast profile against a slow reference -----------------------------------------------------------------


def reference_profile(model, cevns, flux_scale=None):
    """The slow reference: eq. M1 with eq. M3 over every C and AC bin with events, minimised in each of the eight
    sign patterns by the general template likelihood (astrocevns.datasets.xenonnt2024.likelihood) from the nominal
    point,
    the least D kept."""
    import itertools

    from astrocevns.datasets.coherent_csi2021.model import SHAPE_PARAMETERS, SHAPES
    from astrocevns.datasets.xenonnt2024 import likelihood

    names = model.parameter_names()
    n_problems = max(np.size(cevns.at(0)[1]), 1 if flux_scale is None else np.size(flux_scale))
    parameters = model._parameters()
    if flux_scale is not None:
        parameters = parameters.fixed(0, np.broadcast_to(flux_scale, (n_problems,)))
    best = np.full(n_problems, np.inf)
    for signs in itertools.product((1, -1), repeat=len(SHAPES)):
        base, base_total = cevns.at(0)
        components = [likelihood.Component((0,), base, base_total)]
        for k, (name, sign) in enumerate(zip(SHAPES, signs, strict=True)):
            varied, varied_total = cevns.at(SHAPE_PARAMETERS[name][0 if sign > 0 else 1])
            components.append(likelihood.Component((0, 3 + k), varied - base, varied_total - base_total))
        components += [
            likelihood.Component((names.index(name),), *template) for name, template in model.backgrounds.items()
        ]
        best = np.minimum(best, likelihood.minimise(model.observed, components, parameters)[0])
    return best


@pytest.fixture(scope="module")
def grid_sample(model, response):
    """60 (g, m) points of the universal vector, g log-uniform over the config's grid, m among its masses."""
    from astrocevns.inference import grids

    masses = grids.log_axis(CONFIG["grid"]["m_MeV"])
    templates = recasting.coupling_templates(model, response, coefficients(response, "universal_vector", masses))
    rng = np.random.default_rng(7)
    g = np.exp(rng.uniform(np.log(CONFIG["grid"]["g"]["min"]), np.log(CONFIG["grid"]["g"]["max"]), 60))
    return templates.at_couplings(g, rng.integers(0, masses.size, 60)), np.exp(0.1 * rng.standard_normal(60))


def test_profile_against_the_slow_reference_at_the_test_points(release, model, sm_templates):
    """The SM templates with the config's flux prior, without it, with the flux fixed (0, 0.9, 1.2): D as the
    reference's to 1e-6."""
    free = CsIModel(release, np.inf)
    for m, flux in ((model, None), (free, None), (free, np.array([0.0, 0.9, 1.2]))):
        assert m.profile(sm_templates, flux_scale=flux)[0] == pytest.approx(
            reference_profile(m, sm_templates, flux), abs=1e-6
        )


def test_profile_against_the_slow_reference_on_grid_points(model, grid_sample):
    """60 random grid points (q up to hundreds), own flux prior and flux fixed: D as the reference's to 1e-6
    (relative 1e-12 where D is beyond 1e6: a flux fixed under a template of 1e8 times the SM's events)."""
    problems, flux = grid_sample
    for scale in (None, flux):
        fast, slow = model.profile(problems, flux_scale=scale)[0], reference_profile(model, problems, scale)
        np.testing.assert_allclose(fast, slow, atol=1e-6, rtol=1e-12)
