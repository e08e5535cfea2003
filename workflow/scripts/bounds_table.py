"""Rule bounds_table: results/tables/bounds.csv, the smallest excluded coupling per analysis, model and mass
(``g_min`` in the model's own coupling, named in ``coupling``)."""

import pandas as pd

from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
table = pd.concat([io.read_parquet(path)[0] for path in snakemake.input], ignore_index=True)
columns = ["analysis", "model", "mediator", "coupling", "m_MeV", "g_min", "below_range", "n_intervals"]
table = table.sort_values(["analysis", "model", "m_MeV"])[columns]
io.write_csv(table, snakemake.output[0])
log.info(
    "%d rows, %d without an excluded coupling in range, %d of them excluded below it (below_range)",
    len(table),
    table["g_min"].isna().sum(),
    table["below_range"].sum(),
)
