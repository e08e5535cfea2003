"""Fluxes: pinched spectra (eqs. 15-16), SN time integration (eq. 17), exact tail integrals, readers, flavours."""

import numpy as np
import pytest
from helpers import load_config
from scipy.integrate import quad

from astrocevns.physics import constants as c
from astrocevns.physics import fluxes, oscillations, sources
from astrocevns.tables import io

CONFIG = load_config()


def test_pinched_spectrum_has_the_requested_moments():
    for mean, mean_sq in [(10.0, 130.0), (15.0, 290.0), (20.0, 600.0)]:
        moments = [
            quad(lambda E, k=k, a=mean, b=mean_sq: E**k * fluxes.pinched_spectrum(E, a, b), 0, 40 * mean)[0]
            for k in range(3)
        ]
        assert moments == pytest.approx([1.0, mean, mean_sq], rel=1e-8)


def test_pinching_parameter_of_a_thermal_like_spectrum():
    # Maxwell-Boltzmann-like E^2 exp(-3E/<E>): <E^2> = 4/3 <E>^2 gives alpha = 2 (Keil et al. 2003)
    assert fluxes.pinching_parameter(12.0, 4 / 3 * 144.0) == pytest.approx(2.0, rel=1e-12)


def _synthetic_history():
    t = np.linspace(-0.1, 2.0, 400)
    L = 50.0 * np.exp(-np.clip(t, 0, None) / 0.7) * (t > -0.05)
    return fluxes.LuminosityHistory(t, L, 10 + 2 * np.sin(t), (10 + 2 * np.sin(t)) ** 2 * 1.3)


def test_supernova_fluence_integrates_to_emitted_number_over_4pi_d2():
    h = _synthetic_history()
    E = np.linspace(0.05, 150.0, 3000)
    fluence = fluxes.supernova_fluence(E, h, t_max_s=1.5, distance_kpc=10.0)

    # independent: N = integral of L/<E> dt on 0..1.5 s by adaptive quadrature of the interpolated columns
    def rate(t):
        return np.interp(t, h.time_s, h.luminosity_foe_per_s) / np.interp(t, h.time_s, h.mean_energy_MeV)

    number = quad(rate, 0.0, 1.5, limit=400, points=h.time_s[(h.time_s > 0) & (h.time_s < 1.5)][::20])[0]
    number *= 1e51 * 6.241509074e5
    area = 4 * np.pi * (10 * 3.0856775814913673e21) ** 2
    assert np.trapezoid(fluence, E) * area == pytest.approx(number, rel=2e-4)
    assert fluxes.total_neutrino_number(h, 1.5) == pytest.approx(number, rel=2e-4)


def test_time_integration_stops_at_t_max():
    h = _synthetic_history()
    assert fluxes.total_neutrino_number(h, 0.5) < fluxes.total_neutrino_number(h, 1.0)
    assert fluxes.total_neutrino_number(h, 5.0) == fluxes.total_neutrino_number(h, 2.0)


def test_tail_integrals_against_adaptive_quadrature():
    E = np.geomspace(0.5, 80.0, 120)
    flux = fluxes.PiecewiseLinearFluence(E, E**2 * np.exp(-E / 4.0))
    for E_min in [0.1, 0.5, 3.3, 17.2, 79.9, 100.0]:
        J0, J2 = flux.tail_integrals(np.array([E_min]))
        lo = max(E_min, E[0])
        ref0 = quad(flux, lo, E[-1], points=E[(lo < E)], limit=500)[0]
        ref2 = quad(lambda x: flux(x) / x**2, lo, E[-1], points=E[(lo < E)], limit=500)[0]
        assert J0[0] == pytest.approx(ref0, rel=1e-9, abs=1e-14)
        assert J2[0] == pytest.approx(ref2, rel=1e-9, abs=1e-14)


