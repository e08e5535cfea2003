"""Derive ``resources/detectors/xenon1t_nr_efficiency.csv``.

Smooth parametrisation of the XENON1T 2018 nuclear-recoil detection
efficiency (arXiv:1805.12562, fig. 1): a plateau times a threshold rise
(logistic in ln E_r) times a falling logistic for the upper cS1 end of the
region of interest,

    eps(E_r) = A / (1 + (E_1 / E_r)^n) / (1 + exp((E_r - E_2) / w)),

fitted by least squares to the digitised curve, evaluated on 0..80 keV in
steps of 0.1 keV, clipped to [0, 1] and set to exactly 0 below 1e-6.

Usage (from the repository root)::

    python resources/derivation/xenon1t_efficiency.py ../shared/reference
"""

import common
import numpy as np
from scipy.optimize import least_squares

PARAMETER_NAMES = ("A", "E_1", "n", "E_2", "w")
PARAMETER_UNITS = ("", " keV", "", " keV", " keV")
INITIAL = (0.87, 5.0, 2.5, 43.0, 3.5)
NEGLIGIBLE = 1e-6
OUTPUT_GRID = np.round(np.arange(801) * 0.1, 1)
COMMAND = "python resources/derivation/xenon1t_efficiency.py ../shared/reference"


def efficiency(e_r, params):
    """Unclipped efficiency model at recoil energies ``e_r`` [keV].

    Parameters
    ----------
    e_r : numpy.ndarray
        Nuclear-recoil energy [keV], >= 0.
    params : sequence of float
        (A, E_1 [keV], n, E_2 [keV], w [keV]).

    Returns
    -------
    numpy.ndarray
    """
    plateau, e_rise, power, e_fall, width = params
    rise = e_r**power / (e_r**power + e_rise**power)
    fall = 1.0 / (1.0 + np.exp((e_r - e_fall) / width))
    return plateau * rise * fall


def main():
    """Fit, validate and write the table."""
    ref_path = common.reference_dir(__doc__.splitlines()[0]) / "detectors" / "xenon1t_2018_nr_efficiency.txt"
    e_ref, eff_ref = common.load_reference(ref_path)
    params = least_squares(lambda p: efficiency(e_ref, p) - eff_ref, INITIAL).x
    residual = efficiency(e_ref, params) - eff_ref
    max_abs = float(np.max(np.abs(residual)))
    rms_abs = float(np.sqrt(np.mean(residual**2)))
    e_worst = float(e_ref[np.argmax(np.abs(residual))])

    eff_out = np.clip(efficiency(OUTPUT_GRID, params), 0.0, 1.0)
    eff_out[eff_out < NEGLIGIBLE] = 0.0

    header = [
        "XENON1T (2018 SR0+SR1) nuclear-recoil detection efficiency, smooth parametrisation.",
        "Columns: E_r_keV = nuclear-recoil energy [keVnr];"
        " efficiency = detection x selection efficiency [dimensionless].",
        "Formula: eps = A / (1 + (E_1/E_r)^n) / (1 + exp((E_r - E_2)/w)),"
        " clipped to [0, 1], set to 0 where below 1e-6; grid 0..80 keV, step 0.1 keV.",
        "Fit parameters: "
        + ", ".join(
            f"{name} = {value:.5f}{unit}"
            for name, value, unit in zip(PARAMETER_NAMES, params, PARAMETER_UNITS, strict=False)
        ),
        f"Residual vs digitised curve ({e_ref.size} points, 0-70 keV): max |abs. dev.| = {max_abs:.4f}"
        f" (at E_r = {e_worst:.1f} keV), rms = {rms_abs:.4f}.",
        "Reference used only as fit target / validation: bradkav/Xenon1T-2018 data_files (digitisation of fig. 1).",
        "Source: E. Aprile et al. (XENON), Phys. Rev. Lett. 121, 111302 (2018), arXiv:1805.12562, fig. 1.",
        f"Regenerate (from the repository root): {COMMAND}",
    ]
    common.write_table(
        common.RESOURCES / "detectors" / "xenon1t_nr_efficiency.csv",
        header,
        ["E_r_keV", "efficiency"],
        [OUTPUT_GRID, eff_out],
    )
    print(f"params {params}, max abs dev {max_abs:.4f} at {e_worst:.1f} keV, rms {rms_abs:.4f}")


if __name__ == "__main__":
    main()
