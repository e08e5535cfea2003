"""Rule core: diffusion time tau(g, m) (eq. 13) and LNC-scalar scatterings N(g, m) (eq. 14) on the grid."""

import numpy as np
import pandas as pd

from astrocevns import bounds, core, grids, io, logs

log = logs.to_file(snakemake.log[0])
spec, mediator = snakemake.params.spec, snakemake.wildcards.mediator
settings = spec["core"]
profile = io.read_core_profile(snakemake.input[0])
g, m = grids.log_axis(spec["grid"]["g"]), grids.log_axis(spec["grid"]["m_MeV"])
report = np.asarray(spec["report_masses_MeV"], dtype=float)
energies = np.linspace(settings["energy_grid_MeV"]["min"], settings["energy_grid_MeV"]["max"], settings["energy_grid_MeV"]["n"])
everything = core.core_polynomials(profile, mediator, np.concatenate([m, report]), settings["R1_km"], settings["R2_km"],
                                   energies, settings["radii"], settings["transport_cross_section"])
polynomials, at_report = everything.at(slice(0, m.size)), everything.at(slice(m.size, None))
log.info("%s: SM diffusion time %.3f s between %g and %g km", mediator, polynomials.tau0_s,
         settings["R1_km"], settings["R2_km"])
grid = pd.DataFrame({"g": np.repeat(g, m.size), "m_MeV": np.tile(m, g.size),
                     "tau_s": polynomials.diffusion_time_s(g[:, None]).ravel()})
criteria = [(f"tau_{t:g}s", at_report.diffusion_time_s, t) for t in settings["diffusion_times_s"]]
if mediator == "scalar":
    grid["n_scatter"] = polynomials.scatterings(g[:, None]).ravel()
    criteria.append((f"n_scatter_{settings['scatterings']:g}", at_report.scatterings, settings["scatterings"]))
rows = []
for name, statistic, threshold in criteria:
    g_min = bounds.smallest_excluded_coupling(statistic, spec["bounds"]["g_min"], spec["bounds"]["g_max"], threshold,
                                              spec["bounds"]["scan_points"])
    rows.append(pd.DataFrame({"mediator": mediator, "criterion": name, "m_MeV": report,
                              "g": pd.array(g_min, dtype="Float64")}))
    log.info("%s: g_min at %s MeV = %s", name, report.tolist(), np.round(g_min, 8).tolist())
meta = {"mediator": mediator, "tau_sm_s": repr(polynomials.tau0_s), "inputs_hash": io.content_hash(spec, *snakemake.input)}
io.write_parquet(grid, snakemake.output.grid, meta)
io.write_parquet(pd.concat(rows, ignore_index=True), snakemake.output.bounds, meta)
