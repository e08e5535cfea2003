"""Rule chi2: profiled Poisson chi-square of one analysis on the (g, m) grid, and its bounds."""

import numpy as np
import pandas as pd

from astrocevns import bounds, grids, io, logs, rates, statistics

log = logs.to_file(snakemake.log[0])
wc, spec = snakemake.wildcards, snakemake.params.analysis
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
g = grids.log_axis(spec["grid_g"])

# spectra inputs are ordered source by source, members within (see rules/common.smk)
tables = iter(io.read_parquet(path)[0] for path in snakemake.input)
per_source = {source: [next(tables) for _ in spec["members"]] for source in spec["sources"]}


def chi2_of(source, on_grid, coupling):
    """chi2 and pull of one source's detectors at couplings broadcasting against its masses."""
    counts, sm = [], []
    for table in per_source[source]:
        _, coefficients = rates.polynomial_from_frame(table, on_grid)
        counts.append(rates.counts_from_polynomial(coefficients, coupling))
        sm.append(coefficients[0][0])
    return statistics.profiled_chi2(counts, sm, spec["sigma"][source])


def marginalised(on_grid, coupling):
    """Minimum over the analysis's sources of chi2 (paper: marginalised over SN models)."""
    results = [chi2_of(source, on_grid, coupling) for source in spec["sources"]]
    chi2 = np.stack([r[0] for r in results])
    best = np.argmin(chi2, axis=0)
    pull = np.take_along_axis(np.stack([r[1] for r in results]), best[None], axis=0)[0]
    return chi2.min(axis=0), pull, best


masses, _ = rates.polynomial_from_frame(per_source[spec["sources"][0]][0], True)
chi2, pull, best = marginalised(True, g[:, None])
frame = pd.DataFrame(
    {
        "g": np.repeat(g, masses.size),
        "m_MeV": np.tile(masses, g.size),
        "chi2": chi2.ravel(),
        "pull": pull.ravel(),
        "source": np.asarray(spec["sources"])[best.ravel()],
    }
)
meta = {"analysis": wc.analysis, "mediator": wc.mediator, "delta_chi2": repr(threshold),
        "inputs_hash": io.content_hash(spec, *snakemake.input)}
# chi2 is infinite where no events are predicted but the SM has some: excluded at any CL
io.write_parquet(frame, snakemake.output.chi2, meta)
log.info("%s %s: %.1f %% of the grid excluded at delta chi2 > %.3f", wc.mediator, wc.analysis,
         100 * np.mean(chi2 > threshold), threshold)

report_masses, _ = rates.polynomial_from_frame(per_source[spec["sources"][0]][0], False)
g_min = bounds.smallest_excluded_coupling(
    lambda coupling: marginalised(False, coupling)[0],
    spec["bounds"]["g_min"], spec["bounds"]["g_max"], threshold, spec["bounds"]["scan_points"],
)
table = pd.DataFrame(
    {"analysis": wc.analysis, "mediator": wc.mediator, "m_MeV": report_masses, "g_min": pd.array(g_min, dtype="Float64")}
)
for row in table.itertuples():
    log.info("m = %g MeV: g_min = %.4g", row.m_MeV, row.g_min)
io.write_parquet(table, snakemake.output.bounds, meta)
