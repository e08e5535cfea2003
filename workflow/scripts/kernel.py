"""Rule kernel: the (g, m)-independent recoil kernel of one (source, detector, efficiency)."""

from astrocevns import config, io, logs, rates, sources
from astrocevns.detectors import Efficiency

log = logs.to_file(snakemake.log[0])
wc, spec = snakemake.wildcards, snakemake.params.spec
flux_table, _ = io.read_columns(snakemake.input.flux)
if wc.efficiency == "ideal":
    efficiency = Efficiency.ideal()
else:
    efficiency = Efficiency(wc.efficiency, *io.read_efficiency_table(snakemake.input.efficiency[0]))
parts = config.detector_parts(wc.detector, spec["detector"], spec["targets"], spec["form_factor"], efficiency)
kernel = rates.recoil_kernel(sources.total_fluence(flux_table), parts, **spec["recoil_bins"])
sm_events = float(kernel.sm_counts().sum())
log.info("%s on %s (%s): %d bins, %.6g SM events", wc.source, wc.detector, wc.efficiency,
         kernel.sm_counts().size, sm_events)
io.write_parquet(
    rates.kernel_frame(kernel),
    snakemake.output[0],
    {
        "source": wc.source,
        "detector": wc.detector,
        "efficiency": wc.efficiency,
        "target": spec["detector"]["target"],
        "threshold_keV": repr(parts[0].threshold_keV),
        "sm_events": repr(sm_events),
        "inputs_hash": io.content_hash(spec, *snakemake.input),
    },
)
