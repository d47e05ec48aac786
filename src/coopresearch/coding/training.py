"""The labelled quotes shipped with the package, and the packaged model fitted on them once.

The package ships labelled quotes for the default codebook's four themes in ``training/``:
development sets of invented interview quotes, written from the reference study by authors who
never saw the rules (see each set's README). `packaged_model` fits the supervised coder on them;
it takes a few seconds and gives the same model on every run.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pandas as pd

from ..codebook import Codebook, default_codebook
from ..errors import CoopResearchError
from .supervised import SupervisedCoder
from .table import check_lang

__all__ = ["ADD", "CONFIRM", "has_packaged_model", "packaged_model", "training_quotes", "training_sets"]

# The hybrid coder's thresholds (see HybridCoder): the model confirms a dictionary match from CONFIRM and
# assigns a theme on its own from ADD. Chosen by leave-one-set-out on dev4 and dev5, which no rule was written from.
CONFIRM, ADD = 0.25, 0.6


def training_sets() -> list[str]:
    """Names of the labelled sets shipped in ``training/``.

    Examples
    --------
    >>> training_sets()[0], training_sets()[-1]  # in numeric order: dev10 after dev2
    ('dev1', 'dev10')
    """
    folder = resources.files("coopresearch") / "training"
    names = [entry.name for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("_")]
    return sorted(names, key=lambda name: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)])


def training_quotes(lang: str, *, leave_out: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quotes (``quote_id, text``) and gold codes (``quote_id, theme, valence``) of the shipped sets.

    ``leave_out`` names sets to skip, to measure a model on a set it did not learn from.

    Examples
    --------
    >>> quotes, codes = training_quotes("nl")
    >>> sorted(codes["theme"].dropna().unique())
    ['mandate', 'ownership', 'reliability', 'transparency']
    """
    check_lang(lang, "training_quotes")
    unknown = sorted(set(leave_out) - set(training_sets()))
    if unknown:
        raise CoopResearchError(f"no training set named {', '.join(unknown)}; the sets are {', '.join(training_sets())}")
    folder = resources.files("coopresearch") / "training"
    quotes, codes = [], []
    for name in training_sets():
        if name in leave_out or not (folder / name / f"quotes_{lang}.csv").is_file():
            continue
        with (folder / name / f"quotes_{lang}.csv").open(encoding="utf-8") as file:
            quotes.append(pd.read_csv(file, dtype=str, keep_default_na=False))
        with (folder / name / f"codes_{lang}.csv").open(encoding="utf-8") as file:
            codes.append(pd.read_csv(file, dtype=str, keep_default_na=False).replace("", None))
    if not quotes:
        return pd.DataFrame(columns=["quote_id", "text"]), pd.DataFrame(columns=["quote_id", "theme", "valence"])
    return pd.concat(quotes, ignore_index=True), pd.concat(codes, ignore_index=True)


def has_packaged_model(codebook: Codebook, lang: str) -> bool:
    """Whether the packaged model can code ``codebook``'s themes in ``lang``: the default themes only.

    Examples
    --------
    >>> has_packaged_model(default_codebook(), "nl")
    True
    """
    return codebook.theme_ids == _default_codebook().theme_ids and not training_quotes(lang)[0].empty


@cache
def _default_codebook() -> Codebook:
    """`default_codebook`, parsed once per process (parsing its YAML takes a good part of a second)."""
    return default_codebook()


def _packaged_coder(lang: str) -> SupervisedCoder:
    """The packaged model's settings, unfitted."""
    return SupervisedCoder(_default_codebook(), lang=lang, threshold=ADD)


@cache
def packaged_model(lang: str, *, leave_out: tuple[str, ...] = ()) -> SupervisedCoder:
    """The supervised coder of the default codebook, fitted on the shipped labelled quotes in ``lang``.

    ``leave_out`` names sets it does not learn from (for measurements).

    Examples
    --------
    >>> packaged_model("en").classes_.tolist()
    ['transparency', 'mandate', 'ownership', 'reliability']
    """
    return _fit(lang, leave_out)


def _fit(lang: str, leave_out: tuple[str, ...]) -> SupervisedCoder:
    quotes, codes = training_quotes(lang, leave_out=leave_out)
    if quotes.empty:
        raise CoopResearchError(f"the package has no labelled quotes in '{lang}' to train a model on")
    return _packaged_coder(lang).fit(quotes, codes)
