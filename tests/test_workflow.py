"""End-to-end on config/test.yaml from a fresh copy: planned jobs, the tables of DESIGN sec. 5, no-op rerun."""

import re

import pandas as pd
import pytest

from conftest import copy_workflow, run_snakemake

pytestmark = pytest.mark.workflow
TEST_CONFIG = ("--configfile", "config/test.yaml")


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


def test_dry_run_plans_every_stage(finished_run):
    _, log = finished_run
    jobs = planned_jobs(log)
    # 4 astrophysical sources x 8 (detector, efficiency) pairs, and 2 beams with one detector each;
    # 25 projected analyses (each with its xenon1t_nr variant where it has a xenon detector) + 3 existing
    # bounds; one job serves both mediators, a spectra job writes its kernel too, and a chi2 job its
    # analysis's variants, contours and bounds
    assert jobs["flux"] == 6 and jobs["spectra"] == 34 and jobs["event_counts"] == 1
    assert jobs["chi2"] == 28
    assert jobs["bounds_table"] == 1 and jobs["all"] == 1
    assert "kernel" not in jobs and "contour" not in jobs
    assert jobs["rates"] == 4 and jobs["figure"] == 12
    assert jobs["core"] == 2 and jobs["core_bounds_table"] == 1


def test_event_counts_table(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/event_counts.csv")
    assert list(table.columns) == ["source", "detector", "efficiency", "threshold_keV", "events"]
    assert set(table.source) == {"sn_cc", "sn_failed", "solar", "atmospheric"}
    assert set(table.detector) == {"resnova3", "resnova1", "darwin", "xenonnt", "xenon1t"}
    assert set(table[table.detector.str.startswith("resnova")].efficiency) == {"ideal"}
    assert len(table) == 4 * (2 + 3 * 2)
    assert (table.events > 0).all()
    counts = table.set_index(["source", "detector", "efficiency"]).events
    # detector size scaling: DARWIN (40 t) sees ten times XENONnT (4 t)
    assert counts["solar", "darwin", "ideal"] == pytest.approx(10 * counts["solar", "xenonnt", "ideal"], rel=1e-5)


def test_bounds_table(finished_run):
    directory, _ = finished_run
    table = pd.read_csv(directory / "results/tables/bounds.csv")
    assert list(table.columns) == ["analysis", "mediator", "m_MeV", "g_min"]
    required = {"sn_cc/combined", "sn_cc/resnova3", "sn_cc/darwin", "sn_failed/combined",
                "sn_marginalised/combined", "solar/combined", "solar/darwin", "atmospheric/combined"}
    assert required <= set(table.analysis)
    assert sorted(table.m_MeV.unique()) == [0.1, 1.0, 10.0, 100.0, 1000.0]
    assert len(table) == 2 * (45 + 1) * 5  # the analyses with their variants, and the XENONnT 2024 recast
    bounds = table.set_index(["analysis", "mediator", "m_MeV"]).g_min
    for mediator in ("vector", "scalar"):
        # low-mass plateau and weakening at high mass (paper figs. 5-8)
        assert bounds["sn_cc/combined", mediator, 0.1] == pytest.approx(bounds["sn_cc/combined", mediator, 1.0], rel=0.05)
        assert bounds["sn_cc/combined", mediator, 1000.0] > 10 * bounds["sn_cc/combined", mediator, 1.0]
        # combining detectors never weakens; marginalising over SN models never strengthens
        assert bounds["sn_cc/combined", mediator, 1.0] <= bounds["sn_cc/resnova3", mediator, 1.0] * (1 + 1e-6)
        assert bounds["sn_marginalised/combined", mediator, 1.0] >= bounds["sn_cc/combined", mediator, 1.0] * (1 - 1e-6)


def test_contours_written(finished_run):
    directory, _ = finished_run
    lines = pd.read_parquet(directory / "results/contours/vector/sn_cc/combined.parquet")
    assert {"analysis", "line", "closed", "m_MeV", "g"} <= set(lines.columns) and len(lines) > 10
    assert set(lines.analysis) == {"sn_cc/combined", "sn_cc/combined-xenon1t_nr"}


def test_chi2_table_holds_the_efficiency_variant(finished_run):
    directory, _ = finished_run
    table = pd.read_parquet(directory / "results/chi2/scalar/solar/combined.parquet")
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
    assert list(table.columns) == ["mediator", "criterion", "m_MeV", "g"]
    assert set(table.criterion) == {"tau_10s", "tau_100s", "n_scatter_1"}
    assert set(table[table.criterion == "n_scatter_1"].mediator) == {"scalar"}
    assert len(table) == 5 * (2 + 2 + 1)


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
    assert (directory / "report.html").stat().st_size > 100_000


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
    figures = {p.rsplit("/", 1)[1] for p in outputs if p.startswith("results/figures/") and p.endswith(".pdf")}
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
        per_source = {p for p in outputs if p.startswith(("results/fluxes/", "results/kernels/", "results/spectra/",
                                                          "results/chi2/", "results/contours/", "results/rates/"))}
        # every solar analysis reruns, including the XENON1T and XENONnT 2024 bounds, which count solar neutrinos
        assert per_source and all("solar" in p or "xenon1t/xenon1t." in p or "/xenonnt_2024." in p for p in per_source)
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
        log = (directory / "logs/figures/fig9.log").read_text()
        assert "external bound test bound (nowhere, fig. 0) drawn" in log
        assert "absent" in log and "na64" in log
    finally:
        curve.unlink()
