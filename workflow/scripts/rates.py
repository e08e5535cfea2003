"""Rule rates: differential rates dR/dE_r per ton of each target, SM and the figures' (g, m) curves."""

import pandas as pd

from astrocevns.inference import grids
from astrocevns.physics import builders, rates, sources
from astrocevns.physics.detectors import Detector, Efficiency
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
flux_table, _ = io.read_columns(snakemake.input[0])
fluence = sources.total_fluence(flux_table)
E_r_keV = grids.log_axis(spec["recoil_keV"])
frames = []
for target in spec["targets"]:
    nucleus = builders.nucleus(target, spec["target_specs"][target], spec["form_factor"])
    per_ton = rates.differential_rate_kernel(fluence, Detector(target, nucleus, 1.0, 0.0, Efficiency.ideal()), E_r_keV)
    frames.append(
        pd.DataFrame(
            {
                "target": target,
                "mediator": "sm",
                "g": 0.0,
                "m_MeV": 0.0,
                "E_r_keV": E_r_keV,
                "rate_per_keV_t": per_ton.sm_counts(),
            }
        )
    )
    for curve in spec["curves"]:
        for mediator in spec["mediators"]:
            rate = per_ton.counts(mediator, curve["g"], curve["m_MeV"])
            frames.append(
                pd.DataFrame(
                    {
                        "target": target,
                        "mediator": mediator,
                        "g": curve["g"],
                        "m_MeV": curve["m_MeV"],
                        "E_r_keV": E_r_keV,
                        "rate_per_keV_t": rate,
                    }
                )
            )
table = pd.concat(frames, ignore_index=True)
log.info(
    "%s: %d rows for %d targets and %d curves",
    snakemake.wildcards.source,
    len(table),
    len(spec["targets"]),
    len(spec["curves"]),
)
io.write_parquet(
    table,
    snakemake.output[0],
    {"source": snakemake.wildcards.source, "inputs_hash": io.content_hash(spec, *snakemake.input)},
)
