"""Rule table_html: a results table as an HTML table for the report (the CSV stays the download)."""

from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
table = io.read_csv(snakemake.input[0], keep_default_na=False)
with open(snakemake.output[0], "w", encoding="utf-8") as stream:
    stream.write(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><style>'
        "table{border-collapse:collapse;font:12px sans-serif}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#eee}"
        "</style></head><body>\n"
    )
    stream.write(table.to_html(index=False, border=0, na_rep=""))
    stream.write("\n</body></html>\n")
log.info("%s: %d rows, %d columns", snakemake.input[0], len(table), len(table.columns))
