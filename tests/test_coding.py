"""Coders: dictionary coder (rules, evidence, valence), supervised coder, agreement, saved models."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from coopresearch import coding, load_study
from coopresearch.codebook import default_codebook, load_codebook, packaged_codebooks, parse_codebook
from coopresearch.coding import (
    CODE_COLUMNS,
    DictionaryCoder,
    SupervisedCoder,
    agreement,
    cross_validate,
    evidence_html,
    guess_language,
    load_model,
    machine_codes,
    save_model,
    theme_counts,
)
from coopresearch.derive import derive
from coopresearch.errors import CoopResearchError
from coopresearch.reliability import consensus_codes

MINI = Path(__file__).parent / "data" / "mini"
BOOK = default_codebook()


def quotes(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"quote_id": [f"q{i}" for i in range(1, len(texts) + 1)], "text": list(texts)})


def themes_of(text: str, lang: str = "nl", book=BOOK) -> dict[str, str]:
    """theme -> valence for one quote."""
    codes = DictionaryCoder(book, lang=lang).code(quotes(text))
    return dict(zip(codes["theme"], codes["valence"], strict=True))


# --- rules --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "theme"), [
    ("De afspraken worden nagekomen.", "reliability"),  # inflection: afspraak -> afspraken
    ("We kregen de beleidsinformatie te laat.", "transparency"),  # compound head: '*informatie'
    ("Wie beslist dit?", "mandate"),
    ("Ze hebben geen beslissingsbevoegdheid.", "mandate"),  # prefix: beslis*
    ("Er is één vast aanspreekpunt.", "ownership"),
    ("De gebiedsregisseur pakt het niet op.", "ownership"),
    ("We worden keurig op de hoogte gehouden.", "transparency"),  # multi-word term
    ("Wij worden pas geïnformeerd als alles rond is.", "transparency"),  # diacritics folded
])
def test_terms_match_inflections_compounds_and_phrases(text, theme):
    assert theme in themes_of(text)


def test_gap_terms_allow_a_few_words_in_between_but_not_many():
    assert "ownership" in themes_of("Niemand pakt het echt op.")
    assert "ownership" not in themes_of("Hij pakt de auto en rijdt via de lange weg naar huis op zondag.")


@pytest.mark.parametrize(("text", "theme"), [
    ("Ik heb om vier uur een afspraak bij de tandarts.", "reliability"),
    ("Geld speelt een rol, zoals altijd.", "ownership"),
    ("De grond is van hen, zij zijn eigenaar.", "ownership"),
    ("We staan bekend om de betrouwbaarheid van onze cijfers.", "reliability"),
    ("Eerlijk gezegd weet ik het niet.", "transparency"),
    ("Het mandaat van de raad loopt af.", "mandate"),
    ("De prestatieafspraken lopen vier jaar.", "reliability"),  # naming the agreements is not keeping them
    ("The property owner sold the land.", "ownership"),
])
def test_exceptions_stop_misleading_terms(text, theme):
    lang = guess_language([text])
    assert theme not in themes_of(text, lang)


@pytest.mark.parametrize(("text", "theme"), [
    ("De opening van het buurthuis was vrijdag.", "transparency"),  # 'openheid' and 'opening' share a stem
    ("Een bespreking van het jaarplan.", "transparency"),  # 'bespreekbaar' and 'bespreking' too
    ("Their commitment to the area is impressive.", "mandate"),  # the mandate term is 'commit'
])
def test_same_stem_with_another_derivation_is_another_word(text, theme):
    lang = guess_language([text])
    assert theme not in themes_of(text, lang)


def test_same_stem_with_the_same_or_an_added_ending_still_matches():
    assert "transparency" in themes_of("Er is meer openheid nodig, die openheden missen we.")
    assert "ownership" in themes_of("De verantwoordelijkheden zijn onduidelijk.")  # verantwoordelijk + -heden


def test_patterns_find_a_promise_and_what_became_of_it():
    assert "reliability" in themes_of("Hij zou het oppakken, zei hij. Dat was in maart. Sindsdien niets.")
    assert "reliability" in themes_of("Als zij zeggen dat het vrijdag klaar is, dan is het ook vrijdag klaar.")
    assert "reliability" not in themes_of("Het zou helpen als we vaker bij elkaar kwamen, maar goed.")


def test_uncoded_text_gets_no_rows():
    assert DictionaryCoder(BOOK).code(quotes("Het weer was slecht die dag.")).empty


def test_english_rules():
    found = themes_of("Nobody takes the lead, and the person at the table cannot decide anything.", "en")
    assert set(found) == {"ownership", "mandate"}
    assert found["mandate"] == "negative"


def test_patterns_are_applied_with_spans():
    book = parse_codebook("""
themes:
  - id: money
    label: {nl: Geld, en: Money}
    definition: {nl: Geld., en: Money.}
    patterns: {nl: ['€\\s?\\d+(?:[.,]\\d+)*']}
