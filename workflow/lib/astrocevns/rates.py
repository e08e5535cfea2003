"""Binned recoil spectra through the separable engine (eq. 11 with eqs. 2, 5-6, 9-10).

For every (g, m) the differential rate factorises into E_r-only pieces times E_nu integrals that
do not depend on (g, m):

    dR/dE_r |_SM     = N_T eps F^2 G_F^2 m_T Q_w^2 / (4 pi) I_1(E_r)
    dR/dE_r |_vector = dR/dE_r|_SM (1 - g^2 K / (2 m_T E_r + m^2))^2,  K = sqrt(2) Q'_w / (G_F Q_w)
    dR/dE_r |_scalar = dR/dE_r|_SM + N_T eps F^2 Q_s^2 m_T^2 E_r / (4 pi) I_2(E_r) g^4 / (2 m_T E_r + m^2)^2

with I_1 = int psi (1 - m_T E_r / 2 E^2) dE and I_2 = int psi / E^2 dE over E >= E_nu^min(E_r).
A :class:`RecoilKernel` holds these E_r-only pieces on a Gauss-Legendre quadrature inside each
recoil bin; binned counts for whole arrays of (g, m) are then sums of m-only moments.
"""

from dataclasses import dataclass

import numpy as np

from . import constants as c
from . import cross_sections as xs
from .detectors import Detector

MEDIATORS = ("vector", "scalar")


@dataclass(frozen=True)
class RecoilBins:
    """Recoil-energy bins [keV] and the Gauss-Legendre nodes inside each of them.

    Attributes
    ----------
    edges_keV : ndarray, shape (n_bins + 1,)
    nodes_keV, weights_keV : ndarray, shape (n_bins, nodes_per_bin)
        Quadrature nodes and weights; a bin cut by the spectrum's end point is integrated
        only up to it.
    """

    edges_keV: np.ndarray
    nodes_keV: np.ndarray
    weights_keV: np.ndarray


def bin_edges(threshold_keV, width_keV, max_keV, end_point_keV):
    """Edges of ``width_keV`` bins from the threshold up to ``max_keV``, dropping bins above the end point.

    The paper: 1 keV threshold, 2 keV bins. The bin holding ``end_point_keV`` (the largest recoil
    the source can give) is kept whole here and cut by :func:`recoil_bins`.
    """
    n_bins = int(np.floor((max_keV - threshold_keV) / width_keV + 1e-9))
    edges = threshold_keV + width_keV * np.arange(n_bins + 1)
    return edges[: np.searchsorted(edges, end_point_keV, side="left") + 1]


def recoil_bins(edges_keV, end_point_keV, nodes_per_bin=16):
    """Gauss-Legendre nodes inside each bin, integrating only up to the end point.

    A bin cut by ``end_point_keV`` is integrated up to it (where the integrand vanishes); a bin
    entirely above it gets zero weights (this happens for the lighter nucleus of a compound target).
    """
    edges = np.asarray(edges_keV, dtype=float)
    lo = np.minimum(edges[:-1], end_point_keV)
    hi = np.minimum(edges[1:], end_point_keV)
    x, w = np.polynomial.legendre.leggauss(nodes_per_bin)
    half = 0.5 * (hi - lo)[:, None]
    return RecoilBins(edges, 0.5 * (hi + lo)[:, None] + half * x, half * w)


