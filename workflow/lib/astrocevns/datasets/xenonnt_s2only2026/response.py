"""The XENONnT S2-only response to a nuclear-recoil spectrum, from the release's mono-energetic response matrices.

The release gives, per science run and charge-yield anchor t_qy, the expected events in each cS2 bin for
one recoil per tonne-year at each of 50 energies E_k between 0.5 and 5 keV. The template of a spectrum
dR/dE_r [events / (t yr keV)] is

    T_i(t_qy) = int_{0.5 keV}^{5 keV} dR/dE_r(E) M_i(E, t_qy) dE,                                      (R1)

with M_i interpolated linearly in E between the E_k; the integral is a Gauss-Legendre sum on every
interval between adjacent E_k (:func:`astrocevns.datasets.xenonnt2024.response.recoil_nodes`). The release's own
recipe (its example notebook) is the midpoint rule on cells around the E_k, M_i(E_k) dR/dE_r(E_k) dE_k,
which it warns is not guaranteed for spectra steep on the scale of the spacing; the solar CEvNS spectrum
falls by a factor of about 20 between 0.5 and 2 keV. Recoils below 0.5 keV and above 5 keV are not
represented (the search's nuclear-recoil range).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..xenonnt2024.response import multilinear, recoil_nodes

if TYPE_CHECKING:
    from .release import Release


@dataclass(frozen=True)
class Response:
    """Eq. R1 as a matrix for every science run and t_qy anchor.

    Attributes
    ----------
    nodes_keV : ndarray, shape (n_nodes,)
        Recoil energies at which a spectrum is needed.
    matrix : ndarray, shape (n_runs, n_anchors, n_nodes, n_bins)
        Quadrature weight times the interpolated response at each node [events per bin per tonne-year per
        (event / (t yr keV))].
    """

    nodes_keV: np.ndarray
    matrix: np.ndarray

    def templates(self, rate_per_t_yr_keV: npt.ArrayLike) -> np.ndarray:
        """Templates of spectra known at the nodes (eq. R1), events per bin per tonne-year.

        Parameters
        ----------
        rate_per_t_yr_keV : ndarray, shape (..., n_nodes)

        Returns
        -------
        ndarray, shape (...) + (n_runs, n_anchors, n_bins)
        """
        return np.einsum("...k,rakn->...ran", np.asarray(rate_per_t_yr_keV, dtype=float), self.matrix)


def build_response(release: Release, nodes_per_interval: int) -> Response:
    """The :class:`Response` of a release with ``nodes_per_interval`` Gauss-Legendre nodes between adjacent
    mono-energetic energies (accuracy quoted in tests/test_xenonnt_s2only2026.py)."""
    nodes, weights = recoil_nodes(release.energy_keV, nodes_per_interval)
    matrix = np.array(
        [
            np.moveaxis(multilinear((release.energy_keV,), np.moveaxis(run.response, 1, 0), nodes[:, None]), 0, 1)
            for run in release.runs
        ]
    )
    return Response(nodes, matrix * weights[:, None])
