# The XENONnT 2024 light-dark-matter data (arXiv:2409.17868) recast for light mediators
# (astrocevns.xenonnt2024): per mediator, the profile-likelihood ratio on the (g, m) grid, its contours and
# the bounds at the report masses; on demand, the validation table (`snakemake xenonnt_2024_validation`).
# Without a `xenonnt_2024` section in the config the analysis is left out.

from pathlib import Path

from astrocevns.io import InputError
from astrocevns.xenonnt2024.release import FILES as XENONNT_2024_FILES
from astrocevns.xenonnt2024.release import verify_checksums

XENONNT_2024 = config.get("xenonnt_2024")
XENONNT_2024_BOUNDS = (
    [f"results/bounds/{mediator}/xenonnt_2024.parquet" for mediator in MEDIATORS] if XENONNT_2024 else []
)

if XENONNT_2024:
    if XENONNT_2024["source"] not in config["sources"] or config["sources"][XENONNT_2024["source"]]["kind"] != "steady":
        raise WorkflowError(f"config key xenonnt_2024.source: {XENONNT_2024['source']!r} is not a steady source of "
                            "the config (the solar neutrinos whose CEvNS XENONnT sees)")
    try:  # a missing, modified or corrupted file of the release stops the run here, naming the file
        verify_checksums(Path(workflow.basedir) / XENONNT_2024["data"])
    except InputError as error:
        raise WorkflowError(f"config key xenonnt_2024.data: {error}") from None


def xenonnt_2024_inputs(wildcards):
    """The solar fluence and the files of the release subset."""
    return {"flux": f"results/fluxes/{XENONNT_2024['source']}.parquet",
            "release": [f"{XENONNT_2024['data']}/{name}" for name in (*XENONNT_2024_FILES, "checksums.txt")]}


def xenonnt_2024_params(validation):
    """Only what the recast (``validation`` False) or its validation table depends on."""
    source = XENONNT_2024["source"]
    settings = {k: v for k, v in XENONNT_2024.items() if validation or k != "validation"}
    common = {"xenonnt_2024": settings, "xenon": config["targets"]["Xe"], "form_factor": config["form_factor"],
              "exposure_yr": config["sources"][source]["exposure_yr"], "statistics": {"cl": config["statistics"]["cl"]}}
    if validation:
        return plain(common)
    return plain({**common, "grid_g": config["grid"]["g"], "bounds": config["bounds"],
                  "masses": {"grid": config["grid"]["m_MeV"], "report": config["report_masses_MeV"]},
                  "statistics": {k: config["statistics"][k] for k in ("cl", "dof")}})


rule xenonnt_2024:
    input:
        unpack(xenonnt_2024_inputs),
    output:
        chi2="results/chi2/{mediator}/xenonnt_2024.parquet",
        contours="results/contours/{mediator}/xenonnt_2024.parquet",
        bounds="results/bounds/{mediator}/xenonnt_2024.parquet",
    params:
        spec=lambda wildcards: xenonnt_2024_params(validation=False),
    log:
        "logs/xenonnt_2024/{mediator}.log",
    benchmark:
        "benchmarks/xenonnt_2024/{mediator}.tsv"
    wildcard_constraints:
        mediator="|".join(MEDIATORS),
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/xenonnt_2024.py"


rule xenonnt_2024_validation:
    input:
        unpack(xenonnt_2024_inputs),
    output:
        "results/tables/xenonnt_2024_validation.csv",
    params:
        spec=lambda wildcards: xenonnt_2024_params(validation=True),
    log:
        "logs/xenonnt_2024/validation.log",
    benchmark:
        "benchmarks/xenonnt_2024/validation.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/xenonnt_2024_validation.py"
