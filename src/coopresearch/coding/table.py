"""The tables every coder reads and writes: checked quotes in, long codes out.

A coder reads ``quote_id, text`` and returns one row per (quote, theme) assigned:
``quote_id, theme, coder, score, evidence, valence`` (`CODE_COLUMNS`). ``score`` is the same
for every coder: the probability that the quote has the theme (the model's, or for the
dictionary coder the share of labelled quotes with as many rule matches that had it; empty
where no estimate exists). An empty theme marks a quote coded without a theme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import CoopResearchError
from ..schemas import LANGUAGES

__all__ = ["CODE_COLUMNS", "check_lang", "check_quotes", "finish_codes", "label_matrix"]

CODE_COLUMNS = ["quote_id", "theme", "coder", "score", "evidence", "valence"]


def check_quotes(quotes: pd.DataFrame, who: str) -> pd.DataFrame:
    """``quote_id`` and ``text`` as strings (a missing text is empty), numbered from 0; ``who`` names the caller in errors.

    Examples
    --------
    >>> check_quotes(pd.DataFrame({"quote_id": [7], "text": [None]}), "example").to_dict("records")
    [{'quote_id': '7', 'text': ''}]
    """
    if not isinstance(quotes, pd.DataFrame) or not {"quote_id", "text"} <= set(quotes.columns):
        got = list(quotes.columns) if isinstance(quotes, pd.DataFrame) else type(quotes).__name__
        raise CoopResearchError(f"{who} needs a table with the columns quote_id and text; got {got}")
    return pd.DataFrame({"quote_id": quotes["quote_id"].astype(str),
                         "text": quotes["text"].fillna("").astype(str)}).reset_index(drop=True)


def check_lang(lang: str, who: str) -> None:
    """Refuse a language the coders have no rules or cues for.

    Examples
    --------
    >>> check_lang("fr", "example")
    Traceback (most recent call last):
    coopresearch.errors.CoopResearchError: The 'lang' parameter of example must be one of nl, en. Got 'fr' instead.
    """
    if lang not in LANGUAGES:
        raise CoopResearchError(f"The 'lang' parameter of {who} must be one of {', '.join(LANGUAGES)}. Got {lang!r} instead.")


def finish_codes(rows: list, columns=CODE_COLUMNS) -> pd.DataFrame:
    """The code table of ``rows``: scores rounded to 4 decimals, sorted by quote, theme and coder.

    Examples
    --------
    >>> finish_codes([("q2", "mandate", "dictionary", 1, "", "neutral"), ("q1", "mandate", "hybrid", 0.123456, "", "neutral")])
      quote_id    theme       coder   score evidence  valence
    0       q1  mandate      hybrid  0.1235           neutral
    1       q2  mandate  dictionary  1.0000           neutral
    """
    table = pd.DataFrame(rows, columns=columns)
    table["score"] = table["score"].astype(float).round(4)
    return table.sort_values(["quote_id", "theme", "coder"], ignore_index=True)


def label_matrix(quote_ids: pd.Series, codes: pd.DataFrame, themes: list[str]) -> np.ndarray:
    """Quotes x themes 0/1 matrix from a long table of codes (``quote_id, theme``; a NaN theme: no theme).

    Examples
    --------
    >>> codes = pd.DataFrame({"quote_id": ["a", "b"], "theme": ["mandate", None]})
    >>> label_matrix(pd.Series(["a", "b"]), codes, ["transparency", "mandate"]).tolist()
    [[0, 1], [0, 0]]
    """
    if not {"quote_id", "theme"} <= set(codes.columns):
        raise CoopResearchError(f"codes need the columns quote_id and theme; got {list(codes.columns)}")
    applied = codes.dropna(subset=["theme"])
    unknown = sorted(set(applied["theme"]) - set(themes))
    if unknown:
        raise CoopResearchError(f"codes use themes that are not in the codebook: {', '.join(unknown)} — "
                                "code with the study's codebook or correct the theme ids")
    pairs = set(zip(applied["quote_id"].astype(str), applied["theme"], strict=True))
    return np.array([[int((q, t) in pairs) for t in themes] for q in quote_ids], dtype=int).reshape(-1, len(themes))
