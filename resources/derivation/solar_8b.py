"""Derive ``resources/solar/8B_spectrum.csv`` from beta-decay physics.

8B(2+) -> 8Be*(2+) + e+ + nu_e is an allowed Gamow-Teller decay into the broad
8Be 2+ state at E_x ~ 3 MeV, which breaks up into two alpha particles.  The
neutrino spectrum is the allowed positron-emission shape (Z = 4 daughter)
folded with the final-state excitation distribution rho(E_x):

    psi(E_nu) propto ∫ dE_x rho(E_x) E_nu^2 p_e W F0(4, W),
    W = Q_gs - 2 m_e - E_x + m_e - E_nu,

where the phase-space integral of each branch is kept (not normalised per
E_x), so low excitations are weighted by their larger phase space.  rho is a
Breit-Wigner with an energy-dependent width, an alpha-alpha Coulomb (Gamow)
barrier factor at the 2-alpha threshold and an exponential tilt:

    rho(E_x) = exp(-G / sqrt(e) - b E_x) / ((E_x - E_r)^2 + Gamma(E_x)^2 / 4),
    e = E_x - E_th,  Gamma(E_x) = Gamma_r (e / (E_r - E_th))^c,

with the Gamow constant G = 2 pi Z_a^2 alpha sqrt(mu c^2 / 2) fixed by physics
and (E_r, Gamma_r, b, c) fitted to the reference spectrum with emphasis on
E_nu > 7 MeV and on the coherent-scattering tail integrals.

Usage (from the repository root)::

    python resources/derivation/solar_8b.py ../shared/reference
"""

import common
import numpy as np
from scipy.optimize import least_squares

Q_ATOMIC_GS = 17.979  # 8B -> 8Be(g.s.) atomic mass difference [MeV]
E_THRESHOLD = 0.0918  # 8Be(g.s.) -> 2 alpha breakup threshold above 8Be g.s. [MeV]
M_ALPHA = 3727.379  # alpha-particle mass [MeV]
Z_DAUGHTER, MASS_NUMBER = 4, 8
GAMOW = 2.0 * np.pi * 4.0 * common.ALPHA * np.sqrt(M_ALPHA / 2.0 / 2.0)  # [MeV^1/2]
Q_NUCLEAR_GS = Q_ATOMIC_GS - 2.0 * common.M_E  # positron kinetic + E_nu for E_x = 0
E_NU_MAX = Q_NUCLEAR_GS - E_THRESHOLD
EX_GRID = np.linspace(E_THRESHOLD, Q_NUCLEAR_GS, 4001)[1:-1]
TAIL_EMIN = (8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0)
FIT_EMIN = 7.0
OUTPUT_GRID = np.linspace(0.0, E_NU_MAX, 338)
COMMAND = "python resources/derivation/solar_8b.py ../shared/reference"


def excitation_density(params):
    """Final-state 8Be excitation distribution rho on ``EX_GRID`` (unnormalised).

    Parameters
    ----------
    params : sequence of float
        (E_r [MeV], Gamma_r [MeV], b [1/MeV], c).

    Returns
    -------
    numpy.ndarray
    """
    e_r, gamma_r, tilt, width_power = params
    e = EX_GRID - E_THRESHOLD
    width = gamma_r * (e / (e_r - E_THRESHOLD)) ** width_power
    barrier = np.exp(-GAMOW / np.sqrt(e) - tilt * EX_GRID)
    return barrier / ((EX_GRID - e_r) ** 2 + width**2 / 4.0)


def spectrum(e_nu, params):
    """Unit-normalised 8B neutrino spectrum on the grid ``e_nu`` [1/MeV].

    Parameters
    ----------
    e_nu : numpy.ndarray
        Increasing neutrino energy grid [MeV] spanning the spectrum.
    params : sequence of float
        Excitation-density parameters, see :func:`excitation_density`.

    Returns
    -------
    numpy.ndarray
    """
    w_endpoint = Q_NUCLEAR_GS - EX_GRID + common.M_E
    branches = common.allowed_neutrino_shape(e_nu[:, None], w_endpoint[None, :], Z_DAUGHTER, MASS_NUMBER)
    psi = branches @ excitation_density(params)
    return psi / np.trapezoid(psi, e_nu)


def tail_ratios(e_model, psi_model, e_ref, psi_ref):
    """Ratios model/reference of the coherent-scattering tail integrals."""
    return np.array(
        [
            common.tail_integral(e_model, psi_model, e_min) / common.tail_integral(e_ref, psi_ref, e_min)
            for e_min in TAIL_EMIN
        ]
    )


