"""Benchmark: per rule, the share of a job's wall time that is start-up, against the work it does.

The baseline of a rule is an empty job of the same kind, run by Snakemake exactly like the real one: its script
with the same module-level imports, reading the same Snakemake object (inputs, params, wildcards) and writing
its outputs by copying those of the real run, so that the DAG, the pickled parameters, the log and benchmark
files are the same. Steps:
  1. a clean default run on a copy of the repository (or --run DIR: a finished one, e.g. bench_workflow --keep),
  2. the same run on a second copy whose workflow/scripts/*.py are replaced by their empty twins,
  3. per rule (Snakemake's `benchmark:` files, rule names from `snakemake -n -F`): jobs, mean wall time, mean
     start-up (the empty job's), work share 1 - start-up / wall, and the summed wall times.
Prints the table and writes it as CSV and Markdown (--out, default docs/generated/startup.{csv,md}).

Run from the repository root: python tests/benchmarks/bench_startup.py [--run DIR] [--out PREFIX]
"""

import argparse
import ast
import csv
import os
import re
import shutil
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

from bench_workflow import ROOT, benchmark_rows, copy_repository, snakemake

EMPTY_JOB = """
_read = (dict(snakemake.input.items()), dict(snakemake.params.items()), dict(snakemake.wildcards.items()))
for _log in snakemake.log:
    _Path(_log).write_text("empty job\\n")
for _output in snakemake.output:
    _Path(_output).parent.mkdir(parents=True, exist_ok=True)
    for _suffix in ("", ".sha256"):
        if (REFERENCE / (_output + _suffix)).is_file():
            _shutil.copyfile(REFERENCE / (_output + _suffix), _output + _suffix)
"""


