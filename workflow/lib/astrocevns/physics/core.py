"""Supernova-core trapping and cooling (paper sec. IV A, eqs. 12-14, fig. 1).

Neutrinos diffuse out of the proto-neutron star through scattering and absorption on free
nucleons. Per species the inverse mean free path (eq. 12), averaged over a Fermi-Dirac spectrum at
the local temperature T, is

    1/lambda = n_n <sigma_NC,n + sigma_CC,n> + n_p <sigma_NC,p>     (nu_e, chemical potential +mu_nu_e)
    1/lambda = n_n <sigma_NC,n> + n_p <sigma_NC,p + sigma_CC,p>     (anti-nu_e, -mu_nu_e)
    1/lambda = n_n <sigma_NC,n> + n_p <sigma_NC,p>                  (nu_x, mu = 0, neutral current only)

with the light-mediator terms of eqs. 5-6 and 9-10 for a nucleon (A = 1, F = 1). Integrated over
the recoil energy, every cross section is a polynomial in g^2, sigma = s0 + s1 g^2 + s2 g^4, with
m-dependent coefficients; so are the mean free path and the diffusion time, which makes the whole
(g, m) grid a few array products.

Four choices, each a :class:`CoreRecipe` field (config ``core``), separate the paper's text from the
physically preferred treatment:

- ``cross_section``: ``total`` (eq. 12 as printed) or ``transport``, each recoil weighted by
  1 - cos(theta) (the momentum-transfer cross section that enters a diffusion coefficient);
- ``diffusion_time``: ``paper_eq13``, tau = (1/c) int_{R1}^{R2} r dr / lambda(r); ``slab``, the
  mean first-passage time of a plane-parallel random walk from R1 (reflecting) to R2 (absorbing),
  (3/c) int (r - R1) / lambda dr; ``spherical_shell``, the same for a spherical shell,
  (1/c) int (r^3 - R1^3) / (r^2 lambda) dr. tau is the mean of nu_e and anti-nu_e (sec. IV A);
- ``scatterings`` (LNC scalar, every scalar scattering flips the helicity): ``paper_eq14``,
  N = int_0^{R2} 2 r / lambda_phi^2 dr (a random walk with the scalar mean free path as its step,
  proportional to g^8), or ``optical_depth``, N = int_{R1}^{R2} dr / lambda_phi (g^4); lambda_phi
  from the total cross section of the scalar term alone;
- ``nucleon_charges``: ``paper_literal``, the NC term of eq. 2 with Q_w -> 1 + 3 g_A (n) and
  (1 - 4 sin^2 theta_W) + 3 g_A (p), or ``physical``, the vector and axial parts separately,
  sigma = G_F^2 E^2 (Q_V^2 + 3 Q_A^2) / (4 pi) with Q_V = 2 C_V, Q_A = g_A (C_V^2 + 3 C_A^2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

import numpy as np
import numpy.typing as npt

from . import constants as c
from . import cross_sections as xs
from .nuclei import Nucleus

SPECIES = ("nue", "nuebar", "nux")
DIFFUSING_SPECIES = ("nue", "nuebar")
"""tau of eq. 13 is the mean over these (paper sec. IV A)."""
COOLING_SPECIES = ("nue", "nux")
"""The N = 1 lines of fig. 1."""


@dataclass(frozen=True)
class CoreRecipe:
    """How eqs. 12-14 are evaluated (see the module docstring); the defaults are the physically preferred ones."""

    cross_section: str = "transport"
    diffusion_time: str = "spherical_shell"
    scatterings: str = "optical_depth"
    nucleon_charges: str = "physical"

    CHOICES = {
        "cross_section": ("total", "transport"),
        "diffusion_time": ("paper_eq13", "slab", "spherical_shell"),
        "scatterings": ("paper_eq14", "optical_depth"),
        "nucleon_charges": ("paper_literal", "physical"),
    }

    def __post_init__(self):
        for option in fields(self):
            value, allowed = getattr(self, option.name), self.CHOICES[option.name]
            if value not in allowed:
                raise ValueError(f"core.{option.name}: {value!r} is not one of {', '.join(allowed)}")

    @property
    def scattering_power(self) -> int:
        """N is proportional to g to this power (8 for eq. 14, 4 for the optical depth)."""
        return 8 if self.scatterings == "paper_eq14" else 4


@dataclass(frozen=True)
class Nucleon:
    """A free nucleon of the core: ``nucleus`` carries its mass, Z' and scalar charges and, as its weak
    charge, the vector NC charge Q_V; ``axial_charge`` is Q_A (zero in the paper's literal recipe)."""

    nucleus: Nucleus
    axial_charge: float


def nucleons(charges: str) -> tuple[Nucleon, ...]:
    """(neutron, proton) with the NC charges of ``charges`` (``paper_literal`` or ``physical``).

    paper_literal (sec. IV A, "Q_w -> 1 + 3 g_A"): Q_V = 1 + 3 g_A and (1 - 4 sin^2 theta_W) + 3 g_A,
    Q_A = 0. physical: Q_V = 2 C_V in the sign convention of Q_w = N - Z (1 - 4 sin^2 theta_W), so
    +1 (n) and -(1 - 4 sin^2 theta_W) (p), and Q_A = 2 |C_A| = g_A. The Z' interferes with Q_V only.
    """
    if charges == "paper_literal":
        vector = {"n": 1.0 + 3.0 * c.G_A_NUCLEON, "p": (1.0 - 4.0 * c.SIN2_THETA_W) + 3.0 * c.G_A_NUCLEON}
        axial = 0.0
    elif charges == "physical":
        vector = {"n": 1.0, "p": -(1.0 - 4.0 * c.SIN2_THETA_W)}
        axial = c.G_A_NUCLEON
    else:
        raise ValueError(f"core.nucleon_charges: {charges!r} is not one of paper_literal, physical")
    return tuple(
        Nucleon(Nucleus(name, 1.0, Z, 0.0, 0.0, weak_charge_override=vector[name]), axial)
        for name, Z in (("n", 0), ("p", 1))
    )


@dataclass(frozen=True)
class CoreProfile:
    """Radial profile of the proto-neutron star: radius [km], density [g/cm^3], T [MeV], Y_e,
    nu_e and electron chemical potentials [MeV]."""

    radius_km: np.ndarray
    density_g_cm3: np.ndarray
    temperature_MeV: np.ndarray
    electron_fraction: np.ndarray
    nue_chemical_potential_MeV: np.ndarray
    electron_chemical_potential_MeV: np.ndarray

    def between(self, r_min_km: float, r_max_km: float, n: int = 200) -> CoreProfile:
        """The profile interpolated (log-linearly in density) on n radii from r_min to r_max; constant
        beyond the tabulated range (a profile that starts at 0.5 km is continued inwards to r = 0)."""
        r = np.linspace(r_min_km, r_max_km, n)
        at = lambda values: np.interp(r, self.radius_km, values)  # noqa: E731
        return CoreProfile(
            r,
            np.exp(at(np.log(self.density_g_cm3))),
            at(self.temperature_MeV),
            at(self.electron_fraction),
            at(self.nue_chemical_potential_MeV),
            at(self.electron_chemical_potential_MeV),
        )

    def nucleon_densities_per_cm3(self) -> tuple[np.ndarray, np.ndarray]:
        """(n_n, n_p) = rho (1 - Y_e) / u, rho Y_e / u (free nucleons)."""
        baryons = self.density_g_cm3 / c.GRAM_PER_U
        return baryons * (1.0 - self.electron_fraction), baryons * self.electron_fraction

    def chemical_potential_MeV(self, species: str) -> np.ndarray:
        """+mu_nu_e for nu_e, -mu_nu_e for anti-nu_e, 0 for nu_x (chemical equilibrium, no nu_x asymmetry)."""
        sign = {"nue": 1.0, "nuebar": -1.0, "nux": 0.0}[species]
        return sign * self.nue_chemical_potential_MeV


def fermi_dirac(x: npt.ArrayLike) -> np.ndarray:
    """1 / (1 + exp(x)), without overflow."""
    return 0.5 * (1.0 - np.tanh(0.5 * np.asarray(x, dtype=float)))


def fermi_dirac_spectrum(E_MeV: np.ndarray, T_MeV: np.ndarray, mu_MeV: np.ndarray) -> np.ndarray:
    """Unit-normalised number spectrum E^2 / (1 + exp((E - mu)/T)) on the grid E (rows: radii)."""
    f = E_MeV**2 * fermi_dirac((E_MeV - mu_MeV[:, None]) / T_MeV[:, None])
    return f / np.trapezoid(f, E_MeV, axis=-1)[:, None]


def _recoil_integral(E_MeV, m2, mT, integrand, nodes=64):
    """int_0^{E_r^max} integrand(E_r, u) dE_r for u = 2 m_T E_r + m^2, by Gauss-Legendre in ln u.

    The substitution follows the 1/u^k peak at E_r ~ m^2 / (2 m_T) for any mediator mass;
    shapes: E (1, n_E), m2 (n_m, 1); returns (n_m, n_E).
    """
    X = xs.max_recoil_energy_MeV(E_MeV, mT)
    lo, hi = np.log(m2), np.log(2.0 * mT * X + m2)
    x, w = np.polynomial.legendre.leggauss(nodes)
    t = 0.5 * (hi + lo)[..., None] + 0.5 * (hi - lo)[..., None] * x
    u = np.exp(t)
    E_r = (u - m2[..., None]) / (2.0 * mT)
    return 0.5 * (hi - lo) * np.sum(w * integrand(E_r, u) * u / (2.0 * mT), axis=-1)


def sm_nucleon_cross_section_cm2(E_MeV: npt.ArrayLike, nucleon: Nucleon, cross_section: str) -> np.ndarray:
    """Standard-Model NC cross section [cm^2] of a free nucleon, total or transport, shape (n_E,).

    With a = m_N / (2 E^2) and 1 - cos(theta) = 2 a E_r, the vector part has the angular factor
    (1 + cos theta) / 2 = 1 - a E_r of eq. 2 and the axial part (3 - cos theta) / 2 = 1 + a E_r;
    integrated in closed form up to X = E_r^max, with weight 1 (total) or 2 a E_r (transport):

        total:     P [Q_V^2 (X - a X^2 / 2) + Q_A^2 (X + a X^2 / 2)]
        transport: P [Q_V^2 (a X^2 - 2 a^2 X^3 / 3) + Q_A^2 (a X^2 + 2 a^2 X^3 / 3)]

    with P = G_F^2 m_N / (4 pi) (eq. 2 with Q_w = 1). For E << m_N these are G_F^2 E^2 / (4 pi) times
    Q_V^2 + 3 Q_A^2 (total) and (2/3) (Q_V^2 + 5 Q_A^2) (transport).
    """
    E = np.asarray(E_MeV, dtype=float)
    unit = replace(nucleon.nucleus, weak_charge_override=1.0)
    mT = unit.mass_MeV
    X = xs.max_recoil_energy_MeV(E, mT)
    a = mT / (2.0 * E**2)
    if cross_section == "total":
        even, odd = X, a * X**2 / 2.0
    elif cross_section == "transport":
        even, odd = a * X**2, 2.0 * a**2 * X**3 / 3.0
    else:
        raise ValueError(f"core.cross_section: {cross_section!r} is not one of total, transport")
    Q_V, Q_A = nucleon.nucleus.weak_charge, nucleon.axial_charge
    return xs.sm_prefactor_cm2_per_MeV(unit) * (Q_V**2 * (even - odd) + Q_A**2 * (even + odd))


def nucleon_cross_section_polynomial(
    E_MeV: npt.ArrayLike,
    mediator_mass_MeV: npt.ArrayLike,
    nucleon: Nucleon,
    mediator: str,
    cross_section: str = "transport",
    nodes: int = 64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(s0, s1, s2) [cm^2] with sigma(E; g, m) = s0 + s1 g^2 + s2 g^4 for a free nucleon.

    s0 (shape (n_E,)) is :func:`sm_nucleon_cross_section_cm2`; s1, s2 (shape (n_m, n_E)) are the
    light-mediator terms of eqs. 5-6 (vector: interference with the vector NC charge Q_V and the
    Z' term) or 9-10 (scalar: s1 = 0), integrated over 0 <= E_r <= E_r^max with F = 1 and weight 1
    (``total``) or 1 - cos(theta) = m_N E_r / E^2 (``transport``). The recoil integrals use a
    ``nodes``-point Gauss-Legendre rule in ln(2 m_N E_r + m^2): within 1e-8 of 256 nodes.
    """
    E = np.asarray(E_MeV, dtype=float)[None, :]
    m2 = np.asarray(mediator_mass_MeV, dtype=float)[:, None] ** 2 * np.ones_like(E)
    nucleus = nucleon.nucleus
    mT = nucleus.mass_MeV
    a = mT / (2.0 * E**2)
    if cross_section == "transport":
        weight = lambda E_r: 2.0 * a[..., None] * E_r  # noqa: E731
    elif cross_section == "total":
        weight = lambda E_r: 1.0  # noqa: E731
    else:
        raise ValueError(f"core.cross_section: {cross_section!r} is not one of total, transport")
    s0 = sm_nucleon_cross_section_cm2(E_MeV, nucleon, cross_section)
    if mediator == "vector":
        kinematic = lambda E_r: (1.0 - a[..., None] * E_r) * weight(E_r)  # noqa: E731
        K, P = xs.vector_strength_MeV2(nucleus), xs.sm_prefactor_cm2_per_MeV(nucleus)
        s1 = -2.0 * K * P * _recoil_integral(E, m2, mT, lambda E_r, u: kinematic(E_r) / u, nodes)
        s2 = K**2 * P * _recoil_integral(E, m2, mT, lambda E_r, u: kinematic(E_r) / u**2, nodes)
        return s0, s1, s2
    if mediator == "scalar":
        per_recoil_MeV = xs.scalar_prefactor_cm2_MeV2(1.0, nucleus)  # eq. 10 at E_r = 1 MeV; F = 1 for a nucleon
        s2 = per_recoil_MeV / E**2 * _recoil_integral(E, m2, mT, lambda E_r, u: E_r * weight(E_r) / u**2, nodes)
        return s0, np.zeros_like(s2), s2
    raise ValueError(f"unknown mediator {mediator!r}")


def charged_current_cross_section_cm2(
    E_MeV: npt.ArrayLike, antineutrino: bool, T_MeV: np.ndarray, mu_e_MeV: np.ndarray
) -> np.ndarray:
    """nu_e n -> e- p or anti-nu_e p -> e+ n: G_F^2 cos^2 theta_C (1 + 3 g_A^2) / pi E_e p_e (1 - f_e).

    E_e = E_nu + Delta (nu_e) or E_nu - Delta (anti-nu_e), nucleon recoil neglected (Bruenn 1985,
    ApJS 58, 771). Electron final states are Pauli blocked by a Fermi-Dirac sea at each radius
    (T, mu_e of shape n_r); positrons are not. Returns shape (n_r, n_E).
    """
    E = np.asarray(E_MeV, dtype=float)
    delta = c.NEUTRON_PROTON_MASS_DIFFERENCE_MEV
    E_e = E - delta if antineutrino else E + delta
    p_e = np.sqrt(np.clip(E_e**2 - c.ELECTRON_MASS_MEV**2, 0.0, None))
    sigma = (
        c.G_F_PER_MEV2**2
        * c.COS2_THETA_C
        * (1.0 + 3.0 * c.G_A_NUCLEON**2)
        / np.pi
        * np.where(E_e > c.ELECTRON_MASS_MEV, E_e * p_e, 0.0)
        * c.HBARC2_CM2_MEV2
    )
    if antineutrino:
        return np.broadcast_to(sigma, (len(T_MeV), E.size))
    return sigma[None, :] * (1.0 - fermi_dirac((E_e[None, :] - mu_e_MeV[:, None]) / T_MeV[:, None]))


def _trapezoid_weights(x):
    """w with sum(w * y) = np.trapezoid(y, x)."""
    dx = np.diff(x)
    return np.concatenate([[0.0], dx]) / 2.0 + np.concatenate([dx, [0.0]]) / 2.0


def _spectral_weights(shell, species, E_MeV):
    """Rows f(r, E) dE of the species' Fermi-Dirac spectrum: the spectral average of y(E) is rows @ y."""
    f = fermi_dirac_spectrum(E_MeV, shell.temperature_MeV, shell.chemical_potential_MeV(species))
    return f * _trapezoid_weights(E_MeV)


def _absorption_per_cm(shell, species, E_MeV, spectrum):
    """n <sigma_CC> [1/cm] at each radius: nu_e on neutrons, anti-nu_e on protons, none for nu_x."""
    if species == "nux":
        return np.zeros(shell.radius_km.size)
    antineutrino = species == "nuebar"
    n_n, n_p = shell.nucleon_densities_per_cm3()
    sigma = charged_current_cross_section_cm2(
        E_MeV, antineutrino, shell.temperature_MeV, shell.electron_chemical_potential_MeV
    )
    return (n_p if antineutrino else n_n) * np.sum(spectrum * sigma, axis=-1)


def _opacity_polynomial(shell, species, E_MeV, neutron_xs, proton_xs):
    """(k0, k1, k2) of eq. 12 from the nucleon polynomials of :func:`nucleon_cross_section_polynomial`."""
    n_n, n_p = shell.nucleon_densities_per_cm3()
    spectrum = _spectral_weights(shell, species, E_MeV)
    k0 = (
        n_n * (spectrum @ neutron_xs[0])
        + n_p * (spectrum @ proton_xs[0])
        + _absorption_per_cm(shell, species, E_MeV, spectrum)
    )
    k1, k2 = (n_n[:, None] * (spectrum @ neutron_xs[k].T) + n_p[:, None] * (spectrum @ proton_xs[k].T) for k in (1, 2))
    return k0, k1, k2


def inverse_mean_free_path(
    shell: CoreProfile,
    species: str,
    mediator: str,
    mediator_mass_MeV: npt.ArrayLike,
    E_MeV: np.ndarray,
    recipe: CoreRecipe = CoreRecipe(),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """1/lambda [1/cm] of ``species`` (nue, nuebar, nux) at each radius of ``shell`` as a polynomial in g^2 (eq. 12).

    Returns (k0, k1, k2): k0 shape (n_r,) (SM: NC on n and p, CC absorption for nu_e and anti-nu_e),
    k1 and k2 shape (n_r, n_m), averaged over the species' Fermi-Dirac spectrum at the local T.
    Energy averages are trapezoidal on ``E_MeV`` (the default 400 points from 0.5 to 400 MeV: the SM
    term within 1e-5, the g^4 terms within 4e-3 of 1600 points on the default profile).
    """
    m = np.atleast_1d(np.asarray(mediator_mass_MeV, dtype=float))
    neutron, proton = nucleons(recipe.nucleon_charges)
    polynomials = [
        nucleon_cross_section_polynomial(E_MeV, m, nucleon, mediator, recipe.cross_section)
        for nucleon in (neutron, proton)
    ]
    return _opacity_polynomial(shell, species, E_MeV, *polynomials)


def sm_inverse_mean_free_path(
    shell: CoreProfile, species: str, E_MeV: np.ndarray, recipe: CoreRecipe = CoreRecipe()
) -> np.ndarray:
    """Standard-Model 1/lambda [1/cm] of ``species`` at each radius of ``shell`` (eq. 12 with g = 0)."""
    neutron, proton = nucleons(recipe.nucleon_charges)
    spectrum = _spectral_weights(shell, species, E_MeV)
    n_n, n_p = shell.nucleon_densities_per_cm3()
    return (
        n_n * (spectrum @ sm_nucleon_cross_section_cm2(E_MeV, neutron, recipe.cross_section))
        + n_p * (spectrum @ sm_nucleon_cross_section_cm2(E_MeV, proton, recipe.cross_section))
        + _absorption_per_cm(shell, species, E_MeV, spectrum)
    )


def diffusion_weight_s(r_cm: npt.ArrayLike, R1_cm: float, diffusion_time: str) -> np.ndarray:
    """w(r) [s] with tau = int_{R1}^{R2} w(r) / lambda(r) dr (eq. 13 and its alternatives).

    paper_eq13: r / c. slab: 3 (r - R1) / c. spherical_shell: (r^3 - R1^3) / (r^2 c), from
    (1/r^2) d/dr (r^2 D dT/dr) = -1 with D = lambda c / 3, dT/dr = 0 at R1 and T = 0 at R2. For
    constant lambda: (R2^2 - R1^2) / (2 lambda c), 3 (R2 - R1)^2 / (2 lambda c) and
    [(R2^2 - R1^2) / 2 - R1^2 + R1^3 / R2] / (lambda c); at R1 = 0 the first and last coincide
    with the mean escape time R^2 / (6 D) from the centre of a sphere.
    """
    r = np.asarray(r_cm, dtype=float)
    if diffusion_time == "paper_eq13":
        return r / c.SPEED_OF_LIGHT_CM_PER_S
    if diffusion_time == "slab":
        return 3.0 * (r - R1_cm) / c.SPEED_OF_LIGHT_CM_PER_S
    if diffusion_time == "spherical_shell":
        return (r - R1_cm**3 / r**2) / c.SPEED_OF_LIGHT_CM_PER_S
    raise ValueError(f"core.diffusion_time: {diffusion_time!r} is not one of paper_eq13, slab, spherical_shell")


def degeneracy_radius_km(profile: CoreProfile, eta: float = 1.0) -> float:
    """Innermost radius where eta = mu_nu_e / T falls to ``eta``: the edge of the degenerate inner core.

    Linear interpolation between the profile's rows; ValueError where eta never reaches it from above.
    """
    degeneracy = profile.nue_chemical_potential_MeV / profile.temperature_MeV
    below = np.flatnonzero(degeneracy <= eta)
    if below.size == 0 or below[0] == 0:
        raise ValueError(
            f"core.R1_km: mu_nu_e / T = {degeneracy[0]:.3g} at the centre and "
            f"{degeneracy.min():.3g} at least: it never falls through {eta:g}"
        )
    i = below[0]
    return float(np.interp(eta, degeneracy[[i, i - 1]], profile.radius_km[[i, i - 1]]))


def neutrinosphere_radius_km(
    profile: CoreProfile,
    species: str,
    E_MeV: np.ndarray,
    recipe: CoreRecipe = CoreRecipe(),
    inner_km: float = 0.0,
    optical_depth: float = 2.0 / 3.0,
    n_radii: int = 2400,
) -> float:
    """Radius where the SM optical depth int_r^{R_out} dr / lambda, from the profile's outer edge
    R_out inwards, reaches ``optical_depth``: the neutrinosphere of ``species``.

    Trapezoidal on ``n_radii`` radii between ``inner_km`` and R_out (2400 over 60 km: within 1e-3 km
    of 9600), the depth interpolated linearly between radii.
    """
    shell = profile.between(inner_km, profile.radius_km[-1], n_radii)
    r_cm = shell.radius_km / c.KM_PER_CM
    k = sm_inverse_mean_free_path(shell, species, E_MeV, recipe)
    steps = 0.5 * (k[1:] + k[:-1]) * np.diff(r_cm)
    depth = np.concatenate([np.cumsum(steps[::-1])[::-1], [0.0]])
    if depth[0] < optical_depth:
        raise ValueError(
            f"core.R2_km: the {species} optical depth from {shell.radius_km[-1]:g} km in to "
            f"{inner_km:g} km is {depth[0]:.3g}, below {optical_depth:.3g}: no neutrinosphere"
        )
    outside = np.flatnonzero(depth < optical_depth)[0]
    return float(np.interp(optical_depth, depth[[outside, outside - 1]], shell.radius_km[[outside, outside - 1]]))


@dataclass(frozen=True)
class DiffusionRegion:
    """Inner edge R1 [km] and outer edge R2 [km] of eq. 13, the latter one value or one per species."""

    R1_km: float
    R2_km: float | Mapping[str, float]

    def outer_km(self, species: str) -> float:
        return self.R2_km[species] if isinstance(self.R2_km, Mapping) else self.R2_km


def diffusion_region(
    profile: CoreProfile, R1: float | str, R2: float | str, E_MeV: np.ndarray, recipe: CoreRecipe = CoreRecipe()
) -> DiffusionRegion:
    """R1 and R2 as configured: a radius [km] inside the profile, ``eta_1`` (R1 where mu_nu_e / T = 1)
    or ``neutrinosphere`` (R2 of each species where its optical depth from outside reaches 2/3).

    Raises ValueError, naming core.R1_km or core.R2_km, if a radius is not found or R1 >= R2.
    """
    for key, value, keyword in (("R1_km", R1, "eta_1"), ("R2_km", R2, "neutrinosphere")):
        if isinstance(value, str) and value != keyword:
            raise ValueError(f"core.{key}: {value!r} is neither a radius nor {keyword}")
        if not isinstance(value, str) and not profile.radius_km[0] <= value <= profile.radius_km[-1]:
            raise ValueError(
                f"core.{key}: {value} km is not inside the profile "
                f"({profile.radius_km[0]:.3g}..{profile.radius_km[-1]:.3g} km)"
            )
    if not isinstance(R1, str) and not isinstance(R2, str) and R1 >= R2:
        raise ValueError(f"core: R1_km = {R1} must be below R2_km = {R2}")
    inner = degeneracy_radius_km(profile) if R1 == "eta_1" else float(R1)
    outer: float | dict[str, float]
    if R2 == "neutrinosphere":
        outer = {s: neutrinosphere_radius_km(profile, s, E_MeV, recipe, inner) for s in SPECIES}
    else:
        outer = float(R2)
    region = DiffusionRegion(inner, outer)
    for species in SPECIES:
        if not region.outer_km(species) > inner:
            raise ValueError(
                f"core.R2_km: R2 = {region.outer_km(species):.4g} km ({species}) is not above R1 = {inner:.4g} km"
            )
    return region


@dataclass(frozen=True)
class CorePolynomials:
    """Diffusion time and number of scalar scatterings as polynomials in g at each mediator mass.

    tau(g, m) = tau0 + tau1(m) g^2 + tau2(m) g^4 [s]; N(g, m) = n(m) g^power per species in
    ``scattering_coefficients`` (LNC scalar only; power 4 or 8, see :class:`CoreRecipe`).
    """

    mass_MeV: np.ndarray
    tau0_s: float
    tau1_s: np.ndarray
    tau2_s: np.ndarray
    scattering_coefficients: Mapping[str, np.ndarray] = field(default_factory=dict)
    scattering_power: int = 4

    def at(self, index: int | slice | np.ndarray) -> CorePolynomials:
        """The polynomials at a subset of the masses (an index or slice into ``mass_MeV``)."""
        return CorePolynomials(
            self.mass_MeV[index],
            self.tau0_s,
            self.tau1_s[index],
            self.tau2_s[index],
            {s: n[index] for s, n in self.scattering_coefficients.items()},
            self.scattering_power,
        )

    def diffusion_time_s(self, coupling: npt.ArrayLike) -> np.ndarray:
        g2 = np.asarray(coupling, dtype=float) ** 2
        return self.tau0_s + g2 * (self.tau1_s + g2 * self.tau2_s)

    def scatterings(self, coupling: npt.ArrayLike, species: str) -> np.ndarray:
        g = np.abs(np.asarray(coupling, dtype=float))
        return g**self.scattering_power * self.scattering_coefficients[species]


def core_polynomials(
    profile: CoreProfile,
    mediator: str,
    mediator_mass_MeV: npt.ArrayLike,
    region: DiffusionRegion,
    E_MeV: np.ndarray,
    recipe: CoreRecipe = CoreRecipe(),
    n_radii: int = 200,
    masses_per_block: int = 64,
) -> CorePolynomials:
    """Diffusion time (eq. 13, nu_e and anti-nu_e averaged) and LNC-scalar scatterings (eq. 14, nu_e and nu_x).

    Parameters
    ----------
    profile : CoreProfile
    mediator : {'vector', 'scalar'}
    mediator_mass_MeV : ndarray, shape (n_m,)
    region : DiffusionRegion
        R1 and R2 (paper: 10 and 40 km), see :func:`diffusion_region`.
    E_MeV : ndarray
        Neutrino-energy grid for the Fermi-Dirac averages.
    recipe : CoreRecipe
    n_radii : int
        Trapezoidal points in radius (200: tau within 1e-3, N within 5e-4 of 1600 on the default profile).
    masses_per_block : int
        Masses evaluated together (memory grows as n_radii x n_E x masses_per_block).
    """
    m = np.atleast_1d(np.asarray(mediator_mass_MeV, dtype=float))
    blocks = [
        _core_block(profile, mediator, m[i : i + masses_per_block], region, E_MeV, recipe, n_radii)
        for i in range(0, m.size, masses_per_block)
    ]
    counts = {
        species: np.concatenate([b.scattering_coefficients[species] for b in blocks])
        for species in blocks[0].scattering_coefficients
    }
    return CorePolynomials(
        m,
        blocks[0].tau0_s,
        np.concatenate([b.tau1_s for b in blocks]),
        np.concatenate([b.tau2_s for b in blocks]),
        counts,
        recipe.scattering_power,
    )


def _core_block(profile, mediator, m, region, E_MeV, recipe, n_radii):
    """:func:`core_polynomials` for one block of masses."""
    neutron, proton = nucleons(recipe.nucleon_charges)
    polynomials = [
        nucleon_cross_section_polynomial(E_MeV, m, nucleon, mediator, recipe.cross_section)
        for nucleon in (neutron, proton)
    ]
    tau = [0.0, np.zeros_like(m), np.zeros_like(m)]
    for species in DIFFUSING_SPECIES:
        shell = profile.between(region.R1_km, region.outer_km(species), n_radii)
        r_cm = shell.radius_km / c.KM_PER_CM
        weight = diffusion_weight_s(r_cm, r_cm[0], recipe.diffusion_time)
        k0, k1, k2 = _opacity_polynomial(shell, species, E_MeV, *polynomials)
        tau[0] += np.trapezoid(weight * k0, r_cm, axis=0) / len(DIFFUSING_SPECIES)
        tau[1] += np.trapezoid(weight[:, None] * k1, r_cm, axis=0) / len(DIFFUSING_SPECIES)
        tau[2] += np.trapezoid(weight[:, None] * k2, r_cm, axis=0) / len(DIFFUSING_SPECIES)
    counts = {}
    if mediator == "scalar":  # every scalar scattering flips the helicity: total, not transport, cross sections
        scalar = (
            polynomials
            if recipe.cross_section == "total"
            else [
                nucleon_cross_section_polynomial(E_MeV, m, nucleon, "scalar", "total") for nucleon in (neutron, proton)
            ]
        )
        for species in COOLING_SPECIES:
            inner = 0.0 if recipe.scatterings == "paper_eq14" else region.R1_km
            shell = profile.between(inner, region.outer_km(species), n_radii)
            r_cm = shell.radius_km / c.KM_PER_CM
            k_phi = _opacity_polynomial(shell, species, E_MeV, *scalar)[2]
            if recipe.scatterings == "paper_eq14":
                counts[species] = np.trapezoid(2.0 * r_cm[:, None] * k_phi**2, r_cm, axis=0)
            else:
                counts[species] = np.trapezoid(k_phi, r_cm, axis=0)
    return CorePolynomials(m, float(tau[0]), tau[1], tau[2], counts, recipe.scattering_power)
