"""Codebooks: parsing, validation errors people can act on, packaged codebooks."""

from pathlib import Path

import pytest

from coopresearch import load_study
from coopresearch.codebook import (
    Codebook,
    Theme,
    default_codebook,
    load_codebook,
    packaged_codebook_text,
    packaged_codebooks,
    parse_codebook,
    parse_term,
)
from coopresearch.errors import CodebookError
from coopresearch.schemas import SCAN_FIELDS

ROOT = Path(__file__).parents[1]

MINIMAL = """\
themes:
  - id: trust
    label: {nl: Vertrouwen, en: Trust}
    definition: {nl: Elkaar vertrouwen., en: Trusting each other.}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, source="cb.yml")
    return [str(p) for p in caught.value.problems]


def test_default_codebook_has_the_four_themes_with_rules_in_both_languages():
    book = default_codebook()
    assert book.theme_ids == ["transparency", "mandate", "ownership", "reliability"]
    assert book.labels("en")["ownership"] == "Ownership"
    for theme in book.themes:
        assert len(theme.terms["nl"]) >= 40 and len(theme.terms["en"]) >= 25
        assert theme.exceptions["nl"] and theme.include["nl"] and theme.exclude["en"]
        assert len(theme.examples["nl"]) >= 4 and theme.questions["en"]


@pytest.mark.parametrize("study", [ROOT, ROOT / "tests/data/mini"])
def test_the_default_codebook_is_stored_once_and_used_by_name(study):
    assert not (study / "codebook.yml").exists()
    assert load_study(study).codebook.sha256 == parse_codebook(packaged_codebook_text()).sha256


def test_old_style_codebook_with_only_terms_still_parses():
    book = parse_codebook(MINIMAL + "    terms: {nl: [vertrouwen], en: [trust]}\n")
    theme = book.themes[0]
    assert theme.terms == {"nl": ["vertrouwen"], "en": ["trust"]}
    assert theme.exceptions == {} and theme.patterns == {} and theme.examples == {}
    assert Theme("x", {"nl": "X", "en": "X"}, {"nl": "x", "en": "x"}, {"nl": ["x"]}).terms == {"nl": ["x"]}


def test_sha256_follows_the_text():
    assert parse_codebook(MINIMAL).sha256 != parse_codebook(MINIMAL + "# changed\n").sha256
    assert isinstance(default_codebook(), Codebook) and len(default_codebook().sha256) == 64


def test_no_themes_is_an_error():
    assert problems("name: x\n") == ["cb.yml:1: themes: the codebook has no list of themes — "
                                     "write 'themes:' followed by one '- id: ...' entry per theme"]


def test_duplicate_and_malformed_ids_are_located():
    text = MINIMAL + MINIMAL.split("themes:\n")[1] + MINIMAL.split("themes:\n")[1].replace("trust", "Trust Me", 1)
    found = problems(text)
    assert any(p.startswith("cb.yml:5: themes[1].id: theme id 'trust' appears twice") for p in found)
    assert any(p.startswith("cb.yml:8: themes[2].id: theme id 'Trust Me' is missing or not a simple name") for p in found)


def test_missing_label_language_is_named():
    found = problems(MINIMAL.replace(", en: Trust}", "}"))
    assert found == ["cb.yml:3: themes[0].label: label in 'en' is missing or empty — "
                     "write 'label: {nl: ..., en: ...}' with text for both languages"]


@pytest.mark.parametrize(("term", "why"), [
    ("infor*matie", "puts '*' inside a word"),
    (".. op", "a term needs a word before and after '..'"),
    ("pakt .. .. op", "'..' follows '..'"),
    ("!!!", "has no letters"),
])
def test_malformed_terms_are_located(term, why):
    found = problems(MINIMAL + f"    terms:\n      nl: [goed, '{term}']\n")
    assert len(found) == 1
    assert found[0].startswith(f"cb.yml:6: themes[0].terms.nl[1]: term '{term}' is malformed: ")
    assert why in found[0]


def test_bad_pattern_is_located():
    found = problems(MINIMAL + "    patterns:\n      en: ['(unclosed']\n")
    assert len(found) == 1 and found[0].startswith("cb.yml:6: themes[0].patterns.en[0]: pattern '(unclosed' is not")


def test_terms_must_be_lists_per_language():
    found = problems(MINIMAL + "    terms: {nl: vertrouwen}\n")
    assert found == ["cb.yml:5: themes[0].terms: terms must map nl and/or en to a list of non-empty texts — "
                     "write 'terms: {nl: [afspraak, ...], en: [agreement, ...]}'"]
    assert "unknown" not in " ".join(problems(MINIMAL + "    terms: {fr: [confiance]}\n"))


def test_misspelt_key_gets_a_suggestion_but_other_keys_are_kept_for_other_tools():
    assert problems(MINIMAL + "    term: {nl: [vertrouwen]}\n") == [
        "cb.yml:5: themes[0].term: unknown key 'term' — did you mean 'terms'?"]
    assert parse_codebook(MINIMAL + "    colour: '#ff0000'\n").theme_ids == ["trust"]


def test_valence_cues_are_validated_and_kept():
    book = parse_codebook(MINIMAL + "valence:\n  nl: {positive: [keurig], negation: [allerminst]}\n")
    assert book.valence == {"nl": {"positive": ["keurig"], "negation": ["allerminst"]}}
    assert problems(MINIMAL + "valence:\n  nl: {happy: [keurig]}\n")[0].startswith("cb.yml:5: valence: valence must map")


def test_yaml_syntax_error_has_a_line():
    assert problems(MINIMAL + "  - id: [unclosed\n")[0].startswith("cb.yml:")


@pytest.mark.parametrize(("term", "words"), [
    ("op de hoogte", ("op", "de", "hoogte")),
    ("Informatie-uitwisseling", ("informatie", "uitwisseling")),
    ("*afspraak", ("*afspraak",)),
    ("pakt .. op", ("pakt", "..", "op")),
    ("zo'n overleg", ("zo'n", "overleg")),
    ("don’t", ("don't",)),
])
def test_parse_term(term, words):
    assert parse_term(term) == words


def test_packaged_codebooks_load_by_name_and_path(tmp_path):
    assert packaged_codebooks() == ["default", "scan_fields"]
    assert load_codebook("scan_fields").theme_ids == list(SCAN_FIELDS)
    path = tmp_path / "mine.yml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_codebook(path).theme_ids == ["trust"]
    with pytest.raises(CodebookError, match="no packaged codebook of that name — use one of: default, scan_fields"):
        load_codebook("nonexistent")
    with pytest.raises(CodebookError, match="codebook file is missing"):
        load_codebook(tmp_path / "missing.yml")
    with pytest.raises(CodebookError, match="no packaged codebook"):
        packaged_codebook_text("../default")


def test_codebook_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.yml"
    path.write_bytes(MINIMAL.replace("Vertrouwen", "Vertrouwén").encode("latin-1"))
    with pytest.raises(CodebookError, match="text is not UTF-8"):
        load_codebook(path)
