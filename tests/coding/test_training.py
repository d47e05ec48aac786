"""The shipped labelled quotes and the packaged model fitted on them, cached on disk."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import platformdirs
import pytest

from coopresearch.coding import SupervisedCoder, load_model, packaged_model, training, training_quotes, training_sets
from coopresearch.coding.training import packaged_model_path
from coopresearch.errors import CoopResearchError

from .common import BOOK, QUOTES, TRAIN, TRAIN_CODES


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
    quotes = quotes.head(300)  # enough to show the fit has no randomness left
    first = SupervisedCoder(BOOK, lang="en").fit(quotes, codes).predict_proba(QUOTES)
    second = SupervisedCoder(BOOK, lang="en").fit(quotes, codes).predict_proba(QUOTES)
    pd.testing.assert_frame_equal(first, second)


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """An empty model cache for this test; the packaged models of the other tests are forgotten before and after."""
    monkeypatch.setenv("COOPRESEARCH_CACHE_DIR", str(tmp_path / "cache"))
    packaged_model.cache_clear()
    yield tmp_path / "cache"
    packaged_model.cache_clear()


def tiny_fit(lang, leave_out):
    """A stand-in for fitting the packaged model: seconds faster, same code path."""
    return SupervisedCoder(BOOK, lang=lang).fit(TRAIN, TRAIN_CODES)


def test_the_packaged_model_is_fitted_once_and_loaded_by_the_next_process(own_cache, monkeypatch):
    path = packaged_model_path("en")
    assert path.parent == own_cache and not path.exists()
    probe = "__import__('pandas').DataFrame({'quote_id': ['a', 'b'], 'text': ['Nobody told us.', 'Who decides here?']})"
    script = ("from coopresearch.coding import labelled, training\n"  # fitted on 300 quotes: the same code path, seconds faster
              "quotes, codes = labelled.training_quotes('en')\n"
              "quotes = quotes.head(300)\n"
              "training._fit = lambda lang, leave_out: training._packaged_coder(lang).fit(quotes, codes)\n"
              f"print(training.packaged_model('en').predict_proba({probe}).to_numpy().tolist())")
    fitted = subprocess.run([sys.executable, "-c", script], check=True, timeout=600, capture_output=True, text=True).stdout
    assert path.is_file()
    written = path.stat().st_mtime_ns
    # a second process loads it: fitting would fail there
    refuse = ("from coopresearch.coding import SupervisedCoder, packaged_model\n"
              "def fit(*args): raise AssertionError('fitted again')\n"
              "SupervisedCoder.fit = fit\n"
              "assert packaged_model('en').predict_proba(__import__('pandas').DataFrame("
              "{'quote_id': ['a'], 'text': ['Nobody told us.']})).shape == (1, 4)\n")
    subprocess.run([sys.executable, "-c", refuse], check=True, timeout=600)
    assert path.stat().st_mtime_ns == written
    # and so does this one, with exactly the probabilities of the model the first process fitted
    monkeypatch.setattr(training, "_fit", lambda *args: pytest.fail("fitted again"))
    loaded = packaged_model("en")
    assert str(loaded.predict_proba(eval(probe)).to_numpy().tolist()) == fitted.strip()  # float repr round-trips exactly
    assert packaged_model("en") is loaded  # and kept in memory


def test_a_damaged_cache_file_is_fitted_again_and_replaced(own_cache, monkeypatch):
    monkeypatch.setattr(training, "_fit", tiny_fit)
    path = packaged_model_path("nl")
    own_cache.mkdir()
    path.write_bytes(b"half a model")
    coder = packaged_model("nl")
    assert load_model(path, codebook=BOOK).predict_proba(QUOTES).equals(coder.predict_proba(QUOTES))


def test_an_unwritable_cache_folder_does_not_stop_coding(tmp_path, own_cache, monkeypatch):
    monkeypatch.setattr(training, "_fit", tiny_fit)
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("COOPRESEARCH_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert packaged_model("nl").classes_.tolist() == BOOK.theme_ids
    assert list(tmp_path.iterdir()) == [tmp_path / "file"]


def test_the_cache_file_name_follows_what_the_model_depends_on(own_cache, monkeypatch):
    nl, en = packaged_model_path("nl"), packaged_model_path("en")
    assert nl != en and nl.name.startswith("packaged_model_nl_") and nl.suffix == ".npz"
    monkeypatch.setattr(training.sklearn, "__version__", "0.0")
    assert packaged_model_path("nl") != nl


def test_the_tests_never_write_the_user_cache():
    assert training.cache_dir() != Path(platformdirs.user_cache_dir("coopresearch"))
