"""Rule coverage_table: results/tables/coverage.csv, per coverage point and hypothesis g the toys' 90 % quantiles of q
with 1 and 2 dof against Wilks' thresholds, the coverage of those thresholds, and per point the bound with Wilks'
and with the toy (Neyman) thresholds (astrocevns.inference.toys.neyman_bound): of the Asimov data for a projection's
point,
of the data for a data analysis's point (rule data_coverage_toys)."""

import numpy as np
import pandas as pd

from astrocevns.inference import statistics, toys
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
cl = snakemake.params.cl
wilks = {dof: statistics.delta_chi2(cl, dof) for dof in (1, 2)}
frames = []
for path in snakemake.input:
    frame, meta = io.read_parquet(path)
    if "asimov_delta_chi2" in frame:  # a projection's toys: the Asimov delta chi2 at the hypothesis, both dof
        frame = frame.assign(
            reference="asimov", delta_chi2_1dof=frame.asimov_delta_chi2, delta_chi2_2dof=frame.asimov_delta_chi2
        )
    else:  # a data analysis's toys: the data's q at the hypothesis
        frame = frame.assign(
            reference="data", delta_chi2_1dof=frame.observed_q_1dof, delta_chi2_2dof=frame.observed_q_2dof
        )
    frames.append(
        frame.assign(point=meta["point"], analysis=meta["analysis"], model=meta["model"], m_MeV=float(meta["m_MeV"]))
    )
table = pd.concat(frames, ignore_index=True)
rows = []
for _, group in table.groupby(["point", "hypothesis"], sort=True):
    row = {
        column: group[column].iloc[0]
        for column in ("point", "analysis", "model", "m_MeV", "g", "reference", "delta_chi2_1dof", "delta_chi2_2dof")
    }
    row["n_toys"] = len(group)
    for dof in (1, 2):
        q = group[f"q_{dof}dof"].to_numpy(float)
        row[f"q{round(100 * cl)}_{dof}dof"] = float(np.quantile(q, cl, method="inverted_cdf"))
        row[f"wilks_{dof}dof"] = wilks[dof]
        row[f"coverage_wilks_{dof}dof"] = float(np.mean(q <= wilks[dof]))
    rows.append(row)
coverage = pd.DataFrame(rows)
for point, group in coverage.groupby("point"):
    for dof in (1, 2):
        quantile = group[f"q{round(100 * cl)}_{dof}dof"].to_numpy()
        g, delta = group.g.to_numpy(), group[f"delta_chi2_{dof}dof"].to_numpy()
        coverage.loc[group.index, f"bound_wilks_{dof}dof"] = toys.neyman_bound(g, delta, np.full(g.size, wilks[dof]))
        coverage.loc[group.index, f"bound_toys_{dof}dof"] = toys.neyman_bound(g, delta, quantile)
    first = coverage.loc[group.index[0]]
    log.info(
        "%s: bound with Wilks' thresholds %.4g (2 dof), %.4g (1 dof); with the toys' %.4g, %.4g",
        point,
        first.bound_wilks_2dof,
        first.bound_wilks_1dof,
        first.bound_toys_2dof,
        first.bound_toys_1dof,
    )
io.write_csv(coverage, snakemake.output[0], "%.10g")
