"""Parse-time checks the schema cannot make: finite numbers everywhere, and efficiency tables under which every
detector still sees events above its threshold."""

import copy
import re

import pytest
import yaml
from helpers import ROOT

from astrocevns.pipeline.config import ConfigError, check_config, check_keys, schema_validator

CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())


def edited(path, value):
    config = copy.deepcopy(CONFIG)
    *parents, last = path
    node = config
    for key in parents:
        node = node[key]
    node[last] = value
    return config


def test_embedded_configuration_passes():
    check_config(copy.deepcopy(CONFIG), root=ROOT)


@pytest.mark.parametrize(
    "path, text, key",
    [
        (("sources", "sn_cc", "distance_kpc"), ".nan", "sources.sn_cc.distance_kpc"),
        (("detectors", "darwin", "mass_t"), ".inf", "detectors.darwin.mass_t"),
        (("targets", "Xe", "A"), "1.0e+999", "targets.Xe.A"),
        (("statistics", "cl"), ".NaN", "statistics.cl"),
        (("report_masses_MeV",), "[1.0, .nan]", "report_masses_MeV[1]"),
        (("figures", "rate_curves"), "[{g: 1.0e-5, m_MeV: -.inf}]", "figures.rate_curves[0].m_MeV"),
        (
            ("analyses", "coherent_csi/coherent_csi", "statistic", "observed_events"),
            ".nan",
            "analyses.coherent_csi/coherent_csi.statistic.observed_events",
        ),
    ],
)
def test_non_finite_number_is_named(path, text, key):
    value = yaml.safe_load(text)  # as YAML reads it from a config file
    with pytest.raises(ConfigError, match=re.escape(f"config key {key}: ") + ".* is not a finite number"):
        check_config(edited(path, value), root=ROOT)


def write_efficiency(tmp_path, rows):
    path = tmp_path / "efficiency.csv"
    path.write_text("E_r_keV,efficiency\n" + "".join(f"{E},{eff}\n" for E, eff in rows))
    return str(path)


def test_efficiency_that_is_zero_everywhere(tmp_path):
    config = edited(("efficiencies", "xenon1t_nr"), write_efficiency(tmp_path, [(0, 0), (50, 0), (100, 0)]))
    with pytest.raises(ConfigError, match=r"config key efficiencies.xenon1t_nr: .*efficiency.csv: efficiency is zero"):
        check_config(config, root=ROOT)


def test_efficiency_that_vanishes_above_the_threshold(tmp_path):
    # positive only below 1 keV: DARWIN (threshold 1 keV) would count nothing
    config = edited(("efficiencies", "xenon1t_nr"), write_efficiency(tmp_path, [(0, 0.5), (0.9, 0.5), (1.0, 0.0)]))
    with pytest.raises(
        ConfigError,
        match=r"config key detectors.darwin.efficiencies: efficiency 'xenon1t_nr' "
        r"\(.*efficiency.csv\) is zero from the threshold 1.0 keV",
    ):
        check_config(config, root=ROOT)


def test_efficiency_that_starts_beyond_a_sources_end_point(tmp_path):
    # positive from 20 keV on: supernova and atmospheric recoils reach it, solar 8B recoils on xenon (end
    # point E_max = 2 E_nu^2 / m_T ~ 4.5 keV for E_nu = 17 MeV) do not
    table = write_efficiency(tmp_path, [(0, 0), (20, 0), (21, 0.5), (100, 0.5)])
    config = edited(("efficiencies", "xenon1t_nr"), table)
    with pytest.raises(
        ConfigError,
        match=r"efficiency 'xenon1t_nr' .* is zero from the threshold .* keV "
        r"\(the end point for source 'solar' in analyses.solar/darwin\)",
    ):
        check_config(config, root=ROOT)


def test_efficiency_table_that_starts_above_the_threshold(tmp_path):
    # from 5 keV on: below its first row np.interp would hold it at 0.5 down to DARWIN's 1 keV threshold
    config = edited(("efficiencies", "xenon1t_nr"), write_efficiency(tmp_path, [(5, 0.5), (100, 0.9)]))
    with pytest.raises(
        ConfigError,
        match=r"config key detectors.darwin.efficiencies: efficiency 'xenon1t_nr' .* "
        r"starts at 5 keV, above the threshold 1 keV",
    ):
        check_config(config, root=ROOT)


