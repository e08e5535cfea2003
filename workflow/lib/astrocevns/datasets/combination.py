"""The combination of data analyses: the product of their likelihoods, a flux normalisation shared where the
physics shares it (COHERENT CsI and LAr see one SNS beam; each xenon dataset its own solar 8B, unless grouped).

With D_i(g, m; f) the profiled -2 ln L of dataset i at the CEvNS flux scale f (its own prior on f left out:
``profile(..., flux_scale=f)``), and groups G of datasets sharing a flux known to sigma_G,

    D(g, m) = sum_G min_f [ sum_{i in G} D_i(g, m; f) + ((f - 1) / sigma_G)^2 ] + sum_{i alone} D_i(g, m),      (C1)

a dataset in no group profiled with its own prior (``flux_scale=None``). The minimum over f is found for every
problem at once, in ln f: a grid ln f = sigma_G x {-2, ..., 2}, widened while its least value lies on an edge,
then Brent's steps (the vertex of the parabola through the bracket's three points, a golden-section step where
that vertex is not trusted) until the bracket is narrower than :data:`F_TOLERANCE` sigma_G: an error of D below
(1e-5)^2 of its curvature in units of sigma_G (a prior alone: 2e-10).

:class:`Combination` has the ``profile`` of a statistical model and :class:`CombinedTemplates` the
``at_couplings`` and ``total`` of :class:`astrocevns.datasets.recasting.CouplingTemplates`, so that
:func:`astrocevns.datasets.recasting.exclusion` and :func:`astrocevns.datasets.recasting.write_tables` give q(g, m)
against the
joint best fit (eq. Q1), its edges, bounds and intervals as for one dataset; :func:`combine` builds both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .recasting import CouplingTemplates

START_GRID = np.arange(-2.0, 3.0)
"""The first flux scales of a group, exp(sigma_G x these)."""

LOG_MIN_SCALE = np.log(1e-12)
"""ln of the least flux scale tried."""

F_TOLERANCE = 1e-5
"""The minimum over f ends when its bracket is narrower than this times sigma_G."""

MAX_WIDENINGS = 40
"""Steps of a bracket outwards (each 1.618 times the last) before the least value on an edge is taken as it is."""

MAX_STEPS = 60
"""Brent's steps of a bracket at most (a golden-section step narrows it by 0.618: 0.618^60 = 3e-13)."""

GOLDEN = 0.5 * (3.0 - np.sqrt(5.0))


@dataclass(frozen=True)
class FluxGroup:
    """Datasets (by name) that share a flux normalisation known to ``sigma`` (fractional, > 0)."""

    members: tuple[str, ...]
    sigma: float


@dataclass(frozen=True)
class CombinedTemplates:
    """The CEvNS templates of every dataset on one mass axis (dataset name -> CouplingTemplates).

    ``total`` (3, n_masses, n_datasets) holds each dataset's coefficients of g^0, g^2, g^4 summed over its
    response points and divided by its g^0 sum, so that the change of the summed events that
    :func:`astrocevns.datasets.recasting.best_fit` uses to choose where to search is the mean of the datasets' relative
    changes.
    """

    members: dict[str, CouplingTemplates]
    total: np.ndarray

    def at_couplings(self, coupling: npt.ArrayLike, mass_index: npt.ArrayLike) -> CombinedAt:
        """Every dataset's templates at couplings ``coupling`` and masses ``mass_index`` (flat, one length P)."""
        return CombinedAt({name: t.at_couplings(coupling, mass_index) for name, t in self.members.items()})


@dataclass(frozen=True)
class CombinedAt:
    """The template sources (``at(*point, rows=...)``) of every dataset at the couplings of P problems."""

    members: dict[str, Any]

    def take(self, rows: np.ndarray) -> CombinedAt:
        """The sources of the problems ``rows`` (indices, repeats allowed)."""
        return CombinedAt({name: source.take(rows) for name, source in self.members.items()})

    @property
    def n_problems(self) -> int:
        return int(next(iter(self.members.values())).g2.size)


