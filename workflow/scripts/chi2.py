"""Rules chi2 and chi2_model: the chi-square of a family (an analysis and its efficiency variants) on the
(g, m) grid, its contours and bounds, per model (g its coupling); the rows of each analysis are named in an
``analysis`` column.

The statistic is the paper's Asimov Poisson chi2 (eqs. 21-24), or for the existing bounds a
counting chi2 (COHERENT) or an event ceiling (XENON1T): see astrocevns.statistics.
"""

import numpy as np

from astrocevns import bounds, columnar, contours, grids, io, logs, rates, statistics, wimps
from astrocevns.detectors import Efficiency

log = logs.to_file(snakemake.log[0])
wc, spec = snakemake.wildcards, snakemake.params.family
statistic = spec["statistic"]
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
g = grids.log_axis(spec["grid_g"])


def split(table):
    """{on_grid: (masses, coefficient triple)} of one spectra table."""
    return {on_grid: rates.polynomial_from_frame(table, on_grid) for on_grid in (True, False)}


def joined(parts):
    """{on_grid: (masses, [coefficient triple of each detector])} of one source's split spectra tables."""
    return {on_grid: (parts[0][on_grid][0], [part[on_grid][1] for part in parts]) for on_grid in (True, False)}


def chi2_of(polynomials, sigma, coupling):
    """chi2 and pull of one source's detectors at couplings broadcasting against the polynomials' masses."""
    counts = [rates.counts_from_polynomial(coefficients, coupling) for coefficients in polynomials]
    return statistics.profiled_chi2(counts, [coefficients[0][0] for coefficients in polynomials], sigma)


def marginalised(per_source, on_grid, coupling):
    """Minimum over the analysis's sources of chi2 (paper: marginalised over SN models), its pull and source."""
    results = [chi2_of(per_source[source][on_grid][1], spec["sigma"][source], coupling) for source in spec["sources"]]
    chi2 = np.stack([r[0] for r in results])
    best = np.argmin(chi2, axis=0)
    pull = np.take_along_axis(np.stack([r[1] for r in results]), best[None], axis=0)[0]
    return chi2.min(axis=0), pull, best


def total_counts(per_source, on_grid, coupling):
    """Events summed over all bins and detectors of the (single) source of a counting or ceiling analysis."""
    polynomials = per_source[spec["sources"][0]][on_grid][1]
    return sum(rates.counts_from_polynomial(coefficients, coupling).sum(axis=-1) for coefficients in polynomials)


def counting(per_source, on_grid, coupling):
    """COHERENT-like counting chi2 (before subtracting the best fit), and its pull."""
    chi2, pull = statistics.counting_chi2(total_counts(per_source, on_grid, coupling), statistic["observed_events"],
                                          statistic["observed_uncertainty"], spec["sigma"][spec["sources"][0]])
    return chi2, pull, np.zeros(chi2.shape, dtype=int)


def evaluate(per_source, on_grid, coupling):
    """(statistic, pull, index of the best source) of the analysis's kind; excluded where statistic > threshold
    (for a counting analysis, once its best fit is subtracted: see best_fit)."""
    if statistic["kind"] == "counting":
        return counting(per_source, on_grid, coupling)
    if statistic["kind"] == "event_ceiling":
        counts = total_counts(per_source, on_grid, coupling)
        zeros = np.zeros(counts.shape)
        return statistics.ceiling_statistic(counts, max_events, threshold), zeros, zeros.astype(int)
    return marginalised(per_source, on_grid, coupling)


def on_grid(per_source, rows=64):
    """evaluate() over the whole grid, ``rows`` couplings at a time to bound the memory of large grids."""
    parts = [evaluate(per_source, True, g[start:start + rows, None]) for start in range(0, g.size, rows)]
    return tuple(np.concatenate(part) for part in zip(*parts))


def best_fit(per_source, chi2_grid):
    """chi2 of the best fit that a counting analysis measures delta chi2 from (0 for the other statistics)."""
    if statistic["kind"] != "counting":
        return 0.0
    sm = counting(per_source, True, 0.0)[0].min()  # g = 0: the same at every mass
    log.info("counting: %.4g SM events predicted, %g +- %g observed; chi2 = %.4g at the SM, %.4g at the best "
             "fit on the grid", total_counts(per_source, True, 0.0).flat[0], statistic["observed_events"],
             statistic["observed_uncertainty"], sm, chi2_grid.min())
    return min(sm, chi2_grid.min())


