"""Derive ``resources/coherent_csi_2021/``: the part of the COHERENT CsI[Na] 2021 data release that the
``coherent_csi_2021`` analysis reads.

The release (the ancillary files of arXiv:2110.07730, here as copied into GitHub philippeller/Newtrinos.jl,
commit 653141ba, MIT as stated by that repository; the data files state no licence) holds the selected
beam-on events of the coincident (C) and anti-coincident (AC) windows, the beam-related-neutron (BRN) and
neutrino-induced-neutron (NIN) PDFs in reconstructed energy and in recoil time, and the coefficients of
the energy efficiency and of the scintillation response with their systematic variants. This script writes:

- ``events.csv``: the C and AC events binned in (PE, trec) over the CEvNS region of interest
  (PE < 60, 0 <= trec < 6 us; :data:`PE_EDGES`, :data:`TIME_EDGES_US`);
- ``neutron_energy_pdfs.csv``, ``neutron_time_pdfs.csv``: the BRN and NIN PDFs, values unchanged, cut to the
  region of interest (the 1-PE bins below 60 PE, the 0.01-us bins from 0 to 6 us);
- ``response_curves.csv``: the efficiency and scintillation-response coefficients, values unchanged;
- ``parameters.csv``: detector, timing and background numbers, each with its source; the proton-on-target
  (POT) trace is fitted here to the release's NIN timing PDF (:func:`fit_pot_trace`);
- ``checksums.txt``: SHA-256 of each file above (a modified or corrupted file stops the workflow).

Output is byte-identical on re-runs. Usage (from the repository root)::

    python resources/derivation/coherent_csi_2021.py ../shared/reference
"""

import hashlib

import common
import numpy as np
from scipy.optimize import least_squares

from astrocevns.datasets.coherent_csi2021 import timing

RELEASE = (
    "COHERENT CsI[Na] 2021 data release (ancillary files of arXiv:2110.07730) as copied into GitHub "
    "philippeller/Newtrinos.jl, commit 653141ba (2025-07-25), src/experiments/coherent/coherent_2020/csi/; "
    "licence as stated: Newtrinos.jl MIT, the data files state none (cite arXiv:2110.07730)"
)
CITATION = (
    "D. Akimov et al. (COHERENT), Measurement of the Coherent Elastic Neutrino-Nucleus Scattering Cross "
    "Section on CsI by COHERENT, Phys. Rev. Lett. 129, 081801 (2022), arXiv:2110.07730"
)
COMMAND = "python resources/derivation/coherent_csi_2021.py ../shared/reference"
OUTPUT = common.RESOURCES / "coherent_csi_2021"
SOURCES = (
    "dataBeamOnC.txt",
    "dataBeamOnAC.txt",
    "brnPE.txt",
    "brnTrec.txt",
    "ninPE.txt",
    "ninTrec.txt",
    "effCoefficients.txt",
    "scintRespCoefficients.txt",
)
FILES = ("events.csv", "neutron_energy_pdfs.csv", "neutron_time_pdfs.csv", "response_curves.csv", "parameters.csv")
PE_EDGES = np.array([0.0, 8.0, 12.0, 16.0, 20.0, 24.0, 32.0, 40.0, 50.0, 60.0])
"""Reconstructed-energy bins [PE] of the likelihood: 4 PE wide where the efficiency rises and the CEvNS
spectrum peaks (8-24 PE), wider above; integer edges, so the 1-PE neutron PDFs rebin exactly."""
TIME_EDGES_US = np.array([0.0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0])
"""Recoil-time bins [us]: 0.1 us across the prompt peak (the POT trace, sigma = 0.15 us), widening with the
2.2 us muon decay; edges on the 0.01-us grid of the neutron time PDFs."""
ROI_PE, ROI_US = 60.0, 6.0
EFFICIENCY_VARIANTS = ("nominal", "plus", "minus")
QUENCHING_VARIANTS = ("nominal", "model0_plus", "model0_minus", "model1_plus", "model1_minus")


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_events(path):
    """(PE, trec [us]) of an event list; its two '#' header lines are skipped."""
    events = np.loadtxt(path, comments="#")
    if events.ndim != 2 or events.shape[1] != 2 or not np.all(np.isfinite(events)):
        raise ValueError(f"{path}: expected two finite columns (PE, trec)")
    return events[:, 0], events[:, 1]