@dataclass(frozen=True)
class RecoilKernel:
    """The (g, m)-independent part of a binned spectrum for one (source, detector, efficiency).

    Attributes
    ----------
    bins : RecoilBins
    sm_rate_per_keV : ndarray, shape (n_bins, nodes_per_bin)
        SM events per keV at each node, dR/dE_r|_SM (efficiency, N_T and exposure included).
    scalar_rate_MeV4_per_keV : ndarray, shape (n_bins, nodes_per_bin)
        Scalar term per keV without g^4 / (2 m_T E_r + m^2)^2 [MeV^4 / keV].
    recoil_term_MeV2 : ndarray, shape (n_bins, nodes_per_bin)
        2 m_T E_r at each node [MeV^2].
    vector_strength_MeV2 : ndarray, shape (n_bins, nodes_per_bin)
        K = sqrt(2) Q'_w / (G_F Q_w) of the node's nucleus.

    A compound target (e.g. CsI) has the nodes of each of its nuclei side by side in every bin.
    """

    bins: RecoilBins
    sm_rate_per_keV: np.ndarray
    scalar_rate_MeV4_per_keV: np.ndarray
    recoil_term_MeV2: np.ndarray
    vector_strength_MeV2: np.ndarray

    def sm_counts(self):
        """SM counts per bin, shape (n_bins,)."""
        return np.sum(self.bins.weights_keV * self.sm_rate_per_keV, axis=-1)

    def _propagator_moments(self, rate, mediator_mass_MeV, power):
        """sum over a bin's nodes of w * rate / (2 m_T E_r + m^2)^power; shape m.shape + (n_bins,)."""
        m2 = np.asarray(mediator_mass_MeV, dtype=float)[..., None, None] ** 2
        return np.sum(self.bins.weights_keV * rate / (self.recoil_term_MeV2 + m2) ** power, axis=-1)

    def coupling_polynomial(self, mediator, mediator_mass_MeV):
        """Coefficients (a, b, c) of N_i(g, m) = a_i + b_i(m) g^2 + c_i(m) g^4, exact for both mediators.

        Each has shape m.shape + (n_bins,); ``a`` is the SM count. The vector case expands
        (1 - g^2 K / (2 m_T E_r + m^2))^2, the scalar case adds the g^4 term of eq. 10.
        """
        sm = np.broadcast_to(self.sm_counts(), np.shape(mediator_mass_MeV) + self.sm_counts().shape)
        if mediator == "vector":
            weighted = self.sm_rate_per_keV * self.vector_strength_MeV2
            P1 = self._propagator_moments(weighted, mediator_mass_MeV, 1)
            P2 = self._propagator_moments(weighted * self.vector_strength_MeV2, mediator_mass_MeV, 2)
            return sm, -2.0 * P1, P2
        if mediator == "scalar":
            P2 = self._propagator_moments(self.scalar_rate_MeV4_per_keV, mediator_mass_MeV, 2)
            return sm, np.zeros_like(P2), P2
        raise ValueError(f"unknown mediator {mediator!r}; expected one of {MEDIATORS}")

    def counts(self, mediator, coupling, mediator_mass_MeV):
        """Binned counts N_i(g, m) with the SM, shape broadcast(g, m).shape + (n_bins,).

        ``coupling`` and ``mediator_mass_MeV`` broadcast against each other (pass g[:, None] and
        m[None, :] for a grid); the E_r sums are done once per distinct mass.
        """
        return counts_from_polynomial(self.coupling_polynomial(mediator, mediator_mass_MeV), coupling)


def counts_from_polynomial(coefficients, coupling):
    """N_i = a_i + b_i g^2 + c_i g^4 from :meth:`RecoilKernel.coupling_polynomial` coefficients."""
    a, b, c = coefficients
    g2 = (np.asarray(coupling, dtype=float) ** 2)[..., None]
    return a + g2 * (b + g2 * c)


def _kernel_on(bins, fluence, detector):
    """The separable pieces of eq. 11 at the nodes of ``bins``."""
    nucleus = detector.nucleus
    E_r_MeV = bins.nodes_keV / c.KEV_PER_MEV
    J0, J2 = fluence.tail_integrals(xs.min_neutrino_energy_MeV(E_r_MeV, nucleus.mass_MeV))
    I1 = J0 - 0.5 * nucleus.mass_MeV * E_r_MeV * J2
    per_keV = detector.number_of_targets * detector.efficiency(bins.nodes_keV) / c.KEV_PER_MEV
    F2 = nucleus.form_factor(E_r_MeV) ** 2
    return RecoilKernel(
        bins=bins,
        sm_rate_per_keV=per_keV * xs.sm_prefactor_cm2_per_MeV(nucleus) * F2 * I1,
        scalar_rate_MeV4_per_keV=per_keV * xs.scalar_prefactor_cm2_MeV2(E_r_MeV, nucleus) * J2,
        recoil_term_MeV2=2.0 * nucleus.mass_MeV * E_r_MeV,
        vector_strength_MeV2=np.full(E_r_MeV.shape, xs.vector_strength_MeV2(nucleus)),
    )


def recoil_kernel(fluence, detector, width_keV, max_keV, nodes_per_bin=16):
    """Tabulate the separable pieces of eq. 11 for ``fluence`` (a PiecewiseLinearFluence) on ``detector``.

    ``detector`` is a :class:`Detector`, or a sequence of them for the nuclei of a compound target
    (each with its share of the mass, see :func:`astrocevns.config.detector_parts`): their rates
    add up, bin by bin, on common bin edges.
    """
    parts = [detector] if isinstance(detector, Detector) else list(detector)
    end_points_keV = [
        xs.max_recoil_energy_MeV(fluence.max_energy_MeV, part.nucleus.mass_MeV) * c.KEV_PER_MEV for part in parts
    ]
    edges = bin_edges(parts[0].threshold_keV, width_keV, max_keV, max(end_points_keV))
    kernels = [_kernel_on(recoil_bins(edges, end, nodes_per_bin), fluence, part)
               for part, end in zip(parts, end_points_keV)]
    if len(kernels) == 1:
        return kernels[0]

    def side_by_side(arrays):
        return np.concatenate(list(arrays), axis=-1)

    return RecoilKernel(
        bins=RecoilBins(edges, side_by_side(k.bins.nodes_keV for k in kernels),
                        side_by_side(k.bins.weights_keV for k in kernels)),
        **{name: side_by_side(getattr(k, name) for k in kernels) for name in
           ("sm_rate_per_keV", "scalar_rate_MeV4_per_keV", "recoil_term_MeV2", "vector_strength_MeV2")},
    )


