"""Supernova-core trapping and cooling (paper sec. IV A, eqs. 12-14, fig. 1).

Neutrinos diffuse out of the proto-neutron star through scattering and absorption on free
nucleons. Per neutrino species the inverse mean free path (eq. 12), averaged over a Fermi-Dirac
spectrum at the local temperature T and chemical potential, is

    1/lambda = n_n <sigma_NC,n + sigma_CC,n> + n_p <sigma_NC,p>        (nu_e; CC on protons for anti-nu_e)

with the paper's nucleon charges Q_w = 1 + 3 g_A (n) and (1 - 4 sin^2 theta_W) + 3 g_A (p), F = 1,
and the light-mediator terms of eqs. 5-6 and 9-10 with A = 1. Integrated over the recoil energy in
closed form, every cross section is a polynomial in g^2, sigma = s0 + s1 g^2 + s2 g^4, with
m-dependent coefficients; so are the mean free path and the diffusion time, which makes the whole
(g, m) grid a few array products.

By default the scattering cross sections are momentum-transfer (transport) cross sections, each
recoil weighted by 1 - cos(theta): forward scattering through a very light mediator deflects a
neutrino little and does not trap it (``transport=False`` gives the plain total cross sections).

Diffusion time (eq. 13): the mean first-passage time of a random walk with diffusion coefficient
D = lambda c / 3 from R1 (reflecting) to R2 (absorbing),

    tau = (3 / c) int_{R1}^{R2} (r - R1) / lambda(r) dr        (3 L^2 / (2 lambda c) for constant lambda),

averaged over nu_e and anti-nu_e. Number of scatterings through the lepton-number-conserving scalar
(eq. 14): N = int_{R1}^{R2} dr / lambda_phi(r), with lambda_phi from the total cross section of the
scalar term alone (every such scattering flips the helicity).
"""

from dataclasses import dataclass

import numpy as np

from . import constants as c
from . import cross_sections as xs
from .nuclei import Nucleus

NEUTRON = Nucleus("n", 1.0, 0, 0.0, 0.0, weak_charge_override=1.0 + 3.0 * c.G_A_NUCLEON)
PROTON = Nucleus("p", 1.0, 1, 0.0, 0.0, weak_charge_override=(1.0 - 4.0 * c.SIN2_THETA_W) + 3.0 * c.G_A_NUCLEON)


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

    def between(self, r_min_km, r_max_km, n=200):
        """The profile interpolated (log-linearly in density) on n radii from r_min to r_max."""
        r = np.linspace(r_min_km, r_max_km, n)
        at = lambda values: np.interp(r, self.radius_km, values)  # noqa: E731
        return CoreProfile(r, np.exp(at(np.log(self.density_g_cm3))), at(self.temperature_MeV),
                           at(self.electron_fraction), at(self.nue_chemical_potential_MeV),
                           at(self.electron_chemical_potential_MeV))

    def nucleon_densities_per_cm3(self):
        """(n_n, n_p) = rho (1 - Y_e) / u, rho Y_e / u (free nucleons)."""
        baryons = self.density_g_cm3 / c.GRAM_PER_U
        return baryons * (1.0 - self.electron_fraction), baryons * self.electron_fraction


def fermi_dirac(x):
    """1 / (1 + exp(x)), without overflow."""
    return 0.5 * (1.0 - np.tanh(0.5 * np.asarray(x, dtype=float)))


def fermi_dirac_spectrum(E_MeV, T_MeV, mu_MeV):
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


