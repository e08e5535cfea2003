"""Bad configuration values stop the workflow at parse time, naming the key, before any output."""

import pytest
import yaml

from conftest import run_snakemake

CASES = {
    "negative mass": ({"detectors": {"darwin": {"mass_t": -40.0}}}, "['detectors']['darwin']['mass_t']"),
    "zero threshold": ({"detectors": {"resnova3": {"threshold_keV": 0.0}}}, "['detectors']['resnova3']['threshold_keV']"),
    "unknown target": ({"detectors": {"darwin": {"target": "Ar"}}}, "detectors.darwin.target: unknown target 'Ar'"),
    "missing file": (
        {"sources": {"solar": {"components": {"8B": {"file": "resources/solar/absent.csv"}}}}},
        "sources.solar.components.8B.file: file not found",
    ),
    "unknown key": ({"detectors": {"darwin": {"mass_kg": 4.0}}}, "'mass_kg' was unexpected"),
    "unknown efficiency": ({"detectors": {"darwin": {"efficiencies": ["lux"]}}}, "unknown efficiency 'lux'"),
    "wrong type": ({"recoil_bins": {"width_keV": "two"}}, "['recoil_bins']['width_keV']"),
}


@pytest.mark.workflow
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_config_fails_at_parse_time_naming_the_key(case, workflow_copy):
    override, expected = CASES[case]
    (workflow_copy / "bad.yaml").write_text(yaml.safe_dump(override))
    result = run_snakemake(workflow_copy, "--cores", "1", "--configfile", "bad.yaml")
    assert result.returncode != 0
    assert expected in result.stderr + result.stdout
    assert not (workflow_copy / "results").exists()
