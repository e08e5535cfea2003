# Neutrino fluences per source (paper eqs. 15-17 for supernovae; solar and atmospheric tables).


rule flux:
    input:
        source_files,
    output:
        "results/fluxes/{source}.parquet",
    params:
        source=lambda wildcards: plain(config["sources"][wildcards.source]),
        oscillations=lambda wildcards: plain(config["oscillations"]) if uses_solar_msw(wildcards.source) else None,
    log:
        "logs/flux/{source}.log",
    benchmark:
        "benchmarks/flux/{source}.tsv"
    wildcard_constraints:
        source="|".join(SOURCES),
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/flux.py"
