"""Mediator models by their charges: nuclear charges, interference sign, kinetic mixing, spectra, config checks."""

import copy
import math

import numpy as np
import pytest
from helpers import ROOT, load_config

from astrocevns.physics import builders, fluxes, models, rates, sources
from astrocevns.physics import constants as c
from astrocevns.physics import cross_sections as xs
from astrocevns.physics.detectors import Detector, Efficiency
from astrocevns.pipeline import config as cfg

CONFIG = load_config()
MODELS = {name: models.from_config(name, entry) for name, entry in CONFIG["models"].items()}
G = np.geomspace(1e-7, 1e-2, 60)[:, None]
M = np.geomspace(1e-2, 1e4, 50)[None, :]


# --- charges -------------------------------------------------------------------------------------


def test_universal_models_have_the_papers_charges(xenon, lead):
    vector, scalar = MODELS["universal_vector"], MODELS["universal_scalar"]
    for model, paper in ((vector, models.PAPER_MODELS["vector"]), (scalar, models.PAPER_MODELS["scalar"])):
        fields = ("mediator", "neutrino_charges", "proton_charge", "neutron_charge", "kinetic_mixing", "coupling_name")
        assert [getattr(model, f) for f in fields] == [getattr(paper, f) for f in fields]
    for nucleus in (xenon, lead):
        # eq. 6: Q'_w = 3 A; eq. 10: Q_s = 14 A + 1.1 Z
        assert vector.vector_charge(nucleus.Z, nucleus.N) == pytest.approx(3 * nucleus.A, rel=1e-14)
        assert scalar.scalar_charge(nucleus.Z, nucleus.N) == pytest.approx(14 * nucleus.A + 1.1 * nucleus.Z, rel=1e-14)


def test_b_minus_l_couples_to_baryon_number_with_the_opposite_sign_to_neutrinos(xenon):
    b_minus_l = MODELS["b_minus_l"]
    # the quark charges 1/3 give one unit per nucleon: Q_V = A; every neutrino has B - L = -1
    from_quarks = models.from_config(
        "x",
        {
            **CONFIG["models"]["b_minus_l"],
            "charges": {"quarks": {"u": 1 / 3, "d": 1 / 3}, "neutrinos": {"e": -1, "mu": -1, "tau": -1}},
        },
    )
    assert from_quarks.vector_charge(xenon.Z, xenon.N) == pytest.approx(xenon.A, rel=1e-14)
    assert b_minus_l.vector_charge(xenon.Z, xenon.N) == pytest.approx(xenon.A, rel=1e-14)
    assert b_minus_l.neutrino_charges == (-1.0, -1.0, -1.0) and b_minus_l.flavour_blind
    # paper sec. VIII B: g_q = g_BL / 3 and g_nu = -g_BL, so g_nu g_q Q'_w = -(g_BL^2 / 3) 3 A
    assert b_minus_l.neutrino_charge("e") * b_minus_l.vector_charge(xenon.Z, xenon.N) == pytest.approx(-xenon.A)


def test_nucleon_vector_charges_of_a_proton_only_boson():
    # a Z' coupling to u only with charge 1: proton uud -> 2, neutron udd -> 1
    assert models.nucleon_vector_charges(1.0, 0.0) == (2.0, 1.0)


@pytest.mark.parametrize(
    "name, sign", [("universal_vector", -1), ("b_minus_l", 1), ("b_minus_3l_mu", 1), ("universal_scalar", 0)]
)
def test_interference_sign(name, sign, xenon):
    model = MODELS[name]
    assert model.interference_sign("mu", xenon.Z, xenon.N) == sign


def test_b_minus_3l_models_couple_one_flavour():
    for flavour in models.FLAVOURS:
        model = MODELS[f"b_minus_3l_{flavour}"]
        assert model.flavour_group_charges() == {flavour: -3.0}
        assert model.proton_charge == model.neutron_charge == 1.0


# --- L_mu - L_tau: no nu_e, and the one-loop kinetic mixing ---------------------------------------


def test_l_mu_minus_l_tau_has_no_nu_e_and_no_tree_level_quark_coupling(xenon):
    model = MODELS["l_mu_minus_l_tau"]
    assert model.neutrino_charge("e") == 0.0
    assert "e" not in model.flavour_group_charges()
    assert model.proton_charge == model.neutron_charge == 0.0
    assert model.interference_sign("e", xenon.Z, xenon.N) == 0
    # nu_mu and nu_tau see opposite signs: destructive for nu_mu (q_mu q_p > 0), constructive for nu_tau
    assert model.interference_sign("mu", xenon.Z, xenon.N) == -1
    assert model.interference_sign("tau", xenon.Z, xenon.N) == 1


