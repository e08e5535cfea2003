"""Fig. 9: the summary for a U(1)_{B-L} gauge boson, drawn in g_BL = sqrt(3) g (astrocevns.couplings)."""

from astrocevns import couplings, logs, plotting as pl

log = logs.to_file(snakemake.log[0])
p = snakemake.params.figure
chi2 = [path for path in snakemake.input if path.endswith(".parquet")]
fig = pl.bound_figure(chi2, ["vector"], pl.summary_layers(chi2), coupling_scale=couplings.to_model(1.0, "g_BL"),
                      coupling_label="$g_{B-L}$", title="$U(1)_{B-L}$",
                      curves=pl.external_curves(snakemake.input, p["external_listed"], log))
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
