"""Derive ``resources/xenonnt_s2only_2026/``: the part of the XENONnT S2-only light-dark-matter data release
(SR0 + SR1 + SR2) that the ``xenonnt_s2only_2026`` analysis reads.

The release (arXiv:2601.11296, GitHub XENONnT/s2_only_data_release at commit dd00e045, licence "mit" as
stated in its .zenodo.json) holds 1-D templates in 7 cS2 bins (80-500 PE) for three science runs. This
script keeps, unchanged in value:

- ``templates.h5``: the cS2 bin edges, the 50 mono-energetic recoil energies and the charge-yield
  anchors t_qy = -3..3; per science run the nuclear-recoil response (anchor x energy x cS2 bin: events
  per bin per tonne-year for one recoil per tonne-year at that energy, the release's response/*.csv),
  the 8B CEvNS template at each t_qy anchor, the cathode template at each t_sys anchor, and the ``de``
  and ``ae`` templates (no ``ae`` in SR2, as in the statistical model) [events per bin per tonne-year];
- ``observed.csv``: the unblinded events per science run and cS2 bin (the release's real_data.pkl,
  binned as its likelihood bins them; no event lies outside 80-500 PE);
- ``parameters.csv``: exposures (livetime parameters), nominal values, Gaussian uncertainties and fit
  limits of s2_only_statistical_model.yaml;
- ``si_limits.csv``: the published spin-independent WIMP limit (after the power constraint) and the
  sensitivity band, for validation;
- ``checksums.txt``: SHA-256 of each file above (a modified or corrupted file stops the workflow).

Output is byte-identical on re-runs. Usage (from the repository root)::

    python resources/derivation/xenonnt_s2only_2026.py ../shared/reference
"""

import csv

import common
import h5py
import numpy as np
import yaml

RELEASE = (
    "XENONnT S2-only data release (GitHub XENONnT/s2_only_data_release, commit dd00e045, 2026-04-21; "
    "licence as stated in its .zenodo.json: MIT)"
)
CITATION = (
    "E. Aprile et al. (XENON), Light Dark Matter Search with 7.8 Tonne-Year of Ionization-Only Data in "
    "XENONnT, arXiv:2601.11296 (2026)"
)
COMMAND = "python resources/derivation/xenonnt_s2only_2026.py ../shared/reference"
OUTPUT = common.RESOURCES / "xenonnt_s2only_2026"
SCIENCE_RUNS = ("sr0", "sr1", "sr2")
ANCHORS = tuple(range(-3, 4))  # t_qy of the response and CEvNS templates, t_sys of the cathode templates
CS2_EDGES_PE = np.linspace(80, 500, 8)  # the YAML's analysis space: np.linspace(80, 500, 8)
FILES = ("templates.h5", "observed.csv", "parameters.csv", "si_limits.csv")


def read_template(path):
    """The 7 values of one release HDF5 template (its cS2 edges must be the analysis space's)."""
    with h5py.File(path, "r") as handle:
        edges = np.asarray(handle["bins/0"], dtype=float)
        template = np.asarray(handle["templates/template"], dtype=float)
    if not np.allclose(edges, CS2_EDGES_PE, rtol=1e-12, atol=0):
        raise ValueError(f"{path}: cS2 edges {edges}, expected {CS2_EDGES_PE}")
    if template.shape != (CS2_EDGES_PE.size - 1,) or not np.all(np.isfinite(template)) or np.any(template < 0):
        raise ValueError(f"{path}: template of shape {template.shape} with negative or non-finite values")
    return template


def read_response(path):
    """(energies [keV], response (n_energies, 7)) of one response/*.csv of the release."""
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    energies = np.array([float(row["energy_kev"]) for row in rows])
    values = np.array([[float(row[f"s2_bin_{i}"]) for i in range(CS2_EDGES_PE.size - 1)] for row in rows])
    if np.any(np.diff(energies) <= 0) or np.any(values < 0) or not np.all(np.isfinite(values)):
        raise ValueError(f"{path}: energies not increasing or negative / non-finite responses")
    return energies, values


