"""The collaboration scan: seven fields scored 1–10 per relationship."""

from __future__ import annotations

import pandas as pd

from .schemas import SCAN_FIELDS

__all__ = ["field_means"]


def field_means(scan: pd.DataFrame) -> pd.DataFrame:
    """Mean score and number of respondents per relationship, field and party.

    Examples
    --------
    >>> scan = pd.DataFrame({"relationship": ["r"] * 3, "respondent": ["a", "b", "c"],
    ...                      "party": ["x", "x", "y"], "field": ["doelen"] * 3, "score": [4, 6, 9]})
    >>> field_means(scan)
      relationship   field party  respondents  mean
    0            r  doelen     x            2   5.0
    1            r  doelen     y            1   9.0
    """
    in_scan_order = scan.assign(field=pd.Categorical(scan["field"], categories=SCAN_FIELDS))
    table = (in_scan_order.groupby(["relationship", "field", "party"], observed=True)["score"]
             .agg(respondents="count", mean="mean").reset_index())
    return table.astype({"field": str}).round({"mean": 2})
