"""Benchmark: the workflow's wall times against the targets of a 2-core machine, on a copy of the repository.

Measures, with `snakemake --cores 2`, each against its target (printed as time, target, ratio, PASS/FAIL):
  1. a clean run of the default configuration: every scan, the deviation ledger and the data analyses (<= 60 s);
     for reference, also a clean run without the scans (no target),
  2. a no-op rerun (<= 2 s),
  3. the rerun after one detector threshold changes (DARWIN 1 -> 1.5 -> 2 -> 2.5 keV: three changes, each timed;
     the verdict is on their median, since one rerun varies by ~1 s on a shared machine) (<= 15 s),
  4. the rerun after one value is added to a scan (<= 10 s),
  5. a clean run with a 1000 x 1000 (g, m) grid and every scan (<= 5 x the clean default run, no job above 2 GiB;
     skip with --no-large),
  6. the README's `pytest`, the fast tier, in the repository itself (<= 2.5 min; skip with --no-pytest),
with the number of jobs each run executed and the rules they belong to, and the longest job and peak resident
memory of every rule from Snakemake's `benchmark:` files. Snakemake samples a job's memory while it runs: a job
that ends before the first sample reports ~0 MB.

Run from the repository root: python tests/benchmarks/bench_workflow.py [--no-large] [--no-pytest] [--keep DIR]
"""

import argparse
import csv
import functools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("Snakefile", "config", "workflow", "resources", "envs", "profiles", "pyproject.toml")
MEMORY_LIMIT_MB = 2048.0
print = functools.partial(print, flush=True)  # noqa: A001 - each line as soon as it is measured


def copy_repository(directory):
    """A copy of the workflow's files (no results) in ``directory``."""
    directory.mkdir(parents=True)
    for name in PARTS:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, directory / name)
    return directory


def snakemake(directory, *extra, quiet=True):
    """Run `snakemake --cores 2 all` in ``directory`` with the copy's own library: (wall time [s], its output)."""
    library = os.pathsep.join([str(directory / "workflow" / "lib"), *filter(None, [os.environ.get("PYTHONPATH")])])
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *(["--quiet"] if quiet else []), "all", *extra],
        cwd=directory,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": library},
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"snakemake failed in {directory}:\n{result.stderr[-3000:]}")
    return elapsed, result.stdout + result.stderr


def timed_run(directory, *extra):
    """(wall time [s], {rule: jobs it ran}) of `snakemake --cores 2 all` in ``directory``; the jobs are those whose
    benchmark file the run (re)wrote."""
    started = time.time()
    elapsed, _ = snakemake(directory, *extra)
    ran = Counter(
        rule_of(path.relative_to(directory / "benchmarks"))
        for path in (directory / "benchmarks").rglob("*.tsv")
        if path.stat().st_mtime >= started - 1.0
    )
    return elapsed, dict(ran)


def without_scans(directory):
    """Remove the scans of the copied default configuration (an overlay cannot delete a key)."""
    path = directory / "config" / "config.yaml"
    text = path.read_text()
    start = text.index("\nscans:")
    end = text.index("\ndeviation_ledger:")
    path.write_text(text[:start] + "\nscans: {}\n" + text[end:])


def rule_of(relative):
    """The rule of a benchmark file: benchmarks/{root}/<rule>/... with root results or results/variants/<name>
    (by the first directory of its path; the chi2 rules, scan_table and scan_figure share one)."""
    parts = relative.parts
    if parts[0] == "results":
        parts = parts[3:] if parts[1] == "variants" else parts[1:]
    return parts[0].removesuffix(".tsv")


def benchmark_rows(directory):
    """[(benchmark path relative to benchmarks/, its row)] of every job of the run in ``directory``."""
    rows = []
    for path in sorted((directory / "benchmarks").rglob("*.tsv")):
        relative = path.relative_to(directory / "benchmarks")
        with path.open() as handle:
            rows += [(relative, row) for row in csv.DictReader(handle, delimiter="\t")]
    return rows


def peaks_by_rule(directory):
    """{rule: [jobs, longest job [s], peak max_rss [MB]]} from the benchmark files of every job."""
    peaks = defaultdict(lambda: [0, 0.0, 0.0])
    for relative, row in benchmark_rows(directory):
        peak = peaks[rule_of(relative)]
        peak[0] += 1
        peak[1] = max(peak[1], float(row["s"]))
        peak[2] = max(peak[2], float(row["max_rss"]) if row["max_rss"] != "-" else 0.0)
    return dict(peaks)


