"""Pseudo-experiments of the XENONnT 2024 statistical model (astrocevns.datasets.data_toys): counts and auxiliary
measurements
per problem, toys at the data's conditional fit, q of a parabolic case against chi^2, seeds, and the rule."""

from pathlib import Path

import numpy as np
import pytest
from helpers import ROOT, TEST_CONFIG, copy_workflow, load_config, run_snakemake
from scipy import stats

from astrocevns.datasets import data_toys, recasting
from astrocevns.datasets.xenonnt2024.model import ReleaseModel
from astrocevns.datasets.xenonnt2024.release import read_release
from astrocevns.datasets.xenonnt2024.response import build_response
from astrocevns.inference import toys
from astrocevns.physics import builders, models, sources
from astrocevns.tables import io

CONFIG = load_config()
SETTINGS = CONFIG["xenonnt_2024"]
SUBSET = Path(SETTINGS["data"]) if Path(SETTINGS["data"]).is_absolute() else ROOT / SETTINGS["data"]


@pytest.fixture(scope="module")
def release():
    return read_release(SUBSET)


@pytest.fixture(scope="module")
def response(release):
    return build_response(release, SETTINGS["nodes_per_interval"])


def sm_coefficients(response):
    """The Standard-Model solar CEvNS spectrum at the response nodes [events / (t yr keV)], shape (1, n_nodes)."""
    fluence = sources.total_fluence(sources.source_table(CONFIG["sources"]["solar"], CONFIG["oscillations"]))
    xenon = builders.nucleus("Xe", CONFIG["targets"]["Xe"], CONFIG["form_factor"])
    kernel = recasting.cevns_kernel(fluence, xenon, response.nodes_keV)
    a, _, _ = kernel.coupling_polynomial(
        models.from_config("universal_vector", CONFIG["models"]["universal_vector"]), np.array([1.0])
    )
    return a / CONFIG["sources"]["solar"]["exposure_yr"]


def test_the_data_as_toys_give_the_data_deviance(release, response):
    """with_data of the release's own counts (three copies) and nominal auxiliary values is the data's model; binned
    counts the empty bins too, with the same D."""
    model = ReleaseModel(release, SETTINGS["yields"], SETTINGS["yield_step"])
    a = sm_coefficients(response)
    coefficients = [a, 0 * a, 0 * a]
    expected = model.profile(recasting.coupling_templates(model, response, coefficients).at_couplings([0.0], [0]))[0]
    counts = np.tile(np.array([run.observed for run in release.runs]), (3, 1, 1))
    for other in (model.binned(), model.with_data(counts)):
        n = other.observed.shape[0] if other.observed.ndim == 2 else 1
        templates = recasting.coupling_templates(other, response, coefficients)
        deviance = other.profile(templates.at_couplings(np.zeros(n), np.zeros(n, int)))[0]
        assert deviance == pytest.approx(np.full(n, expected[0]), abs=1e-9)


def test_auxiliary_measurements_move_the_constraints(release, response):
    """A toy whose auxiliary value of the 8B multiplier is b_0 = 1.05: its profiled D is D at the fitted b with the
    prior left out (flux_scale) plus ((b - b_0) / w)^2, by hand; with b_0 = 1 it would differ."""
    model = ReleaseModel(release, "nominal")
    a = sm_coefficients(response)
    coefficients = [a, 0 * a, 0 * a]
    counts = np.array([run.observed for run in release.runs])[None]
    width = release.parameters["b8_rate_multiplier"].uncertainty
    shifted = model.with_data(counts, {"b8_rate_multiplier": [1.05]})
    at = recasting.coupling_templates(shifted, response, coefficients).at_couplings([0.0], [0])
    deviance, best = shifted.profile(at)
    b = best["theta"][:, best["names"].index("b8_rate_multiplier")]
    without_prior = shifted.profile(at, flux_scale=b)[0]
    assert deviance == pytest.approx(without_prior + ((b - 1.05) / width) ** 2, abs=1e-6)
    assert abs(deviance[0] - without_prior[0] - ((b[0] - 1.0) / width) ** 2) > 0.1


