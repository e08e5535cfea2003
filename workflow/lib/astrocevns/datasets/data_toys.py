"""Pseudo-experiments of a data release's statistical model under a hypothesis (g, m): Neyman thresholds of q.

A toy of the hypothesis (g, m) is drawn at the nuisance parameters of the data's conditional fit at (g, m) (the
profiled theta_hat(g, m) and yields of :meth:`~astrocevns.datasets.xenonnt2024.model.ReleaseModel.profile`, the usual
Neyman / Feldman-Cousins construction with profiled nuisances): Poisson counts around mu of the model in every
bin, and the auxiliary measurements (the central values of the Gaussian constraints) drawn around the fitted
values with the constraints' widths. Each toy is then fitted as the data are, every nuisance profiled per toy
(its own counts and central values: :meth:`~astrocevns.datasets.xenonnt2024.model.ReleaseModel.with_data`), and

    q_1 = D_t(g, m) - min_{g'} D_t(g', m),      q_2 = D_t(g, m) - min_{g', m'} D_t(g', m'),                    (T1)

the minimum over g' >= 0 as :func:`astrocevns.datasets.recasting.best_fit` finds the data's (the Standard Model, a scan
on the search couplings where the rate changes, the least point refined by golden section in ln g), m' over the
hypothesis mass and the ``profile`` masses. The 90 % quantile of q_1 (q_2) replaces Wilks' 2.71 (4.61) at the
hypothesis. All toys of a hypothesis are problems of one profile: no loop over toys.

A model supports toys with the methods ``binned()``, ``expectation(cevns, best)``, ``constraints(best)``,
``with_data(counts, auxiliary)`` and ``take(rows)`` (:class:`astrocevns.datasets.xenonnt2024.model.ReleaseModel`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import recasting

GOLDEN_ITERATIONS = 15
"""Golden-section steps of a toy's best fit in ln g: 0.618^15 = 7e-4 of a bracket of two search steps (0.58 in ln g at
8 couplings per decade), an error of D below 1e-5 for the curvature of the dip at 1 MeV (about 100 per unit ln g
squared)."""

CHUNK = 20000
"""Problems per profile call."""


def draw(
    model: Any,
    response: Any,
    coefficients: Sequence[npt.ArrayLike],
    g: float,
    mass_index: int,
    rng: np.random.Generator,
    n_toys: int,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Toys of the hypothesis (g, mass ``mass_index`` of ``coefficients``) at the data's conditional fit there.

    Parameters
    ----------
    model : statistical model of the data (with the methods of the module docstring)
    response : its response (``templates``)
    coefficients : three ndarray (n_masses, n_nodes)
        The spectrum a + b g^2 + c g^4 at the response's nodes
        (:func:`astrocevns.datasets.recasting.coupling_templates`).
    g : float
    mass_index : int
    rng : numpy Generator
    n_toys : int

    Returns
    -------
    counts : ndarray, shape (n_toys, n_runs, n_bins)
    auxiliary : dict of str to ndarray (n_toys,)
        The central values of the constraints of each toy.
    """
    binned = model.binned()
    templates = recasting.coupling_templates(binned, response, coefficients)
    cevns = templates.at_couplings([g], [mass_index])
    _, best = binned.profile(cevns)
    mu = binned.expectation(cevns, best)[0].reshape(len(binned.event_bins), -1)
    counts = rng.poisson(mu, (n_toys, *mu.shape)).astype(float)
    auxiliary = {
        name: rng.normal(centre[0], width, n_toys) for name, (centre, width) in binned.constraints(best).items()
    }
    return counts, auxiliary


