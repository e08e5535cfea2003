"""Rule spectra: the (g, m)-independent recoil kernel of one (source, detector, efficiency) per flavour group,
and from it the binned counts N_i(g, m) on the mass grid for each model (one job: both steps take milliseconds)."""

import numpy as np

from astrocevns.inference import grids
from astrocevns.physics import builders, models, rates, sources
from astrocevns.physics.detectors import Efficiency
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
wc, spec, masses = snakemake.wildcards, snakemake.params.spec, snakemake.params.masses
flux_table, _ = io.read_columns(snakemake.input.flux)
if wc.efficiency == "ideal":
    efficiency = Efficiency.ideal()
else:
    efficiency = Efficiency(wc.efficiency, *io.read_efficiency_table(snakemake.input.efficiency[0]))
parts = builders.detector_parts(wc.detector, spec["detector"], spec["targets"], spec["form_factor"], efficiency)
kernel = rates.recoil_kernel(sources.flavour_fluences(flux_table), parts, **spec["recoil_bins"])
sm_events = float(kernel.sm_counts().sum())
log.info(
    "%s on %s (%s): %d bins, %.6g SM events", wc.source, wc.detector, wc.efficiency, kernel.sm_counts().size, sm_events
)
meta = {
    "source": wc.source,
    "detector": wc.detector,
    "efficiency": wc.efficiency,
    "target": spec["detector"]["target"],
    "threshold_keV": repr(parts[0].threshold_keV),
}
io.write_parquet(
    rates.kernel_frame(kernel),
    snakemake.output.kernel,
    {**meta, "sm_events": repr(sm_events), "inputs_hash": io.content_hash(spec, *snakemake.input)},
)

grid = grids.log_axis(masses["grid"])
report = np.asarray(masses["report"], dtype=float)
on_grid = np.r_[np.ones(grid.size, bool), np.zeros(report.size, bool)]
for (name, entry), path in zip(snakemake.params.models, snakemake.output.spectra, strict=False):
    model = models.from_config(name, entry)
    table = rates.spectrum_frame(kernel, model, np.concatenate([grid, report]), on_grid)
    log.info("%s (%s): %d masses x %d bins", name, model.mediator, grid.size + report.size, kernel.sm_counts().size)
    io.write_parquet(
        table,
        path,
        {
            **meta,
            "model": name,
            "mediator": model.mediator,
            "coupling": model.coupling_name,
            "inputs_hash": io.content_hash(spec, masses, entry, *snakemake.input),
        },
    )
