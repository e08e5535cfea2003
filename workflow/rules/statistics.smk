# Binned spectra on the (g, m) grid, the profiled chi-square per analysis, contours and bounds.


# One job serves every mediator: the jobs are short, and their start-up dominates.


rule spectra:
    input:
        "results/kernels/{source}/{detector}/{efficiency}.parquet",
    output:
        expand("results/spectra/{mediator}/{{source}}/{{detector}}/{{efficiency}}.parquet", mediator=MEDIATORS),
    params:
        masses=lambda wildcards: plain({"grid": config["grid"]["m_MeV"], "report": config["report_masses_MeV"]}),
        mediators=MEDIATORS,
    log:
        "logs/spectra/{source}/{detector}/{efficiency}.log",
    benchmark:
        "benchmarks/spectra/{source}/{detector}/{efficiency}.tsv"
    wildcard_constraints:
        source="|".join(SOURCES),
        detector="|".join(DETECTORS),
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/spectra.py"


rule chi2:
    input:
        spectra=spectra_of_analysis,
        efficiency=ceiling_efficiency_files,
    output:
        chi2=expand("results/chi2/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
        bounds=expand("results/bounds/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
    params:
        analysis=analysis_params,
    log:
        "logs/chi2/{analysis}.log",
    benchmark:
        "benchmarks/chi2/{analysis}.tsv"
    wildcard_constraints:
        analysis=ANALYSIS_PATTERN,
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/chi2.py"


rule contour:
    input:
        expand("results/chi2/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
    output:
        expand("results/contours/{mediator}/{{analysis}}.parquet", mediator=MEDIATORS),
    params:
        statistics=lambda wildcards: plain({k: config["statistics"][k] for k in ("cl", "dof")}),
    log:
        "logs/contour/{analysis}.log",
    benchmark:
        "benchmarks/contour/{analysis}.tsv"
    wildcard_constraints:
        analysis=ANALYSIS_PATTERN,
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/contour.py"


rule bounds_table:
    input:
        [f"results/bounds/{mediator}/{analysis}.parquet" for mediator in MEDIATORS for analysis in ANALYSES],
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
