"""Rule flux: tabulate the fluence of one source (eqs. 15-17, or steady-source tables) to Parquet."""

from astrocevns.physics import sources
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.source
table = sources.source_table(spec, snakemake.params.oscillations)
log.info(
    "%s: %.4e neutrinos per cm^2 in total",
    snakemake.wildcards.source,
    sources.total_fluence(table).tail_integrals(0.0)[0],
)
io.write_parquet(
    table,
    snakemake.output[0],
    {
        "source": snakemake.wildcards.source,
        "kind": spec["kind"],
        "inputs_hash": io.content_hash(spec, *snakemake.input),
    },
)
