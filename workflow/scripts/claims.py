"""Rule claims: the paper's quantitative claims (config/claims.yaml), each measured on the results and given a
verdict."""

from astrocevns.pipeline import logs
from astrocevns.presentation import claims
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
scans = {name: io.read_csv(path) for name, path in zip(snakemake.params.scans, snakemake.input.scans, strict=True)}
rates = {}
for path in snakemake.input.rates:
    table, meta = io.read_parquet(path)
    rates[meta["source"]] = table
results = claims.Results(
    io.read_csv(snakemake.input.bounds), io.read_csv(snakemake.input.core_bounds), scans, rates, snakemake.params.config
)
table = claims.claims_table(results, claims.load_claims(snakemake.input.claims))
io.write_csv(table, snakemake.output[0], "%.4g")
for row in table.itertuples():
    log.info("%s: %.4g -> %s %s (%s)", row.key, row.value, row.verdict, row.shortfall, row.measure)