class Combination:
    """Eq. C1: the statistical model of datasets ``models`` (name -> model with ``profile(..., flux_scale=)``)
    with the flux normalisations of ``groups`` (group name -> :class:`FluxGroup`) shared."""

    def __init__(self, models: Mapping[str, Any], groups: Mapping[str, FluxGroup]) -> None:
        self.models, self.groups = dict(models), dict(groups)
        seen: dict[str, str] = {}
        for name, group in self.groups.items():
            if not group.sigma > 0.0:
                raise ValueError(f"flux group {name!r}: sigma {group.sigma} is not positive")
            if not group.members:
                raise ValueError(f"flux group {name!r} has no datasets")
            for member in group.members:
                if member not in self.models:
                    raise KeyError(f"flux group {name!r}: no dataset {member!r}; known: {sorted(self.models)}")
                if member in seen:
                    raise ValueError(f"dataset {member!r} is in the flux groups {seen[member]!r} and {name!r}")
                seen[member] = name
        self.alone = [name for name in self.models if name not in seen]

    def profile(
        self,
        cevns: CombinedAt,
        signal: Any = None,
        signal_multiplier: npt.ArrayLike | None = None,
        flux_scale: npt.ArrayLike | None = None,
    ) -> tuple[np.ndarray, dict[str, dict[str, np.ndarray]]]:
        """D of eq. C1 for the P problems of ``cevns`` (e.g. ``CombinedTemplates.at_couplings``).

        Returns
        -------
        deviance : ndarray, shape (P,)
        best : dict
            ``flux_scale``: group name -> f (P,) where its minimum lies; ``deviance``: dataset name -> its D_i
            (P,) there (its own prior included for a dataset in no group).
        """
        if signal is not None or signal_multiplier is not None or flux_scale is not None:
            raise ValueError("a combination of datasets takes CEvNS templates only (no signal, no flux_scale)")
        total = np.zeros(cevns.n_problems)
        parts: dict[str, np.ndarray] = {}
        for name in self.alone:
            parts[name] = self.models[name].profile(cevns.members[name])[0]
            total += parts[name]
        scales = {}
        for name, group in self.groups.items():

            def members_at(rows: np.ndarray, f: np.ndarray, group: FluxGroup = group) -> np.ndarray:
                """D_i at the flux scales f of the problems ``rows``, shape (n_members, rows.size)."""
                return np.array(
                    [self.models[m].profile(cevns.members[m].take(rows), flux_scale=f)[0] for m in group.members]
                )

            f, value, member_values = minimise_flux(members_at, cevns.n_problems, group.sigma)
            scales[name] = f
            parts.update(zip(group.members, member_values, strict=True))
            total += value
        return total, {"flux_scale": scales, "deviance": parts}


def combine(
    datasets: Mapping[str, tuple[Any, CouplingTemplates]], groups: Mapping[str, FluxGroup | Mapping[str, Any]]
) -> tuple[Combination, CombinedTemplates]:
    """The statistical model (eq. C1) and the templates of a combination, for
    :func:`astrocevns.datasets.recasting.exclusion`.

    Parameters
    ----------
    datasets : mapping of str to (model, CouplingTemplates)
        Each dataset's statistical model and its CEvNS templates on one mass axis (the same masses, in the same
        order: those :func:`astrocevns.datasets.recasting.exclusion` is given).
    groups : mapping of str to FluxGroup or to {"members": [...], "sigma": float}
        The datasets sharing a flux normalisation, by group name; a dataset in none keeps its own prior.
    """
    if not datasets:
        raise ValueError("a combination needs at least one dataset")
    masses = {name: templates.total.shape[1] for name, (_, templates) in datasets.items()}
    if len(set(masses.values())) > 1:
        raise ValueError(f"the datasets' templates have different numbers of masses: {masses}")
    totals = []
    for _, templates in datasets.values():
        summed = templates.total.reshape(3, templates.total.shape[1], -1).sum(axis=2)
        totals.append(summed / summed[0])
    flux_groups = {
        name: group if isinstance(group, FluxGroup) else FluxGroup(tuple(group["members"]), float(group["sigma"]))
        for name, group in groups.items()
    }
    combined = CombinedTemplates({name: t for name, (_, t) in datasets.items()}, np.stack(totals, axis=-1))
    return Combination({name: model for name, (model, _) in datasets.items()}, flux_groups), combined