def differential_rate_kernel(fluence, detector, E_r_keV):
    """A kernel whose 'counts' are the differential rate dR/dE_r [1/keV] at the recoil energies E_r_keV.

    Each energy is a zero-width 'bin' with one node of unit weight, so ``counts(mediator, g, m)``
    returns eq. 11 pointwise, through the same code as the binned spectra.
    """
    E = np.asarray(E_r_keV, dtype=float)
    bins = RecoilBins(np.append(E, E[-1]), E[:, None], np.ones((E.size, 1)))
    return _kernel_on(bins, fluence, detector)


def kernel_frame(kernel):
    """The kernel as a table {column: array}, one row per quadrature node (for Parquet)."""
    bins = kernel.bins
    n_bins, q = bins.nodes_keV.shape
    index = np.repeat(np.arange(n_bins), q)
    return {
        "bin": index,
        "E_lo_keV": bins.edges_keV[:-1][index],
        "E_hi_keV": bins.edges_keV[1:][index],
        "E_r_keV": bins.nodes_keV.ravel(),
        "weight_keV": bins.weights_keV.ravel(),
        "sm_rate_per_keV": kernel.sm_rate_per_keV.ravel(),
        "scalar_rate_MeV4_per_keV": kernel.scalar_rate_MeV4_per_keV.ravel(),
        "recoil_term_MeV2": kernel.recoil_term_MeV2.ravel(),
        "vector_strength_MeV2": kernel.vector_strength_MeV2.ravel(),
    }


def kernel_from_frame(frame):
    """Inverse of :func:`kernel_frame` (from a mapping of column name to array, or a DataFrame)."""
    bins = np.asarray(frame["bin"])
    n_bins = int(bins.max()) + 1 if bins.size else 0
    shape = (n_bins, bins.size // max(n_bins, 1))

    def column(name):
        return np.asarray(frame[name], dtype=float).reshape(shape)

    edges = np.append(np.asarray(frame["E_lo_keV"])[:: shape[1]], np.asarray(frame["E_hi_keV"])[-1:])
    return RecoilKernel(
        bins=RecoilBins(edges, column("E_r_keV"), column("weight_keV")),
        sm_rate_per_keV=column("sm_rate_per_keV"),
        scalar_rate_MeV4_per_keV=column("scalar_rate_MeV4_per_keV"),
        recoil_term_MeV2=column("recoil_term_MeV2"),
        vector_strength_MeV2=column("vector_strength_MeV2"),
    )


def spectrum_frame(kernel, mediator, masses_MeV, on_grid):
    """Binned spectra for all couplings at the given masses, as the exact polynomial in g^2.

    A table {column: array}, one row per (mass, bin), with columns ``m_MeV``, ``on_grid`` (False for extra masses such as
    the report masses), ``bin``, ``E_lo_keV``, ``E_hi_keV``, ``sm_counts`` and ``coeff_g2``,
    ``coeff_g4``: N_i(g, m) = sm_counts + coeff_g2 g^2 + coeff_g4 g^4 for any g.
    """
    masses = np.asarray(masses_MeV, dtype=float)
    a, b, c = kernel.coupling_polynomial(mediator, masses)
    n_bins = kernel.sm_counts().size
    edges = kernel.bins.edges_keV
    return {
        "m_MeV": np.repeat(masses, n_bins),
        "on_grid": np.repeat(np.asarray(on_grid, dtype=bool), n_bins),
        "bin": np.tile(np.arange(n_bins), masses.size),
        "E_lo_keV": np.tile(edges[:-1], masses.size),
        "E_hi_keV": np.tile(edges[1:], masses.size),
        "sm_counts": a.ravel(),
        "coeff_g2": b.ravel(),
        "coeff_g4": c.ravel(),
    }


def polynomial_from_frame(frame, on_grid):
    """(masses, (a, b, c)) of the rows of a :func:`spectrum_frame` table with ``on_grid`` as given.

    The coefficient arrays have shape (n_masses, n_bins); see :func:`counts_from_polynomial`.
    """
    rows = np.asarray(frame["on_grid"]) == on_grid
    masses = np.asarray(frame["m_MeV"])[rows & (np.asarray(frame["bin"]) == 0)]
    shape = (masses.size, -1)
    return masses, tuple(np.asarray(frame[name], dtype=float)[rows].reshape(shape)
                         for name in ("sm_counts", "coeff_g2", "coeff_g4"))