def nucleon_cross_section_polynomial(E_MeV, mediator_mass_MeV, nucleon, mediator, transport=True, nodes=64):
    """(s0, s1, s2) [cm^2] with sigma(E; g, m) = s0 + s1 g^2 + s2 g^4, integrated over 0 <= E_r <= E_r^max.

    Shapes (n_m, n_E). Eqs. 2, 5-6 (vector) or 9-10 (scalar) with F = 1. With ``transport`` each
    recoil is weighted by 1 - cos(theta) = m_T E_r / E^2, the momentum-transfer (diffusion) cross
    section; forward scattering through a light mediator then does not count as trapping.
    """
    E = np.asarray(E_MeV, dtype=float)[None, :]
    m2 = np.asarray(mediator_mass_MeV, dtype=float)[:, None] ** 2 * np.ones_like(E)
    mT = nucleon.mass_MeV
    a = mT / (2.0 * E**2)
    weight = (lambda E_r: mT * E_r / E[..., None] ** 2) if transport else (lambda E_r: 1.0)
    kinematic = lambda E_r: (1.0 - a[..., None] * E_r) * weight(E_r)  # noqa: E731
    P = xs.sm_prefactor_cm2_per_MeV(nucleon)
    s0 = P * _recoil_integral(E, m2, mT, lambda E_r, u: kinematic(E_r), nodes)
    if mediator == "vector":
        K = xs.vector_strength_MeV2(nucleon)
        s1 = -2.0 * K * P * _recoil_integral(E, m2, mT, lambda E_r, u: kinematic(E_r) / u, nodes)
        s2 = K**2 * P * _recoil_integral(E, m2, mT, lambda E_r, u: kinematic(E_r) / u**2, nodes)
        return s0, s1, s2
    if mediator == "scalar":
        prefactor = nucleon.scalar_charge**2 * mT**2 / (c.FOUR_PI * E**2) * c.HBARC2_CM2_MEV2
        s2 = prefactor * _recoil_integral(E, m2, mT, lambda E_r, u: E_r * weight(E_r) / u**2, nodes)
        return s0, np.zeros_like(s2), s2
    raise ValueError(f"unknown mediator {mediator!r}")


def charged_current_cross_section_cm2(E_MeV, antineutrino, T_MeV, mu_e_MeV):
    """nu_e n -> e- p or anti-nu_e p -> e+ n: G_F^2 cos^2 theta_C (1 + 3 g_A^2) / pi E_e p_e (1 - f_e).

    E_e = E_nu + Delta (nu_e) or E_nu - Delta (anti-nu_e), nucleon recoil neglected (Bruenn 1985,
    ApJS 58, 771). Electron final states are Pauli blocked by a Fermi-Dirac sea at each radius
    (T, mu_e of shape n_r); positrons are not. Returns shape (n_r, n_E).
    """
    E = np.asarray(E_MeV, dtype=float)
    delta = c.NEUTRON_PROTON_MASS_DIFFERENCE_MEV
    E_e = E - delta if antineutrino else E + delta
    p_e = np.sqrt(np.clip(E_e**2 - c.ELECTRON_MASS_MEV**2, 0.0, None))
    sigma = (c.G_F_PER_MEV2**2 * c.COS2_THETA_C * (1.0 + 3.0 * c.G_A_NUCLEON**2) / np.pi
             * np.where(E_e > c.ELECTRON_MASS_MEV, E_e * p_e, 0.0) * c.HBARC2_CM2_MEV2)
    if antineutrino:
        return np.broadcast_to(sigma, (len(T_MeV), E.size))
    return sigma[None, :] * (1.0 - fermi_dirac((E_e[None, :] - mu_e_MeV[:, None]) / T_MeV[:, None]))


@dataclass(frozen=True)
class CorePolynomials:
    """Diffusion time and number of scatterings as polynomials in g^2 at each mediator mass.

    tau(g, m) = tau0 + tau1(m) g^2 + tau2(m) g^4 [s]; N(g, m) = n2(m) g^4 (scalar; zero for vector).
    """

    mass_MeV: np.ndarray
    tau0_s: float
    tau1_s: np.ndarray
    tau2_s: np.ndarray
    n2: np.ndarray

    def at(self, index):
        """The polynomials at a subset of the masses (an index or slice into ``mass_MeV``)."""
        return CorePolynomials(self.mass_MeV[index], self.tau0_s, self.tau1_s[index], self.tau2_s[index], self.n2[index])

    def diffusion_time_s(self, coupling):
        g2 = np.asarray(coupling, dtype=float) ** 2
        return self.tau0_s + g2 * (self.tau1_s + g2 * self.tau2_s)

    def scatterings(self, coupling):
        return np.asarray(coupling, dtype=float) ** 4 * self.n2