def minimise_flux(
    members_at: Callable[[np.ndarray, np.ndarray], np.ndarray], n_problems: int, sigma: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """min over f > 0 of h(f) = sum_i D_i(f) + ((f - 1) / sigma)^2 for every problem (the bracket of C1).

    The search runs in u = ln f (a scale: a bracket narrows relative to f, also where the data pull f far below 1):
    the grid u = sigma x :data:`START_GRID`, widened while its least value lies on an edge, then Brent's steps
    until the bracket is narrower than :data:`F_TOLERANCE` sigma in u.

    Parameters
    ----------
    members_at : callable
        ``members_at(rows, f)``: D_i of the problems ``rows`` at the flux scales ``f`` (one per row), shape
        (n_members, rows.size).
    n_problems : int
    sigma : float

    Returns
    -------
    f : ndarray, shape (P,)
        Where the minimum lies.
    h : ndarray, shape (P,)
        The minimum.
    members : ndarray, shape (n_members, P)
        The D_i there.
    """

    def h(rows: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f = np.exp(u)
        parts = members_at(rows, f)
        return parts.sum(axis=0) + ((f - 1.0) / sigma) ** 2, parts

    grid = sigma * START_GRID
    every = np.arange(n_problems)
    values, parts = h(np.repeat(every, grid.size), np.tile(grid, n_problems))
    values, parts = values.reshape(n_problems, grid.size), parts.reshape(-1, n_problems, grid.size)
    k = np.clip(np.argmin(values, axis=1), 1, grid.size - 2)
    three = np.stack([k - 1, k, k + 1], axis=1)
    x, fx = grid[three], np.take_along_axis(values, three, axis=1)  # (P, 3): a < b < c
    px = np.stack([np.take_along_axis(p, three, axis=1) for p in parts])
    x, fx, px = _widen(h, x, fx, px)
    u, value, member_values = _brent(h, x, fx, px, F_TOLERANCE * sigma)
    return np.exp(u), value, member_values


def _widen(h, x, fx, px):
    """Move each bracket (a, b, c) outwards while its least value lies on an edge, c -> c + 1.618 (c - b) or a ->
    a - 1.618 (b - a) (a at least :data:`LOG_MIN_SCALE`), until h(b) is least."""
    for _ in range(MAX_WIDENINGS):
        up = fx[:, 2] < fx[:, 1]
        rows = np.flatnonzero(up | (fx[:, 0] < fx[:, 1]) & (x[:, 0] > LOG_MIN_SCALE))
        if rows.size == 0:
            break
        up = up[rows]
        new = np.where(
            up,
            x[rows, 2] + 1.618 * (x[rows, 2] - x[rows, 1]),
            np.maximum(x[rows, 0] - 1.618 * (x[rows, 1] - x[rows, 0]), LOG_MIN_SCALE),
        )
        value, parts = h(rows, new)
        x[rows], fx[rows] = _shifted(x[rows], new, up), _shifted(fx[rows], value, up)
        px[:, rows] = np.moveaxis(_shifted(np.moveaxis(px[:, rows], 0, -2), parts.T[..., None], up), -2, 0)
    return x, fx, px


def _shifted(triple, new, up):
    """(b, c, new) where ``up``, else (new, a, b), of triples (..., 3) with ``new`` (...) or (..., k, 1)."""
    new = np.reshape(new, triple[..., :1].shape) if np.ndim(new) < triple.ndim else new
    up = np.reshape(up, (-1,) + (1,) * (triple.ndim - 1))
    return np.where(
        up, np.concatenate([triple[..., 1:], new], axis=-1), np.concatenate([new, triple[..., :-1]], axis=-1)
    )


def _brent(h, x, fx, px, tolerance):
    """Brent's minimisation in each bracket (a, b, c) with h(b) least (Press et al., Numerical Recipes, sec. 10.3,
    without its second and third best points: the parabola goes through a, b, c): the parabola's vertex where it
    lies inside the bracket and its step is less than half the one before last, else a golden-section step into
    the larger side; until c - a < ``tolerance``. Returns (b, h(b), D_i(b))."""
    a, b, c = (x[:, i].copy() for i in range(3))
    fa, fb, fc = (fx[:, i].copy() for i in range(3))
    pb = px[:, :, 1].copy()
    # a bracket whose least point is the least flux scale (the data prefer none) ends there
    at_zero = (fa <= fb) & (a <= LOG_MIN_SCALE)
    b[at_zero], fb[at_zero], pb[:, at_zero] = a[at_zero], fa[at_zero], px[:, at_zero, 0]
    last, before = c - a, c - a  # the last two steps' lengths
    active = np.flatnonzero(~at_zero & (c - a > tolerance))
    for _ in range(MAX_STEPS):
        if active.size == 0:
            break
        A, B, C, FA, FB, FC = a[active], b[active], c[active], fa[active], fb[active], fc[active]
        numerator = (B - A) ** 2 * (FB - FC) - (B - C) ** 2 * (FB - FA)
        denominator = (B - A) * (FB - FC) - (B - C) * (FB - FA)
        with np.errstate(divide="ignore", invalid="ignore"):
            vertex = B - 0.5 * numerator / denominator
        larger_right = (C - B) > (B - A)
        golden = np.where(larger_right, B + GOLDEN * (C - B), B - GOLDEN * (B - A))
        trusted = np.isfinite(vertex) & (vertex > A) & (vertex < C) & (np.abs(vertex - B) < 0.5 * before[active])
        new = np.where(trusted, vertex, golden)
        # never closer to b than a tenth of the tolerance (no information there)
        nudge = 0.1 * tolerance
        new = np.where(np.abs(new - B) < nudge, B + np.where(larger_right, nudge, -nudge), new)
        before[active], last[active] = last[active], np.abs(new - B)
        value, parts = h(active, new)
        better = value < FB
        right = new > B
        # the new bracket: (b, new, c) or (a, new, b) where new is better, else (a, b, new) or (new, b, c)
        a[active] = np.where(better, np.where(right, B, A), np.where(right, A, new))
        c[active] = np.where(better, np.where(right, C, B), np.where(right, new, C))
        fa[active] = np.where(better, np.where(right, FB, FA), np.where(right, FA, value))
        fc[active] = np.where(better, np.where(right, FC, FB), np.where(right, value, FC))
        b[active], fb[active] = np.where(better, new, B), np.where(better, value, FB)
        pb[:, active] = np.where(better[None, :], parts, pb[:, active])
        active = active[c[active] - a[active] > tolerance]
    return b, fb, pb
