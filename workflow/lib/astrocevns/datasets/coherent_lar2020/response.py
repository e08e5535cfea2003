"""The CEvNS template of a recoil spectrum in the 960 (energy, F90, time) bins of Analysis A.

The release gives the CEvNS PDF of the Standard Model only, P_k(i, f, t) (reconstructed-energy bin i, F90 bin f,
time bin t) at its response points k (nominal, F90 +-1 sigma, timing mean). A spectrum dR/dT_g of timing group g
(prompt nu_mu; delayed nu_e and anti-nu_mu) [events / keVnr over the release's exposure] is carried through the
detector chain (:mod:`.detector`) to the accepted events per reconstructed-energy bin,

    N_kgi = int dT dR/dT_g(T) p(i | E_ee(T; QF_k)),                                                      (R1)

and the release's PDF is reweighted per energy bin and timing group:

    C_k(i, f, t) = rho_ki sum_g N_kgi S_kgi(f, t),   rho_ki = P_k(i) / N^SM_i,                            (R2)

with P_k(i) the release's CEvNS events in bin i, N^SM_i the Standard Model's N_0gi summed over g (the workflow's
own cross section, flux and chain) and S_kgi(f, t) the shape in F90 and time of group g in bin i, unit sum:

- ``timing: groups`` (default): S_kgi(f, t) = F_ki(f) tau_kg(t), F_ki the release's F90 distribution in bin i and
  tau_kg the time profile of the group (eq. D3, with the POT-trace mean fitted to the release's CEvNS time
  profile; +200 ns, the YAML's uncertainty, at the timing-mean point). The release's PDF factorises into energy x
  F90 x one time profile, the same in every energy bin (prompt fraction 0.25 everywhere); eq. R2 keeps its energy
  and F90 distributions and gives each bin the time profile of its own prompt fraction (0.31 in 0-10 keVee, 0.10
  in 10-20, 0 above). A mediator that changes the prompt and delayed spectra differently thus changes the time
  distribution as it should. At the Standard Model the template differs from the release's PDF only in that
  energy-time correlation (tests quote D).
- ``timing: release``: S_kgi = P_k(i, f, t) / P_k(i) for both groups: the release's PDF reweighted per energy bin
  only; equal to it at the Standard Model.

F90 given the reconstructed energy is taken to be independent of the timing group and of the spectrum (a property
of the light pulse of a recoil of that energy), and the spectrum's shape inside a 10 keVee bin changes F90 and
time nowhere. The quenching points k (a +-1 sigma, b +-1 sigma) change N_kgi through QF_k and keep the release's
nominal shapes and P_0(i).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ...physics import constants as c
from ...physics import cross_sections as xs
from ...physics import fluxes, rates
from ...physics.detectors import Detector, Efficiency
from ...physics.models import ALL_FLAVOURS
from ...physics.nuclei import Nucleus
from . import detector
from .release import ENERGY_EDGES_KEVEE, SHAPE, TIME_EDGES_US, Release

POINTS = (
    "nominal",
    "cevns_f90_plus",
    "cevns_f90_minus",
    "cevns_timing_mean",
    "quenching_a_plus",
    "quenching_a_minus",
    "quenching_b_plus",
    "quenching_b_minus",
)
"""The response points: the release's CEvNS PDF and its variants, then the quenching factor at +-1 sigma."""

GROUPS = ("prompt", "delayed")
"""The timing groups: prompt nu_mu (pi+ decay), delayed nu_e and anti-nu_mu (mu+ decay)."""

TIMINGS = ("groups", "release")

MICHEL_POINTS = 2001
"""Energy nodes of the Michel spectra (as astrocevns.physics.sources: their integrals are within 1e-6 of exact)."""


