"""Coupling conventions: the paper's g = sqrt(g_nu g_q) rescaled to the coupling of a model (paper sec. VIII B-C).

A model with charges q_nu and q_q under a new force of coupling g_X has g_nu g_q = q_nu q_q g_X^2. The
paper draws a model's bounds by rescaling the universal bound on g to g_X = g / sqrt(|q_nu q_q|):

- U(1)_{B-L}: baryon number 1/3 per quark and lepton number -1 per neutrino (B - L = -1), so
  g_q = g_BL / 3, g_nu = -g_BL and g_BL = sqrt(3) g (fig. 9);
- the scalar with g_nu = g_q = g_phi: g_phi = g (fig. 10);
- ``g``: the workflow's own convention.

The rescaling keeps the size of the product but not its sign: with q_nu q_q = -1/3 the B-L boson
interferes constructively with the Z, while the universal bound assumes g_nu g_q > 0 (destructive).
The rescaled curve is therefore not the B-L bound; the workflow computes that with the model's own
charges (``models.b_minus_l`` of the config, :mod:`astrocevns.physics.models`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

CHARGE_PRODUCT = {"g": 1.0, "g_BL": -1.0 / 3.0, "g_phi": 1.0}
"""q_nu q_q of each convention, with its sign: g_nu g_q = CHARGE_PRODUCT[convention] x g_model^2."""

MODEL_PER_G = {convention: 1.0 / math.sqrt(abs(product)) for convention, product in CHARGE_PRODUCT.items()}
"""Model coupling per unit g of the paper's rescaling: g_model = MODEL_PER_G[convention] x g (sqrt(3) for g_BL)."""


def charge_product(convention: str) -> float:
    """q_nu q_q of the model, with its sign (-1/3 for U(1)_{B-L})."""
    return CHARGE_PRODUCT[convention]


def to_model(g: float | np.ndarray, convention: str) -> float | np.ndarray:
    """The model coupling of ``convention`` for the workflow's g by the paper's rescaling (e.g. g_BL = sqrt(3) g)."""
    return g * MODEL_PER_G[convention]


def from_model(coupling: float | np.ndarray, convention: str) -> float | np.ndarray:
    """The workflow's g for a model coupling of ``convention`` (e.g. g = g_BL / sqrt(3))."""
    return coupling / MODEL_PER_G[convention]
