"""Rule core_bounds_table: results/tables/core_bounds.csv (mediator, criterion, m_MeV, g, below_range)."""

import pandas as pd

from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
table = pd.concat([io.read_parquet(path)[0] for path in snakemake.input], ignore_index=True)
table = table.sort_values(["mediator", "criterion", "m_MeV"])[["mediator", "criterion", "m_MeV", "g", "below_range"]]
io.write_csv(table, snakemake.output[0])
log.info("%d rows", len(table))
