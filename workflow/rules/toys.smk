# Pseudo-experiments (astrocevns.inference.toys; config key toys): expected bands of the projections' bounds, and Neyman
# thresholds at chosen (g, m) points, of the projections' chi-square and of the data analyses' own models. One job per (analysis, model, chunk) or (point, chunk), a chunk being a run
# of blocks of toys each seeded by its identity (any chunk reruns bit-identically, and the merged table does not
# depend on how the toys are split); a merge job per table. On a cluster, raise toys.*.chunks (and
# toys_per_chunk) to spread 1e4-1e5 toys a point over many jobs. Checks: astrocevns.pipeline.validation.check_toys; input
# functions: common.smk.


rule expected_toys:
    input:
        spectra=lambda wildcards: toy_spectra(wildcards.family, wildcards.model),
    output:
        f"{BASE}/toys/expected/{{model}}/{{family}}/{{chunk}}.parquet",
    log:
        f"logs/{BASE}/toys/expected/{{model}}/{{family}}/{{chunk}}.log",
    benchmark:
        f"benchmarks/{BASE}/toys/expected/{{model}}/{{family}}/{{chunk}}.tsv"
    wildcard_constraints:
        chunk=r"\d+",
    conda:
        "../../envs/astrocevns.yaml"
    params:
        spec=lambda wildcards: toy_params(wildcards.family, wildcards.model, "expected"),
    script:
        "../scripts/expected_toys.py"


rule expected_bands:
    input:
        [
            f"{BASE}/toys/expected/{model}/{analysis}/{chunk}.parquet"
            for analysis, model in EXPECTED_PAIRS
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


rule data_coverage_toys:
    input:
        unpack(data_toy_inputs),
    output:
        f"{BASE}/toys/data_coverage/{{point}}/{{chunk}}.parquet",
    log:
        f"logs/{BASE}/toys/data_coverage/{{point}}/{{chunk}}.log",
    benchmark:
        f"benchmarks/{BASE}/toys/data_coverage/{{point}}/{{chunk}}.tsv"
    wildcard_constraints:
        point="|".join(DATA_TOY_POINTS) or "no-points",
        chunk=r"\d+",
    conda:
        "../../envs/astrocevns.yaml"
    resources:
        mem_mb=data_toy_memory_mb,
    params:
        spec=data_toy_params,
    script:
        "../scripts/data_coverage_toys.py"


rule coverage_table:
    input:
        [
            f"{BASE}/toys/coverage/{point}/{chunk}.parquet"
            for point in TOY_POINTS
            for chunk in range(TOYS["coverage"]["chunks"])
        ]
        + [
            f"{BASE}/toys/data_coverage/{point}/{chunk}.parquet"
            for point in DATA_TOY_POINTS
            for chunk in range(DATA_TOYS["chunks"])
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
