"""Fig. 10: the summary for a scalar with g_nu = g_q = g_phi (so g_phi = g), against the COHERENT bounds."""

from astrocevns import logs, plotting as pl

log = logs.to_file(snakemake.log[0])
fig = pl.convention_summary(snakemake.input, "scalar", "g_phi", "$g_\\phi$", "summary",
                            snakemake.params.figure["external_listed"], log)
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
