# Supernova-core trapping (diffusion time) and cooling (LNC scalar scatterings), paper sec. IV A.


rule core:
    input:
        config["core"]["profile"],
    output:
        grid="results/core/{mediator}.parquet",
        bounds="results/core/bounds/{mediator}.parquet",
    params:
        spec=lambda wildcards: plain(
            {"core": config["core"], "grid": config["grid"], "report_masses_MeV": config["report_masses_MeV"],
             "bounds": config["bounds"]}
        ),
    log:
        "logs/core/{mediator}.log",
    benchmark:
        "benchmarks/core/{mediator}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/core.py"


rule core_bounds_table:
    input:
        [f"results/core/bounds/{mediator}.parquet" for mediator in MEDIATORS],
    output:
        report("results/tables/core_bounds.csv", caption="../report/core_bounds.rst", category="Tables"),
    log:
        "logs/core_bounds_table.log",
    benchmark:
        "benchmarks/core_bounds_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/core_bounds_table.py"
