"""Derive ``resources/xenonnt_2024/``: the part of the XENONnT 2024 light-dark-matter data release that the
``xenonnt_2024`` recast reads.

The release (arXiv:2409.17868, GitHub XENONnT/light_wimp_data_release at commit a09cd8fd, Zenodo
10.5281/zenodo.14522706) holds 4-D templates (cS2, S2 shadow, S1 BDT score, S2 BDT score; 3 bins
each) in one HDF5 file per source, science run and yield variation, 4,200 files in all. This script
keeps, unchanged in value:

- ``templates.h5``: per science run the analysis-space bin edges, the mono-energetic basis
  (16 recoil energies x light yield 1..10 x charge yield 1..10 quanta/keV, events per bin per
  tonne-year for a rate of one event per tonne-year at that energy), and the background templates
  b8, rg (at the 7 x 7 anchors t_ly, t_qy = -3..3), ac and er [events per bin per tonne-year];
- ``events.csv``: the unblinded events of SR0 and SR1 (the release's real_data.pkl, as converted to
  CSV in the reference copy);
- ``parameters.csv``: livetimes (exposures), nominal values, Gaussian uncertainties and fit limits of
  the statistical model (statistical_model_base.yaml);
- ``yields.csv``: the YBe-calibrated light and charge yields, lower / median / upper;
- ``b8_spectrum.csv``: the release's 8B CEvNS recoil spectrum (cumulative rate), for comparison;
- ``si_limits.csv``: the published spin-independent WIMP limit, for validation;
- ``checksums.txt``: SHA-256 of each file above (a modified or corrupted file stops the workflow).

Output is byte-identical on re-runs. Usage (from the repository root)::

    python resources/derivation/xenonnt_2024.py ../shared/reference
"""

import csv
import json

import common
import h5py
import numpy as np
import yaml

RELEASE = "XENONnT light-WIMP data release (GitHub XENONnT/light_wimp_data_release, commit a09cd8fd, 2025-05-16)"
CITATION = (
    "E. Aprile et al. (XENON), Phys. Rev. Lett. 134, 111802 (2025), arXiv:2409.17868; Zenodo 10.5281/zenodo.14522706"
)
COMMAND = "python resources/derivation/xenonnt_2024.py ../shared/reference"
OUTPUT = common.RESOURCES / "xenonnt_2024"
SCIENCE_RUNS = ("sr0", "sr1")
AXES = ("cs2", "s2_shadow_s2_time_shadow", "s1_bdt_score", "s2_bdt_score")
# the release's basis energies (light_wimp_data_release/utils.py BASIS_E_R); sr0 also has 0.5 keV, unused there
MONO_ENERGIES_KEV = (0.51, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)
MONO_YIELDS = tuple(range(1, 11))  # quanta per keV, light and charge
ANCHORS = tuple(range(-3, 4))  # t_ly, t_qy of the released templates
PARAMETERS = (
    "livetime_sr0",
    "livetime_sr1",
    "signal_efficiency",
    "wimp_rate_multiplier",
    "b8_rate_multiplier",
    "ac_sr0_rate_multiplier",
    "ac_sr1_rate_multiplier",
    "er_rate_multiplier",
    "nr_rate_multiplier",
    "t_ly",
    "t_qy",
)


def read_template(path, edges=None):
    """(template, bin edges) of one release HDF5 file; the edges must agree with ``edges`` if given."""
    with h5py.File(path, "r") as handle:
        template = np.asarray(handle["templates/template"], dtype=float)
        own = [np.asarray(handle[f"bins/{i}"], dtype=float) for i in range(len(AXES))]
        names = [handle[f"bins/{i}"].attrs["name"] for i in range(len(AXES))]
    if tuple(str(n) for n in names) != AXES:
        raise ValueError(f"{path}: axes {names}, expected {AXES}")
    # the mono-energetic and signal files write the same edges with 9 to 12 significant digits
    if edges is not None and not all(np.allclose(a, b, rtol=1e-7, atol=0) for a, b in zip(own, edges, strict=True)):
        raise ValueError(f"{path}: bin edges differ from those of the background templates")
    if template.shape != (3, 3, 3, 3) or not np.all(np.isfinite(template)) or np.any(template < 0):
        raise ValueError(f"{path}: template of shape {template.shape} with negative or non-finite values")
    return template, own


def energy_label(energy_keV):
    """'0_51', '1_0', '1_25': the release's spelling of a basis energy in its file names."""
    return str(energy_keV).replace(".", "_")