def science_run(reference, run, group):
    """Write one science run's response and templates into ``group``; returns a short summary."""
    templates = reference / "data" / "templates"
    prefix = f"science_roi_background_{run}_template"
    energies, response = zip(
        *(read_response(reference / "response" / f"response_nr_tqy_{t}_{run}.csv") for t in ANCHORS), strict=True
    )
    if any(not np.array_equal(e, energies[0]) for e in energies):
        raise ValueError(f"{run}: the response files do not share one energy grid")
    datasets = {
        "response": np.array(response),
        "cevns": np.array([read_template(templates / f"{prefix}_cevns_tqy_{t}_1d.h5") for t in ANCHORS]),
        "cathode": np.array([read_template(templates / f"{prefix}_cathode_tsys_{t}_1d.h5") for t in ANCHORS]),
        "de": read_template(templates / f"{prefix}_de_1d.h5"),
    }
    if run != "sr2":  # the statistical model has no ae source in SR2
        datasets["ae"] = read_template(templates / f"{prefix}_ae_1d.h5")
    for name, values in datasets.items():
        group.create_dataset(name, data=values, track_times=False, compression="gzip", compression_opts=9, shuffle=True)
    summary = ", ".join(
        f"{name} {values[3].sum() if values.ndim == 2 else values.sum():.4f}"
        for name, values in datasets.items()
        if name != "response"
    )
    return energies[0], f"{run}: {summary} events per tonne-year at t = 0"


def write_templates(reference):
    path = OUTPUT / "templates.h5"
    with h5py.File(path, "w") as handle:
        handle.attrs["provenance"] = "\n".join(
            [
                "XENONnT S2-only light-DM search (SR0-SR2): response matrices and templates, values unchanged from "
                "the release's response/*.csv and data/templates/*_1d.h5.",
                f"Release: {RELEASE}.",
                f"Citation: {CITATION}.",
                "Units: events per cS2 bin per tonne-year (the livetime parameters are exposures in t yr); response: "
                "per unit recoil rate (1 event per t yr) at energy_keV, axes (t_qy anchor, energy, cS2 bin).",
                "cevns: axes (t_qy anchor, cS2 bin); cathode: axes (t_sys anchor, cS2 bin); de, ae: cS2 bin.",
                f"Regenerate (from the repository root): {COMMAND}",
            ]
        )
        handle.create_dataset("cs2_edges_PE", data=CS2_EDGES_PE, track_times=False)
        handle.create_dataset("anchors", data=np.array(ANCHORS, dtype=float), track_times=False)
        results = [science_run(reference, run, handle.create_group(run)) for run in SCIENCE_RUNS]
        if any(not np.array_equal(e, results[0][0]) for e, _ in results):
            raise ValueError("the science runs' responses do not share one energy grid")
        handle.create_dataset("energy_keV", data=results[0][0], track_times=False)
    print(f"wrote {path}")
    return [summary for _, summary in results]


def header(what, columns, extra=()):
    return common.release_header(what, columns, extra, RELEASE, CITATION, COMMAND)


def write_csv(name, header_lines, names, rows):
    common.write_release_csv(OUTPUT / name, header_lines, names, rows)


number = common.exact_number


def write_observed(reference):
    rows, totals = [], []
    for run in SCIENCE_RUNS:
        with open(reference / "data" / f"real_data_{run}.csv", encoding="utf-8") as handle:
            cs2 = np.array([float(row["cs2_wo_elifecorr"]) for row in csv.DictReader(handle)])
        if np.any((cs2 < CS2_EDGES_PE[0]) | (cs2 > CS2_EDGES_PE[-1])):
            raise ValueError(f"{run}: an event lies outside the analysis space")
        counts = np.histogram(cs2, bins=CS2_EDGES_PE)[0]
        rows += [
            [run, i, number(lo), number(hi), int(n)]
            for i, (lo, hi, n) in enumerate(zip(CS2_EDGES_PE[:-1], CS2_EDGES_PE[1:], counts, strict=True))
        ]
        totals.append(f"{run} {counts.sum()}")
    write_csv(
        "observed.csv",
        header(
            "Unblinded events of the XENONnT S2-only light-DM search per science run and cS2 bin.",
            "science_run, cs2_bin, cs2_low_PE, cs2_high_PE, events",
            [
                "Binned from the release's data/real_data.pkl (cs2_wo_elifecorr) with numpy.histogram on the "
                "analysis space of s2_only_statistical_model.yaml (7 bins of 60 PE, 80-500 PE)."
            ],
        ),
        ["science_run", "cs2_bin", "cs2_low_PE", "cs2_high_PE", "events"],
        rows,
    )
    return ", ".join(totals)