def event_ceiling():
    """The XENON1T ceiling N_max of an event_ceiling analysis (None for the other statistics)."""
    if statistic["kind"] != "event_ceiling":
        return None
    files = snakemake.input.efficiency
    efficiency_name = spec["variants"][0]["members"][0][1]
    efficiency = Efficiency(efficiency_name, *io.read_efficiency_table(files[0])) if files else Efficiency.ideal()
    ceiling = wimps.event_ceiling(statistic, spec["ceiling_detector"], efficiency)
    log.info("event ceiling: %.4g events (WIMP of %g GeV at %.3g cm^2)", ceiling,
             statistic["wimp_mass_GeV"], statistic["wimp_cross_section_cm2"])
    return ceiling


def analyse(name, model, per_source):
    """Column tables of one analysis and model: the chi2 grid, the polylines of its exclusion boundary,
    and the smallest excluded coupling at each report mass (NaN where nothing is excluded)."""
    masses, report_masses = (per_source[spec["sources"][0]][on_grid][0] for on_grid in (True, False))
    chi2, pull, best = on_grid(per_source)
    reference = best_fit(per_source, chi2)
    chi2 = chi2 - reference
    # chi2 is infinite where no events are predicted but the SM has some: excluded at any CL
    grid = {"g": np.repeat(g, masses.size), "m_MeV": np.tile(masses, g.size), "chi2": chi2.ravel(),
            "pull": pull.ravel(), "source": best.ravel()}
    log.info("%s %s: %.1f %% of the grid excluded at delta chi2 > %.3f", model, name,
             100 * np.mean(chi2 > threshold), threshold)
    lines = contours.exclusion_contours(masses, g, chi2, threshold)
    first_points = np.unique(lines["line"], return_index=True)[1]
    log.info("%s %s: %d contour lines (%d closed)", model, name, first_points.size,
             int(lines["closed"][first_points].sum()))
    g_min = bounds.smallest_excluded_coupling(lambda coupling: evaluate(per_source, False, coupling)[0] - reference,
                                              spec["bounds"]["g_min"], spec["bounds"]["g_max"], threshold,
                                              spec["bounds"]["scan_points"])
    log.info("%s %s: g_min at %s MeV = %s", model, name, report_masses.tolist(), np.round(g_min, 9).tolist())
    return grid, lines, {"m_MeV": report_masses, "g_min": g_min}


def stacked(tables):
    """The tables of the family's analyses one after another, with the index of the analysis of each row
    (into ``names``) in an ``analysis`` column."""
    rows = [len(table["m_MeV"]) for table in tables]
    return {"analysis": np.repeat(np.arange(len(tables)), rows),
            **{column: np.concatenate([table[column] for table in tables]) for column in tables[0]}}


max_events = event_ceiling()
names = [variant["name"] for variant in spec["variants"]]
# spectra inputs are ordered model by model, analysis by analysis, source by source, members within
# (rules/common.smk); a table the analyses of the family share is listed for each, and read once
split_tables = {path: split(io.read_columns(path)[0]) for path in dict.fromkeys(snakemake.input.spectra)}
paths = iter(snakemake.input.spectra)
for entry, chi2_path, contours_path, bounds_path in zip(spec["models"], snakemake.output.chi2,
                                                       snakemake.output.contours, snakemake.output.bounds):
    model, mediator, coupling = entry["name"], entry["mediator"], entry["coupling"]
    results = []
    for variant in spec["variants"]:
        per_source = {source: joined([split_tables[next(paths)] for _ in variant["members"]])
                      for source in spec["sources"]}
        results.append(analyse(variant["name"], model, per_source))
    chi2_table, contour_table, bounds_table = (stacked(list(part)) for part in zip(*results))
    for table in (chi2_table, contour_table):
        table["analysis"] = columnar.categorical(table["analysis"], names)
    chi2_table["source"] = columnar.categorical(chi2_table["source"], spec["sources"])
    g_min = bounds_table["g_min"]  # a null g_min: nothing excluded in range
    bounds_table = {"analysis": np.asarray(names)[bounds_table["analysis"]], "model": np.full(g_min.size, model),
                    "mediator": np.full(g_min.size, mediator), "coupling": np.full(g_min.size, coupling),
                    "m_MeV": bounds_table["m_MeV"], "g_min": columnar.to_arrow(g_min, valid=~np.isnan(g_min))}
    meta = {"family": wc.analysis, "model": model, "mediator": mediator, "coupling": coupling,
            "delta_chi2": repr(threshold), "statistic": statistic["kind"],
            "inputs_hash": io.content_hash(spec, model, *snakemake.input)}
    io.write_parquet(chi2_table, chi2_path, meta)
    io.write_parquet(contour_table, contours_path, meta)
    io.write_parquet(bounds_table, bounds_path, meta)
