"""Fig. 11: supernova bounds with a 25 % and a 10 % uncertainty on the flux normalisation."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers = [
    ("sn_marginalised/combined", pl.GREY, "fill", "SN marginalised, 25 %"),
    ("sn_marginalised-sigma10/combined", "k", "dashed", "SN marginalised, 10 %"),
    ("sn_cc/combined", pl.ORANGE, "solid", "CC-SN, 25 %"),
    ("sn_cc-sigma10/combined", pl.ORANGE, "dashed", "CC-SN, 10 %"),
]
fig = pl.bound_figure(snakemake.input, snakemake.params.figure["mediators"], layers, title="RES-NOVA-3 + DARWIN")
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
