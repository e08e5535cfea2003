"""Rule chi2: profiled Poisson chi-square of one analysis on the (g, m) grid, and its bounds, per mediator."""

import numpy as np
import pyarrow as pa

from astrocevns import bounds, grids, io, logs, rates, statistics

log = logs.to_file(snakemake.log[0])
wc, spec = snakemake.wildcards, snakemake.params.analysis
threshold = statistics.delta_chi2(spec["statistics"]["cl"], spec["statistics"]["dof"])
g = grids.log_axis(spec["grid_g"])


def split(tables):
    """{on_grid: (masses, [coefficient triple of each table])}, split once from the spectra tables."""
    result = {}
    for on_grid in (True, False):
        parts = [rates.polynomial_from_frame(table, on_grid) for table in tables]
        result[on_grid] = (parts[0][0], [coefficients for _, coefficients in parts])
    return result


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


def on_grid(per_source, rows=64):
    """marginalised() over the whole grid, ``rows`` couplings at a time to bound the memory of large grids."""
    parts = [marginalised(per_source, True, g[start:start + rows, None]) for start in range(0, g.size, rows)]
    return tuple(np.concatenate(part) for part in zip(*parts))


def analyse(mediator, per_source, chi2_path, bounds_path):
    """Write the chi2 grid and the smallest excluded coupling at each report mass of one mediator."""
    masses, report_masses = (per_source[spec["sources"][0]][on_grid][0] for on_grid in (True, False))
    chi2, pull, best = on_grid(per_source)
    frame = {"g": np.repeat(g, masses.size), "m_MeV": np.tile(masses, g.size), "chi2": chi2.ravel(),
             "pull": pull.ravel(),
             "source": pa.DictionaryArray.from_arrays(best.ravel().astype(np.int32), spec["sources"])}
    meta = {"analysis": wc.analysis, "mediator": mediator, "delta_chi2": repr(threshold),
            "inputs_hash": io.content_hash(spec, mediator, *snakemake.input)}
    # chi2 is infinite where no events are predicted but the SM has some: excluded at any CL
    io.write_parquet(frame, chi2_path, meta)
    log.info("%s %s: %.1f %% of the grid excluded at delta chi2 > %.3f", mediator, wc.analysis,
             100 * np.mean(chi2 > threshold), threshold)
    g_min = bounds.smallest_excluded_coupling(lambda coupling: marginalised(per_source, False, coupling)[0],
                                              spec["bounds"]["g_min"], spec["bounds"]["g_max"], threshold,
                                              spec["bounds"]["scan_points"])
    table = {"analysis": np.full(report_masses.size, wc.analysis), "mediator": np.full(report_masses.size, mediator),
             "m_MeV": report_masses, "g_min": pa.array(g_min, mask=np.isnan(g_min))}  # null: nothing excluded
    log.info("%s: g_min at %s MeV = %s", mediator, report_masses.tolist(), np.round(g_min, 9).tolist())
    io.write_parquet(table, bounds_path, meta)


# spectra inputs are ordered mediator by mediator, source by source, members within (rules/common.smk)
tables = iter(io.read_columns(path)[0] for path in snakemake.input)
for mediator, chi2_path, bounds_path in zip(spec["mediators"], snakemake.output.chi2, snakemake.output.bounds):
    per_source = {source: split([next(tables) for _ in spec["members"]]) for source in spec["sources"]}
    analyse(mediator, per_source, chi2_path, bounds_path)
