"""Benchmark: milliseconds per profiled problem of every registered data release
(astrocevns.datasets.recasting.DATA_RELEASES).

A problem is one (g, m) point of a model: the release's CEvNS template at that coupling and mass, profiled over
every nuisance parameter (``model.profile``), as :func:`astrocevns.datasets.recasting.profiled_deviance` does on the
grid.
The points are drawn at random, g log-uniform over the config's grid in g and m among its grid masses, for the
universal vector mediator; each release is timed with its own flux prior (``flux_scale=None``) and with the flux
scale fixed per problem (as :mod:`astrocevns.datasets.combination` calls it). The COHERENT releases build their spectra
with
their own ``spectrum_coefficients``; the xenon releases with the solar fluence of the config on xenon, as rule
data_analysis does. BLAS and NumPy are pinned to one thread before NumPy loads, so the times are per core. Prints
lines `<release>, <flux>: <ms> ms per problem`; target <= 0.1 ms for the COHERENT releases (40 000 grid points
in a few seconds).

With ``--combination``, also the config's combination (``combined_data``, astrocevns.datasets.combination):
milliseconds per combined problem and the members' profiles per problem (the minimum over the shared flux
scale evaluates each member of a group once per trial scale).

Run from the repository root:
python tests/benchmarks/bench_data_analyses.py [--problems 20000] [--releases ...] [--combination]
"""

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from astrocevns.datasets import combination, recasting  # noqa: E402
from astrocevns.inference import grids  # noqa: E402
from astrocevns.physics import (  # noqa: E402
    builders,  # noqa: E402
    models,
    sources,
)
from astrocevns.pipeline import config as cfg  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODEL = "universal_vector"


def coefficients(name, analysis, config, masses, response):
    """(a, b, c) of the model's spectrum at the response's nodes for the release ``name``."""
    if analysis.WORKFLOW.source_key is None:  # the release's own beam
        spec = {**config, "model": {"name": MODEL}}
        return analysis.spectrum_coefficients(spec, None, config["models"][MODEL], masses, response)
    section = config[name]
    solar = config["sources"][section.get("source", "solar")]
    fluence = sources.flavour_fluences(sources.source_table(solar, config["oscillations"]))
    xenon = builders.nucleus("Xe", config["targets"]["Xe"], config["form_factor"])
    kernel = recasting.cevns_kernel(fluence, xenon, response.nodes_keV)
    polynomial = kernel.coupling_polynomial(models.from_config(MODEL, config["models"][MODEL]), masses)
    return [c / solar["exposure_yr"] for c in polynomial]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=20000, help="random (g, m) problems per release")
    parser.add_argument("--releases", nargs="*", default=list(recasting.DATA_RELEASES), help="config sections")
    parser.add_argument("--combination", action="store_true", help="also time the config's combined_data")
    arguments = parser.parse_args()
    config = cfg.with_absolute_paths(yaml.safe_load((ROOT / "config/config.yaml").read_text()), ROOT)
    masses = grids.log_axis(config["grid"]["m_MeV"])
    g_axis = config["grid"]["g"]
    rng = np.random.default_rng(1)
    g = np.exp(rng.uniform(np.log(g_axis["min"]), np.log(g_axis["max"]), arguments.problems))
    mass_index = rng.integers(0, masses.size, arguments.problems)
    flux_scale = np.exp(0.1 * rng.standard_normal(arguments.problems))
    built = {}
    for name in arguments.releases:
        if name not in config:
            print(f"{name}: no config section, skipped")
            continue
        analysis = recasting.release_analysis(name)
        model, response = analysis.statistical_model(config[name])
        templates = recasting.coupling_templates(
            model, response, coefficients(name, analysis, config, masses, response)
        )
        built[name] = (model, templates)
        for label, scale in (("own flux prior", None), ("flux scale fixed", flux_scale)):
            started = time.perf_counter()
            for start in range(0, g.size, 20000):
                rows = slice(start, start + 20000)
                model.profile(
                    templates.at_couplings(g[rows], mass_index[rows]),
                    **({} if scale is None else {"flux_scale": scale[rows]}),
                )
            elapsed = time.perf_counter() - started
            print(
                f"{name}, {label}: {1e3 * elapsed / g.size:.4f} ms per problem ({g.size} problems in {elapsed:.2f} s)",
                flush=True,
            )
    if arguments.combination:
        time_combination(config["combined_data"], built, g, mass_index)


class Counted:
    """A statistical model that counts the problems it profiles."""

    def __init__(self, model):
        self.model, self.problems = model, 0

    def profile(self, cevns, **options):
        deviance, best = self.model.profile(cevns, **options)
        self.problems += deviance.size
        return deviance, best


def time_combination(section, built, g, mass_index):
    """Milliseconds per problem of the combination and its members' profiles per problem."""
    missing = [member for member in section["members"] if member not in built]
    if missing:
        print(f"combination: members {missing} not timed above (--releases), skipped")
        return
    counted = {member: (Counted(built[member][0]), built[member][1]) for member in section["members"]}
    model, templates = combination.combine(counted, section.get("shared_flux", {}))
    started = time.perf_counter()
    for start in range(0, g.size, 20000):
        rows = slice(start, start + 20000)
        model.profile(templates.at_couplings(g[rows], mass_index[rows]))
    elapsed = time.perf_counter() - started
    per_problem = ", ".join(f"{name} {member.problems / g.size:.2f}" for name, (member, _) in counted.items())
    print(f"combination: {1e3 * elapsed / g.size:.4f} ms per problem; members' profiles per problem: {per_problem}")


if __name__ == "__main__":
    main()