def test_wrong_case_key_of_the_normalisation_uncertainties():
    config = edited(
        ("statistics", "normalisation_uncertainty"), {**CONFIG["statistics"]["normalisation_uncertainty"], "Solar": 0.5}
    )
    with pytest.raises(
        ConfigError,
        match=re.escape(
            "config key statistics.normalisation_uncertainty.Solar: unknown "
            "source 'Solar'; known: sn_cc, sn_failed, solar"
        ),
    ):
        check_config(config, root=ROOT)


def spectrum_in_keV(tmp_path):
    """The embedded 8B table with its energies in keV (x 1000) under the header E_nu_MeV."""
    rows = [
        line
        for line in (ROOT / "resources/solar/8B_spectrum.csv").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    header, data = rows[0], [row.split(",") for row in rows[1:]]
    path = tmp_path / "8B_keV.csv"
    path.write_text(header + "\n" + "".join(f"{float(E) * 1e3:.6e},{value}\n" for E, value in data))
    return str(path)


def test_solar_spectrum_in_keV_is_refused(tmp_path):
    config = edited(("sources", "solar", "components", "8B", "file"), spectrum_in_keV(tmp_path))
    with pytest.raises(
        ConfigError,
        match=r"config key sources.solar.components.8B.file: .*8B_keV.csv: the spectrum "
        r"extends to 16815.2 MeV, beyond 18.8 MeV .*in keV instead of MeV\?",
    ):
        check_config(config, root=ROOT)


def test_steady_spectrum_beyond_10_GeV_is_refused(tmp_path):
    path = tmp_path / "atm.csv"
    path.write_text("E_nu_MeV,spectrum_per_MeV\n0,0\n1.0e3,1.0\n1.0e6,1.0\n")
    config = edited(("sources", "atmospheric", "components", "nue", "file"), str(path))
    with pytest.raises(ConfigError, match=r"components.nue.file: .*atm.csv: the spectrum extends to 1e\+06 MeV"):
        check_config(config, root=ROOT)


def test_solar_flux_per_m2_is_refused():
    config = edited(("sources", "solar", "components", "8B", "total_flux_per_cm2_s"), 4.98e10)
    with pytest.raises(
        ConfigError,
        match=r"components.8B.total_flux_per_cm2_s: 4.98e\+10 cm\^-2 s\^-1 is more than "
        r"10 x from the standard-solar-model 8B flux \(5.46e\+06 cm\^-2 s\^-1",
    ):
        check_config(config, root=ROOT)


def test_supernova_luminosity_in_erg_per_s_is_refused(tmp_path):
    rows = [
        line
        for line in (ROOT / "resources/supernova/sn_cc_nue.dat").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    path = tmp_path / "nue.dat"
    path.write_text("".join(f"{t} {float(L) * 1e51:e} {E1} {E2}\n" for t, L, E1, E2 in (r.split() for r in rows)))
    config = edited(("sources", "sn_cc", "species", "nue", "file"), str(path))
    with pytest.raises(ConfigError, match=r"species.nue.file: .*nue.dat: the largest luminosity is 3.275e\+53 foe/s"):
        check_config(config, root=ROOT)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "variants: {off: {}}",
            "config key variants.False: the key False is not a string (YAML reads an unquoted off, "
            "no, false or n as the boolean False); quote the key",
        ),
        ("scans: {yes: {}}", "config key scans.True: the key True is not a string"),
    ],
)
def test_yaml_11_boolean_keys_are_named(text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        check_keys(yaml.safe_load(text))


def test_an_integer_key_takes_no_float():
    validator = schema_validator(yaml.safe_load((ROOT / "config" / "schema.yaml").read_text()))
    config = edited(("grid", "g", "n"), 8.0)
    errors = list(validator.iter_errors(config))
    assert [list(error.absolute_path) for error in errors] == [["grid", "g", "n"]]
    assert "8.0 is not of type 'integer'" in errors[0].message
    assert not list(validator.iter_errors(edited(("grid", "g", "n"), 8)))
