"""Derive ``resources/solar/hep_spectrum.csv`` from beta-decay physics.

The hep reaction 3He + p -> 4He + e+ + nu_e has an allowed spectrum shape

    psi(E_nu) propto E_nu^2 p_e W F0(Z=2, e+; W),  W = E_0 + m_e - E_nu,

with neutrino endpoint E_0 = 18.77 MeV and the positron Fermi function of
the 4He daughter.  No parameters are fitted; the reference spectrum is used
only for validation.

Usage (from the repository root)::

    python resources/derivation/solar_hep.py ../shared/reference
"""

import common
import numpy as np

E_ENDPOINT = 18.77  # neutrino endpoint [MeV] (Bahcall & Ulrich 1988)
Z_DAUGHTER, MASS_NUMBER = 2, 4
OUTPUT_GRID = np.linspace(0.0, E_ENDPOINT, 376)
TAIL_EMIN = (8.0, 10.0, 12.0, 14.0, 16.0)
COMMAND = "python resources/derivation/solar_hep.py ../shared/reference"


def spectrum(e_nu):
    """Unit-normalised hep neutrino spectrum on the grid ``e_nu`` [1/MeV].

    Parameters
    ----------
    e_nu : numpy.ndarray
        Increasing neutrino energy grid [MeV] spanning 0..E_ENDPOINT.

    Returns
    -------
    numpy.ndarray
    """
    psi = common.allowed_neutrino_shape(e_nu, E_ENDPOINT + common.M_E, Z_DAUGHTER, MASS_NUMBER)
    return psi / np.trapezoid(psi, e_nu)


def main():
    """Evaluate, validate and write the table."""
    ref_path = common.reference_dir(__doc__.splitlines()[0]) / "solar" / "hep_spectrum_normalised.csv"
    e_ref, psi_ref = common.load_reference(ref_path)
    psi_out = spectrum(OUTPUT_GRID)
    psi_at_ref = np.interp(e_ref, OUTPUT_GRID, psi_out)
    window = (e_ref >= 1.0) & (e_ref <= 18.0)
    max_dev, rms_dev = common.relative_deviation(psi_at_ref[window], psi_ref[window])
    ratios = [
        common.tail_integral(OUTPUT_GRID, psi_out, e_min) / common.tail_integral(e_ref, psi_ref, e_min)
        for e_min in TAIL_EMIN
    ]

    header = [
        "hep solar neutrino spectrum (3He + p -> 4He + e+ + nu_e), unit-normalised:"
        " integral over E_nu = 1 (trapezoid on this grid).",
        "Columns: E_nu_MeV = neutrino energy [MeV]; spectrum_per_MeV = dN/dE_nu / N [1/MeV].",
        "Physics: allowed beta+ shape psi propto E_nu^2 p_e W F0(Z=2, e+; W), W = E_0 + m_e - E_nu,",
        f"  E_0 = {E_ENDPOINT} MeV (neutrino endpoint), m_e = {common.M_E} MeV,",
        "  F0 = relativistic Fermi function (point charge at R = 1.2 A^(1/3) fm, A = 4). No fitted parameters.",
        f"Residual vs reference, 1 <= E_nu <= 18 MeV: max |rel. dev.| = {max_dev:.4f}, rms = {rms_dev:.4f}.",
        "Tail integrals int_{Emin} psi (1 - Emin^2/E^2) dE, ratio this table / reference:",
        "  " + ", ".join(f"Emin={e:.0f}: {r:.4f}" for e, r in zip(TAIL_EMIN, ratios, strict=False)),
        "Reference used only for validation: cajohare/NeutrinoFog hep_spectrum_normalised.csv.",
        "Sources: J. N. Bahcall and R. K. Ulrich, Rev. Mod. Phys. 60, 297 (1988);"
        " J. N. Bahcall, Neutrino Astrophysics (Cambridge, 1989), ch. 6;",
        "  D. H. Wilkinson, Nucl. Instrum. Meth. 82, 122 (1970) (Fermi function).",
        f"Regenerate (from the repository root): {COMMAND}",
    ]
    common.write_solar_spectrum("hep", header, OUTPUT_GRID, psi_out, TAIL_EMIN, ratios)


if __name__ == "__main__":
    main()
