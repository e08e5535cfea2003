"""Fig. 8: summary of the projected bounds (vector mediator) against the COHERENT bounds computed here."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
fig = pl.bound_figure(snakemake.input, ["vector"], pl.summary_layers(snakemake.input), title="summary")
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
