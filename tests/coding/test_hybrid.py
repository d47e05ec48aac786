"""The hybrid coder: dictionary matches confirmed and completed by a model."""

import pandas as pd
import pytest

from coopresearch.codebook import load_codebook
from coopresearch.coding import CODE_COLUMNS, DictionaryCoder, HybridCoder, SupervisedCoder, has_packaged_model, packaged_model
from coopresearch.errors import CoopResearchError

from .common import BOOK, QUOTES


def test_packaged_model_only_for_the_default_themes():
    assert has_packaged_model(BOOK, "nl") and has_packaged_model(BOOK, "en")
    assert not has_packaged_model(load_codebook("scan_fields"), "nl")
    with pytest.raises(CoopResearchError, match="has other themes than the default codebook"):
        HybridCoder(load_codebook("scan_fields")).code(QUOTES)


def test_hybrid_codes_keep_dictionary_evidence_and_add_model_evidence():
    codes = HybridCoder(BOOK).code(QUOTES)
    assert codes.columns.tolist() == CODE_COLUMNS and set(codes["coder"]) == {"hybrid"}
    found = dict(zip(zip(codes["quote_id"], codes["theme"], strict=True), codes["evidence"], strict=True))
    assert ("q1", "mandate") in found and ("q3", "reliability") in found and ("q2", "ownership") in found
    assert "q4" not in set(codes["quote_id"])
    assert found[("q1", "mandate")].startswith("Wie beslist (regel 'wie beslist' van Mandaat)")
    assert codes["score"].between(0, 1).all()


def test_the_model_vetoes_a_dictionary_match_below_confirm_and_adds_above_add():
    probability = packaged_model("nl").predict_proba(QUOTES)
    dictionary = DictionaryCoder(BOOK).code(QUOTES)
    assert ("q1", "mandate") in set(zip(dictionary["quote_id"], dictionary["theme"], strict=True))
    p = probability.at["q1", "mandate"]
    vetoed = HybridCoder(BOOK, confirm=p + 1e-6, add=1.0).code(QUOTES)
    assert ("q1", "mandate") not in set(zip(vetoed["quote_id"], vetoed["theme"], strict=True))
    # with the model never adding and always confirming, the hybrid finds what the dictionary finds
    rules_only = HybridCoder(BOOK, confirm=0.0, add=1.0).code(QUOTES)
    assert rules_only[["quote_id", "theme", "evidence"]].equals(dictionary[["quote_id", "theme", "evidence"]])
    # a theme the dictionary did not find, added by the model alone, names the model's words
    q, theme = next((q, t) for q in QUOTES["quote_id"] for t in BOOK.theme_ids
                    if (q, t) not in set(zip(dictionary["quote_id"], dictionary["theme"], strict=True))
                    and probability.at[q, t] > 0.05)
    added = HybridCoder(BOOK, confirm=0.0, add=probability.at[q, theme]).code(QUOTES).set_index(["quote_id", "theme"])
    assert added.loc[(q, theme), "evidence"].startswith("model")


def test_hybrid_refuses_bad_thresholds_and_a_model_for_other_themes():
    with pytest.raises(CoopResearchError, match="needs 0 <= confirm <= add <= 1"):
        HybridCoder(BOOK, confirm=0.7, add=0.5).code(QUOTES)
    scan = load_codebook("scan_fields")
    other = SupervisedCoder(scan).fit(pd.DataFrame({"quote_id": ["a", "b"], "text": ["vertrouwen", "doelen"]}),
                                      pd.DataFrame({"quote_id": ["a", "b"], "theme": ["vertrouwen", "doelen"]}))
    with pytest.raises(CoopResearchError, match="train the model with this codebook"):
        HybridCoder(BOOK, model=other).code(QUOTES)


def test_hybrid_handles_empty_and_non_ascii_quotes():
    quotes = pd.DataFrame({"quote_id": ["a", "b"], "text": ["", "Geïnformeerd? Wíj niet, pas áchteraf."]})
    codes = HybridCoder(BOOK).code(quotes)
    assert "a" not in set(codes["quote_id"]) and ("b", "transparency") in set(zip(codes["quote_id"], codes["theme"], strict=True))
    assert HybridCoder(BOOK).code(quotes.iloc[:0]).columns.tolist() == CODE_COLUMNS
