"""Derive ``resources/supernova/core_profile_SFHo_s18.6.csv`` from smooth fits.

Smooth analytic functions of the radius r [km] are fitted to the public
Garching-archive hydro profile of the 18.6 Msun SFHo model (Bollig et al.
2020, arXiv:2005.07141) at t_pb = 0.9995 s over 0 < r <= 60 km:

    log10 rho = a - c ln(1 + (r/r_c)^p) - D L((r - r_1)/w_1)^nu
    ln T      = a + b L((r - r_a)/w_a) - D L((r - r_b)/w_b) - p ln(1 + (r/r_t)^2)
    Y_e       = y_0 - d_1 L((r - r_1)/w_1) - d_2 L((r - r_2)/w_2) + d_3 L((r - r_3)/w_3)
    mu        = mu_inf + A_1 exp(-exp((r - r_1)/w_1)) + A_2 L(-(r - r_2)/w_2)

with L(x) = 1 / (1 + exp(-x)) the logistic function; the last form is used
for both the nu_e and the electron chemical potential.  The fitted
parameters are rounded to six significant digits and the table is evaluated
from the rounded values on our own grid r = 0.5, 1.0, ..., 60 km, so the
header fully specifies it.  The reference rows are used only as a fit target
and for validation, never copied.

Usage (from the repository root)::

    python resources/derivation/core_profile.py ../shared/reference
"""

import common
import numpy as np
from scipy.optimize import curve_fit

REFERENCE_NAME = "core_profile_SFHo_s18.6_tpb1.0s.txt"
OUTPUT = common.RESOURCES / "supernova" / "core_profile_SFHo_s18.6.csv"
COMMAND = "python resources/derivation/core_profile.py ../shared/reference"
R_MAX_FIT = 60.0  # outer edge of the fitted region [km]
FIT_GRID = np.arange(0.25, R_MAX_FIT + 1e-9, 0.25)  # uniform resampling of the target [km]
OUTPUT_GRID = 0.5 * np.arange(1, 121)  # 0.5, 1.0, ..., 60 km
RESIDUAL_WINDOW = (5.0, 45.0)  # [km]
CM_PER_KM = 1.0e5
# Reference columns (0-based): radius [cm], density [g/cm^3], T [MeV], mu_nu [MeV], mu_e [MeV], Y_e.
COL_R, COL_RHO, COL_T, COL_MUNU, COL_MUE, COL_YE = 0, 2, 4, 8, 9, 19
N_COLUMNS = 25
COLUMN_NAMES = [
    "r_km",
    "density_g_cm3",
    "temperature_MeV",
    "electron_fraction",
    "nue_chemical_potential_MeV",
    "electron_chemical_potential_MeV",
]


