"""Rules spectra and spectra_<efficiencies>: for each efficiency of one (source, detector), the (g, m)-independent
recoil kernel per flavour group, and from it the binned counts N_i(g, m) on the mass grid for each model (one job:
each step takes milliseconds)."""

import numpy as np

from astrocevns.inference import grids
from astrocevns.physics import builders, models, rates, sources
from astrocevns.physics.detectors import Efficiency
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
wc, spec, masses = snakemake.wildcards, snakemake.params.spec, snakemake.params.masses
flux_table, _ = io.read_columns(snakemake.input.flux)
fluences = sources.flavour_fluences(flux_table)
grid = grids.log_axis(masses["grid"])
report = np.asarray(masses["report"], dtype=float)
on_grid = np.r_[np.ones(grid.size, bool), np.zeros(report.size, bool)]
model_entries = snakemake.params.models
outputs = iter(snakemake.output.spectra)  # the models of the first efficiency, then of the second, ...
for (name, table), kernel_path in zip(snakemake.params.efficiencies, snakemake.output.kernels, strict=True):
    efficiency = Efficiency.ideal() if table is None else Efficiency(name, *io.read_efficiency_table(table))
    parts = builders.detector_parts(wc.detector, spec["detector"], spec["targets"], spec["form_factor"], efficiency)
    kernel = rates.recoil_kernel(fluences, parts, **spec["recoil_bins"])
    sm_events = float(kernel.sm_counts().sum())
    log.info("%s on %s (%s): %d bins, %.6g SM events", wc.source, wc.detector, name, kernel.sm_counts().size, sm_events)
    inputs = [snakemake.input.flux, *([table] if table else [])]
    meta = {
        "source": wc.source,
        "detector": wc.detector,
        "efficiency": name,
        "target": spec["detector"]["target"],
        "threshold_keV": repr(parts[0].threshold_keV),
    }
    io.write_parquet(
        rates.kernel_frame(kernel),
        kernel_path,
        {**meta, "sm_events": repr(sm_events), "inputs_hash": io.content_hash(spec, *inputs)},
    )
    for model_name, entry in model_entries:
        path = next(outputs)
        assert path.endswith(f"/{model_name}/{wc.source}/{wc.detector}/{name}.parquet"), path
        model = models.from_config(model_name, entry)
        table_of_model = rates.spectrum_frame(kernel, model, np.concatenate([grid, report]), on_grid)
        log.info(
            "%s (%s): %d masses x %d bins", model_name, model.mediator, grid.size + report.size, kernel.sm_counts().size
        )
        io.write_parquet(
            table_of_model,
            path,
            {
                **meta,
                "model": model_name,
                "mediator": model.mediator,
                "coupling": model.coupling_name,
                "inputs_hash": io.content_hash(spec, masses, entry, *inputs),
            },
        )