def inverse_mean_free_path(shell, mediator, mediator_mass_MeV, E_MeV, antineutrino, transport=True):
    """1/lambda [1/cm] of nu_e (or anti-nu_e) at each radius of ``shell`` as a polynomial in g^2 (eq. 12).

    Returns (k0, k1, k2): k0 shape (n_r,) (SM: NC on n and p, CC absorption), k1 and k2 shape (n_r, n_m),
    averaged over the Fermi-Dirac spectrum at the local T and chemical potential (+-mu_nu_e).
    """
    n_n, n_p = shell.nucleon_densities_per_cm3()
    m = np.atleast_1d(np.asarray(mediator_mass_MeV, dtype=float))
    s_n = nucleon_cross_section_polynomial(E_MeV, m, NEUTRON, mediator, transport)
    s_p = nucleon_cross_section_polynomial(E_MeV, m, PROTON, mediator, transport)
    mu = -shell.nue_chemical_potential_MeV if antineutrino else shell.nue_chemical_potential_MeV
    f = fermi_dirac_spectrum(E_MeV, shell.temperature_MeV, mu)
    cc = charged_current_cross_section_cm2(E_MeV, antineutrino, shell.temperature_MeV,
                                           shell.electron_chemical_potential_MeV)
    absorbers = n_p if antineutrino else n_n
    k0 = np.trapezoid(f * (n_n[:, None] * s_n[0][0] + n_p[:, None] * s_p[0][0] + absorbers[:, None] * cc), E_MeV, axis=-1)
    k1, k2 = (np.trapezoid((n_n[:, None, None] * s_n[k][None] + n_p[:, None, None] * s_p[k][None]) * f[:, None, :],
                           E_MeV, axis=-1) for k in (1, 2))
    return k0, k1, k2


def core_polynomials(profile, mediator, mediator_mass_MeV, R1_km, R2_km, E_MeV, n_radii=200, transport=True,
                     masses_per_block=64):
    """Diffusion time (eq. 13, nu_e and anti-nu_e averaged) and LNC-scalar scatterings (eq. 14).

    Parameters
    ----------
    profile : CoreProfile
    mediator : {'vector', 'scalar'}
    mediator_mass_MeV : ndarray, shape (n_m,)
    R1_km, R2_km : float
        The diffusion region (paper: 10 and 40 km).
    E_MeV : ndarray
        Neutrino-energy grid for the Fermi-Dirac averages.
    n_radii : int
        Trapezoidal points in radius.
    transport : bool
        Momentum-transfer (True) or total (False) scattering cross sections for the diffusion time.
    masses_per_block : int
        Masses evaluated together (memory grows as n_radii x n_E x masses_per_block).
    """
    m = np.atleast_1d(np.asarray(mediator_mass_MeV, dtype=float))
    blocks = [_core_polynomials(profile, mediator, m[i:i + masses_per_block], R1_km, R2_km, E_MeV, n_radii, transport)
              for i in range(0, m.size, masses_per_block)]
    return CorePolynomials(m, blocks[0].tau0_s, *(np.concatenate([getattr(b, name) for b in blocks])
                                                  for name in ("tau1_s", "tau2_s", "n2")))


def _core_polynomials(profile, mediator, m, R1_km, R2_km, E_MeV, n_radii, transport):
    """:func:`core_polynomials` for one block of masses."""
    shell = profile.between(R1_km, R2_km, n_radii)
    r_cm = shell.radius_km / c.KM_PER_CM
    weight = 3.0 * (r_cm - r_cm[0]) / c.SPEED_OF_LIGHT_CM_PER_S
    tau0, tau1, tau2, n2 = 0.0, np.zeros_like(m), np.zeros_like(m), np.zeros_like(m)
    for antineutrino in (False, True):
        k0, k1, k2 = inverse_mean_free_path(shell, mediator, m, E_MeV, antineutrino, transport)
        tau0 += 0.5 * np.trapezoid(weight * k0, r_cm)
        tau1 += 0.5 * np.trapezoid(weight[:, None] * k1, r_cm, axis=0)
        tau2 += 0.5 * np.trapezoid(weight[:, None] * k2, r_cm, axis=0)
        if mediator == "scalar":  # every scalar scattering counts (eq. 14): total, not transport, cross section
            scalar = inverse_mean_free_path(shell, "scalar", m, E_MeV, antineutrino, transport=False)[2]
            n2 = n2 + 0.5 * np.trapezoid(scalar, r_cm, axis=0)
    return CorePolynomials(m, float(tau0), tau1, tau2, n2)
