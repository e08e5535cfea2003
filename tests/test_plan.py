"""The plan of a run (astrocevns.pipeline.plan), checked directly: which jobs a variant shares with the base
configuration,
which a scan value adds, when the data analyses are shared, and the configuration checks of
astrocevns.pipeline.validation
(the workflow's parse runs the same functions: tests/test_workflow.py checks the files it plans)."""

import copy

import pytest
import yaml
from helpers import ROOT

from astrocevns.errors import ConfigError
from astrocevns.pipeline import plan, validation, variants
from astrocevns.pipeline.config import with_absolute_paths


def run_config(**overlay):
    """config/config.yaml with config/test.yaml merged over it key by key (as Snakemake merges configfiles), an
    overlay on top, validated (schema defaults filled in)."""
    base = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    merged = variants.merged(
        variants.merged(base, yaml.safe_load((ROOT / "config" / "test.yaml").read_text())), overlay
    )
    return validation.validate(with_absolute_paths(merged, ROOT), ROOT)


def build(cfg):
    return plan.Plan(
        cfg,
        validation.load_figures(cfg, ROOT),
        validation.load_ledger(cfg, ROOT),
        check_variant=lambda name, overlay, merged: validation.check_variant(name, overlay, merged, ROOT),
    )


@pytest.fixture(scope="module")
def run_plan():
    """The test run, with two named variants: supernovae at 5 kpc, and a larger solar mixing angle."""
    return build(
        run_config(
            variants={
                "near": {"sources": {"sn_cc": {"distance_kpc": 5.0}}},
                "theta12": {"oscillations": {"sin2_theta12": 0.32}},
            }
        )
    )


def families_reading(setup, source):
    return {family for family, members in setup.families.items() if source in members[0].sources}


def test_the_base_runs_every_job_of_its_tables_itself(run_plan):
    jobs = run_plan.jobs("")
    assert set(jobs.values()) == {"results"}
    stages = {key[0] for key in jobs}
    assert stages == {"fluxes", "spectra", "chi2", "core"}
    assert ("chi2", "solar/darwin") in jobs
    assert run_plan.base.family_models("solar/darwin") == ["universal_vector", "universal_scalar", "b_minus_l"]


def test_a_scan_value_equal_to_the_base_shares_every_job(run_plan):
    """xenon_threshold = 1 keV is the base's threshold of both xenon detectors (config/config.yaml)."""
    assert run_plan.base.config["detectors"]["darwin"]["threshold_keV"] == 1.0
    assert run_plan.jobs("xenon_threshold-1") and run_plan.own_jobs("xenon_threshold-1") == []


def test_a_scan_value_adds_only_the_jobs_of_its_analyses_that_its_key_changes(run_plan):
    """A 0.5 keV xenon threshold: the scan computes solar/darwin only (config/test.yaml), so it adds the darwin
    spectra job of the solar source (for every efficiency of DARWIN) and its chi2 job (for the models the family
    adds too); the solar fluence (independent of the threshold) is the base's."""
    expected = {("chi2", "solar/darwin"), ("spectra", "solar", "darwin")}
    assert set(run_plan.own_jobs("xenon_threshold-0.5")) == expected
    assert run_plan.jobs("xenon_threshold-0.5")[("fluxes", "solar")] == "results"


def test_a_supernova_distance_reruns_the_supernova_jobs_only(run_plan):
    near = run_plan.setups["near"]
    own = run_plan.own_jobs("near")
    assert [key for key in own if key[0] == "fluxes"] == [("fluxes", "sn_cc")]
    assert {key[1] for key in own if key[0] == "spectra"} == {"sn_cc"}
    assert {key[1] for key in own if key[0] == "chi2"} == families_reading(near, "sn_cc")
    assert ("core",) not in own  # the core does not depend on the distance
    shared = [key for key, root in run_plan.jobs("near").items() if root == "results"]
    assert ("fluxes", "solar") in shared and ("chi2", "solar/darwin") in shared


