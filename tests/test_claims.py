"""The claims table's definitions (config/claims.yaml): quotes, sections, coverage."""

from pathlib import Path

import pytest
import yaml
from helpers import ROOT
from paper_text import HEADINGS, find_original, normalised, sections_of

from astrocevns.presentation import claims

CLAIMS = claims.load_claims(ROOT / "config" / "claims.yaml")
SENTENCES = yaml.safe_load((ROOT / "tests" / "data" / "paper_sentences.yaml").read_text())
PAPER = ROOT.parent / "shared" / "paper" / "suliga_tamborra_2010.14545.txt"
SECTIONS = {"abstract", *(label for label, _ in HEADINGS)}


def test_every_quoted_row_is_a_sentence_of_its_section():
    for claim in CLAIMS:
        assert claim.section in SECTIONS, claim.key
        if claim.quoted:
            kept = [normalised(sentence) for sentence in SENTENCES.get(claim.section, [])]
            assert normalised(claim.words) in kept, f"{claim.key}: not a sentence of {claim.section}"


def test_the_table_covers_the_paper():
    assert len(CLAIMS) >= 40
    sections = {claim.section for claim in CLAIMS}
    assert {"abstract", "sec. VII B", "sec. VIII B", "sec. VIII C", "sec. IX", "app. A", "app. B"} <= sections
    coherent = [c for c in CLAIMS if "COHERENT" in c.words and c.measure == "improvement"]
    assert {c.section for c in coherent} == {"sec. VIII B", "sec. VIII C", "sec. IX"}
    assert all(c.reason for c in CLAIMS if c.measure == "not_measurable")


def test_a_claims_file_names_a_bad_entry(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("- {key: k, section: sec. I, quoted: false, words: w, measure: median, holds: [0, 1]}\n")
    with pytest.raises(ValueError, match="claim 'k': unknown measure 'median'"):
        claims.load_claims(path)
    path.write_text("- {key: k, section: sec. I, quoted: false, words: w, measure: not_measurable}\n")
    with pytest.raises(ValueError, match="claim 'k'.*reason"):
        claims.load_claims(path)


@pytest.mark.skipif(not PAPER.is_file(), reason="the paper's text is not beside the checkout")
def test_the_kept_sentences_are_the_papers():
    sections = sections_of(Path(PAPER).read_text())
    for section, sentences in SENTENCES.items():
        for sentence in sentences:
            assert find_original(sections[section], sentence) is not None, f"{section}: {sentence[:60]}"
