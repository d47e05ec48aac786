"""Saved models: a data-only file, refused when foreign, damaged or made for another codebook."""

import json
import pickle
import zipfile

import joblib
import numpy as np
import pandas as pd
import pytest

from coopresearch.codebook import default_codebook, parse_codebook
from coopresearch.coding import SupervisedCoder, load_model, save_model
from coopresearch.errors import CoopResearchError

from .common import BOOK, TRAIN, TRAIN_CODES


def test_saved_model_round_trip_and_codebook_check(tmp_path):
    coder = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES)
    path = tmp_path / "sub" / "model.npz"
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


class Exploit:
    """Unpickling this runs code: it creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').close()",)


def crafted_files(folder, marker):
    """The same exploit as a joblib file and as a pickle named .npz."""
    joblib.dump({"format": 1, "codebook_sha256": BOOK.sha256, "coder": Exploit(marker)}, folder / "model.joblib")
    (folder / "model.npz").write_bytes(pickle.dumps(Exploit(marker)))
    return [folder / "model.joblib", folder / "model.npz"]


def test_the_crafted_files_really_run_code_when_unpickled(tmp_path):
    joblib_file, pickle_file = crafted_files(tmp_path, tmp_path / "proof")
    joblib.load(joblib_file)
    assert (tmp_path / "proof").exists()
    (tmp_path / "proof").unlink()
    pickle.loads(pickle_file.read_bytes())
    assert (tmp_path / "proof").exists()


def test_a_pickle_or_joblib_file_is_refused_without_running_it(tmp_path):
    for path in crafted_files(tmp_path, tmp_path / "marker"):
        with pytest.raises(CoopResearchError, match=r"not a coopresearch model \(not an \.npz archive; pickle and joblib"):
            load_model(path, codebook=BOOK)
    assert not (tmp_path / "marker").exists()


@pytest.fixture
def saved(tmp_path):
    """A saved model's path, with the coder saved."""
    coder = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES.assign(valence=["negative", "positive", "positive"] * 3))
    save_model(coder, tmp_path / "model.npz")
    return tmp_path / "model.npz", coder


def rewrite(path, change):
    """Rewrite an .npz after ``change(arrays)`` edited its arrays in place (no new hash)."""
    with np.load(path) as data:
        arrays = {name: data[name].copy() for name in data.files}
    change(arrays)
    np.savez_compressed(path, **arrays)


def test_round_trip_gives_identical_probabilities_codes_and_settings(saved):
    path, coder = saved
    loaded = load_model(path, codebook=BOOK)
    pd.testing.assert_frame_equal(loaded.predict_proba(TRAIN), coder.predict_proba(TRAIN), check_exact=True)
    pd.testing.assert_frame_equal(loaded.code(TRAIN), coder.code(TRAIN), check_exact=True)
    assert loaded.get_params() == coder.get_params()
    with np.load(path, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)
        metadata = json.loads(data["metadata"].tobytes())
    assert metadata["format"] == 3 and metadata["codebook_sha256"] == BOOK.sha256 and metadata["themes"] == BOOK.theme_ids
    assert {"lang", "threshold", "C", "dictionary", "vectorizers", "sklearn", "sha256", "valence_classes"} <= set(metadata)
    pd.testing.assert_series_equal(loaded.predict_valence(TRAIN), coder.predict_valence(TRAIN))


def test_the_dictionary_features_survive_the_round_trip(tmp_path):
    coder = SupervisedCoder(BOOK, dictionary=True).fit(TRAIN, TRAIN_CODES)
    save_model(coder, tmp_path / "model.npz")
    loaded = load_model(tmp_path / "model.npz", codebook=BOOK)
    pd.testing.assert_frame_equal(loaded.predict_proba(TRAIN), coder.predict_proba(TRAIN), check_exact=True)


@pytest.mark.parametrize(("change", "reason"), [
    (lambda arrays: arrays["coef"].__setitem__((1, 0), 5.0), "its sha256 does not match its contents"),
    (lambda arrays: arrays.__setitem__("metadata", np.frombuffer(
        arrays["metadata"].tobytes().replace(b'"threshold": 0.35', b'"threshold": 0.05'), dtype=np.uint8)),
     "its sha256 does not match its contents"),
    (lambda arrays: arrays.pop("intercept"), "missing arrays intercept"),
    (lambda arrays: arrays.__setitem__("extra", np.zeros(2)), "unexpected arrays extra"),
    (lambda arrays: arrays.__setitem__("coef", arrays["coef"].astype(np.float32)), "array coef holds float32"),
    (lambda arrays: arrays.__setitem__("metadata", np.frombuffer(b"{", dtype=np.uint8)), "Expecting property name"),
])
def test_an_edited_model_is_refused(saved, change, reason):
    path, _ = saved
    rewrite(path, change)
    with pytest.raises(CoopResearchError, match=f"not a coopresearch model \\({reason}.* — train a new one with 'coopresearch"):
        load_model(path, codebook=BOOK)


def test_truncated_foreign_and_single_array_files_are_refused(saved, tmp_path):
    path, _ = saved
    content = path.read_bytes()
    (tmp_path / "truncated.npz").write_bytes(content[: len(content) // 2])
    with zipfile.ZipFile(tmp_path / "foreign.npz", "w") as archive:
        archive.writestr("readme.txt", "hello")
    np.savez(tmp_path / "others.npz", weights=np.ones(3))
    np.save(tmp_path / "single.npy", np.ones(3))
    for name in ("truncated.npz", "foreign.npz", "others.npz", "single.npy"):
        with pytest.raises(CoopResearchError) as error:
            load_model(tmp_path / name, codebook=BOOK)
        message = str(error.value)
        assert message.startswith(f"{tmp_path / name}: not a coopresearch model (") and "\n" not in message
        assert message.endswith("— train a new one with 'coopresearch train'")


def test_a_model_is_written_whole_or_not_at_all(saved):
    path, coder = saved
    save_model(coder, path)  # over an existing file: replaced, no temporary file left
    assert [p.name for p in path.parent.iterdir()] == ["model.npz"]