def loop_closed_form(mass, Q2):
    """int_0^1 x (1 - x) ln(m^2 + x (1 - x) Q^2) dx by hand: ln(m^2) / 6 + I(t), t = Q^2 / m^2, with
    I = (1/6) [b^2 - 8/3 - b (b^2 - 3) / 2 ln((b + 1) / (b - 1))], b^2 = 1 + 4 / t (integration by parts, y = 1 - 2x),
    and its series t / 30 - t^2 / 280 + t^3 / 1890 for t < 0.01, where the closed form cancels."""
    t = Q2 / mass**2
    if t < 0.01:
        return math.log(mass**2) / 6.0 + t / 30.0 - t**2 / 280.0 + t**3 / 1890.0
    b = math.sqrt(1.0 + 4.0 / t)
    bracket = b * b - 8.0 / 3.0 - 0.5 * b * (b * b - 3.0) * math.log((b + 1.0) / (b - 1.0))
    return math.log(mass**2) / 6.0 + bracket / 6.0


@pytest.mark.parametrize("lepton", ["e", "mu", "tau"])
@pytest.mark.parametrize("Q2", [1.0, 1e2, 1e4, 4e4, 1e6])
def test_lepton_loop_integral_against_its_closed_form(lepton, Q2):
    mass = models.CHARGED_LEPTON_MASSES_MEV[lepton]
    tolerance = 1e-7 if lepton == "e" else 1e-12  # the accuracy quoted at models.KINETIC_MIXING_NODES
    assert models.lepton_loop_integral(mass, Q2) == pytest.approx(loop_closed_form(mass, Q2), abs=tolerance)
    assert models.lepton_loop_integral(mass, 0.0) == pytest.approx(math.log(mass**2) / 6.0, abs=1e-13)


def test_kinetic_mixing_at_zero_momentum_transfer():
    # q_p = (alpha / 3 pi) ln(m_tau^2 / m_mu^2), by hand with alpha = 1/137.036, m_tau = 1776.86, m_mu = 105.658 MeV
    expected = (1 / 137.036) / (3 * math.pi) * math.log(1776.86**2 / 105.658**2)
    assert expected == pytest.approx(4.3706e-3, rel=1e-4)
    assert models.kinetic_mixing_proton_charge((0.0, 1.0, -1.0)) == pytest.approx(expected, rel=1e-5)
    # eps = e q_p / e^2 = q_p / sqrt(4 pi alpha) ~ g / 70 (the value quoted in the L_mu - L_tau literature)
    eps = expected / math.sqrt(4 * math.pi / 137.036)
    assert 1 / eps == pytest.approx(70.0, rel=0.02)


def test_kinetic_mixing_fades_at_large_momentum_transfer():
    charge = models.kinetic_mixing_proton_charge((0.0, 1.0, -1.0), np.array([0.0, 1e4, 1e6, 1e9]))
    assert np.all(np.diff(charge) < 0) and charge[-1] < 0.01 * charge[0]  # both loops -> ln(Q^2): they cancel
    with pytest.raises(ValueError, match="summing to zero"):
        models.kinetic_mixing_proton_charge((0.0, 1.0, 0.0))


def test_l_mu_minus_l_tau_charge_of_a_nucleus_follows_its_protons(xenon):
    model = MODELS["l_mu_minus_l_tau"]
    Q2 = 2 * xenon.mass_MeV * 5e-3  # 5 keV recoil
    proton = models.kinetic_mixing_proton_charge(model.neutrino_charges, Q2)
    assert model.vector_charge(xenon.Z, xenon.N, Q2) == pytest.approx(proton * xenon.Z, rel=1e-14)


# --- spectra of the models ------------------------------------------------------------------------


def flavour_table(E, spectra):
    """A flux table {column: array} with the given fluence per flavour and their total."""
    table = {"E_nu_MeV": E, sources.TOTAL_COLUMN: sum(spectra.values())}
    for flavour in models.FLAVOURS:
        table[sources.flavour_column(flavour)] = spectra.get(flavour, np.zeros_like(E))
    return table


