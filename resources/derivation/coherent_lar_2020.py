"""Derive ``resources/coherent_lar_2020/``: the part of the COHERENT CENNS-10 liquid-argon data release (Analysis A)
that the ``coherent_lar_2020`` analysis reads.

The release (arXiv:2006.12659, Zenodo 10.5281/zenodo.3903810, version 1.0; analysis paper arXiv:2003.10630) holds
3-D PDFs in 12 energy x 8 F90 x 10 time bins (960 rows each: bin centres and expected counts for 6.12 GWh), the
observed counts, the acceptance efficiency and a YAML file of parameters. This script keeps, unchanged in value
(every number is copied as the text the release writes):

- ``pdfs.csv``: one row per (energy, F90, time) bin: the bin centres, the observed counts and the expected counts of
  every PDF of the likelihood (CEvNS and its three shape variants, prompt BRN and its five, delayed BRN, steady
  state), 14 release files in one table;
- ``efficiency.csv``: the acceptance efficiency (CENNS10AnlAEfficiency.txt);
- ``parameters.csv``: the parameters of LArParametersAnlA.yaml (value, uncertainty, units);
- ``checksums.txt``: SHA-256 of each file above (a modified or corrupted file stops the workflow).

The reference copy must match the SHA-256 sums below (its README lists them); output is byte-identical on re-runs.
Usage (from the repository root)::

    python resources/derivation/coherent_lar_2020.py ../shared/reference
"""

import hashlib

import common
import numpy as np
import yaml

RELEASE = (
    "COHERENT Collaboration data release from the first detection of CEvNS on argon, Analysis A "
    "(arXiv:2006.12659; Zenodo record 3903810, version 1.0, 2020-06-22, DOI 10.5281/zenodo.3903810; "
    "licence: the files state none, the record's licence applies; copy via GitHub philippeller/Newtrinos.jl "
    "commit 653141ba, MIT, files byte-identical to the record by md5)"
)
CITATION = (
    "D. Akimov et al. (COHERENT), First Measurement of Coherent Elastic Neutrino-Nucleus Scattering on Argon, "
    "Phys. Rev. Lett. 126, 012002 (2021), arXiv:2003.10630; data release arXiv:2006.12659"
)
COMMAND = "python resources/derivation/coherent_lar_2020.py ../shared/reference"
OUTPUT = common.RESOURCES / "coherent_lar_2020"
FILES = ("pdfs.csv", "efficiency.csv", "parameters.csv")

