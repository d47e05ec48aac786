"""Saved models: round trip, refused when foreign or made for another codebook."""

import pandas as pd
import pytest

from coopresearch.codebook import default_codebook, parse_codebook
from coopresearch.coding import SupervisedCoder, load_model, save_model
from coopresearch.errors import CoopResearchError

from .common import BOOK, TRAIN, TRAIN_CODES


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

