"""Derive the shipped external bounds of fig. 9: ``resources/external_limits/b_minus_l_{beam_dump,nu_lepton}.csv``.

The paper's fig. 9 draws the existing bounds on a U(1)_{B-L} boson as one "Beam dump" region and one
"nu - l" (neutrino-lepton scattering) region (its sec. VIII B and ref. [117], Bauer, Foldenauer and
Jaeckel, arXiv:1803.05466). Public tables of the experiments behind them are the closed outlines of
KlingFelix/FORESEE (MIT licence), Models/U(1)B-L/model/lines/, in ../shared/reference/external_limits
(mass [GeV], g_B-L). Each region shipped here is the union of its experiments' outlines:

1. at every mass where an outline has a vertex (just below and just above it where an outline has a
   vertical side or ends), the excluded intervals in g_B-L of each outline are found by the even-odd
   rule on the vertical line at that mass, its sides straight in (log m, log g);
2. the intervals of all the experiments of the region are merged at each mass; the regions of the
   neutrino-lepton experiments, which the tables close far above any figure (g_B-L = 1e4 to 1e7),
   are cut at g_B-L = 1;
3. the merged intervals of neighbouring masses are joined into one closed outline by
   astrocevns.inference.edges.outline_rings, written as the points of a closed region (m_MeV, g_B-L).

Usage (from the repository root; the argument defaults to <repo>/../shared/reference)::

    python resources/derivation/external_limits.py ../shared/reference
"""

import sys
from pathlib import Path

import common
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "workflow" / "lib"))

from astrocevns.inference import edges  # noqa: E402

MEV_PER_GEV = 1e3
CEILING_G_BL = 1.0  # where the merged regions are cut (the tables close them at 1e4 to 1e7)
SIDE_STEP = 1e-6  # relative mass offset of the samples on either side of a vertical side or an end
ORIGIN = "GitHub KlingFelix/FORESEE (MIT licence), commit 2d6431f6, Models/U(1)B-L/model/lines/"
REGIONS = {
    "b_minus_l_beam_dump": {
        "name": "Beam dump",
        "experiments": {
            "E137": "J. D. Bjorken et al. (SLAC E137), Phys. Rev. D 38, 3375 (1988)",
            "E141": "E. M. Riordan et al. (SLAC E141), Phys. Rev. Lett. 59, 755 (1987)",
            "Orsay": "M. Davier, H. Nguyen Ngoc, Phys. Lett. B 229, 150 (1989)",
            "NuCal": "J. Bluemlein et al. (nu-Cal I), Z. Phys. C 51, 341 (1991); Int. J. Mod. Phys. A 7, 3835 (1992)",
            "CHARM": "F. Bergsma et al. (CHARM), Phys. Lett. B 166, 473 (1986)",
        },
        "what": "electron and proton beam-dump searches for the decay of the boson to e+ e-",
        "method": "recast of the experiments with Darkcast (P. Ilten, Y. Soreq, M. Williams, W. Xue, JHEP 06 (2018)"
        " 004, arXiv:1801.04847)",
    },
    "b_minus_l_nu_lepton": {
        "name": "\u03bd \u2212 l",
        "experiments": {
            "Borexino": "G. Bellini et al. (Borexino), Phys. Rev. Lett. 107, 141302 (2011)",
            "Texono": "M. Deniz et al. (TEXONO), Phys. Rev. D 81, 072001 (2010)",
            "CHARM-II": "P. Vilain et al. (CHARM-II), Phys. Lett. B 335, 246 (1994)",
        },
        "what": "neutrino-electron scattering (solar 7Be, reactor and accelerator neutrinos)",
        "method": "digitised from arXiv:1803.05466, fig. 13",
    },
}


def read_outline(path):
    """(log10 m [MeV], log10 g_B-L) of the vertices of one closed outline (the last vertex joins the first)."""
    mass_GeV, g_BL = np.loadtxt(path, comments="#", unpack=True)
    if np.any(mass_GeV <= 0.0) or np.any(g_BL <= 0.0):
        raise ValueError(f"{path}: masses and couplings must be positive")
    return np.log10(mass_GeV * MEV_PER_GEV), np.log10(g_BL)


def sample_masses(outlines):
    """log10 m of the samples: every vertex mass, replaced by two masses just below and above it where an
    outline has a vertical side there or begins or ends (so that the merged outline keeps those sides)."""
    vertices = np.unique(np.concatenate([x for x, _ in outlines]))
    sides = np.concatenate(
        [
            np.concatenate([x[np.isclose(x, np.roll(x, -1), rtol=0, atol=1e-12)], [x.min(), x.max()]])
            for x, _ in outlines
        ]
    )
    split = np.isin(vertices, sides)
    step = np.log10(1.0 + SIDE_STEP)
    return np.unique(np.concatenate([vertices[~split], vertices[split] - step, vertices[split] + step]))


