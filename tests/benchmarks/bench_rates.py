"""Benchmark: the separable rate engine against a straightforward per-grid-point calculation.

Problem: xenon (DARWIN, 40 t, ideal efficiency), solar 8B + hep, 2 keV bins
from 1 keV, a 200 x 200 (g, m) grid, vector mediator. The straightforward code integrates eq. 11
for every grid point and bin with nested scipy.integrate.quad (E_nu inside E_r), as typical public
codes do; it is timed on a random sample of grid points and extrapolated to the whole grid.
Prints both times, the maximum relative difference on the sample and a line `speedup: N`.
Target: speedup >= 1e4 at a maximum relative difference <= 1e-4. Also prints the time of the
flavour-resolved kernel and of each model of the config on the whole grid (sum over flavour groups).

Run from the repository root: python tests/benchmarks/bench_rates.py [--sample 12]
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import yaml
from scipy.integrate import quad

from astrocevns.inference import grids
from astrocevns.physics import builders, models, rates, sources
from astrocevns.physics import cross_sections as xs
from astrocevns.physics.detectors import Efficiency

ROOT = Path(__file__).resolve().parents[2]
KEV = 1e-3


def problem():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    det = config["detectors"]["darwin"]
    (detector,) = builders.detector_parts("darwin", det, config["targets"], config["form_factor"], Efficiency.ideal())
    table = sources.source_table(config["sources"]["solar"], config["oscillations"])
    g = grids.log_axis({"min": 1e-7, "max": 1e-2, "n": 200})
    m = grids.log_axis({"min": 1e-2, "max": 1e4, "n": 200})
    return config, detector, table, g, m


def straightforward_counts(fluence, detector, edges_keV, g, m):
    """N_i(g, m) for one grid point: nested quad over E_nu inside each bin, no separability."""
    nucleus, E_max = detector.nucleus, fluence.max_energy_MeV
    end_keV = xs.max_recoil_energy_MeV(E_max, nucleus.mass_MeV) / KEV

    def rate(E_r_keV):
        E_r = E_r_keV * KEV
        E_min = xs.min_neutrino_energy_MeV(E_r, nucleus.mass_MeV)
        inner = quad(
            lambda E: fluence(E) * xs.vector_cross_section(E, E_r, g, m, nucleus), E_min, E_max, epsrel=1e-7, limit=200
        )
        return detector.number_of_targets * inner[0] * KEV

    return np.array(
        [
            quad(rate, lo, min(hi, end_keV), epsrel=1e-7, limit=200)[0]
            for lo, hi in zip(edges_keV[:-1], edges_keV[1:], strict=False)
        ]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=12, help="grid points for the straightforward code")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # quad's round-off notes; the accuracy is measured below
    config, detector, table, g, m = problem()
    fluence = sources.total_fluence(table)

    start = time.perf_counter()
    kernel = rates.recoil_kernel(fluence, detector, **config["recoil_bins"])
    counts = kernel.counts("vector", g[:, None], m[None, :])
    engine_s = time.perf_counter() - start

    rng = np.random.default_rng(8)
    points = [(rng.integers(g.size), rng.integers(m.size)) for _ in range(args.sample)]
    start = time.perf_counter()
    reference = [straightforward_counts(fluence, detector, kernel.bins.edges_keV, g[i], m[j]) for i, j in points]
    per_point_s = (time.perf_counter() - start) / args.sample
    straightforward_s = per_point_s * g.size * m.size
    difference = max(np.max(np.abs(counts[i, j] / ref - 1)) for (i, j), ref in zip(points, reference, strict=False))

    print(f"grid: {g.size} x {m.size} points, {kernel.sm_counts().size} bins of 2 keV from 1 keV, vector, Xe, solar")
    print(f"separable engine: {engine_s:.4f} s for the whole grid (kernel included)")
    print(
        f"straightforward: {per_point_s:.3f} s per grid point on {args.sample} points"
        f" -> {straightforward_s:.0f} s extrapolated"
    )
    print(f"max relative difference: {difference:.2e}")
    print(f"speedup: {straightforward_s / engine_s:.3g}")
    start = time.perf_counter()
    by_flavour = rates.recoil_kernel(sources.flavour_fluences(table), detector, **config["recoil_bins"])
    print(f"flavour-resolved kernel (whole flux, e, mu, tau): {time.perf_counter() - start:.4f} s")
    for name, entry in config["models"].items():
        start = time.perf_counter()
        by_flavour.counts(models.from_config(name, entry), g[:, None], m[None, :])
        print(f"model {name}: {time.perf_counter() - start:.4f} s for the whole grid")


if __name__ == "__main__":
    main()
