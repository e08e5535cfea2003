"""Rule xenonnt_2024: the XENONnT 2024 light-DM data recast for one model (astrocevns.xenonnt2024): the
profile-likelihood ratio q(g, m) on the grid, its contours, its exact edges in g at every grid mass, and the
smallest excluded coupling and every excluded interval at the report masses (with the best fit), in the columns
of the other analyses' tables (rule chi2)."""

import numpy as np

from astrocevns import bounds, columnar, config, contours, edges, grids, io, logs, models, sources, statistics
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
kernel = recast.cevns_kernel(sources.flavour_fluences(io.read_columns(snakemake.input.flux)[0]), xenon,
                             response.nodes_keV)

masses, report = grids.log_axis(spec["masses"]["grid"]), np.asarray(spec["masses"]["report"], dtype=float)
all_masses = np.concatenate([masses, report])
coefficients = kernel.coupling_polynomial(models.from_config(name, entry["definition"]), all_masses)
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
         name, standard_model, best, g[at[0]], masses[at[1]], standard_model - best)
log.info("%s: %.1f %% of the grid excluded at q > %.3f", name, 100 * np.mean(q > threshold), threshold)

report_index = masses.size + np.arange(report.size)
g_min = bounds.smallest_excluded_coupling(
    lambda coupling: recast.profiled_deviance(model, templates, coupling, report_index) - best,
    spec["bounds"]["g_min"], spec["bounds"]["g_max"], threshold, spec["bounds"]["scan_points"])
log.info("%s: g_min at %s MeV = %s", name, report.tolist(), np.round(g_min, 9).tolist())
intervals, n_intervals = edges.excluded_intervals(edges.exclusion_edges(
    lambda coupling: recast.profiled_deviance(model, templates, coupling, report_index) - best, report,
    spec["bounds"]["g_min"], spec["bounds"]["g_max"], threshold, spec["bounds"]["scan_points"]), report)
q_sm = standard_model - best
z_sm = float(statistics.significance(q_sm, spec["statistics"]["dof"]))
log.info("%s: excluded intervals at %s MeV: %s; the best fit is preferred over the Standard Model at %.2f sigma",
         name, report.tolist(), n_intervals.tolist(), z_sm)

lines = contours.exclusion_contours(masses, g, q, threshold)
found = edges.exclusion_edges(
    lambda coupling: recast.profiled_deviance(model, templates, coupling, np.arange(masses.size)) - best,
    masses, g[0], g[-1], threshold, spec["bounds"]["edge_scan_points"])
meta = {"family": ANALYSIS, "model": name, "mediator": entry["mediator"], "coupling": entry["coupling"],
        "delta_chi2": repr(threshold), "statistic": "template_likelihood",
        "best_fit_minus_2_log_L": repr(best), "standard_model_q": repr(standard_model - best),
        "inputs_hash": io.content_hash(spec, *snakemake.input.release, snakemake.input.flux)}
best_fit = {"best_fit_g": g[at[0]], "best_fit_m_MeV": masses[at[1]], "q_sm": q_sm, "z_sm": z_sm}
io.write_parquet({"analysis": columnar.categorical(np.zeros(q.size, dtype=int), [ANALYSIS]),
                  "g": np.repeat(g, masses.size), "m_MeV": np.tile(masses, g.size), "chi2": q.ravel()},
                 snakemake.output.chi2, meta)
io.write_parquet({"analysis": columnar.categorical(np.zeros(lines["line"].size, dtype=int), [ANALYSIS]), **lines},
                 snakemake.output.contours, meta)
found["analysis"] = columnar.categorical(np.zeros(found["g"].size, dtype=int), [ANALYSIS])
found["edge"] = columnar.categorical((found["edge"] == "upper").astype(int), ["lower", "upper"])
io.write_parquet(found, snakemake.output.edges, meta)
rows = {"analysis": ANALYSIS, "model": name, "mediator": entry["mediator"], "coupling": entry["coupling"]}
io.write_parquet({**{column: np.full(report.size, value) for column, value in rows.items()},
                  "m_MeV": report, "g_min": columnar.to_arrow(g_min, valid=~np.isnan(g_min)),
                  "n_intervals": n_intervals},
                 snakemake.output.bounds, meta)
n_rows = intervals["m_MeV"].size
io.write_parquet({**{column: np.full(n_rows, value) for column, value in {**rows, **best_fit}.items()}, **intervals},
                 snakemake.output.intervals, meta)
