"""Rule data_analysis_validation, release xenonnt_s2only_2026 (`snakemake xenonnt_s2only_2026_validation`):
the checks of the XENONnT S2-only analysis in one table (quantity,
workflow, release, ratio): the spin-independent WIMP limit through the same response and likelihood against the
published one at every mass of the release (asymptotic, and with the release's power constraint at its -1 sigma
sensitivity), and the Standard-Model solar CEvNS of the workflow against the release's 8B template per run."""

import numpy as np
import pandas as pd

from astrocevns.datasets import recasting
from astrocevns.datasets.xenonnt_s2only2026.model import S2OnlyModel
from astrocevns.datasets.xenonnt_s2only2026.release import read_release
from astrocevns.datasets.xenonnt_s2only2026.response import build_response
from astrocevns.inference import statistics
from astrocevns.physics import builders, sources, wimps
from astrocevns.pipeline import logs
from astrocevns.tables import io

REFERENCE_CROSS_SECTION_CM2 = 1e-45  # the signal template is built at this cross section and scaled

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
settings = spec["xenonnt_s2only_2026"]
release = read_release(settings["data"])
response = build_response(release, settings["nodes_per_interval"])
model = S2OnlyModel(release)
xenon = builders.nucleus("Xe", spec["targets"]["Xe"], spec["form_factor"])
release_cevns = model.release_cevns()
rows = []

threshold = statistics.delta_chi2(spec["statistics"]["cl"], 1)  # the release: asymptotic, one degree of freedom
limits = release.si_limits
for mass, published, floor in zip(
    limits["wimp_mass_GeV"], limits["power_constrained_limit_cm2"], limits["minus_1_sigma_sensitivity_cm2"], strict=True
):
    rate = wimps.wimp_rate_per_t_yr_keV(
        response.nodes_keV, mass, REFERENCE_CROSS_SECTION_CM2, settings["validation"]["halo"]
    )
    signal = model.anchored(response.templates(rate))
    limit = recasting.upper_limit(model, release_cevns, signal, threshold) * REFERENCE_CROSS_SECTION_CM2
    rows.append((f"SI WIMP limit at {mass:g} GeV, asymptotic [cm2]", limit, published))
    rows.append((f"SI WIMP limit at {mass:g} GeV, power-constrained [cm2]", max(limit, floor), published))
    log.info(
        "%g GeV: %.4g cm2 (power-constrained %.4g), published %.4g cm2 (ratio %.3f)",
        mass,
        limit,
        max(limit, floor),
        published,
        max(limit, floor) / published,
    )

table, _ = io.read_columns(snakemake.input.flux)
kernel = recasting.cevns_kernel(sources.total_fluence(table), xenon, response.nodes_keV)
solar = model.anchored(response.templates(kernel.sm_counts() / spec["exposure_yr"]))
nominal = int(np.flatnonzero(release.anchors == 0.0)[0])
per_run = [t.at_events[nominal].reshape(len(release.runs), -1) for t in (solar, release_cevns)]
for r, run in enumerate(release.runs):
    rows.append((f"SM solar CEvNS events, {run.name.upper()}, t_qy = 0", per_run[0][r].sum(), per_run[1][r].sum()))
    shares = [p[r] / p[r].sum() for p in per_run]
    rows.append((f"largest share of the {run.name.upper()} CEvNS events in a cS2 bin", *(s.max() for s in shares)))

frame = pd.DataFrame(rows, columns=["quantity", "workflow", "release"])
frame["ratio"] = frame["workflow"] / frame["release"]
io.write_csv(frame, snakemake.output[0])
log.info("\n%s", frame.to_string())
