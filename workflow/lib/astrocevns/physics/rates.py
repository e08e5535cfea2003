"""Binned recoil spectra through the separable engine (eq. 11 with eqs. 2, 5-6, 9-10), for any charge model.

For every (g, m) the differential rate factorises into E_r-only pieces times E_nu integrals that
do not depend on (g, m). For the neutrinos of flavour group alpha, with the model's charges q_alpha
(neutrino) and Q_V or Q_S (nucleus) in units of its coupling g (:mod:`astrocevns.physics.models`):

    dR/dE_r |_SM     = N_T eps F^2 G_F^2 m_T Q_w^2 / (4 pi) I_1^alpha(E_r)
    dR/dE_r |_vector = dR/dE_r|_SM (1 - g^2 q_alpha Q_V K / (2 m_T E_r + m^2))^2,  K = sqrt(2) / (G_F Q_w)
    dR/dE_r |_scalar = dR/dE_r|_SM + N_T eps F^2 (q_alpha Q_S)^2 m_T^2 E_r / (4 pi) I_2^alpha g^4 / (2 m_T E_r + m^2)^2

with I_1 = int psi_alpha (1 - m_T E_r / 2 E^2) dE and I_2 = int psi_alpha / E^2 dE over E >= E_nu^min(E_r).
A :class:`RecoilKernel` holds these E_r-only pieces for each flavour group (the whole flux, and each
flavour) on a Gauss-Legendre quadrature inside each recoil bin. The counts of a model are the sum
over its flavour groups of kernel x charge polynomial, still N_i = a_i + b_i(m) g^2 + c_i(m) g^4:
sums of m-only moments for whole arrays of (g, m). A flavour-blind model uses the whole flux alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from . import constants as c
from . import cross_sections as xs
from .detectors import Detector
from .fluxes import PiecewiseLinearFluence
from .models import ALL_FLAVOURS, Model, as_model

if TYPE_CHECKING:
    import pandas as pd

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


def bin_edges(threshold_keV: float, width_keV: float, max_keV: float, end_point_keV: npt.ArrayLike) -> np.ndarray:
    """Edges of ``width_keV`` bins from the threshold up to ``max_keV``, dropping bins above the end point.

    The paper: 1 keV threshold, 2 keV bins. The bin holding ``end_point_keV`` (the largest recoil
    the source can give) is kept whole here and cut by :func:`recoil_bins`.
    """
    n_bins = int(np.floor((max_keV - threshold_keV) / width_keV + 1e-9))
    edges = threshold_keV + width_keV * np.arange(n_bins + 1)
    return edges[: np.searchsorted(edges, end_point_keV, side="left") + 1]


def recoil_bins(edges_keV: npt.ArrayLike, end_point_keV: npt.ArrayLike, nodes_per_bin: int = 16) -> RecoilBins:
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


NODE_COLUMNS = ("recoil_term_MeV2", "proton_number", "neutron_number", "weak_charge")
GROUP_COLUMNS = {"sm_rate_per_keV": "sm_rate_{}_per_keV", "scalar_rate_MeV4_per_keV": "scalar_rate_{}_MeV4_per_keV"}
"""Kernel attributes held per flavour group, and the table column of a group's values."""


