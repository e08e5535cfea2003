"""Fig. 10: the summary for a scalar with g_nu = g_q = g_phi (so g_phi = g), against the COHERENT bounds."""

from astrocevns import couplings, logs, plotting as pl

log = logs.to_file(snakemake.log[0])
p = snakemake.params.figure
chi2 = [path for path in snakemake.input if path.endswith(".parquet")]
fig = pl.bound_figure(chi2, ["scalar"], pl.summary_layers(chi2), coupling_scale=couplings.to_model(1.0, "g_phi"),
                      coupling_label="$g_\\phi$", title="summary",
                      curves=pl.external_curves(snakemake.input, p["external_listed"], log))
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
