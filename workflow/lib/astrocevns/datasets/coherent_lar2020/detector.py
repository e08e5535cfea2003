"""The CENNS-10 detector chain of Analysis A (LArParametersAnlA.yaml of the release) and the timing of the SNS
neutrinos.

A nuclear recoil of T [keVnr] gives the electron-equivalent energy

    E_ee = QF(T) T,   QF(T) = a + b T,   a = 0.246 +- 0.006,  b = 0.00078 +- 0.00009 keVnr^-1,        (D1)

reconstructed with a Gaussian resolution of width sigma(E_ee) = r sqrt(E_ee), r = 0.58 keVee^(1/2) (sigma / E =
0.58 / sqrt(E[keVee])), and accepted with the release's efficiency eps(E_rec), linear between its points (0.5 keVee
apart up to 39.75 keVee) and constant beyond them. The release tabulates the efficiency against reconstructed
energy; it is applied there (the choice matters only inside a 10 keVee bin; the CEvNS spectrum binned this way
is 0.2 % closer to the release's energy projection than with the efficiency at E_ee, tests). The probability that
a recoil of E_ee lands, accepted, in the reconstructed-energy bin [l, h] is

    p(l, h | E_ee) = int_l^h eps(x) N(x; E_ee, sigma(E_ee)) dx,                                          (D2)

exact for the piecewise-linear eps: on a piece eps = alpha + beta x,
int (alpha + beta x) N dx = (alpha + beta mu) [Phi(z)] - beta sigma [phi(z)], z = (x - mu) / sigma.

Timing. Protons arrive with the Gaussian POT trace (mean t_0, width w = 150 ns); the prompt nu_mu follow the pi+
decay (tau_pi = 26.033 ns), the delayed nu_e and anti-nu_mu the mu+ decay after it (tau_mu = 2196.98 ns; PDG 2022).
Their time densities are the Gaussian convolved with one exponential (prompt) or with the difference of two
(delayed, (e^(-t/tau_mu) - e^(-t/tau_pi)) / (tau_mu - tau_pi)); in each time bin of the analysis

    prompt: [G_pi(t)],   delayed: [(tau_mu G_mu(t) - tau_pi G_pi(t)) / (tau_mu - tau_pi)],              (D3)

G_tau the CDF of the exponentially modified Gaussian (Gaussian + exponential of mean tau), each profile normalised
to one inside the window -0.1 to 4.9 us, as the release's CEvNS PDF is (tests).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr
from scipy.stats import exponnorm

PION_LIFETIME_US = 0.026033
MUON_LIFETIME_US = 2.1969811
"""Mean lives of pi+ and mu+ (R. L. Workman et al. (PDG), Prog. Theor. Exp. Phys. 2022, 083C01)."""


def quenched_keVee(T_keVnr: npt.ArrayLike, a: float, b_per_keVnr: float) -> np.ndarray:
    """E_ee = (a + b T) T of eq. D1 [keVee]."""
    T = np.asarray(T_keVnr, dtype=float)
    return (a + b_per_keVnr * T) * T


def resolution_keVee(E_keVee: npt.ArrayLike, r_sqrt_keVee: float) -> np.ndarray:
    """sigma = r sqrt(E_ee) [keVee] (sigma / E = r / sqrt(E))."""
    return r_sqrt_keVee * np.sqrt(np.maximum(np.asarray(E_keVee, dtype=float), 0.0))


def _gaussian_linear(lo, hi, alpha, beta, mu, sigma):
    """int_lo^hi (alpha + beta x) N(x; mu, sigma) dx, broadcasting."""
    zl, zh = (lo - mu) / sigma, (hi - mu) / sigma
    density = np.exp(-0.5 * zh**2) - np.exp(-0.5 * zl**2)
    return (alpha + beta * mu) * (ndtr(zh) - ndtr(zl)) - beta * sigma * density / np.sqrt(2.0 * np.pi)


def bin_acceptance(
    E_keVee: npt.ArrayLike,
    edges_keVee: npt.ArrayLike,
    efficiency_keVee: npt.ArrayLike,
    efficiency: npt.ArrayLike,
    r_sqrt_keVee: float,
) -> np.ndarray:
    """p(l, h | E_ee) of eq. D2 for every reconstructed-energy bin; shape E_ee.shape + (n_bins,).

    The efficiency is linear between its points and constant beyond the ends (0 below the first, 0.25 keVee).
    """
    mu = np.asarray(E_keVee, dtype=float)[..., None]
    sigma = np.maximum(resolution_keVee(mu, r_sqrt_keVee), 1e-12)
    edges = np.asarray(edges_keVee, dtype=float)
    x, eps = np.asarray(efficiency_keVee, dtype=float), np.asarray(efficiency, dtype=float)
    inside = x[(x > edges[0]) & (x < edges[-1])]
    breaks = np.union1d(edges, inside)
    lo, hi = breaks[:-1], breaks[1:]
    e_lo, e_hi = np.interp(lo, x, eps), np.interp(hi, x, eps)
    beta = (e_hi - e_lo) / (hi - lo)
    pieces = _gaussian_linear(lo, hi, e_lo - beta * lo, beta, mu, sigma)
    owner = np.searchsorted(edges, lo, side="right") - 1
    out = np.zeros(mu.shape[:-1] + (edges.size - 1,))
    for k in range(edges.size - 1):  # the 12 bins, not grid points
        out[..., k] = pieces[..., owner == k].sum(axis=-1)
    return out


def time_profiles(edges_us: npt.ArrayLike, mean_us: float, width_us: float) -> np.ndarray:
    """(prompt, delayed) fractions per time bin of eq. D3, each normalised inside the window; shape (2, n_bins)."""
    edges = np.asarray(edges_us, dtype=float)

    def cdf(tau):
        return exponnorm.cdf(edges, tau / width_us, loc=mean_us, scale=width_us)

    prompt = np.diff(cdf(PION_LIFETIME_US))
    delayed = np.diff(
        (MUON_LIFETIME_US * cdf(MUON_LIFETIME_US) - PION_LIFETIME_US * cdf(PION_LIFETIME_US))
        / (MUON_LIFETIME_US - PION_LIFETIME_US)
    )
    profiles = np.array([prompt, delayed])
    return profiles / profiles.sum(axis=1, keepdims=True)


def fit_timing(
    release_profile: npt.ArrayLike, edges_us: npt.ArrayLike, width_us: float, start_mean_us: float
) -> tuple[float, float, float]:
    """The POT-trace mean t_0 and the prompt fraction phi for which phi prompt + (1 - phi) delayed (eq. D3) is
    closest (least squares) to the release's CEvNS time profile; returns (t_0 [us], phi, max |residual|).

    The release's time origin differs from the trace mean of its YAML by about 10 ns (with t_0 = 440 ns the
    largest residual is 8e-3, with the fitted t_0 7e-4; tests/test_coherent_lar2020.py).
    """
    from scipy.optimize import least_squares

    target = np.asarray(release_profile, dtype=float)

    def residual(x):
        prompt, delayed = time_profiles(edges_us, x[0], width_us)
        return x[1] * prompt + (1.0 - x[1]) * delayed - target

    fit = least_squares(residual, [start_mean_us, 0.25])
    return float(fit.x[0]), float(fit.x[1]), float(np.max(np.abs(fit.fun)))