def science_run(data, run, dataset):
    """Write one science run's templates into the group ``dataset``; returns a short summary."""
    ac, edges = read_template(data / "ac" / f"template_XENONnT_{run}_ac_cevns.h5")
    er, _ = read_template(data / "er" / f"template_XENONnT_{run}_er_cevns.h5", edges)
    anchored = {
        name: np.array(
            [
                [
                    read_template(
                        data / name / f"template_XENONnT_{run}_{name}_cevns_tly_{ly:.1f}_tqy_{qy:.1f}.h5", edges
                    )[0]
                    for qy in ANCHORS
                ]
                for ly in ANCHORS
            ]
        )
        for name in ("b8", "rg")
    }
    mono = np.array(
        [
            [
                [
                    read_template(
                        data / "orthonormal_basis" / f"template_XENONnT_{run}_recasting_mono_"
                        f"{energy_label(energy)}_cevns_tly_{ly}_tqy_{qy}.h5",
                        edges,
                    )[0]
                    for qy in MONO_YIELDS
                ]
                for ly in MONO_YIELDS
            ]
            for energy in MONO_ENERGIES_KEV
        ]
    )
    for axis, values in zip(AXES, edges, strict=True):
        dataset.create_dataset(f"bin_edges/{axis}", data=values, track_times=False)
    for name, values in (("ac", ac), ("er", er), ("b8", anchored["b8"]), ("rg", anchored["rg"]), ("mono", mono)):
        dataset.create_dataset(
            name, data=values, track_times=False, compression="gzip", compression_opts=9, shuffle=True
        )
    return (
        f"{run}: b8 {anchored['b8'][3, 3].sum():.4f}, ac {ac.sum():.4f}, er {er.sum():.4f}, "
        f"rg {anchored['rg'][3, 3].sum():.4f} events per tonne-year at t = 0"
    )


def write_templates(data):
    path = OUTPUT / "templates.h5"
    with h5py.File(path, "w") as handle:
        handle.attrs["provenance"] = "\n".join(
            [
                "XENONnT 2024 light-DM search templates, values unchanged from the release's HDF5 files.",
                f"Release: {RELEASE}.",
                f"Citation: {CITATION}.",
                "Units: events per analysis bin per tonne-year "
                "(the release's livetime parameters are exposures in t yr);"
                " mono: per unit recoil rate (1 event per t yr) at mono_energy_keV,"
                " light and charge yields in quanta/keV.",
                "Axes of every template: cs2, s2_shadow_s2_time_shadow, s1_bdt_score, s2_bdt_score (3 bins each);"
                " b8, rg: leading axes t_ly, t_qy at yield_anchors; mono: energy, light yield, charge yield.",
                f"Regenerate (from the repository root): {COMMAND}",
            ]
        )
        handle.create_dataset("mono_energy_keV", data=np.array(MONO_ENERGIES_KEV), track_times=False)
        handle.create_dataset("mono_yield_per_keV", data=np.array(MONO_YIELDS, dtype=float), track_times=False)
        handle.create_dataset("yield_anchors", data=np.array(ANCHORS, dtype=float), track_times=False)
        summaries = [science_run(data, run, handle.create_group(run)) for run in SCIENCE_RUNS]
    print(f"wrote {path}")
    return summaries


def header(what, columns, extra=()):
    return common.release_header(what, columns, extra, RELEASE, CITATION, COMMAND)


def write_csv(name, header_lines, names, rows):
    common.write_release_csv(OUTPUT / name, header_lines, names, rows)


number = common.exact_number


def write_events(data):
    rows = []
    for run in SCIENCE_RUNS:
        with open(data / f"real_data_{run}.csv", encoding="utf-8") as handle:
            rows += [[run, *(number(float(row[axis])) for axis in AXES)] for row in csv.DictReader(handle)]
    write_csv(
        "events.csv",
        header(
            "Unblinded events of the XENONnT 2024 light-DM search after all selections.",
            "science_run (sr0, sr1) and the four analysis coordinates of each event",
            ["Converted from the release's data/real_data.pkl (one row per event)."],
        ),
        ["science_run", *AXES],
        rows,
    )
    return len(rows)


