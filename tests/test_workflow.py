"""End-to-end on config/test.yaml from a fresh copy: planned jobs, the tables every run writes, no-op rerun."""

import re

import pandas as pd
import pytest
import yaml
from helpers import TEST_CONFIG, copy_workflow, run_snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """A copy of the workflow with a completed run of the default target on the test config."""
    directory = copy_workflow(tmp_path_factory.mktemp("workflow"))
    dry = run_snakemake(directory, "-n", "--cores", "2", *TEST_CONFIG)
    assert dry.returncode == 0, dry.stderr[-3000:]
    result = run_snakemake(directory, "--cores", "2", *TEST_CONFIG)
    assert result.returncode == 0, result.stderr[-3000:]
    return directory, dry.stdout + dry.stderr


def planned_jobs(log):
    """{rule: count} from the 'Job stats' table of a dry run."""
    table = log.split("Job stats:")[1].split("total")[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)}


def planned(log):
    """(rule, first output) of every job of a dry run."""
    return re.findall(r"^rule (\w+):\n(?:\s+\w+: .*\n)*?\s+output: ([^,\n]*)", log, re.M)


def test_dry_run_plans_every_stage(finished_run):
    _, log = finished_run
    base = {}
    for rule, output in planned(log):
        if not output.startswith("results/variants/"):
            base[rule] = base.get(rule, 0) + 1
    # 4 astrophysical sources x 9 (detector, efficiency) pairs (XENON1T with its S2-only efficiency too), and 2
    # beams with one detector each; 25 projected analyses (each with its xenon1t_nr variant where it has a xenon
    # detector) + 4 existing bounds (COHERENT CsI and Ar, XENON1T by the S2 and by the S1+S2 method); one job
    # serves both universal models, a spectra job writes its kernel too, and a chi2 job its analysis's variants,
    # contours, edges and bounds for every model, the B-L model too in the 8 analyses that add it (their own rule)
    spectra = {rule: count for rule, count in base.items() if rule.startswith("spectra")}
    assert base["flux"] == 6 and base["event_counts"] == 1
    # one spectra job per (source, detector) for every efficiency of the detector: 38 (source, detector, efficiency)
    assert spectra == {
        "spectra": 4 * 2 + 1,  # RES-NOVA-1 and -3, and the argon detector of its beam
        "spectra_ideal_xenon1t_nr": 4 * 2,  # DARWIN, XENONnT
        "spectra_ideal_xenon1t_nr_xenon1t_s2": 4,  # XENON1T
        "spectra_coherent_csi": 1,
    }
    assert base["chi2"] == 29 - 8 and base["chi2_adding_b_minus_l"] == 8 and "chi2_model" not in base
    assert base["bounds_table"] == 1
    assert base["rates"] == 4 and base["figure"] == 12
    assert base["core"] == 2 and base["core_bounds_table"] == 1
    assert base["scan_table"] == base["scan_figure"] == 4 and base["deviations"] == 1 and base["claims"] == 1


def variant_jobs(log, variant):
    return [(rule, output) for rule, output in planned(log) if output.startswith(f"results/variants/{variant}/")]


def test_scan_value_computes_only_what_its_key_changes(finished_run):
    _, log = finished_run
    # a lower xenon threshold: new DARWIN and XENONnT kernels only (the scan's analysis reads DARWIN)
    spectra = [output for rule, output in variant_jobs(log, "xenon_threshold-0.5") if rule.startswith("spectra")]
    assert spectra and all(("/darwin/" in output or "/xenonnt/" in output) for output in spectra)
    # another normalisation uncertainty: no new spectra, the scan's chi-squares only
    rules = {rule.partition("_adding_")[0] for rule, _ in variant_jobs(log, "sn_normalisation-0.1")}
    assert rules == {"chi2", "bounds_table"}
    # a value equal to the base configuration's: every job is the base's, only the table is written
    for variant in ("xenon_threshold-1", "sn_distance-10", "exposure-1", "sn_normalisation-0.25"):
        assert {rule for rule, _ in variant_jobs(log, variant)} == {"bounds_table"}


