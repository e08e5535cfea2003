# The profiled chi-square of each analysis on the (g, m) grid, its contours and bounds, and the bounds
# table. One job serves a family (an analysis and its efficiency variants) for every model of MODELS and
# writes all three tables: the work takes a fraction of a second, less than a job's start-up. A model
# that an analysis adds (its 'models') gets a chi2_model job of its own, with the same script.


rule chi2:
    input:
        unpack(statistic_files),
        spectra=spectra_of_family,
    output:
        chi2=expand("{{root}}/chi2/{model}/{{family}}.parquet", model=MODELS),
        contours=expand("{{root}}/contours/{model}/{{family}}.parquet", model=MODELS),
        edges=expand("{{root}}/edges/{model}/{{family}}.parquet", model=MODELS),
        bounds=expand("{{root}}/bounds/{model}/{{family}}.parquet", model=MODELS),
        intervals=expand("{{root}}/intervals/{model}/{{family}}.parquet", model=MODELS),
    log:
        "logs/{root}/chi2/{family}.log",
    benchmark:
        "benchmarks/{root}/chi2/{family}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=chi2_memory_mb,
    params:
        family=family_params,
    script:
        "../scripts/chi2.py"


if EXTRA_PAIRS:

    use rule chi2 as chi2_model with:
        output:  # lists of one, as in rule chi2, for the script
            chi2=["{root}/chi2/{model}/{family}.parquet"],
            contours=["{root}/contours/{model}/{family}.parquet"],
            edges=["{root}/edges/{model}/{family}.parquet"],
            bounds=["{root}/bounds/{model}/{family}.parquet"],
            intervals=["{root}/intervals/{model}/{family}.parquet"],
        log:
            "logs/{root}/chi2/{model}/{family}.log",
        benchmark:
            "benchmarks/{root}/chi2/{model}/{family}.tsv"
        wildcard_constraints:
            model="|".join(re.escape(model) for model in sorted({model for model, _ in EXTRA_PAIRS})),


rule bounds_table:
    input:
        lambda wildcards: analysis_tables(wildcards, "bounds"),
    output:
        report(
            "{root}/tables/bounds.csv",
            caption="../report/bounds.rst",
            category="Table downloads",
        ),
    log:
        "logs/{root}/bounds_table.log",
    benchmark:
        "benchmarks/{root}/bounds_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/bounds_table.py"


rule intervals_table:
    input:
        lambda wildcards: analysis_tables(wildcards, "intervals"),
    output:
        report(
            "{root}/tables/intervals.csv",
            caption="../report/intervals.rst",
            category="Tables",
        ),
    log:
        "logs/{root}/intervals_table.log",
    benchmark:
        "benchmarks/{root}/intervals_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/intervals_table.py"
