"""The statistical model of the XENONnT S2-only search (the release's s2_only_statistical_model.yaml).

In science run r (SR0, SR1, SR2) the expected events in cS2 bin i are

    mu_ri = E_r [eps_r (s W_ri(t_qy) + c N_ri(t_qy)) + k_r C_ri(t_sys_r) + d_r DE_ri + a_r AE_ri],         (S1)

with E_r the exposure (the livetime parameter, t yr), eps_r the signal efficiency of the run, s, c, k_r,
d_r, a_r the rate multipliers of a signal W, the 8B CEvNS N (shared by the runs), the cathode background
C and the two other instrumental backgrounds (no AE in SR2), each with its Gaussian constraint and fit
range (parameters.csv); t_qy (charge yield, all runs) and t_sys_r (cathode shape of run r) are shape
parameters with unit normal constraints. -2 ln L is the deviance L1 of :mod:`astrocevns.datasets.xenonnt2024.likelihood`
over the 21 bins of the three runs.

The templates are tabulated at the anchors t = -3..3 and interpolated linearly between them, as the
release's fit does. On the segment [t_j, t_j+1] a template is T_j + f (T_j+1 - T_j) with t = t_j + f,
f in [0, 1], so every term of S1 is a product of parameters times a fixed template and f is one more
continuous parameter, its constraint (t - t_0)^2 / sigma^2 a Gaussian of nominal t_0 - t_j on f. Each
shape parameter is profiled continuously within a segment, and across segments by descent: one whose
f ends at 0 (1) moves to the segment below (above), started at their common anchor (where D is the
same, so it can only decrease), and does not return to a segment it has left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from ..xenonnt2024 import likelihood

if TYPE_CHECKING:
    from .release import Release

SIGNAL, CEVNS = "wimp_rate_multiplier", "cevns_rate_multiplier"
CHARGE_YIELD = "t_qy"
BOUNDARY = 1e-9
"""A fraction this close to 0 or 1 is at the end of its segment."""


class _TemplateSource(Protocol):
    """A template with (per_bin, total) at a t_qy anchor for the problems ``rows`` (given by keyword)."""

    def at(self, anchor: int, rows: slice | np.ndarray = ...) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class AnchorTemplates:
    """A template at every t_qy anchor: ``at_events`` shape (..., n_anchors, n_runs x n_bins), its events per
    bin of the three runs one after the other (exposure included; every bin, with events or not);
    ``total`` shape (..., n_anchors), their sum."""

    at_events: np.ndarray
    total: np.ndarray

    def at(self, anchor: int, rows: slice | np.ndarray = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        """(per-bin events, total) at the anchor with index ``anchor``, of the problems ``rows`` if there is a
        leading problem axis."""
        if self.total.ndim == 1:
            return self.at_events[anchor], self.total[anchor]
        return self.at_events[rows, anchor], self.total[rows, anchor]


class S2OnlyModel:
    """Eq. S1 for a :class:`~astrocevns.datasets.xenonnt_s2only2026.release.Release`."""

    def __init__(self, release: Release) -> None:
        self.release = release
        self.runs = [run.name for run in release.runs]
        self.n_bins = release.cs2_edges_PE.size - 1
        self.exposures_t_yr = np.array([run.exposure_t_yr for run in release.runs])
        observed = np.concatenate([run.observed for run in release.runs])
        self.event_bins = np.flatnonzero(observed > 0)
        self.observed = observed[self.event_bins]
        self.anchors = release.anchors
        self.n_segments = self.anchors.size - 1
        self.shapes = [CHARGE_YIELD, *(f"t_sys_{run}" for run in self.runs)]
        nominal = np.array([release.parameters[name].nominal for name in self.shapes])
        # the segment whose lower anchor is the nominal value (or holds it)
        self.start_segment = np.minimum(np.searchsorted(self.anchors, nominal, side="right") - 1, self.n_segments - 1)
        self.start_theta = None
        # every later fit starts where the data's fit with the release's CEvNS template ends (fewer iterations
        # and segment moves; the descent still goes wherever D decreases)
        _, reference = self.profile(self.release_cevns())
        self.start_theta = dict(zip(reference["names"], reference["theta"][0], strict=True))
        self.start_segment = reference["segments"][0]

    def placed(self, per_run: npt.ArrayLike) -> np.ndarray:
        """Templates per run, shape (..., n_runs, n_bins) [events per bin per t yr], as events (exposure
        included) in the bins of the three runs one after the other, shape (..., n_runs x n_bins)."""
        events = np.asarray(per_run, dtype=float) * self.exposures_t_yr[:, None]
        return events.reshape(events.shape[:-2] + (-1,))

    def anchored(self, per_run: npt.ArrayLike) -> AnchorTemplates:
        """:class:`AnchorTemplates` of templates at the anchors, shape (..., n_runs, n_anchors, n_bins)."""
        placed = self.placed(np.swapaxes(np.asarray(per_run, dtype=float), -3, -2))
        return AnchorTemplates(placed, placed.sum(axis=-1))

    def release_cevns(self) -> AnchorTemplates:
        """The release's own 8B CEvNS template at the anchors."""
        return self.anchored(np.array([run.cevns for run in self.release.runs]))

    def _run_only(self, r: int, per_bin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The part of ``per_bin`` (..., n_runs x n_bins) in run r, as the reduced (at_events, total)."""
        mask = np.zeros(len(self.runs) * self.n_bins)
        mask[r * self.n_bins : (r + 1) * self.n_bins] = 1.0
        part = per_bin * mask
        return part[..., self.event_bins], part.sum(axis=-1)

    def _background(self, r: int, template: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        per_run = np.zeros((len(self.runs), self.n_bins))
        per_run[r] = template
        return self._run_only(r, self.placed(per_run))

    def parameter_names(self, with_signal: bool) -> list[str]:
        """The continuous parameters: the multipliers of S1, then the fraction of each shape parameter within
        its segment (named after the shape parameter)."""
        names = [f"signal_efficiency_{run}" for run in self.runs] + [CEVNS]
        names += [f"cathode_{run}_rate_multiplier" for run in self.runs] + [
            f"de_{run}_rate_multiplier" for run in self.runs
        ]
        names += [f"ae_{run.name}_rate_multiplier" for run in self.release.runs if run.ae is not None]
        return names + ([SIGNAL] if with_signal else []) + self.shapes

    def _parameters(self, names: list[str], segments: np.ndarray) -> likelihood.Parameters:
        """Constraints and limits of the continuous parameters with the shape parameters in ``segments``."""
        entries = [self.release.parameters[name] for name in names]
        nominal, width, lower, upper = (
            np.array([getattr(p, field) for p in entries]) for field in ("nominal", "uncertainty", "lower", "upper")
        )
        k = len(names) - len(self.shapes)
        low_anchor, high_anchor = self.anchors[segments], self.anchors[segments + 1]
        nominal[k:] -= low_anchor
        lower[k:] = np.maximum(lower[k:] - low_anchor, 0.0)
        upper[k:] = np.minimum(upper[k:] - low_anchor, high_anchor - low_anchor)
        return likelihood.Parameters(nominal, width, lower, upper)

    def _components(self, index, segments, cevns, signal, rows):
        """The components of S1 with the shape parameters in ``segments`` for the problems ``rows``."""
        components = []
        f_qy = index[CHARGE_YIELD]
        for source, multiplier in ((cevns, CEVNS), (signal, SIGNAL)):
            if source is None:
                continue
            low, _ = source.at(segments[0], rows=rows)
            high, _ = source.at(segments[0] + 1, rows=rows)
            for r, run in enumerate(self.runs):
                efficiency = index[f"signal_efficiency_{run}"]
                components.append(likelihood.Component((efficiency, index[multiplier]), *self._run_only(r, low)))
                components.append(
                    likelihood.Component((efficiency, index[multiplier], f_qy), *self._run_only(r, high - low))
                )
        for r, (run, segment) in enumerate(zip(self.release.runs, segments[1:], strict=True)):
            cathode = index[f"cathode_{run.name}_rate_multiplier"]
            low, high = run.cathode[segment], run.cathode[segment + 1]
            components.append(likelihood.Component((cathode,), *self._background(r, low)))
            components.append(
                likelihood.Component((cathode, index[f"t_sys_{run.name}"]), *self._background(r, high - low))
            )
            components.append(
                likelihood.Component((index[f"de_{run.name}_rate_multiplier"],), *self._background(r, run.de))
            )
            if run.ae is not None:
                components.append(
                    likelihood.Component((index[f"ae_{run.name}_rate_multiplier"],), *self._background(r, run.ae))
                )
        return components

    @staticmethod
    def _problems(cevns, *per_problem):
        """The number of problems: of the CEvNS templates' leading axis, or of the signal multipliers or flux
        scales given."""
        probe = cevns.at(0)[0]
        n_problems = probe.shape[0] if probe.ndim == 2 else 1
        return max([n_problems] + [np.size(values) for values in per_problem if values is not None])

    def _fit(self, names, cevns, signal, signal_multiplier, n_problems, rows, segments, start, flux_scale=None):
        """(D, theta) of the problems ``rows`` with the shape parameters in ``segments`` (n_shapes,), the CEvNS
        rate multiplier fixed at ``flux_scale`` (P,) and its prior left out if given."""
        index = {name: k for k, name in enumerate(names)}
        parameters = self._parameters(names, segments)
        for name, values in ((SIGNAL, signal_multiplier), (CEVNS, flux_scale)):
            if values is not None:
                values = np.broadcast_to(np.asarray(values, dtype=float), (n_problems,))
                parameters = parameters.fixed(index[name], values[rows])
        batched_rows = rows if cevns.at(0)[0].ndim == 2 else slice(None)
        components = self._components(index, segments, cevns, signal, batched_rows)
        return likelihood.minimise(self.observed, components, parameters, start)

    def at_segments(self, cevns: _TemplateSource, segments: npt.ArrayLike) -> np.ndarray:
        """-2 ln L profiled with every shape parameter held in one segment, ``segments`` (n_shapes,) the indices
        of their lower anchors (t_qy, then t_sys of each run), for every problem of ``cevns``."""
        names = self.parameter_names(False)
        n_problems = self._problems(cevns, None)
        return self._fit(names, cevns, None, None, n_problems, np.arange(n_problems), np.asarray(segments), None)[0]

    def profile(
        self,
        cevns: _TemplateSource,
        signal: _TemplateSource | None = None,
        signal_multiplier: npt.ArrayLike | None = None,
        flux_scale: npt.ArrayLike | None = None,
    ) -> tuple[np.ndarray, dict]:
        """-2 ln L of eq. S1 profiled over every nuisance parameter, for many problems at once.

        Parameters
        ----------
        cevns : object with a method ``at(anchor, rows=...)``
            Returns (per-bin events, total) of the 8B CEvNS template at a t_qy anchor for the problems
            ``rows``, with a leading problem axis or shared (e.g. :class:`AnchorTemplates`, or a spectrum
            that depends on (g, m)).
        signal : object with a method ``at(anchor, rows=...)``, optional
            A signal template at unit signal multiplier (a WIMP at its reference cross section).
        signal_multiplier : ndarray, shape (P,), optional
            The signal multiplier of each problem (the parameter of interest); None: fitted within its range.
        flux_scale : ndarray, shape (P,), optional
            The CEvNS rate multiplier c of each problem, fixed and its Gaussian prior left out (a combination
            of datasets adds a prior shared by them once); None: c profiled with its prior.

        Returns
        -------
        deviance : ndarray, shape (P,)
        best : dict
            ``theta`` (P, K) with ``names`` (the shape parameters as fractions of their segment), their
            ``segments`` (P, n_shapes; indices of the lower anchors), and the shape parameters themselves,
            e.g. ``t_qy`` (P,), where the minimum is reached.
        """
        names = self.parameter_names(signal is not None)
        shape_columns = np.array([names.index(name) for name in self.shapes])
        n_problems = self._problems(cevns, signal_multiplier, flux_scale)

        def fit(rows: np.ndarray, segments: np.ndarray, start: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
            return self._fit(names, cevns, signal, signal_multiplier, n_problems, rows, segments, start, flux_scale)

        def fit_groups(rows, segments, start):
            """Fit the problems ``rows`` with their ``segments`` (R, n_shapes), one call per distinct combination."""
            deviance, theta = np.empty(rows.size), np.empty((rows.size, len(names)))
            combinations, inverse = np.unique(segments, axis=0, return_inverse=True)
            for c, combination in enumerate(combinations):
                members = np.flatnonzero(inverse.ravel() == c)
                deviance[members], theta[members] = fit(
                    rows[members], combination, None if start is None else start[members]
                )
            return deviance, theta

        every = np.arange(n_problems)
        segments = np.tile(self.start_segment, (n_problems, 1))
        start = None
        if self.start_theta is not None:
            nominal = self._parameters(names, self.start_segment).nominal
            start = np.tile(
                [self.start_theta.get(name, v) for name, v in zip(names, nominal, strict=True)], (n_problems, 1)
            )
        best, theta = fit_groups(every, segments, start)
        visited = np.zeros((n_problems, len(self.shapes), self.n_segments), dtype=bool)
        visited[:, np.arange(len(self.shapes)), self.start_segment] = True
        for _ in range(len(self.shapes) * self.n_segments):
            fraction = theta[:, shape_columns]
            width = self.anchors[segments + 1] - self.anchors[segments]
            below = np.clip(segments - 1, 0, self.n_segments - 1)
            above = np.clip(segments + 1, 0, self.n_segments - 1)
            seen_below = np.take_along_axis(visited, below[:, :, None], axis=2)[:, :, 0]
            seen_above = np.take_along_axis(visited, above[:, :, None], axis=2)[:, :, 0]
            down = (fraction <= BOUNDARY) & (segments > 0) & ~seen_below
            up = (fraction >= width - BOUNDARY) & (segments < self.n_segments - 1) & ~seen_above
            rows = np.flatnonzero((down | up).any(axis=1))
            if rows.size == 0:
                break
            moved = segments[rows] - down[rows] + up[rows]
            start = theta[rows].copy()
            start[:, shape_columns] = np.where(
                down[rows], self.anchors[moved + 1] - self.anchors[moved], np.where(up[rows], 0.0, fraction[rows])
            )
            visited[rows[:, None], np.arange(len(self.shapes)), moved] = True
            deviance, solution = fit_groups(rows, moved, start)
            better = deviance <= best[rows]
            improved = rows[better]
            best[improved], theta[improved], segments[improved] = deviance[better], solution[better], moved[better]
        shape_values = self.anchors[segments] + theta[:, shape_columns]
        return best, {
            "names": names,
            "theta": theta,
            "segments": segments,
            **dict(zip(self.shapes, shape_values.T, strict=True)),
        }
