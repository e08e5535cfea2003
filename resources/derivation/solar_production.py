"""Fit the solar electron density and the 8B / hep production regions used by the MSW survival probability.

The adiabatic MSW-LMA survival probability of a solar nu_e depends on the electron density where it
is produced (astrocevns.physics.oscillations). The config describes the Sun by two smooth formulas,

    n_e(r) = n_c exp(-(r / r_n)^p)            [N_A cm^-3], r in solar radii, fitted for r < 0.35,
    dN/dr  propto r^2 exp(-(r / r_0)^k)         (per production region, unit-normalised),

whose parameters this script fits (least squares: log n_e, and the cumulative distribution of each
region) to a standard-solar-model table of neutrino production and prints them as config entries,
with the fit residuals and the change they make to the production-averaged P_ee (with the mixing
parameters of config/config.yaml).

The table is the B16-GS98 standard solar model (N. Vinyoles et al., ApJ 835, 202 (2017),
arXiv:1611.09867), file ``nudistr_b16_gs98.dat`` as distributed by A. Serenelli: columns r / R_sun,
T, log10(n_e / N_A cm^-3), mass, then the fraction of each neutrino flux produced per unit r
(pp, pep, hep, 7Be, 8B, ...). It is read as a fit target only, never copied.

Usage (from the repository root)::

    python resources/derivation/solar_production.py path/to/nudistr_b16_gs98.dat
"""

import sys
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import least_squares

from astrocevns.physics import constants, oscillations

CONFIG = Path(__file__).resolve().parents[2] / "config" / "config.yaml"

DENSITY_FIT_MAX_RADIUS = 0.35
COLUMNS = {"hep": 6, "8B": 8}


def stretched_exponential(parameters, r):
    n_c, r_n, p = parameters
    return n_c * np.exp(-((r / r_n) ** p))


def production_cdf(parameters, r):
    r_0, k = parameters
    density = r**2 * np.exp(-((r / r_0) ** k))
    return np.cumsum(density) / density.sum()


def main(path):
    table = np.loadtxt(path, comments="#")
    r, n_e = table[:, 0], 10.0 ** table[:, 2]
    inside = r < DENSITY_FIT_MAX_RADIUS
    density = least_squares(lambda q: np.log(stretched_exponential(q, r[inside]) / n_e[inside]), [100.0, 0.17, 1.5])
    deviation = np.max(np.abs(stretched_exponential(density.x, r[inside]) / n_e[inside] - 1.0))
    print(
        f"electron_density: {{central_NA_per_cm3: {density.x[0]:.5g}, scale_radius: {density.x[1]:.5g}, "
        f"exponent: {density.x[2]:.5g}}}   # max |rel. dev.| {deviation:.3f} for r < {DENSITY_FIT_MAX_RADIUS}"
    )
    mixing = oscillations.MixingParameters.from_config(yaml.safe_load(CONFIG.read_text())["oscillations"])
    sun = {
        "electron_density": dict(zip(("central_NA_per_cm3", "scale_radius", "exponent"), density.x, strict=True)),
        "production": {},
    }
    for region, column in COLUMNS.items():
        cdf = np.cumsum(table[:, column]) / table[:, column].sum()
        fit = least_squares(lambda q, cdf=cdf: production_cdf(q, r) - cdf, [0.05, 2.0])
        sun["production"][region] = {"scale_radius": fit.x[0], "exponent": fit.x[1]}
        E_MeV = np.geomspace(0.3, 20.0, 60)
        weights = table[:, column] / table[:, column].sum()
        exact = (
            oscillations.adiabatic_survival_probability(
                E_MeV[:, None], n_e[None, :] * constants.AVOGADRO_PER_MOL, mixing
            )
            @ weights
        )
        fitted = oscillations.solar_survival_probability(E_MeV, mixing, sun, region)
        print(
            f"{region}: {{scale_radius: {fit.x[0]:.5g}, exponent: {fit.x[1]:.5g}}}   # max |CDF dev.| "
            f"{np.max(np.abs(fit.fun)):.4f}; P_ee(0.3-20 MeV) within {np.max(np.abs(fitted - exact)):.1e} "
            "of the table's average"
        )


if __name__ == "__main__":
    main(sys.argv[1])