def fit(e_ref, psi_ref):
    """Fit the excitation-density parameters to the reference spectrum.

    Residuals: absolute spectrum difference (weight 4 above 7 MeV), 2 % of the
    log ratio above 7 MeV where the reference exceeds 1e-6/MeV, and 30 % of
    the tail-integral ratio deviations.

    Returns
    -------
    numpy.ndarray
        Best-fit (E_r, Gamma_r, b, c).
    """
    weight = np.where(e_ref > FIT_EMIN, 4.0, 1.0)
    tail = (e_ref > FIT_EMIN) & (psi_ref > 1e-6)

    def residuals(params):
        psi = spectrum(e_ref, params)
        return np.concatenate(
            [
                weight * (psi - psi_ref),
                0.02 * np.log(psi[tail] / psi_ref[tail]),
                0.3 * (tail_ratios(e_ref, psi, e_ref, psi_ref) - 1.0),
            ]
        )

    return least_squares(residuals, [3.0, 1.5, 0.0, 0.0], x_scale="jac").x


def main():
    """Fit, validate and write the table."""
    ref_path = common.reference_dir(__doc__.splitlines()[0]) / "solar" / "8B_spectrum_normalised.csv"
    e_ref, psi_ref = common.load_reference(ref_path)
    params = fit(e_ref, psi_ref)

    psi_out = spectrum(OUTPUT_GRID, params)
    psi_at_ref = np.interp(e_ref, OUTPUT_GRID, psi_out)
    window = (e_ref >= FIT_EMIN) & (e_ref <= 14.0)
    max_dev, rms_dev = common.relative_deviation(psi_at_ref[window], psi_ref[window])
    bulk = (e_ref >= 2.0) & (e_ref < FIT_EMIN)
    max_bulk, rms_bulk = common.relative_deviation(psi_at_ref[bulk], psi_ref[bulk])
    low = (e_ref >= 0.3) & (e_ref < 2.0)
    max_low, _ = common.relative_deviation(psi_at_ref[low], psi_ref[low])
    ratios = tail_ratios(OUTPUT_GRID, psi_out, e_ref, psi_ref)

    header = [
        "8B solar neutrino spectrum, unit-normalised: integral over E_nu = 1 (trapezoid on this grid).",
        "Columns: E_nu_MeV = neutrino energy [MeV]; spectrum_per_MeV = dN/dE_nu / N [1/MeV].",
        "Physics: allowed Gamow-Teller beta+ shape psi propto E_nu^2 p_e W F0(Z=4, e+; W),"
        " W = Q_gs - 2 m_e - E_x + m_e - E_nu,",
        "  F0 = relativistic Fermi function (point charge at R = 1.2 A^(1/3) fm, A = 8),"
        " folded over the 8Be* 2+ excitation density rho(E_x)",
        "  with each branch weighted by its own phase space.",
        f"  Q_gs = {Q_ATOMIC_GS} MeV (8B -> 8Be g.s. atomic mass difference), m_e = {common.M_E} MeV,"
        f" 2-alpha threshold E_th = {E_THRESHOLD} MeV,",
        f"  endpoint E_nu,max = Q_gs - 2 m_e - E_th = {E_NU_MAX:.4f} MeV.",
        "  rho(E_x) = exp(-G/sqrt(E_x - E_th) - b E_x) / ((E_x - E_r)^2 + Gamma(E_x)^2/4),"
        " Gamma(E_x) = Gamma_r ((E_x - E_th)/(E_r - E_th))^c,",
        f"  G = 2 pi Z_a^2 alpha sqrt(m_alpha c^2 / 4) = {GAMOW:.4f} MeV^1/2 (alpha-alpha Gamow factor, fixed).",
        "Fit parameters (least squares to the reference spectrum, weighted to E_nu > 7 MeV and to the tail integrals):",
        f"  E_r = {params[0]:.5f} MeV, Gamma_r = {params[1]:.5f} MeV, b = {params[2]:.5f} 1/MeV, c = {params[3]:.5f}",
        f"Residual vs reference, 7 <= E_nu <= 14 MeV: max |rel. dev.| = {max_dev:.4f}, rms = {rms_dev:.4f};",
        f"  2 <= E_nu < 7 MeV: max = {max_bulk:.4f}, rms = {rms_bulk:.4f};"
        f" 0.3 <= E_nu < 2 MeV: max = {max_low:.4f} (table below reference; irrelevant for CEvNS).",
        "Tail integrals int_{Emin} psi (1 - Emin^2/E^2) dE, ratio this table / reference:",
        "  " + ", ".join(f"Emin={e:.0f}: {r:.4f}" for e, r in zip(TAIL_EMIN, ratios, strict=False)),
        "Reference used only as fit target / validation: cajohare/NeutrinoFog 8B_spectrum_normalised.csv"
        " (based on Winter et al. 2006 / Bahcall et al. 1996).",
        "Sources: W. T. Winter et al., Phys. Rev. C 73, 025503 (2006);"
        " J. N. Bahcall et al., Phys. Rev. C 54, 411 (1996);",
        "  D. H. Wilkinson, Nucl. Instrum. Meth. 82, 122 (1970) (Fermi function);"
        " M. Wang et al., Chin. Phys. C 45, 030003 (2021) (AME2020 masses).",
        f"Regenerate (from the repository root): {COMMAND}",
    ]
    common.write_solar_spectrum("8B", header, OUTPUT_GRID, psi_out, TAIL_EMIN, ratios)


if __name__ == "__main__":
    main()
