"""Fig. 7: solar and atmospheric bounds per detector and combined."""

from astrocevns import logs, plotting as pl

logs.to_file(snakemake.log[0])
layers, bands = [], []
for source in ("atmospheric", "solar"):
    colour, name = pl.SOURCE_COLOURS[source], pl.SOURCE_LABELS[source]
    layers += [(f"{source}/combined", colour, "fill", f"{name}: {pl.DETECTOR_LABELS['combined']}"),
               (f"{source}/darwin", colour, "hatch", f"{name}: DARWIN"),
               (f"{source}/resnova3", colour, "dashed", f"{name}: RES-NOVA-3")]
    bands.append((f"{source}/combined", f"{source}/combined-xenon1t_nr", colour, f"{name}: XENON1T efficiency"))
fig = pl.bound_figure(snakemake.input, snakemake.params.figure["mediators"], layers, bands)
pl.save(fig, snakemake.output.pdf, snakemake.output.png)
