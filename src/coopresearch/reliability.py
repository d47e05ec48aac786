"""Inter-coder reliability of the human (and machine) coding."""

from __future__ import annotations

import pandas as pd

__all__ = ["coder_theme_counts"]


def coder_theme_counts(codings: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Number of quotes each coder gave each theme; ``(uncoded)`` counts quotes left without theme.

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2"], "coder": ["a", "b", "b"],
    ...                         "theme": ["trust", "trust", None]})
    >>> coder_theme_counts(codings, ["trust", "mandate"])
    coder       a  b
    theme
    trust       1  1
    mandate     0  0
    (uncoded)   0  1
    """
    rows = codings.assign(theme=codings["theme"].fillna("(uncoded)"))
    counts = rows.drop_duplicates(["quote_id", "coder", "theme"]).pivot_table(
        index="theme", columns="coder", values="quote_id", aggfunc="count", fill_value=0)
    order = list(themes) + ["(uncoded)"]
    coders = sorted(codings["coder"].unique())
    counts = counts.reindex(index=order, columns=coders, fill_value=0).astype(int)
    counts.columns.name = "coder"
    return counts
