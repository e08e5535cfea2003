"""Mediator models defined by their charges (paper secs. II A-B and VII, generalised to any U(1) or scalar).

A model is a mediator type, the charges of the nucleus's constituents and of each neutrino flavour
alpha = e, mu, tau in units of the model's own coupling constant g_X (g_BL for U(1)_{B-L}), and the
name of that constant. The paper's g = sqrt(g_nu g_q) is the model ``universal_vector`` (or
``universal_scalar``): every quark and every neutrino with charge +1.

Vector (eqs. 5-6 with signed charges). A Z' with couplings g_X q_u, g_X q_d to the up and down quarks
sees the vector charge of a nucleus

    Q_V = (2 q_u + q_d) Z + (q_u + 2 q_d) N      (3 A for q_u = q_d = 1: the paper's Q'_w),

and for nu_alpha the weak amplitude becomes xi_alpha = -Q_w / 2 + g_X^2 q_alpha Q_V / (sqrt(2) G_F (2 m_T E_r + m^2)),
so that the rate is the SM one times (1 - g_X^2 q_alpha Q_V K / (2 m_T E_r + m^2))^2 with
K = sqrt(2) / (G_F Q_w). With Q_w > 0 (neutrons dominate), a positive product q_alpha Q_V (the paper's
g_nu g_q > 0) interferes destructively and the rate vanishes where the bracket does; a negative one
(U(1)_{B-L}: q_nu = -1, q_q = +1/3) interferes constructively, so the rate never falls below the SM.

Scalar (eqs. 9-10). No interference: the extra rate grows with (q_alpha Q_S)^2, where the scalar
charge Q_S = s_p Z + s_n N has s_p = 15.1 q_q and s_n = 14 q_q for one coupling q_q to every quark
(eq. 10: Q_s = 14 A + 1.1 Z); a model may give the nucleon scalar charges instead.

Kinetic mixing. A model without tree-level quark couplings whose charged leptons carry charges that
sum to zero (L_mu - L_tau) mixes with the photon through a finite charged-lepton loop and so couples
to the proton's electric charge, with the momentum-dependent charge of :func:`kinetic_mixing_proton_charge`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import constants as c

FLAVOURS = ("e", "mu", "tau")
"""Neutrino flavours; neutrinos and antineutrinos of a flavour share their CEvNS cross section."""

ALL_FLAVOURS = "all"
"""The flavour group of the whole flux, used by models whose neutrino charges are flavour-blind."""

MEDIATOR_TYPES = ("vector", "scalar")

CHARGED_LEPTON_MASSES_MEV = {"e": c.ELECTRON_MASS_MEV, "mu": c.MUON_MASS_MEV, "tau": c.TAU_MASS_MEV}

KINETIC_MIXING_NODES = 48
"""Gauss-Legendre nodes of the Feynman-parameter integral of a lepton loop. Against its closed form, for
Q^2 <= 1 GeV^2: within 1e-12 for the muon and tau loops, 1e-7 for the electron loop (steep near x = 0,
where Q^2 x >> m_e^2), i.e. 2e-10 in the proton charge (tests/test_models.py)."""


@dataclass(frozen=True)
class Model:
    """A mediator model: couplings in units of its coupling constant g_X.

    Attributes
    ----------
    name : str
        Key of the model in the config (e.g. ``"b_minus_l"``).
    mediator : {'vector', 'scalar'}
    neutrino_charges : tuple of float
        q_alpha of nu_e, nu_mu, nu_tau (and of their antineutrinos), ordered like :data:`FLAVOURS`.
    proton_charge, neutron_charge : float
        Tree-level nucleon charges: 2 q_u + q_d and q_u + 2 q_d for a vector; the scalar charges for a scalar.
    kinetic_mixing : bool
        Add the one-loop kinetic-mixing charge of the proton (vector only), see :func:`kinetic_mixing_proton_charge`.
    coupling_name, coupling_latex : str
        The coupling constant g_X the bounds are given in, plain and as LaTeX.
    citation : str
    """

    name: str
    mediator: str
    neutrino_charges: tuple
    proton_charge: float
    neutron_charge: float
    kinetic_mixing: bool = False
    coupling_name: str = "g"
    coupling_latex: str = "g"
    citation: str = ""

    def __post_init__(self):
        if self.mediator not in MEDIATOR_TYPES:
            raise ValueError(f"model {self.name!r}: unknown mediator {self.mediator!r}; expected {MEDIATOR_TYPES}")
        if len(self.neutrino_charges) != len(FLAVOURS):
            raise ValueError(f"model {self.name!r}: one neutrino charge per flavour {FLAVOURS} expected")
        if self.kinetic_mixing and self.mediator != "vector":
            raise ValueError(f"model {self.name!r}: kinetic mixing needs a vector mediator")

    def neutrino_charge(self, flavour: str) -> float:
        """q_alpha of the neutrinos of ``flavour`` ('e', 'mu' or 'tau')."""
        return self.neutrino_charges[FLAVOURS.index(flavour)]

    @property
    def flavour_blind(self) -> bool:
        """Whether every neutrino flavour has the same charge (then only the whole flux matters)."""
        return len(set(self.neutrino_charges)) == 1

    def flavour_group_charges(self) -> dict:
        """{flavour group: q_alpha} the rate is summed over: the whole flux for a flavour-blind model, else each
        flavour with a non-zero charge."""
        if self.flavour_blind:
            return {ALL_FLAVOURS: self.neutrino_charges[0]}
        return {f: q for f, q in zip(FLAVOURS, self.neutrino_charges, strict=True) if q != 0.0}

    def vector_charge(
        self, Z: npt.ArrayLike, N: npt.ArrayLike, momentum_transfer_sq_MeV2: npt.ArrayLike = 0.0
    ) -> np.ndarray:
        """Q_V of a nucleus (Z protons, N neutrons) in units of g_X, at Q^2 = 2 m_T E_r [MeV^2].

        Q_V = q_p Z + q_n N, plus the kinetic-mixing charge of the protons when the model has it.
        Broadcasts over its arguments.
        """
        if self.mediator != "vector":
            raise ValueError(f"model {self.name!r} is a scalar: it has no vector charge")
        proton: float | np.ndarray = self.proton_charge
        if self.kinetic_mixing:
            proton = proton + kinetic_mixing_proton_charge(self.neutrino_charges, momentum_transfer_sq_MeV2)
        return proton * np.asarray(Z, dtype=float) + self.neutron_charge * np.asarray(N, dtype=float)

    def scalar_charge(self, Z: npt.ArrayLike, N: npt.ArrayLike) -> np.ndarray:
        """Q_S = s_p Z + s_n N of a nucleus in units of g_X (eq. 10 for universal quark couplings)."""
        if self.mediator != "scalar":
            raise ValueError(f"model {self.name!r} is a vector: it has no scalar charge")
        return self.proton_charge * np.asarray(Z, dtype=float) + self.neutron_charge * np.asarray(N, dtype=float)

    def interference_sign(
        self, flavour: str, Z: npt.ArrayLike, N: npt.ArrayLike, momentum_transfer_sq_MeV2: npt.ArrayLike = 0.0
    ) -> np.ndarray:
        """+1 where the new amplitude adds to the SM one for ``flavour`` on this nucleus, -1 where it subtracts
        (the rate then vanishes at some g), 0 without interference (a scalar, or no coupling).

        For a vector it is -sign(q_alpha Q_V): the SM amplitude -Q_w/2 is negative for every nucleus with
        N > Z (1 - 4 sin^2 theta_W), so only a negative charge product adds to it (eq. 6).
        """
        if self.mediator == "scalar":
            return np.zeros(np.broadcast(np.asarray(Z), np.asarray(N)).shape, dtype=int)
        product = self.neutrino_charge(flavour) * self.vector_charge(Z, N, momentum_transfer_sq_MeV2)
        return -np.sign(product).astype(int)


def nucleon_vector_charges(up: float, down: float) -> tuple[float, float]:
    """(proton, neutron) vector charges 2 q_u + q_d and q_u + 2 q_d of quark charges q_u, q_d."""
    return 2.0 * up + down, up + 2.0 * down


def universal_scalar_nucleon_charges(quark: float) -> tuple[float, float]:
    """(proton, neutron) scalar charges for one coupling ``quark`` to every quark: 15.1 q and 14 q (eq. 10)."""
    return c.SCALAR_CHARGE_PER_PROTON * quark, c.SCALAR_CHARGE_PER_NEUTRON * quark


def lepton_loop_integral(
    mass_MeV: float, momentum_transfer_sq_MeV2: npt.ArrayLike, nodes: int = KINETIC_MIXING_NODES
) -> np.ndarray:
    """int_0^1 x (1 - x) ln((m^2 + x (1 - x) Q^2) / MeV^2) dx, the Feynman-parameter integral of one lepton loop.

    Gauss-Legendre in x; broadcasts over ``momentum_transfer_sq_MeV2`` (Q^2 = -q^2 >= 0, space-like).
    """
    x, w = np.polynomial.legendre.leggauss(nodes)
    x, w = 0.5 * (x + 1.0), 0.5 * w
    Q2 = np.asarray(momentum_transfer_sq_MeV2, dtype=float)[..., None]
    return np.sum(w * x * (1.0 - x) * np.log(mass_MeV**2 + x * (1.0 - x) * Q2), axis=-1)


def kinetic_mixing_proton_charge(
    lepton_charges: Sequence[float], momentum_transfer_sq_MeV2: npt.ArrayLike = 0.0
) -> np.ndarray:
    """Charge of the proton under the new force, in units of g_X, induced by charged-lepton loops.

    The loop of each charged lepton l (electric charge -1, new charge q_l, equal to its neutrino's)
    mixes the Z' with the photon; at one loop the Z' then couples to the electromagnetic current with
    strength e eps(Q^2), eps = -(e g_X / 2 pi^2) sum_l q_l int_0^1 x (1 - x) ln(m_l^2 + x (1 - x) Q^2) dx,
    so that the proton carries e eps / g_X:

        q_p(Q^2) = -(2 alpha / pi) sum_l q_l int_0^1 x (1 - x) ln(m_l^2 + x (1 - x) Q^2) dx.

    The sum is finite (independent of the scale inside the logarithm) only when sum_l q_l = 0. At
    Q^2 = 0 it is q_p = (alpha / 3 pi) ln(m_tau^2 / m_mu^2) = 4.37e-3 for L_mu - L_tau, i.e.
    eps = e g_X ln(m_tau^2 / m_mu^2) / (12 pi^2) ~ g_X / 70 (T. Araki et al., Phys. Rev. D 91, 037301 (2015),
    arXiv:1409.4180; for CEvNS, M. Abdullah et al., Phys. Rev. D 98, 015005 (2018), arXiv:1803.01224).

    Parameters
    ----------
    lepton_charges : sequence of float
        q_e, q_mu, q_tau (ordered like :data:`FLAVOURS`), summing to zero.
    momentum_transfer_sq_MeV2 : array_like
        Q^2 = 2 m_T E_r [MeV^2].
    """
    charges = np.asarray(lepton_charges, dtype=float)
    if not np.isclose(charges.sum(), 0.0, atol=1e-12):
        raise ValueError(
            f"the kinetic-mixing loop is finite only for lepton charges summing to zero, not to {charges.sum():g}"
        )
    loops = sum(
        q * lepton_loop_integral(CHARGED_LEPTON_MASSES_MEV[f], momentum_transfer_sq_MeV2)
        for f, q in zip(FLAVOURS, charges, strict=True)
        if q != 0.0
    )
    return -2.0 * c.FINE_STRUCTURE_CONSTANT / np.pi * loops


def from_config(name: str, entry: dict) -> Model:
    """A :class:`Model` from a ``models`` entry of the config (checked by
    :func:`astrocevns.pipeline.config.check_config`).

    ``charges`` holds ``neutrinos`` ({flavour: q}, absent flavours uncoupled), either ``quarks`` ({u, d}) or
    ``nucleons`` ({proton, neutron}), absent ones meaning no tree-level coupling, and optionally
    ``kinetic_mixing: true`` (vector only).
    """
    charges = entry["charges"]
    neutrinos = tuple(float(charges["neutrinos"].get(f, 0.0)) for f in FLAVOURS)
    if "nucleons" in charges:
        proton, neutron = (float(charges["nucleons"].get(k, 0.0)) for k in ("proton", "neutron"))
    else:
        quarks = charges.get("quarks", {})
        up, down = (float(quarks.get(k, 0.0)) for k in ("u", "d"))
        if entry["mediator"] == "vector":
            proton, neutron = nucleon_vector_charges(up, down)
        else:
            proton, neutron = universal_scalar_nucleon_charges(up)
    coupling = entry["coupling"]
    return Model(
        name,
        entry["mediator"],
        neutrinos,
        proton,
        neutron,
        bool(charges.get("kinetic_mixing", False)),
        coupling["name"],
        coupling["latex"],
        entry["citation"],
    )


PAPER_MODELS = {
    "vector": Model(
        "universal_vector",
        "vector",
        (1.0, 1.0, 1.0),
        *nucleon_vector_charges(1.0, 1.0),
        citation="arXiv:2010.14545, eqs. 5-6: g = sqrt(g_nu g_q) > 0",
    ),
    "scalar": Model(
        "universal_scalar",
        "scalar",
        (1.0, 1.0, 1.0),
        *universal_scalar_nucleon_charges(1.0),
        citation="arXiv:2010.14545, eqs. 9-10: g = sqrt(g_nu g_q)",
    ),
}
"""The paper's models: one coupling g to every quark and neutrino (the config's universal_vector, universal_scalar)."""


def as_model(model: Model | str) -> Model:
    """``model`` itself, or for a mediator type ('vector' or 'scalar') the paper's universal model of that type."""
    if isinstance(model, Model):
        return model
    if model not in PAPER_MODELS:
        raise ValueError(f"unknown mediator {model!r}; expected one of {MEDIATOR_TYPES} or a Model")
    return PAPER_MODELS[model]
