"""Analyses of the configuration: efficiency variants and the families one chi2 job computes."""

from helpers import load_config

from astrocevns.inference.analyses import expand_analyses, families

CONFIG = load_config()


def default_analyses():
    return expand_analyses(CONFIG["analyses"], CONFIG["detectors"], CONFIG["statistics"]["normalisation_uncertainty"])


def test_every_analysis_is_in_the_family_of_its_configured_name():
    analyses = default_analyses()
    grouped = families(analyses)
    assert list(grouped) == list(CONFIG["analyses"])  # one family per configured analysis, in config order
    assert sorted(a.name for family in grouped.values() for a in family) == sorted(analyses)
    for name, family in grouped.items():
        assert family[0].name == name  # the analysis itself first, its variants after
        assert all(variant.name.startswith(f"{name}-") for variant in family[1:])


def test_variant_swaps_the_efficiency_of_the_xenon_detector_only():
    family = families(default_analyses())["sn_cc/combined"]
    assert [a.name for a in family] == ["sn_cc/combined", "sn_cc/combined-xenon1t_nr"]
    assert family[0].members == (("resnova3", "ideal"), ("darwin", "ideal"))
    assert family[1].members == (("resnova3", "ideal"), ("darwin", "xenon1t_nr"))
    assert family[0].sigma_by_source == family[1].sigma_by_source and family[0].sources == family[1].sources


def test_lead_only_and_pinned_analyses_have_no_variant():
    grouped = families(default_analyses())
    assert [a.name for a in grouped["solar/resnova3"]] == ["solar/resnova3"]
    assert [a.name for a in grouped["xenon1t/xenon1t"]] == ["xenon1t/xenon1t"]
    assert [a.name for a in grouped["xenon1t-s1s2/xenon1t"]] == ["xenon1t-s1s2/xenon1t"]
    # 25 projected analyses, of which the 17 with a xenon detector have a variant, and 4 existing bounds
    # (COHERENT CsI and Ar, XENON1T by the S2 channel and by S1+S2)
    assert len(grouped) == 29 and sum(len(f) for f in grouped.values()) == 46
