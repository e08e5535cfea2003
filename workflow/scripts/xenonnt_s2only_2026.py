"""Rule xenonnt_s2only_2026: the XENONnT S2-only (SR0-SR2) light-DM data analysis for one model
(astrocevns.xenonnt_s2only2026): the profile-likelihood ratio q(g, m) on the grid, its contours, its exact edges
in g at every grid mass, and the smallest excluded coupling at the report masses, in the columns of the other
analyses' tables (rule chi2)."""

import numpy as np

from astrocevns import config, grids, io, logs, models, recasting, sources, statistics
from astrocevns.xenonnt_s2only2026 import recast
from astrocevns.xenonnt_s2only2026.model import S2OnlyModel
from astrocevns.xenonnt_s2only2026.release import read_release
from astrocevns.xenonnt_s2only2026.response import build_response

ANALYSIS = "xenonnt_s2only_2026/xenonnt_s2only_2026"

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
entry = spec["model"]
name = entry["name"]
settings = spec["xenonnt_s2only_2026"]
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
release = read_release(settings["data"])
response = build_response(release, settings["nodes_per_interval"])
model = S2OnlyModel(release)
xenon = config.nucleus("Xe", spec["xenon"], spec["form_factor"])
kernel = recasting.cevns_kernel(sources.flavour_fluences(io.read_columns(snakemake.input.flux)[0]), xenon,
                                response.nodes_keV)

masses, report = grids.log_axis(spec["masses"]["grid"]), np.asarray(spec["masses"]["report"], dtype=float)
coefficients = kernel.coupling_polynomial(models.from_config(name, entry["definition"]),
                                          np.concatenate([masses, report]))
templates = recast.coupling_templates(model, response, [c / spec["exposure_yr"] for c in coefficients])
nominal = int(np.flatnonzero(release.anchors == 0.0)[0])
log.info("Standard-Model CEvNS at t_qy = 0 per run: %s events; the release's 8B template: %s",
         np.round(templates.at_events[0, 0, nominal].reshape(len(release.runs), -1).sum(axis=1), 3).tolist(),
         np.round(model.release_cevns().at_events[nominal].reshape(len(release.runs), -1).sum(axis=1), 3).tolist())

result = recasting.exclusion(model, templates, grids.log_axis(spec["grid_g"]), masses, report, threshold,
                             spec["bounds"])
recasting.log_summary(log, name, result, threshold)
recasting.write_tables(result, ANALYSIS, entry, threshold, spec["statistics"]["dof"], snakemake.output,
                       {"inputs_hash": io.content_hash(spec, *snakemake.input.release, snakemake.input.flux)})
