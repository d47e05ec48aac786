"""The dictionary coder: evidence, output format, processes, parameters, HTML."""

import numpy as np
import pandas as pd
import pytest

from coopresearch import load_study
from coopresearch.codebook import parse_codebook
from coopresearch.coding import CODE_COLUMNS, DictionaryCoder, agreement, dictionary, machine_codes
from coopresearch.coding.dictionary import match_probabilities
from coopresearch.errors import CoopResearchError
from coopresearch.labels import evidence_html
from coopresearch.reliability import consensus_codes

from .common import BOOK, MINI, quotes

# --- evidence -----------------------------------------------------------------------------

def test_evidence_spans_point_at_the_matched_characters():
    text = "Zij houden ons niet op de hoogte, en de regie is onduidelijk."
    evidence = DictionaryCoder(BOOK).evidence(quotes(text))
    assert (evidence.apply(lambda e: text[e.start:e.end], axis=1) == evidence["matched"]).all()
    spans = dict(zip(evidence["matched"], zip(evidence["start"], evidence["end"], strict=True), strict=True))
    assert spans["op de hoogte"] == (20, 32) and spans["regie"] == (40, 45)


def test_code_output_format_and_evidence_text():
    codes = DictionaryCoder(BOOK).code(quotes("Afspraak is afspraak, en de afspraken worden nagekomen."))
    assert codes.columns.tolist() == CODE_COLUMNS
    row = codes.iloc[0]
    assert (row.theme, row.coder, row.valence) == ("reliability", "dictionary", "positive")
    # three matches: the share of labelled quotes with three reliability matches that had the theme
    assert row.score == round(match_probabilities(BOOK, "nl")[("reliability", 3)], 4) and 0.5 < row.score < 1
    assert row.evidence.startswith("Afspraak is afspraak (regel 'afspraak is afspraak' van Betrouwbaarheid)")
    assert row.evidence.count(" | ") == 2  # the single words inside the phrase are not counted again


def test_empty_missing_and_very_long_quotes():
    long = ("Het overleg was lang. " * 5000) + "Niemand weet wie de regie heeft."
    table = pd.DataFrame({"quote_id": ["e", "n", "l"], "text": ["", np.nan, long]})
    codes = DictionaryCoder(BOOK).code(table)
    assert codes["quote_id"].tolist() == ["l"] and codes["theme"].tolist() == ["ownership"]
    assert int(DictionaryCoder(BOOK).evidence(table)["start"].iloc[0]) == long.index("wie de regie") + 7


def test_non_ascii_text_and_curly_quotes():
    text = "De “sociale paragraaf” is vaag; Domesta’s contactpersoon is geïnformeerd — € 80 miljoen."
    evidence = DictionaryCoder(BOOK).evidence(quotes(text))
    assert (evidence.apply(lambda e: text[e.start:e.end], axis=1) == evidence["matched"]).all()
    assert {"transparency", "ownership"} <= set(evidence["theme"])


def test_output_is_sorted_and_deterministic():
    mini = load_study(MINI).quotes.sample(frac=1, random_state=3)
    first, second = DictionaryCoder(BOOK).code(mini), DictionaryCoder(BOOK).code(mini.iloc[::-1])
    pd.testing.assert_frame_equal(first, second)
    assert first["quote_id"].tolist() == sorted(first["quote_id"])


def test_codes_are_the_same_in_several_processes(monkeypatch):
    monkeypatch.setattr(dictionary, "PARALLEL_FROM", 10)  # start processes for a small table too
    mini = load_study(MINI).quotes
    many = pd.concat([mini.assign(quote_id=mini["quote_id"] + f"-{k}") for k in range(3)], ignore_index=True)
    serial = DictionaryCoder(BOOK).code(many)
    assert len(serial) >= 15
    pd.testing.assert_frame_equal(DictionaryCoder(BOOK, n_jobs=2).code(many), serial)
    pd.testing.assert_frame_equal(DictionaryCoder(BOOK, n_jobs=-1).code(many), serial)


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, True])
def test_bad_n_jobs_is_an_error(n_jobs):
    with pytest.raises(CoopResearchError, match=r"The 'n_jobs' parameter of DictionaryCoder must be a positive int or -1"):
        DictionaryCoder(BOOK, n_jobs=n_jobs).code(quotes("Wie beslist?"))

def test_mini_study_codes_match_the_human_consensus():
    study = load_study(MINI)
    codes = DictionaryCoder(study.codebook).code(study.quotes)
    table = agreement(codes, consensus_codes(study.codings), study.quotes["quote_id"], themes=study.codebook.theme_ids)
    assert table.set_index("theme").loc["(macro)", "recall"] >= 0.75
    assert dict(zip(codes["quote_id"] + "/" + codes["theme"], codes["valence"], strict=True))["Q1/transparency"] == "negative"

# --- parameters and bad input -------------------------------------------------------------

def test_dictionary_coder_only_stores_its_arguments_and_checks_them_when_used():
    coder = DictionaryCoder(BOOK, lang="fr")
    assert coder.get_params() == {"codebook": BOOK, "lang": "fr", "n_jobs": 1}
    with pytest.raises(CoopResearchError, match=r"The 'lang' parameter of DictionaryCoder must be one of nl, en\. Got 'fr'"):
        coder.code(quotes("x"))


def test_missing_columns_and_missing_rules_are_errors():
    with pytest.raises(CoopResearchError, match=r"needs a table with the columns quote_id and text; got \['id', 'tekst'\]"):
        DictionaryCoder(BOOK).code(pd.DataFrame({"id": ["a"], "tekst": ["b"]}))
    bare = parse_codebook("themes:\n  - {id: a, label: {nl: A, en: A}, definition: {nl: a, en: a}, terms: {nl: [a]}}\n")
    with pytest.raises(CoopResearchError, match="has no rules for language 'en'"):
        DictionaryCoder(bare, lang="en").code(quotes("a"))
    assert machine_codes(quotes("a"), bare, lang="en").columns.tolist() == CODE_COLUMNS

def test_evidence_html_escapes_text_and_highlights_matches():
    table = quotes('<script>alert("x")</script> Wie beslist & wie trekt?')
    html = evidence_html(DictionaryCoder(BOOK).evidence(table).merge(table, on="quote_id"), labels=BOOK.labels("nl"))
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<mark title="Mandaat">Wie beslist</mark> &amp; ' in html


def test_the_score_is_a_probability_where_labelled_quotes_exist_and_empty_elsewhere():
    from coopresearch.codebook import load_codebook

    codes = DictionaryCoder(BOOK).code(quotes("Wie beslist? Wie beslist hier eigenlijk, en wie heeft het mandaat?"))
    assert codes["score"].between(0, 1).all()
    assert DictionaryCoder(BOOK).code(quotes("Wie beslist?"), scored=False)["score"].isna().all()
    scan = load_codebook("scan_fields")  # themes no shipped quote is labelled with: no estimate
    assert match_probabilities(scan, "nl") == {}
    assert DictionaryCoder(scan).code(quotes("Wij hebben een gemeenschappelijk doel."))["score"].isna().all()


def test_more_matches_mean_a_likelier_theme():
    probability = match_probabilities(BOOK, "en")
    for theme in BOOK.theme_ids:
        assert probability[(theme, 1)] <= probability[(theme, 3)]
