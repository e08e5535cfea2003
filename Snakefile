# astro-cevns: regenerates the bounds and figures of Suliga & Tamborra, arXiv:2010.14545.
# Thin entry point: configuration, validation, rule modules, default target.

from snakemake.utils import min_version, validate

min_version("8.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


wildcard_constraints:
    root=ROOT_PATTERN,
    scan="|".join(SCANS) or "no-scans",
    source="|".join(SOURCES),
    detector="|".join(DETECTORS),
    mediator="|".join(MEDIATORS),
    model="|".join(re.escape(model) for model in SPECTRA_MODELS),
    family=FAMILY_PATTERN,
    number="|".join(str(n) for n in FIGURE_NUMBERS),


include: "workflow/rules/fluxes.smk"
include: "workflow/rules/counts.smk"
include: "workflow/rules/data_analyses.smk"
include: "workflow/rules/statistics.smk"
include: "workflow/rules/toys.smk"
include: "workflow/rules/core.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/variants.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        "results/tables/event_counts.csv",
        "results/tables/bounds.csv",
        "results/tables/intervals.csv",
        "results/tables/expected_bands.csv" if EXPECTED_PAIRS else [],
        "results/tables/coverage.csv" if TOY_POINTS or DATA_TOY_POINTS else [],
        "results/tables/core_bounds.csv",
        [f"results/contours/{model}/{family}.parquet" for model in MODELS for family in BASE_SETUP.families],
        [f"results/figures/fig{number}.{ext}" for number in FIGURE_NUMBERS for ext in ("pdf", "png", "csv")],
        [table for name, setup in SETUPS.items() if name for table in tables_of(setup)],
        [
            f"results/{kind}/scans/{scan}.{ext}"
            for scan in SCANS
            for kind, ext in (("tables", "csv"), ("figures", "png"))
        ],
        "results/tables/deviations.csv" if LEDGER else [],
        "results/tables/claims.csv",
        [f"results/tables/{table}.html" for table in REPORT_TABLES],
        [
            f"results/{kind}/{model}/{name}.parquet"
            for name in DATA_ANALYSES
            for model in SPECTRA_MODELS
            for kind in ("chi2", "edges")
        ],


include: "workflow/rules/verify.smk"