def read_coefficients(path, expected):
    """The coefficient rows (a, b, c, d) of a coefficient file, in file order."""
    rows = [line.split() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    values = np.array(rows, dtype=float)
    if values.shape != (expected, 4):
        raise ValueError(f"{path}: {values.shape[0]} rows of {values.shape[1]} coefficients, expected {expected} x 4")
    return values


def read_pdf(path, centres):
    """The density column of a PDF file, checked against the expected bin centres."""
    data = np.loadtxt(path)
    if data.shape != (centres.size, 2) or not np.allclose(data[:, 0], centres, atol=1e-9):
        raise ValueError(f"{path}: bin centres differ from the expected grid")
    if np.any(data[:, 1] < 0) or not np.all(np.isfinite(data[:, 1])):
        raise ValueError(f"{path}: negative or non-finite density")
    return data[:, 1]


def fit_pot_trace(nin_time):
    """The POT trace (Gaussian mean and width [us] in trec) whose delayed-neutrino timing
    (astrocevns.datasets.coherent_csi2021.timing, eq. T2) fits the release's NIN time PDF best.

    The NIN come from nu_e charged-current reactions in the lead shielding: they follow the delayed
    neutrinos. Least squares on the PDF normalised within its range (-0.25 to 6.25 us). Returns the
    mean, the width, the largest residual relative to the PDF's maximum, and the model's slope of
    ln PDF between 2 and 6 us (1/tau_mu for a pure muon-decay tail).
    """
    lower = np.round(np.arange(650) * 0.01 - 0.25, 2)
    upper = lower + 0.01
    target = nin_time / nin_time.sum()

    def shape(p):
        probability = timing.delayed_cdf(upper, *p) - timing.delayed_cdf(lower, *p)
        return probability / probability.sum()

    fit = least_squares(lambda p: (shape(p) - target) / target.max(), [0.5, 0.15], bounds=([0.0, 0.01], [2.0, 1.0]))
    residual = float(np.max(np.abs(shape(fit.x) - target)) / target.max())
    centres = 0.5 * (lower + upper)
    tail = (centres > 2.0) & (centres < 6.0)
    slope = float(np.polyfit(centres[tail], np.log(shape(fit.x)[tail]), 1)[0])
    return float(fit.x[0]), float(fit.x[1]), residual, slope


def header(what, columns, extra=()):
    return common.release_header(what, columns, extra, RELEASE, CITATION, COMMAND)


def write_csv(name, header_lines, names, rows):
    common.write_release_csv(OUTPUT / name, header_lines, names, rows)


number = common.exact_number


def write_events(reference):
    counts, summary = {}, []
    for window, file in (("coincident", "dataBeamOnC.txt"), ("anticoincident", "dataBeamOnAC.txt")):
        pe, t = read_events(reference / file)
        inside = (pe < ROI_PE) & (t >= 0.0) & (t < ROI_US)
        counts[window] = np.histogram2d(pe[inside], t[inside], bins=(PE_EDGES, TIME_EDGES_US))[0].astype(int)
        summary.append(f"{window} {counts[window].sum()} of {pe.size}")
    rows = [
        [
            i,
            j,
            number(PE_EDGES[i]),
            number(PE_EDGES[i + 1]),
            number(TIME_EDGES_US[j]),
            number(TIME_EDGES_US[j + 1]),
            int(counts["coincident"][i, j]),
            int(counts["anticoincident"][i, j]),
        ]
        for i in range(PE_EDGES.size - 1)
        for j in range(TIME_EDGES_US.size - 1)
    ]
    write_csv(
        "events.csv",
        header(
            "Selected beam-on events of COHERENT CsI[Na] 2021 in the CEvNS region of interest per (PE, trec) bin.",
            "pe_bin, t_bin, pe_low, pe_high, t_low_us, t_high_us, coincident, anticoincident",
            [
                "Binned from dataBeamOnC.txt (coincident window) and dataBeamOnAC.txt (anti-coincident window: the "
                "steady-state background sample) with numpy.histogram2d; region of interest PE < 60, 0 <= trec < 6 us."
            ],
        ),
        ["pe_bin", "t_bin", "pe_low", "pe_high", "t_low_us", "t_high_us", "coincident", "anticoincident"],
        rows,
    )
    return ", ".join(summary)


def write_neutron_pdfs(reference):
    pe_centres, t_centres = np.arange(250) + 0.5, np.round(np.arange(650) * 0.01 - 0.245, 3)
    pdfs = {
        (kind, axis): read_pdf(reference / f"{kind}{file}", centres)
        for kind in ("brn", "nin")
        for axis, file, centres in (("pe", "PE.txt", pe_centres), ("t", "Trec.txt", t_centres))
    }
    keep_pe = pe_centres < ROI_PE
    write_csv(
        "neutron_energy_pdfs.csv",
        header(
            "BRN and NIN densities in reconstructed energy (1-PE bins), values unchanged, bins below 60 PE.",
            "pe_low, pe_high, brn, nin (not unit-normalised, as released)",
            ["From brnPE.txt and ninPE.txt."],
        ),
        ["pe_low", "pe_high", "brn", "nin"],
        [
            [number(c - 0.5), number(c + 0.5), number(b), number(n)]
            for c, b, n in zip(pe_centres[keep_pe], pdfs["brn", "pe"][keep_pe], pdfs["nin", "pe"][keep_pe], strict=True)
        ],
    )
    keep_t = (t_centres > 0.0) & (t_centres < ROI_US)
    write_csv(
        "neutron_time_pdfs.csv",
        header(
            "BRN and NIN densities in recoil time (0.01-us bins), values unchanged, bins from 0 to 6 us.",
            "t_low_us, t_high_us, brn, nin (not unit-normalised, as released)",
            ["From brnTrec.txt and ninTrec.txt."],
        ),
        ["t_low_us", "t_high_us", "brn", "nin"],
        [
            [number(round(c - 0.005, 2)), number(round(c + 0.005, 2)), number(b), number(n)]
            for c, b, n in zip(t_centres[keep_t], pdfs["brn", "t"][keep_t], pdfs["nin", "t"][keep_t], strict=True)
        ],
    )
    return pdfs["nin", "t"]


def write_response_curves(reference):
    efficiency = read_coefficients(reference / "effCoefficients.txt", 3)
    quenching = read_coefficients(reference / "scintRespCoefficients.txt", 5)
    rows = [["efficiency", v, *map(number, c)] for v, c in zip(EFFICIENCY_VARIANTS, efficiency, strict=True)]
    rows += [["quenching", v, *map(number, c)] for v, c in zip(QUENCHING_VARIANTS, quenching, strict=True)]
    write_csv(
        "response_curves.csv",
        header(
            "Energy efficiency and scintillation response of COHERENT CsI[Na] 2021 with their systematic variants.",
            "curve, variant, a, b, c, d",
            [
                "efficiency: eff(x) = a / (1 + exp(-b (x - c))) + d, x = reconstructed energy [PE] "
                "(effCoefficients.txt; "
                "both variants are labelled '+1 sigma' there: 'plus' is the one with the lower midpoint c, i.e. the "
                "higher efficiency, 'minus' the other).",
                "quenching: Eee(x) = a x + b x^2 + c x^3 + d x^4, x = recoil energy [MeVnr], Eee [MeVee] "
                "(scintRespCoefficients.txt: nominal, systematic model 0 +-1 sigma, systematic model 1 +-1 sigma).",
            ],
        ),
        ["curve", "variant", "a", "b", "c", "d"],
        rows,
    )


def write_parameters(nin_time):
    mean_us, width_us, residual, slope = fit_pot_trace(nin_time)
    print(
        f"POT trace fitted to the NIN timing: mean {mean_us:.4f} us, width {width_us:.4f} us; largest residual "
        f"{residual:.2%} of the peak; tail slope {slope:.4f} /us (1/tau_mu = {1 / timing.MUON_LIFETIME_US:.4f})"
    )
    trace = (
        f"fitted to ninTrec.txt with the delayed-neutrino timing (resources/derivation/coherent_csi_2021.py: "
        f"largest residual {residual:.1%} of the peak)"
    )
    third_party = "as used by public third-party recasts of this release; not in its files"
    rows = [
        ["detector_mass_kg", 14.6, None, None, None, "CsI[Na] mass, arXiv:2110.07730"],
        [
            "resolution_a_keVee",
            0.0749,
            None,
            None,
            None,
            "gamma-distributed PE: shape 1 + b, rate a (1 + b) with a = resolution_a_keVee / Eee (mean Eee / 0.0749 "
            "= 13.35 PE per keVee); as in the release's description used by the Newtrinos.jl wrapper",
        ],
        ["resolution_b_per_keVee", 9.56, None, None, None, "b = resolution_b_per_keVee x Eee; same source"],
        ["pot_trace_mean_us", round(mean_us, 4), None, None, None, trace],
        ["pot_trace_width_us", round(width_us, 4), None, None, None, trace],
        ["timing_efficiency_onset_us", 0.52, None, None, None, f"eff_T = 1 before, then exponential; {third_party}"],
        [
            "timing_efficiency_slope_per_us",
            0.0494,
            None,
            None,
            None,
            f"eff_T = exp(-slope (t - onset)); {third_party}; the AC events' time profile agrees (tests)",
        ],
        [
            "brn_events",
            18.4,
            0.25 * 18.4,
            0.0,
            5 * 18.4,
            f"BRN events in the region of interest, 25 % prior; {third_party}",
        ],
        [
            "nin_events",
            5.6,
            0.36 * 5.6,
            0.0,
            5 * 5.6,
            f"NIN events in the region of interest, 36 % prior; {third_party}",
        ],
    ]
    write_csv(
        "parameters.csv",
        header(
            "Detector, timing and background numbers of the COHERENT CsI[Na] 2021 analysis.",
            "parameter, nominal, uncertainty (Gaussian constraint width; empty: none), fit_min, "
            "fit_max (empty: fixed), "
            "source",
            ["The data files carry none of these numbers: each row names its source."],
        ),
        ["parameter", "nominal", "uncertainty", "fit_min", "fit_max", "source"],
        [[name, number(v), number(u), number(lo), number(hi), source] for name, v, u, lo, hi, source in rows],
    )


def write_readme(reference, summary):
    checksums = "\n".join(f"| `{name}` | `{sha256(reference / name)}` |" for name in SOURCES)
    files = "\n".join(
        [
            "| file | content (release source) |",
            "|---|---|",
            *(f"| `{name}` | {content} |" for name, content in FILE_TABLE),
        ]
    )
    text = README.format(summary=summary, checksums=checksums, command=COMMAND, files=files)
    (OUTPUT / "README.md").write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT / 'README.md'}")


