# The profiled chi-square of each analysis on the (g, m) grid, its contours and bounds, and the bounds
# table. One job serves a family (an analysis and its efficiency variants) for every mediator and
# writes all three tables: the work takes a fraction of a second, less than a job's start-up.


rule chi2:
    input:
        spectra=spectra_of_family,
        efficiency=ceiling_efficiency_files,
    output:
        chi2=expand("results/chi2/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
        contours=expand("results/contours/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
        bounds=expand("results/bounds/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
    params:
        family=family_params,
    log:
        "logs/chi2/{analysis}.log",
    benchmark:
        "benchmarks/chi2/{analysis}.tsv"
    wildcard_constraints:
        analysis=FAMILY_PATTERN,
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/chi2.py"


rule bounds_table:
    input:
        [f"results/bounds/{mediator}/{family}.parquet" for mediator in MEDIATORS for family in FAMILIES] + XENONNT_2024_BOUNDS,
    output:
        report("results/tables/bounds.csv", caption="../report/bounds.rst", category="Tables"),
    log:
        "logs/bounds_table.log",
    benchmark:
        "benchmarks/bounds_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/bounds_table.py"
