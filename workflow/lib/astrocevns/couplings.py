"""Coupling conventions: the workflow's g = sqrt(g_nu g_q) and the couplings of specific models (paper sec. VII).

The rates depend on the product g_nu g_q only (eqs. 6 and 10, with universal quark couplings), so a
model with charges q_nu and q_q under a new force of coupling g_X has g^2 = (q_nu g_X)(q_q g_X):

- U(1)_{B-L}: baryon number 1/3 per quark and lepton number 1 per neutrino, so g_q = g_BL / 3,
  g_nu = g_BL and g = g_BL / sqrt(3) (fig. 9);
- the scalar with g_nu = g_q = g_phi: g = g_phi (fig. 10);
- ``g``: the workflow's own convention.
"""

import math

MODEL_PER_G = {"g": 1.0, "g_BL": math.sqrt(3.0), "g_phi": 1.0}
"""Model coupling per unit g: g_model = MODEL_PER_G[convention] x g."""


def charge_product(convention):
    """q_nu q_q of the model, so that g^2 = q_nu q_q g_model^2 (1/3 for U(1)_{B-L})."""
    return 1.0 / MODEL_PER_G[convention] ** 2


def to_model(g, convention):
    """The model coupling of ``convention`` for the workflow's g (e.g. g_BL = sqrt(3) g)."""
    return g * MODEL_PER_G[convention]


def from_model(coupling, convention):
    """The workflow's g for a model coupling of ``convention`` (e.g. g = g_BL / sqrt(3))."""
    return coupling / MODEL_PER_G[convention]
