"""Combination of data analyses (astrocevns.datasets.combination): a flux normalisation shared by datasets (eq. C1), the
xenon models' fixed flux scale (``profile(..., flux_scale=)``), and the exclusion of a combination through
astrocevns.datasets.recasting."""

from types import SimpleNamespace

import numpy as np
import pytest
from helpers import load_config

from astrocevns.datasets import combination, recasting
from astrocevns.datasets.xenonnt2024 import likelihood
from astrocevns.datasets.xenonnt2024 import recast as recast_2024
from astrocevns.datasets.xenonnt_s2only2026 import recast as recast_s2only
from astrocevns.physics import builders, models, sources
from astrocevns.tables import io

CONFIG = load_config()


class Counting:
    """Binned Poisson counts mu_j = f s_j(g, m) + b_j with a Gaussian prior ((f - 1) / sigma)^2 on f: a dataset
    whose profile is the template likelihood's (independently tested in test_xenonnt2024.py)."""

    def __init__(self, observed, background, sigma):
        self.observed, self.background, self.sigma = np.asarray(observed, float), np.asarray(background, float), sigma

    def profile(self, cevns, signal=None, signal_multiplier=None, flux_scale=None):
        at_events, total = cevns.at(rows=slice(None))
        parameters = likelihood.Parameters(
            np.array([1.0, 1.0]), np.array([self.sigma, np.inf]), np.array([0.0, 1.0]), np.array([100.0, 1.0])
        )
        if flux_scale is not None:
            parameters = parameters.fixed(0, flux_scale)
        components = [
            likelihood.Component((0,), at_events, total),
            likelihood.Component((1,), self.background, self.background.sum()),
        ]
        deviance, theta = likelihood.minimise(self.observed, components, parameters)
        return deviance, {"names": ["flux", "background"], "theta": theta}


def counting_templates(a, b, c):
    """CouplingTemplates of spectra a + b g^2 + c g^4, each (n_masses, n_bins), without response points."""
    at_events = np.stack([np.asarray(v, float) for v in (a, b, c)])
    return recasting.CouplingTemplates(at_events, at_events.sum(axis=-1))


def one_bin(n, s, sigma):
    """One bin, no background, SM expectation s, n observed."""
    return Counting([n], [0.0], sigma), counting_templates([[s]], [[0.0]], [[0.0]])


def test_two_identical_datasets_sharing_a_flux_by_hand():
    """Two copies of one bin (n events, mu = f s) in one group: h(f) = 2 x 2 [f s - n + n ln(n / (f s))] + ((f - 1)
    / sigma)^2, the data terms doubled and the prior once; h'(f) = 0 is f^2 + (2 sigma^2 s - 1) f - 2 sigma^2 n = 0."""
    n, s, sigma = 13.0, 9.0, 0.1
    model, templates = one_bin(n, s, sigma)
    combined, combined_templates = combination.combine(
        {"a": (model, templates), "b": (model, templates)}, {"shared": {"members": ["a", "b"], "sigma": sigma}}
    )
    deviance, best = combined.profile(combined_templates.at_couplings([0.0], [0]))
    p = 2 * sigma**2 * s - 1
    f = (-p + np.sqrt(p**2 + 8 * sigma**2 * n)) / 2
    one = 2 * (f * s - n + n * np.log(n / (f * s)))
    found = best["flux_scale"]["shared"][0]
    # h'' >= 2 / sigma^2 (the prior): a minimum found to D_TOLERANCE in D puts f within sigma sqrt(D_TOLERANCE)
    assert found == pytest.approx(f, abs=sigma * np.sqrt(combination.D_TOLERANCE))
    assert deviance[0] == pytest.approx(2 * one + ((f - 1) / sigma) ** 2, abs=1e-9)
    at_found = 2 * (found * s - n + n * np.log(n / (found * s)))  # each data term at the f found
    assert best["deviance"]["a"][0] == pytest.approx(at_found, abs=1e-9)
    assert best["deviance"]["b"][0] == pytest.approx(at_found, abs=1e-9)
    assert deviance[0] == pytest.approx(2 * at_found + ((found - 1) / sigma) ** 2, abs=1e-12)


