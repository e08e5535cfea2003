"""Arrival-time PDFs of the pi-DAR neutrinos at COHERENT CsI[Na] and the timing efficiency.

The protons arrive on target with a Gaussian time profile (the POT trace) of mean mu and width sigma in the
release's recoil time trec. A pi+ decays after an exponential time of lifetime tau_pi, its mu+ after one of
tau_mu; the prompt nu_mu follows the pion decay, the delayed nu_e and anti-nu_mu the muon decay (the 64 ns
flight over 19.3 m is absorbed in mu). With Phi the standard normal CDF and z = (t - mu) / sigma, the
Gaussian convolved with one exponential of lifetime tau (the exponentially modified Gaussian) has the CDF

    F(t; tau) = Phi(z) - exp(sigma^2 / (2 tau^2) - (t - mu) / tau) Phi(z - sigma / tau),                  (T1)

so that the prompt neutrinos have F(t; tau_pi) and the delayed ones, the Gaussian convolved with the sum of
the two exponential times,

    F_d(t) = [tau_mu F(t; tau_mu) - tau_pi F(t; tau_pi)] / (tau_mu - tau_pi).                               (T2)

Events are kept with the timing efficiency (third-party value, see resources/coherent_csi_2021/README.md)

    eff_T(t) = 1 for t < t_0,   exp(-k (t - t_0)) for t >= t_0.                                              (T3)

The expected fraction of a group in a time bin is the integral of its density times eff_T over the bin
(:func:`bin_probabilities`, Gauss-Legendre on each bin split at t_0).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

PION_LIFETIME_US = 0.026033
"""pi+ lifetime [us] (PDG 2022: 2.6033e-8 s)."""
MUON_LIFETIME_US = 2.1969811
"""mu+ lifetime [us] (PDG 2022: 2.1969811e-6 s)."""

TIMING_GROUPS = ("prompt", "delayed")
"""The neutrinos by their time of arrival: prompt nu_mu (pion decay), delayed nu_e and anti-nu_mu (muon decay)."""
GROUP_COMPONENTS = {"prompt": ("numu",), "delayed": ("nue", "numubar")}
"""The pi-DAR components (astrocevns.physics.fluxes.pion_decay_at_rest_fluence) of each timing group."""


def _log_tail(t, mean_us, width_us, lifetime_us):
    """ln of exp(sigma^2 / (2 tau^2) - (t - mu) / tau) Phi(z - sigma / tau), the second term of eq. T1."""
    from scipy.special import log_ndtr  # scipy in the functions: the workflow imports this module to plan the run

    z = (t - mean_us) / width_us
    return width_us**2 / (2.0 * lifetime_us**2) - (t - mean_us) / lifetime_us + log_ndtr(z - width_us / lifetime_us)


def exponential_gaussian_cdf(t_us: npt.ArrayLike, mean_us: float, width_us: float, lifetime_us: float) -> np.ndarray:
    """Eq. T1: the CDF of a Gaussian (mean, width) convolved with an exponential of ``lifetime_us``."""
    from scipy.special import ndtr

    t = np.asarray(t_us, dtype=float)
    return ndtr((t - mean_us) / width_us) - np.exp(_log_tail(t, mean_us, width_us, lifetime_us))


def exponential_gaussian_pdf(t_us: npt.ArrayLike, mean_us: float, width_us: float, lifetime_us: float) -> np.ndarray:
    """The derivative of eq. T1 [1/us]: exp(...) Phi(z - sigma / tau) / tau."""
    return np.exp(_log_tail(np.asarray(t_us, dtype=float), mean_us, width_us, lifetime_us)) / lifetime_us


def prompt_cdf(t_us: npt.ArrayLike, mean_us: float, width_us: float) -> np.ndarray:
    """CDF of the prompt neutrinos' arrival time: eq. T1 with the pion lifetime."""
    return exponential_gaussian_cdf(t_us, mean_us, width_us, PION_LIFETIME_US)


def delayed_cdf(t_us: npt.ArrayLike, mean_us: float, width_us: float) -> np.ndarray:
    """Eq. T2: CDF of the delayed neutrinos' arrival time."""
    return (
        MUON_LIFETIME_US * exponential_gaussian_cdf(t_us, mean_us, width_us, MUON_LIFETIME_US)
        - PION_LIFETIME_US * exponential_gaussian_cdf(t_us, mean_us, width_us, PION_LIFETIME_US)
    ) / (MUON_LIFETIME_US - PION_LIFETIME_US)


def densities(t_us: npt.ArrayLike, mean_us: float, width_us: float) -> np.ndarray:
    """The densities [1/us] of the groups :data:`TIMING_GROUPS` at ``t_us``, shape (2,) + t.shape (derivatives
    of T1 with tau_pi and of T2)."""
    prompt = exponential_gaussian_pdf(t_us, mean_us, width_us, PION_LIFETIME_US)
    delayed = (
        MUON_LIFETIME_US * exponential_gaussian_pdf(t_us, mean_us, width_us, MUON_LIFETIME_US)
        - PION_LIFETIME_US * prompt
    ) / (MUON_LIFETIME_US - PION_LIFETIME_US)
    return np.stack([prompt, delayed])


def timing_efficiency(t_us: npt.ArrayLike, onset_us: float, slope_per_us: float) -> np.ndarray:
    """Eq. T3."""
    t = np.asarray(t_us, dtype=float)
    return np.where(t < onset_us, 1.0, np.exp(-slope_per_us * (t - onset_us)))


def efficiency_weighted_integrals(
    edges_us: npt.ArrayLike, density, onset_us: float, slope_per_us: float, nodes_per_bin: int = 16
) -> np.ndarray:
    """int over each bin of density(t) eff_T(t) dt: Gauss-Legendre with ``nodes_per_bin`` nodes on each bin,
    split at t_0 where eff_T has its kink (accuracy in tests/test_coherent_csi2021.py).

    ``density`` maps an array of times to (..., n_times); returns (..., n_bins).
    """
    edges = np.asarray(edges_us, dtype=float)
    cuts = np.union1d(edges, [onset_us] if edges[0] < onset_us < edges[-1] else [])
    x, w = np.polynomial.legendre.leggauss(nodes_per_bin)
    lo, hi = cuts[:-1, None], cuts[1:, None]
    t = 0.5 * (lo + hi) + 0.5 * (hi - lo) * x
    values = np.asarray(density(t.ravel()))
    values = values.reshape(values.shape[:-1] + t.shape)
    pieces = np.sum(values * timing_efficiency(t, onset_us, slope_per_us) * 0.5 * (hi - lo) * w, axis=-1)
    owner = np.searchsorted(edges, cuts[:-1], side="right") - 1  # the bin of each piece
    summed = np.zeros(pieces.shape[:-1] + (edges.size - 1,))
    np.add.at(np.moveaxis(summed, -1, 0), owner, np.moveaxis(pieces, -1, 0))  # summed[..., owner] += pieces
    return summed


def bin_probabilities(
    edges_us: npt.ArrayLike,
    mean_us: float,
    width_us: float,
    onset_us: float,
    slope_per_us: float,
    nodes_per_bin: int = 16,
) -> np.ndarray:
    """Fraction of the prompt and the delayed neutrinos' events (all recoils at t) kept in each time bin: the
    integral of their densities times eff_T (eq. T3) over the bin, shape (2, n_bins)."""
    return efficiency_weighted_integrals(
        edges_us, lambda t: densities(t, mean_us, width_us), onset_us, slope_per_us, nodes_per_bin
    )
