"""Saved models: a fitted `SupervisedCoder` with the hash of its codebook (joblib)."""

from __future__ import annotations

from pathlib import Path

from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from ..codebook import Codebook
from ..errors import CoopResearchError
from .supervised import SupervisedCoder

__all__ = ["MODEL_FORMAT", "load_model", "save_model"]

MODEL_FORMAT = 1


def save_model(coder: SupervisedCoder, path) -> None:
    """Save a fitted supervised coder with the hash of its codebook (joblib)."""
    import joblib

    try:
        check_is_fitted(coder, "classes_")
    except NotFittedError:
        raise CoopResearchError("the supervised coder is not fitted — call fit() (or 'coopresearch train') first") from None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"format": MODEL_FORMAT, "codebook_sha256": coder.codebook_sha256_, "coder": coder}, path, compress=3)


def load_model(path, *, codebook: Codebook) -> SupervisedCoder:
    """Load a coder saved by `save_model`; refuse one trained on another codebook.

    Loading unpickles the file: only load models you made or trust.
    """
    import joblib

    try:
        saved = joblib.load(path)
    except FileNotFoundError:
        raise CoopResearchError(f"{path}: model file is missing — train one with 'coopresearch train'") from None
    except Exception as exc:  # a truncated or foreign file: say what, not a traceback
        raise CoopResearchError(f"{path}: not a coopresearch model ({type(exc).__name__}) — "
                                "train a new one with 'coopresearch train'") from None
    if not isinstance(saved, dict) or saved.get("format") != MODEL_FORMAT or not isinstance(saved.get("coder"), SupervisedCoder):
        raise CoopResearchError(f"{path}: not a coopresearch model — train a new one with 'coopresearch train'")
    if saved["codebook_sha256"] != codebook.sha256:
        raise CoopResearchError(
            f"{path}: the model was trained with another codebook (sha256 {saved['codebook_sha256'][:12]}…, "
            f"this codebook is {codebook.sha256[:12]}…) — retrain it with 'coopresearch train' on this codebook")
    return saved["coder"]
