"""Rule xenonnt_2024: the XENONnT 2024 light-DM data recast for one model (astrocevns.xenonnt2024): the
profile-likelihood ratio q(g, m) on the grid, its contours, its exact edges in g at every grid mass, and the
smallest excluded coupling and every excluded interval at the report masses (with the best fit), in the columns
of the other analyses' tables (rule chi2)."""

import numpy as np

from astrocevns import config, grids, io, logs, models, recasting, sources, statistics
from astrocevns.xenonnt2024 import recast
from astrocevns.xenonnt2024.model import ReleaseModel
from astrocevns.xenonnt2024.release import read_release
from astrocevns.xenonnt2024.response import build_response

ANALYSIS = "xenonnt_2024/xenonnt_2024"

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
entry = spec["model"]
name = entry["name"]
settings = spec["xenonnt_2024"]
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
release = read_release(settings["data"])
response = build_response(release, settings["nodes_per_interval"])
model = ReleaseModel(release, settings["yields"], settings["yield_step"])
xenon = config.nucleus("Xe", spec["xenon"], spec["form_factor"])
kernel = recasting.cevns_kernel(sources.flavour_fluences(io.read_columns(snakemake.input.flux)[0]), xenon,
                                response.nodes_keV)

masses, report = grids.log_axis(spec["masses"]["grid"]), np.asarray(spec["masses"]["report"], dtype=float)
coefficients = kernel.coupling_polynomial(models.from_config(name, entry["definition"]),
                                          np.concatenate([masses, report]))
templates = recast.coupling_templates(model, response, [c / spec["exposure_yr"] for c in coefficients])
nominal = model.nominal
release_b8 = model.release_templates("b8").total[nominal]
log.info("Standard-Model CEvNS at nominal yields: %.4f events in SR0 + SR1 (%d response nodes); the release's "
         "8B template: %.4f (ratio %.4f)", templates.total[0, 0][nominal], response.nodes_keV.size, release_b8,
         templates.total[0, 0][nominal] / release_b8)

result = recasting.exclusion(model, templates, grids.log_axis(spec["grid_g"]), masses, report, threshold,
                             spec["bounds"])
recasting.log_summary(log, name, result, threshold)
recasting.write_tables(result, ANALYSIS, entry, threshold, spec["statistics"]["dof"], snakemake.output,
                       {"inputs_hash": io.content_hash(spec, *snakemake.input.release, snakemake.input.flux)})
