"""Parse-time checks the schema cannot make: finite numbers everywhere, and efficiency tables under which every
detector still sees events above its threshold."""

import copy
import re

import pytest
import yaml
from helpers import ROOT

from astrocevns.config import ConfigError, check_config

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


@pytest.mark.parametrize("path, text, key", [
    (("sources", "sn_cc", "distance_kpc"), ".nan", "sources.sn_cc.distance_kpc"),
    (("detectors", "darwin", "mass_t"), ".inf", "detectors.darwin.mass_t"),
    (("targets", "Xe", "A"), "1.0e+999", "targets.Xe.A"),
    (("statistics", "cl"), ".NaN", "statistics.cl"),
    (("report_masses_MeV",), "[1.0, .nan]", "report_masses_MeV[1]"),
    (("figures", "rate_curves"), "[{g: 1.0e-5, m_MeV: -.inf}]", "figures.rate_curves[0].m_MeV"),
    (("analyses", "coherent_csi/coherent_csi", "statistic", "observed_events"), ".nan",
     "analyses.coherent_csi/coherent_csi.statistic.observed_events"),
])
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
    with pytest.raises(ConfigError, match=r"config key detectors.darwin.efficiencies: efficiency 'xenon1t_nr' "
                                          r"\(.*efficiency.csv\) is zero from the threshold 1.0 keV"):
        check_config(config, root=ROOT)


def test_efficiency_that_starts_beyond_a_sources_end_point(tmp_path):
    # positive from 20 keV on: supernova and atmospheric recoils reach it, solar 8B recoils on xenon (end
    # point E_max = 2 E_nu^2 / m_T ~ 4.5 keV for E_nu = 17 MeV) do not
    table = write_efficiency(tmp_path, [(0, 0), (20, 0), (21, 0.5), (100, 0.5)])
    config = edited(("efficiencies", "xenon1t_nr"), table)
    with pytest.raises(ConfigError, match=r"efficiency 'xenon1t_nr' .* is zero from the threshold .* keV "
                                          r"\(the end point for source 'solar' in analyses.solar/darwin\)"):
        check_config(config, root=ROOT)