PDF_COLUMNS = {  # column of pdfs.csv: release file (fourth column: counts per bin for 6.12 GWh)
    "observed": "datanobkgsub.txt",
    "cevns": "cevnspdf.txt",
    "cevns_f90_plus": "cevnspdf+1sigF90.txt",
    "cevns_f90_minus": "cevnspdf-1sigF90.txt",
    "cevns_timing_mean": "cevnspdfCEvNSTimingMeanSyst.txt",
    "prompt_brn": "brnpdf.txt",
    "prompt_brn_energy_plus": "brnpdf+1sigEnergy.txt",
    "prompt_brn_energy_minus": "brnpdf-1sigEnergy.txt",
    "prompt_brn_timing_mean_plus": "brnpdf+1sigBRNTimingMean.txt",
    "prompt_brn_timing_mean_minus": "brnpdf-1sigBRNTimingMean.txt",
    "prompt_brn_timing_width": "brnpdfBRNTimingWidthSyst.txt",
    "delayed_brn": "delbrnpdf.txt",
    "steady_state": "bkgpdf.txt",
}
EFFICIENCY = "CENNS10AnlAEfficiency.txt"
PARAMETERS = "LArParametersAnlA.yaml"
SOURCE_SHA256 = {  # the reference copy's README (its md5 sums match the Zenodo record)
    "CENNS10AnlAEfficiency.txt": "21ce25451c1ed552752ff4a22496deab3ff5dba178bf360813eaff1d25be89e2",
    "LArParametersAnlA.yaml": "a206a77220436d0173c4783ae8fddeab97adf5e144f3d65005eff0870257693e",
    "bkgpdf.txt": "36c89291dde3032a19ca7a8e64510d036d7b40c34b0805ce475a13ccfa739dd1",
    "brnpdf+1sigBRNTimingMean.txt": "7f06099e1bba0d2e328555c61cb255bb290607a44202327d29eb3ae3e05c1cd5",
    "brnpdf+1sigEnergy.txt": "fb6fdaf99c9941653d33e1a909d8000b81c1ee9bb8e8ad3bf31839561faf6661",
    "brnpdf-1sigBRNTimingMean.txt": "b5c1c8d0cb8b2319d093d38418da5ac2ccda59108755fb23e7f4a559cfe154f8",
    "brnpdf-1sigEnergy.txt": "20bcad29e716f3fb0f1e9eeb8ffb049b4b3d8b3b3a150800b9c8711e2b177be6",
    "brnpdf.txt": "02664ce6a84eca8c6146b6502497bc5d8165df945da132193622334ff4ff826f",
    "brnpdfBRNTimingWidthSyst.txt": "304dba1553989d7c0cd3f745df9731a5306ec07ecc1044c20efbe2952707b270",
    "cevnspdf+1sigF90.txt": "308f78e19b7fb3e54399dc29c207bd2a89b91825df5309d48068a3495e1c92e2",
    "cevnspdf-1sigF90.txt": "b4e8071f87aa22a562e0c00654a0989915251acf2c7e569068b9b78c3ae5ac35",
    "cevnspdf.txt": "3b1d5b25749e8d8e1cfdf5c32e48f026ce4aafec0a80632b3a63273e6e0e1f37",
    "cevnspdfCEvNSTimingMeanSyst.txt": "3170dafd4cf44df35bde0795e1245606d8144c05f3e50f015648c57bcdba97f5",
    "datanobkgsub.txt": "dabf3d80f13959f4b94b77c9b56f7347a645105801e8cc177424e7ffcf7c7f66",
    "delbrnpdf.txt": "ebccca6c1650b0ace71fdbaade7a80ea289a99ff3c120266ae6ecf0083df5c63",
}
N_BINS = 960  # 12 energy x 8 F90 x 10 time bins


