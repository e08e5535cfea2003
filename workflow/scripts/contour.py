"""Rule contour: polylines of the 90 % CL exclusion boundary of one analysis."""

import numpy as np

from astrocevns import contours, io, logs, statistics

log = logs.to_file(snakemake.log[0])
frame, meta = io.read_parquet(snakemake.input[0])
threshold = statistics.delta_chi2(snakemake.params.statistics["cl"], snakemake.params.statistics["dof"])
g, m = np.unique(frame["g"]), np.unique(frame["m_MeV"])
chi2 = frame["chi2"].to_numpy().reshape(g.size, m.size)  # rows ordered g-major by rule chi2
lines = contours.exclusion_contours(m, g, chi2, threshold)
log.info("%s: %d lines (%d closed)", meta["analysis"], lines["line"].nunique(),
         lines.groupby("line")["closed"].first().sum() if len(lines) else 0)
io.write_parquet(lines, snakemake.output[0], {**meta, "inputs_hash": io.content_hash(snakemake.params.statistics, *snakemake.input)})
