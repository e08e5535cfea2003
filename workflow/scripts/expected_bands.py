"""Rule expected_bands: results/tables/expected_bands.csv, the median and the 2.5/16/84/97.5 % quantiles of the
toys' g_min per analysis, model and mass (astrocevns.inference.toys.band_quantiles), beside the Asimov bound."""

import pandas as pd

from astrocevns.inference import toys
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
frames = []
for path in snakemake.input:
    frame, meta = io.read_parquet(path)
    frames.append(frame.assign(analysis=meta["analysis"], model=meta["model"]))
table = pd.concat(frames, ignore_index=True)
g_start = float(meta["g_start"])
rows = []
for (analysis, model, m, on_grid), group in table.groupby(["analysis", "model", "m_MeV", "on_grid"], sort=True):
    rows.append(
        {
            "analysis": analysis,
            "model": model,
            "m_MeV": m,
            "report_mass": not on_grid,
            "n_toys": len(group),
            "excluding_nothing": int(group.g_min.isna().sum()),
            "excluding_sm": int((group.g_min == group.g_min.min()).sum() if group.g_min.min() == g_start else 0),
            "asimov_g_min": group.asimov_g_min.iloc[0],
            **toys.band_quantiles(group.g_min.to_numpy(float)),
        }
    )
bands = pd.DataFrame(rows)
io.write_csv(bands, snakemake.output[0])
report = bands[bands.report_mass]
log.info(
    "%d rows; toy median / Asimov at the report masses between %.3f and %.3f",
    len(bands),
    (report["median"] / report.asimov_g_min).min(),
    (report["median"] / report.asimov_g_min).max(),
)
