# Separable recoil kernels and binned spectra per (source, detector, efficiency), and the Standard-Model
# event counts. One job per (source, detector) computes the kernel of each efficiency of the detector, then
# the spectra of every model from it: each step takes milliseconds, so a job of its own would be mostly
# start-up. A rule's outputs cannot depend on its wildcards, so the detectors with the same efficiencies
# share one rule: 'spectra' for the ideal efficiency alone, 'spectra_<efficiencies>' for others.

for efficiencies, detectors_with in DETECTORS_BY_EFFICIENCIES.items():

    rule:
        name:
            "spectra" if efficiencies == ("ideal",) else "spectra_" + "_".join(efficiencies)
        input:
            flux=source_flux,
            efficiency=efficiency_files,
        output:
            kernels=expand("{{root}}/kernels/{{source}}/{{detector}}/{efficiency}.parquet", efficiency=efficiencies),
            spectra=expand(
                "{{root}}/spectra/{model}/{{source}}/{{detector}}/{efficiency}.parquet",
                efficiency=efficiencies,
                model=SPECTRA_MODELS,
            ),
        log:
            "logs/{root}/spectra/{source}/{detector}.log",
        benchmark:
            "benchmarks/{root}/spectra/{source}/{detector}.tsv"
        wildcard_constraints:
            detector="|".join(re.escape(detector) for detector in sorted(detectors_with, key=len, reverse=True)),
        conda:
            "../../envs/astrocevns.yaml"
        params:
            spec=kernel_params,
            masses=mass_params,
            efficiencies=efficiencies_params,  # in the order of the outputs
            models=spectra_models_params,  # in the order of the outputs within an efficiency
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