def test_toys_are_drawn_at_the_conditional_fit_and_by_seed(release, response):
    """Same identity, same toys; the toys' mean counts are the expectation at the conditional fit (to 4 sigma) and
    the auxiliary values scatter around the fitted nuisances with the constraints' widths."""
    model = ReleaseModel(release, SETTINGS["yields"], SETTINGS["yield_step"])
    a = sm_coefficients(response)
    coefficients = [a, 0 * a, 0 * a]
    first = data_toys.draw(model, response, coefficients, 0.0, 0, toys.generator(1, "t", 0), 400)
    again = data_toys.draw(model, response, coefficients, 0.0, 0, toys.generator(1, "t", 0), 400)
    other = data_toys.draw(model, response, coefficients, 0.0, 0, toys.generator(1, "t", 1), 400)
    assert np.array_equal(first[0], again[0]) and all(np.array_equal(first[1][k], again[1][k]) for k in first[1])
    assert not np.array_equal(first[0], other[0])
    binned = model.binned()
    templates = recasting.coupling_templates(binned, response, coefficients)
    _, best = binned.profile(templates.at_couplings([0.0], [0]))
    total = binned.expectation(templates.at_couplings([0.0], [0]), best)[0].sum()
    assert first[0].sum(axis=(1, 2)).mean() == pytest.approx(total, abs=4 * np.sqrt(total / 400))
    for name, (centre, width) in binned.constraints(best).items():
        assert first[1][name].mean() == pytest.approx(centre[0], abs=4 * width / np.sqrt(400)), name
        assert first[1][name].std() == pytest.approx(width, rel=0.15), name


def test_wilks_holds_where_the_likelihood_is_parabolic(release, response):
    """A signal of 10 times the SM solar CEvNS at g = g0 with its own spectral shape, N = a + (g / g0)^2 s: several
    hundred events, far from g = 0, q_1 is chi^2 with 1 dof; the fraction below 2.71 is 0.90 within 3 sigma of the
    binomial MC error, the 90 % quantile within 3 sigma of its MC error (1 / f(q90) x sqrt(0.09 / N))."""
    model = ReleaseModel(release, "nominal")
    a = sm_coefficients(response)
    g0, n_toys = 1e-4, 300
    shape = a * (response.nodes_keV / np.mean(response.nodes_keV)) ** 2
    coefficients = [a, 10 * shape * a.sum() / shape.sum() / g0**2, 0 * a]
    counts, auxiliary = data_toys.draw(model, response, coefficients, g0, 0, toys.generator(2, "wilks"), n_toys)
    search = np.geomspace(0.6 * g0, 1.6 * g0, 11)
    q1, q2 = data_toys.toy_statistics(model, response, coefficients, g0, counts, auxiliary, search, 1)
    assert np.all(q1 >= -1e-9) and np.array_equal(q1, q2)  # one mass: both statistics are the same
    threshold = stats.chi2.ppf(0.9, 1)
    assert np.mean(q1 <= threshold) == pytest.approx(0.9, abs=3 * np.sqrt(0.09 / n_toys))
    error = np.sqrt(0.09 / n_toys) / stats.chi2.pdf(threshold, 1)
    assert np.quantile(q1, 0.9) == pytest.approx(threshold, abs=3 * error)


@pytest.mark.workflow
def test_rule_writes_coverage_rows_of_the_data(tmp_path):
    """The test configuration's data point: a coverage.csv row per hypothesis with the toys' quantiles, the data's q
    and the bound columns, beside the projections' rows."""
    directory = copy_workflow(tmp_path / "workflow")
    result = run_snakemake(directory, "results/tables/coverage.csv", "--cores", "2", *TEST_CONFIG)
    assert result.returncode == 0, result.stderr[-3000:]
    table = io.read_csv(directory / "results/tables/coverage.csv")
    data = table[table.reference == "data"]
    point = load_config("test.yaml")["toys"]["coverage"]["data"]["points"][0]
    assert list(data.point) == [point["name"]] * len(point["g"])
    assert data.g.tolist() == pytest.approx(point["g"])
    assert (data.n_toys == 50).all() and data.q90_1dof.between(0.0, 20.0).all()
    assert {"bound_toys_1dof", "bound_wilks_2dof", "delta_chi2_1dof"} <= set(data.columns)
    assert (table.reference == "asimov").any()
