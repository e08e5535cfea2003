"""Exact boundaries of an excluded set in g at fixed mediator masses, and their drawable outlines.

At each mass the excluded set {g : chi2(g) > threshold} is a union of intervals in g (one above a
lower edge for the scalar; for the vector, also islands and the thin allowed strip of the
destructive interference, eq. 6). :func:`exclusion_edges` finds every edge of these
intervals by root-finding on the closed-form chi2 (the spectra are polynomials in g^2), so the
accuracy of a boundary is set by a tolerance, not by the spacing of a (g, m) grid.
:func:`outline_rings` and :func:`boundary_lines` join the edges at neighbouring masses into closed
outlines (to fill or hatch) and polylines (to stroke) for a figure.

Tables are mappings of column name to NumPy array, as in :mod:`astrocevns.inference.contours`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

import numpy as np

EDGE_KINDS = ("lower", "upper")
"""A lower edge has allowed couplings just below it and excluded ones just above; an upper edge the reverse."""

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0  # interval kept per golden-section step
_PROMINENCE = 1e-9  # relative depth (or height) of a scanned extremum searched for a hidden crossing
_EXTREMUM_TOLERANCE = 1e-7  # in ln g: far inside any strip a smooth chi2 of up to ~1e10 events can dip below T


def _evaluate_points(chi2_of_g, column, log_g, n_masses):
    """chi2 at scattered points (mass index ``column``, coupling exp(``log_g``)) with one call of ``chi2_of_g``.

    If ``chi2_of_g`` has a method ``at_points(couplings, column)`` (chi2 at each point, flat arrays), that is
    called: a chi2 that costs per point (a profiled likelihood) then evaluates no padding. Otherwise the points
    are arranged in an array of shape (rows, n_masses), row r holding the r-th point of each mass; the cells
    left over hold the smallest coupling of the points (evaluated, and ignored).
    """
    at_points = getattr(chi2_of_g, "at_points", None)
    values = _padded(chi2_of_g, column, log_g, n_masses) if at_points is None else at_points(np.exp(log_g), column)
    values = np.asarray(values, dtype=float)
    if values.shape != column.shape:
        raise ValueError(f"chi2_of_g.at_points returned shape {values.shape} for {column.size} points")
    if np.isnan(values).any():
        raise ValueError(f"chi2_of_g returned NaN at g = {np.exp(log_g[np.isnan(values)][0]):.6g}")
    return values


def _padded(chi2_of_g, column, log_g, n_masses):
    """chi2 at the points of :func:`_evaluate_points` through one call of ``chi2_of_g`` on a padded array."""
    order = np.argsort(column, kind="stable")
    first_of_mass = np.searchsorted(column[order], column[order], side="left")
    rank = np.empty(column.size, dtype=np.int64)
    rank[order] = np.arange(column.size) - first_of_mass
    couplings = np.full((int(rank.max()) + 1, n_masses), np.exp(log_g.min()))
    couplings[rank, column] = np.exp(log_g)
    chi2 = np.asarray(chi2_of_g(couplings), dtype=float)
    if chi2.shape != couplings.shape:
        raise ValueError(f"chi2_of_g returned shape {chi2.shape} for couplings of shape {couplings.shape}")
    return chi2[rank, column]


def _scan(chi2_of_g, log_g, n_masses, block):
    """chi2 on the log-uniform scan, shape (scan points, masses), ``block`` couplings at a time."""
    parts = []
    for start in range(0, log_g.size, block):
        couplings = np.repeat(np.exp(log_g[start : start + block, None]), n_masses, axis=1)
        chi2 = np.asarray(chi2_of_g(couplings), dtype=float)
        if chi2.shape != couplings.shape:
            raise ValueError(f"chi2_of_g returned shape {chi2.shape} for couplings of shape {couplings.shape}")
        parts.append(chi2)
    chi2 = np.concatenate(parts)
    if np.isnan(chi2).any():
        row, column = np.argwhere(np.isnan(chi2))[0]
        raise ValueError(f"chi2_of_g returned NaN at g = {np.exp(log_g[row]):.6g}, mass index {column}")
    return chi2


def _hidden_extrema(chi2_of_g, chi2, log_g, threshold):
    """Features narrower than the scan step: a local minimum of the scanned chi2 whose three samples are all
    excluded (an allowed strip may dip between them) or a local maximum whose samples are all allowed (an
    excluded island may rise between them). Each is located by golden-section search on [g_(i-1), g_(i+1)];
    returns (mass index, scan index i, log g of the extremum) of those that do cross the threshold.
    """
    below, centre, above = chi2[:-2], chi2[1:-1], chi2[2:]
    excluded = chi2 > threshold
    all_excluded = excluded[:-2] & excluded[1:-1] & excluded[2:]
    none_excluded = ~(excluded[:-2] | excluded[1:-1] | excluded[2:])
    # an extremum must stand out from round-off (chi2 is flat to 1e-16 where it saturates or vanishes); it may be
    # level with the next sample (an extremum half-way between two samples), never with the previous one, so that
    # each is taken once
    prominence = _PROMINENCE * np.maximum(np.abs(centre), threshold)
    with np.errstate(invalid="ignore"):  # inf - inf where chi2 is infinite: not an extremum
        minima = all_excluded & (below - centre > prominence) & (above - centre > -prominence)
        maxima = none_excluded & (centre - below > prominence) & (centre - above > -prominence)
    index, column = np.nonzero(minima | maxima)
    index = index + 1
    if index.size == 0:
        return column, index, np.zeros(0)
    sign = np.where(minima[index - 1, column], 1.0, -1.0)  # minimise sign * chi2
    lo, hi = log_g[index - 1], log_g[index + 1]
    n_steps = int(np.ceil(np.log(_EXTREMUM_TOLERANCE / np.max(hi - lo)) / np.log(_GOLDEN))) + 1
    inner_lo, inner_hi = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    n_masses = chi2.shape[1]
    f_lo = sign * _evaluate_points(chi2_of_g, column, inner_lo, n_masses)
    f_hi = sign * _evaluate_points(chi2_of_g, column, inner_hi, n_masses)
    for _ in range(n_steps):
        left = f_lo < f_hi  # the extremum lies in [lo, inner_hi]
        hi = np.where(left, inner_hi, hi)
        lo = np.where(left, lo, inner_lo)
        new = np.where(left, hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo))
        f_new = sign * _evaluate_points(chi2_of_g, column, new, n_masses)
        inner_lo, inner_hi, f_lo, f_hi = (
            np.where(left, new, inner_hi),
            np.where(left, inner_lo, new),
            np.where(left, f_new, f_hi),
            np.where(left, f_lo, f_new),
        )
    extremum = np.where(f_lo < f_hi, inner_lo, inner_hi)
    value = sign * np.minimum(f_lo, f_hi)
    crosses = np.where(sign > 0, value <= threshold, value > threshold)
    return column[crosses], index[crosses], extremum[crosses]


def _bisect(chi2_of_g, column, lo, hi, excluded_lo, threshold, rtol, n_masses):
    """Shrink brackets [lo, hi] in log g (excluded state ``excluded_lo`` at lo, the other at hi) to width rtol."""
    if column.size == 0:
        return lo
    n_steps = max(int(np.ceil(np.log2(np.max(hi - lo) / rtol))), 0)
    for _ in range(n_steps):
        mid = 0.5 * (lo + hi)
        same_as_lo = (_evaluate_points(chi2_of_g, column, mid, n_masses) > threshold) == excluded_lo
        lo, hi = np.where(same_as_lo, mid, lo), np.where(same_as_lo, hi, mid)
    return 0.5 * (lo + hi)


def exclusion_edges(
    chi2_of_g: Callable[[np.ndarray], np.ndarray],
    m_MeV: np.ndarray,
    g_min: float,
    g_max: float,
    threshold: float,
    scan_points: int = 400,
    rtol: float = 1e-10,
    block: int = 64,
) -> dict:
    """Every edge in g of the excluded set chi2(g, m) > threshold, at each mass of ``m_MeV``.

    A log-uniform scan of ``scan_points`` couplings in [g_min, g_max] brackets each crossing of the
    threshold; each bracket is then shrunk by bisection in ln g to a width of ``rtol``, so every edge is
    located to a relative precision ``rtol`` in g whatever the scan or grid spacing. Between scan points a
    feature narrower than the scan step is still found where it shows as a local extremum of the scanned
    chi2: a dip of an excluded stretch (the thin allowed strip of the vector mediator, where the rate
    returns to the SM along g^2 K / m^2 = 2, eq. 6) or a peak of an allowed one; its extremum is located by
    golden-section search and, if it crosses the threshold, its two edges are bisected as above. Only a
    feature that leaves no extremum in the scan (narrower than a step and on a monotonic stretch of the
    samples) can be missed.

    Parameters
    ----------
    chi2_of_g : callable
        Maps couplings of shape (n, k) to chi2 of shape (n, k), column j at the j-th mass (the convention
        of :func:`astrocevns.inference.bounds.smallest_excluded_coupling`); +inf counts as excluded, NaN is an error.
        An optional method ``at_points(couplings, column)`` gives chi2 at scattered points (flat arrays, mass
        index ``column``); the searches after the scan then evaluate only the points they need.
    m_MeV : ndarray, shape (k,)
        The masses, in the order of the columns of ``chi2_of_g``.
    g_min, g_max : float
        Range of couplings searched.
    threshold : float
        Delta chi2 of the confidence level (excluded where chi2 > threshold).
    scan_points : int
        Points of the scan; sets the narrowest feature that is surely found, not the accuracy.
    rtol : float
        Relative precision in g of every edge.
    block : int
        Couplings evaluated at once during the scan (bounds the memory of ``chi2_of_g``).

    Returns
    -------
    dict of arrays (a table), one row per edge, sorted by mass and then g:
        ``m_MeV``; ``g``; ``edge``, 'lower' or 'upper' (:data:`EDGE_KINDS`); ``interval``, the index of the
        excluded interval at that mass (0 for the lowest in g), so that each interval has one lower and one
        upper row; ``crossing``, True where chi2 crosses the threshold and False where the interval is cut
        by the end of the range (a lower row at g_min, an upper row at g_max).
    """
    masses = np.asarray(m_MeV, dtype=float)
    if not 0.0 < g_min < g_max:
        raise ValueError(f"need 0 < g_min < g_max, got g_min = {g_min}, g_max = {g_max}")
    if scan_points < 3:
        raise ValueError(f"scan_points must be at least 3, got {scan_points}")
    n_masses = masses.size
    log_g = np.linspace(np.log(g_min), np.log(g_max), scan_points)
    chi2 = _scan(chi2_of_g, log_g, n_masses, block)
    excluded = chi2 > threshold

    step, column = np.nonzero(excluded[1:] != excluded[:-1])
    lo, hi, excluded_lo = log_g[step], log_g[step + 1], excluded[step, column]
    dip_column, dip_index, dip_log_g = _hidden_extrema(chi2_of_g, chi2, log_g, threshold)
    dip_excluded = excluded[dip_index, dip_column]
    column = np.concatenate([column, dip_column, dip_column])
    lo = np.concatenate([lo, log_g[dip_index - 1], dip_log_g])
    hi = np.concatenate([hi, dip_log_g, log_g[dip_index + 1]])
    excluded_lo = np.concatenate([excluded_lo, dip_excluded, ~dip_excluded])
    roots = _bisect(chi2_of_g, column, lo, hi, excluded_lo, threshold, rtol, n_masses)

    at_start, at_end = np.flatnonzero(excluded[0]), np.flatnonzero(excluded[-1])
    column = np.concatenate([column, at_start, at_end])
    log_edge = np.concatenate([roots, np.full(at_start.size, log_g[0]), np.full(at_end.size, log_g[-1])])
    is_lower = np.concatenate([~excluded_lo, np.ones(at_start.size, bool), np.zeros(at_end.size, bool)])
    crossing = np.concatenate([np.ones(roots.size, bool), np.zeros(at_start.size + at_end.size, bool)])
    # the range ends sort outside the crossings, which lie strictly inside the scan
    order = np.lexsort((log_edge, column))
    column, log_edge, is_lower, crossing = column[order], log_edge[order], is_lower[order], crossing[order]
    lowers_so_far = np.cumsum(is_lower)
    before_mass = np.concatenate([[0], lowers_so_far])[np.searchsorted(column, column, side="left")]
    interval = lowers_so_far - before_mass - 1
    g = np.exp(log_edge)
    g[~crossing & is_lower], g[~crossing & ~is_lower] = g_min, g_max  # exact ends, free of exp(log()) round-off
    return {
        "m_MeV": masses[column],
        "g": g,
        "edge": np.where(is_lower, *EDGE_KINDS),
        "interval": interval.astype(np.int64),
        "crossing": crossing,
    }


def excluded_intervals(edge_table: dict, m_MeV: np.ndarray) -> tuple[dict, np.ndarray]:
    """The excluded intervals [g_low, g_high] at each mass from a table of :func:`exclusion_edges`.

    Returns
    -------
    intervals : dict of arrays (a table), one row per interval, sorted by mass and then g
        ``m_MeV``; ``interval`` (0 for the lowest in g); ``g_low``, ``g_high``; ``to_range_end``, True where the
        interval is cut by the end of the searched range rather than closed by a crossing (everything above
        g_low, up to the range, is excluded).
    counts : ndarray of int, shape (k,)
        The number of intervals at each mass of ``m_MeV`` (0 where nothing in range is excluded).
    """
    m_edge = np.asarray(edge_table["m_MeV"], dtype=float)
    lower = np.asarray(edge_table["edge"]) == "lower"
    upper = ~lower
    intervals = {
        "m_MeV": m_edge[lower],
        "interval": np.asarray(edge_table["interval"])[lower],
        "g_low": np.asarray(edge_table["g"])[lower],
        "g_high": np.asarray(edge_table["g"])[upper],
        "to_range_end": ~np.asarray(edge_table["crossing"])[upper],
    }
    masses = np.asarray(m_MeV, dtype=float)
    counts = (intervals["m_MeV"][None, :] == masses[:, None]).sum(axis=1)
    return intervals, counts.astype(np.int64)


def _align(left, right, left_limit, right_limit):
    """Match the edges at two neighbouring masses, in order; the edges left over close in pairs.

    ``left`` and ``right`` are ln g of the edges at each mass, sorted, alternately lower and upper (both
    starting with a lower edge); ``left_limit`` and ``right_limit`` flag those that are only the end of the
    coupling range. Matched edges are of the same kind and keep their order; an edge without a partner
    goes with its neighbour, the two closing an interval or a gap between the masses. The alignment chosen
    closes as few pairs as possible (a feature seen at both masses is joined, however narrow); then matches
    as few range ends with true crossings as possible (an edge seen at both masses is followed rather than
    handed over to the end of the range); then has the least displacement of matched edges plus width of
    closed features (all in ln g). Returns the steps in order of g: ('match', i, j), ('left', i) (left edges
    i and i + 1 close) or ('right', j).
    """
    n_left, n_right = len(left), len(right)
    cost = np.full((n_left + 1, n_right + 1, 3), np.inf)  # (pairs closed, range ends matched with crossings, ln g)
    step = np.empty((n_left + 1, n_right + 1), dtype=object)
    cost[0, 0] = 0.0
    for i in range(n_left + 1):
        for j in range(n_right + 1):
            options = []
            if i and j and (i - j) % 2 == 0:
                mixed = left_limit[i - 1] != right_limit[j - 1]
                shift = abs(left[i - 1] - right[j - 1])
                options.append((cost[i - 1, j - 1] + (0, mixed, shift), ("match", i - 1, j - 1)))
            if i >= 2:
                options.append((cost[i - 2, j] + (1, 0, left[i - 1] - left[i - 2]), ("left", i - 2)))
            if j >= 2:
                options.append((cost[i, j - 2] + (1, 0, right[j - 1] - right[j - 2]), ("right", j - 2)))
            if options:
                best = min(options, key=lambda option: tuple(option[0]))
                cost[i, j], step[i, j] = best
    steps, i, j = [], n_left, n_right
    while i or j:
        steps.append(step[i, j])
        if step[i, j][0] == "match":
            i, j = i - 1, j - 1
        elif step[i, j][0] == "left":
            i -= 2
        else:
            j -= 2
    return steps[::-1]


class _Outline:
    """Nodes of the outline graph: coordinates, the range limit a node lies on (-1 g_min, +1 g_max, 0 none),
    and for each node its successor along the outline with a flag for whether that segment is a boundary."""

    def __init__(self):
        self.m, self.log_g, self.limit, self.next, self.stroke = [], [], [], {}, {}

    def add(self, m: float, log_g: float, limit: int) -> int:
        self.m.append(m)
        self.log_g.append(log_g)
        self.limit.append(limit)
        return len(self.m) - 1

    def link(self, *path: int, stroke: bool = True) -> None:
        """Join the nodes of ``path`` in order (the excluded side on the left of the direction of travel)."""
        for a, b in pairwise(path):
            self.next[a] = b
            self.stroke[a] = stroke and not (self.limit[a] == self.limit[b] != 0)

    def tip(self, m: float, lower: int, upper: int, floor: float, ceiling: float) -> list[int]:
        """The node(s) where an interval or a gap between two intervals closes, at mass ``m``: one node at the
        mean ln g of its two edges (kept within [floor, ceiling], the neighbouring joins at that mass), or on
        the range limit an edge lies on (two nodes if both do). Returns the new nodes from lower to upper."""
        limits = (self.limit[lower], self.limit[upper])
        if limits[0] and limits[1]:
            return [self.add(m, self.log_g[lower], limits[0]), self.add(m, self.log_g[upper], limits[1])]
        if limits[0] or limits[1]:
            node = lower if limits[0] else upper
            return [self.add(m, self.log_g[node], self.limit[node])]
        return [self.add(m, min(max(0.5 * (self.log_g[lower] + self.log_g[upper]), floor), ceiling), 0)]

    def join(self, left: Sequence[int], right: Sequence[int], m_half: float) -> None:
        """Link the edges ``left`` at one mass (node indices in order of g) to the edges ``right`` at the next."""
        steps = _align(
            *([self.log_g[n] for n in side] for side in (left, right)),
            *([self.limit[n] != 0 for n in side] for side in (left, right)),
        )
        # ln g of each step half-way between the masses: matched edges there bound the closing tips
        joins = [0.5 * (self.log_g[left[s[1]]] + self.log_g[right[s[2]]]) if s[0] == "match" else None for s in steps]
        for index, (kind, *position) in enumerate(steps):
            if kind == "match":
                i, j = position
                if i % 2 == 0:  # lower edges run towards larger masses, upper ones back
                    self.link(left[i], right[j])
                else:
                    self.link(right[j], left[i])
                continue
            floor = max([v for v in joins[:index] if v is not None], default=-np.inf)
            ceiling = min([v for v in joins[index + 1 :] if v is not None], default=np.inf)
            side, k = (left, position[0]) if kind == "left" else (right, position[0])
            below, above = side[k], side[k + 1]
            tip = self.tip(m_half, below, above, floor, ceiling)
            interval = k % 2 == 0  # (lower, upper): an interval; (upper, lower): a gap
            if (kind == "left") == interval:  # an interval ends or a gap opens: travel up through the tip
                self.link(below, *tip, above)
            else:  # an interval starts or a gap closes: travel down
                self.link(above, *tip[::-1], below)


def outline_rings(edges: Mapping[str, np.ndarray], m_MeV: np.ndarray) -> dict:
    """Closed outlines of the excluded set from its edges at every mass (a table of :func:`exclusion_edges`).

    The edges at neighbouring masses are joined in order of g, lower to lower and upper to upper, by
    straight segments in (ln m, ln g). Where the number of intervals changes between two masses, the
    interval or gap that has no partner closes half-way between them (in ln m), at the mean ln g of its
    two edges (see :func:`_align` for which one closes); a narrow feature present at both masses, such as
    the thin allowed strip of the vector mediator, stays one continuous region. At the first and last mass
    the outline closes along the mass. Each ring is traversed with the excluded set on its left: in
    (ln m, ln g) an outer boundary runs counter-clockwise and the boundary of an allowed hole clockwise,
    so the rings fill correctly with the even-odd or the non-zero rule.

    Parameters
    ----------
    edges : dict of arrays
        ``m_MeV``, ``g``, ``edge``, ``crossing`` as returned by :func:`exclusion_edges`.
    m_MeV : ndarray, shape (k,)
        Every mass the edges were computed at, increasing (a mass without a row has nothing excluded).

    Returns
    -------
    dict of arrays (a table), one row per vertex in order along each ring: ``ring`` (index), ``m_MeV``,
    ``g``, and ``stroke``, True where the segment from this vertex to the next one of the ring (the first
    after the last) is part of the exclusion boundary, False where it runs along an end of the coupling
    range or closes the outline at the first or last mass.
    """
    masses = np.asarray(m_MeV, dtype=float)
    row_mass = np.asarray(edges["m_MeV"], dtype=float)
    column = np.searchsorted(masses, row_mass)
    if not (np.all(np.diff(masses) > 0) and np.all(column < masses.size) and np.array_equal(masses[column], row_mass)):
        raise ValueError("outline_rings: m_MeV must increase and contain the mass of every edge")
    log_g = np.log(np.asarray(edges["g"], dtype=float))
    is_lower = np.asarray(edges["edge"]) == EDGE_KINDS[0]
    limit = np.where(np.asarray(edges["crossing"], dtype=bool), 0, np.where(is_lower, -1, 1))
    order = np.lexsort((log_g, column))
    outline = _Outline()
    columns = []  # node indices of the edges at each mass, in order of g
    for k in range(masses.size):
        rows = order[column[order] == k]
        if np.any(is_lower[rows] != (np.arange(rows.size) % 2 == 0)) or rows.size % 2:
            raise ValueError(f"outline_rings: the edges at m = {masses[k]:g} MeV do not alternate lower, upper")
        columns.append([outline.add(masses[k], log_g[row], limit[row]) for row in rows])
    for lower, upper in zip(columns[0][::2], columns[0][1::2], strict=True):  # close along the first mass, down
        outline.link(upper, lower, stroke=False)
    for lower, upper in zip(columns[-1][::2], columns[-1][1::2], strict=True):  # and along the last one, up
        outline.link(lower, upper, stroke=False)
    for k in range(masses.size - 1):
        outline.join(columns[k], columns[k + 1], np.sqrt(masses[k] * masses[k + 1]))
    ring: list[int] = []
    walk: list[int] = []  # the nodes in ring order
    seen = np.zeros(len(outline.m), dtype=bool)
    for start in range(len(outline.m)):
        if seen[start]:
            continue
        node, index = start, ring[-1] + 1 if ring else 0
        while not seen[node]:
            seen[node] = True
            ring.append(index)
            walk.append(node)
            node = outline.next[node]
    order = np.asarray(walk, dtype=np.int64)
    return {
        "ring": np.asarray(ring, dtype=np.int64),
        "m_MeV": np.asarray(outline.m, dtype=float)[order],
        "g": np.exp(np.asarray(outline.log_g, dtype=float)[order]),
        "stroke": np.asarray([outline.stroke[node] for node in order], dtype=bool),
    }


def boundary_lines(rings: dict) -> dict:
    """The stroked parts of outline rings (a table of :func:`outline_rings`) as polylines.

    Returns
    -------
    dict of arrays (a table) in the format of :func:`astrocevns.inference.contours.exclusion_contours`: ``line``
    (index), ``closed`` (True for a ring stroked all round, e.g. an island; its first vertex is repeated at
    the end), ``m_MeV`` and ``g`` in order along the line.
    """
    ring = np.asarray(rings["ring"])
    m, g, stroke = (np.asarray(rings[name]) for name in ("m_MeV", "g", "stroke"))
    lines, closed = [], []
    for index in np.unique(ring):
        rows = np.flatnonzero(ring == index)
        if stroke[rows].all():
            lines.append(np.append(rows, rows[0]))
            closed.append(True)
            continue
        # start after a segment that is not stroked, so that no run wraps around the end of the ring
        rows = np.roll(rows, -(int(np.flatnonzero(~stroke[rows])[-1]) + 1))
        run = []
        for row in rows:
            if stroke[row]:
                run.append(row)
            elif run:
                lines.append(np.append(run, row))
                closed.append(False)
                run = []
    sizes = [len(rows) for rows in lines]
    rows = np.concatenate(lines) if lines else np.zeros(0, dtype=np.int64)
    return {
        "line": np.repeat(np.arange(len(lines), dtype=np.int64), sizes),
        "closed": np.repeat(np.asarray(closed, dtype=bool), sizes),
        "m_MeV": m[rows],
        "g": g[rows],
    }
