"""Rule figure: draw one figure from its description (config/figures.yaml) and write the data it draws."""

from astrocevns.pipeline import logs
from astrocevns.presentation import plotting

log = logs.to_file(snakemake.log[0])
params = snakemake.params.figure
inputs = {name: list(paths) for name, paths in snakemake.input.items()}
tables = plotting.read_tables(params["description"], params, inputs, log)
fig, data = plotting.draw(params["description"], params, tables, log)
plotting.save(fig, snakemake.output.pdf, snakemake.output.png)
data.write_csv(snakemake.output.data)
log.info("%s: %d layers of data written", params["name"], len(data.parts))
