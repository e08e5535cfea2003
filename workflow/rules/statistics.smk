# The profiled chi-square of each analysis on the (g, m) grid, its contours and bounds, and the bounds
# table. One job serves a family (an analysis and its efficiency variants) for every model of MODELS and
# the models the family adds (its 'models'), and writes all five tables of each: the work takes about a
# second, not much more than a job's start-up. A rule's outputs cannot depend on its wildcards, so the
# families that add the same models share one rule: 'chi2' adds none, 'chi2_adding_<models>' adds those.

for added, families_adding in FAMILIES_BY_ADDED_MODELS.items():
    rule_models = MODELS + list(added)

    rule:
        name:
            "chi2" + "".join(f"_adding_{model}" for model in added)
        input:
            unpack(statistic_files),
            spectra=spectra_of_family,
        output:
            chi2=expand("{{root}}/chi2/{model}/{{family}}.parquet", model=rule_models),
            contours=expand("{{root}}/contours/{model}/{{family}}.parquet", model=rule_models),
            edges=expand("{{root}}/edges/{model}/{{family}}.parquet", model=rule_models),
            bounds=expand("{{root}}/bounds/{model}/{{family}}.parquet", model=rule_models),
            intervals=expand("{{root}}/intervals/{model}/{{family}}.parquet", model=rule_models),
        log:
            "logs/{root}/chi2/{family}.log",
        benchmark:
            "benchmarks/{root}/chi2/{family}.tsv"
        wildcard_constraints:
            family="|".join(re.escape(family) for family in sorted(families_adding, key=len, reverse=True)),
        conda:
            "../../envs/astrocevns.yaml"
        resources:
            mem_mb=chi2_memory_mb,
        params:
            family=family_params,
        script:
            "../scripts/chi2.py"


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
