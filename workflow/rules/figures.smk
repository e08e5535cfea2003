# The paper's figures: results/figures/fig{N}.pdf, .png and the data they draw, .csv. Each figure's
# layers are described once in config/figures.yaml; `snakemake fig5` builds one figure.


rule rates:
    input:
        source_flux,
    output:
        "{root}/rates/{source}.parquet",
    log:
        "logs/{root}/rates/{source}.log",
    benchmark:
        "benchmarks/{root}/rates/{source}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=rates_params,
    script:
        "../scripts/rates.py"


rule figure:
    input:
        unpack(figure_inputs),
    output:
        pdf=report(
            "{root}/figures/fig{number}.pdf",
            caption="../report/figure.rst",
            category="Figures (PDF)",
            labels=figure_labels,
        ),
        png=report(
            "{root}/figures/fig{number}.png",
            caption="../report/figure.rst",
            category="Figures",
            labels=figure_labels,
        ),
        data=report(
            "{root}/figures/fig{number}.csv",
            caption="../report/figure_data.rst",
            category="Figure data",
            labels=figure_labels,
        ),
    log:
        "logs/{root}/figures/fig{number}.log",
    benchmark:
        "benchmarks/{root}/figures/fig{number}.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=figure_memory_mb,
    params:
        figure=figure_params,
    script:
        "../scripts/figure.py"


# named targets: `snakemake fig5`
for number in FIGURE_NUMBERS:

    rule:
        name:
            f"fig{number}"
        input:
            multiext(f"results/figures/fig{number}", ".pdf", ".png", ".csv"),
