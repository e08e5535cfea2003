"""Rule contour: polylines of the exclusion boundary of one analysis, for each mediator."""

import numpy as np

from astrocevns import contours, io, logs, statistics

log = logs.to_file(snakemake.log[0])
threshold = statistics.delta_chi2(snakemake.params.statistics["cl"], snakemake.params.statistics["dof"])
for source, target in zip(snakemake.input, snakemake.output):
    frame, meta = io.read_columns(source, columns=["g", "m_MeV", "chi2"])
    g, m = np.unique(frame["g"]), np.unique(frame["m_MeV"])
    chi2 = frame["chi2"].reshape(g.size, m.size)  # rows ordered g-major by rule chi2
    lines = contours.exclusion_contours(m, g, chi2, threshold)
    first_points = np.unique(lines["line"], return_index=True)[1]
    log.info("%s %s: %d lines (%d closed)", meta["mediator"], meta["analysis"], first_points.size,
             int(lines["closed"][first_points].sum()))
    io.write_parquet(lines, target, {**meta, "inputs_hash": io.content_hash(snakemake.params.statistics, source)})
