"""Derive ``resources/detectors/xenon1t_s2only_nr_efficiency.csv`` and ``xenon1t_s2only_si_limit.csv``.

Source: XENON1T S2-only (ionisation-only) light-dark-matter data release, GitHub
``XENON1T/s2only_data_release`` commit 5a364bc8709f2561e5a013ddea6993a5a7c8e313 (2020-10-09), for
E. Aprile et al. (XENON), "Light Dark Matter Search with Ionization Signals in XENON1T",
Phys. Rev. Lett. 123, 251801 (2019), arXiv:1907.11485. Licence as stated by the release: "other-open"
(its .zenodo.json), with the request to cite the paper, which both output headers do.

1. The S2-channel nuclear-recoil efficiency: the release's NR response matrix gives, for each of 41 recoil
   energies (0.4-50 keVnr), the fraction of recoils in the whole target that end up, after every selection,
   in each of the 199 S2 bins (90-3000 PE). Summed over the bins it is the detection x selection efficiency
   of the S2-only search relative to its raw exposure (0.97678 t yr); written at the release's energies,
   with eps = 0 at 0 keV (linear in between, as ``astrocevns.physics.detectors.Efficiency`` interpolates). The
   0.7 keVnr cutoff of the search is the detector's threshold in the configuration, not part of the table.
2. The published 90 % CL spin-independent WIMP-nucleon limit (release file limits/5a_results_si_nr.csv, the
   paper's fig. 5A): mass_GeV, cross_section_cm2, copied as published.

Usage (from the repository root)::

    python resources/derivation/xenon1t_s2only.py ../shared/reference
"""

import csv

import common
import numpy as np

RELEASE = "xenon1t_s2only_2019"
COMMIT = "5a364bc8709f2561e5a013ddea6993a5a7c8e313"
CITATION = (
    "E. Aprile et al. (XENON), Phys. Rev. Lett. 123, 251801 (2019), arXiv:1907.11485; data release "
    f"github.com/XENON1T/s2only_data_release at {COMMIT}, licence 'other-open' (cite the paper)"
)
COMMAND = "python resources/derivation/xenon1t_s2only.py ../shared/reference"


def read_csv(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def s2_efficiency(response_rows):
    """(E_r_keV, efficiency): the NR response summed over every S2 bin, with eps(0) = 0 prepended."""
    energies = np.array([float(row["energy_kev"]) for row in response_rows])
    bins = [key for key in response_rows[0] if key.startswith("s2_bin_")]
    efficiency = np.array([sum(float(row[key]) for key in bins) for row in response_rows])
    if np.any(np.diff(energies) <= 0) or np.any((efficiency < 0) | (efficiency > 1)):
        raise ValueError("the NR response matrix is not ordered in energy or sums outside [0, 1]")
    return np.concatenate([[0.0], energies]), np.concatenate([[0.0], efficiency])


def main():
    release = common.reference_dir(__doc__.splitlines()[0]) / RELEASE
    E_r_keV, efficiency = s2_efficiency(read_csv(release / "s2_response_nr.csv"))
    common.write_table(
        common.RESOURCES / "detectors" / "xenon1t_s2only_nr_efficiency.csv",
        [
            "XENON1T S2-only (2019) nuclear-recoil efficiency: the NR response matrix (s2_response_nr.csv, charge "
            "yield of arXiv:1902.11297) summed over its 199 S2 bins (90-3000 PE).",
            "Columns: E_r_keV = nuclear-recoil energy [keVnr]; efficiency = detection x selection efficiency "
            "relative to the raw exposure 0.97678 t yr [dimensionless]; eps(0) = 0 added.",
            "No energy cutoff applied (the search cuts NR spectra at 0.7 keVnr: detectors.xenon1t.threshold_keV).",
            f"Source: {CITATION}.",
            f"Regenerate (from the repository root): {COMMAND}",
        ],
        ["E_r_keV", "efficiency"],
        [E_r_keV, efficiency],
    )
    limit = read_csv(release / "limits" / "5a_results_si_nr.csv")
    common.write_table(
        common.RESOURCES / "detectors" / "xenon1t_s2only_si_limit.csv",
        [
            "XENON1T S2-only (2019) 90 % CL upper limit on the spin-independent WIMP-nucleon cross section "
            "(the paper's fig. 5A; release file limits/5a_results_si_nr.csv), as published.",
            "Columns: mass_GeV = WIMP mass [GeV]; cross_section_cm2 = limit [cm^2].",
            f"Source: {CITATION}.",
            f"Regenerate (from the repository root): {COMMAND}",
        ],
        ["mass_GeV", "cross_section_cm2"],
        [np.array([float(row["mass_gev"]) for row in limit]), np.array([float(row["limit_cm2"]) for row in limit])],
    )
    print("efficiency at 0.7, 1, 2, 5, 10 keV:", np.round(np.interp([0.7, 1, 2, 5, 10], E_r_keV, efficiency), 4))


if __name__ == "__main__":
    main()
