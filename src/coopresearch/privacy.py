"""Privacy rules of a report: pseudonyms only, and no group smaller than the minimum group size.

Interview data is personal data. A statistic or a quote attribution is shown for a group
(a party, an organisation, a department, a process) only when at least ``min_group_size``
different interviews stand behind it. Smaller groups are merged into one ``other`` group
when that group is large enough, and left out otherwise.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["OTHER", "merge_small_groups"]

OTHER = "other"


def merge_small_groups(members: pd.DataFrame, *, min_group_size: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Re-label the groups of ``members`` (columns ``group`` and ``interview_id``) for reporting.

    Groups with fewer distinct interviews than ``min_group_size`` become ``other``; if
    ``other`` itself has too few interviews, its rows are dropped. Returns the re-labelled
    rows and a summary: ``group, interviews, reported_as`` (``reported_as`` is the group,
    ``other``, or missing where nothing is shown).

    Examples
    --------
    >>> members = pd.DataFrame({"group": ["a", "a", "a", "b", "c"], "interview_id": ["1", "2", "3", "4", "5"]})
    >>> shown, summary = merge_small_groups(members, min_group_size=2)
    >>> shown["group"].tolist()
    ['a', 'a', 'a', 'other', 'other']
    >>> summary
      group  interviews reported_as
    0     a           3           a
    1     b           1       other
    2     c           1       other
    """
    sizes = members.groupby("group")["interview_id"].nunique()
    small = set(sizes.index[sizes < min_group_size])
    relabelled = members.assign(group=members["group"].where(~members["group"].isin(small), OTHER))
    other_size = relabelled.loc[relabelled["group"] == OTHER, "interview_id"].nunique()
    merged_to = OTHER if other_size >= min_group_size else None
    if merged_to is None:
        relabelled = relabelled[relabelled["group"] != OTHER]
    summary = sizes.rename("interviews").reset_index()
    summary["reported_as"] = summary["group"].where(~summary["group"].isin(small), merged_to)
    return relabelled.reset_index(drop=True), summary