def deviance(toys: Any, templates: Any, toy: npt.ArrayLike, g: npt.ArrayLike, mass_index: npt.ArrayLike) -> np.ndarray:
    """D of the toys ``toy`` at couplings ``g`` and masses ``mass_index`` (flat arrays of one length), ``toys`` a
    model :meth:`with_data` and ``templates`` its coupling templates; :data:`CHUNK` problems at a time."""
    toy, g, mass_index = (np.asarray(v).ravel() for v in np.broadcast_arrays(toy, g, mass_index))
    out = np.empty(toy.size)
    for start in range(0, toy.size, CHUNK):
        rows = slice(start, start + CHUNK)
        out[rows] = toys.take(toy[rows]).profile(templates.at_couplings(g[rows], mass_index[rows]))[0]
    return out


def best_fits(toys: Any, templates: Any, n_toys: int, mass_index: npt.ArrayLike, search: np.ndarray) -> np.ndarray:
    """Each toy's least D over g >= 0 at every mass of ``mass_index``, shape (n_toys, n_masses): the Standard Model,
    the ``search`` couplings where the rate changes (:func:`astrocevns.datasets.recasting.rate_change`) and the least of
    them refined by golden section in ln g between its neighbours."""
    mass_index = np.asarray(mass_index)
    every = np.arange(n_toys)
    standard_model = deviance(toys, templates, every, 0.0, 0)
    relevant, _ = recasting.rate_change(templates, search, mass_index)
    scan = np.full((n_toys, search.size, mass_index.size), np.inf)
    rows, columns = np.nonzero(relevant)
    toy = np.repeat(every, rows.size)
    scan[toy, np.tile(rows, n_toys), np.tile(columns, n_toys)] = deviance(
        toys, templates, toy, np.tile(search[rows], n_toys), np.tile(mass_index[columns], n_toys)
    )
    least = np.argmin(scan, axis=1)  # (n_toys, n_masses)
    value = np.take_along_axis(scan, least[:, None, :], axis=1)[:, 0]
    log_g = np.log(search)
    inner = (least > 0) & (least < search.size - 1) & np.isfinite(value)
    t, j = np.nonzero(inner)
    if t.size:
        k = least[t, j]
        masses = mass_index[j]
        _, refined = recasting.golden_section(
            lambda x: deviance(toys, templates, t, np.exp(x), masses), log_g[k - 1], log_g[k + 1], GOLDEN_ITERATIONS
        )
        value[t, j] = np.minimum(value[t, j], refined)
    return np.minimum(value, standard_model[:, None])


def toy_statistics(
    model: Any,
    response: Any,
    coefficients: Sequence[npt.ArrayLike],
    g: float,
    counts: np.ndarray,
    auxiliary: dict[str, np.ndarray],
    search: np.ndarray,
    n_profile: int,
) -> tuple[np.ndarray, np.ndarray]:
    """q_1 and q_2 of eq. T1 of the toys (``counts``, ``auxiliary`` of :func:`draw`) of the hypothesis g at mass 0
    of ``coefficients``, the 2-dof minimum over its masses 0..n_profile - 1 (the hypothesis mass included)."""
    toys = model.with_data(counts, auxiliary)
    templates = recasting.coupling_templates(toys, response, coefficients)
    n_toys = counts.shape[0]
    at = deviance(toys, templates, np.arange(n_toys), g, 0)
    least = np.minimum(best_fits(toys, templates, n_toys, np.arange(n_profile), search), at[:, None])
    return at - least[:, 0], at - least.min(axis=1)


def observed_statistics(
    model: Any, templates: Any, g: np.ndarray, n_profile: int, search: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """q_1 and q_2 of eq. T1 of the data at the couplings ``g`` (mass 0 of ``templates``), their best fits as the
    data analysis finds them (:func:`astrocevns.datasets.recasting.best_fit`, the Standard Model included)."""
    at = recasting.profiled_deviance(model, templates, g, 0)
    standard_model = float(recasting.profiled_deviance(model, templates, 0.0, 0))
    here = min(standard_model, recasting.best_fit(model, templates, search, np.array([0]))[0], float(at.min()))
    everywhere = min(here, recasting.best_fit(model, templates, search, np.arange(n_profile))[0])
    return at - here, at - everywhere
