"""Fig. 7: solar and atmospheric bounds per detector and combined."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers, bands = pl.per_detector_layers(["atmospheric", "solar"])
fig = pl.bound_figure(snakemake.input, snakemake.params.figure["mediators"], layers, bands)
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
