# Separable recoil kernels and binned spectra per (source, detector, efficiency), and the Standard-Model
# event counts. One job per (source, detector, efficiency) computes the kernel, then the spectra of
# every model from it: each step takes milliseconds, so a job of its own would be mostly start-up.


rule spectra:
    input:
        flux="results/fluxes/{source}.parquet",
        efficiency=efficiency_files,
    output:
        kernel="results/kernels/{source}/{detector}/{efficiency}.parquet",
        spectra=expand("results/spectra/{model}/{{source}}/{{detector}}/{{efficiency}}.parquet", model=SPECTRA_MODELS),
    params:
        spec=kernel_params,
        masses=lambda wildcards: plain({"grid": config["grid"]["m_MeV"], "report": config["report_masses_MeV"]}),
        models=lambda wildcards: plain([[model, config["models"][model]] for model in SPECTRA_MODELS]),  # output order
    log:
        "logs/spectra/{source}/{detector}/{efficiency}.log",
    benchmark:
        "benchmarks/spectra/{source}/{detector}/{efficiency}.tsv"
    wildcard_constraints:
        source="|".join(SOURCES),
        detector="|".join(DETECTORS),
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/spectra.py"


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
