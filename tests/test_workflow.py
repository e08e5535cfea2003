"""End-to-end: from a fresh copy, the workflow writes the event-count table of DESIGN sec. 5."""

import pandas as pd
import pytest

from conftest import run_snakemake


@pytest.mark.workflow
def test_event_counts_from_fresh_copy_then_nothing_to_do(workflow_copy):
    target = "results/tables/event_counts.csv"
    first = run_snakemake(workflow_copy, target, "--cores", "2", "--configfile", "config/test.yaml")
    assert first.returncode == 0, first.stderr[-3000:]
    table = pd.read_csv(workflow_copy / target)
    assert list(table.columns) == ["source", "detector", "efficiency", "threshold_keV", "events"]
    assert set(table.source) == {"sn_cc", "sn_failed", "solar", "atmospheric"}
    assert set(table.detector) == {"resnova3", "resnova1", "darwin", "xenonnt", "xenon1t"}
    assert set(table[table.detector.str.startswith("resnova")].efficiency) == {"ideal"}
    assert len(table) == 4 * (2 + 3 * 2)
    assert (table.events > 0).all()
    # detector size scaling: DARWIN (40 t) sees ten times XENONnT (4 t)
    counts = table.set_index(["source", "detector", "efficiency"]).events
    assert counts["solar", "darwin", "ideal"] == pytest.approx(10 * counts["solar", "xenonnt", "ideal"], rel=1e-5)
    again = run_snakemake(workflow_copy, target, "-n", "--cores", "2", "--configfile", "config/test.yaml")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr
