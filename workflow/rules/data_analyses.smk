# The analyses of public data releases (astrocevns.datasets.recasting.DATA_RELEASES; one subpackage each): per release and
# model, the profile-likelihood ratio on the (g, m) grid, its contours, its exact edges and the bounds at the report
# masses, for the base configuration; on demand, a release's validation table (`snakemake {release}_validation`).
# A release runs where its config section is present; what its jobs read and need is declared by its recast module
# (WORKFLOW, spectrum_coefficients), so that adding a release needs no edit here.


rule data_analysis:
    input:
        unpack(data_analysis_inputs),
    output:
        chi2=f"{BASE}/chi2/{{model}}/{{release}}/{{release}}.parquet",
        contours=f"{BASE}/contours/{{model}}/{{release}}/{{release}}.parquet",
        edges=f"{BASE}/edges/{{model}}/{{release}}/{{release}}.parquet",
        bounds=f"{BASE}/bounds/{{model}}/{{release}}/{{release}}.parquet",
        intervals=f"{BASE}/intervals/{{model}}/{{release}}/{{release}}.parquet",
    log:
        f"logs/{BASE}/{{release}}/{{model}}.log",
    benchmark:
        f"benchmarks/{BASE}/{{release}}/{{model}}.tsv"
    wildcard_constraints:
        release="|".join(DATA_RELEASES) or "no-releases",
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=data_analysis_memory_mb,
    params:
        spec=data_analysis_params,
    script:
        "../scripts/data_analysis.py"


# The combination of the data analyses of the config's combined_data section (astrocevns.datasets.combination): the same
# tables, for the base configuration.


rule combined_data:
    input:
        unpack(combined_data_inputs),
    output:
        chi2=f"{BASE}/chi2/{{model}}/combined_data/combined_data.parquet",
        contours=f"{BASE}/contours/{{model}}/combined_data/combined_data.parquet",
        edges=f"{BASE}/edges/{{model}}/combined_data/combined_data.parquet",
        bounds=f"{BASE}/bounds/{{model}}/combined_data/combined_data.parquet",
        intervals=f"{BASE}/intervals/{{model}}/combined_data/combined_data.parquet",
    log:
        f"logs/{BASE}/combined_data/{{model}}.log",
    benchmark:
        f"benchmarks/{BASE}/combined_data/{{model}}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=combined_data_memory_mb,
    params:
        spec=combined_data_params,
    script:
        "../scripts/combined_data.py"


rule data_analysis_validation:
    input:
        unpack(data_analysis_inputs),
    output:
        f"{BASE}/tables/{{release}}_validation.csv",
    log:
        f"logs/{BASE}/{{release}}/validation.log",
    benchmark:
        f"benchmarks/{BASE}/{{release}}/validation.tsv"
    wildcard_constraints:
        release="|".join(VALIDATED_RELEASES) or "no-releases",
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=data_analysis_params,
    script:
        "../scripts/{wildcards.release}_validation.py"


# named targets: `snakemake xenonnt_2024_validation`
for release in VALIDATED_RELEASES:

    rule:
        name:
            f"{release}_validation"
        input:
            f"{BASE}/tables/{release}_validation.csv",
