"""The XENONnT 2024 response to a nuclear-recoil spectrum, built from the release's mono-energetic templates.

The release (arXiv:2409.17868, notebook 1 of its data release) builds the template of a recoil
spectrum dR/dE_r [events / (t yr keV)] in the 4-D analysis space as

    T_i(t_ly, t_qy) = int_{E_min}^{E_max} dR/dE_r(E) M_i(E, L_y(E; t_ly), Q_y(E; t_qy)) dE,        (R1)

with M_i(E, L, Q) the template of one event per tonne-year at recoil energy E, light yield L and
charge yield Q (events in analysis bin i per tonne-year), interpolated linearly between the
simulated (E, L, Q), and the yield curves of eq. R2 (:func:`shifted_yield`). The integral runs over
the region of interest [E_min, E_max] = [0.51, 5] keV spanned by the mono-energetic energies.

The release samples 2e4 recoil energies to evaluate R1; here it is a Gauss-Legendre sum on every
interval between adjacent mono-energetic energies. The template of any spectrum known at the
nodes is then one matrix product, T = R rate, so the coefficients (a, b, c) of a spectrum
a + b g^2 + c g^4 map to the coefficients of its template (:meth:`Response.templates`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from .release import Release


def shifted_yield(
    t: npt.ArrayLike,
    lower: np.ndarray,
    median: np.ndarray,
    upper: np.ndarray,
    floor: npt.ArrayLike,
    ceiling: npt.ArrayLike,
) -> np.ndarray:
    """The release's yield curve for a yield parameter t (eq. R2), on the grid of the given curves.

    Y(t) = median + t (upper - median) for t >= 0 and median + t (median - lower) for t < 0, clipped
    to [floor, ceiling] (the yields spanned by the mono-energetic templates).

    Parameters
    ----------
    t : array_like
        Yield parameters t_ly or t_qy; the result has shape t.shape + median.shape.
    lower, median, upper : ndarray
        The calibrated curves at t = -1, 0, +1 [quanta/keV].
    """
    t = np.asarray(t, dtype=float)[..., None]
    step = np.where(t >= 0.0, upper - median, median - lower)
    return np.clip(median + t * step, floor, ceiling)


def multilinear(axes: Sequence[np.ndarray], values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Linear interpolation of ``values`` tabulated on the grid ``axes`` at ``points``.

    Parameters
    ----------
    axes : sequence of ndarray
        Increasing coordinates of the first ``len(axes)`` axes of ``values``.
    values : ndarray, shape (len(axis_0), ..., len(axis_d-1)) + trailing
    points : ndarray, shape (..., d)
        Every coordinate must lie inside its axis.

    Returns
    -------
    ndarray, shape points.shape[:-1] + trailing
    """
    cells, fractions = [], []
    for dimension, axis in enumerate(axes):
        x = points[..., dimension]
        if np.any((x < axis[0]) | (x > axis[-1])):
            raise ValueError(
                f"interpolation outside axis {dimension}: [{x.min():g}, {x.max():g}] not within "
                f"[{axis[0]:g}, {axis[-1]:g}]"
            )
        cell = np.clip(np.searchsorted(axis, x, side="right") - 1, 0, axis.size - 2)
        cells.append(cell)
        fractions.append((x - axis[cell]) / (axis[cell + 1] - axis[cell]))
    trailing = (None,) * (values.ndim - len(axes))
    result: np.ndarray | float = 0.0
    for corner in itertools.product((0, 1), repeat=len(axes)):
        weight = np.prod([f if upper else 1.0 - f for f, upper in zip(fractions, corner, strict=True)], axis=0)
        corner_values = values[tuple(c + upper for c, upper in zip(cells, corner, strict=True))]
        result = result + weight[(...,) + trailing] * corner_values
    return np.asarray(result)


def recoil_nodes(energies_keV: np.ndarray | Sequence[float], nodes_per_interval: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights [keV] on every interval between adjacent ``energies_keV``."""
    x, w = np.polynomial.legendre.leggauss(nodes_per_interval)
    lo, hi = np.asarray(energies_keV[:-1])[:, None], np.asarray(energies_keV[1:])[:, None]
    return (0.5 * (lo + hi) + 0.5 * (hi - lo) * x).ravel(), (0.5 * (hi - lo) * w).ravel()


@dataclass(frozen=True)
class Response:
    """Eq. R1 as a matrix for every science run and yield anchor.

    Attributes
    ----------
    nodes_keV : ndarray, shape (n_nodes,)
        Recoil energies at which a spectrum is needed.
    matrix : ndarray, shape (n_runs, n_anchors, n_anchors, n_nodes, n_bins)
        Quadrature weight times the interpolated mono-energetic template at each node, for the
        yields at the anchors (t_ly, t_qy) [events per bin per tonne-year per (event / (t yr keV))].
    """

    nodes_keV: np.ndarray
    matrix: np.ndarray

    def templates(self, rate_per_t_yr_keV: npt.ArrayLike) -> np.ndarray:
        """Templates of spectra known at the nodes (eq. R1), events per bin per tonne-year.

        Parameters
        ----------
        rate_per_t_yr_keV : ndarray, shape (..., n_nodes)
            dR/dE_r at :attr:`nodes_keV` [events / (t yr keV)], e.g. one coefficient of a polynomial
            in g^2 for every mediator mass.

        Returns
        -------
        ndarray, shape (...) + (n_runs, n_anchors, n_anchors, n_bins)
        """
        rate = np.asarray(rate_per_t_yr_keV, dtype=float)
        return np.einsum("...k,rabkn->...rabn", rate, self.matrix)


def build_response(release: Release, nodes_per_interval: int) -> Response:
    """The :class:`Response` of a :class:`~astrocevns.datasets.xenonnt2024.release.Release` at its yield anchors.

    ``nodes_per_interval`` Gauss-Legendre nodes on each of the intervals between the mono-energetic
    energies (accuracy quoted in tests/test_xenonnt2024.py).
    """
    nodes, weights = recoil_nodes(release.mono_energy_keV, nodes_per_interval)
    bounds = release.mono_yield_per_keV[0], release.mono_yield_per_keV[-1]

    def yields_at_nodes(curves: np.ndarray) -> np.ndarray:
        on_grid = shifted_yield(release.anchors, curves[0], curves[1], curves[2], *bounds)
        return np.array([np.interp(nodes, release.yield_E_r_keV, curve) for curve in on_grid])

    light, charge = yields_at_nodes(release.light_yield), yields_at_nodes(release.charge_yield)
    shape = (release.anchors.size, release.anchors.size, nodes.size)
    points = np.stack(
        [
            np.broadcast_to(nodes, shape),
            np.broadcast_to(light[:, None, :], shape),
            np.broadcast_to(charge[None, :, :], shape),
        ],
        axis=-1,
    )
    axes = (release.mono_energy_keV, release.mono_yield_per_keV, release.mono_yield_per_keV)
    matrix = np.array([multilinear(axes, run.mono, points) for run in release.runs]) * weights[:, None]
    return Response(nodes, matrix)
