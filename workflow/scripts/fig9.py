"""Fig. 9: the projected bounds for a U(1)_{B-L} gauge boson: g_q = g_BL / 3, g_nu = g_BL, so g_BL = sqrt(3) g."""

import math

from astrocevns import logs, plotting as pl

log = logs.to_file(snakemake.log[0])
p = snakemake.params.figure
chi2 = [path for path in snakemake.input if path.endswith(".parquet")]
layers = [(f"{s}/combined", pl.SOURCE_COLOURS[s], "light", f"{pl.SOURCE_LABELS[s]}, RES-NOVA-3 + DARWIN")
          for s in ("atmospheric", "sn_marginalised", "solar")]
fig = pl.bound_figure(chi2, ["vector"], layers, coupling_scale=math.sqrt(3.0), coupling_label="$g_{B-L}$",
                      title="$U(1)_{B-L}$", curves=pl.external_curves(snakemake.input, p["external_listed"], log))
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
