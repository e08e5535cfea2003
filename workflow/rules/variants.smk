# Configurations compared: one table and one figure per scan, and the deviation ledger (every key of the
# paper-literal overlay alone, and all of them, against the default).


rule scan_table:
    input:
        values=scan_bounds_tables,
        base=f"{BASE}/tables/bounds.csv",
    output:
        report(
            "results/tables/scans/{scan}.csv",
            caption="../report/scan_table.rst",
            category="Table downloads",
        ),
    log:
        "logs/scans/{scan}_table.log",
    benchmark:
        "benchmarks/scans/{scan}_table.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        scan=scan_params,
    script:
        "../scripts/scan_table.py"


rule scan_figure:
    input:
        "results/tables/scans/{scan}.csv",
    output:
        pdf="results/figures/scans/{scan}.pdf",
        png=report(
            "results/figures/scans/{scan}.png",
            caption="../report/scan_figure.rst",
            category="Scans",
        ),
    log:
        "logs/scans/{scan}_figure.log",
    benchmark:
        "benchmarks/scans/{scan}_figure.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        scan=scan_params,
    script:
        "../scripts/scan_figure.py"


rule deviations:
    input:
        variants=ledger_tables,
        base=[f"{BASE}/tables/bounds.csv", f"{BASE}/tables/core_bounds.csv"],
    output:
        report(
            "results/tables/deviations.csv",
            caption="../report/deviations.rst",
            category="Table downloads",
        ),
    log:
        "logs/deviations.log",
    benchmark:
        "benchmarks/deviations.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        ledger=ledger_params,
        methods=config["deviation_ledger"].get("methods", {}),
    script:
        "../scripts/deviations.py"


rule claims:
    input:
        bounds=f"{BASE}/tables/bounds.csv",
        core_bounds=f"{BASE}/tables/core_bounds.csv",
        scans=[f"{BASE}/tables/scans/{scan}.csv" for scan in SCANS],
        rates=[f"{BASE}/rates/{source}.parquet" for source in ("sn_cc", "sn_failed", "solar", "atmospheric")],
        claims="config/claims.yaml",
    output:
        report(
            "results/tables/claims.csv",
            caption="../report/claims.rst",
            category="Table downloads",
        ),
    log:
        "logs/claims.log",
    benchmark:
        "benchmarks/claims.tsv"
    conda:
        "../../envs/astrocevns.yaml"
    params:
        scans=list(SCANS),
        config=claims_config,
    script:
        "../scripts/claims.py"