@pytest.fixture
def sn_on_xenon(xenon):
    """A kernel of a supernova-like flux whose flavours differ in spectrum (nu_x hotter than nu_e)."""
    E = np.linspace(0.05, 150.0, 3000)
    spectra = {
        "e": 2e10 * fluxes.pinched_spectrum(E, 11.0, 11.0**2 * 1.3),
        "mu": 1e10 * fluxes.pinched_spectrum(E, 15.0, 15.0**2 * 1.3),
        "tau": 1e10 * fluxes.pinched_spectrum(E, 15.0, 15.0**2 * 1.3),
    }
    detector = Detector("darwin", xenon, 40.0, 1.0, Efficiency.ideal())
    return rates.recoil_kernel(sources.flavour_fluences(flavour_table(E, spectra)), detector, 2.0, 100.0), detector


@pytest.mark.parametrize("mediator", models.MEDIATOR_TYPES)
def test_universal_model_reproduces_the_flavour_blind_engine(sn_on_xenon, mediator):
    """The polynomial of the universal model against eq. 11 summed at the nodes with the paper's own charges
    (cross_sections.vector_strength_MeV2 with Q'_w = 3A, nucleus.scalar_charge): the previous engine."""
    kernel, detector = sn_on_xenon
    nucleus = detector.nucleus
    model = MODELS[f"universal_{mediator}"]
    a, b, c_ = kernel.coupling_polynomial(model, M[0])
    w, sm = kernel.bins.weights_keV, kernel.sm_rate_per_keV[0]
    prop = kernel.recoil_term_MeV2 + M[0][:, None, None] ** 2
    if mediator == "vector":
        K = xs.vector_strength_MeV2(nucleus)
        expected_b, expected_c = -2 * np.sum(w * sm * K / prop, -1), np.sum(w * sm * K**2 / prop**2, -1)
    else:
        scalar = kernel.scalar_rate_MeV4_per_keV[0] * nucleus.scalar_charge**2
        expected_b, expected_c = 0.0 * a, np.sum(w * scalar / prop**2, -1)
    assert np.allclose(a, kernel.sm_counts(), rtol=1e-15, atol=0)
    assert np.allclose(b, expected_b, rtol=1e-13, atol=0)
    assert np.allclose(c_, expected_c, rtol=1e-13, atol=0)


@pytest.mark.parametrize("mediator", models.MEDIATOR_TYPES)
def test_sum_over_flavour_groups_equals_the_flavour_blind_kernel(sn_on_xenon, mediator):
    """To 1e-12 of the largest value: near the end point I_1 = J_0 - m_T E_r J_2 / 2 is a difference of nearly equal
    tail integrals, rounded group by group, so bins 1e-9 below the peak agree only to ~1e-11 of themselves."""
    kernel, _ = sn_on_xenon
    model = MODELS[f"universal_{mediator}"]
    whole = kernel.group_polynomial(model, {"all": 1.0}, M[0])
    summed = kernel.group_polynomial(model, {"e": 1.0, "mu": 1.0, "tau": 1.0}, M[0])
    for blind, by_flavour in zip(whole, summed, strict=True):
        scale = np.max(np.abs(blind), axis=-1, keepdims=True)
        assert np.all(np.abs(by_flavour - blind) <= 1e-12 * scale)
    groups, whole_rate = kernel.sm_rate_per_keV[1:].sum(axis=0), kernel.sm_rate_per_keV[0]
    assert np.all(np.abs(groups - whole_rate) <= 1e-12 * whole_rate.max())


def test_b_minus_l_vector_rate_is_never_below_the_standard_model(sn_on_xenon):
    kernel, _ = sn_on_xenon
    sm = kernel.sm_counts()
    b_minus_l = kernel.counts(MODELS["b_minus_l"], G[..., None], M[..., None])
    assert np.all(b_minus_l >= sm)
    # the universal vector, with the same |charge product| after g -> g_BL / sqrt(3), does dip below the SM
    universal = kernel.counts(MODELS["universal_vector"], G[..., None] / math.sqrt(3), M[..., None])
    assert np.any(universal < 0.5 * sm)