@dataclass(frozen=True)
class RecoilKernel:
    """The (g, m)-independent part of a binned spectrum for one (source, detector, efficiency).

    Attributes
    ----------
    bins : RecoilBins
    groups : tuple of str
        Flavour groups: :data:`models.ALL_FLAVOURS` (the whole flux, always first), then the flavours the
        flux table resolves ('e', 'mu', 'tau').
    sm_rate_per_keV : ndarray, shape (n_groups, n_bins, nodes_per_bin)
        SM events per keV at each node from each group, dR/dE_r|_SM (efficiency, N_T and exposure included).
    scalar_rate_MeV4_per_keV : ndarray, shape (n_groups, n_bins, nodes_per_bin)
        Scalar term per keV of each group without (q_alpha Q_S)^2 g^4 / (2 m_T E_r + m^2)^2 [MeV^4 / keV].
    recoil_term_MeV2 : ndarray, shape (n_bins, nodes_per_bin)
        2 m_T E_r at each node [MeV^2]: the propagator's recoil term and the momentum transfer Q^2.
    proton_number, neutron_number, weak_charge : ndarray, shape (n_bins, nodes_per_bin)
        Z, N = A - Z and Q_w of the node's nucleus (a model's nuclear charges follow from Z and N).

    A compound target (e.g. CsI) has the nodes of each of its nuclei side by side in every bin.
    """

    bins: RecoilBins
    groups: tuple
    sm_rate_per_keV: np.ndarray
    scalar_rate_MeV4_per_keV: np.ndarray
    recoil_term_MeV2: np.ndarray
    proton_number: np.ndarray
    neutron_number: np.ndarray
    weak_charge: np.ndarray

    def sm_counts(self) -> np.ndarray:
        """SM counts per bin of the whole flux, shape (n_bins,)."""
        return np.sum(self.bins.weights_keV * self.sm_rate_per_keV[self.groups.index(ALL_FLAVOURS)], axis=-1)

    def _propagator_moments(self, rate, mediator_mass_MeV, power):
        """sum over a bin's nodes of w * rate / (2 m_T E_r + m^2)^power; shape m.shape + (n_bins,)."""
        m2 = np.asarray(mediator_mass_MeV, dtype=float)[..., None, None] ** 2
        return np.sum(self.bins.weights_keV * rate / (self.recoil_term_MeV2 + m2) ** power, axis=-1)

    def _charge_weighted(self, rates, neutrino_charges, power):
        """sum over the flavour groups of q_alpha^power x the group's rate at each node."""
        missing = sorted(set(neutrino_charges) - set(self.groups))
        if missing:
            raise ValueError(
                f"the kernel has no flavour group {missing[0]!r} (its groups: {self.groups}); a "
                "flavour-dependent model needs a flavour-resolved flux table"
            )
        index = [self.groups.index(group) for group in neutrino_charges]
        charges = np.array(list(neutrino_charges.values()), dtype=float) ** power
        return np.tensordot(charges, rates[index], axes=1)

    def group_polynomial(
        self, model: Model, neutrino_charges: dict, mediator_mass_MeV: npt.ArrayLike
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a, b, c) of N_i = a_i + b_i g^2 + c_i g^4 for ``model``'s nuclear charges, summed over the flavour
        groups of ``neutrino_charges`` ({group: q_alpha}) each with its own charge.

        Each coefficient has shape m.shape + (n_bins,); ``a`` is the SM count of the whole flux. The vector
        case expands (1 - g^2 q_alpha Q_V K / (2 m_T E_r + m^2))^2, the scalar case adds the g^4 term of eq. 10.
        """
        sm = np.broadcast_to(self.sm_counts(), np.shape(mediator_mass_MeV) + self.sm_counts().shape)
        if model.mediator == "vector":
            strength = vector_strength_MeV2(
                model.vector_charge(self.proton_number, self.neutron_number, self.recoil_term_MeV2), self.weak_charge
            )
            P1 = self._propagator_moments(
                self._charge_weighted(self.sm_rate_per_keV, neutrino_charges, 1) * strength, mediator_mass_MeV, 1
            )
            P2 = self._propagator_moments(
                self._charge_weighted(self.sm_rate_per_keV, neutrino_charges, 2) * strength**2, mediator_mass_MeV, 2
            )
            return sm, -2.0 * P1, P2
        charge_sq = model.scalar_charge(self.proton_number, self.neutron_number) ** 2
        P2 = self._propagator_moments(
            self._charge_weighted(self.scalar_rate_MeV4_per_keV, neutrino_charges, 2) * charge_sq, mediator_mass_MeV, 2
        )
        return sm, np.zeros_like(P2), P2

    def coupling_polynomial(
        self, model: Model | str, mediator_mass_MeV: npt.ArrayLike
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Coefficients (a, b, c) of N_i(g, m) = a_i + b_i(m) g^2 + c_i(m) g^4, exact, g the model's coupling.

        ``model``: a :class:`models.Model`, or 'vector' / 'scalar' for the paper's universal models.
        A flavour-blind model uses the whole flux; otherwise its flavours are summed with their charges.
        """
        model = as_model(model)
        return self.group_polynomial(model, model.flavour_group_charges(), mediator_mass_MeV)

    def counts(self, model: Model | str, coupling: npt.ArrayLike, mediator_mass_MeV: npt.ArrayLike) -> np.ndarray:
        """Binned counts N_i(g, m) with the SM, shape broadcast(g, m).shape + (n_bins,).

        ``coupling`` and ``mediator_mass_MeV`` broadcast against each other (pass g[:, None] and
        m[None, :] for a grid); the E_r sums are done once per distinct mass.
        """
        return counts_from_polynomial(self.coupling_polynomial(model, mediator_mass_MeV), coupling)


def vector_strength_MeV2(vector_charge: npt.ArrayLike, weak_charge: npt.ArrayLike) -> np.ndarray:
    """sqrt(2) Q_V / (G_F Q_w) [MeV^2]: the Z' amplitude per unit g^2 q_alpha relative to the SM one (eq. 6);
    for Q_V = 3 A it is :func:`cross_sections.vector_strength_MeV2`."""
    return np.sqrt(2.0) * np.asarray(vector_charge) / (c.G_F_PER_MEV2 * np.asarray(weak_charge))


