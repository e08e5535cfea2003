"""The embedded defaults reproduce the SM counts obtained from the public reference inputs.

Tolerances: 2 % for supernova and solar, 5 % for atmospheric neutrinos,
for RES-NOVA-3 and DARWIN with the paper's 1 keV threshold and 2 keV bins.
"""

import copy

import pytest
from helpers import load_config

from astrocevns.physics import builders, rates, sources
from astrocevns.physics.detectors import Efficiency

CONFIG = load_config()
SN_MODELS = {"sn_cc": "s27.0c", "sn_failed": "s40s7b2c"}


def reference_spec(source, reference_dir):
    """The config entry of ``source`` with its files replaced by the reference inputs."""
    spec = copy.deepcopy(CONFIG["sources"][source])
    if source in SN_MODELS:
        for flavour, entry in spec["species"].items():
            entry["file"] = str(reference_dir / "supernova" / f"garching_{SN_MODELS[source]}_LS220_{flavour}.dat")
    elif source == "solar":
        for component, entry in spec["components"].items():
            entry["file"] = str(reference_dir / "solar" / f"{component}_spectrum_normalised.csv")
    else:
        for flavour, entry in spec["components"].items():
            entry["file"] = str(reference_dir / "atmospheric" / f"fluka_{flavour}.csv")
    return spec


def sm_events(spec, detector_name):
    det = CONFIG["detectors"][detector_name]
    (detector,) = builders.detector_parts(
        detector_name, det, CONFIG["targets"], CONFIG["form_factor"], Efficiency.ideal()
    )
    fluence = sources.total_fluence(sources.source_table(spec, CONFIG["oscillations"]))
    return rates.recoil_kernel(fluence, detector, **CONFIG["recoil_bins"]).sm_counts().sum()


@pytest.mark.parametrize("detector", ["resnova3", "darwin"])
@pytest.mark.parametrize(
    "source, tolerance", [("sn_cc", 0.02), ("sn_failed", 0.02), ("solar", 0.02), ("atmospheric", 0.05)]
)
def test_embedded_defaults_reproduce_reference_counts(source, tolerance, detector, reference_dir, monkeypatch):
    embedded = sm_events(CONFIG["sources"][source], detector)
    reference = sm_events(reference_spec(source, reference_dir), detector)
    print(f"{source} {detector}: embedded {embedded:.5g}, reference {reference:.5g}, ratio {embedded / reference:.4f}")
    assert embedded == pytest.approx(reference, rel=tolerance)
