"""Bad input stops the workflow when it is parsed, naming the key, file or row, before any output.

Each case edits config/config.yaml (or an input file) of a fresh copy of the workflow and runs
Snakemake; it must fail, say what is wrong and where, and leave no results/ behind.
"""

import pytest
import yaml
from helpers import run_snakemake


def set_key(config, path, value):
    *parents, last = path.split(".")
    node = config
    for key in parents:
        node = node[key]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value


DELETE = object()
SOLAR_8B = "resources/solar/8B_spectrum.csv"
SN_NUE = "resources/supernova/sn_cc_nue.dat"

CONFIG_CASES = {
    "scan over a missing key": (
        "scans.exposure.keys",
        ["sources.solar.exposure_years"],
        "scans.exposure.keys: 'sources.solar.exposure_years' is not a key",
    ),
    "scan without values": ("scans.exposure.values", [], "scans.exposure.values: the list of values is empty"),
    "scan value of the wrong type": (
        "scans.sn_distance.values",
        [10.0, "far"],
        "scans.sn_distance.values: 'far' is a str, but sources.sn_cc.distance_kpc",
    ),
    "variant named ..": (
        "variants",
        {"..": {"detectors": {"darwin": {"mass_t": 400.0}}}},
        "'..' does not match '^[A-Za-z0-9_][A-Za-z0-9_.+-]*$'",
    ),
    "variant named as a scan value": (
        "variants",
        {"sn_distance-10": {"detectors": {"darwin": {"mass_t": 400.0}}}},
        "config key scans.sn_distance: the variant name 'sn_distance-10' is also given by variants",
    ),
    "YAML 1.1 boolean as a key": ("variants", {False: {}}, "config key variants.False: the key False is not a string"),
    "float for an integer key": ("grid.g.n", 200.0, "config key grid.g.n: 200.0 is not of type 'integer'"),
    "wrong type": ("recoil_bins.width_keV", "two", "['recoil_bins']['width_keV']"),
    "missing key": ("detectors.darwin.mass_t", DELETE, "'mass_t' is a required property"),
    "unknown key": ("detectors.darwin.mass_kg", 4.0, "'mass_kg' was unexpected"),
    "negative mass": ("detectors.darwin.mass_t", -40.0, "['detectors']['darwin']['mass_t']"),
    "zero mass": ("detectors.resnova3.mass_t", 0.0, "['detectors']['resnova3']['mass_t']"),
    "zero threshold": ("detectors.resnova3.threshold_keV", 0.0, "['detectors']['resnova3']['threshold_keV']"),
    "unknown target": ("detectors.darwin.target", "Ge", "detectors.darwin.target: unknown target 'Ge'"),
    "compound of an unknown element": (
        "targets.CsI.composition",
        {"Cs": 1, "Br": 1},
        "targets.CsI.composition: 'Br' is not an element",
    ),
    "beam at an unknown detector": (
        "sources.coherent_csi.detectors",
        ["lz"],
        "sources.coherent_csi.detectors: unknown detector 'lz'",
    ),
    "detector away from the beam": (
        "analyses.coherent_csi/coherent_csi.detectors",
        ["darwin"],
        "detector 'darwin' does not see source 'coherent_csi'",
    ),
    "pinned efficiency not listed": (
        "analyses.xenon1t/xenon1t.efficiency",
        "coherent_csi",
        "analyses.xenon1t/xenon1t.efficiency: 'coherent_csi' is not among detectors.xenon1t.efficiencies",
    ),
    "WIMP exposure differs from the neutrino one": (
        "analyses.xenon1t/xenon1t.statistic.exposure_t_yr",
        2.0,
        "statistic.exposure_t_yr: 2.0 t yr differs",
    ),
    "unknown efficiency": ("detectors.darwin.efficiencies", ["lux"], "unknown efficiency 'lux'"),
    "unknown detector in analysis": (
        "analyses.solar/darwin.detectors",
        ["lz"],
        "analyses.solar/darwin.detectors: unknown detector 'lz'",
    ),
    "unknown source in analysis": (
        "analyses.solar/darwin.sources",
        ["reactor"],
        "analyses.solar/darwin.sources: unknown source 'reactor'",
    ),
    "threshold above end point": (
        "detectors.darwin.threshold_keV",
        7.0,
        "detectors.darwin.threshold_keV: 7.0 keV is at or above the kinematic end point",
    ),
    "grid min above max": ("grid.g.min", 1.0, "grid.g: min = 1.0 must be below max"),
    "grid with one point": ("grid.m_MeV.n", 1, "['grid']['m_MeV']['n']"),
    "confidence level above one": ("statistics.cl", 1.5, "['statistics']['cl']"),
    "zero sigma": (
        "statistics.normalisation_uncertainty.solar",
        0.0,
        "['statistics']['normalisation_uncertainty']['solar']",
    ),
    "core region reversed": ("core.R1_km", 50.0, "config key core: R1_km = 50.0 must be below R2_km"),
    "missing flux file": (
        "sources.solar.components.8B.file",
        "resources/solar/absent.csv",
        "sources.solar.components.8B.file: file not found",
    ),
    "model with all couplings zero": (
        "models.b_minus_l.charges.neutrinos",
        {"e": 0, "mu": 0, "tau": 0},
        "models.b_minus_l.charges.neutrinos: every neutrino charge is zero",
    ),
    "model with an unknown flavour": (
        "models.b_minus_l.charges.neutrinos",
        {"e": -1, "muon": -1},
        "models.b_minus_l.charges.neutrinos.muon: unknown flavour 'muon'",
    ),
    "scalar model with a vector-only key": (
        "models.universal_scalar.charges.kinetic_mixing",
        True,
        "models.universal_scalar.charges.kinetic_mixing: a vector-only key",
    ),
    "unknown model": (
        "models_computed",
        ["universal_vector", "vector"],
        "config key models_computed: unknown model 'vector'",
    ),
    "toys of a marginalised analysis": (
        "toys.expected.analyses",
        ["sn_marginalised/combined"],
        "config key toys.expected: 'sn_marginalised/combined' is not an Asimov Poisson analysis of one source",
    ),
    "toys per chunk not whole blocks": (
        "toys.coverage.toys_per_chunk",
        150,
        "config key toys.coverage.toys_per_chunk: 150 is not a multiple of toys.block (100)",
    ),
    "coverage point off the report masses": (
        "toys.coverage.points",
        [{"name": "p", "analysis": "solar/darwin", "model": "universal_vector", "m_MeV": 3.0}],
        "config key toys.coverage.points.p.m_MeV: 3.0 is not among report_masses_MeV",
    ),
    "component without flavours": (
        "sources.atmospheric.components.nue.flavours",
        DELETE,
        "sources.atmospheric.components.nue: give flavours or solar_msw",
    ),
}

