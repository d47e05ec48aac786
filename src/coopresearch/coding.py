"""Coders that assign themes to quotes: a dictionary coder with evidence, and a supervised coder.

Both return the same long table, one row per (quote, theme) assigned:
``quote_id, theme, coder, score, evidence, valence``.

* `DictionaryCoder` applies the codebook's rules (terms, exceptions, patterns) and
  records for every theme the rules that fired and the characters they matched, so an
  auditor can see *why* a quote got a theme. Its ``score`` is the number of matches.
* `SupervisedCoder` learns from human codes (TF-IDF on words and character n-grams, one
  class-weighted logistic regression per theme). Its ``score`` is the predicted
  probability and its evidence the words that weighed most.

The valence of a (quote, theme) — positive, negative or neutral — comes from evaluative
cues ("goed", "helder" / "te laat", "onvoldoende") and negations ("niet", "geen") in the
clauses that carry the theme's evidence.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import snowballstemmer
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support
from sklearn.model_selection import KFold
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from .codebook import GAP, Codebook, parse_term
from .errors import CoopResearchError
from .schemas import LANGUAGES

__all__ = [
    "CODE_COLUMNS", "VALENCE_CUES", "DictionaryCoder", "SupervisedCoder", "agreement", "cross_validate",
    "evidence_examples", "evidence_html", "guess_language", "has_rules", "load_model", "machine_codes", "save_model",
    "theme_counts",
]

CODE_COLUMNS = ["quote_id", "theme", "coder", "score", "evidence", "valence"]
WORD = re.compile(r"\w+(?:['’]\w+)*")
PARALLEL_FROM = 20_000  # quotes from which DictionaryCoder(n_jobs=...) starts processes: below, starting them costs more
GAP_WORDS = 4  # words allowed between the two sides of '..' in a term
NEGATION_BEFORE, NEGATION_AFTER = 3, 1  # "niet echt goed" / "werkt niet"
STEMMERS = {"nl": "dutch", "en": "english"}
# Derivational endings the stemmers strip although they change the word: 'openheid' and 'opening'
# share the stem 'open', 'commitment' and 'commit' the stem 'commit', the diminutive 'telefoontje'
# that of 'telefoon'. A word matches a term (without wildcards) only when both end in the same
# one of these, or when a Dutch word adds -heid or -ing to a term without one ('eerlijk' matches
# 'eerlijkheid').
DERIVATIONS = {  # ending as written -> the derivation it marks
    "nl": {"heid": "heid", "heden": "heid", "ing": "ing", "ingen": "ing", "baar": "baar", "bare": "baar",
           "lijk": "lijk", "lijke": "lijk", "lijker": "lijk", "ig": "ig", "ige": "ig", "iger": "ig", "end": "end",
           "ende": "end", "je": "je", "jes": "je"},
    "en": {"ment": "ment", "ments": "ment", "ness": "ness", "ity": "ity", "ities": "ity", "ive": "ive",
           "ively": "ive", "ation": "ation", "ations": "ation", "al": "al", "ally": "al", "able": "able",
           "ably": "able", "ible": "ible", "ibly": "ible"},
}
DERIVATION_ENDING = {lang: re.compile("(" + "|".join(endings) + ")$") for lang, endings in DERIVATIONS.items()}
ADDED_DERIVATIONS = {"nl": {"heid", "ing"}, "en": set()}

# Evaluative cues per language, in the codebook's term syntax. A codebook may add its own
# under a top-level 'valence' key. A cue inside a longer cue does not count on its own
# ("kan beter" is negative, although "beter" is positive).
VALENCE_CUES: dict[str, dict[str, list[str]]] = {
    "nl": {
        "negation": ["niet", "geen", "nooit", "niemand", "niets", "niks", "nergens", "nauwelijks", "amper",
                     "zonder", "allerminst", "geen enkele", "geen mens"],
        "positive": [
            "goed", "goeie", "beter", "prima", "prettig", "fijn", "helder", "duidelijk", "duidelijkheid", "keurig",
            "netjes", "uitstekend", "tevreden", "sterk", "soepel", "snel", "sneller", "vlot", "lekker", "mooi",
            "winst", "positief", "waardering", "waarderen", "gewaardeerd", "effectief", "constructief", "plezierig",
            "gelukkig", "verademing", "goud waard", "dat werkt", "werkt echt", "het werkt", "loopt prima", "dat loopt",
            "scheelt", "op tijd", "tijdig", "betrouwbaar", "staat als een huis", "korte lijnen", "open", "openheid",
            "eerlijk", "vertrouwen", "vertrouwt", "nakomen", "nagekomen", "waarmaken", "overeind blijft", "blijft overeind",
            "zo kan het", "zo hoort het", "wel kan", "lukt", "gelukt", "opgelost", "recht in je gezicht",
        ],
        "negative": [
            "slecht", "onduidelijk", "onduidelijkheid", "onvoldoende", "te laat", "traag", "trager", "moeizaam",
            "lastig", "moeilijk", "stroef", "probleem", "problemen", "knelpunt", "jammer", "helaas", "frustr*",
            "ergernis", "irritatie", "irritant", "misgaat", "gaat mis", "fout", "gebrek", "ontbreekt", "ontbreken",
            "mis", "missen", "teleurgesteld", "teleurstelling", "teleurstellend", "onbetrouwbaar", "onzeker", "vaag",
            "verwarring", "chaos", "rommelig", "stroperig", "eindeloos", "pas achteraf", "achteraf", "pas als", "pas toen",
            "pas bij", "pas van", "verrast", "klacht*", "wantrouwen", "botsen", "conflict", "kan beter", "kan veel beter",
            "kan een stuk beter", "moet beter", "laat te wensen over", "schiet tekort", "tekortschieten", "stokt",
            "vastzitten", "vastzit*", "ligt stil", "liggen stil", "buitenspel", "ruis", "filter", "kwalijk",
            "weken verder", "maanden verder",
            "duurt lang", "te lang", "duurt maanden", "wachten", "zoeken", "vergeten", "wisten van niks", "ander verhaal",
            "blijft het bij praten", "ingegraven", "verschiet", "tegen de borst", "afhankelijk", "ad hoc", "ingeslapen",
            "kritiek", "zorgen", "risico", "hindernis", "krap", "muur", "kan jij dit", "waarom zit je er dan",
            "niet over", "gat",
        ],
    },
    "en": {
        "negation": ["not", "no", "never", "nobody", "no one", "nothing", "none", "neither", "nor", "without",
                     "hardly", "barely", "cannot", "can't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
                     "weren't", "won't", "wouldn't", "couldn't", "shouldn't", "haven't", "hasn't", "hadn't"],
        "positive": [
            "good", "better", "great", "fine", "excellent", "clear", "clearly", "clarity", "pleased", "satisfied",
            "happy", "smooth", "smoothly", "quick", "quickly", "fast", "swift", "constructive", "effective", "helpful",
            "positive", "appreciate", "appreciated", "valuable", "works well", "it works", "that works", "on time",
            "in time", "timely", "reliable", "trust", "open", "openly", "honest", "honestly", "neat", "neatly", "well",
            "solid", "short lines", "relief", "success", "successful", "fortunately", "keeps", "kept", "delivers",
            "delivered",
        ],
        "negative": [
            "bad", "poor", "poorly", "unclear", "insufficient", "too late", "late", "slow", "slowly", "difficult",
            "hard", "problem", "problems", "issue", "issues", "bottleneck", "unfortunately", "pity", "shame",
            "frustrat*", "annoy*", "irritat*", "wrong", "lack", "lacking", "missing", "miss", "disappoint*",
            "unreliable", "uncertain", "vague", "confusion", "confusing", "chaos", "messy", "endless", "afterwards",
            "after the fact", "surprised", "complain*", "distrust", "mistrust", "conflict", "clash", "could be better",
            "needs to improve", "falls short", "stuck", "stalled", "delay*", "wait", "waiting", "forgotten", "only when",
            "only after", "too long", "takes months", "dark", "concern", "concerns", "worried", "risk", "obstacle",
            "black box", "nowhere",
        ],
    },
}
CONTRAST = {"nl": {"maar", "echter", "alleen", "terwijl", "hoewel", "daarentegen"},
            "en": {"but", "however", "although", "though", "whereas", "yet"}}
CLAUSE_BREAK = {lang: re.compile(r"[.!?;:]+(?=\s|$)|\b(?:" + "|".join(sorted(words)) + r")\b", re.IGNORECASE)
                for lang, words in CONTRAST.items()}


# --- words --------------------------------------------------------------------------------

def _fold(word: str) -> str:
    """Lower case without diacritics: 'Geïnformeerd' -> 'geinformeerd'."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _stemmer(lang: str):
    return snowballstemmer.stemmer(STEMMERS[lang])


