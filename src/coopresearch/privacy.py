"""Privacy rules of a report: pseudonyms only, and no group smaller than the minimum group size.

Interview data is personal data. A statistic or a quote attribution is shown for a group
(a party, an organisation, a department, a process) only when at least ``min_group_size``
different interviews stand behind it. Smaller groups are merged into one ``other`` group
when that group is large enough, and left out otherwise. The size of a group that is not
reported is shown as "fewer than N" (``<N`` in data/processed), never as its count.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["OTHER", "fewer_than", "merge_small_groups", "shown_sizes"]

OTHER = "other"


def fewer_than(min_group_size: int) -> str:
    """How data/processed writes the size of a group too small to report; `labels` words it for readers.

    Examples
    --------
    >>> fewer_than(3)
    '<3'
    """
    return f"<{min_group_size}"


def shown_sizes(sizes: pd.Series, *, min_group_size: int, hidden: pd.Series | None = None) -> pd.Series:
    """Group sizes as a report may show them: ``<N`` for groups smaller than ``min_group_size``.

    ``hidden`` marks groups large enough themselves whose size must not be shown either (a
    pooled group whose size, minus the sizes shown beside it, would give a small group's
    size): their size is empty. The sizes stay whole numbers when none is suppressed; else
    they are all text, so the column reads back from CSV as it was written.

    Examples
    --------
    >>> shown_sizes(pd.Series([5, 2, 7]), min_group_size=3, hidden=pd.Series([False, False, True])).tolist()
    ['5', '<3', '']
    >>> shown_sizes(pd.Series([5, 4]), min_group_size=3).tolist()
    [5, 4]
    """
    small = sizes < min_group_size
    hidden = pd.Series(False, index=sizes.index) if hidden is None else hidden.astype(bool) & ~small
    if not (small.any() or hidden.any()):
        return sizes
    return sizes.astype(str).mask(small, fewer_than(min_group_size)).mask(hidden, "")


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