FILE_CASES = {
    "empty flux table": (SOLAR_8B, "# nothing\n", "8B_spectrum.csv: needs at least two data rows"),
    "unsorted flux table": (
        SOLAR_8B,
        "E_nu_MeV,v\n2,1\n1,1\n3,0\n",
        "8B_spectrum.csv, line 3: energy not strictly increasing",
    ),
    "negative flux": (SOLAR_8B, "E_nu_MeV,v\n1,1\n2,-1\n17,0\n", "8B_spectrum.csv, line 3: negative value -1"),
    "NaN in flux": (SOLAR_8B, "E_nu_MeV,v\n1,1\n2,nan\n17,0\n", "8B_spectrum.csv, line 3: NaN"),
    "wrong columns": (SOLAR_8B, "E_nu_MeV,v,w\n1,1,1\n2,1,1\n", "8B_spectrum.csv, line 2: expected 2 columns, found 3"),
    "malformed Garching row": (SN_NUE, "0.0 1 10 120\n0.1 1 x 120\n", "sn_cc_nue.dat, line 2: non-numeric"),
    "unphysical Garching moments": (SN_NUE, "0.0 1 10 120\n0.1 1 10 300\n", "sn_cc_nue.dat, line 2: <E> = 10 MeV"),
    "efficiency above one": (
        "resources/detectors/xenon1t_nr_efficiency.csv",
        "E_r_keV,eff\n0,0\n10,1.2\n",
        "line 3: efficiency 1.2 outside [0, 1]",
    ),
}


def assert_stops_before_any_output(directory, expected):
    result = run_snakemake(directory, "--cores", "1")
    message = result.stdout + result.stderr
    assert result.returncode != 0
    assert expected in message, message[-2000:]
    assert not (directory / "results").exists()


@pytest.mark.workflow
@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_bad_config_value(case, workflow_copy):
    key, value, expected = CONFIG_CASES[case]
    path = workflow_copy / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text())
    set_key(config, key, value)
    path.write_text(yaml.safe_dump(config))
    assert_stops_before_any_output(workflow_copy, expected)


@pytest.mark.workflow
@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_bad_input_file(case, workflow_copy):
    relative, text, expected = FILE_CASES[case]
    (workflow_copy / relative).write_text(text)
    assert_stops_before_any_output(workflow_copy, expected)


def test_at_least_twenty_distinct_cases():
    assert len(CONFIG_CASES) + len(FILE_CASES) >= 20


@pytest.mark.workflow
def test_one_mediator_plans_every_figure_that_can_be_drawn(workflow_copy):
    """A config the schema accepts must not crash late: with the vector model alone, the figures whose panels
    are all scalar are left out (with a warning) and the rest is planned."""
    (workflow_copy / "vector.yaml").write_text("models_computed: [universal_vector]\n")
    result = run_snakemake(workflow_copy, "-n", "--cores", "1", "--configfile", "config/config.yaml", "vector.yaml")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "fig10 is not built" in log
    assert "results/figures/fig8.png" in log and "results/figures/fig10.png" not in log


@pytest.mark.workflow
@pytest.mark.slow
def test_variant_figures_on_demand_and_variants_of_a_models_charges(workflow_copy):
    """The README's offers: a variant's figure on demand; a variant may change a model's charges, computing its
    spectra under its own folder; a variant that changes what the XENONnT 2024 recast depends on says it has none."""
    (workflow_copy / "variants.yaml").write_text(
        "variants:\n"
        "  darwin_200t: {detectors: {darwin: {mass_t: 200.0}}}\n"
        "  bl_half: {models: {b_minus_l: {charges: {nucleons: {proton: 0.5, neutron: 0.5}}}}}\n"
        "  fine: {grid: {g: {n: 30}}}\n"
    )
    targets = ["results/variants/darwin_200t/figures/fig5.png", "results/variants/bl_half/tables/bounds.csv"]
    result = run_snakemake(
        workflow_copy,
        "-n",
        "--cores",
        "1",
        *targets,
        "--configfile",
        "config/config.yaml",
        "config/test.yaml",
        "variants.yaml",
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "results/variants/darwin_200t/figures/fig5.png" in log
    assert "results/variants/bl_half/spectra/b_minus_l/solar/darwin/ideal.parquet" in log
    assert (
        "variant fine: no rows of xenonnt_2024/xenonnt_2024, xenonnt_s2only_2026/xenonnt_s2only_2026, "
        "coherent_csi_2021/coherent_csi_2021, coherent_lar_2020/coherent_lar_2020, combined_data/combined_data "
        "in its bounds.csv"
    ) in log
    assert "variant darwin_200t: no rows" not in log