def test_fluence_grid_must_be_positive_and_increasing():
    with pytest.raises(ValueError, match="positive, strictly increasing"):
        fluxes.PiecewiseLinearFluence(np.array([0.0, 1.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="positive, strictly increasing"):
        fluxes.PiecewiseLinearFluence(np.array([2.0, 1.0]), np.array([1.0, 1.0]))


def test_steady_source_normalisation_and_exposure(tmp_path):
    table = tmp_path / "shape.csv"
    table.write_text("# a triangle\nE_nu_MeV,spectrum_per_MeV\n1,0\n2,1\n3,0\n")
    component = {"file": str(table), "total_flux_per_cm2_s": 5.0, "flavours": {"e": 1.0}}
    spec = {"kind": "steady", "exposure_yr": 2.0, "components": {"x": component}}
    frame = sources.source_table(spec)
    total = np.trapezoid(frame[sources.TOTAL_COLUMN], frame["E_nu_MeV"])
    assert total == pytest.approx(5.0 * 2.0 * 365.25 * 86400)


def test_garching_reader_parses_reference_file(reference_dir):
    h = io.read_garching_timeseries(reference_dir / "supernova" / "garching_s40s7b2c_LS220_nue.dat")
    assert h.time_s.size > 4000 and h.time_s[-1] == pytest.approx(0.567932280255)
    # cross-check N = sum of L/<E> dt against a plain reading of the columns
    raw = np.loadtxt(reference_dir / "supernova" / "garching_s40s7b2c_LS220_nue.dat")
    inside = raw[:, 0] >= 0
    number = np.trapezoid(raw[inside, 1] / raw[inside, 2], raw[inside, 0]) * c.ERG_PER_FOE * c.MEV_PER_ERG
    assert fluxes.total_neutrino_number(h, 1.0) == pytest.approx(number, rel=1e-3)


@pytest.mark.parametrize(
    "rows, message",
    [
        ("0.1 1 10 120\n0.0 1 10 120\n", "line 3: time not non-decreasing"),
        ("0.0 1 10 120\n0.1 -1 10 120\n", "line 3: negative luminosity"),
        ("0.0 1 10 120\n0.1 1 10 90\n", r"line 3: <E> = 10 MeV, <E\^2> = 90"),
        ("0.0 1 10 120\n0.1 1 nan 120\n", "line 3: NaN"),
        ("0.0 1 10 120\n0.1 1 10\n", "line 3: expected 4 columns, found 3"),
        ("0.0 1 10 120\n0.1 1 ten 120\n", "line 3: non-numeric"),
        ("", "needs at least two data rows"),
    ],
)
def test_garching_reader_rejects_malformed_rows(tmp_path, rows, message):
    path = tmp_path / "bad.dat"
    path.write_text("# header\n" + rows)
    with pytest.raises(io.InputError, match=message) as error:
        io.read_garching_timeseries(path)
    assert "bad.dat" in str(error.value)


def test_spectrum_reader_rejects_missing_and_unsorted_files(tmp_path):
    with pytest.raises(io.InputError, match="file not found"):
        io.read_spectrum_table(tmp_path / "absent.csv")
    path = tmp_path / "unsorted.csv"
    path.write_text("E_nu_MeV,value\n2,1\n1,1\n")
    with pytest.raises(io.InputError, match="unsorted.csv, line 3: energy not strictly increasing"):
        io.read_spectrum_table(path)


# --- flavours at the detector --------------------------------------------------------------------


def config_source_table(name, monkeypatch):
    return sources.source_table(CONFIG["sources"][name], CONFIG["oscillations"])


def flavour(table, name):
    return table[sources.flavour_column(name)]


@pytest.mark.parametrize("name", ["sn_cc", "sn_failed", "solar", "atmospheric", "coherent_csi"])
def test_flavour_columns_add_up_to_the_total(name, monkeypatch):
    table = config_source_table(name, monkeypatch)
    total = table[sources.TOTAL_COLUMN]
    summed = sum(flavour(table, f) for f in ("e", "mu", "tau"))
    assert np.allclose(summed, total, rtol=1e-12, atol=0)


def test_supernova_flavours_as_emitted(monkeypatch):
    """nu_e and anti-nu_e are flavour e; the four nu_x species are nu_mu, anti-nu_mu, nu_tau, anti-nu_tau alike."""
    table = config_source_table("sn_cc", monkeypatch)
    column = sources.fluence_column
    assert np.array_equal(flavour(table, "e"), table[column("nue")] + table[column("nuebar")])
    assert np.array_equal(flavour(table, "mu"), flavour(table, "tau"))
    assert np.allclose(flavour(table, "mu"), 0.5 * table[column("nux")], rtol=1e-15)


def test_atmospheric_and_beam_flavours(monkeypatch):
    atmospheric = config_source_table("atmospheric", monkeypatch)
    assert not np.any(flavour(atmospheric, "tau"))
    column = sources.fluence_column
    assert np.array_equal(flavour(atmospheric, "mu"), atmospheric[column("numu")] + atmospheric[column("numubar")])
    beam = config_source_table("coherent_csi", monkeypatch)
    # pi+ -> mu+ nu_mu, mu+ -> e+ nu_e anti-nu_mu: one nu_e and two nu_mu-flavoured neutrinos per pion
    E = beam["E_nu_MeV"]
    assert np.trapezoid(flavour(beam, "mu"), E) == pytest.approx(2 * np.trapezoid(flavour(beam, "e"), E), rel=1e-5)
    assert not np.any(flavour(beam, "tau"))


def test_solar_flavours_follow_the_msw_survival_probability(monkeypatch):
    table = config_source_table("solar", monkeypatch)
    E, column = table["E_nu_MeV"], sources.fluence_column
    mixing = oscillations.MixingParameters.from_config(CONFIG["oscillations"])
    sun = CONFIG["oscillations"]["sun"]
    expected = sum(
        table[column(region)] * oscillations.solar_survival_probability(E, mixing, sun, region)
        for region in ("8B", "hep")
    )
    assert np.allclose(flavour(table, "e"), expected, rtol=1e-13, atol=0)
    # at 10 MeV about a third of the 8B flux arrives as nu_e
    at_10 = np.searchsorted(E, 10.0)
    assert flavour(table, "e")[at_10] / table[sources.TOTAL_COLUMN][at_10] == pytest.approx(0.32, abs=0.02)
    with pytest.raises(ValueError, match="'8B' is solar"):
        sources.source_table(CONFIG["sources"]["solar"])