def counts_from_polynomial(coefficients: Sequence[np.ndarray], coupling: npt.ArrayLike) -> np.ndarray:
    """N_i = a_i + b_i g^2 + c_i g^4 from :meth:`RecoilKernel.coupling_polynomial` coefficients."""
    a, b, c = coefficients
    g2 = (np.asarray(coupling, dtype=float) ** 2)[..., None]
    counts = g2 * c  # the full broadcast shape; the rest of Horner's scheme in place
    counts += b
    counts *= g2
    counts += a
    return counts


def _flavour_groups(fluence):
    """{group: PiecewiseLinearFluence}: a single fluence is the whole flux (:data:`models.ALL_FLAVOURS`)."""
    groups = {ALL_FLAVOURS: fluence} if isinstance(fluence, PiecewiseLinearFluence) else dict(fluence)
    if ALL_FLAVOURS not in groups:
        raise ValueError(f"the fluences by flavour group need the whole flux under {ALL_FLAVOURS!r}")
    return {ALL_FLAVOURS: groups.pop(ALL_FLAVOURS), **groups}


def _kernel_on(bins, groups, detector):
    """The separable pieces of eq. 11 at the nodes of ``bins``, for each flavour group's fluence."""
    nucleus = detector.nucleus
    E_r_MeV = bins.nodes_keV / c.KEV_PER_MEV
    E_min = xs.min_neutrino_energy_MeV(E_r_MeV, nucleus.mass_MeV)
    per_keV = detector.number_of_targets * detector.efficiency(bins.nodes_keV) / c.KEV_PER_MEV
    sm_prefactor = per_keV * xs.sm_prefactor_cm2_per_MeV(nucleus) * nucleus.form_factor(E_r_MeV) ** 2
    scalar_prefactor = per_keV * xs.scalar_prefactor_cm2_MeV2(E_r_MeV, nucleus) / nucleus.scalar_charge**2
    sm, scalar = [], []
    for fluence in groups.values():
        J0, J2 = fluence.tail_integrals(E_min)
        sm.append(sm_prefactor * (J0 - 0.5 * nucleus.mass_MeV * E_r_MeV * J2))
        scalar.append(scalar_prefactor * J2)
    return RecoilKernel(
        bins=bins,
        groups=tuple(groups),
        sm_rate_per_keV=np.stack(sm),
        scalar_rate_MeV4_per_keV=np.stack(scalar),
        recoil_term_MeV2=2.0 * nucleus.mass_MeV * E_r_MeV,
        proton_number=np.full(E_r_MeV.shape, float(nucleus.Z)),
        neutron_number=np.full(E_r_MeV.shape, float(nucleus.N)),
        weak_charge=np.full(E_r_MeV.shape, nucleus.weak_charge),
    )


def recoil_kernel(
    fluence: PiecewiseLinearFluence | Mapping[str, PiecewiseLinearFluence],
    detector: Detector | Sequence[Detector],
    width_keV: float,
    max_keV: float,
    nodes_per_bin: int = 16,
) -> RecoilKernel:
    """Tabulate the separable pieces of eq. 11 for ``fluence`` on ``detector``.

    ``fluence`` is a PiecewiseLinearFluence (the whole flux), or {flavour group: PiecewiseLinearFluence}
    with the whole flux under :data:`models.ALL_FLAVOURS` (see :func:`sources.flavour_fluences`).
    ``detector`` is a :class:`Detector`, or a sequence of them for the nuclei of a compound target
    (each with its share of the mass, see :func:`astrocevns.physics.builders.detector_parts`): their rates
    add up, bin by bin, on common bin edges.
    """
    groups = _flavour_groups(fluence)
    parts = [detector] if isinstance(detector, Detector) else list(detector)
    E_max_MeV = groups[ALL_FLAVOURS].max_energy_MeV
    end_points_keV = [xs.max_recoil_energy_MeV(E_max_MeV, part.nucleus.mass_MeV) * c.KEV_PER_MEV for part in parts]
    edges = bin_edges(parts[0].threshold_keV, width_keV, max_keV, max(end_points_keV))
    kernels = [
        _kernel_on(recoil_bins(edges, end, nodes_per_bin), groups, part)
        for part, end in zip(parts, end_points_keV, strict=False)
    ]
    if len(kernels) == 1:
        return kernels[0]

    def side_by_side(arrays: Iterable[np.ndarray]) -> np.ndarray:
        return np.concatenate(list(arrays), axis=-1)

    return RecoilKernel(
        bins=RecoilBins(
            edges, side_by_side(k.bins.nodes_keV for k in kernels), side_by_side(k.bins.weights_keV for k in kernels)
        ),
        groups=kernels[0].groups,
        **{name: side_by_side(getattr(k, name) for k in kernels) for name in (*GROUP_COLUMNS, *NODE_COLUMNS)},
    )


