"""Rule scan_table: g_min of a scan's analyses at its report masses for every value, and the ratio to the base."""

import pandas as pd

from astrocevns import comparisons, logs

log = logs.to_file(snakemake.log[0])
scan = snakemake.params.scan
tables = [(value, pd.read_csv(path)) for value, path in zip(scan["values"], snakemake.input["values"], strict=True)]
table = comparisons.scan_table(tables, pd.read_csv(snakemake.input.base), scan["analyses"], scan["report_masses_MeV"])
table.insert(1, "keys", " ".join(scan["keys"]))
table.to_csv(snakemake.output[0], index=False, float_format="%.6g")
low, high = comparisons.ratio_range(table.rename(columns={"ratio_to_base": "ratio"}))
log.info("%s: %d rows; g_min / g_min(base) from %.4g to %.4g", scan["name"], len(table), low, high)