FILE_TABLE = (
    (
        "events.csv",
        "selected beam-on events per (PE, trec) bin in the CEvNS region of interest PE < 60, "
        "0 <= trec < 6 us: 9 PE x 13 time bins, coincident (C) and anti-coincident (AC) windows "
        "(`dataBeamOnC.txt`, `dataBeamOnAC.txt`)",
    ),
    ("neutron_energy_pdfs.csv", "BRN and NIN densities in 1-PE bins below 60 PE, unchanged (`brnPE.txt`, `ninPE.txt`)"),
    (
        "neutron_time_pdfs.csv",
        "BRN and NIN densities in 0.01-us bins from 0 to 6 us, unchanged (`brnTrec.txt`, `ninTrec.txt`)",
    ),
    (
        "response_curves.csv",
        "efficiency (nominal, +-1 sigma) and scintillation-response (nominal, models 0 and 1 at "
        "+-1 sigma) coefficients, unchanged (`effCoefficients.txt`, `scintRespCoefficients.txt`)",
    ),
    (
        "parameters.csv",
        "detector mass, energy resolution, POT trace (fitted here to the NIN timing), timing "
        "efficiency, BRN and NIN predictions: each row names its source",
    ),
    ("checksums.txt", "SHA-256 of each file above: the workflow refuses a file that differs"),
)

