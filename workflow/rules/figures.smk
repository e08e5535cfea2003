# The paper's figures, one rule and one script each: results/figures/fig{N}.pdf and .png.
# `snakemake fig5` builds one figure; captions for `snakemake --report` are in workflow/report/.


rule rates:
    input:
        "results/fluxes/{source}.parquet",
    output:
        "results/rates/{source}.parquet",
    params:
        spec=rates_params,
    log:
        "logs/rates/{source}.log",
    benchmark:
        "benchmarks/rates/{source}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    wildcard_constraints:
        source="|".join(SOURCES),
    script:
        "../scripts/rates.py"


def chi2_inputs(*analyses):
    """The chi2 tables that hold ``analyses``: one per family (an efficiency variant is in its analysis's table)."""
    tables = dict.fromkeys(ANALYSES[analysis].family for analysis in analyses)
    return [f"results/chi2/{model}/{family}.parquet" for model in MODELS for family in tables]


def sn_analyses(*detector_sets):
    return [f"{model}/{d}" for model in ("sn_cc", "sn_failed") for d in detector_sets]


def existing_bounds(*analyses):
    """The chi2 inputs of those existing-bound analyses that the config defines."""
    return chi2_inputs(*[analysis for analysis in analyses if analysis in ANALYSES])


COHERENT = ("coherent_csi/coherent_csi", "coherent_ar/coherent_ar")
SUMMARY = chi2_inputs("sn_marginalised/combined", "solar/combined", "atmospheric/combined") + existing_bounds(*COHERENT)

FIGURE_INPUTS = {
    1: [f"results/core/{mediator}.parquet" for mediator in MEDIATORS],
    2: ["results/rates/sn_cc.parquet", "results/rates/sn_failed.parquet"],
    3: ["results/rates/solar.parquet"],
    4: ["results/rates/atmospheric.parquet"],
    5: chi2_inputs(*sn_analyses("combined", "darwin", "resnova3", "combined-xenon1t_nr")),
    6: chi2_inputs(*[f"sn_marginalised/{d}" for d in ("resnova1", "xenonnt", "resnova3", "darwin")]),
    7: chi2_inputs(*[f"{s}/{d}" for s in ("solar", "atmospheric") for d in ("combined", "darwin", "resnova3", "combined-xenon1t_nr")])
    + existing_bounds("xenon1t/xenon1t"),
    8: SUMMARY,
    9: SUMMARY + external_limit_files(9),
    10: SUMMARY + external_limit_files(10),
    11: chi2_inputs("sn_marginalised/combined", "sn_marginalised-sigma10/combined", "sn_cc/combined", "sn_cc-sigma10/combined"),
    12: [f"results/rates/{config['figures']['regime_source']}.parquet"],
}
FIGURES = sorted(FIGURE_INPUTS)


rule figure:
    input:
        lambda wildcards: FIGURE_INPUTS[int(wildcards.number)],
    output:
        pdf=report("results/figures/fig{number}.pdf", caption="../report/figure.rst", category="Figures"),
        png="results/figures/fig{number}.png",
    params:
        figure=lambda wildcards: figure_params(int(wildcards.number)),
    log:
        "logs/figures/fig{number}.log",
    benchmark:
        "benchmarks/figures/fig{number}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    wildcard_constraints:
        number="|".join(str(n) for n in FIGURES),
    script:
        "../scripts/fig{wildcards.number}.py"


# named targets: `snakemake fig5`
for number in FIGURES:

    rule:
        name:
            f"fig{number}"
        input:
            f"results/figures/fig{number}.pdf",
            f"results/figures/fig{number}.png",
