"""Fig. 2: supernova recoil spectra on lead and xenon, SM and with a 1 MeV vector or scalar mediator."""

from astrocevns import logs, plotting

logs.to_file(snakemake.log[0])
fig = plotting.rate_figure(snakemake.input, snakemake.params.figure, 30.0, "keV$^{-1}$ t$^{-1}$ (burst at 10 kpc)")
plotting.save(fig, snakemake.output.pdf, snakemake.output.png)
