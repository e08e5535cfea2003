"""Rule data_coverage_toys: one chunk of toys of a data analysis's statistical model under each hypothesis g of a
data point (astrocevns.datasets.data_toys: drawn at the data's conditional fit, every nuisance profiled per toy), their
test
statistics with 1 and 2 dof, and the data's own at each hypothesis."""

import numpy as np

from astrocevns.datasets import data_toys, recasting
from astrocevns.inference import toys
from astrocevns.pipeline import logs
from astrocevns.tables import io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.spec
point, settings, run = spec["point"], spec["toys"], spec["toys"]["run"]
release_name, chunk = spec["release"], int(snakemake.wildcards.chunk)
analysis = recasting.release_analysis(release_name)
model, response = analysis.statistical_model(spec[release_name])
masses = np.array([point["m_MeV"], *(m for m in run["profile_masses_MeV"] if m != point["m_MeV"])])
entry = spec["model"]
coefficients = analysis.spectrum_coefficients(spec, snakemake.input, entry["definition"], masses, response)
g_min, g_max = spec["bounds"]["g_min"], spec["bounds"]["g_max"]
search = np.geomspace(g_min, g_max, int(np.ceil(run["search_per_decade"] * np.log10(g_max / g_min))) + 1)
g_hypotheses = np.asarray(point["g"], dtype=float)
observed_1, observed_2 = data_toys.observed_statistics(
    model,
    recasting.coupling_templates(model, response, coefficients),
    g_hypotheses,
    masses.size,
    recasting.search_couplings(g_min, g_max),
)
n_toys, block = run["toys_per_chunk"], settings["block"]
blocks = toys.blocks_of_chunk(chunk, n_toys, block)
q1, q2 = [], []
for k, g in enumerate(g_hypotheses):
    drawn = [
        data_toys.draw(
            model,
            response,
            coefficients,
            float(g),
            0,
            toys.generator(settings["seed"], "data_coverage", point["name"], k, b),
            block,
        )
        for b in blocks
    ]
    counts = np.concatenate([part[0] for part in drawn])
    auxiliary = {name: np.concatenate([part[1][name] for part in drawn]) for name in drawn[0][1]}
    one, two = data_toys.toy_statistics(model, response, coefficients, float(g), counts, auxiliary, search, masses.size)
    q1.append(one)
    q2.append(two)
    log.info(
        "%s, chunk %d, g = %.4g: %d toys; 90 %% quantiles of q: %.3f (1 dof), %.3f (2 dof); the data's q: %.3f, %.3f",
        point["name"],
        chunk,
        g,
        n_toys,
        np.quantile(one, 0.9),
        np.quantile(two, 0.9),
        observed_1[k],
        observed_2[k],
    )
n = g_hypotheses.size
io.write_parquet(
    {
        "hypothesis": np.repeat(np.arange(n), n_toys),
        "g": np.repeat(g_hypotheses, n_toys),
        "observed_q_1dof": np.repeat(observed_1, n_toys),
        "observed_q_2dof": np.repeat(observed_2, n_toys),
        "toy": np.tile(chunk * n_toys + np.arange(n_toys), n),
        "q_1dof": np.concatenate(q1),
        "q_2dof": np.concatenate(q2),
    },
    snakemake.output[0],
    {
        "point": point["name"],
        "analysis": point["analysis"],
        "model": point["model"],
        "m_MeV": repr(point["m_MeV"]),
        "chunk": str(chunk),
    },
)
