"""The hybrid coder: the dictionary's rules, checked and completed by a model trained on labelled quotes.

Word rules find what a quote says in so many words; they miss a theme told as a story ("in
March they promised it, we have heard nothing since") and sometimes fire on a word in another
sense. A supervised model (`SupervisedCoder`) trained on labelled quotes reads such stories
better, but its evidence is weaker. The hybrid assigns a theme when

- the dictionary matched it and the model gives it a probability of at least ``confirm``, or
- the model alone gives it at least ``add``.

Every code keeps readable evidence: the dictionary's matched words, or the words that weighed
most in the model's decision. By default the model is the packaged one (`packaged_model`).
"""

from __future__ import annotations

import pandas as pd
from sklearn.base import BaseEstimator

from ..codebook import Codebook
from ..errors import CoopResearchError
from .dictionary import DictionaryCoder
from .supervised import SupervisedCoder
from .table import check_lang, check_quotes, finish_codes
from .training import ADD, CONFIRM, has_packaged_model, packaged_model

__all__ = ["ADD", "CONFIRM", "HybridCoder"]


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
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "text": [
    ...     "Wie beslist hier eigenlijk?", "Drie instanties, en iedereen denkt dat een ander het oppakt."]})
    >>> HybridCoder(default_codebook()).code(quotes)[["quote_id", "theme", "coder"]]
      quote_id      theme   coder
    0       q1    mandate  hybrid
    1       q2  ownership  hybrid
    """

    coder = "hybrid"  # its name in the codes' 'coder' column

    def __init__(self, codebook: Codebook, *, lang: str = "nl", model: SupervisedCoder | None = None,
                 confirm: float = CONFIRM, add: float = ADD, n_jobs: int = 1):
        self.codebook = codebook
        self.lang = lang
        self.model = model
        self.confirm = confirm
        self.add = add
        self.n_jobs = n_jobs

    def _model(self) -> SupervisedCoder:
        check_lang(self.lang, type(self).__name__)
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

        A dictionary match keeps its evidence; a theme only the model found has the model's
        strongest words as evidence. The valence is the model's reading of the quote where the
        model learnt valence (the packaged model did), else the dictionary's cue words.
        """
        model = self._model()
        quotes = check_quotes(quotes, "HybridCoder.code")
        probability, read = model.read(quotes)  # the model's valence, where it learnt one, beats the cue words
        matches = DictionaryCoder(self.codebook, lang=self.lang, n_jobs=self.n_jobs).code(quotes, scored=False)
        rows = []
        for row in matches.itertuples(index=False):
            p = probability.at[row.quote_id, row.theme]
            if p >= self.confirm:
                valence = row.valence if read is None else read[row.quote_id]
                rows.append((row.quote_id, row.theme, self.coder, p, row.evidence, valence))
        found = {(row[0], row[1]) for row in rows}
        alone = model.code(quotes, threshold=self.add, read=(probability, read))
        rows += [(row.quote_id, row.theme, self.coder, row.score, row.evidence, row.valence)
                 for row in alone.itertuples(index=False) if (row.quote_id, row.theme) not in found]
        return finish_codes(rows)

    def review(self, quotes: pd.DataFrame, *, margin: float = 0.15) -> pd.DataFrame:
        """Where the machine is unsure, most unsure first: the quotes a person should look at.

        One row per (quote, theme) with its ``probability`` and ``reason``: ``dropped`` (a rule
        matched, the model did not confirm it), ``near`` (the model's probability is within
        ``margin`` of the threshold that decides, on either side). ``distance`` is how far the
        probability is from that threshold; ties by quote id and theme.
        """
        model = self._model()
        quotes = check_quotes(quotes, "HybridCoder.review")
        probability = model.predict_proba(quotes)
        matched = {(row.quote_id, row.theme) for row in
                   DictionaryCoder(self.codebook, lang=self.lang, n_jobs=self.n_jobs).code(quotes, scored=False).itertuples()}
        rows = []
        for quote_id, theme in probability.stack().index:
            p = float(probability.at[quote_id, theme])
            threshold = self.confirm if (quote_id, theme) in matched else self.add
            if (quote_id, theme) in matched and p < self.confirm:
                rows.append((quote_id, theme, p, "dropped", threshold - p))
            elif abs(p - threshold) < margin:
                rows.append((quote_id, theme, p, "near", abs(p - threshold)))
        table = pd.DataFrame(rows, columns=["quote_id", "theme", "probability", "reason", "distance"])
        return table.sort_values(["distance", "quote_id", "theme"], ignore_index=True)