def empty_twin(script, reference):
    """The text of the empty twin of the rule script ``script``, copying outputs from the run in ``reference``."""
    tree = ast.parse(script.read_text())
    imports = [
        ast.get_source_segment(script.read_text(), node)
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    preamble = [
        "# The empty twin of a rule script (tests/benchmarks/bench_startup.py): the same imports,",
        "# the Snakemake object read, the outputs copied from a finished run.",
        "import shutil as _shutil",
        "from pathlib import Path as _Path",
        *imports,
        f"REFERENCE = _Path({str(reference)!r})",
    ]
    return "\n".join(preamble) + "\n" + EMPTY_JOB


def hollow_copy(directory, reference):
    """A copy of the repository in ``directory`` whose rule scripts are the empty twins."""
    copy_repository(directory)
    for script in (directory / "workflow" / "scripts").glob("*.py"):
        script.write_text(empty_twin(script, reference))
    return directory


def rules_by_benchmark(directory):
    """{benchmark path relative to benchmarks/: rule} of every job of the default target, from a forced dry run."""
    _, text = snakemake(directory, "-n", "-F", quiet=False)
    rules, rule = {}, None
    for line in text.splitlines():
        if match := re.match(r"^(?:local)?rule (\S+):$", line):
            rule = match.group(1)
        elif (match := re.match(r"^\s+benchmark: (\S+)$", line)) and rule is not None:
            rules[Path(match.group(1)).relative_to("benchmarks").as_posix()] = rule
    return rules


def job_times(directory, rules):
    """{rule: ([wall times [s]], [CPU times [s]])} of the jobs in ``directory``."""
    times = defaultdict(lambda: ([], []))
    for relative, row in benchmark_rows(directory):
        wall, cpu = times[rules.get(relative.as_posix(), "?")]
        wall.append(float(row["s"]))
        cpu.append(float(row["cpu_time"]) if row.get("cpu_time", "-") != "-" else float("nan"))
    return dict(times)


def table(real, empty):
    """Rows (rule, jobs, mean wall, start-up wall, work share, mean CPU, start-up CPU, work share of the CPU,
    summed wall, summed start-up wall) from {rule: ([wall times], [CPU times])} of the real and the empty run,
    longest first."""
    rows = []
    for rule, (wall, cpu) in real.items():
        empty_wall, empty_cpu = empty.get(rule, ([float("nan")], [float("nan")]))
        means = [statistics.fmean(x) for x in (wall, empty_wall, cpu, empty_cpu)]
        rows.append(
            (
                rule,
                len(wall),
                means[0],
                means[1],
                1.0 - means[1] / means[0],
                means[2],
                means[3],
                1.0 - means[3] / means[2],
                sum(wall),
                means[1] * len(wall),
            )
        )
    rows.sort(key=lambda row: -row[8])
    jobs = sum(row[1] for row in rows)
    sums = [sum(row[k] * row[1] for row in rows) for k in (2, 3, 5, 6)]
    rows.append(
        (
            "all rules",
            jobs,
            sums[0] / jobs,
            sums[1] / jobs,
            1.0 - sums[1] / sums[0],
            sums[2] / jobs,
            sums[3] / jobs,
            1.0 - sums[3] / sums[2],
            sums[0],
            sums[1],
        )
    )
    return rows


HEADER = (
    "rule",
    "jobs",
    "mean wall [s]",
    "start-up wall [s]",
    "work share (wall)",
    "mean CPU [s]",
    "start-up CPU [s]",
    "work share (CPU)",
    "summed wall [s]",
    "summed start-up [s]",
)
COLUMNS = (
    "rule",
    "jobs",
    "mean_wall_s",
    "startup_wall_s",
    "work_share_wall",
    "mean_cpu_s",
    "startup_cpu_s",
    "work_share_cpu",
    "summed_wall_s",
    "summed_startup_wall_s",
)


def formatted(row):
    rule, jobs, wall, startup, share, cpu, startup_cpu, share_cpu, total, startups = row
    return [
        rule,
        str(jobs),
        f"{wall:.2f}",
        f"{startup:.2f}",
        f"{100 * share:.0f} %",
        f"{cpu:.2f}",
        f"{startup_cpu:.2f}",
        f"{100 * share_cpu:.0f} %",
        f"{total:.1f}",
        f"{startups:.1f}",
    ]


def write(rows, prefix, runs, loads):
    """The table as ``prefix``.csv and ``prefix``.md (with the wall times of the two runs and the machine's load)."""
    prefix.parent.mkdir(parents=True, exist_ok=True)
    names = ("clean run", "the same DAG of empty jobs")
    timed = "".join(f"{name} {t:.0f} s; " for name, t in zip(names, runs, strict=True) if t == t)  # NaN: not timed
    with prefix.with_suffix(".csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([row[0], row[1], *(f"{x:.4g}" for x in row[2:])] for row in rows)
    lines = [
        "<!-- written by tests/benchmarks/bench_startup.py; do not edit -->",
        "",
        "Start-up against work per rule, default configuration, `snakemake --cores 2` "
        f"({timed}load average {loads}). "
        "Start-up: the mean time of an empty job of the rule (the same imports, the Snakemake object read, the "
        "outputs copied); work share: 1 - start-up / mean job time, of the wall time and of the CPU time "
        "(Snakemake's `benchmark:` files; the CPU time depends less on what else the machine runs). A share "
        "near or below 0 means the job is start-up within the noise of the measurement.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(formatted(row)) + " |" for row in rows]
    prefix.with_suffix(".md").write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", type=Path, help="a finished default run (a copy of the repository) to measure")
    parser.add_argument("--keep", type=Path, help="keep the run of empty jobs here")
    parser.add_argument("--empty", type=Path, help="a finished run of empty jobs (from --keep) instead of a new one")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs" / "generated" / "startup",
        help="prefix of the CSV and Markdown tables",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.run is None:
            real = copy_repository(Path(scratch) / "real")
            runs = [snakemake(real)[0]]
        else:
            real, runs = args.run.resolve(), [float("nan")]
        loads = [os.getloadavg()[1]]
        if args.empty is None:
            empty = hollow_copy(Path(scratch) / "empty", real)
            rules = rules_by_benchmark(empty)
            runs.append(snakemake(empty)[0])
            if args.keep:
                shutil.copytree(empty, args.keep, dirs_exist_ok=True)
        else:
            empty, runs = args.empty.resolve(), runs + [float("nan")]
            rules = rules_by_benchmark(empty)
        loads.append(os.getloadavg()[1])
        rows = table(job_times(real, rules), job_times(empty, rules))
    print(f"clean run {runs[0]:.1f} s, empty jobs {runs[1]:.1f} s")
    print("  ".join(f"{h:>14}" for h in HEADER))
    for row in rows:
        print("  ".join(f"{cell:>14}" for cell in formatted(row)))
    measured_here = args.run is None or args.empty is None
    write(
        rows,
        args.out,
        runs,
        " - ".join(f"{load:.1f}" for load in loads) + " on 2 cores"
        if measured_here
        else "not recorded: both runs given by --run and --empty",
    )
    print(f"written: {args.out.with_suffix('.csv')}, {args.out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
