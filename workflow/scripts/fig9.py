"""Fig. 9: the summary for a U(1)_{B-L} gauge boson, drawn in g_BL = sqrt(3) g (astrocevns.couplings)."""

from astrocevns import logs, plotting as pl

log = logs.to_file(snakemake.log[0])
fig = pl.convention_summary(snakemake.input, "vector", "g_BL", "$g_{B-L}$", "$U(1)_{B-L}$",
                            snakemake.params.figure["external_listed"], log)
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