def parameter_names(definitions):
    """The parameters of the statistical model in the YAML's order, the signal's mass excluded."""
    return [name for name in definitions if name != "wimp_mass"]


def write_parameters(reference):
    with open(reference / "s2_only_statistical_model.yaml", encoding="utf-8") as handle:
        definitions = yaml.safe_load(handle)["parameter_definition"]
    rows = []
    for name in parameter_names(definitions):
        entry = definitions[name]
        limits = entry.get("fit_limits") if entry.get("fittable", True) else None
        if entry.get("uncertainty") is not None and entry.get("relative_uncertainty") and entry["nominal_value"] != 1:
            raise ValueError(f"{name}: relative uncertainty with nominal value {entry['nominal_value']} != 1")
        rows.append(
            [
                name,
                number(float(entry["nominal_value"])),
                number(None if entry.get("uncertainty") is None else float(entry["uncertainty"])),
                number(None if limits is None else float(limits[0])),
                number(None if limits is None else float(limits[1])),
            ]
        )
    write_csv(
        "parameters.csv",
        header(
            "Parameters of the XENONnT S2-only statistical model (s2_only_statistical_model.yaml).",
            "parameter, nominal, uncertainty (Gaussian constraint width; empty: unconstrained), fit_min, fit_max "
            "(empty: fixed)",
            [
                "livetime_srN: exposures [t yr] multiplying every template of the science run.",
                "In run N: signal and cevns x signal_efficiency_srN (cevns also x cevns_rate_multiplier, shared by the "
                "runs); cathode x cathode_srN_rate_multiplier at shape t_sys_srN; de, ae x their own multiplier.",
                "t_qy: charge-yield shape of signal and cevns (all runs); t_sys_srN: cathode shape; anchors -3..3.",
            ],
        ),
        ["parameter", "nominal", "uncertainty", "fit_min", "fit_max"],
        rows,
    )


def write_si_limits(reference):
    limits = reference / "limits"
    with open(limits / "XENONnT_SR012_s2_only_wimp_si_after_pcl_limit.csv", encoding="utf-8") as handle:
        published = {float(r["mass_gev"]): float(r["limit_cm2"]) for r in csv.DictReader(handle)}
    with open(limits / "XENONnT_SR012_s2_only_wimp_si_sensitivity.csv", encoding="utf-8") as handle:
        sensitivity = {float(r["wimp_mass"]): r for r in csv.DictReader(handle)}
    if set(published) != set(sensitivity):
        raise ValueError("the limit and sensitivity files list different masses")
    rows = [
        [number(m), number(published[m]), number(float(sensitivity[m]["median"])), number(float(sensitivity[m]["dl"]))]
        for m in sorted(published)
    ]
    write_csv(
        "si_limits.csv",
        header(
            "Published 90 % CL spin-independent WIMP-nucleon limit of the XENONnT S2-only search (its fig. 4).",
            "wimp_mass_GeV, power_constrained_limit_cm2 (toy-MC intervals, power-constrained at the -1 sigma "
            "sensitivity), median_sensitivity_cm2, minus_1_sigma_sensitivity_cm2",
            ["From limits/XENONnT_SR012_s2_only_wimp_si_after_pcl_limit.csv and ..._wimp_si_sensitivity.csv."],
        ),
        ["wimp_mass_GeV", "power_constrained_limit_cm2", "median_sensitivity_cm2", "minus_1_sigma_sensitivity_cm2"],
        rows,
    )


def main():
    reference = common.reference_dir(__doc__.splitlines()[0]) / "xenonnt_s2only_2026"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    summaries = write_templates(reference)
    totals = write_observed(reference)
    write_parameters(reference)
    write_si_limits(reference)
    common.write_checksums(OUTPUT, FILES)
    print("\n".join(summaries))
    print(f"observed events: {totals}")


if __name__ == "__main__":
    main()
