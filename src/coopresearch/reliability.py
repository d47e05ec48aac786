"""Inter-coder reliability of the human (and machine) coding."""

from __future__ import annotations

import pandas as pd

__all__ = ["CONSENSUS_CODER", "coder_theme_counts", "consensus_codes"]


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


CONSENSUS_CODER = "consensus"


def consensus_codes(codings: pd.DataFrame) -> pd.DataFrame:
    """The final human codes of each quote, by the study's consensus rule.

    Where a coder named ``consensus`` reviewed a quote, its codes are final. Otherwise a
    theme applies to a quote when at least half of the coders who reviewed the quote
    applied it. The valence is the one most of those coders gave (``neutral`` on a tie).

    Returns one row per (quote, theme) that applies: ``quote_id, theme, valence, source,
    coders`` (how many applied it) and ``reviewers`` (how many reviewed the quote).

    Examples
    --------
    >>> codings = pd.DataFrame({
    ...     "quote_id": ["q1", "q1", "q2", "q2", "q3", "q3"],
    ...     "coder": ["a", "b", "a", "b", "a", "consensus"],
    ...     "theme": ["trust", "trust", "trust", None, "trust", "mandate"],
    ...     "valence": ["positive", "negative", "negative", None, "positive", "negative"]})
    >>> consensus_codes(codings)
      quote_id    theme   valence     source  coders  reviewers
    0       q1    trust   neutral   majority       2          2
    1       q2    trust  negative   majority       1          2
    2       q3  mandate  negative  consensus       1          1
    """
    codings = codings.assign(valence=codings.get("valence", pd.Series(index=codings.index, dtype=object)))
    settled = set(codings.loc[codings["coder"] == CONSENSUS_CODER, "quote_id"])
    final = codings[(codings["coder"] == CONSENSUS_CODER) | ~codings["quote_id"].isin(settled)]
    reviewers = final.groupby("quote_id")["coder"].nunique().rename("reviewers")
    applied = final.dropna(subset=["theme"]).drop_duplicates(["quote_id", "coder", "theme"])

    def majority_valence(values: pd.Series) -> str:
        counts = values.dropna().value_counts()
        if counts.empty or (len(counts) > 1 and counts.iloc[0] == counts.iloc[1]):
            return "neutral"
        return counts.index[0]

    table = (applied.groupby(["quote_id", "theme"])
             .agg(valence=("valence", majority_valence), coders=("coder", "nunique"))
             .reset_index().join(reviewers, on="quote_id"))
    table = table[table["coders"] * 2 >= table["reviewers"]]
    table.insert(3, "source", table["quote_id"].isin(settled).map({True: CONSENSUS_CODER, False: "majority"}))
    return table.sort_values(["quote_id", "theme"], ignore_index=True)
