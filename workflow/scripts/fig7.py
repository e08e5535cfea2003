"""Fig. 7: solar and atmospheric bounds per detector and combined, with the XENON1T bound (paper sec. VII B)."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers, bands = pl.per_detector_layers(["atmospheric", "solar"])
layers += pl.existing_layers(snakemake.input, ["xenon1t/xenon1t"])
fig = pl.bound_figure(snakemake.input, snakemake.params.figure["mediators"], layers, bands)
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
