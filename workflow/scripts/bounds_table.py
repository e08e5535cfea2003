"""Rule bounds_table: results/tables/bounds.csv, the smallest excluded coupling per analysis, model and mass
(``g_min`` in the model's own coupling, named in ``coupling``)."""

import pandas as pd

from astrocevns import io, logs

log = logs.to_file(snakemake.log[0])
table = pd.concat([io.read_parquet(path)[0] for path in snakemake.input], ignore_index=True)
columns = ["analysis", "model", "mediator", "coupling", "m_MeV", "g_min", "n_intervals"]
table = table.sort_values(["analysis", "model", "m_MeV"])[columns]
table.to_csv(snakemake.output[0], index=False, float_format="%.6g")
log.info("%d rows, %d without an excluded coupling in range", len(table), table["g_min"].isna().sum())