README = """# COHERENT CsI[Na] 2021 data release (derived subset)

What the `coherent_csi_2021` analysis reads of the public data release of D. Akimov et al. (COHERENT),
"Measurement of the Coherent Elastic Neutrino-Nucleus Scattering Cross Section on CsI by COHERENT",
Phys. Rev. Lett. 129, 081801 (2022), [arXiv:2110.07730](https://arxiv.org/abs/2110.07730) (the paper's
ancillary files; DOI of the paper 10.1103/PhysRevLett.129.081801, the data have none of their own).
Source copy: GitHub philippeller/Newtrinos.jl, commit 653141ba (2025-07-25),
`src/experiments/coherent/coherent_2020/csi/` (licence as stated: MIT for that repository; the data files
state no licence and are the collaboration's public release: cite arXiv:2110.07730).

`resources/derivation/coherent_csi_2021.py` regenerates every file here, byte for byte:

```
{command}   # reads <reference>/coherent_csi_2021
```

{files}

Events: {summary}.

Not in the release copy, so not here: `snsFlux2D.root` (the SNS flux in energy and time; the analysis uses
the analytic pi-DAR spectra and the timing model of `astrocevns.datasets.coherent_csi2021.timing`), and the release's
companion text (so the BRN/NIN predictions, their uncertainties and the timing efficiency are third-party
numbers, marked as such in `parameters.csv`). Left out: events with PE >= 60 (they serve other searches).

SHA-256 of the source files:

| source file | sha256 |
|---|---|
{checksums}
"""


def main():
    reference = common.reference_dir(__doc__.splitlines()[0]) / "coherent_csi_2021"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    summary = write_events(reference)
    nin_time = write_neutron_pdfs(reference)
    write_response_curves(reference)
    write_parameters(nin_time)
    common.write_checksums(OUTPUT, FILES)
    write_readme(reference, summary)
    print(f"events in the region of interest: {summary}")


if __name__ == "__main__":
    main()