def test_the_paths_a_variant_reads_are_where_its_jobs_run(run_plan):
    near = run_plan.setups["near"]
    assert run_plan.spectra_path(near, ("universal_vector", "sn_cc", "darwin", "ideal")).startswith(
        "results/variants/near/spectra/universal_vector/sn_cc/"
    )
    assert run_plan.spectra_path(near, ("universal_vector", "solar", "darwin", "ideal")).startswith(
        "results/spectra/universal_vector/solar/"
    )
    assert run_plan.chi2_root(near, "solar/darwin") == "results"
    assert run_plan.chi2_root(near, "sn_cc/darwin") == "results/variants/near"


def test_the_data_analyses_are_shared_unless_a_variant_changes_what_they_read(run_plan):
    """Both xenon data analyses read the solar fluence, whose flavours depend on the mixing angles: 'theta12'
    changes it, 'near' not; the COHERENT analyses read their own beam and stay shared."""
    assert list(run_plan.data_releases) == [
        "xenonnt_2024",
        "xenonnt_s2only_2026",
        "coherent_csi_2021",
        "coherent_lar_2020",
    ]
    releases = ["xenonnt_2024", "xenonnt_s2only_2026"]
    assert all(
        run_plan.data_analysis_shared(run_plan.setups["theta12"], r) for r in ("coherent_csi_2021", "coherent_lar_2020")
    )
    assert all(run_plan.data_analysis_shared(run_plan.setups["near"], r) for r in releases)
    assert not any(run_plan.data_analysis_shared(run_plan.setups["theta12"], r) for r in releases)
    data = "results/bounds/universal_vector/xenonnt_2024/xenonnt_2024.parquet"
    assert data in run_plan.analysis_tables(run_plan.setups["near"], "bounds")
    assert data not in run_plan.analysis_tables(run_plan.setups["theta12"], "bounds")
    warnings = run_plan.unshared_data_warnings()
    assert len(warnings) == 1 and warnings[0].startswith(
        "variant theta12: no rows of xenonnt_2024/xenonnt_2024, xenonnt_s2only_2026/xenonnt_s2only_2026"
    )


def test_a_data_release_declares_its_inputs_and_params(run_plan):
    inputs = run_plan.data_release_inputs("xenonnt_2024")
    assert list(inputs) == ["flux", "release"] and inputs["flux"] == "results/fluxes/solar.parquet"
    assert inputs["release"][-1] == "resources/xenonnt_2024/checksums.txt"
    params = run_plan.data_release_params("xenonnt_s2only_2026", "universal_vector")
    assert (
        set(params["targets"]) == {"Xe"} and params["exposure_yr"] == run_plan.config["sources"]["solar"]["exposure_yr"]
    )
    assert "validation" not in params["xenonnt_s2only_2026"]  # the bounds do not depend on the validation settings
    assert "validation" in run_plan.data_release_params("xenonnt_s2only_2026")["xenonnt_s2only_2026"]
    # 200 + 1e-2 MB per point (the S2-only model's memory) on the 24 x 20 test grid
    assert run_plan.data_memory_mb("xenonnt_s2only_2026") == int(200 + 1e-2 * 24 * 20)


def test_a_variant_cannot_change_the_models_computed():
    with pytest.raises(ConfigError, match="variant v: config key variants.v.models_computed: a variant cannot"):
        build(run_config(variants={"v": {"models_computed": ["universal_vector"]}}))


def test_a_variant_cannot_change_the_models_an_analysis_adds():
    """The added models fix the outputs of the family's chi2 job, in every configuration."""
    with pytest.raises(ConfigError, match=r"variants.v.analyses.solar/darwin.models: the models solar/darwin adds"):
        build(run_config(variants={"v": {"analyses": {"solar/darwin": {"models": []}}}}))


def test_a_variant_cannot_change_the_efficiencies_of_a_detector():
    """A detector's efficiencies fix the outputs of its spectra jobs, in every configuration."""
    with pytest.raises(ConfigError, match=r"variants.v.detectors.darwin.efficiencies: the efficiencies of darwin"):
        build(run_config(variants={"v": {"detectors": {"darwin": {"efficiencies": ["ideal"]}}}}))


def test_the_old_key_mediators_names_its_new_name():
    cfg = run_config()
    cfg["mediators"] = cfg.pop("models_computed")
    with pytest.raises(ConfigError, match="config key mediators: the key is now called 'models_computed'"):
        validation.validate(cfg, ROOT)
    with pytest.raises(ConfigError, match="variants.v.mediators: the key is now called 'models_computed'"):
        validation.check_variant("v", {"mediators": ["universal_vector"]}, run_config(), ROOT)


