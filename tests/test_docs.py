"""The README stays a page that starts with the set-up commands; the documentation site has every page it lists."""

import re

from helpers import ROOT

DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")

# the pages the site promises (getting started, configuration, physics, the data recasts, the paper, engineering)
PAGES = (
    "getting-started",
    "outputs",
    "configuration",
    "models",
    "sources-detectors",
    "statistics",
    "sn-core",
    "variants-scans",
    "data/index",
    "deviations",
    "claims",
    "performance",
    "reliability",
    "developing",
    "api",
)
DATA_PAGES = ("xenonnt_2024", "xenonnt_s2only_2026")


def toctree_entries(page):
    """The entries of every {toctree} block of a MyST page (options and blank lines left out)."""
    blocks = re.findall(r"```\{toctree\}\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), flags=re.S)
    return [
        line.strip() for block in blocks for line in block.splitlines() if line.strip() and not line.startswith(":")
    ]


def test_readme_is_at_most_150_lines():
    assert len(README.splitlines()) <= 150


def test_readme_starts_with_the_two_set_up_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.S)
    assert README.index(first_block.group(0)) < README.index("\n## ")  # before any section
    commands = first_block.group(1).splitlines()
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/snakemake --cores all",
        'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/pytest',
    ]


def test_every_page_exists_and_is_in_the_site():
    listed = toctree_entries("index.md")
    for page in PAGES:
        assert (DOCS / f"{page}.md").is_file(), f"docs/{page}.md is missing"
        assert page in listed, f"docs/{page}.md is not in a toctree of docs/index.md"
    assert not [entry for entry in listed if not (DOCS / f"{entry}.md").is_file()]


def test_data_pages_are_found_by_the_glob():
    assert toctree_entries("data/index.md") == ["*"]
    for page in DATA_PAGES:
        assert (DOCS / "data" / f"{page}.md").is_file(), f"docs/data/{page}.md is missing"


def test_readme_links_into_the_docs_resolve():
    links = re.findall(r"\]\(((?:docs|config)/[^)#]+)\)", README)
    assert len(links) > 10
    assert not [link for link in links if not (ROOT / link).is_file()]


def test_the_report_has_a_front_page():
    assert 'report: "workflow/report/workflow.rst"' in (ROOT / "Snakefile").read_text(encoding="utf-8")
    assert (ROOT / "workflow" / "report" / "workflow.rst").is_file()
