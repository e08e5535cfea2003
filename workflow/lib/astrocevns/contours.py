"""Exclusion contours: polylines of chi2 = threshold in the (m, g) plane, islands included."""

import contourpy
import numpy as np
import pandas as pd


def exclusion_contours(m_MeV, g, chi2, threshold):
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
    DataFrame with columns ``line`` (index of the polyline), ``closed`` (True for a closed loop,
    e.g. an island of the vector cancellation region), ``m_MeV`` and ``g`` (in order along the line).
    """
    finite_cap = 10.0 * threshold + 1.0
    z = np.minimum(np.where(np.isfinite(chi2), chi2, finite_cap), finite_cap)
    generator = contourpy.contour_generator(
        np.log10(m_MeV), np.log10(g), z, line_type=contourpy.LineType.Separate
    )
    frames = []
    for index, line in enumerate(generator.lines(threshold)):
        closed = bool(np.allclose(line[0], line[-1]))
        frames.append(
            pd.DataFrame(
                {"line": index, "closed": closed, "m_MeV": 10 ** line[:, 0], "g": 10 ** line[:, 1]}
            )
        )
    if not frames:
        return pd.DataFrame({"line": pd.Series(dtype="int64"), "closed": pd.Series(dtype=bool),
                             "m_MeV": pd.Series(dtype=float), "g": pd.Series(dtype=float)})
    return pd.concat(frames, ignore_index=True)