def test_a_dataset_in_no_group_keeps_its_own_prior_and_one_alone_in_a_group_gets_it_back():
    """A dataset alone in a group of its own sigma is the dataset profiled with its prior (to 1e-9); datasets in no
    group add their D."""
    model, templates = one_bin(13.0, 9.0, 0.1)
    other = Counting([4.0, 2.0], [1.0, 0.5], 0.2)
    other_templates = counting_templates([[3.0, 1.0]], [[0.0, 0.0]], [[0.0, 0.0]])
    own = model.profile(templates.at_couplings([0.0], [0]))[0][0]
    own_other = other.profile(other_templates.at_couplings([0.0], [0]))[0][0]
    for groups in ({}, {"g": {"members": ["a"], "sigma": 0.1}}):
        combined, combined_templates = combination.combine(
            {"a": (model, templates), "b": (other, other_templates)}, groups
        )
        deviance = combined.profile(combined_templates.at_couplings([0.0], [0]))[0][0]
        assert deviance == pytest.approx(own + own_other, abs=1e-9)


def test_a_flux_pulled_far_from_its_prior_is_bracketed():
    """Data 3 times the prediction with a loose prior: the minimum lies far outside the first grid
    (the bracket widens), f from the quadratic of the by-hand test with one copy."""
    n, s, sigma = 300.0, 100.0, 0.5
    model, templates = one_bin(n, s, sigma)
    combined, combined_templates = combination.combine(
        {"a": (model, templates)}, {"g": {"members": ["a"], "sigma": sigma}}
    )
    deviance, best = combined.profile(combined_templates.at_couplings([0.0], [0]))
    p = sigma**2 * s - 1
    f = (-p + np.sqrt(p**2 + 4 * sigma**2 * n)) / 2
    assert best["flux_scale"]["g"][0] == pytest.approx(f, abs=sigma * np.sqrt(combination.D_TOLERANCE))
    by_hand = 2 * (f * s - n + n * np.log(n / (f * s))) + ((f - 1) / sigma) ** 2
    assert deviance[0] == pytest.approx(by_hand, abs=combination.D_TOLERANCE)


@pytest.mark.parametrize(
    "groups, message",
    [
        ({"g": {"members": ["a", "z"], "sigma": 0.1}}, "no dataset 'z'"),
        ({"g": {"members": ["a"], "sigma": 0.1}, "h": {"members": ["a"], "sigma": 0.1}}, "in the flux groups"),
        ({"g": {"members": ["a"], "sigma": 0.0}}, "not positive"),
    ],
)
def test_bad_groups_are_named(groups, message):
    model, templates = one_bin(13.0, 9.0, 0.1)
    with pytest.raises((KeyError, ValueError), match=message):
        combination.combine({"a": (model, templates)}, groups)


def test_datasets_on_different_mass_axes_are_refused():
    model, templates = one_bin(13.0, 9.0, 0.1)
    two = counting_templates([[9.0], [9.0]], [[0.0], [0.0]], [[0.0], [0.0]])
    with pytest.raises(ValueError, match="different numbers of masses"):
        combination.combine({"a": (model, templates), "b": (model, two)}, {})


