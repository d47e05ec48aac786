"""The labelled quotes shipped with the package, and the packaged model fitted on them once.

The package ships labelled quotes for the default codebook's four themes in ``training/``:
development sets of invented interview quotes, written from the reference study by authors who
never saw the rules (see each set's README). `packaged_model` fits the supervised coder on them
(a few seconds, the same model on every run) and keeps it in the user cache directory, in the
data-only format of `save_model`, so later processes load it instead of fitting it again.
``COOPRESEARCH_CACHE_DIR`` moves that cache elsewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache
from importlib import resources
from pathlib import Path

import platformdirs
import sklearn

from ..codebook import Codebook, default_codebook
from ..errors import CoopResearchError
from .labelled import training_quotes, training_sets
from .model_file import MODEL_FORMAT, load_model, save_model
from .supervised import VECTORIZERS, SupervisedCoder
from .table import check_lang

__all__ = [
    "ADD",
    "CACHE_ENV",
    "CONFIRM",
    "cache_dir",
    "has_packaged_model",
    "packaged_model",
    "packaged_model_path",
]

# The hybrid coder's thresholds (see HybridCoder): the model confirms a dictionary match from CONFIRM and
# assigns a theme on its own from ADD. Chosen by leave-one-set-out on dev4 and dev5, which no rule was written from.
CONFIRM, ADD = 0.25, 0.6
CACHE_ENV = "COOPRESEARCH_CACHE_DIR"


def has_packaged_model(codebook: Codebook, lang: str) -> bool:
    """Whether the packaged model can code ``codebook``'s themes in ``lang``: the default themes only.

    Examples
    --------
    >>> has_packaged_model(default_codebook(), "nl")
    True
    """
    folder = resources.files("coopresearch") / "training"
    return codebook.theme_ids == default_codebook().theme_ids and any(
        (folder / name / f"quotes_{lang}.csv").is_file() for name in training_sets())


def cache_dir() -> Path:
    """Where packaged models are cached: ``$COOPRESEARCH_CACHE_DIR``, else the user cache directory.

    Examples
    --------
    >>> cache_dir() == Path(os.environ["COOPRESEARCH_CACHE_DIR"])  # the tests' own folder
    True
    """
    return Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("coopresearch"))


def _packaged_coder(lang: str) -> SupervisedCoder:
    """The packaged model's settings, unfitted."""
    return SupervisedCoder(default_codebook(), lang=lang, threshold=ADD)


def packaged_model_path(lang: str) -> Path:
    """The cache file of the packaged model in ``lang``, named by a sha256 of all it depends on.

    That is the shipped training files of ``lang``, the default codebook, the coder's settings,
    the scikit-learn version and the model file format: change one and the name changes.

    Examples
    --------
    >>> packaged_model_path("nl").name
    'packaged_model_nl_....npz'
    """
    check_lang(lang, "packaged_model")
    digest = hashlib.sha256()
    folder = resources.files("coopresearch") / "training"
    for name in training_sets():
        for kind in ("quotes", "codes"):
            file = folder / name / f"{kind}_{lang}.csv"
            if file.is_file():
                digest.update(f"\n{name}/{kind}_{lang}.csv\n".encode())
                digest.update(file.read_bytes())
    settings = {key: value for key, value in _packaged_coder(lang).get_params().items() if key != "codebook"}
    digest.update(json.dumps({"codebook": default_codebook().sha256, "settings": settings, "vectorizers": VECTORIZERS,
                              "sklearn": sklearn.__version__, "format": MODEL_FORMAT}, sort_keys=True).encode())
    return cache_dir() / f"packaged_model_{lang}_{digest.hexdigest()[:16]}.npz"


@cache
def packaged_model(lang: str, *, leave_out: tuple[str, ...] = ()) -> SupervisedCoder:
    """The supervised coder of the default codebook, fitted on the shipped labelled quotes in ``lang``.

    Loaded from the cache (`packaged_model_path`) when it holds a valid model, else fitted
    and written there; a damaged cache file is fitted again, an unwritable cache folder
    only means the model is not kept. ``leave_out`` sets (for measurements) fit in memory.

    Examples
    --------
    >>> packaged_model("en").classes_.tolist()
    ['transparency', 'mandate', 'ownership', 'reliability']
    """
    if leave_out:
        return _fit(lang, leave_out)
    path = packaged_model_path(lang)
    if path.is_file():
        try:
            return load_model(path, codebook=default_codebook())
        except CoopResearchError:
            pass  # damaged or foreign: fitted again and replaced below
    coder = _fit(lang, ())
    with contextlib.suppress(OSError):  # a read-only or full cache folder: the model serves this process only
        save_model(coder, path)
    return coder


def _fit(lang: str, leave_out: tuple[str, ...]) -> SupervisedCoder:
    quotes, codes = training_quotes(lang, leave_out=leave_out)
    if quotes.empty:
        raise CoopResearchError(f"the package has no labelled quotes in '{lang}' to train a model on")
    return _packaged_coder(lang).fit(quotes, codes)
