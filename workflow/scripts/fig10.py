"""Fig. 10: the projected bounds for a scalar with g_nu = g_q = g_phi (so g_phi = g)."""

from astrocevns import logs, plotting as pl

log = logs.to_file(snakemake.log[0])
p = snakemake.params.figure
chi2 = [path for path in snakemake.input if path.endswith(".parquet")]
layers = [(f"{s}/combined", pl.SOURCE_COLOURS[s], "light", f"{pl.SOURCE_LABELS[s]}, RES-NOVA-3 + DARWIN")
          for s in ("atmospheric", "sn_marginalised", "solar")]
fig = pl.bound_figure(chi2, ["scalar"], layers, coupling_label="$g_\\phi$", title="summary",
                      curves=pl.external_curves(snakemake.input, p["external_listed"], log))
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
