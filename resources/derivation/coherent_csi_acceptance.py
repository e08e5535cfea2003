"""Derive ``resources/detectors/coherent_csi_acceptance.csv``.

The COHERENT CsI[Na] 2017 signal acceptance as a function of nuclear-recoil energy, from the
published parametrisation in photoelectrons (PE) of the data release (arXiv:1804.09459):

    acceptance(x) = a / (1 + exp(-k (x - x0))),  a = 0.6655, k = 0.4942, x0 = 10.8507, x in PE,

mapped to recoil energy with the constant quenching factor and light yield of the release,
x = E_r x QF x LY with QF = 8.78 % and LY = 13.348 PE/keVee. The release's lower step at 5 PE
(E_r = 4.266 keV) is the detector's threshold in config/config.yaml, not part of this table.
No reference data is read.

Usage (from the repository root)::

    python resources/derivation/coherent_csi_acceptance.py
"""

import common
import numpy as np

PLATEAU, STEEPNESS_PER_PE, MIDPOINT_PE = 0.6655, 0.4942, 10.8507
QUENCHING_FACTOR = 0.0878
LIGHT_YIELD_PE_PER_KEVEE = 13.348
OUTPUT_GRID = np.round(np.arange(1201) * 0.05, 2)  # 0..60 keVnr, beyond the 47 keV end point of pi-DAR on Cs/I
COMMAND = "python resources/derivation/coherent_csi_acceptance.py"


def acceptance(e_r_keV):
    """Acceptance at nuclear-recoil energy ``e_r_keV`` [keVnr] (no lower step)."""
    photoelectrons = e_r_keV * QUENCHING_FACTOR * LIGHT_YIELD_PE_PER_KEVEE
    return PLATEAU / (1.0 + np.exp(-STEEPNESS_PER_PE * (photoelectrons - MIDPOINT_PE)))


def main():
    header = [
        "COHERENT CsI[Na] 2017 signal acceptance against nuclear-recoil energy.",
        "Columns: E_r_keV = nuclear-recoil energy [keVnr]; efficiency = signal acceptance [dimensionless].",
        "Formula: a / (1 + exp(-k (x - x0))), x = E_r QF LY [PE]; a = 0.6655, k = 0.4942 /PE, x0 = 10.8507 PE,"
        " QF = 0.0878, LY = 13.348 PE/keVee; grid 0..60 keV, step 0.05 keV.",
        "The lower step of the release at 5 PE (4.266 keVnr) is the detector threshold in config/config.yaml.",
        "Source: D. Akimov et al. (COHERENT), Science 357, 1123 (2017), arXiv:1708.01294;"
        " data release arXiv:1804.09459 (doi:10.5281/zenodo.1228631).",
        f"Regenerate (from the repository root): {COMMAND}",
    ]
    common.write_table(
        common.RESOURCES / "detectors" / "coherent_csi_acceptance.csv",
        header,
        ["E_r_keV", "efficiency"],
        [OUTPUT_GRID, acceptance(OUTPUT_GRID)],
    )


if __name__ == "__main__":
    main()