def write_parameters(data):
    with open(data / "statistical_model_base.yaml", encoding="utf-8") as handle:
        definitions = yaml.safe_load(handle)["parameter_definition"]
    rows = []
    for name in PARAMETERS:
        entry = definitions[name]
        limits = entry.get("fit_limits") if entry.get("fittable", True) else None
        rows.append(
            [
                name,
                number(float(entry["nominal_value"])),
                number(None if entry.get("uncertainty") is None else float(entry["uncertainty"])),
                number(None if limits is None else float(limits[0])),
                number(None if limits is None else float(limits[1])),
            ]
        )
        if entry.get("uncertainty") is not None and entry.get("relative_uncertainty") and entry["nominal_value"] != 1:
            raise ValueError(f"{name}: relative uncertainty with nominal value {entry['nominal_value']} != 1")
    write_csv(
        "parameters.csv",
        header(
            "Parameters of the XENONnT 2024 light-DM statistical model (statistical_model_base.yaml).",
            "parameter, nominal, uncertainty (Gaussian constraint width; empty: unconstrained), fit_min, fit_max "
            "(empty: fixed)",
            [
                "livetime_sr0, livetime_sr1: exposures [t yr] multiplying every template of the science run.",
                "Multipliers: b8 = signal_efficiency x b8_rate_multiplier; signal = signal_efficiency x "
                "wimp_rate_multiplier; ac_srN, er, nr (rg templates) = their own rate multiplier.",
                "t_ly, t_qy: yield shape parameters of b8, signal and nr, templates at the anchors -3..3.",
            ],
        ),
        ["parameter", "nominal", "uncertainty", "fit_min", "fit_max"],
        rows,
    )


def write_yields(data):
    curves = {}
    for kind in ("ly", "qy"):
        for level in ("lower", "median", "upper"):
            with open(data / "signal" / f"{kind}_ybe_model_{level}.json", encoding="utf-8") as handle:
                curves[kind, level] = json.load(handle)
    energies = curves["ly", "median"]["coordinate_system"]
    if any(curve["coordinate_system"] != energies for curve in curves.values()):
        raise ValueError("the yield curves do not share one recoil-energy grid")
    names = [f"{'light' if kind == 'ly' else 'charge'}_yield_{level}_per_keV" for kind, level in curves]
    rows = [[number(e), *(number(curve["map"][i]) for curve in curves.values())] for i, e in enumerate(energies)]
    write_csv(
        "yields.csv",
        header(
            "YBe-calibrated nuclear-recoil light and charge yields of XENONnT (signal/{ly,qy}_ybe_model_*.json).",
            "E_r_keV, then light and charge yield [quanta per keV]: lower (t = -1), median (t = 0), upper (t = +1)",
            [
                "For t >= 0 the yield is median + t (upper - median), for t < 0 median + t (median - lower),"
                " clipped to the 1..10 quanta/keV of the mono-energetic basis."
            ],
        ),
        ["E_r_keV", *names],
        rows,
    )


def write_b8_spectrum(data):
    with open(data / "signal" / "cevns_spectrum.json", encoding="utf-8") as handle:
        spectrum = json.load(handle)
    rows = [
        [number(e), number(f * spectrum["rate"])]
        for e, f in zip(spectrum["map"], spectrum["coordinate_system"], strict=True)
    ]
    write_csv(
        "b8_spectrum.csv",
        header(
            "Solar 8B CEvNS recoil spectrum on xenon of the XENONnT 2024 release (signal/cevns_spectrum.json).",
            "E_r_keV, cumulative_rate_per_t_yr (the release's CDF times its rate)",
        ),
        ["E_r_keV", "cumulative_rate_per_t_yr"],
        rows,
    )
    return spectrum["rate"]


def write_si_limits(reference):
    with open(reference / "limits" / "XENONnT_2024_SI.csv", encoding="utf-8") as handle:
        rows = [
            [
                number(float(r["dm_mass_gev"])),
                number(float(r["unconstrained_upper_limit_cm2"])),
                number(float(r["upper_limit_cm2"])),
                number(float(r["sensitivity_median_cm2"])),
            ]
            for r in csv.DictReader(handle)
        ]
    write_csv(
        "si_limits.csv",
        header(
            "Published 90 % CL spin-independent WIMP-nucleon limit of the XENONnT 2024 light-DM search (its fig. 3).",
            "wimp_mass_GeV, upper_limit_cm2 (before the power constraint), power_constrained_limit_cm2, "
            "median_sensitivity_cm2",
            ["Toy-MC Neyman construction (the release's limits/XENONnT_2024_SI.csv)."],
        ),
        ["wimp_mass_GeV", "upper_limit_cm2", "power_constrained_limit_cm2", "median_sensitivity_cm2"],
        rows,
    )


def main():
    reference = common.reference_dir(__doc__.splitlines()[0]) / "xenonnt_lightdm_2024"
    data = reference / "data"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    summaries = write_templates(data)
    n_events = write_events(data)
    write_parameters(data)
    write_yields(data)
    rate = write_b8_spectrum(data)
    write_si_limits(reference)
    common.write_checksums(
        OUTPUT, ["templates.h5", "events.csv", "parameters.csv", "yields.csv", "b8_spectrum.csv", "si_limits.csv"]
    )
    print("\n".join(summaries))
    print(f"{n_events} events; release 8B CEvNS rate {rate:.4f} events per tonne-year")


if __name__ == "__main__":
    main()
