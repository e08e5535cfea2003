"""Rule deviations: the deviation ledger, every paper-literal key's effect on the bounds and core lines."""

import pandas as pd

from astrocevns.pipeline import logs
from astrocevns.presentation import comparisons
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
ledger = snakemake.params.ledger
# the tables of each variant, results/variants/<variant>/tables/{bounds,core_bounds}.csv
tables = {tuple(path.split("/")[-3::2]): path for path in snakemake.input.variants}
bounds = {variant: io.read_csv(tables[variant, "bounds.csv"]) for variant in ledger}
core = {variant: io.read_csv(tables[variant, "core_bounds.csv"]) for variant in ledger}
base_bounds, base_core = (io.read_csv(path) for path in snakemake.input.base)
table = comparisons.deviation_table(ledger, bounds, core, base_bounds, base_core)
if snakemake.params.methods:
    table = pd.concat([table, comparisons.method_table(snakemake.params.methods, base_bounds)], ignore_index=True)
io.write_csv(table, snakemake.output[0])
for variant, rows in table.groupby("variant", sort=False):
    low, high = comparisons.ratio_range(rows)
    log.info("%s: paper / default from %.4g to %.4g", variant, low, high)