def guess_language(texts) -> str:
    """``nl`` or ``en``, whichever language's common words are more frequent in ``texts``.

    Examples
    --------
    >>> guess_language(["We weten niet wie er beslist.", "Het is de vraag."])
    'nl'
    """
    # frequent words of one language that are not words of the other ('we', 'is' and 'in' are both)
    common = {"nl": {"de", "het", "een", "en", "van", "niet", "dat", "wij", "zijn", "ik", "er", "met", "ons", "onze",
                     "ze", "zij", "op", "voor", "heeft", "hebben", "niemand", "wat", "wie", "geen", "ook", "maar"},
              "en": {"the", "a", "and", "of", "not", "that", "are", "i", "to", "with", "they", "us", "our", "it",
                     "on", "for", "has", "have", "nobody", "what", "who", "no", "also", "but", "was", "about"}}
    counts = dict.fromkeys(LANGUAGES, 0)
    for text in texts:
        for word in WORD.findall(str(text).lower()):
            for lang in LANGUAGES:
                counts[lang] += word in common[lang]
    return "en" if counts["en"] > counts["nl"] else "nl"


@dataclass(frozen=True)
class _Rule:
    """One compiled rule: what it belongs to (theme index or cue kind) and how it shows in evidence."""

    theme: int  # index into codebook.themes; -1 for a valence cue
    kind: str  # terms, exceptions, patterns, positive, negative, negation
    ref: str  # 'terms.nl[3]'
    text: str  # the rule as written
    tests: tuple[int, ...] = ()  # word tests in order; -1 marks a gap
    regex: re.Pattern | None = None


