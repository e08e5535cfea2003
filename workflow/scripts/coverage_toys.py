"""Rule coverage_toys: one chunk of toys under each hypothesis g = factor x (Asimov bound) at a coverage point, their
test statistics with 1 and 2 dof (astrocevns.inference.toys.coverage_chunk) and the Asimov delta chi2 at each
hypothesis."""

import numpy as np

from astrocevns.inference import grids, statistics, toys
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
family, settings, run, point = spec["family"], spec["toys"], spec["toys"]["run"], spec["point"]
chunk = int(snakemake.wildcards.chunk)
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
paths = {tuple(key): path for key, path in zip(family["spectra_keys"], snakemake.input.spectra, strict=True)}
row = spec["report_masses_MeV"].index(point["m_MeV"])
_, hypothesis = toys.family_prediction(family, point["model"], paths, False, threshold, slice(row, row + 1))
_, profile = toys.family_prediction(
    family, point["model"], paths, True, threshold, slice(None, None, run["profile_mass_stride"])
)
g = grids.log_axis({"min": family["bounds"]["g_min"], "max": family["bounds"]["g_max"], "n": settings["g_points"]})
sm = hypothesis.coefficients[0][:, None, :]
bound = toys.expected_g_min(hypothesis, g, threshold, None, 0, data=sm)[0, 0]
g_hypotheses = bound * np.asarray(run["g_over_bound"], dtype=float)
n_toys = run["toys_per_chunk"]
blocks = toys.blocks_of_chunk(chunk, n_toys, settings["block"])
q1, q2 = toys.coverage_chunk(
    hypothesis, g_hypotheses, profile, g, (settings["seed"], "coverage", point["name"]), blocks, settings["block"]
)
asimov = toys.asimov_delta(hypothesis, g_hypotheses, g)[0]
log.info(
    "%s, chunk %d: %d toys at g = %s (Asimov bound %.4g); 90 %% quantiles of q, 1 dof: %s, 2 dof: %s",
    point["name"],
    chunk,
    n_toys,
    np.round(g_hypotheses, 9).tolist(),
    bound,
    np.round(np.quantile(q1, 0.9, axis=1), 3).tolist(),
    np.round(np.quantile(q2, 0.9, axis=1), 3).tolist(),
)
n_hypotheses = g_hypotheses.size
io.write_parquet(
    {
        "hypothesis": np.repeat(np.arange(n_hypotheses), n_toys),
        "g": np.repeat(g_hypotheses, n_toys),
        "asimov_delta_chi2": np.repeat(asimov, n_toys),
        "toy": np.tile(chunk * n_toys + np.arange(n_toys), n_hypotheses),
        "q_1dof": q1.ravel(),
        "q_2dof": q2.ravel(),
    },
    snakemake.output[0],
    {
        "point": point["name"],
        "analysis": point["analysis"],
        "model": point["model"],
        "m_MeV": repr(point["m_MeV"]),
        "asimov_bound": repr(float(bound)),
        "chunk": str(chunk),
    },
)
