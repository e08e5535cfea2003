"""Rule scan_figure: g_min relative to the base configuration against the scanned value."""

from astrocevns.pipeline import logs
from astrocevns.presentation import plotting
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
fig = plotting.scan_figure(io.read_csv(snakemake.input[0]), snakemake.params.scan, log)
plotting.save(fig, snakemake.output.pdf, snakemake.output.png)
