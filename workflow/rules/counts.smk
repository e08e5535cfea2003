# Separable recoil kernels and binned spectra per (source, detector, efficiency), and the Standard-Model
# event counts. One job per (source, detector, efficiency) computes the kernel, then the spectra of
# every model from it: each step takes milliseconds, so a job of its own would be mostly start-up.


rule spectra:
    input:
        flux=source_flux,
        efficiency=efficiency_files,
    output:
        kernel="{root}/kernels/{source}/{detector}/{efficiency}.parquet",
        spectra=expand(
            "{{root}}/spectra/{model}/{{source}}/{{detector}}/{{efficiency}}.parquet",
            model=SPECTRA_MODELS,
        ),
    log:
        "logs/{root}/spectra/{source}/{detector}/{efficiency}.log",
    benchmark:
        "benchmarks/{root}/spectra/{source}/{detector}/{efficiency}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=kernel_params,
        masses=mass_params,
        models=spectra_models_params,  # in the order of the outputs
    script:
        "../scripts/spectra.py"


rule event_counts:
    input:
        event_count_kernels,
    output:
        report(
            "{root}/tables/event_counts.csv",
            caption="../report/event_counts.rst",
            category="Table downloads",
        ),
    log:
        "logs/{root}/event_counts.log",
    benchmark:
        "benchmarks/{root}/event_counts.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/event_counts.py"