class _Matcher:
    """All rules of one codebook and language, compiled for fast matching.

    Every distinct word of the input is classified once (cached): which word tests it
    passes and which rules it can start. A quote is then a list of cached lookups.
    """

    def __init__(self, codebook: Codebook, lang: str):
        self.lang = lang
        self.stem = _stemmer(lang).stemWord
        self.rules: list[_Rule] = []
        self.tests: dict[tuple[str, ...], int] = {}
        # word tests by kind: stem equality, prefix of the folded word, suffix of the stem, infix
        self.exact: dict[str, list[int]] = {}
        self.derivation: dict[int, str] = {}  # exact test -> derivational ending of its word
        self.prefix: dict[str, list[int]] = {}
        self.suffix: dict[str, list[int]] = {}
        self.infix: list[tuple[str, int]] = []
        for t, theme in enumerate(codebook.themes):
            for kind in ("terms", "exceptions", "patterns"):
                for j, text in enumerate(getattr(theme, kind).get(lang, [])):
                    self._add(t, kind, f"{kind}.{lang}[{j}]", text)
        for kind in ("negation", "positive", "negative"):
            cues = VALENCE_CUES[lang][kind] + codebook.valence.get(lang, {}).get(kind, [])
            for j, text in enumerate(cues):
                self._add(-1, kind, f"{kind}.{lang}[{j}]", text)
        self.first: dict[int, list[int]] = {}
        for r, rule in enumerate(self.rules):
            if rule.tests:
                self.first.setdefault(rule.tests[0], []).append(r)
        self.patterns = [r for r, rule in enumerate(self.rules) if rule.regex is not None]
        self.sequences = [rule.tests for rule in self.rules]
        self.words: dict[str, tuple | None] = {}  # word of a text -> classify(word)

    def _add(self, theme: int, kind: str, ref: str, text: str) -> None:
        if kind == "patterns":
            self.rules.append(_Rule(theme, kind, ref, text, regex=re.compile(text, re.IGNORECASE)))
            return
        tests = tuple(-1 if word == GAP else self._test(word) for word in parse_term(text))
        self.rules.append(_Rule(theme, kind, ref, text, tests))

    def _test(self, word: str) -> int:
        """Index of the word test for ``word`` as written in a term (with wildcards)."""
        head, tail = word.startswith("*"), word.endswith("*")
        core = _fold(word.strip("*"))
        kind = {(False, False): "exact", (False, True): "prefix", (True, False): "suffix", (True, True): "infix"}[
            (head, tail)]
        key = (kind, core) if kind in ("prefix", "infix") else (kind, self.stem(core))
        if kind == "exact":  # same stem, other derivation: another test
            key = (*key, self._derivation(core))
        if key not in self.tests:
            self.tests[key] = index = len(self.tests)
            if kind == "infix":
                self.infix.append((core, index))
            else:
                getattr(self, kind).setdefault(key[1], []).append(index)
            if kind == "exact":
                self.derivation[index] = key[2]
        return self.tests[key]

    def _derivation(self, folded: str) -> str:
        """The derivational ending of a word, normalised: 'betrokkenheid' -> 'heid', 'besprekingen' -> 'ing'."""
        found = DERIVATION_ENDING[self.lang].search(folded)
        return DERIVATIONS[self.lang][found.group(1)] if found else ""

    def classify(self, word: str):
        """What a word of the text means to the rules, or None when it matters to no rule.

        ``(tests it passes, one-word rules it matches, {next word's test: rules it starts},
        {test of a word within the gap: rules it starts with a gap next})``: a quote's words
        then look up only the rules whose next word is there.
        """
        folded = _fold(word)
        stem = self.stem(folded)
        ending = self._derivation(folded)
        added = ADDED_DERIVATIONS[self.lang]
        tests = {test for test in self.exact.get(stem, ())
                 if self.derivation[test] == ending or (not self.derivation[test] and ending in added)}
        for n in range(1, len(folded) + 1):
            tests.update(self.prefix.get(folded[:n], ()))
        for n in range(len(stem)):
            tests.update(self.suffix.get(stem[n:], ()))
        tests.update(index for core, index in self.infix if core in folded)
        if not tests:
            return None
        singles, after, gapped = [], {}, {}
        for r in sorted(r for test in tests for r in self.first.get(test, ())):
            sequence = self.sequences[r]
            if len(sequence) == 1:
                singles.append(r)
            else:  # keyed by the test of the next word, or of the first word after the gap
                group = gapped if sequence[1] == -1 else after
                group.setdefault(sequence[2] if sequence[1] == -1 else sequence[1], []).append(r)
        return (frozenset(tests), tuple(singles), {test: tuple(rules) for test, rules in after.items()},
                {test: tuple(rules) for test, rules in gapped.items()})

    def hits(self, text: str):
        """Every rule match in ``text``: ``(rule index, first token, last token)``, and the token spans.

        Spans are ``[(start, end), ...]`` per token, computed only when a rule matched and
        only as far as the matches need them.
        """
        words = self.words
        info = [words.get(word, False) for word in WORD.findall(text)]
        if False in info:
            info = [item if item is not False else self._learn(word) for item, word in zip(info, WORD.findall(text),
                                                                                          strict=True)]
        found = []
        n = len(info)
        sequences = self.sequences
        for i, item in enumerate(info):
            if item is None:
                continue
            _, singles, after, gapped = item
            if singles:
                found += [(r, i, i) for r in singles]
            following = info[i + 1] if after and i + 1 < n else None
            if following is not None:
                for test in following[0]:
                    for r in after.get(test, ()):
                        last = i + 1 if len(sequences[r]) == 2 else self._extend(sequences[r], info, i, n)
                        if last >= 0:
                            found.append((r, i, last))
            if gapped:
                near = set().union(*(item[0] for item in info[i + 1:i + 2 + GAP_WORDS] if item is not None))
                for test in near.intersection(gapped):
                    for r in gapped[test]:
                        last = self._extend(sequences[r], info, i, n)
                        if last >= 0:
                            found.append((r, i, last))
        matches = [(r, m.span()) for r in self.patterns for m in self.rules[r].regex.finditer(text) if m.end() > m.start()]
        if not found and not matches:
            return [], []
        # character spans of the tokens, up to the last one a match needs (all of them for patterns)
        tokens = WORD.finditer(text) if matches else itertools.islice(WORD.finditer(text), max(h[2] for h in found) + 1)
        spans = [m.span() for m in tokens]
        found = [(r, i, j, spans[i][0], spans[j][1]) for r, i, j in found]
        if matches and spans:
            starts = [start for start, _ in spans]
            for r, (start, end) in matches:
                first = max(bisect.bisect_right(starts, start) - 1, 0)
                found.append((r, first, max(bisect.bisect_left(starts, end) - 1, first), start, end))
        return found, spans

    def _learn(self, word: str):
        self.words[word] = item = self.classify(word)
        return item

    @staticmethod
    def _extend(tests: tuple[int, ...], info: list, i: int, n: int) -> int:
        """Index of the last token of the rule's match starting at token ``i``, or -1."""
        position, gap = i, False
        for test in tests[1:]:
            if test == -1:
                gap = True
                continue
            stop = position + 2 + (GAP_WORDS if gap else 0)
            for j in range(position + 1, stop if stop < n else n):
                if info[j] is not None and test in info[j][0]:
                    position, gap = j, False
                    break
            else:
                return -1
        return position