def test_b_minus_l_spectra_on_real_sources_never_fall_below_the_sm(monkeypatch):
    for source, detector_name in (("solar", "darwin"), ("sn_cc", "resnova3"), ("coherent_csi", "coherent_csi")):
        spec = CONFIG["detectors"][detector_name]
        efficiency = Efficiency.ideal()
        parts = builders.detector_parts(detector_name, spec, CONFIG["targets"], CONFIG["form_factor"], efficiency)
        table = sources.source_table(CONFIG["sources"][source], CONFIG["oscillations"])
        kernel = rates.recoil_kernel(sources.flavour_fluences(table), parts, **CONFIG["recoil_bins"])
        counts = kernel.counts(MODELS["b_minus_l"], G[..., None], M[..., None])
        assert np.all(counts >= kernel.sm_counts()), source


def test_a_model_without_nu_e_leaves_a_nu_e_source_unchanged(xenon):
    E = np.linspace(0.05, 60.0, 2000)
    only_e = flavour_table(E, {"e": 1e10 * fluxes.pinched_spectrum(E, 11.0, 11.0**2 * 1.3)})
    kernel = rates.recoil_kernel(
        sources.flavour_fluences(only_e), Detector("d", xenon, 1.0, 1.0, Efficiency.ideal()), 2.0, 100.0
    )
    for name in ("l_mu_minus_l_tau", "b_minus_3l_mu", "b_minus_3l_tau"):
        assert np.array_equal(kernel.counts(MODELS[name], 1e-3, 1.0), kernel.sm_counts())
    assert np.all(kernel.counts(MODELS["b_minus_3l_e"], 1e-4, 1.0) > kernel.sm_counts())


def test_flavour_group_charges_weigh_each_flavour(sn_on_xenon):
    """B - 3L_mu: only nu_mu with charge -3, i.e. the rate of a flavour-blind model with charge -3 on the nu_mu flux."""
    kernel, _ = sn_on_xenon
    model = MODELS["b_minus_3l_mu"]
    alone = kernel.group_polynomial(model, {"mu": -3.0}, M[0])
    assert all(np.array_equal(x, y) for x, y in zip(kernel.coupling_polynomial(model, M[0]), alone, strict=True))
    # the g^4 term scales with q^2, the g^2 term with q
    single = kernel.group_polynomial(model, {"mu": 1.0}, M[0])
    assert np.allclose(alone[1], -3 * single[1], rtol=1e-14) and np.allclose(alone[2], 9 * single[2], rtol=1e-14)


def test_flavour_dependent_model_needs_a_flavour_resolved_kernel(xenon):
    E = np.linspace(0.05, 60.0, 200)
    kernel = rates.recoil_kernel(
        fluxes.PiecewiseLinearFluence(E, np.exp(-E / 10)),
        Detector("d", xenon, 1.0, 1.0, Efficiency.ideal()),
        2.0,
        100.0,
    )
    with pytest.raises(ValueError, match="no flavour group 'mu'"):
        kernel.counts(MODELS["l_mu_minus_l_tau"], 1e-4, 1.0)


def test_scalar_model_with_nucleon_charges(xenon):
    charges = {"nucleons": {"proton": 2.0, "neutron": 0.5}, "neutrinos": {"e": 1, "mu": 1, "tau": 1}}
    coupling = {"name": "g_s", "latex": "g_s"}
    scalar = models.from_config("s", {"mediator": "scalar", "coupling": coupling, "citation": "x", "charges": charges})
    assert scalar.scalar_charge(xenon.Z, xenon.N) == pytest.approx(2.0 * 54 + 0.5 * (131.293 - 54))


# --- parse-time checks of the models ---------------------------------------------------------------


def with_model(entry, **changes):
    config = copy.deepcopy(CONFIG)
    config["models"]["custom"] = entry
    for key, value in changes.items():
        config[key] = value
    return config


