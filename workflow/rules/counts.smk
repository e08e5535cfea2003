# Separable recoil kernels per (source, detector, efficiency) and the Standard-Model event counts.


rule kernel:
    input:
        flux="results/fluxes/{source}.parquet",
        efficiency=efficiency_files,
    output:
        "results/kernels/{source}/{detector}/{efficiency}.parquet",
    params:
        spec=kernel_params,
    log:
        "logs/kernel/{source}/{detector}/{efficiency}.log",
    benchmark:
        "benchmarks/kernel/{source}/{detector}/{efficiency}.tsv"
    wildcard_constraints:
        source="|".join(SOURCES),
        detector="|".join(DETECTORS),
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/kernel.py"


rule event_counts:
    input:
        [
            f"results/kernels/{source}/{detector}/{efficiency}.parquet"
            for source in SOURCES
            if config["sources"][source]["kind"] not in BEAM_KINDS  # the paper's sources (DESIGN sec. 5)
            for detector, efficiency in detector_efficiency_pairs()
            if sees(config["sources"], source, detector)
        ],
    output:
        report(
            "results/tables/event_counts.csv",
            caption="../report/event_counts.rst",
            category="Tables",
        ),
    log:
        "logs/event_counts.log",
    benchmark:
        "benchmarks/event_counts.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/event_counts.py"