def _without_nested(hits: list[tuple]) -> list[tuple]:
    """Drop matches inside (or equal to) an earlier, longer match: 'afspraak is afspraak' counts once."""
    if len(hits) < 2:
        return hits
    kept = []
    for hit in sorted(hits, key=lambda h: (h[3], -h[4], h[0])):
        if not any(k[3] <= hit[3] and hit[4] <= k[4] for k in kept):
            kept.append(hit)
    return kept


def _clauses(text: str, spans: list, lang: str):
    """Clause number of a token (a function): a new clause after . ! ? ; : and at 'maar'/'but'."""
    boundaries = [m.start() for m in CLAUSE_BREAK[lang].finditer(text)]
    return lambda i: bisect.bisect_right(boundaries, spans[i][0])


def _polarity(cues: list[tuple[str, int, int]]) -> int:
    """Sum of cue polarities; a negation just before (or right after) a cue flips it, else counts -1."""
    negations = [(first, last) for kind, first, last in cues if kind == "negation"]
    used = set()
    total = 0
    for kind, first, last in cues:
        if kind == "negation":
            continue
        sign = 1 if kind == "positive" else -1
        for k, (n_first, n_last) in enumerate(negations):
            if k not in used and (first - NEGATION_BEFORE <= n_last < first or last < n_first <= last + NEGATION_AFTER):
                used.add(k)
                sign = -sign
                break
        total += sign
    return total - (len(negations) - len(used))


def _valence(score: int) -> str:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def _check_quotes(quotes: pd.DataFrame, who: str) -> pd.DataFrame:
    if not isinstance(quotes, pd.DataFrame) or not {"quote_id", "text"} <= set(quotes.columns):
        got = list(quotes.columns) if isinstance(quotes, pd.DataFrame) else type(quotes).__name__
        raise CoopResearchError(f"{who} needs a table with the columns quote_id and text; got {got}")
    return pd.DataFrame({"quote_id": quotes["quote_id"].astype(str),
                         "text": quotes["text"].fillna("").astype(str)}).reset_index(drop=True)


def _check_lang(lang: str, who: str) -> None:
    if lang not in LANGUAGES:
        raise CoopResearchError(f"The 'lang' parameter of {who} must be one of {', '.join(LANGUAGES)}. Got {lang!r} instead.")


def _processes(n_jobs: int, quotes: int) -> int:
    """How many processes code ``quotes`` quotes: one below ``PARALLEL_FROM``, else ``n_jobs`` (-1: all cores)."""
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise CoopResearchError(f"The 'n_jobs' parameter of DictionaryCoder must be a positive int or -1. "
                                f"Got {n_jobs!r} instead.")
    if quotes < PARALLEL_FROM:
        return 1
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


