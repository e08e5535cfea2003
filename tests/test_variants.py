"""Variants, scans and the comparison of configurations (astrocevns.pipeline.variants,
astrocevns.presentation.comparisons)."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from helpers import load_config

from astrocevns.pipeline import variants
from astrocevns.pipeline.config import ConfigError
from astrocevns.presentation import claims, comparisons

BASE = load_config()


def test_overlay_merges_mappings_and_replaces_values():
    merged = variants.merged(BASE, {"detectors": {"darwin": {"threshold_keV": 0.5}}, "report_masses_MeV": [1.0]})
    assert merged["detectors"]["darwin"]["threshold_keV"] == 0.5
    assert merged["detectors"]["darwin"]["mass_t"] == BASE["detectors"]["darwin"]["mass_t"]
    assert merged["report_masses_MeV"] == [1.0]
    assert BASE["detectors"]["darwin"]["threshold_keV"] == 1.0  # the base is not modified


def test_scan_expands_into_one_variant_per_value():
    scan = {
        "keys": ["detectors.darwin.threshold_keV", "detectors.xenonnt.threshold_keV"],
        "values": [0.3, 1.0],
        "analyses": ["solar/darwin"],
        "report_masses_MeV": [1.0],
    }
    expanded = variants.scan_variants({"thr": scan}, BASE)
    assert list(expanded) == ["thr-0.3", "thr-1"]
    assert expanded["thr-0.3"] == {"detectors": {"darwin": {"threshold_keV": 0.3}, "xenonnt": {"threshold_keV": 0.3}}}


@pytest.mark.parametrize(
    "scan, message",
    [
        (
            {"keys": ["detectors.darwin.threshold"], "values": [1.0]},
            "scans.s.keys: 'detectors.darwin.threshold' is not",
        ),
        ({"keys": ["detectors.darwin"], "values": [1.0]}, "is a section, not a value"),
        ({"keys": ["detectors.darwin.threshold_keV"], "values": []}, "scans.s.values: the list of values is empty"),
        ({"keys": ["detectors.darwin.threshold_keV"], "values": ["low"]}, "scans.s.values: 'low' is a str"),
        ({"keys": ["statistics.pull_prior"], "values": [1.0]}, "1.0 is a float, but statistics.pull_prior holds a str"),
    ],
)
def test_bad_scans_name_the_key(scan, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        variants.scan_variants({"s": {**scan, "analyses": ["solar/darwin"], "report_masses_MeV": [1.0]}}, BASE)


def test_variant_cannot_change_the_models():
    with pytest.raises(ConfigError, match="variants.v.models_computed: a variant cannot change models_computed"):
        variants.check_overlay("v", {"models_computed": ["universal_vector"]})


def test_job_resolves_to_the_first_configuration_with_the_same_identity():
    identities = {"": "a", "x": "b", "y": "b", "z": "c"}
    assert variants.first_with_identity(list(identities), identities.get, "y") == "x"
    assert variants.first_with_identity(list(identities), identities.get, "z") == "z"
    assert variants.first_with_identity(list(identities), {"": "a", "x": "a"}.get, "x") == ""


def bounds(g_min):
    return pd.DataFrame(
        {
            "analysis": ["solar/darwin", "solar/darwin-xenon1t_nr", "sn_cc/resnova3"],
            "model": "universal_vector",
            "mediator": "vector",
            "m_MeV": 1.0,
            "g_min": g_min,
        }
    )


def test_scan_table_ratios_to_the_base():
    base = bounds([2e-5, 4e-5, 1e-5])
    table = comparisons.scan_table([(0.5, bounds([1e-5, 3e-5, 1e-5])), (1.0, base)], base, ["solar/darwin"], [1.0])
    assert set(table.analysis) == {"solar/darwin", "solar/darwin-xenon1t_nr"}  # the family, not sn_cc
    ratios = table.set_index(["value", "analysis"]).ratio_to_base
    assert ratios[0.5, "solar/darwin"] == pytest.approx(0.5) and ratios[0.5, "solar/darwin-xenon1t_nr"] == 0.75
    assert (table[table.value == 1.0].ratio_to_base == 1.0).all()


def test_claim_verdicts_from_their_bands():
    claim = claims.Claim("k", "sec. I", "words", True, "config", {}, (0.35, 0.65), (0.2, 0.8))
    assert [claim.verdict(v) for v in (0.5, 0.25, 0.9, math.nan)] == [
        "holds",
        "partly",
        "does not hold",
        "not measurable",
    ]
    assert claim.shortfall(0.5) == "" and claim.shortfall(1.3) == "x2 (above the band edge 0.65)"


def test_counting_best_fit_does_not_depend_on_the_grid():
    """COHERENT-like counting: the prediction N(g) = 100 (1 + g^2) crosses the observed 150 events at
    g = sqrt(0.5); any grid straddling it measures delta chi2 from the exact best fit, chi2 = 0."""
    from astrocevns.inference import exclusion

    ones = np.ones((1, 1))
    spectra = {"beam": exclusion.SourceSpectra(np.array([1.0]), ((100 * ones, 100 * ones, 0 * ones),))}
    statistic = exclusion.Statistic(
        "counting", 4.61, {"beam": 0.1}, parameters={"observed_events": 150.0, "observed_uncertainty": 20.0}
    )
    for g in (np.geomspace(1e-3, 10, 7), np.geomspace(1e-3, 10, 400)):
        chi2 = exclusion.evaluate(statistic, spectra, g[:, None])[0]
        assert chi2.min() > 0 or g.size > 7
        assert exclusion.best_fit_reference(statistic, spectra, chi2, g) == 0.0
    # without a crossing (observed below the SM, N only grows) the best fit is the SM's
    below = exclusion.Statistic(
        "counting", 4.61, {"beam": 0.1}, parameters={"observed_events": 80.0, "observed_uncertainty": 20.0}
    )
    chi2 = exclusion.evaluate(below, spectra, np.geomspace(1e-3, 10, 7)[:, None])[0]
    sm = (80.0 - 100.0) ** 2 / (20.0**2 + (0.1 * 100.0) ** 2)
    assert exclusion.best_fit_reference(below, spectra, chi2, np.geomspace(1e-3, 10, 7)) == pytest.approx(sm)


def test_claim_improvement_is_the_largest_over_the_named_masses():
    bounds_table = pd.DataFrame(
        {
            "analysis": ["a", "a", "a", "c", "c", "c"],
            "model": ["v"] * 6,
            "m_MeV": [0.1, 1.0, 10.0] * 2,
            "g_min": [1.0, 2.0, 1.0, 2.0, 2.5, 10.0],
        }
    )
    results = claims.Results(bounds_table, pd.DataFrame(), {}, {})
    low = {"numerator": "a", "denominator": "c", "model": "v", "masses_MeV": [0.1, 1.0]}
    # 1 - 1/2 at 0.1 MeV and 1 - 2/2.5 at 1 MeV: up to 50 %; the 10 MeV point (90 %) lies outside the range
    assert claims.improvement(results, low)[0] == pytest.approx(0.5)
    assert claims.improvement(results, {**low, "masses_MeV": [0.1, 10.0]})[0] == pytest.approx(0.9)
    claim = claims.Claim("k", "sec. IX", "words", True, "improvement", low, (0.35, 0.65), (0.2, 0.8))
    assert claims.claims_table(results, [claim]).verdict.tolist() == ["holds"]


def test_method_rows_compare_the_paper_method_with_its_alternative():
    base = pd.DataFrame(
        {
            "analysis": ["x/x", "x/x", "x-alt/x", "x-alt/x", "sn/c"],
            "model": ["v"] * 5,
            "mediator": ["vector"] * 5,
            "m_MeV": [0.1, 10.0, 0.1, 10.0, 0.1],
            "g_min": [2.0, 3.0, 1.0, 4.0, 9.0],
        }
    )
    table = comparisons.method_table({"x-alt/x": "x/x"}, base)
    assert table.variant.unique().tolist() == ["method-x-alt/x"] and (table.table == "method").all()
    assert table.ratio.tolist() == [2.0, 0.75]  # g_min(paper's method) / g_min(alternative), mass by mass
    with pytest.raises(ValueError, match="no common bounds"):
        comparisons.method_table({"y/y": "x/x"}, base)


@pytest.mark.parametrize("name", ["..", ".", ".hidden", "a/b"])
def test_a_variant_name_cannot_leave_results_variants(name):
    with pytest.raises(ConfigError, match=rf"variants\.{re.escape(name)}: a name starts with a letter, digit or _"):
        variants.check_overlay(name, {"detectors": {"darwin": {"mass_t": 400.0}}})


def scan_over(values, keys=("detectors.darwin.threshold_keV",)):
    return {"keys": list(keys), "values": values, "analyses": ["solar/darwin"], "report_masses_MeV": [1.0]}


@pytest.mark.parametrize(
    "values, message",
    [
        ([0.5, 1, 1.0], "scans.thr.values: 1 and 1.0 both give the variant 'thr-1'; list each value once"),
        ([0.5, 0.5], "scans.thr.values: 0.5 and 0.5 both give the variant 'thr-0.5'"),
    ],
)
def test_scan_values_that_give_one_name_are_refused(values, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        variants.scan_variants({"thr": scan_over(values)}, BASE)


def test_a_scan_value_that_is_no_directory_name_is_refused():
    with pytest.raises(ConfigError, match=re.escape("scans.p.values: 'a/b' gives the variant name 'p-a/b'")):
        variants.scan_variants({"p": scan_over(["a/b"], ["statistics.pull_prior"])}, BASE)


def test_a_named_variant_and_a_scan_value_cannot_share_a_name():
    scans = variants.scan_variants({"thr": scan_over([0.5, 1.0])}, BASE)
    message = "config key scans.thr: the variant name 'thr-0.5' is also given by variants"
    with pytest.raises(ConfigError, match=re.escape(message)):
        variants.one_namespace({"variants": {"thr-0.5": {}}, "scans.thr": scans})


def test_two_scans_cannot_give_one_name():
    # value 1 of scan 'x-' and value -1 of scan 'x' are both 'x--1'
    scans = {name: variants.scan_variants({name: scan_over([value])}, BASE) for name, value in (("x-", 1), ("x", -1))}
    with pytest.raises(
        ConfigError, match=re.escape("config key scans.x: the variant name 'x--1' is also given by scans.x-")
    ):
        variants.one_namespace({f"scans.{name}": names for name, names in scans.items()})
    variants.one_namespace({"variants": {"a": {}}, "scans.x": scans["x"]})  # distinct names pass


def test_a_scan_of_an_unknown_analysis_is_named():
    scan = {**scan_over([0.5]), "analyses": ["solar/darwn"]}
    with pytest.raises(ConfigError, match=re.escape("config key scans.thr.analyses: unknown analysis 'solar/darwn'")):
        variants.scan_variants({"thr": scan}, BASE)
    with pytest.raises(ConfigError, match=re.escape("config key deviation_ledger.analyses: unknown analysis 'x'")):
        variants.check_listed_analyses("deviation_ledger.analyses", ["x"], BASE)
