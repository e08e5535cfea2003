"""Pseudo-experiments (toys) for the Poisson chi-square of eqs. 21-24: expected bands and Neyman thresholds.

A toy draws the flux normalisation 1 + x from its prior (x ~ N(0, sigma), cut at x > -1) and Poisson counts in
every bin around (1 + x) N_i(g, m); it is then fitted as the Asimov data are, with the pull profiled against the
same prior (x / sigma)^2. The predicted counts are polynomials in g^2
(:func:`astrocevns.physics.rates.counts_from_polynomial`),
so the chi2 of many toys on a whole axis of couplings is one matrix product and a few element-wise operations:

    chi2_t(g) = 2 B_t (r - 1 - ln r) + 2 D_t(g) + (x / sigma)^2,
    D_t(g) = sum_i n_ti ln(n_ti / B_t) - sum_i n_ti ln(N_i(g) / A(g)),

with B_t = sum_i n_ti, A(g) = sum_i N_i(g) and the closed-form minimum over x of
:func:`astrocevns.inference.statistics.profiled_poisson_chi2`; the second sum of D is (toys x bins) @ (bins x
couplings).

Two uses:

- the expected exclusion: toys of the Standard Model, each toy's smallest excluded coupling
  g_min (delta chi2 from the toy's best fit over g above the threshold) at each mass; its median and quantiles
  are the bands a collaboration draws around the Asimov median;
- Neyman thresholds: toys under a hypothesis (g, m), the distribution of its test statistic q = chi2(g, m) minus
  the toy's best fit over g at that mass (1 dof) or over g and the masses of a grid (2 dof), whose 90 % quantile
  replaces Wilks' 2.71 or 4.61 in a Feldman-Cousins construction.

Seeds. Toys come in blocks of a fixed size (config key toys.block), each drawn from a generator seeded by the
SHA-256 of its identity (base seed, analysis and model or point, block index): a job's chunk is a run of whole
blocks, so any chunk reruns bit-identically on any machine and in any order, and the same toys split into more or
fewer jobs give the same merged table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from ..tables import io
from . import exclusion, statistics

BAND_QUANTILES = {"q025": 0.025, "q16": 0.16, "median": 0.5, "q84": 0.84, "q975": 0.975}
"""Columns of the expected bands: the 2.5, 16, 50, 84 and 97.5 % quantiles of g_min (+-1 and +-2 sigma)."""


def generator(*identity) -> np.random.Generator:
    """A PCG64 generator seeded by the SHA-256 of ``identity`` (JSON-serialisable values: seed, names, numbers)."""
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).digest()
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(np.frombuffer(digest, dtype=np.uint32))))


@dataclass(frozen=True)
class Prediction:
    """Counts N_i = a_i + b_i g^2 + c_i g^4 at several masses, the bins of all detectors of an analysis side by side.

    Attributes
    ----------
    coefficients : tuple of three ndarray, each shape (n_masses, n_bins)
    sigma : float
        Normalisation uncertainty of the source (its prior on the pull).
    """

    coefficients: tuple[np.ndarray, np.ndarray, np.ndarray]
    sigma: float

    def counts(self, g: np.ndarray) -> np.ndarray:
        """Counts on the coupling axis ``g`` (shape (n_g,)) at every mass, shape (n_masses, n_g, n_bins)."""
        a, b, c = (np.asarray(v, dtype=float)[:, None, :] for v in self.coefficients)
        g2 = (np.asarray(g, dtype=float) ** 2)[None, :, None]
        return a + g2 * (b + g2 * c)


def draw(rng: np.random.Generator, expected: np.ndarray, sigma: float, n_toys: int) -> np.ndarray:
    """Toy counts, shape (n_masses, n_toys, n_bins): Poisson around (1 + x) ``expected`` (shape (n_masses, n_bins)),
    x ~ N(0, sigma) cut at x > -1, one x per toy and mass."""
    expected = np.asarray(expected, dtype=float)
    x = rng.normal(0.0, sigma, (expected.shape[0], n_toys))
    while np.any(x <= -1.0):  # redraw the (for sigma <= 0.25, < 1e-4) normalisations that would be negative
        bad = x <= -1.0
        x[bad] = rng.normal(0.0, sigma, int(bad.sum()))
    return rng.poisson((1.0 + x)[..., None] * expected[:, None, :]).astype(float)


def chi2_on_axis(data: np.ndarray, counts: np.ndarray, sigma: float) -> np.ndarray:
    """chi2 minimised over the pull of every toy at every coupling of an axis, shape (n_masses, n_toys, n_g).

    ``data`` has shape (n_masses, n_toys, n_bins) (non-integer counts allowed: Asimov data), ``counts``
    (n_masses, n_g, n_bins), the prediction at each coupling of the axis. A bin predicted empty where a toy has
    events excludes that coupling (chi2 ~ 1e300). Agrees with :func:`astrocevns.inference.statistics.profiled_chi2` to
    about 1e-12 of the events (``tests/test_toys.py``).
    """
    A = counts.sum(axis=-1)
    B = data.sum(axis=-1)
    log_shape = np.log(np.maximum(counts, 1e-300) / A[..., None])
    own_shape = xlogy(data, data / np.maximum(B, 1e-300)[..., None]).sum(axis=-1)
    D = np.maximum(own_shape[..., None] - data @ np.swapaxes(log_shape, -1, -2), 0.0)
    return statistics.profiled_poisson_chi2(A[:, None, :], B[..., None], D, sigma)[0]


def smallest_excluded(delta: np.ndarray, g: np.ndarray, threshold: float) -> np.ndarray:
    """Along the last axis of ``delta`` (delta chi2 on the couplings ``g``), the smallest g where it exceeds
    ``threshold``.

    The crossing is interpolated between the two couplings around it as a power law (ln delta linear in ln g),
    exact where delta ~ g^k: with the 200 points of the default axis over 9 decades (11 % steps) the bound of
    Asimov data agrees with the bisection of :func:`astrocevns.inference.bounds.smallest_excluded_coupling` to 0.5 %
    (``tests/test_toys.py``). NaN where nothing on the axis is excluded, g[0] where g[0] already is.
    """
    excluded = delta > threshold
    found = excluded.any(axis=-1)
    first = np.argmax(excluded, axis=-1)[..., None]
    below = np.maximum(first - 1, 0)
    d_lo = np.take_along_axis(delta, below, axis=-1)[..., 0]
    d_hi = np.take_along_axis(delta, first, axis=-1)[..., 0]
    first, below = first[..., 0], below[..., 0]
    log_g = np.log(g)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        power = (np.log(threshold) - np.log(d_lo)) / (np.log(d_hi) - np.log(d_lo))
        linear = (threshold - d_lo) / (d_hi - d_lo)
        fraction = np.clip(np.where((d_lo > 0.0) & np.isfinite(d_hi), power, linear), 0.0, 1.0)
    fraction = np.where(np.isfinite(fraction), fraction, 1.0)
    log_bound = log_g[below] + fraction * (log_g[first] - log_g[below])
    return np.where(found, np.where(first == 0, g[0], np.exp(log_bound)), np.nan)


def expected_g_min(
    prediction: Prediction,
    g: np.ndarray,
    threshold: float,
    rng: np.random.Generator | None,
    n_toys: int,
    data: np.ndarray | None = None,
) -> np.ndarray:
    """g_min of ``n_toys`` Standard-Model toys at every mass, shape (n_masses, n_toys) (or of the given ``data``,
    shape (n_masses, n, n_bins)).

    Each toy's delta chi2 is measured from its best fit over the couplings ``g`` and g = 0 (the Standard Model)
    at its mass.
    """
    if data is None:
        if rng is None:
            raise ValueError("expected_g_min: give the toys' generator rng or their data")
        data = draw(rng, prediction.coefficients[0], prediction.sigma, n_toys)
    axis = np.concatenate([[0.0], np.asarray(g, dtype=float)])
    chi2 = chi2_on_axis(data, prediction.counts(axis), prediction.sigma)
    delta = chi2[..., 1:] - chi2.min(axis=-1, keepdims=True)
    return smallest_excluded(delta, axis[1:], threshold)


def band_quantiles(g_min: np.ndarray) -> dict[str, float]:
    """:data:`BAND_QUANTILES` of toy bounds (a toy that excludes nothing in range counts as above every bound)."""
    values = np.where(np.isnan(g_min), np.inf, g_min)
    quantiles = np.quantile(values, list(BAND_QUANTILES.values()), method="inverted_cdf")
    return {
        name: (float(v) if np.isfinite(v) else float("nan")) for name, v in zip(BAND_QUANTILES, quantiles, strict=True)
    }


def hypothesis_statistics(
    hypothesis: Prediction, g: float, profile: Prediction, profile_g: np.ndarray, rng: np.random.Generator, n_toys: int
) -> tuple[np.ndarray, np.ndarray]:
    """q of toys drawn under the coupling g at the mass of ``hypothesis`` (one mass): (q with 1 dof, q with 2 dof).

    q_1 = chi2(g, m) - min over g' of chi2(g', m) (g' on ``profile_g`` and 0); q_2 also minimises over the masses
    of ``profile`` (e.g. a stride of the grid), on the same axis; both include the hypothesis itself, so q >= 0.
    """
    expected = hypothesis.counts(np.array([g]))[:, 0]
    data = draw(rng, expected, hypothesis.sigma, n_toys)
    at = chi2_on_axis(data, expected[:, None, :], hypothesis.sigma)[0, :, 0]
    axis = np.concatenate([[0.0], np.asarray(profile_g, dtype=float)])
    best_here = np.minimum(chi2_on_axis(data, hypothesis.counts(axis), hypothesis.sigma)[0].min(axis=-1), at)
    elsewhere = chi2_on_axis(
        np.broadcast_to(data, (profile.coefficients[0].shape[0], *data.shape[1:])), profile.counts(axis), profile.sigma
    ).min(axis=(0, 2))
    return at - best_here, at - np.minimum(best_here, elsewhere)


def neyman_bound(g: np.ndarray, asimov_delta: np.ndarray, thresholds: np.ndarray) -> float:
    """Smallest coupling where the Asimov delta chi2 exceeds the toy threshold, both given at the hypotheses ``g``
    (sorted), the crossing of their difference interpolated linearly in ln g; NaN if none, g[0] if the first."""
    excess = np.asarray(asimov_delta, dtype=float) - np.asarray(thresholds, dtype=float)
    above = np.flatnonzero(excess > 0.0)
    if above.size == 0:
        return float("nan")
    k = int(above[0])
    if k == 0:
        return float(g[0])
    fraction = -excess[k - 1] / (excess[k] - excess[k - 1])
    return float(np.exp(np.log(g[k - 1]) + fraction * (np.log(g[k]) - np.log(g[k - 1]))))


def family_prediction(
    family: dict, model: str, paths: dict, on_grid: bool, threshold: float, rows: slice | np.ndarray | None = None
) -> tuple[np.ndarray, Prediction]:
    """(masses, :class:`Prediction`) of the analysis of a family (its first variant, one source) for ``model``, from
    the spectra tables ``paths`` {(model, source, detector, efficiency): path} of a family spec (rule chi2's)."""
    variant, source = family["variants"][:1], family["sources"][0]
    spectra = exclusion.family_spectra(variant, [source], lambda key: io.read_columns(paths[(model, *key)])[0])[0]
    statistic = exclusion.Statistic("asimov_poisson", threshold, family["sigma"], family["statistics"]["pull_prior"])
    source_spectra = spectra[on_grid][source]
    prediction = prediction_of(source_spectra, statistic.sigma(source, len(variant[0]["members"])), rows)
    masses = source_spectra.masses_MeV if rows is None else source_spectra.masses_MeV[rows]
    return masses, prediction


def prediction_of(spectra: exclusion.SourceSpectra, sigma: float, rows: slice | np.ndarray | None = None) -> Prediction:
    """The :class:`Prediction` of a :class:`astrocevns.inference.exclusion.SourceSpectra` (detectors' bins side by
    side, as one
    shared pull sees them) at its masses ``rows`` (all by default)."""
    a, b, c = (np.concatenate([d[k] for d in spectra.detectors], axis=-1) for k in range(3))
    if rows is not None:
        a, b, c = a[rows], b[rows], c[rows]
    return Prediction((a, b, c), sigma)


def blocks_of_chunk(chunk: int, toys_per_chunk: int, block: int) -> range:
    """Indices of the blocks of ``block`` toys that chunk ``chunk`` of ``toys_per_chunk`` toys (a multiple) holds."""
    if toys_per_chunk % block:
        raise ValueError(f"toys_per_chunk ({toys_per_chunk}) must be a multiple of toys.block ({block})")
    per_chunk = toys_per_chunk // block
    return range(chunk * per_chunk, (chunk + 1) * per_chunk)


def coverage_chunk(
    hypothesis: Prediction,
    g_hypotheses: np.ndarray,
    profile: Prediction,
    profile_g: np.ndarray,
    identity: tuple,
    blocks: range,
    block: int,
) -> tuple[np.ndarray, np.ndarray]:
    """q with 1 and 2 dof (:func:`hypothesis_statistics`) of the toy ``blocks`` at each of ``g_hypotheses``, shape
    (n_hypotheses, len(blocks) x block) each; block b of hypothesis k is seeded by (``identity``, k, b)."""
    q = [
        [
            hypothesis_statistics(hypothesis, float(g), profile, profile_g, generator(*identity, k, b), block)
            for b in blocks
        ]
        for k, g in enumerate(g_hypotheses)
    ]
    q1, q2 = (np.stack([np.concatenate([part[i] for part in parts]) for parts in q]) for i in (0, 1))
    return q1, q2


def asimov_delta(prediction: Prediction, g: np.ndarray, profile_g: np.ndarray) -> np.ndarray:
    """delta chi2 of the Asimov (Standard-Model) data at the couplings ``g`` of every mass, from their best fit over
    ``profile_g`` and 0, shape (n_masses, n_g)."""
    sm = np.asarray(prediction.coefficients[0], dtype=float)[:, None, :]
    axis = np.concatenate([[0.0], np.asarray(profile_g, dtype=float)])
    best = chi2_on_axis(sm, prediction.counts(axis), prediction.sigma).min(axis=-1)
    return chi2_on_axis(sm, prediction.counts(g), prediction.sigma)[:, 0] - best
