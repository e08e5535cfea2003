"""Derive ``resources/atmospheric/fluka_{nue,nuebar,numu,numubar}.csv``.

Smooth fit to the FLUKA sub-GeV atmospheric neutrino fluxes (Battistoni et
al. 2005) per flavour: ln(phi) is a degree-5 polynomial in u = ln(E_nu / 100
MeV), fitted by least squares over 13 MeV <= E_nu <= 940 MeV.  The last ~4 %
of the reference range (a linear ramp to zero from interpolation at the table
edge) is excluded from the fit.  Each fit is evaluated on our own log-spaced
grid 13..1000 MeV.

Usage (from the repository root)::

    python resources/derivation/atmospheric_fluka.py ../shared/reference
"""

import common
import numpy as np

FLAVOURS = {
    "nue": "nu_e",
    "nuebar": "anti-nu_e",
    "numu": "nu_mu",
    "numubar": "anti-nu_mu",
}
DEGREE = 5
E_PIVOT = 100.0  # [MeV]
FIT_EMAX = 940.0  # [MeV]; reference falls artificially to the table edge above this
OUTPUT_GRID = np.geomspace(13.0, 1000.0, 181)
COMMAND = "python resources/derivation/atmospheric_fluka.py ../shared/reference"


def fit_log_flux(e_ref, flux_ref):
    """Least-squares fit of ln(flux) as a polynomial in ln(E / E_PIVOT).

    Parameters
    ----------
    e_ref, flux_ref : numpy.ndarray
        Reference energies [MeV] and fluxes [1/(cm^2 s MeV)].

    Returns
    -------
    numpy.ndarray
        Coefficients c_0..c_DEGREE (increasing powers of u).
    """
    mask = e_ref <= FIT_EMAX
    u = np.log(e_ref[mask] / E_PIVOT)
    return np.polynomial.polynomial.polyfit(u, np.log(flux_ref[mask]), DEGREE)


def flux(e_nu, coefficients):
    """Evaluate the fitted flux [1/(cm^2 s MeV)] at ``e_nu`` [MeV]."""
    return np.exp(np.polynomial.polynomial.polyval(np.log(e_nu / E_PIVOT), coefficients))


def main():
    """Fit each flavour, validate and write the tables."""
    reference = common.reference_dir(__doc__.splitlines()[0]) / "atmospheric"
    totals = {"table": 0.0, "ref_range": 0.0, "reference": 0.0}
    for key, label in FLAVOURS.items():
        e_ref, flux_ref = common.load_reference(reference / f"fluka_{key}.csv")
        coefficients = fit_log_flux(e_ref, flux_ref)
        flux_out = flux(OUTPUT_GRID, coefficients)
        mask = e_ref <= FIT_EMAX
        max_dev, rms_dev = common.relative_deviation(flux(e_ref[mask], coefficients), flux_ref[mask])
        e_fine = np.geomspace(e_ref[0], e_ref[-1], 4001)
        integral_table = np.trapezoid(flux_out, OUTPUT_GRID)
        integral_ref_range = np.trapezoid(flux(e_fine, coefficients), e_fine)
        integral_reference = np.trapezoid(flux_ref, e_ref)
        totals["table"] += integral_table
        totals["ref_range"] += integral_ref_range
        totals["reference"] += integral_reference

        header = [
            f"FLUKA sub-GeV atmospheric {label} flux (direction-averaged), smooth fit.",
            "Columns: E_nu_MeV = neutrino energy [MeV]; flux_per_cm2_s_MeV = dPhi/dE_nu [1/(cm^2 s MeV)].",
            f"Formula: ln(flux) = sum_k c_k u^k, u = ln(E_nu / {E_PIVOT:.0f} MeV), k = 0..{DEGREE};"
            f" fitted to the reference over {e_ref[0]:.2f} <= E_nu <= {FIT_EMAX:.0f} MeV",
            "  (reference falls artificially to its table edge above that); grid 13..1000 MeV, 181 log-spaced points.",
            "Fit parameters: " + ", ".join(f"c_{k} = {c:.6e}" for k, c in enumerate(coefficients)),
            f"Residual vs reference (fit range): max |rel. dev.| = {max_dev:.4f}, rms = {rms_dev:.4f}"
            " (largest at the low-energy edge and at the bumps near 30-55 MeV, which the smooth fit averages over).",
            f"Integrated flux: this table (13-1000 MeV) = {integral_table:.4f} /cm^2/s;"
            f" fit over reference range {e_ref[0]:.2f}-{e_ref[-1]:.2f} MeV = {integral_ref_range:.4f};"
            f" reference = {integral_reference:.4f}.",
            "Reference used only as fit target / validation: cajohare/NeutrinoFog data/neutrinos/atmospheric/FLUKA.",
            "Source: G. Battistoni, A. Ferrari, T. Montaruli, P. R. Sala, Astropart. Phys. 23, 526 (2005).",
            f"Regenerate (from the repository root): {COMMAND}",
        ]
        common.write_table(
            common.RESOURCES / "atmospheric" / f"fluka_{key}.csv",
            header,
            ["E_nu_MeV", "flux_per_cm2_s_MeV"],
            [OUTPUT_GRID, flux_out],
        )
        print(
            f"{key}: max {max_dev:.4f} rms {rms_dev:.4f} integral table {integral_table:.4f}"
            f" ref-range {integral_ref_range:.4f} reference {integral_reference:.4f}"
        )
    print("total of four flavours: " + ", ".join(f"{k} {v:.4f}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
