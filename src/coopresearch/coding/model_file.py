"""Saved models: a fitted `SupervisedCoder` as a data-only ``.npz`` file, which loading cannot run code from.

The file holds numeric arrays only (``np.savez_compressed``): each TF-IDF vocabulary as JSON
in UTF-8 bytes, the idf weights, the coefficients, intercepts and constant probabilities,
and a JSON ``metadata`` array (format, codebook sha256, themes, language, settings, the
scikit-learn version it was fitted with, and a sha256 of the arrays and metadata). It is read
with ``allow_pickle=False``: a pickle or joblib file, a foreign archive, a damaged or edited
file is refused before anything in it is used. The sha256 detects damage, not forgery: load
models you made or trust.

Examples
--------
>>> import tempfile
>>> from coopresearch.codebook import default_codebook
>>> from coopresearch.coding import SupervisedCoder
>>> quotes = pd.DataFrame({"quote_id": ["a", "b"], "text": ["wie beslist", "afspraak is afspraak"]})
>>> coder = SupervisedCoder(default_codebook()).fit(quotes, pd.DataFrame({"quote_id": ["a"], "theme": ["mandate"]}))
>>> with tempfile.TemporaryDirectory() as folder:
...     save_model(coder, f"{folder}/model.npz")
...     loaded = load_model(f"{folder}/model.npz", codebook=default_codebook())
>>> loaded.predict_proba(quotes).equals(coder.predict_proba(quotes))
True
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import zipfile
import zlib
from pathlib import Path

import numpy as np
import sklearn
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from ..codebook import Codebook
from ..errors import CoopResearchError
from .supervised import SupervisedCoder

__all__ = ["MODEL_FORMAT", "load_model", "save_model"]

MODEL_FORMAT = 3  # 1 was a joblib pickle, refused since; 3 added the valence model
ARRAYS = {"words_vocabulary": np.uint8, "words_idf": np.float64, "chars_vocabulary": np.uint8, "chars_idf": np.float64,
          "coef": np.float64, "intercept": np.float64, "constant": np.float64, "valence_coef": np.float64,
          "valence_intercept": np.float64}


def _sha256(metadata: dict, arrays: dict[str, np.ndarray]) -> str:
    """Hash of the metadata (without its own hash) and of every array's name, type, shape and bytes."""
    digest = hashlib.sha256(json.dumps({k: v for k, v in metadata.items() if k != "sha256"}, sort_keys=True).encode())
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"\n{name} {array.dtype.str} {array.shape}\n".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def save_model(coder: SupervisedCoder, path) -> None:
    """Save a fitted supervised coder with the hash of its codebook, as data only (see the module)."""
    try:
        check_is_fitted(coder, "classes_")
    except NotFittedError:
        raise CoopResearchError("the supervised coder is not fitted — call fit() (or 'coopresearch train') first") from None
    settings, arrays = coder.to_arrays()
    metadata = {"format": MODEL_FORMAT, "codebook_sha256": coder.codebook_sha256_, **settings,
                "sklearn": sklearn.__version__}
    metadata["sha256"] = _sha256(metadata, arrays)
    arrays["metadata"] = np.frombuffer(json.dumps(metadata, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # written next to its place and renamed, so no reader ever sees half a file
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("xb") as file:
            np.savez_compressed(file, **arrays)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _read(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Metadata and arrays of a model file; ``ValueError`` with the reason when it is not one."""
    with path.open("rb") as file:  # opened here, so it is closed whatever numpy makes of it
        try:
            data = np.load(file, allow_pickle=False)
        except ValueError as exc:
            if "pickled" in str(exc):  # numpy's refusal: neither .npy nor .npz, e.g. a pickle or joblib file
                raise ValueError("not an .npz archive; pickle and joblib files are refused, they can run code") from None
            raise ValueError(str(exc)) from None
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise ValueError(f"unreadable: {type(exc).__name__}") from None
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError("a single array, not an .npz archive")
        with data:
            names = set(data.files)
            if names != {*ARRAYS, "metadata"}:
                missing, extra = sorted({*ARRAYS, "metadata"} - names), sorted(names - {*ARRAYS, "metadata"})
                raise ValueError("; ".join([f"missing arrays {', '.join(missing)}"] * bool(missing)
                                           + [f"unexpected arrays {', '.join(extra)}"] * bool(extra)))
            try:
                arrays = {name: data[name] for name in sorted(names)}
            except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                raise ValueError(f"damaged archive: {type(exc).__name__}") from None
    for name, dtype in {**ARRAYS, "metadata": np.uint8}.items():
        if arrays[name].dtype != dtype:
            raise ValueError(f"array {name} holds {arrays[name].dtype}, not {np.dtype(dtype)}")
    metadata = json.loads(arrays.pop("metadata").tobytes().decode("utf-8"))
    if not isinstance(metadata, dict):
        raise ValueError("metadata is not a JSON object")
    if metadata.get("format") != MODEL_FORMAT:
        raise ValueError(f"format {metadata.get('format')!r}, this version reads format {MODEL_FORMAT}")
    if metadata.get("sha256") != _sha256(metadata, arrays):
        raise ValueError("its sha256 does not match its contents: the file is damaged or was edited")
    return metadata, arrays


def _refusal(path: Path, reason: str) -> CoopResearchError:
    return CoopResearchError(f"{path}: not a coopresearch model ({reason}) — train a new one with 'coopresearch train'")


def load_model(path, *, codebook: Codebook) -> SupervisedCoder:
    """Load a coder saved by `save_model`; refuse anything else, and a model trained on another codebook.

    Only numeric arrays are read (``allow_pickle=False``): no file, however made, runs code here.
    """
    path = Path(path)
    if not path.is_file():
        raise CoopResearchError(f"{path}: model file is missing — train one with 'coopresearch train'")
    try:
        metadata, arrays = _read(path)
    except ValueError as exc:  # also JSON and UTF-8 errors of the metadata
        raise _refusal(path, str(exc)) from None
    if metadata.get("codebook_sha256") != codebook.sha256:
        raise CoopResearchError(
            f"{path}: the model was trained with another codebook (sha256 {str(metadata.get('codebook_sha256'))[:12]}…, "
            f"this codebook is {codebook.sha256[:12]}…) — retrain it with 'coopresearch train' on this codebook")
    try:
        return SupervisedCoder.from_arrays(codebook, metadata, arrays)
    except (KeyError, TypeError, ValueError) as exc:
        raise _refusal(path, f"no {exc}" if isinstance(exc, KeyError) else str(exc)) from None
