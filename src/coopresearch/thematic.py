"""Thematic analysis: who said what, which themes each party raises."""

from __future__ import annotations

import pandas as pd

__all__ = ["interviews_by_party"]


def interviews_by_party(interviews: pd.DataFrame, quotes: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """Number of interviews and quotes per party, and whether the party is large enough to report.

    Examples
    --------
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2", "i3"], "party": ["a", "a", "b"]})
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "interview_id": ["i1", "i2", "i3"]})
    >>> interviews_by_party(interviews, quotes, min_group_size=2)
      party  interviews  quotes  reported
    0     a           2       2      True
    1     b           1       1     False
    """
    per_interview = quotes.groupby("interview_id").size().rename("quotes")
    table = (interviews.set_index("interview_id").join(per_interview).fillna({"quotes": 0})
             .groupby("party").agg(interviews=("party", "size"), quotes=("quotes", "sum"))
             .astype(int).reset_index().sort_values("party", ignore_index=True))
    table["reported"] = table["interviews"] >= min_group_size
    return table
