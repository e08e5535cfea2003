"""Benchmark: wall times of the workflow and peak memory per rule, on a copy of the repository.

Measures, with `snakemake --cores 2`:
  1. a clean run of the default configuration without its scans, and one with every scan (and the deviation
     ledger): the second within 4 x the first,
  2. a no-op rerun, and the rerun after one value is added to a scan (within 15 s),
  3. the rerun after one detector threshold changes (DARWIN 1 -> 1.5 -> 2 -> 2.5 keV: three changes,
     each timed; the verdict is on their median, since one rerun of ~15 s varies by ~1 s on a shared machine),
  4. a clean run with a 1000 x 1000 (g, m) grid (skip with --no-large),
and the longest job and peak resident memory of every rule from Snakemake's `benchmark:` files. Prints each time,
the ratio to its target and `PASS`/`MISS`. Targets on a 2-core machine: clean <= 60 s, no-op <= 5 s,
threshold change <= 15 s, 1000 x 1000 <= 5 x the clean default run with no job above 2 GiB.
Snakemake samples a job's memory while it runs: a job that ends before the first sample reports ~0 MB.

Run from the repository root: python tests/benchmarks/bench_workflow.py [--no-large]
"""

import argparse
import csv
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("Snakefile", "config", "workflow", "resources", "envs", "profiles", "pyproject.toml")


def copy_repository(directory):
    directory.mkdir(parents=True)
    for name in PARTS:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, directory / name)
    return directory


def timed_run(directory, *extra):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all", *extra],
                            cwd=directory, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"snakemake failed in {directory}:\n{result.stderr[-3000:]}")
    return elapsed


def without_scans(directory):
    """Remove the scans of the copied default configuration (an overlay cannot delete a key)."""
    path = directory / "config" / "config.yaml"
    text = path.read_text()
    start = text.index("\nscans:")
    end = text.index("\ndeviation_ledger:")
    path.write_text(text[:start] + "\nscans: {}\n" + text[end:])


def rule_of(relative):
    """The rule of a benchmark file: benchmarks/{root}/<rule>/... with root results or results/variants/<name>."""
    parts = relative.parts
    if parts[0] == "results":
        parts = parts[3:] if parts[1] == "variants" else parts[1:]
    return parts[0].removesuffix(".tsv")


def peaks_by_rule(directory):
    """{rule: [jobs, longest job [s], peak max_rss [MB]]} from the benchmark files of every job."""
    peaks = defaultdict(lambda: [0, 0.0, 0.0])
    for path in (directory / "benchmarks").rglob("*.tsv"):
        rule = rule_of(path.relative_to(directory / "benchmarks"))
        with path.open() as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                peaks[rule][0] += 1
                peaks[rule][1] = max(peaks[rule][1], float(row["s"]))
                peaks[rule][2] = max(peaks[rule][2], float(row["max_rss"]) if row["max_rss"] != "-" else 0.0)
    return dict(peaks)


def report(name, seconds, target):
    verdict = "PASS" if seconds <= target else "MISS"
    print(f"{name:<32} {seconds:8.1f} s   target {target:6.1f} s   ratio {seconds / target:5.2f}   {verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-large", action="store_true", help="skip the 1000 x 1000 grid")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        plain = copy_repository(Path(scratch) / "plain")
        without_scans(plain)
        clean = timed_run(plain)
        report("clean run without scans", clean, 60.0)
        default = copy_repository(Path(scratch) / "default")
        with_scans = timed_run(default)
        report("clean run with every scan", with_scans, 4 * clean)
        report("no-op rerun", timed_run(default), 5.0)
        config = (default / "config" / "config.yaml").read_text()
        values = re.search(r"values: \[0.3, 0.5, 0.7, 1.0, 1.5, 2.0\]", config)
        (default / "config" / "config.yaml").write_text(
            config[: values.start()] + "values: [0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0]" + config[values.end():])
        report("one scan value added", timed_run(default), 15.0)
        changes = []
        for threshold_keV in (1.5, 2.0, 2.5):
            (default / "threshold.yaml").write_text(f"detectors:\n  darwin:\n    threshold_keV: {threshold_keV}\n")
            changes.append(timed_run(default, "--configfile", "threshold.yaml"))
        print("DARWIN threshold changes to 1.5, 2.0, 2.5 keV: " + ", ".join(f"{t:.1f} s" for t in changes))
        report("DARWIN threshold change (median)", statistics.median(changes), 15.0)
        memory = {"default": peaks_by_rule(default)}
        if not args.no_large:
            large = copy_repository(Path(scratch) / "large")
            (large / "large.yaml").write_text(
                "grid:\n  g: {min: 1.0e-7, max: 1.0e-2, n: 1000}\n  m_MeV: {min: 1.0e-2, max: 1.0e+4, n: 1000}\n")
            report("1000 x 1000 grid, clean", timed_run(large, "--configfile", "large.yaml"), 5 * clean)
            memory["1000 x 1000"] = peaks_by_rule(large)
        for label, peaks in memory.items():
            print(f"longest job and peak memory per rule ({label} grid):")
            for rule, (jobs, longest, peak) in sorted(peaks.items()):
                print(f"  {rule:<20} {jobs:4d} jobs   longest {longest:6.2f} s   {peak:8.0f} MB   "
                      f"{'PASS' if peak <= 2048 else 'MISS'} (<= 2048 MB)")


if __name__ == "__main__":
    main()