def test_scan_tables_and_figures(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/scans/xenon_threshold.csv")
    assert list(table.columns) == [
        "value",
        "keys",
        "analysis",
        "model",
        "mediator",
        "m_MeV",
        "g_min",
        "g_min_base",
        "ratio_to_base",
    ]
    assert set(table.value) == {0.5, 1.0} and set(table.analysis) == {"solar/darwin", "solar/darwin-xenon1t_nr"}
    at_base = table[table.value == 1.0]
    assert (at_base.ratio_to_base == 1.0).all()  # the base value's variant is the base configuration
    # a lower threshold sees more of the solar recoils: the bound gets stronger
    assert (table[table.value == 0.5].ratio_to_base < 1.0).all()
    assert (directory / "results/figures/scans/xenon_threshold.png").read_bytes().startswith(b"\x89PNG")


def test_deviation_ledger(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/deviations.csv")
    paper = yaml.safe_load((directory / "config/paper_literal.yaml").read_text())
    keys = {key for keys in table["keys"] for key in keys.split()}
    assert {
        "core.cross_section",
        "core.diffusion_time",
        "core.scatterings",
        "core.nucleon_charges",
        "sources.sn_failed.t_max_s",
        "statistics.pull_prior",
    } <= keys
    assert set(table.variant) >= {"paper-all", "paper-sources.sn_failed.t_max_s"}
    assert paper["sources"]["sn_failed"]["t_max_s"] == 0.2
    t_max = table[(table.variant == "paper-sources.sn_failed.t_max_s") & (table.table == "bounds")]
    # a shorter failed-SN signal changes only the analyses that read it
    assert (t_max[t_max.analysis.str.startswith("solar")].ratio == 1.0).all()
    assert (t_max[t_max.analysis == "sn_failed/combined"].ratio != 1.0).all()
    core = table[(table.variant == "paper-core.diffusion_time") & (table.table == "core_bounds")]
    assert len(core) and (core.ratio != 1.0).any()
    # the paper's counting of one COHERENT number against today's full likelihoods of the later data, per mass
    methods = table[table.table == "method"]
    for alternative, paper in [
        ("coherent_csi_2021/coherent_csi_2021", "coherent_csi/coherent_csi"),
        ("coherent_lar_2020/coherent_lar_2020", "coherent_ar/coherent_ar"),
    ]:
        rows = methods[methods.variant == f"method-{alternative}"]
        assert set(rows.analysis) == {paper} and "b_minus_l" in set(rows.model)
        assert (rows.ratio > 0).all() and (rows.ratio != 1.0).all()


def test_claims_table(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/claims.csv")
    assert list(table.columns) == [
        "key",
        "section",
        "words",
        "quoted",
        "measure",
        "value",
        "holds_within",
        "verdict",
        "shortfall",
    ]
    assert set(table.verdict) <= {"holds", "partly", "does not hold", "not measurable"}
    assert len(table) >= 40 and {"coherent_b_minus_l_sn", "coherent_scalar_sn", "sigma_atm_50_vector"} <= set(table.key)
    # the small test scan has no 0.3 keV value
    assert table.set_index("key").loc["threshold_03keV_vector", "verdict"] == "not measurable"
    # a failing claim says by how much
    assert table[table.verdict == "does not hold"].shortfall.str.startswith(("x", "+", "-")).all()


def test_unchanged_variant_writes_the_base_tables(finished_run):
    directory, _ = finished_run
    (directory / "unchanged.yaml").write_text("variants:\n  unchanged: {}\n")
    outputs = planned_outputs(directory, "unchanged.yaml")
    assert outputs and all(
        p.startswith("results/variants/unchanged/tables/") or p.startswith("results/tables/") or p == ""
        for p in outputs
    ), outputs
    targets = [f"results/variants/unchanged/tables/{name}.csv" for name in ("bounds", "event_counts", "core_bounds")]
    result = run_snakemake(directory, *targets, "--cores", "2", *TEST_CONFIG, "unchanged.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("bounds", "event_counts", "core_bounds"):
        assert (directory / f"results/variants/unchanged/tables/{name}.csv").read_bytes() == (
            directory / f"results/tables/{name}.csv"
        ).read_bytes()


def test_new_scan_value_plans_only_its_jobs(finished_run):
    directory, _ = finished_run
    (directory / "more.yaml").write_text("scans:\n  xenon_threshold: {values: [0.5, 1.0, 2.0]}\n")
    outputs = planned_outputs(directory, "more.yaml")
    new = {p for p in outputs if p.startswith("results/variants/")}
    assert new and all(p.startswith("results/variants/xenon_threshold-2/") for p in new)
    assert all("/darwin/" in p or "/xenonnt/" in p for p in new if "/kernels/" in p)
    assert outputs - new <= {
        "results/tables/scans/xenon_threshold.csv",
        "results/figures/scans/xenon_threshold.pdf",
        "results/figures/scans/xenon_threshold.png",
        "results/tables/claims.csv",
        "results/tables/scans/xenon_threshold.html",
        "results/tables/claims.html",
    }


FIGURE_LAYERS = {  # the layers each summary figure's caption names (fig. 8: the vector summary)
    8: {
        "XENON1T S2 (1 t yr)",
        "XENONnT 2024 (data)",
        "solar + atmospheric, RES-NOVA-3 + DARWIN",
        "SN, marginalised, RES-NOVA-3 + DARWIN",
        "SN core, τ = 10 s",
        "SN core, τ = 100 s",
    },
    9: {
        "COHERENT CsI 2017",
        "COHERENT Ar 2020",
        "XENON1T S2 (1 t yr)",
        "solar + atmospheric, RES-NOVA-3 + DARWIN",
        "solar, universal g × √3 (the paper's mapping)",
        "SN core, τ = 10 s (g × √3)",
        "Beam dump",
        "ν − l",
    },
    10: {
        "COHERENT CsI 2017",
        "XENON1T S2 (1 t yr)",
        "XENONnT 2024 (data)",
        "SN, marginalised, RES-NOVA-3 + DARWIN",
        "SN core, τ = 10 s",
        "SN core, N = 1 (νₑ)",
        "SN core, N = 1 (νₓ)",
    },
}
CSV_COLUMNS = ["layer", "panel", "line", "edge", "x", "y", "value"]


@pytest.mark.parametrize("number", sorted(FIGURE_LAYERS))
def test_figure_data_holds_every_layer_of_the_caption(finished_run, number):
    directory, _ = finished_run
    data = pd.read_csv(directory / f"results/figures/fig{number}.csv", keep_default_na=False)
    assert list(data.columns) == CSV_COLUMNS
    assert FIGURE_LAYERS[number] <= set(data.layer)
    regions = data[data.edge != ""]
    assert set(regions.edge) == {"lower", "upper"} and (regions.y > 0).all()


@pytest.mark.parametrize("number", range(1, 13))
def test_figure_data_layers_are_the_legend_texts_and_panels_in_config_order(finished_run, number):
    """fig{N}.csv: every layer is a legend text of config/figures.yaml (or of an external bound), every
    non-optional layer of a bound figure is there, and the panels follow the config's order."""
    directory, _ = finished_run
    descriptions = yaml.safe_load((directory / "config/figures.yaml").read_text())
    config = yaml.safe_load((directory / "config/config.yaml").read_text())
    config.update(yaml.safe_load((directory / "config/test.yaml").read_text()))
    description = descriptions[f"fig{number}"]
    data = pd.read_csv(directory / f"results/figures/fig{number}.csv", keep_default_na=False)
    assert list(data.columns) == CSV_COLUMNS
    layers = list(dict.fromkeys(data.layer))
    panels = list(dict.fromkeys(data.panel))
    mediators = list(dict.fromkeys(config["models"][m]["mediator"] for m in config["models_computed"]))
    if description["kind"] == "bounds":
        labels = [entry["label"] for entry in description["layers"]]
        external = {
            line.split(":", 1)[1].strip()
            for path in (directory / "resources/external_limits").glob("*.csv")
            for line in path.read_text().splitlines()
            if line.startswith("# name:")
        }
        assert set(layers) <= set(labels) | external
        required = {e["label"] for e in description["layers"] if not e.get("optional") and "model" not in e}
        assert required <= set(layers)
        expected = config["models_computed"] if description["panels"] == "all" else description["panels"]
        assert panels == [m for m in expected if m in panels] and panels
    elif description["kind"] == "core":
        assert "log₁₀(τ / s)" in layers and {"τ = 10 s", "τ = 100 s"} <= set(layers)
        assert panels == mediators
        colour_map = data[data.layer == "log₁₀(τ / s)"]
        m_points, g_points = config["grid"]["m_MeV"]["n"], config["grid"]["g"]["n"]
        assert len(colour_map) == len(mediators) * m_points * g_points and (colour_map.value != "").all()
    elif description["kind"] == "rates":
        assert {"Pb, SM", "Xe, SM"} <= set(layers) and panels == mediators
    else:  # fig. 12: vector panels before scalar ones, masses increasing within a row
        assert {"SM", "SM ± 25 %"} <= set(layers)
        assert [p.split(",")[0] for p in panels] == sorted((p.split(",")[0] for p in panels), key=mediators.index)


def test_event_counts_table(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/event_counts.csv")
    assert list(table.columns) == ["source", "detector", "efficiency", "threshold_keV", "events"]
    assert set(table.source) == {"sn_cc", "sn_failed", "solar", "atmospheric"}
    assert set(table.detector) == {"resnova3", "resnova1", "darwin", "xenonnt", "xenon1t"}
    assert set(table[table.detector.str.startswith("resnova")].efficiency) == {"ideal"}
    assert len(table) == 4 * (2 + 3 * 2 + 1)  # XENON1T also with the S2-only efficiency of the paper's method
    assert (table.events > 0).all()
    counts = table.set_index(["source", "detector", "efficiency"]).events
    # detector size scaling: DARWIN (40 t) sees ten times XENONnT (4 t)
    assert counts["solar", "darwin", "ideal"] == pytest.approx(10 * counts["solar", "xenonnt", "ideal"], rel=1e-5)


def test_intervals_table_agrees_with_the_bounds(finished_run):
    directory, _ = finished_run
    intervals = pd.read_csv(directory / "results/tables/intervals.csv")
    bounds = pd.read_csv(directory / "results/tables/bounds.csv").set_index(["analysis", "model", "m_MeV"])
    assert list(intervals.columns)[:9] == [
        "analysis",
        "model",
        "mediator",
        "coupling",
        "m_MeV",
        "interval",
        "g_low",
        "g_high",
        "to_range_end",
    ]
    grouped = intervals.groupby(["analysis", "model", "m_MeV"])
    counts = grouped.size()
    assert (bounds.n_intervals[bounds.n_intervals > 0] == counts.reindex(bounds.index[bounds.n_intervals > 0])).all()
    assert grouped.g_low.min().values == pytest.approx(bounds.g_min.loc[counts.index].values, rel=1e-6)
    assert (intervals.g_low < intervals.g_high).all()


def test_bounds_table(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/bounds.csv")
    assert list(table.columns) == [
        "analysis",
        "model",
        "mediator",
        "coupling",
        "m_MeV",
        "g_min",
        "below_range",
        "n_intervals",
    ]
    assert not table.below_range.any()  # every bound of the test configuration lies inside [bounds.g_min, g_max]
    required = {
        "sn_cc/combined",
        "sn_cc/resnova3",
        "sn_cc/darwin",
        "sn_failed/combined",
        "sn_marginalised/combined",
        "solar/combined",
        "solar/darwin",
        "atmospheric/combined",
    }
    assert required <= set(table.analysis)
    assert sorted(table.m_MeV.unique()) == [0.1, 1.0, 10.0, 100.0, 1000.0]
    # two universal models x 46 analyses (the XENON1T S1+S2 method among them), and B-L for 12 of them (their
    # xenon1t_nr variants included), and the four data analyses (XENONnT 2024 and S2-only 2026, COHERENT CsI 2021
    # and LAr 2020) and their combination for the three models
    assert len(table) == 2 * 46 * 5 + 12 * 5 + 5 * 3 * 5
    bounds = table.set_index(["analysis", "model", "m_MeV"]).g_min
    for model in ("universal_vector", "universal_scalar"):
        # low-mass plateau and weakening at high mass (paper figs. 5-8)
        assert bounds["sn_cc/combined", model, 0.1] == pytest.approx(bounds["sn_cc/combined", model, 1.0], rel=0.05)
        assert bounds["sn_cc/combined", model, 1000.0] > 10 * bounds["sn_cc/combined", model, 1.0]
        # combining detectors never weakens; marginalising over SN models never strengthens
        assert bounds["sn_cc/combined", model, 1.0] <= bounds["sn_cc/resnova3", model, 1.0] * (1 + 1e-6)
        assert bounds["sn_marginalised/combined", model, 1.0] >= bounds["sn_cc/combined", model, 1.0] * (1 - 1e-6)
    # B-L in g_BL, with its constructive interference: weaker than the paper's rescaling sqrt(3) g at every mass
    b_minus_l = table[table.model == "b_minus_l"]
    assert set(b_minus_l.coupling) == {"g_BL"} and set(b_minus_l.mediator) == {"vector"}
    for analysis in ("solar/darwin", "solar/combined", "sn_cc/resnova3"):
        for m in (0.1, 1.0, 10.0, 100.0, 1000.0):
            assert bounds[analysis, "b_minus_l", m] > 3**0.5 * bounds[analysis, "universal_vector", m]


def test_contours_written(finished_run):
    directory, _ = finished_run
    lines = pd.read_parquet(directory / "results/contours/universal_vector/sn_cc/combined.parquet")
    assert {"analysis", "line", "closed", "m_MeV", "g"} <= set(lines.columns) and len(lines) > 10
    assert set(lines.analysis) == {"sn_cc/combined", "sn_cc/combined-xenon1t_nr"}


def test_chi2_table_holds_the_efficiency_variant(finished_run):
    directory, _ = finished_run
    table = pd.read_parquet(directory / "results/chi2/universal_scalar/solar/combined.parquet")
    ideal, reduced = (table[table.analysis == name] for name in ("solar/combined", "solar/combined-xenon1t_nr"))
    assert len(ideal) == len(reduced) == 24 * 20  # the test grid, once per analysis
    # a lower efficiency sees fewer events: it never excludes a point the ideal detector does not
    assert not ((reduced.chi2.to_numpy() > 4.605) & (ideal.chi2.to_numpy() <= 4.605)).any()
    assert (ideal.chi2.to_numpy() > 4.605).sum() > (reduced.chi2.to_numpy() > 4.605).sum()


def test_second_run_plans_nothing(finished_run):
    directory, _ = finished_run
    again = run_snakemake(directory, "-n", "--cores", "2", *TEST_CONFIG)
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr


def test_core_bounds_table(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/core_bounds.csv")
    assert list(table.columns) == ["mediator", "criterion", "m_MeV", "g", "below_range"]
    assert set(table.criterion) == {"tau_10s", "tau_100s", "n_scatter_1_nue", "n_scatter_1_nux"}
    assert set(table[table.criterion.str.startswith("n_scatter")].mediator) == {"scalar"}
    assert len(table) == 5 * (2 + 2 + 2)


@pytest.mark.parametrize("number", range(1, 13))
def test_figures_are_valid_pdf_and_png(finished_run, number):
    directory, _ = finished_run
    pdf = (directory / f"results/figures/fig{number}.pdf").read_bytes()
    png = (directory / f"results/figures/fig{number}.png").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:] and len(pdf) > 10_000
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 30_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert 600 < width < 4000 and 400 < height < 3000  # 200 dpi, a few inches


def test_report_builds(finished_run):
    directory, _ = finished_run
    result = run_snakemake(directory, "--report", "report.html", *TEST_CONFIG)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (directory / "report.html").read_text(encoding="utf-8")
    assert len(html) > 100_000
    # the figures as PNG, labelled so that they list in numeric order; a figure job's params by name only
    assert all(f'"labels": {{"figure": "Fig. {n:02d}"}}' in html for n in range(1, 13))
    assert '"params": "figure=fig5: its description in config/figures.yaml"' in html
    assert "tables/bounds.html" in html
    # the front page (workflow/report/workflow.rst) states what this run computed, from its configuration
    assert "What this run computed" in html and "sn_marginalised/combined" in html


def planned_outputs(directory, *extra):
    """Output paths a dry run would make (after a finished run: what the change reruns)."""
    result = run_snakemake(directory, "-n", "--cores", "2", *TEST_CONFIG, *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stdout + result.stderr
    return {path.strip() for line in re.findall(r"^\s+output: (.*)$", log, re.M) for path in line.split(",")}


def test_darwin_threshold_change_reruns_only_what_reads_darwin(finished_run):
    directory, _ = finished_run
    (directory / "darwin.yaml").write_text("detectors:\n  darwin:\n    threshold_keV: 1.5\n")
    outputs = planned_outputs(directory, "darwin.yaml")
    kernels = {p for p in outputs if p.startswith("results/kernels/")}
    assert kernels and all("/darwin/" in p for p in kernels)
    chi2 = {p for p in outputs if p.startswith("results/chi2/")}
    assert chi2 and all("darwin" in p or "combined" in p for p in chi2)
    assert not any("resnova" in p or "xenonnt" in p or "xenon1t/" in p for p in outputs)
    figures = {p.rsplit("/", 1)[1] for p in outputs if p.startswith("results/figures/fig") and p.endswith(".pdf")}
    assert figures == {f"fig{n}.pdf" for n in (5, 6, 7, 8, 9, 10, 11)}
    assert not any(p.startswith("results/core/") for p in outputs)
    assert not any(p.startswith(("results/fluxes/", "results/rates/")) for p in outputs)


def test_solar_flux_change_reruns_only_solar_jobs(finished_run):
    import os

    directory, _ = finished_run
    table = directory / "resources/solar/8B_spectrum.csv"
    original, stat = table.read_bytes(), table.stat()
    try:
        table.write_bytes(original + b"# edited\n")
        outputs = planned_outputs(directory)
        per_source = {
            p
            for p in outputs
            if p.startswith(
                (
                    "results/fluxes/",
                    "results/kernels/",
                    "results/spectra/",
                    "results/chi2/",
                    "results/contours/",
                    "results/rates/",
                )
            )
        }
        # every solar analysis reruns, including the XENON1T and XENONnT data bounds, which count solar neutrinos
        # and their combination (which holds XENONnT 2024)
        data = (
            "xenon1t/xenon1t.",
            "/xenon1t-s1s2/xenon1t.",
            "/xenonnt_2024.",
            "/xenonnt_s2only_2026.",
            "/combined_data.",
        )
        assert per_source and all("solar" in p or any(name in p for name in data) for p in per_source)
        assert "results/fluxes/solar.parquet" in outputs
    finally:
        table.write_bytes(original)
        os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_external_bound_is_drawn_when_its_file_appears(finished_run):
    from test_external_limits import CURVE

    directory, _ = finished_run
    curve = directory / "resources/external_limits/bbn.csv"
    curve.write_text(CURVE)
    try:
        result = run_snakemake(directory, "fig9", "--cores", "2", *TEST_CONFIG)
        assert result.returncode == 0, result.stderr[-3000:]
        log = (directory / "logs/results/figures/fig9.log").read_text()
        assert "external bound test bound (nowhere, fig. 0) drawn" in log
        assert "absent" in log and "sn1987a" in log
    finally:
        curve.unlink()
