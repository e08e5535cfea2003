# The profiled chi-square of each analysis on the (g, m) grid, its contours and bounds, and the bounds
# table. One job serves a family (an analysis and its efficiency variants) for every model of MODELS and
# writes all three tables: the work takes a fraction of a second, less than a job's start-up. A model
# that an analysis adds (its 'models') gets a chi2_model job of its own, with the same script.


rule chi2:
    input:
        spectra=spectra_of_family,
        efficiency=ceiling_efficiency_files,
    output:
        chi2=expand("results/chi2/{model}/{{analysis}}.parquet", model=MODELS),
        contours=expand("results/contours/{model}/{{analysis}}.parquet", model=MODELS),
        bounds=expand("results/bounds/{model}/{{analysis}}.parquet", model=MODELS),
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


EXTRA_PAIRS = [(model, family) for family, models in EXTRA_MODELS.items() for model in models]
if EXTRA_PAIRS:

    rule chi2_model:
        input:
            spectra=spectra_of_family,
            efficiency=ceiling_efficiency_files,
        output:  # lists of one, as in rule chi2, for the script
            chi2=["results/chi2/{model}/{analysis}.parquet"],
            contours=["results/contours/{model}/{analysis}.parquet"],
            bounds=["results/bounds/{model}/{analysis}.parquet"],
        params:
            family=family_params,
        log:
            "logs/chi2/{model}/{analysis}.log",
        benchmark:
            "benchmarks/chi2/{model}/{analysis}.tsv"
        wildcard_constraints:
            model="|".join(re.escape(model) for model, _ in EXTRA_PAIRS),
            analysis="|".join(re.escape(family) for _, family in EXTRA_PAIRS),
        conda:
            "../../envs/astrocevns.yaml"
        script:
            "../scripts/chi2.py"


rule bounds_table:
    input:
        [f"results/bounds/{model}/{family}.parquet" for model in MODELS for family in FAMILIES],
        [f"results/bounds/{model}/{family}.parquet" for model, family in EXTRA_PAIRS],
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