def test_exclusion_of_a_combination_through_recasting(tmp_path):
    """recasting.exclusion and write_tables take a combination unchanged: q on the grid is the by-hand D of two
    one-bin datasets sharing a flux (minimised over f by scipy) less the joint best fit, which lies at or below
    every grid point's D."""
    from scipy.optimize import minimize_scalar

    n, s, sigma = 13.0, 10.0, 0.1
    g0 = np.array([1e-4, 3e-4, 1e-3])  # per mass: s(g) = s (1 - (g / g0)^2 + (g / g0)^4 / 2)
    model = Counting([n], [0.0], sigma)
    templates = counting_templates(np.full((3, 1), s), (-s / g0**2)[:, None], (0.5 * s / g0**4)[:, None])
    combined, combined_templates = combination.combine(
        {"a": (model, templates), "b": (model, templates)}, {"shared": {"members": ["a", "b"], "sigma": sigma}}
    )
    g, m = np.geomspace(1e-6, 1e-2, 9), np.array([1.0, 3.0, 10.0])
    bounds_spec = {"g_min": 1e-7, "g_max": 1e-1, "scan_points": 40, "edge_scan_points": 20}
    result = recasting.exclusion(combined, combined_templates, g, m[:2], m[2:], 4.61, bounds_spec)

    def by_hand(coupling, k):
        mu = s * (1 - (coupling / g0[k]) ** 2 + 0.5 * (coupling / g0[k]) ** 4)

        def h(log_f):
            f = np.exp(log_f)
            return 4 * (f * mu - n + n * np.log(n / (f * mu))) + ((f - 1) / sigma) ** 2

        return minimize_scalar(h, bounds=(-20.0, 3.0), method="bounded", options={"xatol": 1e-10}).fun

    expected = np.array([by_hand(coupling, 0) for coupling in g])
    assert result.q[:, 0] + result.best == pytest.approx(expected, abs=1e-7)
    assert result.best <= expected.min() + 1e-9
    outputs = SimpleNamespace(
        **{kind: tmp_path / f"{kind}.parquet" for kind in ("chi2", "contours", "edges", "bounds", "intervals")}
    )
    entry = {"name": "universal_vector", "mediator": "vector", "coupling": "g"}
    recasting.write_tables(result, "combined_data/test", entry, 4.61, 2, outputs, {})
    chi2 = io.read_parquet(outputs.chi2)[0]
    assert len(chi2) == 2 * g.size
    assert np.isfinite(result.g_min[0])


# --- the xenon models' flux_scale -----------------------------------------------------------------------


def solar_templates(model, response, definition="universal_vector", masses_MeV=(1.0,)):
    fluence = sources.total_fluence(sources.source_table(CONFIG["sources"]["solar"], CONFIG["oscillations"]))
    xenon = builders.nucleus("Xe", CONFIG["targets"]["Xe"], CONFIG["form_factor"])
    kernel = recasting.cevns_kernel(fluence, xenon, response.nodes_keV)
    coefficients = kernel.coupling_polynomial(
        models.from_config(definition, CONFIG["models"][definition]), np.asarray(masses_MeV)
    )
    return recasting.coupling_templates(
        model, response, [c / CONFIG["sources"]["solar"]["exposure_yr"] for c in coefficients]
    )


@pytest.fixture(scope="module", params=["xenonnt_2024", "xenonnt_s2only_2026"])
def xenon_dataset(request):
    """(model, templates at 1 MeV, name of the CEvNS multiplier) of each xenon data release."""
    recast = {"xenonnt_2024": recast_2024, "xenonnt_s2only_2026": recast_s2only}[request.param]
    model, response = recast.statistical_model(CONFIG[request.param])
    name = {"xenonnt_2024": "b8_rate_multiplier", "xenonnt_s2only_2026": "cevns_rate_multiplier"}[request.param]
    return model, solar_templates(model, response), name


COUPLINGS = np.array([0.0, 1e-5, 3e-5, 5e-5, 6e-5])  # the SM, the plateau, the rise, the dip and above (1 MeV)
"""Where q < 60. Far above (q > 300, g > 7e-5 at 1 MeV) the descent over the yield points or shape segments is path
dependent: D with the flux scale fixed and then minimised differs from D profiled at once by up to 10 in either
direction (a bound does not depend on it)."""


