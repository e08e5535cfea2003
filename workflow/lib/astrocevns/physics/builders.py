"""Physics objects from their config entries: a target's nucleus and composition, a detector's parts."""

from __future__ import annotations

from collections.abc import Mapping

from .detectors import Detector, Efficiency
from .nuclei import Nucleus


def nucleus(name: str, target: Mapping, form_factor: Mapping) -> Nucleus:
    """A :class:`Nucleus` from a ``targets`` entry and the ``form_factor`` section."""
    return Nucleus(
        name, target["A"], target["Z"], form_factor["radius_coefficient_fm"], form_factor["skin_thickness_fm"]
    )


def composition(targets: Mapping[str, Mapping], name: str) -> dict[str, float]:
    """{element: atoms per formula unit} of target ``name``: itself for an element, e.g. {Cs: 1, I: 1} for CsI."""
    return targets[name].get("composition", {name: 1})


def detector_parts(
    name: str, spec: Mapping, targets: Mapping[str, Mapping], form_factor: Mapping, efficiency: Efficiency
) -> list[Detector]:
    """One :class:`Detector` per nucleus of a ``detectors`` entry's target, each with its share of the mass.

    For a compound of n_k atoms of mass number A_k per formula unit, element k holds the mass
    fraction n_k A_k / sum_j n_j A_j; an element target gives a single part with the whole mass.
    """
    atoms = composition(targets, spec["target"])
    formula_mass = sum(n * targets[element]["A"] for element, n in atoms.items())
    return [
        Detector(
            name,
            nucleus(element, targets[element], form_factor),
            spec["mass_t"] * n * targets[element]["A"] / formula_mass,
            spec["threshold_keV"],
            efficiency,
        )
        for element, n in atoms.items()
    ]
