# Binned spectra on the (g, m) grid, the profiled chi-square per analysis, contours and bounds.


rule spectra:
    input:
        "results/kernels/{source}/{detector}/{efficiency}.parquet",
    output:
        "results/spectra/{mediator}/{source}/{detector}/{efficiency}.parquet",
    params:
        masses=lambda wildcards: plain({"grid": config["grid"]["m_MeV"], "report": config["report_masses_MeV"]}),
    log:
        "logs/spectra/{mediator}/{source}/{detector}/{efficiency}.log",
    benchmark:
        "benchmarks/spectra/{mediator}/{source}/{detector}/{efficiency}.tsv"
    wildcard_constraints:
        mediator="|".join(MEDIATORS),
        source="|".join(SOURCES),
        detector="|".join(DETECTORS),
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/spectra.py"


rule chi2:
    input:
        spectra_of_analysis,
    output:
        chi2="results/chi2/{mediator}/{analysis}.parquet",
        bounds="results/bounds/{mediator}/{analysis}.parquet",
    params:
        analysis=analysis_params,
    log:
        "logs/chi2/{mediator}/{analysis}.log",
    benchmark:
        "benchmarks/chi2/{mediator}/{analysis}.tsv"
    wildcard_constraints:
        mediator="|".join(MEDIATORS),
        analysis=ANALYSIS_PATTERN,
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/chi2.py"


rule contour:
    input:
        "results/chi2/{mediator}/{analysis}.parquet",
    output:
        "results/contours/{mediator}/{analysis}.parquet",
    params:
        statistics=lambda wildcards: plain({k: config["statistics"][k] for k in ("cl", "dof")}),
    log:
        "logs/contour/{mediator}/{analysis}.log",
    benchmark:
        "benchmarks/contour/{mediator}/{analysis}.tsv"
    wildcard_constraints:
        mediator="|".join(MEDIATORS),
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