def differential_rate_kernel(
    fluence: PiecewiseLinearFluence | Mapping[str, PiecewiseLinearFluence], detector: Detector, E_r_keV: npt.ArrayLike
) -> RecoilKernel:
    """A kernel whose 'counts' are the differential rate dR/dE_r [1/keV] at the recoil energies E_r_keV.

    Each energy is a zero-width 'bin' with one node of unit weight, so ``counts(model, g, m)``
    returns eq. 11 pointwise, through the same code as the binned spectra.
    """
    E = np.asarray(E_r_keV, dtype=float)
    bins = RecoilBins(np.append(E, E[-1]), E[:, None], np.ones((E.size, 1)))
    return _kernel_on(bins, _flavour_groups(fluence), detector)


def kernel_frame(kernel: RecoilKernel) -> dict[str, np.ndarray]:
    """The kernel as a table {column: array}, one row per quadrature node (for Parquet); the columns of a
    flavour group are named ``sm_rate_<group>_per_keV`` and ``scalar_rate_<group>_MeV4_per_keV``."""
    bins = kernel.bins
    n_bins, q = bins.nodes_keV.shape
    index = np.repeat(np.arange(n_bins), q)
    return {
        "bin": index,
        "E_lo_keV": bins.edges_keV[:-1][index],
        "E_hi_keV": bins.edges_keV[1:][index],
        "E_r_keV": bins.nodes_keV.ravel(),
        "weight_keV": bins.weights_keV.ravel(),
        **{name: getattr(kernel, name).ravel() for name in NODE_COLUMNS},
        **{
            pattern.format(group): getattr(kernel, name)[i].ravel()
            for name, pattern in GROUP_COLUMNS.items()
            for i, group in enumerate(kernel.groups)
        },
    }


def kernel_from_frame(frame: Mapping[str, npt.ArrayLike] | pd.DataFrame) -> RecoilKernel:
    """Inverse of :func:`kernel_frame` (from a mapping of column name to array, or a DataFrame)."""
    bins = np.asarray(frame["bin"])
    n_bins = int(bins.max()) + 1 if bins.size else 0
    shape = (n_bins, bins.size // max(n_bins, 1))

    def column(name: str) -> np.ndarray:
        return np.asarray(frame[name], dtype=float).reshape(shape)

    prefix, suffix = GROUP_COLUMNS["sm_rate_per_keV"].split("{}")
    groups = tuple(
        name[len(prefix) : -len(suffix)] for name in frame if name.startswith(prefix) and name.endswith(suffix)
    )
    edges = np.append(np.asarray(frame["E_lo_keV"])[:: shape[1]], np.asarray(frame["E_hi_keV"])[-1:])
    return RecoilKernel(
        bins=RecoilBins(edges, column("E_r_keV"), column("weight_keV")),
        groups=groups,
        **{
            name: np.stack([column(pattern.format(group)) for group in groups])
            for name, pattern in GROUP_COLUMNS.items()
        },
        **{name: column(name) for name in NODE_COLUMNS},
    )


def spectrum_frame(
    kernel: RecoilKernel, model: Model | str, masses_MeV: npt.ArrayLike, on_grid: npt.ArrayLike
) -> dict[str, np.ndarray]:
    """Binned spectra of ``model`` (a Model, or 'vector' / 'scalar') for all its couplings at the given masses,
    as the exact polynomial in g^2.

    A table {column: array}, one row per (mass, bin), with columns ``m_MeV``, ``on_grid`` (False for extra
    masses such as the report masses), ``bin``, ``E_lo_keV``, ``E_hi_keV``, ``sm_counts`` and ``coeff_g2``,
    ``coeff_g4``: N_i(g, m) = sm_counts + coeff_g2 g^2 + coeff_g4 g^4 for any g.
    """
    masses = np.asarray(masses_MeV, dtype=float)
    a, b, c = kernel.coupling_polynomial(model, masses)
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


def polynomial_from_frame(
    frame: Mapping[str, npt.ArrayLike], on_grid: bool
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(masses, (a, b, c)) of the rows of a :func:`spectrum_frame` table with ``on_grid`` as given.

    The coefficient arrays have shape (n_masses, n_bins); see :func:`counts_from_polynomial`.
    """
    rows = np.asarray(frame["on_grid"]) == on_grid
    masses = np.asarray(frame["m_MeV"])[rows & (np.asarray(frame["bin"]) == 0)]
    shape = (masses.size, -1)
    return masses, tuple(
        np.asarray(frame[name], dtype=float)[rows].reshape(shape) for name in ("sm_counts", "coeff_g2", "coeff_g4")
    )
