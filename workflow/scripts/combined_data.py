"""Rule combined_data: the combination of the data analyses for one model (astrocevns.datasets.combination, eq. C1): the
product of their likelihoods at every (g, m), a flux normalisation shared by the members of each group of
``combined_data.shared_flux``, profiled per problem; q(g, m) against the joint best fit, its contours, exact edges,
bounds and excluded intervals in the layout of the other data analyses (rule data_analysis)."""

from types import SimpleNamespace

import numpy as np

from astrocevns.datasets import combination, recasting
from astrocevns.inference import grids, statistics
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
entry = spec["model"]
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
masses, report = grids.log_axis(spec["masses"]["grid"]), np.asarray(spec["masses"]["report"], dtype=float)

datasets = {}
for member, member_spec in spec["members"].items():
    inputs = SimpleNamespace(**{key: getattr(snakemake.input, f"{member}__{key}") for key in spec["inputs"][member]})
    analysis, model, _, templates = recasting.dataset(member, member_spec, inputs, np.concatenate([masses, report]))
    analysis.log_expectation(log, model, templates)
    datasets[member] = (model, templates)
log.info("%s: %s combined; flux groups %s", entry["name"], ", ".join(datasets), spec["shared_flux"])

model, templates = combination.combine(datasets, spec["shared_flux"])
result = recasting.exclusion(
    model, templates, grids.log_axis(spec["grid_g"]), masses, report, threshold, spec["bounds"]
)
recasting.log_summary(log, entry["name"], result, threshold)
recasting.write_tables(
    result,
    "combined_data/combined_data",
    entry,
    threshold,
    spec["statistics"]["dof"],
    snakemake.output,
    {"inputs_hash": io.content_hash(spec, *snakemake.input)},
)
