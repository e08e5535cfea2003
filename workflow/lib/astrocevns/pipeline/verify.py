"""Check a results folder: every Parquet table against the checksums in its metadata, every CSV table and
figure for truncation and against the checksum file beside it, and the final outputs for presence; list the
bad files with how to regenerate them.

``snakemake verify_results`` runs it on ``results/`` (rule in workflow/rules/verify.smk); without Snakemake,
``python -m astrocevns.pipeline.verify [results]``.
"""

from __future__ import annotations

import csv
import io as text_io
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..tables import checksums, io

PNG_SIGNATURE, PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


def _csv_problem(path):
    """A CSV table must be UTF-8, end with a newline, and hold a header and rows of as many fields."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    if not text.endswith("\n"):
        return "truncated: the last line does not end"
    rows = list(csv.reader(text_io.StringIO(text)))
    if len(rows) < 2:
        return "no data rows after the header"
    bad = next((number for number, row in enumerate(rows[1:], start=2) if len(row) != len(rows[0])), None)
    if bad is not None:
        return f"line {bad}: {len(rows[bad - 1])} fields, the header has {len(rows[0])}"
    return None


def _figure_problem(path):
    data = path.read_bytes()
    if path.suffix == ".png" and not (data.startswith(PNG_SIGNATURE) and data.endswith(PNG_END)):
        return "truncated or not a PNG image (no IEND chunk at the end)"
    if path.suffix == ".pdf" and not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]):
        return "truncated or not a PDF document (no %%EOF at the end)"
    return None


def file_problem(path: str | Path) -> str | None:
    """What is wrong with one output file (None if nothing): Parquet checksums, CSV rows, figure ends, and the
    checksum file of a CSV, PNG or PDF."""
    path = Path(path)
    if not path.is_file():
        return "missing"
    if path.stat().st_size == 0:
        return "empty file"
    if path.suffix == ".parquet":
        try:
            io.verify_table(path)
        except io.TableError as error:
            return error.problem
        return None
    problem = _csv_problem(path) if path.suffix == ".csv" else _figure_problem(path)
    return problem or checksums.file_checksum_problem(path)


def verify_results(
    directory: str | Path = "results", expected: Iterable[str | Path] = ()
) -> tuple[int, dict[str, str]]:
    """Check every Parquet, CSV, PNG and PDF file under ``directory`` and that each of ``expected`` exists.

    Returns
    -------
    checked : int
        Number of files checked.
    problems : dict
        {path: what is wrong}, sorted by path; empty when every file is sound.
    """
    found = {path for path in Path(directory).rglob("*") if path.suffix in (".parquet", ".csv", ".png", ".pdf")}
    paths = sorted(found | {Path(path) for path in expected})
    problems = {str(path): problem for path in paths if (problem := file_problem(path)) is not None}
    return len(paths), problems


def report(checked: int, problems: Mapping[str, str]) -> str:
    """A human-readable summary of :func:`verify_results`, one line per bad file with how to regenerate it."""
    if not problems:
        return f"{checked} files checked: all sound"
    lines = [f"{checked} files checked, {len(problems)} bad:"]
    lines += [f"  {path}: {problem}" for path, problem in problems.items()]
    lines.append("Regenerate them with `snakemake --forcerun <file> ...` (or delete them and run snakemake again).")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m astrocevns.pipeline.verify [directory]``; exit status 1 if any file is bad."""
    arguments = sys.argv[1:] if argv is None else argv
    checked, problems = verify_results(arguments[0] if arguments else "results")
    print(report(checked, problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
