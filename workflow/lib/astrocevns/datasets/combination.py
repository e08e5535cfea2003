"""The combination of data analyses: the product of their likelihoods, a flux normalisation shared where the
physics shares it (COHERENT CsI and LAr see one SNS beam; each xenon dataset its own solar 8B, unless grouped).

With D_i(g, m; f) the profiled -2 ln L of dataset i at the CEvNS flux scale f (its own prior on f left out:
``profile(..., flux_scale=f)``), and groups G of datasets sharing a flux known to sigma_G,

    D(g, m) = sum_G min_f [ sum_{i in G} D_i(g, m; f) + ((f - 1) / sigma_G)^2 ] + sum_{i alone} D_i(g, m),      (C1)

a dataset in no group profiled with its own prior (``flux_scale=None``). The minimum over f is found for every
problem at once, in ln f: the three points ln f = start + sigma_G x {-1, 0, 1} (:func:`flux_guess`: the scale that
brings the members' events back to the Standard Model's), the bracket widened while its least value lies on an
edge, then successive parabolic interpolation (the vertex of the parabola through the bracket's three points, a
golden-section step where that vertex is not trusted) until a trusted step is shorter than :data:`F_TOLERANCE`
sigma_G or changes h by less than :data:`D_TOLERANCE`: D to about 1e-7, in 9.7 evaluations of each member per
problem for CsI + LAr (``tests/benchmarks/bench_data_analyses.py --combination``; ``tests/test_combination.py``
checks the minimum against SciPy's bounded Brent to D_TOLERANCE).

:class:`Combination` has the ``profile`` of a statistical model and :class:`CombinedTemplates` the
``at_couplings`` and ``total`` of :class:`astrocevns.datasets.recasting.CouplingTemplates`, so that
:func:`astrocevns.datasets.recasting.exclusion` and :func:`astrocevns.datasets.recasting.write_tables` give q(g, m)
against the
joint best fit (eq. Q1), its edges, bounds and intervals as for one dataset; :func:`combine` builds both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .recasting import CouplingTemplates

START_GRID = np.arange(-1.0, 2.0)
"""The first flux scales of a group, exp(sigma_G x these) times the start (:func:`flux_guess`)."""

LOG_MAX_GUESS = 3.0
"""ln of the largest flux scale a search starts at (events far below the Standard Model's)."""

LOG_MIN_SCALE = np.log(1e-12)
"""ln of the least flux scale tried."""

F_TOLERANCE = 1e-5
"""The minimum over f ends when a trusted parabolic step is shorter than this times sigma_G (in ln f)."""

D_TOLERANCE = 1e-7
"""... or when h is flat to this (in D) over the bracket: where h is convex there, its minimum lies within this of
h(b) (the secants through b bound it from below), so that a flat tail (the data prefer no flux) ends at once."""

MAX_WIDENINGS = 40
"""Steps of a bracket outwards (each 1.618 times the last) before the least value on an edge is taken as it is."""

MAX_STEPS = 60
"""Steps in a bracket at most (a golden-section step narrows it by 0.618: 0.618^60 = 3e-13)."""

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
        g2, masses = np.asarray(coupling, dtype=float) ** 2, np.asarray(mass_index)
        a, b, c = self.total[:, masses]
        ratio = a + g2[:, None] * (b + g2[:, None] * c)
        return CombinedAt(
            {name: t.at_couplings(coupling, mass_index) for name, t in self.members.items()},
            {name: ratio[:, k] for k, name in enumerate(self.members)},
        )


@dataclass(frozen=True)
class CombinedAt:
    """The template sources (``at(*point, rows=...)``) of every dataset at the couplings of P problems, and the
    ratio of each dataset's events there to its Standard-Model events (``event_ratio``, each (P,))."""

    members: dict[str, Any]
    event_ratio: dict[str, np.ndarray]

    def take(self, rows: np.ndarray) -> CombinedAt:
        """The sources of the problems ``rows`` (indices, repeats allowed)."""
        return CombinedAt(
            {name: source.take(rows) for name, source in self.members.items()},
            {name: ratio[rows] for name, ratio in self.event_ratio.items()},
        )

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

            f, value, member_values = minimise_flux(
                members_at, cevns.n_problems, group.sigma, flux_guess(cevns, group.members)
            )
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


def flux_guess(cevns: CombinedAt, members: Sequence[str]) -> np.ndarray:
    """Where to start the search in ln f of each problem: the flux scale that brings the members' events back to
    the Standard Model's, -mean_i ln(N_i / N_i^SM), within [:data:`LOG_MIN_SCALE`, :data:`LOG_MAX_GUESS`] (the data
    of a point far inside the excluded region pull f down by the factor its events grew)."""
    with np.errstate(divide="ignore"):
        logs = np.log(np.maximum([cevns.event_ratio[member] for member in members], 0.0))
    return np.clip(-np.mean(logs, axis=0), LOG_MIN_SCALE, LOG_MAX_GUESS)


def minimise_flux(
    members_at: Callable[[np.ndarray, np.ndarray], np.ndarray],
    n_problems: int,
    sigma: float,
    start: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """min over f > 0 of h(f) = sum_i D_i(f) + ((f - 1) / sigma)^2 for every problem (the bracket of C1).

    The search runs in u = ln f (a scale: a bracket narrows relative to f, also where the data pull f far below 1):
    the grid u = start + sigma x :data:`START_GRID`, widened while its least value lies on an edge, then parabolic steps
    until a trusted one is shorter than :data:`F_TOLERANCE` sigma in u (:func:`_parabolic`).

    Parameters
    ----------
    members_at : callable
        ``members_at(rows, f)``: D_i of the problems ``rows`` at the flux scales ``f`` (one per row), shape
        (n_members, rows.size).
    n_problems : int
    sigma : float
    start : ndarray, shape (P,), optional
        ln f about which the search starts (0 by default; :func:`flux_guess`).

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

    centre = np.zeros(n_problems) if start is None else np.broadcast_to(np.asarray(start, dtype=float), (n_problems,))
    x = np.maximum(centre[:, None] + sigma * START_GRID, LOG_MIN_SCALE)  # (P, 3): a < b < c
    x[:, 1:] = np.maximum(x[:, 1:], x[:, :-1] + 0.5 * sigma)  # distinct where the least scale clipped them
    values, parts = h(np.repeat(np.arange(n_problems), 3), x.ravel())
    fx, px = values.reshape(n_problems, 3), parts.reshape(-1, n_problems, 3)
    x, fx, px = _widen(h, x, fx, px)
    u, value, member_values = _parabolic(h, x, fx, px, F_TOLERANCE * sigma)
    return np.exp(u), value, member_values


def _widen(h, x, fx, px):
    """Move each bracket (a, b, c) outwards while its least value lies on an edge by more than :data:`D_TOLERANCE`,
    c -> c + 1.618 (c - b) or a -> a - 1.618 (b - a) (a at least :data:`LOG_MIN_SCALE`), until h(b) is least."""
    for _ in range(MAX_WIDENINGS):
        up = fx[:, 2] < fx[:, 1] - D_TOLERANCE
        rows = np.flatnonzero(up | (fx[:, 0] < fx[:, 1] - D_TOLERANCE) & (x[:, 0] > LOG_MIN_SCALE))
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


def _parabolic(h, x, fx, px, tolerance):
    """Successive parabolic interpolation in each bracket (a, b, c) with h(b) least: the vertex of the parabola
    through a, b, c where it lies inside the bracket and its step is less than half the one before last (as in
    Brent's method: Press et al., Numerical Recipes, sec. 10.3), else a golden-section step into the larger side;
    until a trusted step is shorter than ``tolerance`` (or the bracket narrower). Returns (b, h(b), D_i(b))."""
    a, b, c = (x[:, i].copy() for i in range(3))
    fa, fb, fc = (fx[:, i].copy() for i in range(3))
    pb = px[:, :, 1].copy()
    # a bracket whose least point is still an edge (the least flux scale: the data prefer none; or a tail flat to
    # D_TOLERANCE) ends there
    lower_a = (fa < fb) & (fa <= fc)
    lower_c = (fc < fb) & ~lower_a
    for edge, lower in ((0, lower_a), (2, lower_c)):
        b[lower], fb[lower], pb[:, lower] = x[lower, edge], fx[lower, edge], px[:, lower, edge]
    at_edge = lower_a | lower_c
    last, before = c - a, c - a  # the last two steps' lengths
    active = np.flatnonzero(~at_edge & (c - a > tolerance) & ~_flat(a, b, c, fa, fb, fc))
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
        # a trusted step ends the search when it is short, or when h at the vertex differs from h(b) by less
        # than D_TOLERANCE: near the minimum h(b) - min h is then of that order too
        converged = trusted & ((np.abs(new - B) < tolerance) | (np.abs(value - FB) < D_TOLERANCE))
        better = value < FB
        right = new > B
        # the new bracket: (b, new, c) or (a, new, b) where new is better, else (a, b, new) or (new, b, c)
        a[active] = np.where(better, np.where(right, B, A), np.where(right, A, new))
        c[active] = np.where(better, np.where(right, C, B), np.where(right, new, C))
        fa[active] = np.where(better, np.where(right, FB, FA), np.where(right, FA, value))
        fc[active] = np.where(better, np.where(right, FC, FB), np.where(right, value, FC))
        b[active], fb[active] = np.where(better, new, B), np.where(better, value, FB)
        pb[:, active] = np.where(better[None, :], parts, pb[:, active])
        active = active[~converged]
        rows = (a[active], b[active], c[active], fa[active], fb[active], fc[active])
        active = active[(c[active] - a[active] > tolerance) & ~_flat(*rows)]
    return b, fb, pb


def _flat(a, b, c, fa, fb, fc):
    """Whether h(b) lies within :data:`D_TOLERANCE` of the least value a convex h can take in [a, c]: the secant
    through b and c extended to a, and the one through a and b extended to c, are its lower bounds there."""
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.maximum((fc - fb) * (b - a) / (c - b), (fa - fb) * (c - b) / (b - a))
    return np.isfinite(gap) & (gap < D_TOLERANCE)
