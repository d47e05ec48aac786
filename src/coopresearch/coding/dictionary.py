"""The dictionary coder: the codebook's rules applied to quotes, with the evidence of every theme.

`DictionaryCoder` records for every theme the rules that fired and the characters they
matched, so an auditor can see *why* a quote got a theme. Its ``score`` is a probability, as
every coder's is: how often a quote with that many matches of the theme had the theme in the
shipped labelled quotes (`match_probabilities`). `evidence_html` shows the matches highlighted.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from ..codebook import Codebook
from ..errors import CoopResearchError
from .labelled import training_quotes
from .table import check_lang, check_quotes, finish_codes, label_matrix
from .words import Matcher, clauses, polarity, valence_label, without_nested

__all__ = ["PARALLEL_FROM", "DictionaryCoder", "has_rules", "match_probabilities"]

PARALLEL_FROM = 20_000  # quotes from which DictionaryCoder(n_jobs=...) starts processes: below, starting them costs more


def _processes(n_jobs: int, quotes: int) -> int:
    """How many processes code ``quotes`` quotes: one below ``PARALLEL_FROM``, else ``n_jobs`` (-1: all cores).

    >>> _processes(4, 100), _processes(4, PARALLEL_FROM)
    (1, 4)
    """
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise CoopResearchError(f"The 'n_jobs' parameter of DictionaryCoder must be a positive int or -1. "
                                f"Got {n_jobs!r} instead.")
    if quotes < PARALLEL_FROM:
        return 1
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs



# a rule match as a reader sees it, in the language of the quote and the rule
EVIDENCE = {"nl": "{matched} (regel '{rule}' van {theme})", "en": "{matched} (rule '{rule}' of {theme})"}
_MATCHERS: dict[tuple, Matcher] = {}  # compiled rules by (codebook sha256, themes, language)
_PROBABILITIES: dict[tuple, dict] = {}  # match_probabilities by (codebook sha256, language)
MOST_MATCHES = 3  # from this many matches on, a theme's probability is one estimate


class DictionaryCoder(BaseEstimator):
    """Code quotes with the codebook's rules, recording the evidence of every theme.

    Parameters
    ----------
    codebook : the codebook whose ``terms``, ``exceptions`` and ``patterns`` are applied.
    lang : language of the quotes and of the rules used, ``nl`` or ``en``.
    n_jobs : processes for `code` on large tables (from ``PARALLEL_FROM`` quotes); ``-1``
        uses every core. The codes are the same whatever the number.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["q1"], "text": ["Wie beslist hier eigenlijk? Niemand weet het."]})
    >>> DictionaryCoder(default_codebook()).code(quotes)[["theme", "evidence", "valence"]]
         theme                                evidence   valence
    0  mandate  Wie beslist (regel 'wie beslist' van Mandaat)  negative
    """

    coder = "dictionary"  # its name in the codes' 'coder' column

    def __init__(self, codebook: Codebook, *, lang: str = "nl", n_jobs: int = 1):
        self.codebook = codebook
        self.lang = lang
        self.n_jobs = n_jobs

    def _matcher(self) -> Matcher:
        """The codebook's rules compiled for ``lang``: once per process and codebook, shared by every coder."""
        check_lang(self.lang, type(self).__name__)
        key = (self.codebook.sha256, tuple(self.codebook.theme_ids), self.lang)
        if key not in _MATCHERS:
            if not has_rules(self.codebook, self.lang):
                raise CoopResearchError(f"codebook '{self.codebook.name}' has no rules for language '{self.lang}' — "
                                        f"add 'terms: {{{self.lang}: [...]}}' to its themes or code in another language")
            if len(_MATCHERS) >= 8:  # a few codebooks per process at most: keep memory bounded
                _MATCHERS.pop(next(iter(_MATCHERS)))
            _MATCHERS[key] = Matcher(self.codebook, self.lang)
        return _MATCHERS[key]

    def _themes(self, quotes: pd.DataFrame):
        """Per checked quote with themes: ``(quote_id, text, [(theme id, valence, hits)])``; hits sorted by position."""
        matcher = self._matcher()
        ids, rules = self.codebook.theme_ids, matcher.rules
        for quote_id, text in zip(quotes["quote_id"].tolist(), quotes["text"].tolist(), strict=True):
            found, tokens = matcher.hits(text)
            if not found:
                continue
            by_theme: dict[int, list] = {}
            blocked: dict[int, list] = {}
            cues = []
            for hit in found:
                rule = rules[hit[0]]
                if rule.theme < 0:
                    cues.append(hit)
                elif rule.kind == "exceptions":
                    blocked.setdefault(rule.theme, []).append(hit)
                else:
                    by_theme.setdefault(rule.theme, []).append(hit)
            valid = {}
            for theme, hits in by_theme.items():
                hits = [h for h in hits if not any(h[3] < b[4] and b[3] < h[4] for b in blocked.get(theme, ()))]
                if hits:
                    valid[theme] = without_nested(hits)
            if not valid:
                continue
            if not cues:  # no evaluative word: every theme is neutral
                yield quote_id, text, [(ids[theme], "neutral", hits) for theme, hits in sorted(valid.items())]
                continue
            cues = [(rules[c[0]].kind, c[1], c[2]) for c in without_nested(cues)]
            clause = clauses(text, tokens, self.lang)
            whole = polarity(cues)
            themes = []
            for theme, hits in sorted(valid.items()):
                own = {clause(i) for h in hits for i in range(h[1], h[2] + 1)}
                local = polarity([c for c in cues if clause(c[1]) in own])
                themes.append((ids[theme], valence_label(local or whole), hits))
            yield quote_id, text, themes

    def evidence(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Every rule match that assigns a theme: one row per match.

        Returns ``quote_id, theme, rule, term, start, end, matched, valence``, where
        ``text[start:end] == matched`` and ``valence`` is that of the (quote, theme).
        """
        rules = self._matcher().rules
        rows = [(quote_id, theme, rules[r].ref, rules[r].text, start, end, text[start:end], valence)
                for quote_id, text, themes in self._themes(check_quotes(quotes, "DictionaryCoder.evidence"))
                for theme, valence, hits in themes for r, _, _, start, end in hits]
        table = pd.DataFrame(rows, columns=["quote_id", "theme", "rule", "term", "start", "end", "matched", "valence"])
        return table.sort_values(["quote_id", "theme", "start", "rule"], ignore_index=True)

    def code(self, quotes: pd.DataFrame, *, scored: bool = True) -> pd.DataFrame:
        """Themes of each quote: ``quote_id, theme, coder, score, evidence, valence``.

        ``score`` is the probability of the theme given its number of matches (`match_probabilities`;
        empty for a codebook whose themes no shipped quote is labelled with); ``evidence`` lists the
        matches in the quotes' language as ``matched text (regel 'term' van Thema)``, separated by
        `` | `` (`evidence` gives their positions). ``scored=False`` leaves ``score`` empty, for a
        caller that scores the themes itself (the hybrid coder) and need not estimate it.
        """
        quotes = check_quotes(quotes, "DictionaryCoder.code")
        self._matcher()  # checks the language and the rules first
        probability = match_probabilities(self.codebook, self.lang) if scored else {}
        jobs = _processes(self.n_jobs, len(quotes))
        if jobs == 1:
            return finish_codes(self._code_rows(quotes, probability))
        from joblib import Parallel, delayed

        chunks = np.array_split(np.arange(len(quotes)), jobs)
        serial = DictionaryCoder(self.codebook, lang=self.lang)
        parts = Parallel(n_jobs=jobs)(delayed(serial._code_rows)(quotes.iloc[chunk], probability) for chunk in chunks)
        return finish_codes([row for part in parts for row in part])

    def _code_rows(self, quotes: pd.DataFrame, probability: dict) -> list[tuple]:
        """The rows of `code` for checked ``quotes``, unsorted."""
        rules = self._matcher().rules
        labels = self.codebook.labels(self.lang)
        read = EVIDENCE[self.lang]
        return [(quote_id, theme, self.coder, probability.get((theme, min(len(hits), MOST_MATCHES)), np.nan),
                 " | ".join(read.format(matched=text[start:end], rule=rules[r].text, theme=labels[theme])
                            for r, _, _, start, end in hits), valence)
                for quote_id, text, themes in self._themes(quotes)
                for theme, valence, hits in themes]

    def valence(self, quotes: pd.DataFrame) -> pd.Series:
        """Valence of each whole quote from the cues alone (used for the supervised coder's themes)."""
        matcher = self._matcher()
        quotes = check_quotes(quotes, "DictionaryCoder.valence")
        values = []
        for text in quotes["text"].tolist():
            found, _ = matcher.hits(text)
            cues = [h for h in found if matcher.rules[h[0]].theme < 0]
            values.append(valence_label(polarity([(matcher.rules[c[0]].kind, c[1], c[2]) for c in without_nested(cues)])))
        return pd.Series(values, index=quotes["quote_id"], name="valence")


def match_probabilities(codebook: Codebook, lang: str) -> dict[tuple[str, int], float]:
    """How often a quote with 1, 2 or 3+ rule matches of a theme has that theme, by ``(theme, matches)``.

    Counted on the shipped labelled quotes in ``lang`` (`training_quotes`), add-one smoothed:
    (quotes with the theme + 1) / (quotes with that many matches + 2). The rules were written
    against those quotes, so the estimate leans optimistic. Empty for a codebook whose themes
    the labelled quotes do not use (a study's own codebook) or with no rules in ``lang``.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> probability = match_probabilities(default_codebook(), "nl")
    >>> 0.5 < probability[("mandate", 1)] < probability[("mandate", 3)] < 1
    True
    """
    key = (codebook.sha256, lang)
    if key not in _PROBABILITIES:
        if len(_PROBABILITIES) >= 8:  # a few codebooks per process at most: keep memory bounded
            _PROBABILITIES.pop(next(iter(_PROBABILITIES)))
        _PROBABILITIES[key] = _count_matches(codebook, lang)
    return _PROBABILITIES[key]


def _count_matches(codebook: Codebook, lang: str) -> dict[tuple[str, int], float]:
    quotes, codes = training_quotes(lang)
    if quotes.empty or not has_rules(codebook, lang) or not set(codebook.theme_ids) <= set(codes["theme"].dropna()):
        return {}
    truth = pd.DataFrame(label_matrix(quotes["quote_id"], codes, codebook.theme_ids), columns=codebook.theme_ids,
                         index=quotes["quote_id"])
    counts: dict[tuple[str, int], list[int]] = {}
    for quote_id, _, themes in DictionaryCoder(codebook, lang=lang)._themes(quotes):
        for theme, _, hits in themes:
            tally = counts.setdefault((theme, min(len(hits), MOST_MATCHES)), [0, 0])
            tally[0] += int(truth.at[quote_id, theme])
            tally[1] += 1
    return {pair: (right + 1) / (fired + 2) for pair, (right, fired) in counts.items()}


def has_rules(codebook: Codebook, lang: str) -> bool:
    """Whether any theme of the codebook has dictionary rules for ``lang``.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> has_rules(default_codebook(), "nl")
    True
    """
    return any(theme.terms.get(lang) or theme.patterns.get(lang) for theme in codebook.themes)
