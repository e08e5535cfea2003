"""Rule spectra: binned counts N_i(g, m) of one (source, detector, efficiency), for each mediator."""

import numpy as np

from astrocevns import grids, io, logs, rates

log = logs.to_file(snakemake.log[0])
wc, masses = snakemake.wildcards, snakemake.params.masses
frame, meta = io.read_columns(snakemake.input[0])
kernel = rates.kernel_from_frame(frame)
grid = grids.log_axis(masses["grid"])
report = np.asarray(masses["report"], dtype=float)
on_grid = np.r_[np.ones(grid.size, bool), np.zeros(report.size, bool)]
for mediator, path in zip(snakemake.params.mediators, snakemake.output):
    table = rates.spectrum_frame(kernel, mediator, np.concatenate([grid, report]), on_grid)
    log.info("%s %s on %s (%s): %d masses x %d bins", mediator, wc.source, wc.detector, wc.efficiency,
             grid.size + report.size, kernel.sm_counts().size)
    io.write_parquet(
        table,
        path,
        {**{k: meta[k] for k in ("source", "detector", "efficiency", "target", "threshold_keV")},
         "mediator": mediator, "inputs_hash": io.content_hash(masses, mediator, *snakemake.input)},
    )
