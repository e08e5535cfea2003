"""The statistical model of the XENONnT 2024 light-DM search (the release's statistical_model_base.yaml).

In science run r (SR0, SR1) the expected events in analysis bin i are

    mu_ri = E_r [eps b T^b8_ri(t) + eps s T^sig_ri(t) + a_r T^ac_ri + e T^er_ri + n T^rg_ri(t)],          (M1)

with E_r the exposure (the livetime parameter, t yr), eps the signal efficiency, b, s, a_r, e, n the
rate multipliers of solar 8B CEvNS, a signal, accidental coincidences (one per run), electronic and
radiogenic-neutron recoils, each with its Gaussian constraint and fit range (parameters.csv), and
t = (t_ly, t_qy) the yield parameters, constrained by unit normals, on which the nuclear-recoil
templates depend. -2 ln L is the deviance L1 (:mod:`.likelihood`) of both runs plus the yield
constraints. The likelihood is the release's binned one: its unbinned form with templates constant
inside each bin differs only by a constant.

The release tabulates the templates at the anchors t_ly, t_qy = -3..3 and its fit interpolates
linearly between them. Here the yields are profiled over a grid of yield points, the anchors or a
finer grid with the templates interpolated bilinearly between the anchors as the release does (or
fixed at t = 0), and every other parameter continuously (:func:`.likelihood.minimise`).

Pseudo-experiments replace the data: :meth:`ReleaseModel.with_data` gives the model of counts and
auxiliary measurements (the central values of the Gaussian constraints) per problem, one problem a toy;
:meth:`ReleaseModel.binned` counts every bin as one with events (the same D), so that
:meth:`ReleaseModel.expectation` gives mu of eq. M1 in every bin, from which toys are drawn.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from . import likelihood

if TYPE_CHECKING:
    from .release import Release

EFFICIENCY, B8, SIGNAL = "signal_efficiency", "b8_rate_multiplier", "wimp_rate_multiplier"
BACKGROUND_MULTIPLIERS = (
    "ac_sr0_rate_multiplier",
    "ac_sr1_rate_multiplier",
    "er_rate_multiplier",
    "nr_rate_multiplier",
)
YIELD_PARAMETERS = ("t_ly", "t_qy")
YIELD_CHOICES = ("profiled", "nominal")
POINT_MARGIN = 1.0
"""A yield point is fitted to convergence unless its minimum is known to exceed the best so far by this much."""


class _TemplateSource(Protocol):
    """A template with (at_events, total) at the yield point with indices (ly, qy) for the problems ``rows``
    (given by keyword)."""

    def at(self, ly: int, qy: int, rows: slice | np.ndarray = ...) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class YieldTemplates:
    """A template in the model's reduced form at every yield point (t_ly, t_qy) of a :class:`ReleaseModel`.

    ``at_events``: shape (..., n_points, n_points, n_event_bins), its events (exposure included) in
    the bins with events of both runs; ``total``: shape (..., n_points, n_points), its events in all bins.
    """

    at_events: np.ndarray
    total: np.ndarray

    def at(self, ly: int, qy: int, rows: slice | np.ndarray = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        """(at_events, total) at the yield point with indices (ly, qy), of the problems ``rows`` if there is
        a leading problem axis."""
        if self.total.ndim == 2:
            return self.at_events[ly, qy, :], self.total[ly, qy]
        return self.at_events[rows, ly, qy, :], self.total[rows, ly, qy]


class ReleaseModel:
    """Eq. M1 for a :class:`~astrocevns.datasets.xenonnt2024.release.Release`.

    Parameters
    ----------
    release : Release
    yields : str
        ``profiled``: t_ly and t_qy profiled over the yield points; ``nominal``: fixed at 0.
    yield_step : float
        Spacing of the yield points: 1 for the released anchors, 1/k for k - 1 more points between
        adjacent anchors, where the templates are interpolated bilinearly.
    search : str
        ``descent`` (default) or ``all`` yield points: see :meth:`profile`.
    """

    def __init__(
        self, release: Release, yields: str = "profiled", yield_step: float = 1.0, search: str = "descent"
    ) -> None:
        if yields not in YIELD_CHOICES:
            raise ValueError(f"yields {yields!r}: expected one of {YIELD_CHOICES}")
        if search not in ("descent", "all"):
            raise ValueError(f"search {search!r}: expected 'descent' or 'all'")
        per_anchor = round(1.0 / yield_step)
        if yield_step <= 0.0 or not np.isclose(per_anchor * yield_step, 1.0):
            raise ValueError(f"yield_step {yield_step}: expected 1/k for an integer k >= 1")
        self.release, self.search = release, search
        self.auxiliary: dict[str, np.ndarray] = {}  # per-problem central values of constraints (toys)
        self.event_bins = [np.flatnonzero(run.observed) for run in release.runs]
        self.observed = np.concatenate(
            [run.observed[bins] for run, bins in zip(release.runs, self.event_bins, strict=True)]
        )
        self.exposures_t_yr = np.array([run.exposure_t_yr for run in release.runs])
        anchors = release.anchors
        self.points = np.interp(
            np.arange((anchors.size - 1) * per_anchor + 1) / per_anchor, np.arange(anchors.size), anchors
        )
        # linear interpolation between the anchors: template(point p) = sum_a interpolation[p, a] template(a)
        self.interpolation = np.array([np.interp(self.points, anchors, column) for column in np.eye(anchors.size)]).T
        n = self.points.size
        zero = int(np.argmin(np.abs(self.points)))
        self.nominal = (zero, zero)
        self.allowed = np.zeros((n, n), dtype=bool)  # the yield points the fit may take
        if yields == "profiled":
            self.allowed[:] = True
        else:
            self.allowed[self.nominal] = True
        self.yield_penalty = self._yield_penalties()
        # in order of their constraint, so that the best fits found first are those most likely
        self.yield_points = sorted(
            ((ly, qy) for ly in range(n) for qy in range(n) if self.allowed[ly, qy]),
            key=lambda point: (self.yield_penalty[point], point),
        )

    def _yield_penalty(self, ly, qy):
        """The Gaussian constraints of the yield parameters at the yield point (ly, qy): a float, or one per
        problem (P,) where the auxiliary measurements of the yields differ between the problems."""
        values = self.points[[ly, qy]]
        total = 0.0
        for v, name in zip(values, YIELD_PARAMETERS, strict=True):
            parameter = self.release.parameters[name]
            total = total + ((v - self.auxiliary.get(name, parameter.nominal)) / parameter.uncertainty) ** 2
        return total if np.ndim(total) else float(total)

    def _yield_penalties(self):
        n = self.points.size
        return {(ly, qy): self._yield_penalty(ly, qy) for ly in range(n) for qy in range(n)}

    def _penalty(self, point, rows):
        """The yield constraints at ``point`` of the problems ``rows``."""
        penalty = self.yield_penalty[point]
        return penalty[rows] if np.ndim(penalty) else penalty

    def _with_bins(self, event_bins, observed, auxiliary):
        """A copy of this model with other bins counted as bins with events, other counts and auxiliary
        measurements (yield points and their order as they are)."""
        model = copy.copy(self)
        model.event_bins, model.observed, model.auxiliary = event_bins, observed, auxiliary
        model.yield_penalty = model._yield_penalties()
        return model

    def binned(self) -> ReleaseModel:
        """This model with every bin counted as a bin with events (its D is the same: empty bins enter through
        the totals either way), so that :meth:`expectation` gives mu in every bin."""
        bins = [np.arange(run.observed.size) for run in self.release.runs]
        return self._with_bins(bins, np.concatenate([run.observed for run in self.release.runs]), self.auxiliary)

    def with_data(self, counts: npt.ArrayLike, auxiliary: Mapping[str, npt.ArrayLike] | None = None) -> ReleaseModel:
        """This model fitted to other data, one problem per row (pseudo-experiments).

        Parameters
        ----------
        counts : ndarray, shape (P, n_runs, n_bins)
            Events in every bin of each run; the bins with events in any problem are those of the model.
        auxiliary : mapping of str to ndarray (P,), optional
            Central values of the Gaussian constraints by parameter name (the auxiliary measurements, e.g.
            ``b8_rate_multiplier``, ``t_ly``); the release's nominal values for the others.

        Returns
        -------
        ReleaseModel
            Its templates come from its own :meth:`anchored` (the bins with events differ from the data's).
        """
        counts = np.asarray(counts, dtype=float)
        shape = (len(self.release.runs), self.release.runs[0].observed.size)
        if counts.ndim != 3 or counts.shape[1:] != shape:
            raise ValueError(f"counts of shape {counts.shape}: expected (P, {shape[0]}, {shape[1]})")
        auxiliary = {
            name: np.broadcast_to(np.asarray(v, dtype=float), counts.shape[:1]) for name, v in (auxiliary or {}).items()
        }
        unknown = sorted(set(auxiliary) - set(self.release.parameters))
        if unknown:
            raise KeyError(f"auxiliary measurements of unknown parameters {unknown}")
        bins = [np.flatnonzero(counts[:, r].any(axis=0)) for r in range(shape[0])]
        return self._with_bins(bins, np.concatenate([counts[:, r, b] for r, b in enumerate(bins)], axis=1), auxiliary)

    def take(self, rows: np.ndarray) -> ReleaseModel:
        """The model of the problems ``rows`` (indices, repeats allowed) of a model :meth:`with_data`."""
        if self.observed.ndim != 2:
            raise ValueError("take: the model's data are shared by its problems (see with_data)")
        return self._with_bins(
            self.event_bins, self.observed[rows], {name: v[rows] for name, v in self.auxiliary.items()}
        )

    def reduce(self, per_run: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Templates per run, shape (..., n_runs, n_bins) [events per bin per t yr], as
        (exposure x events in the bins with events of both runs, exposure x events in all bins)."""
        per_run = np.asarray(per_run, dtype=float)
        at_events = np.concatenate(
            [
                exposure * per_run[..., r, bins]
                for r, (exposure, bins) in enumerate(zip(self.exposures_t_yr, self.event_bins, strict=True))
            ],
            axis=-1,
        )
        return at_events, np.einsum("...rn,r->...", per_run, self.exposures_t_yr)

    def anchored(self, per_run: npt.ArrayLike) -> YieldTemplates:
        """:class:`YieldTemplates` of templates at the anchors, shape (..., n_runs, n_anchors, n_anchors, n_bins)."""
        at_events, total = self.reduce(np.moveaxis(np.asarray(per_run, dtype=float), -4, -2))
        W = self.interpolation
        return YieldTemplates(
            np.einsum("...abn,pa,qb->...pqn", at_events, W, W), np.einsum("...ab,pa,qb->...pq", total, W, W)
        )

    def release_templates(self, name: str) -> YieldTemplates:
        """The release's own template ``b8`` or ``rg`` at the yield points."""
        return self.anchored(np.array([getattr(run, name) for run in self.release.runs]))

    def _single_run(self, run_index, name):
        """(at_events, total) of a yield-independent background template present in one run only."""
        per_run = np.zeros((len(self.release.runs), self.release.runs[0].ac.size))
        per_run[run_index] = getattr(self.release.runs[run_index], name)
        return self.reduce(per_run)

    def parameters(self, with_signal: bool) -> tuple[list[str], likelihood.Parameters]:
        """Names and :class:`~.likelihood.Parameters` of the continuous parameters (the yields excluded); the
        nominal values per problem, shape (P, K), where there are auxiliary measurements per problem."""
        names = [EFFICIENCY, B8, *BACKGROUND_MULTIPLIERS] + ([SIGNAL] if with_signal else [])
        entries = [self.release.parameters[name] for name in names]
        nominal, width, lower, upper = (
            np.array([getattr(p, field) for p in entries]) for field in ("nominal", "uncertainty", "lower", "upper")
        )
        if any(name in self.auxiliary for name in names):
            nominal = np.stack(
                [
                    np.broadcast_to(self.auxiliary.get(name, v), self.observed.shape[:1])
                    for name, v in zip(names, nominal, strict=True)
                ],
                axis=1,
            )
        return names, likelihood.Parameters(nominal, width, lower, upper)

    def constraints(self, best: Mapping[str, np.ndarray]) -> dict[str, tuple[np.ndarray, float]]:
        """The constrained parameters at the fits ``best`` (of :meth:`profile`): name -> (value per problem,
        width of its Gaussian constraint), the distribution of an auxiliary measurement whose truth is the fit."""
        out = {}
        for k, name in enumerate(best["names"]):
            parameter = self.release.parameters[name]
            if np.isfinite(parameter.uncertainty) and parameter.lower < parameter.upper:
                out[name] = (best["theta"][:, k], parameter.uncertainty)
        if self.allowed.sum() > 1:
            out.update({name: (best[name], self.release.parameters[name].uncertainty) for name in YIELD_PARAMETERS})
        return out

    def _backgrounds(self, index):
        """The components of eq. M1 other than 8B CEvNS and the signal: accidentals per run, ER, and the
        radiogenic neutrons' templates at the yield points."""
        backgrounds = [
            likelihood.Component((index[BACKGROUND_MULTIPLIERS[r]],), *self._single_run(r, "ac"))
            for r in range(len(self.release.runs))
        ]
        backgrounds.append(
            likelihood.Component(
                (index["er_rate_multiplier"],), *self.reduce(np.array([run.er for run in self.release.runs]))
            )
        )
        return backgrounds, self.release_templates("rg")

    def _components(self, index, fixed, b8, signal, point, rows):
        """The components of eq. M1 at the yield point ``point`` for the problems ``rows``; ``fixed`` holds
        the backgrounds (:meth:`_backgrounds`)."""
        backgrounds, neutrons = fixed
        components = [
            likelihood.Component((index[EFFICIENCY], index[B8]), *b8.at(*point, rows=rows)),
            *backgrounds,
            likelihood.Component((index["nr_rate_multiplier"],), *neutrons.at(*point)),
        ]
        if signal is not None:
            components.append(likelihood.Component((index[EFFICIENCY], index[SIGNAL]), *signal.at(*point, rows=rows)))
        return components

    def expectation(
        self, b8: _TemplateSource, best: Mapping[str, np.ndarray], signal: _TemplateSource | None = None
    ) -> np.ndarray:
        """mu of eq. M1 in the bins with events at the fits ``best`` (of :meth:`profile`, one per problem of
        ``b8``), shape (P, n_event_bins); of a :meth:`binned` model, every bin of both runs one after the other."""
        index = {name: k for k, name in enumerate(best["names"])}
        fixed = self._backgrounds(index)
        where = np.asarray(best["yield_point"])
        mu = np.empty((where.shape[0], sum(b.size for b in self.event_bins)))
        points, inverse = np.unique(where, axis=0, return_inverse=True)
        for k, point in enumerate(points):
            rows = np.flatnonzero(inverse.ravel() == k)
            components = self._components(index, fixed, b8, signal, tuple(point), rows)
            mu[rows] = likelihood.expectation(components, best["theta"][rows])
        return mu

    def profile(
        self,
        b8: _TemplateSource,
        signal: _TemplateSource | None = None,
        signal_multiplier: npt.ArrayLike | None = None,
        flux_scale: npt.ArrayLike | None = None,
    ) -> tuple[np.ndarray, dict[str, list[str] | np.ndarray]]:
        """-2 ln L of eq. M1 profiled over every nuisance parameter, for many problems at once.

        The yields start at the nominal point and move, problem by problem, to the best of the
        neighbouring yield points (diagonals included) while that lowers -2 ln L: a discrete descent, as a
        minimiser started at the nominal yields would go (``search='all'`` fits every point instead).

        Parameters
        ----------
        b8 : object with a method ``at(ly, qy, rows)``
            Returns (at_events, total) of the 8B CEvNS template at a yield point for the problems
            ``rows``, with a leading problem axis or shared (e.g. :class:`YieldTemplates`, or a
            spectrum that depends on (g, m)).
        signal : object with a method ``at(ly, qy, rows)``, optional
            A signal template at unit signal multiplier (a WIMP at its reference cross section).
        signal_multiplier : ndarray, shape (P,), optional
            The signal multiplier of each problem (the parameter of interest); None: fitted within its
            range (the best fit).
        flux_scale : ndarray, shape (P,), optional
            The 8B CEvNS rate multiplier b of each problem, fixed and its Gaussian prior left out (a
            combination of datasets adds a prior shared by them once); None: b profiled with its prior.

        Returns
        -------
        deviance : ndarray, shape (P,)
        best : dict
            ``theta`` (P, K) with ``names``, ``t_ly``, ``t_qy`` (P,) and their indices ``yield_point`` (P, 2)
            where the minimum is reached.
        """
        names, parameters = self.parameters(signal is not None)
        index = {name: k for k, name in enumerate(names)}
        fixed = self._backgrounds(index)
        observed = self.observed

        def fit(
            point: tuple[int, int],
            rows: slice | np.ndarray,
            start: np.ndarray | None = None,
            give_up: np.ndarray | None = None,
        ) -> tuple[np.ndarray, np.ndarray]:
            components = self._components(index, fixed, b8, signal, point, rows)
            fitted = parameters.take(rows)
            if signal is not None and signal_multiplier is not None:
                fitted = fitted.fixed(index[SIGNAL], np.asarray(signal_multiplier, dtype=float)[rows])
            if flux_scale is not None:
                fitted = fitted.fixed(index[B8], np.asarray(flux_scale, dtype=float)[rows])
            data = observed[rows] if observed.ndim == 2 else observed
            deviance, solution = likelihood.minimise(data, components, fitted, start, give_up)
            return deviance + self._penalty(point, rows), solution

        best, theta = fit(self.nominal, slice(None))
        where = np.tile(self.nominal, (best.size, 1))  # yield-point indices of each problem's best fit
        visited = np.zeros((best.size, self.points.size, self.points.size), dtype=bool)
        visited[:, self.nominal[0], self.nominal[1]] = True
        while True:
            candidates = self._candidates(where) & ~visited
            if not candidates.any():
                break
            for point in self.yield_points:
                rows = np.flatnonzero(candidates[:, point[0], point[1]])
                if rows.size == 0:
                    continue
                # a point whose minimum lies above the best so far (its penalty included) is left early
                deviance, solution = fit(
                    point, rows, theta[rows], best[rows] - self._penalty(point, rows) + POINT_MARGIN
                )
                visited[rows, point[0], point[1]] = True
                better = deviance < best[rows]
                improved = rows[better]
                best[improved], theta[improved], where[improved] = deviance[better], solution[better], point
        t = self.points[where]
        return best, {"names": names, "theta": theta, "t_ly": t[:, 0], "t_qy": t[:, 1], "yield_point": where}

    def _candidates(self, where):
        """(P, n_points, n_points): the yield points to try next, around each problem's best (every one for
        ``search='all'``)."""
        n = self.points.size
        candidates = np.zeros((where.shape[0], n, n), dtype=bool)
        if self.search == "all":
            return candidates | self.allowed
        rows = np.arange(where.shape[0])
        for step_ly in (-1, 0, 1):
            for step_qy in (-1, 0, 1):
                ly, qy = where[:, 0] + step_ly, where[:, 1] + step_qy
                inside = (ly >= 0) & (ly < n) & (qy >= 0) & (qy < n)
                candidates[rows[inside], ly[inside], qy[inside]] = True
        return candidates & self.allowed
