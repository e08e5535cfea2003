# The report's tables: each results/tables/*.csv also as an HTML table (category Tables), so that the report
# shows it; the CSV stays the download (category Table downloads, with the table's full caption).

REPORT_TABLES = [
    "event_counts",
    "bounds",
    "intervals",
    *(["expected_bands"] if EXPECTED_PAIRS else []),
    *(["coverage"] if TOY_POINTS or DATA_TOY_POINTS else []),
    "core_bounds",
    "claims",
    *(["deviations"] if LEDGER else []),
    *[f"scans/{scan}" for scan in SCANS],
]


rule table_html:
    input:
        "results/tables/{table}.csv",
    output:
        report(
            "results/tables/{table}.html",
            caption="../report/table_html.rst",
            category="Tables",
        ),
    log:
        "logs/tables/{table}_html.log",
    benchmark:
        "benchmarks/tables/{table}_html.tsv"
    wildcard_constraints:
        table="|".join(re.escape(name) for name in REPORT_TABLES),
    conda:
        "../../envs/astrocevns.yaml"
    script:
        "../scripts/table_html.py"
