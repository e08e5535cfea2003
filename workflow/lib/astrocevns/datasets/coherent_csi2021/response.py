"""The COHERENT CsI[Na] 2021 response to a nuclear-recoil spectrum: quenching, resolution, efficiency and timing.

A recoil of energy E_r [MeVnr] gives the electron-equivalent energy (the release's scintillation response)

    E_ee(E_r) = a E_r + b E_r^2 + c E_r^3 + d E_r^4        [MeVee],                                      (E1)

and a reconstructed energy x [PE] distributed as a gamma distribution of shape 1 + beta and rate
alpha (1 + beta), alpha = r_a / E_ee, beta = r_b E_ee (E_ee in keVee; mean E_ee / r_a = 13.35 PE per
keVee), kept with the energy efficiency of the release

    eff(x) = max(0, a / (1 + exp(-b (x - c))) + d).                                                      (E2)

The expected events of timing group g (prompt, delayed) in PE bin i and time bin j are

    T_gij = tau_gj sum_k w_k dR_g/dE_r(E_k) int_{x_i}^{x_i+1} Gamma(x | E_ee(E_k)) eff(x) dx,             (E3)

with Gauss-Legendre nodes E_k and weights w_k on the recoil range and tau_gj the time-bin fraction of the
group (:func:`astrocevns.datasets.coherent_csi2021.timing.bin_probabilities`); the PE integral is Gauss-Legendre on
every 1-PE interval. Eq. E3 is evaluated at the response points: the nominal curves and the release's
+-1 sigma variants of the efficiency and of the two scintillation-response models (:data:`POINTS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..xenonnt2024.response import recoil_nodes
from . import timing

if TYPE_CHECKING:
    from .release import Release

POINTS = (
    ("nominal", "nominal"),
    ("plus", "nominal"),
    ("minus", "nominal"),
    ("nominal", "model0_plus"),
    ("nominal", "model0_minus"),
    ("nominal", "model1_plus"),
    ("nominal", "model1_minus"),
)
"""The response points: (efficiency variant, quenching variant), the nominal point first."""
SHAPE_PARAMETERS = {"t_efficiency": (1, 2), "t_quenching_0": (3, 4), "t_quenching_1": (5, 6)}
"""Each shape parameter with the points of its +1 and -1 sigma variants (the others nominal)."""


def quenched_keVee(E_r_keV: npt.ArrayLike, coefficients: np.ndarray) -> np.ndarray:
    """Eq. E1 in keV: the electron-equivalent energy [keVee] of recoils of ``E_r_keV`` [keVnr]."""
    x = np.asarray(E_r_keV, dtype=float) * 1e-3
    a, b, c, d = coefficients
    return 1e3 * x * (a + x * (b + x * (c + x * d)))


def efficiency(pe: npt.ArrayLike, coefficients: np.ndarray) -> np.ndarray:
    """Eq. E2: the energy efficiency at reconstructed energies ``pe`` [PE], clipped at 0 where the fit is negative."""
    a, b, c, d = coefficients
    return np.maximum(0.0, a / (1.0 + np.exp(-b * (np.asarray(pe, dtype=float) - c))) + d)


def pe_density(
    pe: npt.ArrayLike, E_ee_keV: npt.ArrayLike, resolution_a_keVee: float, resolution_b_per_keVee: float
) -> np.ndarray:
    """The gamma density [1/PE] of the reconstructed energy ``pe`` for ``E_ee_keV`` (broadcast together)."""
    from scipy.stats import gamma  # here, not at the top: the workflow imports this module to plan the run

    E_ee = np.asarray(E_ee_keV, dtype=float)
    shape = 1.0 + resolution_b_per_keVee * E_ee
    rate = resolution_a_keVee / E_ee * shape
    return gamma.pdf(pe, shape, scale=1.0 / rate)


@dataclass(frozen=True)
class Response:
    """Eq. E3 as a matrix at every response point.

    Attributes
    ----------
    nodes_keV : ndarray, shape (n_nodes,)
        Recoil energies at which a spectrum is needed.
    energy : ndarray, shape (n_points, n_nodes, n_pe)
        w_k times the PE-bin integral of eq. E3 at each point [events per (event / keV)].
    time : ndarray, shape (n_groups, n_time)
        tau_gj: the fraction of each timing group's events in each time bin (timing efficiency included).
    target_mass_t : float
        The detector's mass [t] (its recoil rates are per keV for this mass over the exposure).
    """

    nodes_keV: np.ndarray
    energy: np.ndarray
    time: np.ndarray
    target_mass_t: float

    def templates(self, rate_per_keV: npt.ArrayLike) -> np.ndarray:
        """Templates of spectra known at the nodes per timing group (eq. E3), events per (PE, time) bin.

        Parameters
        ----------
        rate_per_keV : ndarray, shape (..., n_groups, n_nodes)
            dR/dE_r of each timing group [events / keV over the exposure].

        Returns
        -------
        ndarray, shape (...) + (n_points, n_pe x n_time)
            PE-major (bin i, j at i n_time + j).
        """
        per_bin = np.einsum("...gk,pki,gj->...pij", np.asarray(rate_per_keV, dtype=float), self.energy, self.time)
        return per_bin.reshape(per_bin.shape[:-2] + (-1,))


def energy_matrix(release: Release, nodes_keV: np.ndarray, weights_keV: np.ndarray, pe_nodes: int) -> np.ndarray:
    """w_k int_bin Gamma(x | E_ee(E_k)) eff(x) dx of eq. E3 at every point, shape (n_points, n_nodes, n_pe)."""
    edges = release.pe_edges
    unit_edges = np.arange(edges[0], edges[-1] + 0.5)
    x, w = recoil_nodes(unit_edges, pe_nodes)
    owner = np.searchsorted(edges, x, side="right") - 1
    a, b = release.value("resolution_a_keVee"), release.value("resolution_b_per_keVee")
    matrix = []
    for efficiency_variant, quenching_variant in POINTS:
        E_ee = quenched_keVee(nodes_keV, release.quenching[quenching_variant])
        weighted = pe_density(x, E_ee[:, None], a, b) * efficiency(x, release.efficiency[efficiency_variant]) * w
        per_bin = np.zeros((nodes_keV.size, edges.size - 1))
        np.add.at(per_bin.T, owner, weighted.T)  # per_bin[:, owner] += weighted, unbuffered
        matrix.append(per_bin * weights_keV[:, None])
    return np.array(matrix)


def build_response(release: Release, settings: Mapping) -> Response:
    """The :class:`Response` of ``release`` with the numeric settings of the config section ``coherent_csi_2021``
    (``recoil_keV``: min, max, step; ``recoil_nodes_per_interval``, ``pe_nodes_per_PE``, ``time_nodes_per_bin``;
    accuracy quoted in tests/test_coherent_csi2021.py)."""
    recoil = settings["recoil_keV"]
    edges_keV = np.linspace(
        recoil["min"], recoil["max"], int(round((recoil["max"] - recoil["min"]) / recoil["step"])) + 1
    )
    nodes, weights = recoil_nodes(edges_keV, settings["recoil_nodes_per_interval"])
    time = timing.bin_probabilities(
        release.time_edges_us,
        release.value("pot_trace_mean_us"),
        release.value("pot_trace_width_us"),
        release.value("timing_efficiency_onset_us"),
        release.value("timing_efficiency_slope_per_us"),
        settings["time_nodes_per_bin"],
    )
    return Response(
        nodes,
        energy_matrix(release, nodes, weights, settings["pe_nodes_per_PE"]),
        time,
        release.value("detector_mass_kg") * 1e-3,
    )
