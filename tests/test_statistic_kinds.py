"""The registry of statistic kinds (astrocevns.inference.kinds): the library's kinds found by name, a kind defined
outside the library registered and used by the exclusion and the config checks alike, clear errors otherwise."""

import copy

import numpy as np
import pytest
import yaml
from helpers import ROOT

from astrocevns.errors import ConfigError
from astrocevns.inference import exclusion, kinds
from astrocevns.inference.kinds.base import Kind
from astrocevns.pipeline.config import check_config

CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
FRACTION = 0.2


def rate_excess(statistic, spectra, coupling):
    """A toy kind: threshold x (N - N_SM) / (f N_SM), excluded where the events exceed the SM's by the fraction f."""
    source = next(iter(statistic.sigma_by_source))
    counts = spectra[source].total_counts(coupling)
    sm = spectra[source].total_counts(0.0)
    value = statistic.threshold * (counts - sm) / (statistic.parameters["fraction"] * sm)
    zeros = np.zeros(value.shape)
    return value, zeros, zeros.astype(int)


RATE_EXCESS = Kind(
    name="rate_excess",
    schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "fraction"],
        "properties": {"kind": {"const": "rate_excess"}, "fraction": {"type": "number", "exclusiveMinimum": 0}},
    },
    evaluate=rate_excess,
)


@pytest.fixture
def registered():
    kinds.register(RATE_EXCESS)
    yield RATE_EXCESS
    kinds._REGISTERED.pop(RATE_EXCESS.name)


def test_the_library_kinds_are_found_by_name():
    assert {"asimov_poisson", "counting", "event_ceiling"} <= set(kinds.names())
    for name in kinds.MODULES:
        kind = kinds.get(name)
        assert kind.name == name and kind.schema["properties"]["kind"]["const"] == name


def test_unknown_kind_names_the_key_and_the_known_kinds():
    config = copy.deepcopy(CONFIG)
    config["analyses"]["coherent_csi/coherent_csi"]["statistic"] = {"kind": "likelihood"}
    with pytest.raises(ConfigError) as error:
        check_config(config, root=ROOT)
    message = str(error.value)
    assert (
        "config key analyses.coherent_csi/coherent_csi.statistic.kind: unknown statistic kind 'likelihood'" in message
    )
    assert "'asimov_poisson', 'counting', 'event_ceiling'" in message


def test_a_kind_schema_names_the_entry_key():
    config = copy.deepcopy(CONFIG)
    del config["analyses"]["coherent_csi/coherent_csi"]["statistic"]["observed_uncertainty"]
    with pytest.raises(ConfigError, match=r"analyses\.coherent_csi/coherent_csi\.statistic: 'observed_uncertainty'"):
        check_config(config, root=ROOT)


def test_a_registered_kind_passes_the_config_checks_and_its_schema_applies(registered):
    config = copy.deepcopy(CONFIG)
    config["analyses"]["solar/darwin"]["statistic"] = {"kind": "rate_excess", "fraction": FRACTION}
    check_config(config, root=ROOT)
    config["analyses"]["solar/darwin"]["statistic"] = {"kind": "rate_excess", "fraction": -1.0}
    with pytest.raises(ConfigError, match=r"analyses\.solar/darwin\.statistic\.fraction: -1\.0 is less than"):
        check_config(config, root=ROOT)
    config["analyses"]["solar/darwin"]["statistic"] = {"kind": "rate_excess", "fraction": FRACTION}
    config["analyses"]["solar/darwin"]["sources"] = ["solar", "atmospheric"]
    with pytest.raises(ConfigError, match=r"solar/darwin\.sources: a rate_excess statistic takes exactly one source"):
        check_config(config, root=ROOT)


def test_a_registered_kind_sets_the_bounds_of_the_exclusion(registered):
    """N(g) = a + b g^2 + c g^4 summed over the bins: excluded where b g^2 + c g^4 > f a, so the smallest excluded
    coupling solves the quadratic in g^2 (hand calculation); the exclusion finds it through the registry."""
    masses = np.array([1.0, 10.0])
    a = np.array([[40.0, 60.0], [40.0, 60.0]])
    b = np.array([[2.0e9, 1.0e9], [2.0e7, 1.0e7]])  # heavier mediator: smaller interference term
    c = np.array([[1.0e18, 1.0e18], [1.0e14, 1.0e14]])
    spectra = {"solar": exclusion.SourceSpectra(masses, ((a, b, c),))}
    statistic = exclusion.Statistic("rate_excess", 4.61, {"solar": 0.1}, parameters={"fraction": FRACTION})
    g = np.geomspace(1e-7, 1e-2, 60)
    scan = {"g_min": 1e-9, "g_max": 1.0, "scan_points": 200}
    result = exclusion.analyse(statistic, spectra, spectra, g, scan)
    B, C, excess = b.sum(axis=1), c.sum(axis=1), FRACTION * a.sum(axis=1)
    g2 = (-B + np.sqrt(B**2 + 4 * C * excess)) / (2 * C)
    np.testing.assert_allclose(result.bounds["g_min"], np.sqrt(g2), rtol=1e-8)
    assert result.excluded_fraction(statistic.threshold) > 0