@dataclass(frozen=True)
class Response:
    """Eqs. R1-R2 as matrices.

    Attributes
    ----------
    nodes_keV : ndarray, shape (n_nodes,)
        Recoil energies [keVnr] at which a spectrum is needed.
    energy : ndarray, shape (n_points, n_groups, n_nodes, 12)
        Quadrature weight x p(i | E_ee(T)) x rho_ki [events per bin per (event / keVnr)].
    shapes : ndarray, shape (n_points, n_groups, 12, 80)
        S_kgi(f, t), F90-major.
    fluences : dict of str to dict
        Per timing group its fluence by flavour group (astrocevns.physics.rates), the release's beam.
    detector : astrocevns.physics.detectors.Detector
        The fiducial argon (efficiency left to ``energy``).
    standard_model_events : ndarray, shape (n_points, n_groups, 12)
        N_kgi of the Standard Model (eq. R1, absolute: the workflow's own prediction).
    timing : tuple of float
        (POT-trace mean [us], prompt fraction, largest residual) of the fit to the release's time profile.
    """

    nodes_keV: np.ndarray
    energy: np.ndarray
    shapes: np.ndarray
    fluences: dict
    detector: Detector
    standard_model_events: np.ndarray
    timing: tuple

    def energy_bins(self, rate_per_keV: npt.ArrayLike) -> np.ndarray:
        """rho_ki N_kgi of eq. R2 for spectra (..., n_groups, n_nodes): shape (..., n_points, n_groups, 12)."""
        return np.einsum("...gn,kgni->...kgi", np.asarray(rate_per_keV, dtype=float), self.energy)

    def templates(self, rate_per_keV: npt.ArrayLike) -> np.ndarray:
        """C_k of eq. R2 for spectra dR/dT per timing group at the nodes, shape (..., n_groups, n_nodes)
        [events / keVnr over the exposure]; returns events per bin, shape (..., n_points, 960)."""
        per_bin = np.einsum("...kgi,kgib->...kib", self.energy_bins(rate_per_keV), self.shapes)
        return per_bin.reshape(per_bin.shape[:-2] + (-1,))

    def kernel(self, group: str) -> rates.RecoilKernel:
        """The differential-rate kernel of timing group ``group`` on the fiducial argon at the nodes."""
        return rates.differential_rate_kernel(self.fluences[group], self.detector, self.nodes_keV)


def beam_fluences(release: Release, points: int = MICHEL_POINTS) -> dict:
    """{timing group: {flavour group: PiecewiseLinearFluence}} of the release's beam (13.8e22 POT, 0.09 neutrinos
    per flavour per proton, 27.5 m): prompt nu_mu; delayed nu_e and anti-nu_mu (flavour groups e, mu)."""
    E = fluxes.pion_decay_at_rest_grid(points)[1:]  # the fluence grid is positive; every flux vanishes at 0
    flux = fluxes.pion_decay_at_rest_fluence(
        E,
        release.value("protons_on_target_1e22") * 1e22,
        release.value("neutrinos_per_proton"),
        release.value("distance_m"),
    )
    zero = np.zeros_like(E)

    def groups(e, mu):
        return {
            ALL_FLAVOURS: fluxes.PiecewiseLinearFluence(E, e + mu),
            "e": fluxes.PiecewiseLinearFluence(E, e),
            "mu": fluxes.PiecewiseLinearFluence(E, mu),
            "tau": fluxes.PiecewiseLinearFluence(E, zero),
        }

    return {"prompt": groups(zero, flux["numu"]), "delayed": groups(flux["nue"], flux["numubar"])}