def intervals_at(x, y, samples):
    """Excluded intervals (lo, hi) in log10 g of one closed outline at each mass of ``samples``: the sides
    crossing each vertical line, taken in pairs from below (even-odd rule; a side counts from its smaller
    mass, inclusive, to its larger, exclusive, so that each vertex is counted once)."""
    x0, y0, x1, y1 = x, y, np.roll(x, -1), np.roll(y, -1)
    spans = (np.minimum(x0, x1)[None, :] <= samples[:, None]) & (samples[:, None] < np.maximum(x0, x1)[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing_y = y0 + (samples[:, None] - x0) * (y1 - y0) / (x1 - x0)
    result = []
    for row, spanned in zip(crossing_y, spans, strict=True):
        ys = np.sort(row[spanned])
        if ys.size % 2:
            raise ValueError("an outline is not closed: odd number of sides on a vertical line")
        result.append(ys.reshape(-1, 2))
    return result


def merged(interval_lists):
    """Union of intervals (rows lo, hi) from several outlines at one mass, sorted and disjoint."""
    intervals = np.concatenate(interval_lists)
    intervals = intervals[intervals[:, 1] > intervals[:, 0]]
    union = []
    for lo, hi in intervals[np.argsort(intervals[:, 0])]:
        if union and lo <= union[-1][1]:
            union[-1][1] = max(union[-1][1], hi)
        else:
            union.append([lo, hi])
    return np.array(union).reshape(-1, 2)


def merged_outline(outlines):
    """(m_MeV, g_B-L) of the single closed outline of the union of ``outlines``."""
    samples = sample_masses(outlines)
    per_outline = [intervals_at(x, y, samples) for x, y in outlines]
    ceiling = np.log10(CEILING_G_BL)
    rows = []
    for k, sample in enumerate(samples):
        union = merged([intervals[k] for intervals in per_outline])
        union = union[union[:, 0] < ceiling]
        for index, (lo, hi) in enumerate(union):
            rows += [(sample, lo, "lower", index, True), (sample, min(hi, ceiling), "upper", index, hi < ceiling)]
    log_m, log_g, kind, interval, crossing = (np.array(column) for column in zip(*rows, strict=True))
    table = {"m_MeV": 10**log_m, "g": 10**log_g, "edge": kind, "interval": interval, "crossing": crossing}
    rings = edges.outline_rings(table, 10**samples)
    if np.unique(rings["ring"]).size != 1:
        raise ValueError(f"the union has {np.unique(rings['ring']).size} separate outlines; expected one")
    return rings["m_MeV"], rings["g"]


def main():
    reference = common.reference_dir(__doc__.splitlines()[0]) / "external_limits" / "b_minus_l"
    for name, region in REGIONS.items():
        files = [f"bounds_{experiment}.txt" for experiment in region["experiments"]]
        m_MeV, g_BL = merged_outline([read_outline(reference / file) for file in files])
        experiments = ", ".join(region["experiments"])
        header = [
            f"name: {region['name']}",
            (
                "citation: M. Bauer, P. Foldenauer, J. Jaeckel, JHEP 07 (2018) 094, arXiv:1803.05466 "
                "(ref. [117] of the paper, drawn in its fig. 9)"
            ),
            "mediator: vector",
            "convention: g_BL",
            "region: closed",
            (
                f"what: excluded region of a U(1)_B-L boson from {region['what']}: the union of {experiments}, "
                f"cut at g_BL = {CEILING_G_BL:g} (the excluded regions continue above)"
            ),
            f"origin: {ORIGIN}{', '.join(files)}; {region['method']}",
            f"paper: {'; '.join(f'{key}: {value}' for key, value in region['experiments'].items())}",
            (
                "licence: MIT License, Copyright (c) 2020 Felix Kling and Sebastian Trojanowski (FORESEE); the full "
                "permission notice is in resources/external_limits/README.md"
            ),
            (
                "derivation: union of the closed outlines at every vertex mass, joined by "
                "astrocevns.inference.edges.outline_rings; regenerate (from the repository root): "
                "python resources/derivation/external_limits.py"
            ),
        ]
        common.write_table(
            common.RESOURCES / "external_limits" / f"{name}.csv", header, ["m_MeV", "coupling"], [m_MeV, g_BL]
        )


if __name__ == "__main__":
    main()
