"""Rule intervals_table: results/tables/intervals.csv, every excluded interval in g per analysis, model and report
mass (the rows of the intervals tables of the chi2 rules and the data analyses)."""

import pandas as pd

from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
table = pd.concat([io.read_parquet(path)[0] for path in snakemake.input], ignore_index=True)
columns = ["analysis", "model", "mediator", "coupling", "m_MeV", "interval", "g_low", "g_high", "to_range_end"]
columns += [c for c in ("best_fit_g", "best_fit_m_MeV", "q_sm", "z_sm") if c in table]
table = table.sort_values(["analysis", "model", "m_MeV", "interval"])[columns]
io.write_csv(table, snakemake.output[0])
log.info(
    "%d intervals; %d (analysis, model, mass) with more than one",
    len(table),
    int((table.groupby(["analysis", "model", "m_MeV"]).size() > 1).sum()),
)
