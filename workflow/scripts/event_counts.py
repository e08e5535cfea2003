"""Rule event_counts: Standard-Model events above threshold per (source, detector, efficiency)."""

import pandas as pd

from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
rows = []
for path in snakemake.input:
    meta = io.read_metadata(path)
    rows.append(
        {
            "source": meta["source"],
            "detector": meta["detector"],
            "efficiency": meta["efficiency"],
            "threshold_keV": float(meta["threshold_keV"]),
            "events": float(meta["sm_events"]),
        }
    )
table = pd.DataFrame(rows).sort_values(["source", "detector", "efficiency"])
io.write_csv(table, snakemake.output[0])
log.info("%d rows written", len(table))
