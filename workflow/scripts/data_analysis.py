"""Rule data_analysis: a public data release recast for one model (its entry point found by the release's config
section name, astrocevns.datasets.recasting.DATA_RELEASES): the profile-likelihood ratio q(g, m) on the grid, its
contours,
its exact edges in g at every grid mass, the smallest excluded coupling and every excluded interval at the report
masses (with the best fit), in the columns of the other analyses' tables (rule chi2). The release's own hook gives
the spectrum of its source on its target (``spectrum_coefficients``); nothing here depends on the release."""

import numpy as np

from astrocevns.datasets import recasting
from astrocevns.inference import grids, statistics
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
release_name = snakemake.wildcards.release
spec = snakemake.params.spec
entry = spec["model"]
name = entry["name"]
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
masses, report = grids.log_axis(spec["masses"]["grid"]), np.asarray(spec["masses"]["report"], dtype=float)
analysis, model, response, templates = recasting.dataset(
    release_name, spec, snakemake.input, np.concatenate([masses, report])
)
analysis.log_expectation(log, model, templates)

result = recasting.exclusion(
    model, templates, grids.log_axis(spec["grid_g"]), masses, report, threshold, spec["bounds"]
)
recasting.log_summary(log, name, result, threshold)
recasting.write_tables(
    result,
    analysis.ANALYSIS,
    entry,
    threshold,
    spec["statistics"]["dof"],
    snakemake.output,
    {"inputs_hash": io.content_hash(spec, *snakemake.input)},
)
