"""Fig. 5: supernova bounds per detector and combined, for the CC-SN and the failed SN."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers, bands = pl.per_detector_layers(["sn_cc", "sn_failed"])
fig = pl.bound_figure(snakemake.input, snakemake.params.figure["mediators"], layers, bands)
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
