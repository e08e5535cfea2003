# Neutrino fluences per source (paper eqs. 15-17 for supernovae; solar and atmospheric tables).


rule flux:
    input:
        source_files,
    output:
        "{root}/fluxes/{source}.parquet",
    log:
        "logs/{root}/flux/{source}.log",
    benchmark:
        "benchmarks/{root}/flux/{source}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        source=source_params,
        oscillations=oscillation_params,
    script:
        "../scripts/flux.py"
