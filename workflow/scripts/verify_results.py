"""Rule verify_results: every table and figure under results/ checked, the bad ones listed (exit status 1)."""

import sys

from astrocevns.pipeline import logs, verify

log = logs.to_file(snakemake.log[0])
checked, problems = verify.verify_results(snakemake.params.directory, snakemake.params.expected)
if problems:
    log.error("%s", verify.report(checked, problems))
    sys.exit(1)
log.info("%s", verify.report(checked, problems))
