"""Peak memory of the workflow's jobs, estimated from the size of the (g, m) grid before any job runs.

Each estimate is the job's start-up (interpreter, NumPy, pyarrow, and pandas or matplotlib where the job loads
them) plus the arrays it holds at its fullest, in bytes per element of what it iterates over:

- ``chi2``: while the grid is evaluated 64 couplings at a time, the counts of every detector of the family
  (about 19 bytes per mass and bin: the count and the polynomial's temporaries) and the chi-square's
  temporaries for one detector (about 28 bytes per mass and bin), beside the grids of the variants already
  done (40 bytes per point); then, per grid point, the tables of every variant and their concatenation
  (62 bytes per variant) and the last variant's own arrays, contours and Parquet buffers (217 bytes);
  whichever phase is larger, plus up to 45 MiB that the allocators keep from the other (reached at about
  1e5 grid points).
- ``core``: the nucleon opacities of 64 masses at a time on the radius x energy quadrature (3.25 arrays of
  8 bytes), or the grid table through pandas and Parquet (60 bytes per point), whichever is larger.
- ``figure``: 90 bytes per point of each (mediator, analysis) grid the figure draws.
- ``spectra``: 40 bytes per mass, bin and quadrature node.

The coefficients were measured (peak resident memory of each job, ``VmHWM``) on grids of 20 x 20 to
1000 x 1000, 1000 x 100 and 100 x 1000 (core: 2000 x 2000); ``tests/test_memory.py`` checks them against
a run on another grid. The per-rule functions give the rules' ``resources.mem_mb`` (for SLURM);
:func:`memory_warnings` compares the largest jobs with the config key ``memory.warn_mb``, and
:func:`memory_limit_errors` with ``memory.limit_mb`` (the parse stops above it).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from ..inference.analyses import expand_analyses, families

MIB = 2**20
"""Bytes per MiB (the unit of Snakemake's and SLURM's mem_mb)."""

START_UP_MB = {"chi2": 107, "core": 120, "figure": 150, "spectra": 86}
"""Resident memory of a job of each rule before it holds any grid [MiB]; 150 for the other rules."""

GRID_ROWS_PER_BLOCK = 64
"""Couplings (chi2) and masses (core) evaluated together."""

FIGURE_GRIDS = 1
"""Grids the fullest figure holds at once: fig. 1 reads one supernova-core table at a time (and draws it
decimated); the bound figures draw exact edges and read no grid."""


def chi2_job_mb(n_g: int, n_m: int, variants: int, bins_per_detector: list[int]) -> int:
    """Peak memory [MiB] of the chi2 job of one family.

    Parameters
    ----------
    n_g, n_m : int
        Couplings and masses of the grid (config ``grid``); report masses are negligible.
    variants : int
        Analyses of the family (the analysis and its efficiency variants).
    bins_per_detector : list of int
        Recoil bins of each detector of the family (see :func:`detector_bins`).
    """
    points = n_g * n_m
    block = GRID_ROWS_PER_BLOCK * n_m * (19 * sum(bins_per_detector) + 28 * max(bins_per_detector))
    evaluation = block + 40 * points * (variants - 1)
    tables = points * (62 * variants + 217)
    kept = 45 * MIB * min(1.0, points / 1e5)
    return math.ceil(START_UP_MB["chi2"] + (max(evaluation, tables) + kept) / MIB)


def core_job_mb(n_g: int, n_m: int, radii: int, energies: int) -> int:
    """Peak memory [MiB] of a core job (one mediator): config ``core.radii`` and ``core.energy_grid_MeV.n``."""
    opacities = 3.25 * 8 * radii * energies * min(GRID_ROWS_PER_BLOCK, n_m)
    return math.ceil(START_UP_MB["core"] + max(opacities, 60 * n_g * n_m) / MIB)


def figure_job_mb(points: int, grids: int) -> int:
    """Peak memory [MiB] of a figure job that draws ``grids`` (mediator, analysis) grids of ``points`` points
    each (the full grid n_g x n_m, or the decimated grid a figure reads)."""
    return math.ceil(START_UP_MB["figure"] + 90 * grids * points / MIB)


def spectra_job_mb(masses: int, bins: int, nodes_per_bin: int) -> int:
    """Peak memory [MiB] of a spectra job: ``masses`` grid and report masses, one detector's recoil bins."""
    return math.ceil(START_UP_MB["spectra"] + 40 * masses * bins * nodes_per_bin / MIB)


