"""Rule scan_table: g_min of a scan's analyses at its report masses for every value, and the ratio to the base."""

from astrocevns.pipeline import logs
from astrocevns.presentation import comparisons
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
scan = snakemake.params.scan
tables = [(value, io.read_csv(path)) for value, path in zip(scan["values"], snakemake.input["values"], strict=True)]
table = comparisons.scan_table(tables, io.read_csv(snakemake.input.base), scan["analyses"], scan["report_masses_MeV"])
table.insert(1, "keys", " ".join(scan["keys"]))
io.write_csv(table, snakemake.output[0])
low, high = comparisons.ratio_range(table.rename(columns={"ratio_to_base": "ratio"}))
log.info("%s: %d rows; g_min / g_min(base) from %.4g to %.4g", scan["name"], len(table), low, high)
