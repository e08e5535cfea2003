"""Fig. 4: atmospheric recoil spectra on lead and xenon, SM and with a 1 MeV mediator."""

from astrocevns import logs, plotting

logs.to_file(snakemake.log[0])
fig = plotting.rate_figure(snakemake.input, snakemake.params.figure, 100.0, "keV$^{-1}$ t$^{-1}$ yr$^{-1}$")
plotting.save(fig, snakemake.output.pdf, snakemake.output.png)
