# The profiled chi-square of each analysis on the (g, m) grid, its contours and bounds, and the bounds
# table. One job serves a family (an analysis and its efficiency variants) for every mediator and
# writes all three tables: the work takes a fraction of a second, less than a job's start-up.


rule chi2:
    input:
        spectra=spectra_of_family,
        efficiency=ceiling_efficiency_files,
    output:
        chi2=expand("{{root}}/chi2/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
        contours=expand("{{root}}/contours/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
        edges=expand("{{root}}/edges/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
        bounds=expand("{{root}}/bounds/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
    params:
        family=family_params,
    log:
        "logs/{root}/chi2/{analysis}.log",
    benchmark:
        "benchmarks/{root}/chi2/{analysis}.tsv"
    resources:
        mem_mb=chi2_memory_mb,
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/chi2.py"


rule bounds_table:
    input:
        bounds_tables,
    output:
        report("{root}/tables/bounds.csv", caption="../report/bounds.rst", category="Tables"),
    log:
        "logs/{root}/bounds_table.log",
    benchmark:
        "benchmarks/{root}/bounds_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/bounds_table.py"