def logistic(x):
    """Logistic function 1 / (1 + exp(-x)), evaluated without overflow.

    Parameters
    ----------
    x : numpy.ndarray

    Returns
    -------
    numpy.ndarray
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


def log10_density(r, a, c, r_c, p, d, r_1, w_1, nu):
    """log10 of the density [g/cm^3]: slow envelope plus a generalised-logistic drop.

    Parameters
    ----------
    r : numpy.ndarray
        Radius [km].
    a, c, r_c, p, d, r_1, w_1, nu : float
        Central value, envelope amplitude/scale [km]/power, drop depth,
        drop radius [km], drop width [km], drop asymmetry exponent.

    Returns
    -------
    numpy.ndarray
    """
    return a - c * np.log1p((r / r_c) ** p) - d * logistic((r - r_1) / w_1) ** nu


def log_temperature(r, a, b, r_a, w_a, d, r_b, w_b, p, r_t):
    """Natural log of the temperature [MeV]: hot-mantle bump on a power-law decline.

    Parameters
    ----------
    r : numpy.ndarray
        Radius [km].
    a, b, r_a, w_a, d, r_b, w_b, p, r_t : float
        Central value, rise (amplitude, radius [km], width [km]), fall
        (amplitude, radius [km], width [km]), envelope power and scale [km].

    Returns
    -------
    numpy.ndarray
    """
    return a + b * logistic((r - r_a) / w_a) - d * logistic((r - r_b) / w_b) - p * np.log1p((r / r_t) ** 2)


def electron_fraction(r, y_0, d_1, r_1, w_1, d_2, r_2, w_2, d_3, r_3, w_3):
    """Electron fraction Y_e: two logistic decreases and one logistic rise.

    Parameters
    ----------
    r : numpy.ndarray
        Radius [km].
    y_0, d_1, r_1, w_1, d_2, r_2, w_2, d_3, r_3, w_3 : float
        Central value and (amplitude, radius [km], width [km]) of each step.

    Returns
    -------
    numpy.ndarray
    """
    return y_0 - d_1 * logistic((r - r_1) / w_1) - d_2 * logistic((r - r_2) / w_2) + d_3 * logistic((r - r_3) / w_3)


def chemical_potential(r, mu_inf, a_1, r_1, w_1, a_2, r_2, w_2):
    """Chemical potential [MeV]: a Gompertz (inner core) plus a logistic (mantle) step.

    Parameters
    ----------
    r : numpy.ndarray
        Radius [km].
    mu_inf, a_1, r_1, w_1, a_2, r_2, w_2 : float
        Outer value [MeV] and (amplitude [MeV], radius [km], width [km]) of
        the Gompertz and of the logistic step.

    Returns
    -------
    numpy.ndarray
    """
    return mu_inf + a_1 * np.exp(-np.exp((r - r_1) / w_1)) + a_2 * logistic(-(r - r_2) / w_2)


# name, model, quantity transform of the reference, inverse transform, residual kind, initial guess
FITS = [
    ("log10 rho", log10_density, np.log10, lambda y: 10.0**y, "rel", [14.8, 1.0, 10.0, 2.0, 4.0, 20.0, 2.0, 1.0]),
    ("ln T", log_temperature, np.log, np.exp, "rel", [3.0, 0.8, 7.0, 1.0, 1.5, 13.0, 2.0, 0.7, 10.0]),
    ("Y_e", electron_fraction, None, None, "abs", [0.22, 0.08, 8.0, 0.5, 0.08, 14.0, 2.0, 0.47, 23.0, 1.5]),
    ("mu_nu", chemical_potential, None, None, "abs", [-0.7, 150.0, 8.0, 1.0, 10.0, 17.0, 1.0]),
    ("mu_e", chemical_potential, None, None, "abs", [0.0, 130.0, 8.0, 1.0, 140.0, 16.0, 2.0]),
]
REFERENCE_COLUMNS = [COL_RHO, COL_T, COL_YE, COL_MUNU, COL_MUE]


def load_profile(path):
    """Load the Garching hydro profile, skipping '#' lines and the shock-radius line.

    Parameters
    ----------
    path : pathlib.Path
        Reference profile (whitespace separated, 25 columns).

    Returns
    -------
    numpy.ndarray
        Array of shape (rows, 25).
    """
    with open(path, encoding="utf-8") as handle:
        rows = [line for line in handle if line.strip() and not line.lstrip().startswith("#") and "=" not in line]
    data = np.loadtxt(rows, ndmin=2)
    if data.shape[1] != N_COLUMNS:
        raise ValueError(f"{path}: expected {N_COLUMNS} columns, found {data.shape[1]}")
    return data


def fit(model, r, y, p0):
    """Least-squares fit of ``model`` to ``y(r)``; parameters rounded to 6 significant digits.

    Parameters
    ----------
    model : callable
        ``model(r, *params)``.
    r, y : numpy.ndarray
        Uniform fit grid [km] and target values.
    p0 : list of float
        Initial guess.

    Returns
    -------
    numpy.ndarray
        Rounded best-fit parameters.
    """
    params, _ = curve_fit(model, r, y, p0=p0, maxfev=100000)
    return np.array([float(f"{value:.6g}") for value in params])


def main():
    """Fit, validate and write the table."""
    ref_path = common.reference_dir(__doc__.splitlines()[0]) / "supernova" / REFERENCE_NAME
    data = load_profile(ref_path)
    r_ref = data[:, COL_R] / CM_PER_KM
    inside = r_ref <= R_MAX_FIT + 2.0
    r_ref, data = r_ref[inside], data[inside]
    window = (r_ref >= RESIDUAL_WINDOW[0]) & (r_ref <= RESIDUAL_WINDOW[1])

    columns, param_lines, residual_lines = [OUTPUT_GRID], [], []
    for (name, model, transform, inverse, kind, p0), col in zip(FITS, REFERENCE_COLUMNS, strict=False):
        target = data[:, col] if transform is None else transform(data[:, col])
        # resample on a uniform radius grid so every km carries equal weight
        params = fit(model, FIT_GRID, np.interp(FIT_GRID, r_ref, target), p0)
        value = model(OUTPUT_GRID, *params)
        columns.append(value if inverse is None else inverse(value))
        model_ref = model(r_ref[window], *params)
        if kind == "rel":
            max_dev, rms_dev = common.relative_deviation(inverse(model_ref), data[window, col])
            residual_lines.append(f"  {name}: max |rel. dev.| = {max_dev:.4f}, rms = {rms_dev:.4f}")
        else:
            dev = np.abs(model_ref - data[window, col])
            residual_lines.append(f"  {name}: max |abs. dev.| = {dev.max():.4f}, rms = {np.sqrt(np.mean(dev**2)):.4f}")
        param_lines.append(f"  {name}: " + ", ".join(f"{p:.6g}" for p in params))
        print(residual_lines[-1].strip())

    header = [
        "Default supernova-core profile: astro-cevns's own smooth parametrisation of the 18.6 Msun SFHo",
        "  (with muons) model, fitted to the public Garching-archive hydro profile (Bollig et al. 2020,",
        f"  arXiv:2005.07141) at t_pb = 0.9995 s ~ 1.0 s ({REFERENCE_NAME}), 0 < r <= 60 km.",
        "Approximation: the paper (Suliga & Tamborra, PRD 103, 083002 (2021), arXiv:2010.14545) used the",
        "  profile of this model at t_pb ~ 0.25 s; this later snapshot is a more compact proto-neutron star",
        "  with a hotter core (steeper density fall-off, T peak ~ 45 MeV near 8 km). Results depending on it",
        "  are therefore approximate.",
        "Columns: r_km = radius [km]; density_g_cm3 = rest-mass density [g/cm^3]; temperature_MeV = T [MeV];",
        "  electron_fraction = Y_e; nue_chemical_potential_MeV = mu_nu_e [MeV];",
        "  electron_chemical_potential_MeV = mu_e [MeV] (both as defined in the hydro output).",
        "Functional forms (r in km, L(x) = 1/(1 + exp(-x))):",
        "  log10 rho = a - c ln(1 + (r/r_c)^p) - D L((r - r_1)/w_1)^nu",
        "  ln T = a + b L((r - r_a)/w_a) - D L((r - r_b)/w_b) - p ln(1 + (r/r_t)^2)",
        "  Y_e = y_0 - d_1 L((r - r_1)/w_1) - d_2 L((r - r_2)/w_2) + d_3 L((r - r_3)/w_3)",
        "  mu_nu, mu_e = mu_inf + A_1 exp(-exp((r - r_1)/w_1)) + A_2 L(-(r - r_2)/w_2)",
        "Fitted parameters (least squares on the reference resampled every 0.25 km; table evaluated from these):",
        "  log10 rho: a, c, r_c, p, D, r_1, w_1, nu; ln T: a, b, r_a, w_a, D, r_b, w_b, p, r_t;",
        "  Y_e: y_0, d_1, r_1, w_1, d_2, r_2, w_2, d_3, r_3, w_3; mu: mu_inf, A_1, r_1, w_1, A_2, r_2, w_2",
        *param_lines,
        f"Residuals vs the reference rows with {RESIDUAL_WINDOW[0]:g} <= r <= {RESIDUAL_WINDOW[1]:g} km"
        " (rel. for rho and T; abs. for Y_e and mu [MeV]):",
        *residual_lines,
        "  The largest mu deviations sit at the sharp inner-core edge near r ~ 9 km.",
        "Grid: r = 0.5, 1.0, ..., 60 km (120 points).",
        f"Regenerate (from the repository root): {COMMAND}",
    ]
    common.write_table(OUTPUT, header, COLUMN_NAMES, columns)


if __name__ == "__main__":
    main()
