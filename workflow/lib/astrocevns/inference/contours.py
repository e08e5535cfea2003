"""Exclusion contours: polylines of chi2 = threshold in the (m, g) plane, islands included."""

from __future__ import annotations

from typing import cast

import contourpy
import numpy as np


def exclusion_contours(m_MeV: np.ndarray, g: np.ndarray, chi2: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """Lines where chi2 crosses ``threshold``, traced in (log10 m, log10 g).

    Parameters
    ----------
    m_MeV : ndarray, shape (M,)
    g : ndarray, shape (G,)
    chi2 : ndarray, shape (G, M)
        Infinite values (a prediction of zero events) are treated as excluded.
    threshold : float

    Returns
    -------
    dict of arrays (a table): ``line`` (index of the polyline), ``closed`` (True for a closed loop,
    e.g. an island of the vector cancellation region), ``m_MeV`` and ``g`` (in order along the line).
    """
    finite_cap = 10.0 * threshold + 1.0
    z = np.minimum(np.where(np.isfinite(chi2), chi2, finite_cap), finite_cap)
    generator = contourpy.contour_generator(np.log10(m_MeV), np.log10(g), z, line_type=contourpy.LineType.Separate)
    lines = cast(list[np.ndarray], generator.lines(threshold))  # LineType.Separate: a list of (n, 2) arrays
    index = np.concatenate([np.full(len(line), k) for k, line in enumerate(lines)]) if lines else np.zeros(0, int)
    closed = np.array([bool(np.allclose(line[0], line[-1])) for line in lines], dtype=np.bool_)
    points = np.concatenate(lines) if lines else np.zeros((0, 2))
    return {
        "line": index.astype(np.int64),
        "closed": closed[index] if lines else np.zeros(0, bool),
        "m_MeV": 10 ** points[:, 0],
        "g": 10 ** points[:, 1],
    }
