"""The rule matcher: terms, exceptions, derivations, patterns, valence cues, the language guess."""

import pandas as pd
import pytest

from coopresearch.codebook import default_codebook, load_codebook, packaged_codebooks, parse_codebook
from coopresearch.coding import DictionaryCoder, guess_language

from .common import BOOK, quotes, themes_of

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

def test_guess_language():
    assert guess_language(["We weten niet wie er beslist."]) == "nl"
    assert guess_language(["We do not know who decides."]) == "en"


def test_everyday_dutch_and_curly_apostrophes_are_read_right():
    from coopresearch.coding import quote_languages

    quotes = pd.DataFrame({"text": ["Was prima, had geen klachten.", "We horen alles pas achteraf.",
                                    "I don\u2019t know who decides."]})
    assert quote_languages(quotes, "en").tolist() == ["nl", "nl", "en"]
