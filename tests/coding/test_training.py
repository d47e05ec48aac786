"""The shipped labelled quotes and the packaged model fitted on them."""

import pandas as pd
import pytest

from coopresearch.coding import SupervisedCoder, training_quotes, training_sets
from coopresearch.errors import CoopResearchError

from .common import BOOK, QUOTES


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_training_quotes_are_complete_and_use_only_the_default_themes(lang):
    quotes, codes = training_quotes(lang)
    assert len(quotes) >= 400 and quotes["quote_id"].is_unique and quotes["text"].str.len().min() > 0
    assert set(codes["quote_id"]) == set(quotes["quote_id"])  # every quote coded, a no-theme quote with an empty row
    assert set(codes["theme"].dropna()) == set(BOOK.theme_ids)
    assert set(codes["valence"].dropna()) <= {"positive", "negative", "neutral"}


def test_training_sets_can_be_left_out_by_name():
    everything, _ = training_quotes("nl")
    without, codes = training_quotes("nl", leave_out=("dev1",))
    assert "dev1" in training_sets() and 0 < len(without) < len(everything)
    assert not without["quote_id"].str.startswith("D1-").any() and not codes["quote_id"].str.startswith("D1-").any()
    with pytest.raises(CoopResearchError, match="no training set named dev99; the sets are dev1"):
        training_quotes("nl", leave_out=("dev99",))


def test_the_packaged_model_is_the_same_on_every_fit():
    quotes, codes = training_quotes("en")
    first = SupervisedCoder(BOOK, lang="en").fit(quotes, codes).predict_proba(QUOTES)
    second = SupervisedCoder(BOOK, lang="en").fit(quotes, codes).predict_proba(QUOTES)
    pd.testing.assert_frame_equal(first, second)

