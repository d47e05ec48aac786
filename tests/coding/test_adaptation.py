"""A study's own codes teach the packaged model: adapt, out_of_fold and the taught hybrid coder."""

import numpy as np
import pandas as pd

from coopresearch.coding import HybridCoder, adapt, packaged_model
from coopresearch.coding.adaptation import AdaptedCoder, TaughtHybridCoder, fold_of, out_of_fold

from .common import BOOK

# a study whose coders call the 'Zilverreiger' (a team) ownership: a name the shipped sets never taught
STUDY = pd.DataFrame({"quote_id": [f"s{i:02}" for i in range(24)], "text": [
    *[f"De Zilverreiger {verb} dat." for verb in ("regelt", "doet", "pakt", "zegt", "weet", "kent", "ziet", "hoort",
                                                    "bepaalt", "leest", "schrijft", "merkt")],
    *[f"Het weer was {word} die dag." for word in ("mooi", "slecht", "grijs", "nat", "droog", "koud", "warm", "wisselend",
                                                   "zonnig", "somber", "stil", "winderig")]]})
CODES = pd.DataFrame({"quote_id": [f"s{i:02}" for i in range(12)], "theme": "ownership"})
PROBE = pd.DataFrame({"quote_id": ["p"], "text": ["De Zilverreiger, die is er ook nog."]})


def ownership(model) -> float:
    return float(model.predict_proba(PROBE).at["p", "ownership"])


def test_the_study_codes_move_the_model_towards_its_conventions_and_leave_the_packaged_model_alone():
    base = packaged_model("nl")
    before = base.coef_.copy()
    taught = adapt(base, STUDY, CODES)
    assert ownership(taught) > ownership(base) + 0.2
    np.testing.assert_array_equal(base.coef_, before)
    assert taught.vectorizers_ is base.vectorizers_  # shared, not copied: only the weights are the study's


def test_without_study_codes_or_with_a_stronger_prior_the_model_moves_less():
    base = packaged_model("nl")
    assert ownership(adapt(base, STUDY.iloc[:0], CODES)) == ownership(base)
    assert ownership(base) < ownership(adapt(base, STUDY, CODES, strength=0.1)) < ownership(adapt(base, STUDY, CODES))


def test_a_theme_every_or_no_study_quote_has_keeps_its_packaged_weights():
    base = packaged_model("nl")
    taught = adapt(base, STUDY.iloc[:12], CODES)  # all ownership, nothing else
    np.testing.assert_array_equal(taught.coef_, base.coef_)


def test_out_of_fold_codes_never_learn_from_their_own_quote():
    base = packaged_model("nl")
    code = lambda model, quotes: HybridCoder(BOOK, lang="nl", model=model).code(quotes)  # noqa: E731
    with_label = out_of_fold(base, STUDY, CODES, code)
    # the quotes' own labels removed one fold at a time: each fold's codes stay what they were
    folds = STUDY["quote_id"].map(lambda quote_id: fold_of(quote_id, 5))
    assert folds.nunique() > 2
    for k in set(folds):
        held = set(STUDY["quote_id"][folds == k])
        without = out_of_fold(base, STUDY, CODES[~CODES["quote_id"].isin(held)], code)
        pd.testing.assert_frame_equal(with_label[with_label["quote_id"].isin(held)].reset_index(drop=True),
                                      without[without["quote_id"].isin(held)].reset_index(drop=True))


def test_the_taught_hybrid_coder_codes_reviewed_quotes_out_of_fold_and_the_rest_with_every_code():
    new = pd.DataFrame({"quote_id": ["n1"], "text": ["De Zilverreiger, die is er ook nog."]})
    quotes = pd.concat([STUDY, new], ignore_index=True)
    coder = TaughtHybridCoder(BOOK, lang="nl", human=CODES, reviewed=STUDY["quote_id"])
    assert coder.taught(quotes) == 24
    codes = coder.code(quotes)
    assert codes["quote_id"].is_monotonic_increasing  # sorted like every coder's codes
    taught = HybridCoder(BOOK, lang="nl", model=adapt(packaged_model("nl"), STUDY, CODES)).code(new)
    pd.testing.assert_frame_equal(codes[codes["quote_id"] == "n1"].reset_index(drop=True), taught)
    assert set(coder.review(quotes)["quote_id"]) <= set(quotes["quote_id"])


def test_too_few_coded_quotes_leave_the_packaged_model():
    coder = TaughtHybridCoder(BOOK, lang="nl", human=CODES, reviewed=STUDY["quote_id"][:5])
    assert coder.taught(STUDY) == 0
    pd.testing.assert_frame_equal(coder.code(STUDY), HybridCoder(BOOK, lang="nl").code(STUDY))


def test_the_adapted_coder_is_an_estimator_for_cross_validation():
    from coopresearch.coding import agreement, cross_validate

    recall = cross_validate(AdaptedCoder(BOOK, lang="nl"), STUDY, CODES, folds=3).set_index("theme").loc["ownership", "recall"]
    untaught = agreement(packaged_model("nl").code(STUDY), CODES, STUDY["quote_id"], themes=BOOK.theme_ids)
    assert recall > untaught.set_index("theme").loc["ownership", "recall"]


def test_a_quotes_out_of_fold_code_does_not_depend_on_the_row_order():
    base = packaged_model("nl")
    code = lambda model, quotes: HybridCoder(BOOK, lang="nl", model=model).code(quotes)  # noqa: E731
    first = out_of_fold(base, STUDY, CODES, code).sort_values(["quote_id", "theme"], ignore_index=True)
    reversed_rows = out_of_fold(base, STUDY.iloc[::-1], CODES, code).sort_values(["quote_id", "theme"], ignore_index=True)
    pd.testing.assert_frame_equal(first, reversed_rows)