BAD_MODELS = {
    "all couplings zero": (
        {"mediator": "vector", "charges": {"quarks": {"u": 0, "d": 0}, "neutrinos": {"e": 0}}},
        "models.custom.charges.neutrinos: every neutrino charge is zero",
    ),
    "no nuclear coupling": (
        {"mediator": "vector", "charges": {"quarks": {"u": 0, "d": 0}, "neutrinos": {"e": 1}}},
        "models.custom.charges: every quark and nucleon charge is zero",
    ),
    "unknown flavour": (
        {"mediator": "vector", "charges": {"quarks": {"u": 1, "d": 1}, "neutrinos": {"muon": 1}}},
        "models.custom.charges.neutrinos.muon: unknown flavour 'muon'",
    ),
    "unknown quark": (
        {"mediator": "vector", "charges": {"quarks": {"s": 1}, "neutrinos": {"e": 1}}},
        "models.custom.charges.quarks.s: unknown quark 's'",
    ),
    "scalar with kinetic mixing": (
        {"mediator": "scalar", "charges": {"neutrinos": {"mu": 1, "tau": -1}, "kinetic_mixing": True}},
        "models.custom.charges.kinetic_mixing: a vector-only key in the scalar model",
    ),
    "scalar with vector quark charges": (
        {"mediator": "scalar", "charges": {"quarks": {"u": 2, "d": 1}, "neutrinos": {"e": 1}}},
        "models.custom.charges.quarks: different u and d charges are vector-only",
    ),
    "divergent kinetic mixing": (
        {"mediator": "vector", "charges": {"neutrinos": {"mu": 1}, "kinetic_mixing": True}},
        "models.custom.charges.kinetic_mixing: the one-loop mixing is finite only",
    ),
    "quarks and nucleons": (
        {"mediator": "vector", "charges": {"quarks": {"u": 1}, "nucleons": {"proton": 1}, "neutrinos": {"e": 1}}},
        "models.custom.charges: give quarks or nucleons, not both",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_MODELS))
def test_bad_model_stops_at_parse_time_naming_the_key(case):
    entry, message = BAD_MODELS[case]
    config = with_model({**entry, "coupling": {"name": "g_x", "latex": "g_x"}, "citation": "none"})
    with pytest.raises(cfg.ConfigError, match=message.replace(".", r"\.")):
        cfg.check_config(config, root=ROOT)


def test_unknown_model_in_models_computed_and_analyses():
    config = copy.deepcopy(CONFIG)
    config["models_computed"] = ["universal_vector", "vector"]
    with pytest.raises(cfg.ConfigError, match="config key models_computed: unknown model 'vector'"):
        cfg.check_config(config, root=ROOT)
    config = copy.deepcopy(CONFIG)
    config["analyses"]["solar/darwin"]["models"] = ["b_minus_2l"]
    with pytest.raises(cfg.ConfigError, match=r"analyses\.solar/darwin\.models: unknown model 'b_minus_2l'"):
        cfg.check_config(config, root=ROOT)


def test_shipped_config_passes_and_ships_the_requested_models():
    cfg.check_config(CONFIG, root=ROOT)
    assert {
        "universal_vector",
        "universal_scalar",
        "b_minus_l",
        "b_minus_3l_e",
        "b_minus_3l_mu",
        "b_minus_3l_tau",
        "l_mu_minus_l_tau",
    } <= set(CONFIG["models"])
    assert CONFIG["models_computed"] == ["universal_vector", "universal_scalar"]
    for analysis in ("solar/darwin", "solar/combined", "sn_cc/resnova3"):
        assert "b_minus_l" in CONFIG["analyses"][analysis]["models"]


def test_vector_strength_is_the_papers_for_q_v_equal_3a(xenon):
    assert rates.vector_strength_MeV2(3 * xenon.A, xenon.weak_charge) == pytest.approx(
        xs.vector_strength_MeV2(xenon), rel=1e-15
    )
    # independent: sqrt(2) 3A / (G_F Q_w) with Q_w = N - Z (1 - 4 x 0.231)
    Q_w = (131.293 - 54) - 54 * (1 - 4 * 0.231)
    assert rates.vector_strength_MeV2(3 * 131.293, Q_w) == pytest.approx(
        math.sqrt(2) * 3 * 131.293 / (1.1663787e-11 * Q_w), rel=1e-14
    )
    assert pytest.approx(1.1) == c.SCALAR_CHARGE_PER_PROTON - c.SCALAR_CHARGE_PER_NEUTRON


def test_closed_form_of_the_loop_integral_itself():
    """The hand-derived closed form used above, against 30-digit quadrature (so the comparison is independent)."""
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 30
    for mass, Q2 in ((105.658, 3e4), (0.511, 1e3), (105.658, 1.0), (1776.86, 1e2), (1776.86, 1e6)):
        exact = mpmath.quad(lambda x, m2=mass**2, Q2=Q2: x * (1 - x) * mpmath.log(m2 + x * (1 - x) * Q2), [0, 1])
        assert loop_closed_form(mass, Q2) == pytest.approx(float(exact), abs=1e-13)