def test_a_data_release_reading_a_source_of_the_wrong_kind_is_named():
    cfg = run_config()
    broken = copy.deepcopy(cfg)
    broken["xenonnt_2024"]["source"] = "sn_cc"
    with pytest.raises(ConfigError, match="config key xenonnt_2024.source: 'sn_cc' is not a steady source"):
        validation.check_data_releases(broken, ROOT)


# --- the combination of the data analyses (rule combined_data) ---------------------------------------------------


def test_combination_tables_are_listed_with_the_data_analyses(run_plan):
    bounds = run_plan.analysis_tables(run_plan.base, "bounds")
    assert "results/bounds/universal_vector/combined_data/combined_data.parquet" in bounds
    inputs = run_plan.combined_inputs()
    members = run_plan.combination["members"]
    assert sorted({key.split("__")[0] for key in inputs}) == sorted(members)
    params = run_plan.combined_params("universal_vector")
    assert sorted(params["members"]) == sorted(members) and params["model"]["name"] == "universal_vector"


def test_combination_has_a_grid_of_its_own(run_plan):
    """combined_data.grid's axes (6 x 5 in the test configuration) replace the maps' grid in the combination's job
    and its memory; the report masses stay the run's."""
    params = run_plan.combined_params("universal_vector")
    assert params["grid_g"]["n"] == 6 and params["masses"]["grid"]["n"] == 5
    assert params["masses"]["report"] == run_plan.config["report_masses_MeV"]
    assert run_plan.config["grid"]["g"]["n"] == 24  # the maps' grid is the test configuration's
    with pytest.raises(ConfigError, match="config key combined_data.grid.g: min = 1.0 must be below max = 0.01"):
        run_config(combined_data={"grid": {"g": {"min": 1.0, "max": 1.0e-2, "n": 6}}})


def test_combination_is_shared_only_where_every_member_is(run_plan):
    # a solar-flux variant changes XENONnT 2024 (a member): the combination is not the base's; the COHERENT
    # analyses read no config source and stay shared
    theta12 = run_plan.setups["theta12"]
    assert not run_plan.data_family_shared(theta12, "combined_data/combined_data")
    assert run_plan.data_family_shared(theta12, "coherent_csi_2021/coherent_csi_2021")
    assert run_plan.data_family_shared(run_plan.setups["near"], "combined_data/combined_data")


@pytest.mark.parametrize(
    "section, message",
    [
        (
            {"members": ["xenonnt_2024", "xenonnt_s2only_2026"], "shared_flux": {}},
            "xenonnt_2024 and xenonnt_s2only_2026 both fit XENONnT SR0",
        ),
        ({"members": ["coherent_csi_2021", "xenon_9000"], "shared_flux": {}}, "'xenon_9000' is not a data analysis"),
        (
            {
                "members": ["coherent_csi_2021", "xenonnt_2024"],
                "shared_flux": {"sns": {"members": ["coherent_csi_2021", "coherent_lar_2020"], "sigma": 0.1}},
            },
            "shared_flux.sns.members: 'coherent_lar_2020' is not among combined_data.members",
        ),
    ],
)
def test_a_bad_combination_is_named(section, message):
    with pytest.raises(ConfigError, match=message):
        run_config(combined_data=section)


def test_a_ledger_method_of_an_analysis_the_run_does_not_compute_is_named():
    """A method pair may name a data analysis, but only one the configuration has (here the LAr section removed)."""
    base = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    merged = variants.merged(base, yaml.safe_load((ROOT / "config" / "test.yaml").read_text()))
    del merged["coherent_lar_2020"]
    merged.pop("combined_data", None)
    with pytest.raises(ConfigError, match="deviation_ledger.methods: unknown analysis 'coherent_lar_2020/coherent_lar"):
        validation.validate(with_absolute_paths(merged, ROOT), ROOT)
    with pytest.raises(ConfigError, match="deviation_ledger.methods.coherent_csi_2021/coherent_csi_2021: unknown"):
        run_config(deviation_ledger={"methods": {"coherent_csi_2021/coherent_csi_2021": "coherent_csi"}})