def checked_text(path):
    """The text of a release file whose SHA-256 is the one listed in :data:`SOURCE_SHA256`."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != SOURCE_SHA256[path.name]:
        raise ValueError(f"{path}: SHA-256 differs from the reference copy's README")
    return data.decode("utf-8")


def rows_of(path, n_columns):
    """The whitespace-separated fields of every non-empty line, each line with ``n_columns`` numbers."""
    rows = [line.split() for line in checked_text(path).splitlines() if line.strip()]
    for number, row in enumerate(rows, start=1):
        if len(row) != n_columns:
            raise ValueError(f"{path}, line {number}: {len(row)} fields, expected {n_columns}")
        [float(field) for field in row]
    return rows


def header(what, columns, extra=()):
    return common.release_header(what, columns, extra, RELEASE, CITATION, COMMAND)


def write_pdfs(reference):
    tables = {column: rows_of(reference / name, 4) for column, name in PDF_COLUMNS.items()}
    centres = [row[:3] for row in tables["cevns"]]
    for column, rows in tables.items():
        if len(rows) != N_BINS or [row[:3] for row in rows] != centres:
            raise ValueError(f"{PDF_COLUMNS[column]}: not the 960 bins of cevnspdf.txt in its order")
    rows = [[*centres[k], *(tables[column][k][3] for column in PDF_COLUMNS)] for k in range(N_BINS)]
    common.write_release_csv(
        OUTPUT / "pdfs.csv",
        header(
            "COHERENT CENNS-10 Analysis A: observed and expected counts per (energy, F90, time) bin for 6.12 GWh "
            "(13.8e22 POT).",
            "energy_keVee, f90, time_us (bin centres: 10 keVee bins 0-120 keVee, 0.05 bins 0.5-0.9, 0.5 us bins "
            "-0.1-4.9 us), observed, then the expected counts of each PDF",
            [f"{column}: {name}" for column, name in PDF_COLUMNS.items()]
            + ["Rows ordered energy-major, then F90, then time, as in the release; values as the release writes them."],
        ),
        ["energy_keVee", "f90", "time_us", *PDF_COLUMNS],
        rows,
    )
    return {column: float(np.sum([float(row[3]) for row in rows_])) for column, rows_ in tables.items()}


def write_efficiency(reference):
    rows = rows_of(reference / EFFICIENCY, 3)
    if np.any(np.diff([float(row[0]) for row in rows]) <= 0):
        raise ValueError(f"{EFFICIENCY}: energies not increasing")
    common.write_release_csv(
        OUTPUT / "efficiency.csv",
        header(
            "COHERENT CENNS-10 Analysis A acceptance efficiency.",
            "energy_keVee (bin centre), energy_keVnr (the release's conversion), efficiency",
            [f"From {EFFICIENCY}, values as the release writes them."],
        ),
        ["energy_keVee", "energy_keVnr", "efficiency"],
        rows,
    )


YAML_PARAMETERS = {  # parameters.csv name: (YAML key, sub-parameter or None)
    "protons_on_target_1e22": ("beamExposure", None),
    "distance_m": ("distanceToTarget", None),
    "fiducial_mass_kg": ("fiducialMass", None),
    "quenching_a": ("larQF", "a"),
    "quenching_b_per_keVnr": ("larQF", "b"),
    "neutrinos_per_proton": ("neutrinosPerProton", None),
    "resolution_keVee_sqrt": ("energyResolution", "a"),
    "pot_trace_mean_ns": ("snsPOTTraceTiming", "a"),
    "pot_trace_width_ns": ("snsPOTTraceTiming", "b"),
    "cevns_prediction": ("cevnsPredictionNormalization", None),
    "prompt_brn_prediction": ("promptBeamRelatedNeutronPredictionNormalization", None),
    "delayed_brn_prediction": ("delayedBeamRelatedNeutronPredictionNormalization", None),
    "steady_state_prediction": ("ssBackgroundPredictionNormalization", None),
    "cevns_best_fit": ("cevnsBestfitNormalization", None),
    "prompt_brn_best_fit": ("promptBeamRelatedNeutronBestfitNormalization", None),
    "delayed_brn_best_fit": ("delayedBeamRelatedNeutronBestfitNormalization", None),
    "steady_state_best_fit": ("ssBackgroundBestfitNormalization", None),
}


def write_parameters(reference):
    entries = yaml.safe_load(checked_text(reference / PARAMETERS))
    rows = []
    for name, (key, sub) in YAML_PARAMETERS.items():
        entry = entries[key]
        if sub is not None:
            entry = next(p for p in entry["parameters"] if p["name"] == sub)
        width = entry.get("uncertainty", entry.get("uncertainty_stat"))
        width = "" if width in (None, "negligible") else common.exact_number(width)
        rows.append([name, common.exact_number(entry["value"]), width, str(entry.get("units", "none"))])
    common.write_release_csv(
        OUTPUT / "parameters.csv",
        header(
            "COHERENT CENNS-10 Analysis A parameters (LArParametersAnlA.yaml).",
            "parameter, value, uncertainty (empty: negligible), units",
            [
                "quenching: QF = a + b T, T in keVnr; resolution: sigma/E = a / sqrt(E[keVee]); "
                "POT trace: Gaussian of mean a "
                "and width b; *_prediction: normalisations before the fit, *_best_fit: after it (cevns: stat. + syst.)."
            ],
        ),
        ["parameter", "value", "uncertainty", "units"],
        rows,
    )


def main():
    reference = common.reference_dir(__doc__.splitlines()[0]) / "coherent_lar_2020"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    totals = write_pdfs(reference)
    write_efficiency(reference)
    write_parameters(reference)
    common.write_checksums(OUTPUT, FILES)
    print("totals: " + ", ".join(f"{column} {total:.3f}" for column, total in totals.items()))


if __name__ == "__main__":
    main()
