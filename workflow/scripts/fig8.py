"""Fig. 8: summary of the projected bounds (vector mediator): supernova, solar and atmospheric."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers = [(f"{s}/combined", pl.SOURCE_COLOURS[s], "light", f"{pl.SOURCE_LABELS[s]}, RES-NOVA-3 + DARWIN")
          for s in ("atmospheric", "sn_marginalised", "solar")]
fig = pl.bound_figure(snakemake.input, ["vector"], layers, title="summary")
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
