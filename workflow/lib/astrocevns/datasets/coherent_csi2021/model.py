"""The binned Poisson likelihood of the COHERENT CsI[Na] 2021 coincident and anti-coincident events.

In PE bin i and time bin j of the coincident (C) window the expected events are

    mu^C_ij = phi C_ij(t) + n_BRN B_ij + n_NIN N_ij + s_i A_i e_j,                                      (M1)

and in the anti-coincident (AC) window, the same detector and selection without beam,

    mu^AC_ij = s_i A_i e_j,                                                                             (M2)

with C_ij(t) the CEvNS template (:mod:`.response`, eq. E3) at the shape parameters t = (t_efficiency,
t_quenching_0, t_quenching_1), phi the SNS flux multiplier (Gaussian prior of the config's width about 1;
fixed by ``flux_scale`` in a combination), B and N the BRN and NIN PDFs (product of their PE and time PDFs,
the time PDF times the timing efficiency, normalised to the predicted events in the region of interest) with
multipliers n_BRN, n_NIN under Gaussian priors (parameters.csv), A_i the AC events in PE bin i and e_j the
fraction of a steady rate kept in time bin j (flat in time times the timing efficiency, eq. T3), s_i a free
multiplier per PE bin: the steady-state background is measured by the AC events with their Poisson
uncertainty, bin by bin in PE. -2 ln L is the deviance L1 of :mod:`astrocevns.datasets.xenonnt2024.likelihood` over
the C and AC bins.

The template at t is interpolated linearly between the response points, one shape parameter at a time
(additive):

    C(t) = C_0 + sum_s |t_s| (C_{s, sign t_s} - C_0),                                                   (M3)

with C_{s,+-} the template at the +-1 sigma variant of parameter s and unit Gaussian priors on t_s. Within
one sign pattern of t eq. M3 is a sum of fixed templates times products of parameters (phi, phi |t_s|), as
L1 wants (|t_s| in [0, 3]). D is minimised in each of the 2^3 sign patterns and the least D kept: a descent
from one pattern across t_s = 0 can miss the minimum of another pattern when D is not convex in t (by up to
5e-3 in D on strongly modified spectra, as found against this exhaustive search). The minimiser is
:mod:`.fit`: first the pattern in which D falls from t = 0, then the seven others from its minimum, each given
up once its minimum is known to lie above (tests/test_coherent_csi2021.py: D as the exhaustive search's to 1e-6).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from ..xenonnt2024 import likelihood
from . import fit, timing
from .response import POINTS, SHAPE_PARAMETERS

if TYPE_CHECKING:
    from .release import Release

FLUX, BRN, NIN = "sns_flux_multiplier", "brn_multiplier", "nin_multiplier"
SHAPES = tuple(SHAPE_PARAMETERS)
SHAPE_RANGE = 3.0
"""|t_s| <= 3: the variants are extrapolated linearly to 3 sigma at most."""
STEADY_STATE_RANGE = 10.0
BLOCK = 128
"""Problems profiled together (each with its eight sign patterns): a block's arrays stay in the processor's cache;
1024 at a time took 1.3x as long per problem (tests/benchmarks/bench_data_analyses.py)."""


class _TemplateSource(Protocol):
    def at(self, point: int, rows: slice | np.ndarray = ...) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class PointTemplates:
    """A CEvNS template at every response point: ``at_events`` shape (..., n_points, n_event_bins) (the C and AC
    bins with events; zero in the AC bins), ``total`` shape (..., n_points), its events in every bin."""

    at_events: np.ndarray
    total: np.ndarray

    def at(self, point: int, rows: slice | np.ndarray = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        """(per-bin events, total) at response point ``point``, of the problems ``rows`` if there is a leading
        problem axis."""
        if self.total.ndim == 1:
            return self.at_events[point], self.total[point]
        return self.at_events[rows, point], self.total[rows, point]


def rebinned(edges: np.ndarray, values: np.ndarray, analysis_edges: np.ndarray) -> np.ndarray:
    """``values`` on the bins ``edges`` summed into the bins ``analysis_edges`` (edges of the former)."""
    owner = np.searchsorted(np.round(analysis_edges, 9), np.round(edges[:-1], 9), side="right") - 1
    inside = (owner >= 0) & (owner < analysis_edges.size - 1)
    return np.bincount(owner[inside], weights=values[inside], minlength=analysis_edges.size - 1)


class CsIModel:
    """Eqs. M1-M3 for a :class:`~astrocevns.datasets.coherent_csi2021.release.Release`.

    Parameters
    ----------
    release : Release
    flux_uncertainty : float
        Relative width of the Gaussian prior on the SNS flux multiplier.
    """

    def __init__(self, release: Release, flux_uncertainty: float) -> None:
        self.release = release
        self.flux_uncertainty = float(flux_uncertainty)
        self.n_pe, self.n_time = release.coincident.shape
        self.n_bins = self.n_pe * self.n_time
        observed = np.concatenate([release.coincident.ravel(), release.anticoincident.ravel()]).astype(float)
        self.event_bins = np.flatnonzero(observed > 0)
        self.observed = observed[self.event_bins]
        onset, slope = release.value("timing_efficiency_onset_us"), release.value("timing_efficiency_slope_per_us")
        steady = timing.efficiency_weighted_integrals(release.time_edges_us, lambda t: np.ones_like(t), onset, slope)
        self.steady_time = steady / steady.sum()
        self.steady_names = [f"steady_state_pe{i}" for i in range(self.n_pe)]
        self.backgrounds = {BRN: self._neutrons("brn"), NIN: self._neutrons("nin")}
        for i, name in enumerate(self.steady_names):
            per_pe = np.zeros((self.n_pe, self.n_time))
            per_pe[i] = release.anticoincident[i].sum() * self.steady_time
            self.backgrounds[name] = self._placed(np.concatenate([per_pe.ravel(), per_pe.ravel()]))
        self.shared = self._shared()
        background = sum(self.backgrounds[name][1] for name in self.backgrounds) - self.shared.ac_events.sum()
        self.excess = max(float(release.coincident.sum()) - background, 1.0)
        """The C events above the nominal backgrounds: the flux multiplier starts where the CEvNS has as many."""

    def _neutrons(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """The BRN or NIN template (C bins only), normalised to the predicted events in the region of interest."""
        release = self.release
        pe = rebinned(release.neutron_pe_edges, release.neutron_energy[kind], release.pe_edges)
        edges = release.neutron_time_edges_us
        kept = release.neutron_time[kind] * timing.timing_efficiency(
            0.5 * (edges[:-1] + edges[1:]),
            release.value("timing_efficiency_onset_us"),
            release.value("timing_efficiency_slope_per_us"),
        )  # eq. T3 at the 0.01-us bin centres
        time = rebinned(edges, kept, release.time_edges_us)
        template = release.value(f"{kind}_events") * np.outer(pe / pe.sum(), time / time.sum())
        return self._placed(np.concatenate([template.ravel(), np.zeros(self.n_bins)]))

    def _placed(self, full: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(values in the bins with events, total) of a template over the C and AC bins."""
        return full[..., self.event_bins], full.sum(axis=-1)

    def anchored(self, per_point: npt.ArrayLike) -> PointTemplates:
        """:class:`PointTemplates` of CEvNS templates at the response points, shape (..., n_points, n_pe x n_time)
        over the C bins (:meth:`.response.Response.templates`)."""
        per_point = np.asarray(per_point, dtype=float)
        full = np.concatenate([per_point, np.zeros(per_point.shape[:-1] + (self.n_bins,))], axis=-1)
        return PointTemplates(*self._placed(full))

    def parameter_names(self) -> list[str]:
        """The parameters: flux, BRN and NIN multipliers, |t_s| of each shape parameter, steady-state multipliers."""
        return [FLUX, BRN, NIN, *SHAPES, *self.steady_names]

    def _parameters(self) -> likelihood.Parameters:
        names = self.parameter_names()
        nominal, width = np.ones(len(names)), np.full(len(names), np.inf)
        lower, upper = np.zeros(len(names)), np.full(len(names), STEADY_STATE_RANGE)
        width[0], upper[0] = self.flux_uncertainty, 10.0
        for k, kind in ((1, "brn"), (2, "nin")):
            p = self.release.parameters[f"{kind}_events"]
            width[k], upper[k] = p.uncertainty / p.nominal, p.upper / p.nominal
        shapes = slice(3, 3 + len(SHAPES))
        nominal[shapes], width[shapes], upper[shapes] = 0.0, 1.0, SHAPE_RANGE
        return likelihood.Parameters(nominal, width, lower, upper)

    def _shared(self) -> fit.Shared:
        """The problem-independent terms of eqs. M1-M2 in the C bins with events, and the AC window as F1 of
        :mod:`.fit`."""
        release = self.release
        ac_events = release.anticoincident.sum(axis=1).astype(float)
        if np.any(ac_events <= 0):
            raise ValueError(
                f"events.csv: PE bins {np.flatnonzero(ac_events <= 0).tolist()} have no anti-coincident "
                "events: their steady state is not measured"
            )
        c_bins = self.event_bins[self.event_bins < self.n_bins]
        row = c_bins // self.n_time
        neutrons = [self.backgrounds[name] for name in (BRN, NIN)]
        ac = release.anticoincident.astype(float)
        observed = np.concatenate([release.coincident.ravel(), ac.ravel()]).astype(float)
        n = observed[observed > 0]
        with np.errstate(divide="ignore"):
            ac_log = np.where(ac > 0, ac * np.log(ac_events[:, None] * self.steady_time), 0.0).sum()
        constant = 2.0 * (np.sum(n * np.log(n)) - n.sum() - ac_log)
        return fit.Shared(
            self.observed[: c_bins.size],
            row,
            ac_events[row] * self.steady_time[c_bins % self.n_time],
            ac_events,
            np.array([t[0][: c_bins.size] for t in neutrons]),
            np.array([t[1] for t in neutrons]),
            float(constant),
            (row[:, None] == np.arange(self.n_pe)).astype(float),
        )

    def profile(
        self,
        cevns: _TemplateSource,
        signal: _TemplateSource | None = None,
        signal_multiplier: npt.ArrayLike | None = None,
        flux_scale: npt.ArrayLike | None = None,
    ) -> tuple[np.ndarray, dict]:
        """-2 ln L of eqs. M1-M3 profiled over every nuisance parameter, for many problems at once.

        Parameters
        ----------
        cevns : object with a method ``at(point, rows=...)``
            (per-bin events, total) of the CEvNS template at a response point (:data:`.response.POINTS`), with
            a leading problem axis or shared (:class:`PointTemplates`, or a spectrum that depends on (g, m)).
        signal, signal_multiplier :
            Not supported (this analysis has no signal template besides CEvNS); must be None.
        flux_scale : ndarray, shape (P,), optional
            Fixes the SNS flux multiplier per problem and leaves its prior out; None: profiled with its prior.

        Returns
        -------
        deviance : ndarray, shape (P,)
        best : dict
            ``names``, ``theta`` (P, K) (shape parameters signed), and ``cevns_events`` (P,): the CEvNS events
            in the region of interest at the minimum.
        """
        if signal is not None or signal_multiplier is not None:
            raise NotImplementedError("coherent_csi_2021 has no signal template besides CEvNS")
        n_c = self.shared.observed.size
        points = [cevns.at(k) for k in range(len(POINTS))]
        n_problems = max(np.shape(total)[0] if np.ndim(total) == 1 else 1 for _, total in points)
        if flux_scale is not None:
            n_problems = max(n_problems, np.size(flux_scale))
        at_events = np.stack([np.broadcast_to(a[..., :n_c], (n_problems, n_c)) for a, _ in points], axis=1)
        totals = np.stack([np.broadcast_to(t, (n_problems,)) for _, t in points], axis=1)
        parameters = self._parameters()
        if flux_scale is not None:
            parameters = parameters.fixed(0, np.broadcast_to(np.asarray(flux_scale, dtype=float), (n_problems,)))
        limits = [
            np.broadcast_to(a, (n_problems, a.shape[-1]))
            for a in (parameters.nominal, 1.0 / parameters.width**2, parameters.lower, parameters.upper)
        ]
        deviance, theta = np.empty(n_problems), np.empty((n_problems, limits[0].shape[1]))
        pattern = np.empty((n_problems, len(SHAPES)))
        for start in range(0, n_problems, BLOCK):
            rows = np.arange(start, min(start + BLOCK, n_problems))
            deviance[rows], theta[rows], pattern[rows] = self._minimum(
                at_events[rows], totals[rows], [a[rows] for a in limits]
            )
        shapes = slice(3, 3 + len(SHAPES))
        absolute = theta[:, shapes].copy()
        theta[:, shapes] *= pattern
        plus = np.array([SHAPE_PARAMETERS[name][0] for name in SHAPES])
        minus = np.array([SHAPE_PARAMETERS[name][1] for name in SHAPES])
        varied = np.where(pattern > 0, totals[:, plus], totals[:, minus]) - totals[:, :1]
        events = totals[:, 0] + np.sum(absolute * varied, axis=1)
        return deviance, {"names": self.parameter_names(), "theta": theta, "cevns_events": theta[:, 0] * events}

    def _minimum(self, at_events, totals, limits):
        """(D, x, sign pattern) at the least minimum over the sign patterns of the problems of a block.

        First the pattern in which D decreases from t = 0 (the steepest side of each t_s at the start), then the
        seven others, each given up once its minimum is known to lie above the first's.
        """
        n_rows = totals.shape[0]
        plus = np.array([SHAPE_PARAMETERS[name][0] for name in SHAPES])
        minus = np.array([SHAPE_PARAMETERS[name][1] for name in SHAPES])
        start = np.array(limits[0])
        start[:, 0] *= np.minimum(1.0, self.excess / np.maximum(totals[:, 0], 1e-300))

        def problems(signs, rows):
            index = np.where(signs > 0, plus, minus)  # (Q, 3) response points
            base, base_total = at_events[rows, 0], totals[rows, 0]
            return fit.Problems(
                base,
                base_total,
                np.take_along_axis(at_events[rows], index[:, :, None], 1) - base[:, None],
                np.take_along_axis(totals[rows], index, 1) - base_total[:, None],
                *(a[rows] for a in limits),
            )

        rows = np.arange(n_rows)
        first = np.where(
            self._descending_side(
                problems(np.ones((n_rows, len(SHAPES))), rows), problems(-np.ones((n_rows, len(SHAPES))), rows), start
            ),
            1.0,
            -1.0,
        )
        deviance, x = fit.minimise(self.shared, problems(first, rows), start)
        pattern = first.copy()
        others = np.array([p for p in itertools.product((1.0, -1.0), repeat=len(SHAPES))])
        signs = np.repeat(others[None], n_rows, axis=0)
        signs = signs[~np.all(signs == first[:, None], axis=2)].reshape(n_rows * (len(others) - 1), len(SHAPES))
        owner = np.repeat(rows, len(others) - 1)
        warm = x[owner]  # the first pattern's minimum, its shape parameters of the other sign at zero
        warm[:, 3 : 3 + len(SHAPES)] *= signs == first[owner]
        value, y = fit.minimise(self.shared, problems(signs, owner), warm, give_up_above=deviance[owner])
        order = np.lexsort((value, owner))  # per problem, its least D first
        least = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
        better = value[least] < deviance
        deviance[better], x[better], pattern[better] = value[least][better], y[least][better], signs[least][better]
        return deviance, x, pattern

    def _descending_side(self, positive: fit.Problems, negative: fit.Problems, x: np.ndarray) -> np.ndarray:
        """Whether D decreases faster towards t_s > 0 than towards t_s < 0 at x (t = 0), per problem and t_s."""
        slope = [fit.shape_gradient(self.shared, p, x) for p in (positive, negative)]
        return slope[0] <= slope[1]


__all__ = ["POINTS", "CsIModel", "PointTemplates"]
