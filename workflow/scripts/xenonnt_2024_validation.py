"""Rule data_analysis_validation, release xenonnt_2024 (`snakemake xenonnt_2024_validation`):
the checks of the XENONnT 2024 recast in one table (quantity, workflow, release,
ratio): the spin-independent WIMP limit recast through the same response and likelihood against the published
one at every mass of the release, and the Standard-Model solar CEvNS of the workflow against the release's 8B."""

import numpy as np
import pandas as pd

from astrocevns.datasets import recasting
from astrocevns.datasets.xenonnt2024 import recast
from astrocevns.datasets.xenonnt2024.model import ReleaseModel
from astrocevns.datasets.xenonnt2024.release import read_release
from astrocevns.datasets.xenonnt2024.response import build_response, recoil_nodes
from astrocevns.inference import statistics
from astrocevns.physics import builders, sources, wimps
from astrocevns.physics.fluxes import PiecewiseLinearFluence
from astrocevns.pipeline import logs
from astrocevns.tables import io

REFERENCE_CROSS_SECTION_CM2 = 1e-45  # the signal template is built at this cross section and scaled

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
settings = spec["xenonnt_2024"]
release = read_release(settings["data"])
response = build_response(release, settings["nodes_per_interval"])
model = ReleaseModel(release, settings["yields"], settings["yield_step"])
xenon = builders.nucleus("Xe", spec["targets"]["Xe"], spec["form_factor"])
rows = []

threshold = statistics.delta_chi2(spec["statistics"]["cl"], 1)  # the release: asymptotic, one degree of freedom
for mass, published in zip(release.si_limits["wimp_mass_GeV"], release.si_limits["upper_limit_cm2"], strict=True):
    rate = wimps.wimp_rate_per_t_yr_keV(
        response.nodes_keV, mass, REFERENCE_CROSS_SECTION_CM2, settings["validation"]["halo"]
    )
    signal = model.anchored(response.templates(rate))
    limit = recast.si_upper_limit(model, signal, threshold) * REFERENCE_CROSS_SECTION_CM2
    rows.append((f"SI WIMP limit at {mass:g} GeV [cm2]", limit, published))
    log.info("%g GeV: recast %.4g cm2, published %.4g cm2 (ratio %.3f)", mass, limit, published, limit / published)

table, _ = io.read_columns(snakemake.input.flux)
kernel = recasting.cevns_kernel(sources.total_fluence(table), xenon, response.nodes_keV)
solar = model.anchored(response.templates(kernel.sm_counts() / spec["exposure_yr"]))
b8 = model.release_templates("b8")
nominal = model.nominal
rows.append(("SM solar CEvNS events, SR0 + SR1, nominal yields", solar.total[nominal], b8.total[nominal]))
shape = [solar.at_events[nominal] / solar.total[nominal], b8.at_events[nominal] / b8.total[nominal]]
rows.append(("largest share of the events in a bin with events", *(s.max() for s in shape)))

E_keV, cumulative = release.b8_spectrum
energy = table["E_nu_MeV"] > 0.0
only_8b = PiecewiseLinearFluence(table["E_nu_MeV"][energy], table[sources.fluence_column("8B")][energy])
nodes, weights = recoil_nodes(np.array([E_keV[0], 1.0, 2.0, 4.0, E_keV[-1]]), 48)
rate = recasting.cevns_kernel(only_8b, xenon, nodes).sm_counts() / spec["exposure_yr"]
rows.append(
    (f"8B CEvNS rate {E_keV[0]:g}-{E_keV[-1]:g} keV [1/(t yr)]", np.sum(weights * rate), cumulative[-1] - cumulative[0])
)

frame = pd.DataFrame(rows, columns=["quantity", "workflow", "release"])
frame["ratio"] = frame["workflow"] / frame["release"]
io.write_csv(frame, snakemake.output[0])
log.info("\n%s", frame.to_string())
