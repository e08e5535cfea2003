"""The paper-literal overlay (config/paper_literal.yaml) against the configuration and its documentation page."""

import yaml
from helpers import ROOT, load_config

from astrocevns.pipeline import variants

PAPER = yaml.safe_load((ROOT / "config" / "paper_literal.yaml").read_text())


def deviations_section():
    page = (ROOT / "docs" / "deviations.md").read_text()
    return page.split("## The keys of the overlay", 1)[1].split("\n## ", 1)[0]


def test_every_key_is_a_key_of_the_configuration():
    config = load_config()
    for key in variants.leaf_keys(PAPER):
        variants.get_key(config, key)  # KeyError names a key the configuration does not have


def test_deviations_page_lists_every_key_of_the_overlay():
    section = deviations_section()
    missing = [key for key in variants.leaf_keys(PAPER) if f"`{key}`" not in section]
    assert not missing, f"docs/deviations.md 'The keys of the overlay' lacks {missing}"


def test_ledger_makes_a_variant_of_every_key_that_departs_from_the_default():
    config = load_config()
    ledger = variants.ledger_variants(PAPER, config)
    departing = [k for k in variants.leaf_keys(PAPER) if variants.get_key(PAPER, k) != variants.get_key(config, k)]
    assert set(ledger) == {f"paper-{key}" for key in departing} | {"paper-all"}
    assert variants.merged(config, ledger["paper-all"])["statistics"]["pull_prior"] == "per_detector"
