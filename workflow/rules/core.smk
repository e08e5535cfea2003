# Supernova-core trapping (diffusion time) and cooling (LNC scalar scatterings), paper sec. IV A.


rule core:
    input:
        core_profile,
    output:
        grid="{root}/core/{mediator}.parquet",
        bounds="{root}/core/bounds/{mediator}.parquet",
    log:
        "logs/{root}/core/{mediator}.log",
    benchmark:
        "benchmarks/{root}/core/{mediator}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=core_memory_mb,
    params:
        spec=core_params,
    script:
        "../scripts/core.py"


rule core_bounds_table:
    input:
        core_bounds_tables,
    output:
        report(
            "{root}/tables/core_bounds.csv",
            caption="../report/core_bounds.rst",
            category="Table downloads",
        ),
    log:
        "logs/{root}/core_bounds_table.log",
    benchmark:
        "benchmarks/{root}/core_bounds_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/core_bounds_table.py"