def test_the_fixed_flux_scale_is_the_profile_without_its_prior(xenon_dataset):
    """D(flux_scale = b_hat) + ((b_hat - 1) / sigma)^2 is D profiled over b (b_hat its fit), and no other b
    gives less."""
    model, templates, name = xenon_dataset
    parameter = model.release.parameters[name]
    cevns = templates.at_couplings(COUPLINGS, np.zeros(COUPLINGS.size, int))
    deviance, best = model.profile(cevns)
    b_hat = best["theta"][:, best["names"].index(name)]
    prior = ((b_hat - parameter.nominal) / parameter.uncertainty) ** 2
    assert model.profile(cevns, flux_scale=b_hat)[0] + prior == pytest.approx(deviance, abs=1e-6)
    for shift in (-0.02, 0.02):
        other = b_hat + shift
        fixed = model.profile(cevns, flux_scale=other)[0] + ((other - parameter.nominal) / parameter.uncertainty) ** 2
        assert np.all(fixed > deviance)


def test_minimising_over_the_flux_scale_reproduces_the_profile(xenon_dataset):
    """The dataset alone in a flux group of its own prior's sigma: eq. C1's minimum over f is today's D (1e-6)."""
    model, templates, name = xenon_dataset
    parameter = model.release.parameters[name]
    assert parameter.nominal == 1.0  # eq. C1's prior is centred on 1
    combined, combined_templates = combination.combine(
        {"x": (model, templates)}, {"solar": {"members": ["x"], "sigma": parameter.uncertainty}}
    )
    mass_index = np.zeros(COUPLINGS.size, int)
    deviance = combined.profile(combined_templates.at_couplings(COUPLINGS, mass_index))[0]
    assert deviance == pytest.approx(model.profile(templates.at_couplings(COUPLINGS, mass_index))[0], abs=1e-6)


def test_the_minimum_over_the_flux_agrees_with_scipy_over_six_decades_of_events():
    """Two binned datasets sharing a flux, their events grown by R = 1 ... 1e6 over the SM (as from the SM to deep
    inside the excluded region): eq. C1's minimum over f against SciPy's bounded Brent in ln f (xatol 1e-10), to
    D_TOLERANCE, in fewer than twelve evaluations of each member per problem."""
    from scipy.optimize import minimize_scalar

    sigma = 0.1
    first = Counting([30.0, 12.0, 5.0], [2.0, 1.0, 1.0], 0.3)
    second = Counting([80.0, 41.0], [5.0, 3.0], 0.3)
    growth = np.geomspace(1e-3, 1e4, 12)  # b: events (1 + b g^2) x SM at g = 1, tilted towards the first bin
    templates = {}
    for name, sm, tilt in (("first", [25.0, 10.0, 5.0], [1.0, 0.3, 0.1]), ("second", [70.0, 40.0], [1.0, 0.5])):
        a = np.tile(sm, (growth.size, 1))
        templates[name] = counting_templates(a, sm[0] * growth[:, None] * tilt, np.zeros_like(a))
    models = {"first": first, "second": second}
    combined, combined_templates = combination.combine(
        {name: (models[name], templates[name]) for name in models}, {"beam": {"members": list(models), "sigma": sigma}}
    )
    g = np.repeat([0.0, 0.3, 1.0, 10.0], growth.size)
    mass_index = np.tile(np.arange(growth.size), 4)
    cevns = combined_templates.at_couplings(g, mass_index)
    calls = []

    class Counted:
        def __init__(self, model):
            self.model = model

        def profile(self, source, **options):
            calls.append(source.g2.size)
            return self.model.profile(source, **options)

    combined.models = {name: Counted(model) for name, model in models.items()}
    deviance, best = combined.profile(cevns)
    assert sum(calls) / (2 * g.size) < 12  # members evaluated per problem (a bracket narrowed to 1e-5 sigma: ~20)

    def h(u, row):
        rows = np.array([row])
        f = np.array([np.exp(u)])
        parts = [models[name].profile(cevns.members[name].take(rows), flux_scale=f)[0][0] for name in models]
        return sum(parts) + ((f[0] - 1.0) / sigma) ** 2

    for row in range(g.size):
        reference = minimize_scalar(h, bounds=(-30.0, 5.0), args=(row,), method="bounded", options={"xatol": 1e-10})
        assert deviance[row] == pytest.approx(reference.fun, abs=combination.D_TOLERANCE)
