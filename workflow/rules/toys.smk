# Pseudo-experiments (astrocevns.toys; config key toys): expected bands of the projections' bounds, and Neyman
# thresholds at chosen (g, m) points. One job per (analysis, model, chunk) or (point, chunk), each seeded by its
# own identity so that any chunk reruns bit-identically; a merge job per table. On a cluster, raise
# toys.*.chunks (and toys_per_chunk) to spread 1e4-1e5 toys a point over many jobs.

TOYS = config["toys"]
TOY_POINTS = {point["name"]: point for point in TOYS["coverage"]["points"]}


def check_toys():
    """Each analysis of the toys is a one-source Asimov Poisson family of the base, its models computed for it, and a
    coverage point lies at a report mass (where the spectra are tabulated)."""
    wanted = [("expected", a, m) for a in TOYS["expected"]["analyses"] for m in TOYS["expected"]["models"]]
    wanted += [(f"coverage.points.{p['name']}", p["analysis"], p["model"]) for p in TOYS["coverage"]["points"]]
    for where, analysis, model in wanted:
        family = BASE_SETUP.families.get(analysis)
        if family is None:
            parse_error(f"config key toys.{where}: {analysis!r} is not an analysis of the config")
        if family[0].statistic["kind"] != "asimov_poisson" or len(family[0].sources) != 1:
            parse_error(f"config key toys.{where}: {analysis!r} is not an Asimov Poisson analysis of one source")
        if model not in BASE_SETUP.models + BASE_SETUP.extra_models[analysis]:
            parse_error(f"config key toys.{where}: model {model!r} is not computed for {analysis!r}")
    for point in TOYS["coverage"]["points"]:
        if point["m_MeV"] not in config["report_masses_MeV"]:
            parse_error(
                f"config key toys.coverage.points.{point['name']}.m_MeV: {point['m_MeV']} is not among "
                "report_masses_MeV"
            )
    for kind in ("expected", "coverage"):
        if TOYS[kind]["toys_per_chunk"] % TOYS["block"]:
            parse_error(
                f"config key toys.{kind}.toys_per_chunk: {TOYS[kind]['toys_per_chunk']} is not a multiple of "
                f"toys.block ({TOYS['block']})"
            )
    if len(TOY_POINTS) != len(TOYS["coverage"]["points"]):
        parse_error("config key toys.coverage.points: two points share a name")


check_toys()


def toy_spectra(analysis, model):
    return [spectra_path(BASE_SETUP, key) for key in family_spectra_keys(BASE_SETUP, analysis, [model])]


def toy_params(analysis, model, kind):
    return {
        "family": family_spec("", analysis, [model]),
        "toys": plain({k: v for k, v in TOYS.items() if k in ("seed", "block", "g_points")} | {"run": TOYS[kind]}),
        "report_masses_MeV": config["report_masses_MeV"],
        "grid_m": config["grid"]["m_MeV"],
    }


rule expected_toys:
    input:
        spectra=lambda wildcards: toy_spectra(wildcards.analysis, wildcards.model),
    output:
        f"{BASE}/toys/expected/{{model}}/{{analysis}}/{{chunk}}.parquet",
    log:
        f"logs/{BASE}/toys/expected/{{model}}/{{analysis}}/{{chunk}}.log",
    benchmark:
        f"benchmarks/{BASE}/toys/expected/{{model}}/{{analysis}}/{{chunk}}.tsv"
    wildcard_constraints:
        chunk=r"\d+",
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=lambda wildcards: toy_params(wildcards.analysis, wildcards.model, "expected"),
    script:
        "../scripts/expected_toys.py"


rule expected_bands:
    input:
        [
            f"{BASE}/toys/expected/{model}/{analysis}/{chunk}.parquet"
            for analysis in TOYS["expected"]["analyses"]
            for model in TOYS["expected"]["models"]
            for chunk in range(TOYS["expected"]["chunks"])
        ],
    output:
        report(f"{BASE}/tables/expected_bands.csv", caption="../report/expected_bands.rst", category="Tables"),
    log:
        f"logs/{BASE}/expected_bands.log",
    benchmark:
        f"benchmarks/{BASE}/expected_bands.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/expected_bands.py"


rule coverage_toys:
    input:
        spectra=lambda wildcards: toy_spectra(
            TOY_POINTS[wildcards.point]["analysis"], TOY_POINTS[wildcards.point]["model"]
        ),
    output:
        f"{BASE}/toys/coverage/{{point}}/{{chunk}}.parquet",
    log:
        f"logs/{BASE}/toys/coverage/{{point}}/{{chunk}}.log",
    benchmark:
        f"benchmarks/{BASE}/toys/coverage/{{point}}/{{chunk}}.tsv"
    wildcard_constraints:
        point="|".join(TOY_POINTS) or "no-points",
        chunk=r"\d+",
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=lambda wildcards: {
            **toy_params(TOY_POINTS[wildcards.point]["analysis"], TOY_POINTS[wildcards.point]["model"], "coverage"),
            "point": plain(TOY_POINTS[wildcards.point]),
            "statistics": {k: config["statistics"][k] for k in ("cl", "dof")},
        },
    script:
        "../scripts/coverage_toys.py"


rule coverage_table:
    input:
        [
            f"{BASE}/toys/coverage/{point}/{chunk}.parquet"
            for point in TOY_POINTS
            for chunk in range(TOYS["coverage"]["chunks"])
        ],
    output:
        report(f"{BASE}/tables/coverage.csv", caption="../report/coverage.rst", category="Tables"),
    log:
        f"logs/{BASE}/coverage_table.log",
    benchmark:
        f"benchmarks/{BASE}/coverage_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        cl=config["statistics"]["cl"],
    script:
        "../scripts/coverage_table.py"