def _finish(rows: list, columns=CODE_COLUMNS) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    table["score"] = table["score"].astype(float).round(4)
    return table.sort_values(["quote_id", "theme", "coder"], ignore_index=True)


# --- dictionary coder ---------------------------------------------------------------------

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
    0  mandate  "Wie beslist" 0:11 terms.nl[...]='wie beslist'  negative
    """

    def __init__(self, codebook: Codebook, *, lang: str = "nl", n_jobs: int = 1):
        self.codebook = codebook
        self.lang = lang
        self.n_jobs = n_jobs

    def _matcher(self) -> _Matcher:
        _check_lang(self.lang, type(self).__name__)
        key = (self.codebook.sha256, self.codebook.theme_ids, self.lang)
        if getattr(self, "_compiled", (None,))[0] != key:
            if not any(theme.terms.get(self.lang) or theme.patterns.get(self.lang) for theme in self.codebook.themes):
                raise CoopResearchError(f"codebook '{self.codebook.name}' has no rules for language '{self.lang}' — "
                                        f"add 'terms: {{{self.lang}: [...]}}' to its themes or code in another language")
            self._compiled = (key, _Matcher(self.codebook, self.lang))
        return self._compiled[1]

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
                    valid[theme] = _without_nested(hits)
            if not valid:
                continue
            if not cues:  # no evaluative word: every theme is neutral
                yield quote_id, text, [(ids[theme], "neutral", hits) for theme, hits in sorted(valid.items())]
                continue
            cues = [(rules[c[0]].kind, c[1], c[2]) for c in _without_nested(cues)]
            clause = _clauses(text, tokens, self.lang)
            whole = _polarity(cues)
            themes = []
            for theme, hits in sorted(valid.items()):
                own = {clause(i) for h in hits for i in range(h[1], h[2] + 1)}
                local = _polarity([c for c in cues if clause(c[1]) in own])
                themes.append((ids[theme], _valence(local or whole), hits))
            yield quote_id, text, themes

    def evidence(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Every rule match that assigns a theme: one row per match.

        Returns ``quote_id, theme, rule, term, start, end, matched, valence``, where
        ``text[start:end] == matched`` and ``valence`` is that of the (quote, theme).
        """
        rules = self._matcher().rules
        rows = [(quote_id, theme, rules[r].ref, rules[r].text, start, end, text[start:end], valence)
                for quote_id, text, themes in self._themes(_check_quotes(quotes, "DictionaryCoder.evidence"))
                for theme, valence, hits in themes for r, _, _, start, end in hits]
        table = pd.DataFrame(rows, columns=["quote_id", "theme", "rule", "term", "start", "end", "matched", "valence"])
        return table.sort_values(["quote_id", "theme", "start", "rule"], ignore_index=True)

    def code(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Themes of each quote: ``quote_id, theme, coder, score, evidence, valence``.

        ``score`` is the number of matches; ``evidence`` lists them as
        ``"matched text" start:end rule='term'``, separated by `` | ``.
        """
        quotes = _check_quotes(quotes, "DictionaryCoder.code")
        jobs = _processes(self.n_jobs, len(quotes))
        if jobs == 1:
            return _finish(self._code_rows(quotes))
        from joblib import Parallel, delayed

        chunks = np.array_split(np.arange(len(quotes)), jobs)
        serial = DictionaryCoder(self.codebook, lang=self.lang)
        parts = Parallel(n_jobs=jobs)(delayed(serial._code_rows)(quotes.iloc[chunk]) for chunk in chunks)
        return _finish([row for part in parts for row in part])

    def _code_rows(self, quotes: pd.DataFrame) -> list[tuple]:
        """The rows of `code` for checked ``quotes``, unsorted."""
        rules = self._matcher().rules
        return [(quote_id, theme, "dictionary", len(hits),
                 " | ".join(f'"{text[start:end]}" {start}:{end} {rules[r].ref}=\'{rules[r].text}\''
                            for r, _, _, start, end in hits), valence)
                for quote_id, text, themes in self._themes(quotes)
                for theme, valence, hits in themes]

    def valence(self, quotes: pd.DataFrame) -> pd.Series:
        """Valence of each whole quote from the cues alone (used for the supervised coder's themes)."""
        matcher = self._matcher()
        quotes = _check_quotes(quotes, "DictionaryCoder.valence")
        values = []
        for text in quotes["text"].tolist():
            found, _ = matcher.hits(text)
            cues = [h for h in found if matcher.rules[h[0]].theme < 0]
            values.append(_valence(_polarity([(matcher.rules[c[0]].kind, c[1], c[2]) for c in _without_nested(cues)])))
        return pd.Series(values, index=quotes["quote_id"], name="valence")


def machine_codes(quotes: pd.DataFrame, codebook: Codebook, *, lang: str) -> pd.DataFrame:
    """The machine codes of a study's quotes (``data/processed/codings_machine.csv``).

    The hybrid coder codes them where the packaged model knows the codebook's themes (the
    default codebook's), the dictionary coder otherwise. A codebook without rules for
    ``lang`` gives an empty table instead of an error, so a study with a hand-made codebook
    still gets its report.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["q1"], "text": ["Afspraak is afspraak."]})
    >>> machine_codes(quotes, default_codebook(), lang="nl")[["quote_id", "theme", "coder"]]
      quote_id        theme   coder
    0       q1  reliability  hybrid
    """
    if not has_rules(codebook, lang):
        return _finish([])
    from .hybrid import HybridCoder, has_packaged_model  # the hybrid coder builds on this module

    coder = HybridCoder(codebook, lang=lang) if has_packaged_model(codebook, lang) else DictionaryCoder(codebook, lang=lang)
    return coder.code(quotes)


def has_rules(codebook: Codebook, lang: str) -> bool:
    """Whether any theme of the codebook has dictionary rules for ``lang``.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> has_rules(default_codebook(), "nl")
    True
    """
    return any(theme.terms.get(lang) or theme.patterns.get(lang) for theme in codebook.themes)


def evidence_examples(quotes: pd.DataFrame, codebook: Codebook, *, lang: str, labels: dict[str, str],
                      limit: int = 5) -> str:
    """`evidence_html` of the dictionary coder's matches; empty when the codebook has no rules for ``lang``.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["q1"], "text": ["Wie beslist hier eigenlijk?"]})
    >>> "<mark" in evidence_examples(quotes, default_codebook(), lang="nl", labels={})
    True
    """
    if not has_rules(codebook, lang):
        return ""
    evidence = DictionaryCoder(codebook, lang=lang).evidence(quotes)
    return evidence_html(quotes, evidence, labels=labels, limit=limit)


# --- supervised coder ---------------------------------------------------------------------

def _label_matrix(quote_ids: pd.Series, codes: pd.DataFrame, themes: list[str]) -> np.ndarray:
    """Quotes x themes 0/1 matrix from a long table of codes (quote_id, theme)."""
    if not {"quote_id", "theme"} <= set(codes.columns):
        raise CoopResearchError(f"codes need the columns quote_id and theme; got {list(codes.columns)}")
    applied = codes.dropna(subset=["theme"])
    unknown = sorted(set(applied["theme"]) - set(themes))
    if unknown:
        raise CoopResearchError(f"codes use themes that are not in the codebook: {', '.join(unknown)} — "
                                "code with the study's codebook or correct the theme ids")
    pairs = set(zip(applied["quote_id"].astype(str), applied["theme"], strict=True))
    return np.array([[int((q, t) in pairs) for t in themes] for q in quote_ids], dtype=int).reshape(-1, len(themes))


class SupervisedCoder(BaseEstimator):
    """Learn themes from human codes: TF-IDF (words and character n-grams) + logistic regression per theme.

    Parameters
    ----------
    codebook : the codebook the human codes use; its themes are the classes.
    lang : language of the quotes (for the valence cues), ``nl`` or ``en``.
    threshold : probability from which a theme is assigned.
    C : inverse regularisation strength of the logistic regressions.
    random_state : seed, so a model is the same on every run.
    dictionary : also give the model the dictionary coder's matches per theme as features
        (a hybrid of both coders).

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["a", "b", "c", "d"], "text": [
    ...     "afspraken nakomen", "afspraak is afspraak", "wie beslist", "wie beslist er"]})
    >>> codes = pd.DataFrame({"quote_id": ["a", "b", "c", "d"],
    ...                       "theme": ["reliability", "reliability", "mandate", "mandate"]})
    >>> coder = SupervisedCoder(default_codebook()).fit(quotes, codes)
    >>> coder.predict(pd.DataFrame({"quote_id": ["x"], "text": ["wie beslist hier"]})).loc["x"].to_dict()
    {'transparency': False, 'mandate': True, 'ownership': False, 'reliability': False}
    """

    def __init__(self, codebook: Codebook, *, lang: str = "nl", threshold: float = 0.35, C: float = 10.0,
                 random_state: int = 0, dictionary: bool = False):
        self.codebook = codebook
        self.lang = lang
        self.threshold = threshold
        self.C = C
        self.random_state = random_state
        self.dictionary = dictionary

    def fit(self, quotes: pd.DataFrame, codes: pd.DataFrame) -> SupervisedCoder:
        """Learn from ``codes`` (``quote_id, theme``) on ``quotes``; a quote without codes has no theme."""
        _check_lang(self.lang, type(self).__name__)
        if not 0 < self.threshold < 1:
            raise CoopResearchError(f"The 'threshold' parameter of SupervisedCoder must be a float in the range (0, 1). "
                                    f"Got {self.threshold!r} instead.")
        quotes = _check_quotes(quotes, "SupervisedCoder.fit")
        if quotes.empty:
            raise CoopResearchError("SupervisedCoder.fit needs at least one quote")
        themes = self.codebook.theme_ids
        labels = _label_matrix(quotes["quote_id"], codes, themes)
        self.vectorizer_ = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode")),
        ])
        features = self._features(quotes, fit=True)
        self.models_ = {}
        for k, theme in enumerate(themes):
            y = labels[:, k]
            if y.min() == y.max():
                self.models_[theme] = float(y[0])  # every training quote agrees: a constant probability
            else:
                model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=2000,
                                           random_state=self.random_state)
                self.models_[theme] = model.fit(features, y)
        self.classes_ = np.array(themes)
        self.codebook_sha256_ = self.codebook.sha256
        return self

    def _features(self, quotes: pd.DataFrame, *, fit: bool = False):
        text = self.vectorizer_.fit_transform(quotes["text"]) if fit else self.vectorizer_.transform(quotes["text"])
        if not self.dictionary:
            return text
        # matches per theme, capped at 3 and scaled to [0, 1] like the TF-IDF values
        codes = DictionaryCoder(self.codebook, lang=self.lang).code(quotes)
        matches = (codes.pivot_table(index="quote_id", columns="theme", values="score", aggfunc="sum")
                   .reindex(index=quotes["quote_id"], columns=self.codebook.theme_ids).fillna(0).clip(upper=3) / 3)
        return sparse.hstack([text, sparse.csr_matrix(matches.to_numpy())]).tocsr()

    def predict_proba(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Probability of every theme for every quote (rows: quote_id, columns: themes)."""
        check_is_fitted(self, "classes_")
        quotes = _check_quotes(quotes, "SupervisedCoder.predict_proba")
        index = pd.Index(quotes["quote_id"], name="quote_id")
        if quotes.empty:
            return pd.DataFrame({str(theme): np.zeros(0) for theme in self.classes_}, index=index)
        features = self._features(quotes)
        columns = {}
        for theme in self.classes_:
            model = self.models_[theme]
            columns[str(theme)] = (np.full(len(quotes), model) if isinstance(model, float)
                                   else model.predict_proba(features)[:, 1])
        return pd.DataFrame(columns, index=index)

    def predict(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Whether each theme applies to each quote (probability ≥ ``threshold``)."""
        return self.predict_proba(quotes) >= self.threshold

    def code(self, quotes: pd.DataFrame, *, threshold: float | None = None) -> pd.DataFrame:
        """Themes of each quote in the long format, with the words that weighed most as evidence.

        A theme applies from the probability ``threshold`` (by default the coder's own).
        """
        threshold = self.threshold if threshold is None else threshold
        probabilities = self.predict_proba(quotes)
        quotes = _check_quotes(quotes, "SupervisedCoder.code")
        if quotes.empty:
            return _finish([])
        valence = DictionaryCoder(self.codebook, lang=self.lang).valence(quotes).to_numpy()
        words = self.vectorizer_.transformer_list[0][1]
        vocabulary = words.get_feature_names_out()
        word_features = words.transform(quotes["text"])
        rows = []
        for k, theme in enumerate(self.classes_):
            model = self.models_[theme]
            for i in np.flatnonzero(probabilities[theme].to_numpy() >= threshold):
                evidence = "model: constant"
                if not isinstance(model, float):
                    row = word_features[i]
                    weights = row.data * model.coef_[0, : len(vocabulary)][row.indices]
                    top = [(w, vocabulary[j]) for w, j in sorted(zip(weights, row.indices, strict=True), reverse=True)[:3]
                           if w > 0]
                    evidence = "model: " + ", ".join(f"'{word}' {w:+.2f}" for w, word in top) if top else "model"
                rows.append((quotes.at[i, "quote_id"], theme, "supervised", probabilities.iat[i, k], evidence, valence[i]))
        return _finish(rows)


def cross_validate(coder, quotes: pd.DataFrame, codes: pd.DataFrame, *, folds: int = 5, seed: int = 0) -> pd.DataFrame:
    """Per-theme precision, recall, F1 and kappa of ``coder`` in ``folds``-fold cross-validation.

    Each quote is coded by a copy of the coder fitted on the other folds; the
    predictions are compared with ``codes`` by `agreement`.
    """
    quotes = _check_quotes(quotes, "cross_validate")
    if not 2 <= folds <= len(quotes):
        raise CoopResearchError(f"The 'folds' parameter of cross_validate must be an int in the range [2, {len(quotes)}]. "
                                f"Got {folds!r} instead.")
    predicted = []
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(quotes):
        fitted = clone(coder).fit(quotes.iloc[train], codes)
        predicted.append(fitted.code(quotes.iloc[test]))
    return agreement(pd.concat(predicted), codes, quotes["quote_id"], themes=list(coder.codebook.theme_ids))


def agreement(machine: pd.DataFrame, human: pd.DataFrame, quote_ids, *, themes: list[str]) -> pd.DataFrame:
    """Agreement of machine codes with human codes on the quotes ``quote_ids``, per theme.

    Both tables are long (``quote_id, theme``); a quote with no row has no theme.
    Returns ``theme, human, machine, precision, recall, f1, kappa`` with a last row
    ``(macro)`` holding the unweighted means, computed with `sklearn.metrics`.

    Examples
    --------
    >>> human = pd.DataFrame({"quote_id": ["q1", "q2"], "theme": ["mandate", "mandate"]})
    >>> machine = pd.DataFrame({"quote_id": ["q1", "q3"], "theme": ["mandate", "mandate"]})
    >>> agreement(machine, human, ["q1", "q2", "q3", "q4"], themes=["mandate"])
         theme  human  machine  precision  recall   f1  kappa
    0  mandate      2        2        0.5     0.5  0.5    0.0
    1  (macro)      2        2        0.5     0.5  0.5    0.0
    """
    ids = pd.Series(list(quote_ids), dtype=str).drop_duplicates()
    if ids.empty:  # nobody coded by hand yet: nothing to compare with
        return pd.DataFrame({"theme": [*themes, "(macro)"], "human": 0, "machine": 0, "precision": float("nan"),
                             "recall": float("nan"), "f1": float("nan"), "kappa": float("nan")})
    truth = _label_matrix(ids, human[human["quote_id"].astype(str).isin(set(ids))], themes)
    guess = _label_matrix(ids, machine[machine["quote_id"].astype(str).isin(set(ids))], themes)
    precision, recall, f1, kappa = [], [], [], []
    for k in range(len(themes)):
        p, r, f, _ = precision_recall_fscore_support(truth[:, k], guess[:, k], average="binary", labels=[0, 1],
                                                     zero_division=0.0)
        precision.append(p)
        recall.append(r)
        f1.append(f)
        # kappa is undefined (0/0) when both sides give every quote the same value: count that as full agreement
        if len(set(truth[:, k]) | set(guess[:, k])) == 1:
            kappa.append(1.0)
        else:
            kappa.append(cohen_kappa_score(truth[:, k], guess[:, k], labels=[0, 1]))
    table = pd.DataFrame({"theme": themes, "human": truth.sum(axis=0), "machine": guess.sum(axis=0),
                          "precision": precision, "recall": recall, "f1": f1, "kappa": kappa})
    macro = {"theme": "(macro)", "human": int(truth.sum()), "machine": int(guess.sum()),
             **table[["precision", "recall", "f1", "kappa"]].mean().to_dict()}
    table = pd.concat([table, pd.DataFrame([macro])], ignore_index=True)
    table[["precision", "recall", "f1", "kappa"]] = table[["precision", "recall", "f1", "kappa"]].astype(float).round(3)
    return table


def theme_counts(codes: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Number of quotes per theme (rows) and coder (columns), in codebook order.

    Examples
    --------
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2"], "theme": ["mandate", "mandate"], "coder": ["dictionary"] * 2})
    >>> theme_counts(codes, ["transparency", "mandate"])
    coder         dictionary
    theme
    transparency           0
    mandate                2
    """
    counts = pd.crosstab(codes["theme"], codes["coder"]) if len(codes) else pd.DataFrame()
    coders = sorted(codes["coder"].unique()) if len(codes) else ["dictionary"]
    counts = counts.reindex(index=themes, columns=coders, fill_value=0).fillna(0).astype(int)
    counts.index.name, counts.columns.name = "theme", "coder"
    return counts


def evidence_html(quotes: pd.DataFrame, evidence: pd.DataFrame, *, labels: dict[str, str], limit: int = 5) -> str:
    """An HTML list of quotes with the matched evidence highlighted (all text HTML-escaped).

    Shows the ``limit`` quotes with the most matches (ties by quote id), each with the
    themes it got; the quote's author is not shown.

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1"], "text": ["<b>Wie beslist?</b>"]})
    >>> evidence = pd.DataFrame({"quote_id": ["q1"], "theme": ["mandate"], "start": [3], "end": [14]})
    >>> print(evidence_html(quotes, evidence, labels={"mandate": "Mandaat"}))
    <ul class="coopresearch-evidence">
    <li>&lt;b&gt;<mark title="Mandaat">Wie beslist</mark>?&lt;/b&gt; <small>(Mandaat)</small></li>
    </ul>
    """
    import html

    texts = dict(zip(quotes["quote_id"].astype(str), quotes["text"].fillna("").astype(str), strict=True))
    ranked = evidence.groupby("quote_id").size().reset_index(name="n").sort_values(["n", "quote_id"],
                                                                                   ascending=[False, True])
    items = []
    for quote_id in ranked["quote_id"].head(limit):
        text, matches = texts.get(quote_id, ""), evidence[evidence["quote_id"] == quote_id].sort_values("start")
        parts, position = [], 0
        for match in matches.itertuples():
            if match.start < position:
                continue  # overlapping match: the first one is highlighted
            title = html.escape(labels.get(match.theme, match.theme))
            parts += [html.escape(text[position:match.start]),
                      f'<mark title="{title}">{html.escape(text[match.start:match.end])}</mark>']
            position = match.end
        parts.append(html.escape(text[position:]))
        themes = ", ".join(html.escape(labels.get(t, t)) for t in dict.fromkeys(matches["theme"]))
        items.append(f"<li>{''.join(parts)} <small>({themes})</small></li>")
    return '<ul class="coopresearch-evidence">\n' + "\n".join(items) + "\n</ul>"


# --- saved models -------------------------------------------------------------------------

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