def detector_bins(config: Mapping, detector: str) -> int:
    """Recoil bins of a detector: ``recoil_bins.width_keV`` wide from its threshold to ``recoil_bins.max_keV``
    (an upper bound: a source's kinematic end point may cut some)."""
    spec, bins = config["detectors"][detector], config["recoil_bins"]
    return int(math.floor((bins["max_keV"] - spec["threshold_keV"]) / bins["width_keV"] + 1e-9))


def largest_jobs_mb(config: Mapping, figure_grids: int = FIGURE_GRIDS) -> dict[str, int]:
    """{rule: estimated peak memory [MiB] of its largest job} for the grid rules of a configuration."""
    n_g, n_m = config["grid"]["g"]["n"], config["grid"]["m_MeV"]["n"]
    sigmas = config["statistics"]["normalisation_uncertainty"]
    analyses = expand_analyses(config["analyses"], config["detectors"], sigmas)
    core = config["core"]
    return {
        "spectra": max(
            spectra_job_mb(
                n_m + len(config["report_masses_MeV"]),
                detector_bins(config, detector),
                config["recoil_bins"]["nodes_per_bin"],
            )
            for detector in config["detectors"]
        ),
        "chi2": max(
            chi2_job_mb(n_g, n_m, len(family), [detector_bins(config, d) for d, _ in family[0].members])
            for family in families(analyses).values()
        ),
        "core": core_job_mb(n_g, n_m, core["radii"], core["energy_grid_MeV"]["n"]),
        "figure": figure_job_mb(n_g * n_m, figure_grids),
    }


def machine_memory_mb() -> int:
    """Physical memory of this machine [MiB] (where the workflow is parsed)."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MIB


def memory_limit_errors(config: Mapping, figure_grids: int = FIGURE_GRIDS) -> list[str]:
    """One message per grid rule whose largest job is estimated above ``memory.limit_mb`` (default: the memory
    of this machine), which would fail after the jobs before it had run."""
    limit = config["memory"].get("limit_mb")
    where = f"memory.limit_mb = {limit} MB" if limit else f"this machine's {machine_memory_mb()} MB"
    limit = limit or machine_memory_mb()
    n_g, n_m = config["grid"]["g"]["n"], config["grid"]["m_MeV"]["n"]
    return [
        f"memory: a {rule} job needs an estimated {mb} MB on the {n_g} x {n_m} grid, more than {where}; "
        "reduce grid.g.n or grid.m_MeV.n, or set memory.limit_mb to the memory the jobs will have (e.g. the "
        "nodes of a cluster)"
        for rule, mb in largest_jobs_mb(config, figure_grids).items()
        if mb > limit
    ]


def memory_warnings(config: Mapping, figure_grids: int = FIGURE_GRIDS) -> list[str]:
    """One message per grid rule whose largest job is estimated above ``memory.warn_mb``."""
    limit = config["memory"]["warn_mb"]
    n_g, n_m = config["grid"]["g"]["n"], config["grid"]["m_MeV"]["n"]
    return [
        f"memory: a {rule} job needs an estimated {mb} MB on the {n_g} x {n_m} grid, above memory.warn_mb = "
        f"{limit} MB; reduce grid.g.n or grid.m_MeV.n, or raise memory.warn_mb (and the jobs' mem_mb on a cluster)"
        for rule, mb in largest_jobs_mb(config, figure_grids).items()
        if mb > limit
    ]
