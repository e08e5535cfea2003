"""Rules chi2 and chi2_adding_<models>: the chi-square grids, contours, exact edges and bounds of one analysis
family (an analysis and its efficiency variants), per model (g its coupling); the library does the work
(astrocevns.inference.exclusion), the statistic's kind (astrocevns.inference.kinds) its own part."""

from astrocevns.inference import exclusion, grids, kinds, result_tables, statistics
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.family
variants, sources = spec["variants"], spec["sources"]
names = [variant["name"] for variant in variants]
kind = kinds.get(spec["statistic"]["kind"])
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
files = {name: list(value) for name, value in snakemake.input.items() if name != "spectra"}
statistic = exclusion.Statistic(
    kind.name,
    threshold,
    spec["sigma"],
    spec["statistics"]["pull_prior"],
    kind.prepare(spec["statistic"], spec, files, log),
)
paths = {tuple(key): path for key, path in zip(spec["spectra_keys"], snakemake.input.spectra, strict=True)}
g = grids.log_axis(spec["grid_g"])
for index, model in enumerate(spec["models"]):
    name = model["name"]
    log.info("model %s (%s, coupling %s)", name, model["mediator"], model["coupling"])
    spectra = exclusion.family_spectra(
        variants, sources, lambda key, name=name: io.read_columns(paths[(name, *key)])[0]
    )
    tables = exclusion.analyse_family(statistic, variants, spectra, g, spec["bounds"], log)
    labels = {"model": name, "mediator": model["mediator"], "coupling": model["coupling"]}
    meta = {
        "family": snakemake.wildcards.family,
        **labels,
        "delta_chi2": repr(threshold),
        "statistic": kind.name,
        "inputs_hash": io.content_hash(spec, name, *snakemake.input),
    }
    outputs = {table: getattr(snakemake.output, table)[index] for table in result_tables.TABLES}
    result_tables.write_result_tables(
        dict(zip(result_tables.TABLES, tables, strict=True)), names, labels, outputs, meta, sources
    )
