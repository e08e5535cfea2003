# The XENONnT 2024 light-dark-matter data (arXiv:2409.17868) recast for light mediators
# (astrocevns.xenonnt2024): per model, the profile-likelihood ratio on the (g, m) grid, its contours, its exact
# edges and the bounds at the report masses, for the base configuration; on demand, the validation table
# (`snakemake xenonnt_2024_validation`). Without a `xenonnt_2024` section in the config the analysis is left out.


rule xenonnt_2024:
    input:
        unpack(xenonnt_2024_inputs),
    output:
        chi2=f"{BASE}/chi2/{{model}}/{XENONNT_2024_FAMILY}.parquet",
        contours=f"{BASE}/contours/{{model}}/{XENONNT_2024_FAMILY}.parquet",
        edges=f"{BASE}/edges/{{model}}/{XENONNT_2024_FAMILY}.parquet",
        bounds=f"{BASE}/bounds/{{model}}/{XENONNT_2024_FAMILY}.parquet",
        intervals=f"{BASE}/intervals/{{model}}/{XENONNT_2024_FAMILY}.parquet",
    log:
        f"logs/{BASE}/xenonnt_2024/{{model}}.log",
    benchmark:
        f"benchmarks/{BASE}/xenonnt_2024/{{model}}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=xenonnt_2024_memory_mb,
    params:
        spec=lambda wildcards: xenonnt_2024_params(False, wildcards.model),
        release="xenonnt_2024",
    script:
        "../scripts/data_analysis.py"


rule xenonnt_2024_validation:
    input:
        unpack(xenonnt_2024_inputs),
    output:
        f"{BASE}/tables/xenonnt_2024_validation.csv",
    log:
        f"logs/{BASE}/xenonnt_2024/validation.log",
    benchmark:
        f"benchmarks/{BASE}/xenonnt_2024/validation.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=lambda wildcards: xenonnt_2024_params(True),
    script:
        "../scripts/xenonnt_2024_validation.py"


# The XENONnT S2-only light-DM data, SR0-SR2 (arXiv:2601.11296), for light mediators
# (astrocevns.xenonnt_s2only2026): the same tables per model; on demand its validation table
# (`snakemake xenonnt_s2only_2026_validation`). Without a `xenonnt_s2only_2026` section the analysis is left out.


rule xenonnt_s2only_2026:
    input:
        unpack(xenonnt_s2only_2026_inputs),
    output:
        chi2=f"{BASE}/chi2/{{model}}/{XENONNT_S2ONLY_2026_FAMILY}.parquet",
        contours=f"{BASE}/contours/{{model}}/{XENONNT_S2ONLY_2026_FAMILY}.parquet",
        edges=f"{BASE}/edges/{{model}}/{XENONNT_S2ONLY_2026_FAMILY}.parquet",
        bounds=f"{BASE}/bounds/{{model}}/{XENONNT_S2ONLY_2026_FAMILY}.parquet",
        intervals=f"{BASE}/intervals/{{model}}/{XENONNT_S2ONLY_2026_FAMILY}.parquet",
    log:
        f"logs/{BASE}/xenonnt_s2only_2026/{{model}}.log",
    benchmark:
        f"benchmarks/{BASE}/xenonnt_s2only_2026/{{model}}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=xenonnt_s2only_2026_memory_mb,
    params:
        spec=lambda wildcards: xenonnt_s2only_2026_params(False, wildcards.model),
        release="xenonnt_s2only_2026",
    script:
        "../scripts/data_analysis.py"


rule xenonnt_s2only_2026_validation:
    input:
        unpack(xenonnt_s2only_2026_inputs),
    output:
        f"{BASE}/tables/xenonnt_s2only_2026_validation.csv",
    log:
        f"logs/{BASE}/xenonnt_s2only_2026/validation.log",
    benchmark:
        f"benchmarks/{BASE}/xenonnt_s2only_2026/validation.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=lambda wildcards: xenonnt_s2only_2026_params(True),
    script:
        "../scripts/xenonnt_s2only_2026_validation.py"
