"""Fig. 6: supernova bounds (marginalised over the two SN models) against detector size."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers = [
    ("sn_marginalised/resnova1", pl.ORANGE, "dashed", "RES-NOVA-1 (2.4 t Pb)"),
    ("sn_marginalised/resnova3", pl.ORANGE, "solid", "RES-NOVA-3 (456 t Pb)"),
    ("sn_marginalised/xenonnt", pl.BLUE, "dashed", "XENONnT (4 t Xe)"),
    ("sn_marginalised/darwin", pl.BLUE, "solid", "DARWIN (40 t Xe)"),
]
fig = pl.bound_figure(snakemake.input, snakemake.params.figure["mediators"], layers, title="SN")
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
