# astro-cevns: regenerates the bounds and figures of Suliga & Tamborra, arXiv:2010.14545.
# Thin entry point: configuration, validation, rule modules, default target.

from snakemake.utils import min_version, validate

min_version("8.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/fluxes.smk"
include: "workflow/rules/counts.smk"
include: "workflow/rules/xenonnt.smk"
include: "workflow/rules/statistics.smk"
include: "workflow/rules/core.smk"
include: "workflow/rules/figures.smk"


rule all:
    input:
        "results/tables/event_counts.csv",
        "results/tables/bounds.csv",
        "results/tables/core_bounds.csv",
        [f"results/contours/{mediator}/{family}.parquet" for mediator in MEDIATORS for family in FAMILIES],
        [f"results/figures/fig{number}.{ext}" for number in FIGURES for ext in ("pdf", "png")],
    default_target: True
