"""The labelled quotes shipped with the package: development sets hand-coded on the default codebook's themes.

Each set in ``training/`` holds invented interview quotes and their gold codes per language
(see its README). They train the packaged model (`training.packaged_model`) and estimate how
often a rule match means its theme (`dictionary.match_probabilities`).
"""

from __future__ import annotations

import re
from importlib import resources

import pandas as pd

from ..errors import CoopResearchError
from .table import check_lang

__all__ = ["training_quotes", "training_sets"]


def training_sets() -> list[str]:
    """Names of the labelled sets shipped in ``training/``.

    Examples
    --------
    >>> training_sets()[0], training_sets()[-1]  # in numeric order: dev15 after dev2
    ('dev1', 'dev15')
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
