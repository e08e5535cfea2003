"""Rules chi2 and chi2_model: the chi-square grids, contours, exact edges and bounds of one analysis family (an
analysis and its efficiency variants), per model (g its coupling); the library does the work
(astrocevns.inference.exclusion)."""

import numpy as np

from astrocevns.inference import exclusion, grids, statistics
from astrocevns.physics import wimps
from astrocevns.physics.detectors import Efficiency
from astrocevns.pipeline import logs
from astrocevns.tables import columnar, io

log = logs.to_file(snakemake.log[0])
spec = snakemake.params.family
variants, sources = spec["variants"], spec["sources"]
names = [variant["name"] for variant in variants]
kind = spec["statistic"]["kind"]
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
max_events = float("nan")
if kind == "event_ceiling":
    files = snakemake.input.efficiency
    efficiency_name = variants[0]["members"][0][1]
    efficiency = Efficiency(efficiency_name, *io.read_efficiency_table(files[0])) if files else Efficiency.ideal()
    limit = io.read_wimp_limit(snakemake.input.wimp_limit[0]) if snakemake.input.wimp_limit else None
    max_events, wimp_mass_GeV = wimps.event_ceiling(spec["statistic"], spec["ceiling_detector"], efficiency, limit)
    log.info("event ceiling: %.4g events (WIMP of %.4g GeV at the limit)", max_events, wimp_mass_GeV)
statistic = exclusion.Statistic(
    kind,
    threshold,
    spec["sigma"],
    spec["statistics"]["pull_prior"],
    spec["statistic"].get("observed_events", np.nan),
    spec["statistic"].get("observed_uncertainty", np.nan),
    max_events,
)
paths = {tuple(key): path for key, path in zip(spec["spectra_keys"], snakemake.input.spectra, strict=True)}
g = grids.log_axis(spec["grid_g"])
outputs = zip(
    spec["models"],
    snakemake.output.chi2,
    snakemake.output.contours,
    snakemake.output.edges,
    snakemake.output.bounds,
    snakemake.output.intervals,
    strict=True,
)
for model, chi2_path, contours_path, edges_path, bounds_path, intervals_path in outputs:
    name = model["name"]
    log.info("model %s (%s, coupling %s)", name, model["mediator"], model["coupling"])
    spectra = exclusion.family_spectra(
        variants, sources, lambda key, name=name: io.read_columns(paths[(name, *key)])[0]
    )
    chi2, lines, edges, found, intervals = exclusion.analyse_family(
        statistic, variants, spectra, g, spec["bounds"], log
    )
    for table in (chi2, lines, edges):
        table["analysis"] = columnar.categorical(table["analysis"], names)
    chi2["source"] = columnar.categorical(chi2["source"], sources)
    g_min = found["g_min"]  # null where nothing is excluded in range
    found = {
        "analysis": np.asarray(names)[found["analysis"]],
        "model": np.full(g_min.size, name),
        "mediator": np.full(g_min.size, model["mediator"]),
        "coupling": np.full(g_min.size, model["coupling"]),
        "m_MeV": found["m_MeV"],
        "g_min": columnar.to_arrow(g_min, valid=~np.isnan(g_min)),
        "below_range": found["below_range"],  # excluded at bounds.g_min already: no number of the range
        "n_intervals": found["n_intervals"],
    }
    labels = {"model": name, "mediator": model["mediator"], "coupling": model["coupling"]}
    intervals = {
        "analysis": np.asarray(names)[intervals.pop("analysis")],
        **{column: np.full(intervals["m_MeV"].size, value) for column, value in labels.items()},
        **intervals,
    }
    meta = {
        "family": snakemake.wildcards.family,
        "model": name,
        "mediator": model["mediator"],
        "coupling": model["coupling"],
        "delta_chi2": repr(threshold),
        "statistic": kind,
        "inputs_hash": io.content_hash(spec, name, *snakemake.input),
    }
    edges["edge"] = columnar.categorical((edges["edge"] == "upper").astype(int), ["lower", "upper"])
    for table, path in (
        (chi2, chi2_path),
        (lines, contours_path),
        (edges, edges_path),
        (found, bounds_path),
        (intervals, intervals_path),
    ):
        io.write_parquet(table, path, meta)
