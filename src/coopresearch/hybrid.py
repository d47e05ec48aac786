"""The hybrid coder: the dictionary's rules, checked and completed by a model trained on labelled quotes.

Word rules find what a quote says in so many words; they miss a theme told as a story ("in
March they promised it, we have heard nothing since") and sometimes fire on a word in another
sense. A supervised model (`SupervisedCoder`) trained on labelled quotes reads such stories
better, but its evidence is weaker. The hybrid assigns a theme when

- the dictionary matched it and the model gives it a probability of at least ``confirm``, or
- the model alone gives it at least ``add``.

Every code keeps readable evidence: the dictionary's matched words, or the words that weighed
most in the model's decision.

The package ships labelled quotes for the default codebook's four themes in ``training/``:
development sets of invented interview quotes, written from the reference study by authors who
never saw the rules (see each set's README). `packaged_model` fits the model on them; it takes
a few seconds and gives the same model on every run.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pandas as pd
from sklearn.base import BaseEstimator

from .codebook import Codebook, default_codebook
from .coding import DictionaryCoder, SupervisedCoder, _check_lang, _check_quotes, _finish
from .errors import CoopResearchError

__all__ = ["HybridCoder", "has_packaged_model", "packaged_model", "training_quotes", "training_sets"]

CONFIRM, ADD = 0.25, 0.6  # chosen by leave-one-set-out on dev4 and dev5, which no rule was written from


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
    _check_lang(lang, "training_quotes")
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
    return codebook.theme_ids == default_codebook().theme_ids and not training_quotes(lang)[0].empty


@cache
def packaged_model(lang: str, *, leave_out: tuple[str, ...] = ()) -> SupervisedCoder:
    """The supervised coder of the default codebook, fitted on the shipped labelled quotes in ``lang``."""
    quotes, codes = training_quotes(lang, leave_out=leave_out)
    if quotes.empty:
        raise CoopResearchError(f"the package has no labelled quotes in '{lang}' to train a model on")
    return SupervisedCoder(default_codebook(), lang=lang, threshold=ADD).fit(quotes, codes)


class HybridCoder(BaseEstimator):
    """Dictionary matches confirmed by a model, plus the themes the model alone is sure of.

    Parameters
    ----------
    codebook : the codebook whose rules the dictionary applies.
    lang : ``nl`` or ``en``.
    model : a fitted `SupervisedCoder` for the codebook's themes; by default the packaged
        model (`packaged_model`), which knows the default codebook's themes.
    confirm : probability from which the model confirms a dictionary match.
    add : probability from which the model assigns a theme the dictionary did not find.
    n_jobs : processes for the dictionary's rules on large tables (see `DictionaryCoder`).

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "text": [
    ...     "Wie beslist hier eigenlijk?", "Drie instanties, en iedereen denkt dat een ander het oppakt."]})
    >>> HybridCoder(default_codebook()).code(quotes)[["quote_id", "theme", "coder"]]
      quote_id      theme   coder
    0       q1    mandate  hybrid
    1       q2  ownership  hybrid
    """

    def __init__(self, codebook: Codebook, *, lang: str = "nl", model: SupervisedCoder | None = None,
                 confirm: float = CONFIRM, add: float = ADD, n_jobs: int = 1):
        self.codebook = codebook
        self.lang = lang
        self.model = model
        self.confirm = confirm
        self.add = add
        self.n_jobs = n_jobs

    def _model(self) -> SupervisedCoder:
        _check_lang(self.lang, type(self).__name__)
        if not 0 <= self.confirm <= self.add <= 1:
            raise CoopResearchError(f"HybridCoder needs 0 <= confirm <= add <= 1; got confirm={self.confirm!r}, "
                                    f"add={self.add!r}")
        if self.model is None:
            if not has_packaged_model(self.codebook, self.lang):
                raise CoopResearchError(
                    f"codebook '{self.codebook.name}' has other themes than the default codebook, so the packaged "
                    "model cannot code them — train a model on your study's human codes ('coopresearch train') and "
                    "pass it with --model, or use the dictionary coder")
            return packaged_model(self.lang)
        if list(self.model.classes_) != self.codebook.theme_ids:
            raise CoopResearchError(f"the model codes the themes {', '.join(self.model.classes_)}, the codebook "
                                    f"'{self.codebook.name}' has {', '.join(self.codebook.theme_ids)} — "
                                    "train the model with this codebook")
        return self.model

    def code(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Themes of each quote in the long format; ``score`` is the model's probability.

        A dictionary match keeps its evidence and valence; a theme only the model found has
        the model's strongest words as evidence and the valence of the whole quote.
        """
        model = self._model()
        quotes = _check_quotes(quotes, "HybridCoder.code")
        probability = model.predict_proba(quotes)
        rows = []
        for row in DictionaryCoder(self.codebook, lang=self.lang, n_jobs=self.n_jobs).code(quotes).itertuples(index=False):
            p = probability.at[row.quote_id, row.theme]
            if p >= self.confirm:
                rows.append((row.quote_id, row.theme, "hybrid", p, row.evidence, row.valence))
        found = {(row[0], row[1]) for row in rows}
        alone = model.code(quotes, threshold=self.add)
        rows += [(row.quote_id, row.theme, "hybrid", row.score, row.evidence, row.valence)
                 for row in alone.itertuples(index=False) if (row.quote_id, row.theme) not in found]
        return _finish(rows)