def report(name, seconds, target, jobs=None):
    """Print one measurement against its target (no target: for reference only); True if it passes."""
    count = "" if jobs is None else f"   {sum(jobs.values()):4d} jobs"
    if target is None:
        print(f"{name:<36} {seconds:8.1f} s{'':<35}{count}")
        return True
    verdict = seconds <= target
    print(
        f"{name:<36} {seconds:8.1f} s   target {target:6.1f} s   ratio {seconds / target:5.2f}   "
        f"{'PASS' if verdict else 'FAIL'}{count}"
    )
    return verdict


def rules_line(jobs):
    return "    jobs: " + ", ".join(f"{rule} {n}" for rule, n in sorted(jobs.items(), key=lambda item: -item[1]))


def add_scan_value(directory):
    """Add 3.0 keV to the xenon-threshold scan of the copied default configuration."""
    path = directory / "config" / "config.yaml"
    config = path.read_text()
    values = re.search(r"values: \[0.3, 0.5, 0.7, 1.0, 1.5, 2.0\]", config)
    path.write_text(config[: values.start()] + "values: [0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0]" + config[values.end() :])


def time_pytest():
    """Wall time of the README's `pytest` (the fast tier) in the repository."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:])
    return elapsed, result.returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-large", action="store_true", help="skip the 1000 x 1000 grid")
    parser.add_argument("--no-pytest", action="store_true", help="skip the README's pytest")
    parser.add_argument("--no-plain", action="store_true", help="skip the reference run without the scans")
    parser.add_argument("--keep", type=Path, help="keep the copy of the default run here (e.g. for compare_tables)")
    args = parser.parse_args()
    verdicts = []
    with tempfile.TemporaryDirectory() as scratch:
        if not args.no_plain:
            plain = copy_repository(Path(scratch) / "plain")
            without_scans(plain)
            report("clean run without scans (reference)", *timed_run(plain)[:1], None)
        default = copy_repository(Path(scratch) / "default")
        clean, jobs = timed_run(default)
        verdicts.append(report("clean default run (every scan)", clean, 60.0, jobs))
        print(rules_line(jobs))
        seconds, jobs = timed_run(default)
        verdicts.append(report("no-op rerun", seconds, 2.0, jobs))
        changes = []
        for threshold_keV in (1.5, 2.0, 2.5):
            (default / "threshold.yaml").write_text(f"detectors:\n  darwin:\n    threshold_keV: {threshold_keV}\n")
            seconds, jobs = timed_run(default, "--configfile", "config/config.yaml", "threshold.yaml")
            changes.append(seconds)
        print("DARWIN threshold changes to 1.5, 2.0, 2.5 keV: " + ", ".join(f"{t:.1f} s" for t in changes))
        verdicts.append(report("DARWIN threshold change (median)", statistics.median(changes), 15.0, jobs))
        print(rules_line(jobs))
        (default / "threshold.yaml").unlink()
        timed_run(default)  # back to the default configuration
        add_scan_value(default)
        seconds, jobs = timed_run(default)
        verdicts.append(report("one scan value added", seconds, 10.0, jobs))
        print(rules_line(jobs))
        memory = {"default": peaks_by_rule(default)}
        if args.keep:
            shutil.copytree(default, args.keep, dirs_exist_ok=True)
        if not args.no_large:
            large = copy_repository(Path(scratch) / "large")
            (large / "large.yaml").write_text(
                "grid:\n  g: {min: 1.0e-7, max: 1.0e-2, n: 1000}\n  m_MeV: {min: 1.0e-2, max: 1.0e+4, n: 1000}\n"
            )
            seconds, jobs = timed_run(large, "--configfile", "config/config.yaml", "large.yaml")
            verdicts.append(report("1000 x 1000 grid, clean", seconds, 5 * clean, jobs))
            memory["1000 x 1000"] = peaks_by_rule(large)
        for label, peaks in memory.items():
            print(f"longest job and peak memory per rule ({label} grid):")
            for rule, (n, longest, peak) in sorted(peaks.items()):
                verdict = peak <= MEMORY_LIMIT_MB
                verdicts.append(verdict)
                print(
                    f"  {rule:<22} {n:4d} jobs   longest {longest:6.2f} s   {peak:8.0f} MB   "
                    f"{'PASS' if verdict else 'FAIL'} (<= {MEMORY_LIMIT_MB:.0f} MB)"
                )
    if not args.no_pytest:
        seconds, passed = time_pytest()
        verdicts.append(report("README's pytest (fast tier)", seconds, 150.0) and passed)
    print(f"{sum(verdicts)} of {len(verdicts)} targets PASS")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