""")
    evidence = DictionaryCoder(book).evidence(quotes("Het kost € 80.000 per jaar."))
    assert evidence[["start", "end", "matched"]].values.tolist() == [[9, 17, "€ 80.000"]]


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
    assert (row.theme, row.coder, row.score, row.valence) == ("reliability", "dictionary", 3.0, "positive")
    assert row.evidence.startswith(""""Afspraak is afspraak" 0:20 terms.nl[""")
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
    monkeypatch.setattr(coding, "PARALLEL_FROM", 10)  # start processes for a small table too
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


# --- valence ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "theme", "valence"), [
    ("Het is niet duidelijk wie de regie heeft.", "ownership", "negative"),  # negated positive cue
    ("Het is helder wie de regie heeft.", "ownership", "positive"),
    ("Wie er aan tafel zit kan vaak niet beslissen.", "mandate", "negative"),  # negation alone
    ("Over de informatie hebben we geen klachten.", "transparency", "positive"),  # negated negative cue
    ("Het aanspreekpunt werkt niet.", "ownership", "negative"),  # negation right after the cue
    ("We hebben een aanspreekpunt.", "ownership", "neutral"),
    ("The information is not clear.", "transparency", "negative"),
    ("They don't keep their promises.", "reliability", "negative"),
])
def test_valence_from_cues_and_negation(text, theme, valence):
    assert themes_of(text, guess_language([text]))[theme] == valence


def test_valence_is_judged_per_clause():
    found = themes_of("De afspraken worden keurig nagekomen, maar de informatie komt altijd te laat.")
    assert found == {"reliability": "positive", "transparency": "negative"}


def test_valence_cues_from_the_codebook_are_added():
    text = "Het aanspreekpunt is subliem."
    assert themes_of(text)["ownership"] == "neutral"
    extra = default_codebook().text + "valence:\n  nl: {positive: [subliem]}\n"
    assert themes_of(text, book=parse_codebook(extra))["ownership"] == "positive"


def test_mini_study_codes_match_the_human_consensus():
    study = load_study(MINI)
    codes = DictionaryCoder(study.codebook).code(study.quotes)
    table = agreement(codes, consensus_codes(study.codings), study.quotes["quote_id"], themes=study.codebook.theme_ids)
    assert table.set_index("theme").loc["(macro)", "recall"] >= 0.75
    assert dict(zip(codes["quote_id"] + "/" + codes["theme"], codes["valence"], strict=True))["Q1/transparency"] == "negative"


@pytest.mark.parametrize("name", packaged_codebooks())
def test_every_codebook_example_is_coded_with_its_theme(name):
    book = load_codebook(name)
    for lang in ("nl", "en"):
        rows = [(f"{t.id}/{i}", text, t.id) for t in book.themes for i, text in enumerate(t.examples.get(lang, []))]
        assert rows, f"{name} has no {lang} examples"
        codes = DictionaryCoder(book, lang=lang).code(pd.DataFrame(rows, columns=["quote_id", "text", "theme"]))
        found = set(zip(codes["quote_id"], codes["theme"], strict=True))
        missed = [text for quote_id, text, theme in rows if (quote_id, theme) not in found]
        assert not missed, f"{name}/{lang}: examples not coded with their theme: {missed}"


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


def test_guess_language():
    assert guess_language(["We weten niet wie er beslist."]) == "nl"
    assert guess_language(["We do not know who decides."]) == "en"


# --- supervised coder ---------------------------------------------------------------------

TRAIN = quotes(
    "De afspraken worden niet nagekomen.", "Ze komen hun toezeggingen na.", "Afspraak is afspraak bij hen.",
    "Wie beslist er eigenlijk?", "Hij kan aan tafel niets beslissen.", "Alles moet naar het college voor een besluit.",
    "We horen alles pas achteraf.", "De informatie komt te laat.", "Ze delen hun plannen niet.",
    "Het weer was slecht.", "We dronken koffie.", "De bus was te laat.",
)
TRAIN_CODES = pd.DataFrame({"quote_id": [f"q{i}" for i in range(1, 10)],
                            "theme": ["reliability"] * 3 + ["mandate"] * 3 + ["transparency"] * 3})


def test_supervised_coder_before_fit_raises_sklearns_not_fitted_error():
    with pytest.raises(NotFittedError, match="is not fitted yet"):
        SupervisedCoder(BOOK).predict(TRAIN)


def test_supervised_coder_learns_and_explains():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # ownership has no positive example: must not warn
        coder = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES)
    assert coder.classes_.tolist() == BOOK.theme_ids
    new = quotes("Wie beslist hier eigenlijk?", "Ze komen de afspraken na.")
    predicted = coder.predict(new)
    assert predicted.loc["q1", "mandate"] and predicted.loc["q2", "reliability"] and not predicted["ownership"].any()
    codes = coder.code(new)
    assert codes.columns.tolist() == CODE_COLUMNS and set(codes["coder"]) == {"supervised"}
    evidence = codes.set_index("theme").loc["mandate", "evidence"]
    assert evidence.startswith("model: '") and "beslist' +" in evidence
    assert codes["score"].between(0.5, 1).all()


def test_supervised_coder_rejects_unknown_themes_and_bad_threshold():
    with pytest.raises(CoopResearchError, match="not in the codebook: trust"):
        SupervisedCoder(BOOK).fit(TRAIN, pd.DataFrame({"quote_id": ["q1"], "theme": ["trust"]}))
    with pytest.raises(CoopResearchError, match=r"'threshold' parameter .* range \(0, 1\). Got 1.5"):
        SupervisedCoder(BOOK, threshold=1.5).fit(TRAIN, TRAIN_CODES)


def test_saved_model_round_trip_and_codebook_check(tmp_path):
    coder = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES)
    path = tmp_path / "sub" / "model.joblib"
    save_model(coder, path)
    loaded = load_model(path, codebook=default_codebook())
    pd.testing.assert_frame_equal(loaded.predict_proba(TRAIN), coder.predict_proba(TRAIN))
    other = parse_codebook(BOOK.text + "\n# edited\n")
    with pytest.raises(CoopResearchError, match=r"trained with another codebook .* retrain it with 'coopresearch train'"):
        load_model(path, codebook=other)
    (tmp_path / "junk.joblib").write_bytes(b"not a model")
    with pytest.raises(CoopResearchError, match="not a coopresearch model"):
        load_model(tmp_path / "junk.joblib", codebook=BOOK)
    with pytest.raises(CoopResearchError, match="model file is missing"):
        load_model(tmp_path / "none.joblib", codebook=BOOK)
    with pytest.raises(CoopResearchError, match="not fitted"):
        save_model(SupervisedCoder(BOOK), tmp_path / "x.joblib")


def test_cross_validate_reports_per_theme_scores():
    table = cross_validate(SupervisedCoder(BOOK), TRAIN, TRAIN_CODES, folds=3)
    assert table["theme"].tolist() == [*BOOK.theme_ids, "(macro)"]
    assert table.set_index("theme").loc["transparency", "human"] == 3
    with pytest.raises(CoopResearchError, match="'folds' parameter"):
        cross_validate(SupervisedCoder(BOOK), TRAIN, TRAIN_CODES, folds=1)


# --- agreement, counts, HTML --------------------------------------------------------------

def test_agreement_perfect_and_empty():
    human = pd.DataFrame({"quote_id": ["a", "b"], "theme": ["mandate", "ownership"]})
    table = agreement(human, human, ["a", "b", "c"], themes=["mandate", "ownership"]).set_index("theme")
    assert table.loc["(macro)", ["precision", "recall", "f1", "kappa"]].tolist() == [1.0, 1.0, 1.0, 1.0]
    none = agreement(human.iloc[:0], human, ["a", "b", "c"], themes=["mandate", "ownership"]).set_index("theme")
    assert none.loc["mandate", ["precision", "recall", "f1", "kappa"]].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_agreement_matches_a_hand_computed_kappa():
    # 10 quotes; human codes 4, machine 4, both 3: po = 0.8, pe = 0.4*0.4 + 0.6*0.6 = 0.52, kappa = 0.28/0.48
    human = pd.DataFrame({"quote_id": list("abcd"), "theme": ["mandate"] * 4})
    machine = pd.DataFrame({"quote_id": list("abce"), "theme": ["mandate"] * 4})
    row = agreement(machine, human, list("abcdefghij"), themes=["mandate"]).iloc[0]
    assert (row.precision, row.recall, row.f1) == (0.75, 0.75, 0.75)
    assert row.kappa == round(0.28 / 0.48, 3)


def test_theme_counts_in_codebook_order():
    codes = DictionaryCoder(BOOK).code(load_study(MINI).quotes)
    counts = theme_counts(codes, BOOK.theme_ids)
    assert counts.index.tolist() == BOOK.theme_ids and counts.columns.tolist() == ["dictionary"]
    assert counts["dictionary"].sum() == len(codes)
    assert theme_counts(codes.iloc[:0], BOOK.theme_ids)["dictionary"].tolist() == [0, 0, 0, 0]


def test_evidence_html_escapes_text_and_highlights_matches():
    table = quotes('<script>alert("x")</script> Wie beslist & wie trekt?')
    html = evidence_html(table, DictionaryCoder(BOOK).evidence(table), labels=BOOK.labels("nl"))
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<mark title="Mandaat">Wie beslist</mark> &amp; ' in html


def test_report_derives_the_machine_codes_table():
    study = load_study(MINI)
    table = derive(study)["codings_machine"]
    assert table.columns.tolist() == CODE_COLUMNS
    assert set(table["coder"]) == {"hybrid"} and set(table["quote_id"]) <= set(study.quotes["quote_id"])
