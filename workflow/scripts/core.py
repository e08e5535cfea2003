"""Rule core: diffusion time tau(g, m) (eq. 13) and LNC-scalar scatterings N(g, m) of nu_e and nu_x (eq. 14)."""

import numpy as np
import pandas as pd

from astrocevns.inference import bounds, grids
from astrocevns.physics import core
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
spec, mediator = snakemake.params.spec, snakemake.wildcards.mediator
settings = spec["core"]
profile = io.read_core_profile(snakemake.input[0])
g, m = grids.log_axis(spec["grid"]["g"]), grids.log_axis(spec["grid"]["m_MeV"])
report = np.asarray(spec["report_masses_MeV"], dtype=float)
energy_grid = settings["energy_grid_MeV"]
energies = np.linspace(energy_grid["min"], energy_grid["max"], energy_grid["n"])
recipe = core.CoreRecipe(
    settings["cross_section"], settings["diffusion_time"], settings["scatterings"], settings["nucleon_charges"]
)
region = core.diffusion_region(profile, settings["R1_km"], settings["R2_km"], energies, recipe)
outer = {species: region.outer_km(species) for species in core.SPECIES}
log.info(
    "%s: %s; R1 = %.4g km, R2 = %s km",
    mediator,
    recipe,
    region.R1_km,
    ", ".join(f"{radius:.4g} ({species})" for species, radius in outer.items()),
)
everything = core.core_polynomials(
    profile, mediator, np.concatenate([m, report]), region, energies, recipe, settings["radii"]
)
polynomials, at_report = everything.at(slice(0, m.size)), everything.at(slice(m.size, None))
log.info("%s: SM diffusion time %.4g s", mediator, polynomials.tau0_s)
grid = pd.DataFrame(
    {"g": np.repeat(g, m.size), "m_MeV": np.tile(m, g.size), "tau_s": polynomials.diffusion_time_s(g[:, None]).ravel()}
)
criteria = [(f"tau_{t:g}s", at_report.diffusion_time_s, t) for t in settings["diffusion_times_s"]]
threshold = settings["scattering_threshold"]
for species in polynomials.scattering_coefficients:
    grid[f"n_scatter_{species}"] = polynomials.scatterings(g[:, None], species).ravel()
    criteria.append(
        (
            f"n_scatter_{threshold:g}_{species}",
            lambda coupling, species=species: at_report.scatterings(coupling, species),
            threshold,
        )
    )
rows = []
for name, statistic, limit in criteria:
    g_min = bounds.smallest_excluded_coupling(
        statistic, spec["bounds"]["g_min"], spec["bounds"]["g_max"], limit, spec["bounds"]["scan_points"]
    )
    below = bounds.excluded_below_range(statistic, spec["bounds"]["g_min"], limit, report.size)
    rows.append(
        pd.DataFrame(
            {
                "mediator": mediator,
                "criterion": name,
                "m_MeV": report,
                "g": pd.array(g_min, dtype="Float64"),
                "below_range": below,
            }
        )
    )
    log.info("%s: g_min at %s MeV = %s", name, report.tolist(), np.round(g_min, 8).tolist())
meta = {
    "mediator": mediator,
    "tau_sm_s": repr(polynomials.tau0_s),
    "R1_km": repr(region.R1_km),
    "R2_km": repr(outer),
    "recipe": repr(recipe),
    "inputs_hash": io.content_hash(spec, *snakemake.input),
}
io.write_parquet(grid, snakemake.output.grid, meta)
io.write_parquet(pd.concat(rows, ignore_index=True), snakemake.output.bounds, meta)
