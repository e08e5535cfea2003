# `snakemake verify_results`: checks every table and figure under results/ against the checksums in its
# metadata (Parquet) or for truncation (CSV, PNG, PDF), and that every final output exists; fails with the
# list of bad files and how to regenerate them (also in logs/verify_results.log). Nothing is rebuilt.


rule verify_results:
    log:
        "logs/verify_results.log",
    localrule: True
    conda:
        "../../envs/astrocevns.yaml"
    params:
        directory="results",
        expected=lambda wildcards: sorted(str(path) for path in rules.all.input),
    script:
        "../scripts/verify_results.py"
