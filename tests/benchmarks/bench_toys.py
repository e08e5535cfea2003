"""Benchmark: toy-exclusions per second per core (astrocevns.inference.toys).

A toy-exclusion is one pseudo-experiment fitted over the full g axis of one mass (the default 200 couplings over
bounds.g_min..g_max, profiled pull, delta chi2 from the toy's best fit) and its smallest excluded coupling. Problems:
solar 8B + hep neutrinos in DARWIN (40 t, 1 yr, ideal efficiency, 2 keV bins from 1 keV; about 3400 SM events in 3
bins) and the 27 Msun supernova in DARWIN (49 bins), vector and scalar mediator at the five report masses. Also
times the Neyman toys of one hypothesis (q with 1 dof, and with 2 dof over every 10th mass of the default grid).
BLAS and NumPy are pinned to one thread before NumPy loads, so the rate is per core. Prints lines
`toy-exclusions per second per core: N`; target >= 1e4.

Run from the repository root: python tests/benchmarks/bench_toys.py [--toys 20000]
"""

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from astrocevns.inference import grids, statistics, toys  # noqa: E402
from astrocevns.physics import (  # noqa: E402
    builders,  # noqa: E402
    rates,
    sources,
)
from astrocevns.physics.detectors import Efficiency  # noqa: E402
from astrocevns.pipeline import config as cfg  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toys", type=int, default=20000, help="toys per mass (in chunks of 2000)")
    arguments = parser.parse_args()
    config = cfg.with_absolute_paths(yaml.safe_load((ROOT / "config/config.yaml").read_text()), ROOT)
    (detector,) = builders.detector_parts(
        "darwin", config["detectors"]["darwin"], config["targets"], config["form_factor"], Efficiency.ideal()
    )
    kernels = {}
    for source in ("solar", "sn_cc"):
        fluence = sources.total_fluence(sources.source_table(config["sources"][source], config["oscillations"]))
        kernels[source] = rates.recoil_kernel(fluence, detector, **config["recoil_bins"])
    masses = np.asarray(config["report_masses_MeV"], dtype=float)
    g = grids.log_axis(
        {"min": config["bounds"]["g_min"], "max": config["bounds"]["g_max"], "n": config["toys"]["g_points"]}
    )
    threshold = statistics.delta_chi2(0.9, 2)
    chunk = 2000
    for source, mediator in ((s, m) for s in kernels for m in ("vector", "scalar")):
        sigma = config["statistics"]["normalisation_uncertainty"][source]
        prediction = toys.Prediction(kernels[source].coupling_polynomial(mediator, masses), sigma)
        started = time.perf_counter()
        for index in range(max(arguments.toys // chunk, 1)):
            toys.expected_g_min(prediction, g, threshold, toys.generator(0, mediator, index), chunk)
        elapsed = time.perf_counter() - started
        done = masses.size * chunk * max(arguments.toys // chunk, 1)
        print(
            f"{source}, {mediator}: {done} toy-exclusions ({masses.size} masses, {g.size} couplings, "
            f"{prediction.coefficients[0].shape[1]} bins) in {elapsed:.2f} s"
        )
        print(f"toy-exclusions per second per core: {done / elapsed:.3g}")
    grid_m = grids.log_axis(config["grid"]["m_MeV"])[::10]
    sigma = config["statistics"]["normalisation_uncertainty"]["solar"]
    profile = toys.Prediction(kernels["solar"].coupling_polynomial("vector", grid_m), sigma)
    hypothesis = toys.Prediction(kernels["solar"].coupling_polynomial("vector", masses[2:3]), sigma)
    started = time.perf_counter()
    toys.hypothesis_statistics(hypothesis, 7.8e-6, profile, g, toys.generator(1), chunk)
    elapsed = time.perf_counter() - started
    print(
        f"Neyman toys (q with 1 and 2 dof, profiled over {grid_m.size} masses x {g.size} couplings): "
        f"{chunk / elapsed:.3g} toys per second per core"
    )


if __name__ == "__main__":
    main()
