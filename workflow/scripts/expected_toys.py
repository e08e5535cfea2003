"""Rule expected_toys: one chunk of Standard-Model toys of an analysis and model, each toy's g_min at the report
masses and a stride of the grid masses (astrocevns.inference.toys), with the bound of the Asimov data on the same
axis."""

import numpy as np

from astrocevns.inference import grids, statistics, toys
from astrocevns.pipeline import logs
from astrocevns.tables import columnar, io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
family, settings, run = spec["family"], spec["toys"], spec["toys"]["run"]
analysis, model, chunk = snakemake.wildcards.family, snakemake.wildcards.model, int(snakemake.wildcards.chunk)
threshold = statistics.delta_chi2(family["statistics"]["cl"], family["statistics"]["dof"])
paths = {tuple(key): path for key, path in zip(family["spectra_keys"], snakemake.input.spectra, strict=True)}
stride = slice(None, None, run["grid_mass_stride"])
parts = [
    toys.family_prediction(family, model, paths, on_grid, threshold, rows)
    for on_grid, rows in ((False, None), (True, stride))
]
masses = np.concatenate([m for m, _ in parts])
on_grid = np.concatenate([np.zeros(parts[0][0].size, bool), np.ones(parts[1][0].size, bool)])
prediction = toys.Prediction(
    tuple(np.concatenate([p.coefficients[k] for _, p in parts]) for k in range(3)), parts[0][1].sigma
)
g = grids.log_axis({"min": family["bounds"]["g_min"], "max": family["bounds"]["g_max"], "n": settings["g_points"]})
n_toys = run["toys_per_chunk"]
block = settings["block"]
g_min = np.concatenate(
    [
        toys.expected_g_min(
            prediction, g, threshold, toys.generator(settings["seed"], "expected", analysis, model, b), block
        )
        for b in toys.blocks_of_chunk(chunk, n_toys, block)
    ],
    axis=1,
)
asimov = toys.expected_g_min(prediction, g, threshold, None, 0, data=prediction.coefficients[0][:, None, :])[:, 0]
log.info(
    "%s, %s, chunk %d: %d toys at %d masses; median g_min / Asimov at the report masses: %s",
    analysis,
    model,
    chunk,
    n_toys,
    masses.size,
    np.round(np.nanmedian(g_min, axis=1)[~on_grid] / asimov[~on_grid], 4).tolist(),
)
values = g_min.ravel()
io.write_parquet(
    {
        "m_MeV": np.repeat(masses, n_toys),
        "on_grid": np.repeat(on_grid, n_toys),
        "toy": np.tile(chunk * n_toys + np.arange(n_toys), masses.size),
        "g_min": columnar.to_arrow(values, valid=~np.isnan(values)),
        "asimov_g_min": np.repeat(asimov, n_toys),
    },
    snakemake.output[0],
    {
        "analysis": analysis,
        "model": model,
        "chunk": str(chunk),
        "delta_chi2": repr(threshold),
        "g_start": repr(float(g[0])),
    },
)
