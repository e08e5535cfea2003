"""Derive the embedded compact supernova signals from Garching-archive time series.

For each flavour the full simulation output (thousands of time samples) is replaced by about 150
samples whose trapezoidal time integral conserves, exactly, the emitted number of neutrinos,
their total energy and their mean squared energy: on the coarse grid t_j with hat functions
h_j(t) (sum_j h_j = 1, integral of h_j = w_j),

    N_j  = int h_j L/<E> dt / w_j,   L_j = int h_j L dt / w_j,
    <E>_j = L_j / N_j,               <E^2>_j = int h_j (L/<E>) <E^2> dt / (w_j N_j).

The time-integrated spectrum (eq. 17) is then a sum of pinched spectra with the right moments
over each short interval. Usage (from the repository root):

    python resources/derivation/derive_supernova.py ../shared/reference/supernova resources/supernova
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "workflow" / "lib"))

from astrocevns.physics import constants as c  # noqa: E402
from astrocevns.physics.fluxes import LuminosityHistory  # noqa: E402
from astrocevns.tables import io  # noqa: E402

MODELS = {
    # archive model name: (project name, description)
    "s27.0c": ("sn_cc", "27 Msun core-collapse supernova, LS220 EoS (Garching archive model s27.0c)"),
    "s40s7b2c": ("sn_failed", "40 Msun black-hole-forming collapse, LS220 EoS (Garching archive model s40s7b2c)"),
}
FLAVOURS = ("nue", "nuebar", "nux")


def coarse_time_grid(t_end_s, burst_end_s=0.05, burst_step_s=0.002, n_late=120):
    """2 ms steps over the neutronisation burst, then logarithmic steps to the end of the signal."""
    burst = np.arange(0.0, burst_end_s, burst_step_s)
    return np.concatenate([burst, np.geomspace(burst_end_s, t_end_s, n_late)])


def hat_averaged(history, t_coarse):
    """Moment-conserving coarse history (see module docstring)."""
    fine = history.clipped(t_coarse[-1])
    dt = np.diff(fine.time_s)
    w_fine = np.zeros_like(fine.time_s)
    w_fine[:-1] += 0.5 * dt
    w_fine[1:] += 0.5 * dt
    hats = np.array([np.interp(fine.time_s, t_coarse, np.eye(t_coarse.size)[j]) for j in range(t_coarse.size)])
    w_coarse = hats @ w_fine
    number = fine.number_rate_per_s()
    rate_N = hats @ (w_fine * number) / w_coarse
    rate_L = hats @ (w_fine * fine.luminosity_foe_per_s) / w_coarse
    rate_E2 = hats @ (w_fine * number * fine.mean_sq_energy_MeV2) / w_coarse
    mean_E = rate_L * c.ERG_PER_FOE * c.MEV_PER_ERG / rate_N
    return LuminosityHistory(t_coarse, rate_L, mean_E, rate_E2 / rate_N)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reference_dir", type=Path, help="folder with garching_<model>_LS220_<flavour>.dat")
    parser.add_argument("output_dir", type=Path)
    args = parser.parse_args()
    for model, (name, description) in MODELS.items():
        for flavour in FLAVOURS:
            source = args.reference_dir / f"garching_{model}_LS220_{flavour}.dat"
            full = io.read_garching_timeseries(source)
            coarse = hat_averaged(full, coarse_time_grid(full.time_s[-1]))
            header = [
                f"{description}: {flavour} (nux = one heavy-lepton species).",
                "Compact signal derived by astro-cevns from the public Garching-archive time series",
                f"{source.name} (Mirizzi et al. 2016, Riv. Nuovo Cim. 39, 1; observer frame at infinity),",
                "by resources/derivation/derive_supernova.py: moment-conserving hat-function averages on",
                f"{coarse.time_s.size} samples, 0 <= t_pb <= {coarse.time_s[-1]:.4f} s. The trapezoidal time integral",
                "conserves the emitted number, energy and <E^2> of the full series exactly.",
                "Point the config at the full simulation files to use them instead.",
            ]
            io.write_garching_timeseries(args.output_dir / f"{name}_{flavour}.dat", coarse, header)


if __name__ == "__main__":
    main()