def recoil_nodes(nucleus: Nucleus, interval_keV: float, nodes_per_interval: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights [keVnr] on intervals of about ``interval_keV`` from 0 to the largest recoil
    of the delayed neutrinos (m_mu / 2), with a break at the prompt line's end point (where dR/dT jumps)."""
    prompt, delayed = (
        float(xs.max_recoil_energy_MeV(E, nucleus.mass_MeV)) * c.KEV_PER_MEV
        for E in (fluxes.PROMPT_LINE_MEV + fluxes.PROMPT_LINE_HALF_WIDTH_MEV, 0.5 * c.MUON_MASS_MEV)
    )
    edges = np.concatenate(
        [
            np.linspace(0.0, prompt, max(int(np.ceil(prompt / interval_keV)), 1) + 1),
            np.linspace(prompt, delayed, max(int(np.ceil((delayed - prompt) / interval_keV)), 1) + 1)[1:],
        ]
    )
    x, w = np.polynomial.legendre.leggauss(nodes_per_interval)
    half = 0.5 * np.diff(edges)[:, None]
    return (0.5 * (edges[1:] + edges[:-1])[:, None] + half * x).ravel(), (half * w).ravel()


def _quenching_points(release: Release) -> list[tuple[float, float]]:
    """(a, b) at every response point: nominal but at the quenching points."""
    a, b = release.value("quenching_a"), release.value("quenching_b_per_keVnr")
    da, db = release.uncertainty("quenching_a"), release.uncertainty("quenching_b_per_keVnr")
    shifted = {
        "quenching_a_plus": (a + da, b),
        "quenching_a_minus": (a - da, b),
        "quenching_b_plus": (a, b + db),
        "quenching_b_minus": (a, b - db),
    }
    return [shifted.get(point, (a, b)) for point in POINTS]


def _release_pdf(release: Release, point: str) -> np.ndarray:
    return release.pdfs[point if point in release.pdfs else "cevns"]


def _shapes(release: Release, timing: str, mean_us: float, width_us: float) -> np.ndarray:
    """S_kgi(f, t) of eq. R2, shape (n_points, n_groups, 12, 80)."""
    shift_us = release.uncertainty("pot_trace_mean_ns") * 1e-3
    out = np.zeros((len(POINTS), len(GROUPS), SHAPE[0], SHAPE[1] * SHAPE[2]))
    for k, point in enumerate(POINTS):
        pdf = _release_pdf(release, point)
        per_bin = pdf.sum(axis=(1, 2))
        filled = per_bin > 0
        if timing == "release":
            out[k, :, filled] = (pdf[filled] / per_bin[filled, None, None]).reshape(-1, 1, out.shape[-1])
            continue
        f90 = pdf.sum(axis=2)[filled] / per_bin[filled, None]
        mean = mean_us + (shift_us if point == "cevns_timing_mean" else 0.0)
        profiles = detector.time_profiles(TIME_EDGES_US, mean, width_us)
        out[k][:, filled] = (f90[None, :, :, None] * profiles[:, None, None, :]).reshape(len(GROUPS), -1, out.shape[-1])
    return out


def build_response(
    release: Release, nucleus: Nucleus, timing: str, interval_keV: float, nodes_per_interval: int
) -> Response:
    """The :class:`Response` of the release for the argon ``nucleus`` (accuracy of the nodes in the tests)."""
    if timing not in TIMINGS:
        raise ValueError(f"coherent_lar_2020.timing: {timing!r}, expected one of {TIMINGS}")
    nodes, weights = recoil_nodes(nucleus, interval_keV, nodes_per_interval)
    argon = Detector("cenns10", nucleus, release.value("fiducial_mass_kg") / c.KG_PER_TONNE, 0.0, Efficiency.ideal())
    fluences = beam_fluences(release)
    resolution = release.value("resolution_keVee_sqrt")
    acceptance = (
        np.array(
            [
                detector.bin_acceptance(
                    detector.quenched_keVee(nodes, a, b),
                    ENERGY_EDGES_KEVEE,
                    release.efficiency_keVee,
                    release.efficiency,
                    resolution,
                )
                for a, b in _quenching_points(release)
            ]
        )
        * weights[:, None]
    )  # (points, nodes, 12)
    sm_rate = np.array([rates.differential_rate_kernel(fluences[g], argon, nodes).sm_counts() for g in GROUPS])
    standard_model = np.einsum("gn,kni->kgi", sm_rate, acceptance)
    own = standard_model[0].sum(axis=0)
    release_bins = np.array([_release_pdf(release, point).sum(axis=(1, 2)) for point in POINTS])
    rho = np.divide(release_bins, own, out=np.zeros_like(release_bins), where=own > 0)
    width_us = release.value("pot_trace_width_ns") * 1e-3
    timing_fit = detector.fit_timing(
        release.pdfs["cevns"].sum(axis=(0, 1)) / release.pdfs["cevns"].sum(),
        TIME_EDGES_US,
        width_us,
        release.value("pot_trace_mean_ns") * 1e-3,
    )
    energy = np.broadcast_to((acceptance * rho[:, None, :])[:, None], (len(POINTS), len(GROUPS)) + acceptance.shape[1:])
    return Response(
        nodes,
        np.ascontiguousarray(energy),
        _shapes(release, timing, timing_fit[0], width_us),
        fluences,
        argon,
        standard_model,
        timing_fit,
    )
