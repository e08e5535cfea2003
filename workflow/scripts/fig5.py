"""Fig. 5: supernova bounds per detector and combined, for the CC-SN and the failed SN."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers, bands = [], []
for model in ("sn_cc", "sn_failed"):
    colour, name = pl.SOURCE_COLOURS[model], pl.SOURCE_LABELS[model]
    layers += [(f"{model}/combined", colour, "fill", f"{name}: {pl.DETECTOR_LABELS['combined']}"),
               (f"{model}/darwin", colour, "hatch", f"{name}: DARWIN"),
               (f"{model}/resnova3", colour, "dashed", f"{name}: RES-NOVA-3")]
    bands.append((f"{model}/combined", f"{model}/combined-xenon1t_nr", colour, f"{name}: XENON1T efficiency"))
fig = pl.bound_figure(snakemake.input, snakemake.params.figure["mediators"], layers, bands)
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
