"""Rule xenonnt_2024: the XENONnT 2024 light-DM data recast for one mediator (astrocevns.xenonnt2024): the
profile-likelihood ratio q(g, m) on the grid, its contours, and the smallest excluded coupling at the report
masses, in the columns of the other analyses' tables (rule chi2)."""

import numpy as np

from astrocevns import bounds, columnar, config, contours, grids, io, logs, sources, statistics
from astrocevns.xenonnt2024 import recast
from astrocevns.xenonnt2024.model import ReleaseModel
from astrocevns.xenonnt2024.release import read_release
from astrocevns.xenonnt2024.response import build_response

ANALYSIS = "xenonnt_2024/xenonnt_2024"

log = logs.to_file(snakemake.log[0])
spec, mediator = snakemake.params.spec, snakemake.wildcards.mediator
settings = spec["xenonnt_2024"]
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
release = read_release(settings["data"])
response = build_response(release, settings["nodes_per_interval"])
model = ReleaseModel(release, settings["yields"], settings["yield_step"])
xenon = config.nucleus("Xe", spec["xenon"], spec["form_factor"])
kernel = recast.cevns_kernel(sources.total_fluence(io.read_columns(snakemake.input.flux)[0]), xenon,
                             response.nodes_keV)

masses, report = grids.log_axis(spec["masses"]["grid"]), np.asarray(spec["masses"]["report"], dtype=float)
coefficients = kernel.coupling_polynomial(mediator, np.concatenate([masses, report]))
templates = recast.coupling_templates(model, response, [c / spec["exposure_yr"] for c in coefficients])
nominal = model.nominal
release_b8 = model.release_templates("b8").total[nominal]
log.info("Standard-Model CEvNS at nominal yields: %.4f events in SR0 + SR1 (%d response nodes); the release's "
         "8B template: %.4f (ratio %.4f)", templates.total[0, 0][nominal], response.nodes_keV.size, release_b8,
         templates.total[0, 0][nominal] / release_b8)

g = grids.log_axis(spec["grid_g"])
q, best, standard_model = recast.test_statistic_grid(model, templates, g, np.arange(masses.size))
at = np.unravel_index(np.argmin(q), q.shape)
log.info("%s: -2 ln L = %.4f at the Standard Model, %.4f at the best fit (g = %.3g, m = %.3g MeV); q(SM) = %.4f",
         mediator, standard_model, best, g[at[0]], masses[at[1]], standard_model - best)
log.info("%s: %.1f %% of the grid excluded at q > %.3f", mediator, 100 * np.mean(q > threshold), threshold)

report_index = masses.size + np.arange(report.size)
g_min = bounds.smallest_excluded_coupling(
    lambda coupling: recast.profiled_deviance(model, templates, coupling, report_index) - best,
    spec["bounds"]["g_min"], spec["bounds"]["g_max"], threshold, spec["bounds"]["scan_points"])
log.info("%s: g_min at %s MeV = %s", mediator, report.tolist(), np.round(g_min, 9).tolist())

lines = contours.exclusion_contours(masses, g, q, threshold)
meta = {"family": ANALYSIS, "mediator": mediator, "delta_chi2": repr(threshold), "statistic": "template_likelihood",
        "best_fit_minus_2_log_L": repr(best), "standard_model_q": repr(standard_model - best),
        "inputs_hash": io.content_hash(spec, mediator, *snakemake.input.release, snakemake.input.flux)}
io.write_parquet({"analysis": columnar.categorical(np.zeros(q.size, dtype=int), [ANALYSIS]),
                  "g": np.repeat(g, masses.size), "m_MeV": np.tile(masses, g.size), "chi2": q.ravel()},
                 snakemake.output.chi2, meta)
io.write_parquet({"analysis": columnar.categorical(np.zeros(lines["line"].size, dtype=int), [ANALYSIS]), **lines},
                 snakemake.output.contours, meta)
io.write_parquet({"analysis": np.full(report.size, ANALYSIS), "mediator": np.full(report.size, mediator),
                  "m_MeV": report, "g_min": columnar.to_arrow(g_min, valid=~np.isnan(g_min))},
                 snakemake.output.bounds, meta)
