"""Small groups are merged or left out, never reported on their own."""

import pandas as pd

from coopresearch.privacy import OTHER, merge_small_groups


def members(groups: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(group, interview) for group, interviews in groups.items() for interview in interviews]
    return pd.DataFrame(rows, columns=["group", "interview_id"])


def test_groups_at_the_minimum_are_kept():
    shown, summary = merge_small_groups(members({"a": ["1", "2", "3"]}), min_group_size=3)
    assert set(shown["group"]) == {"a"}
    assert summary.to_dict("records") == [{"group": "a", "interviews": 3, "reported_as": "a"}]


def test_small_groups_are_merged_into_other_when_that_is_large_enough():
    shown, summary = merge_small_groups(members({"a": ["1", "2", "3"], "b": ["4", "5"], "c": ["6"]}), min_group_size=3)
    assert shown.groupby("group")["interview_id"].nunique().to_dict() == {"a": 3, OTHER: 3}
    assert summary.set_index("group")["reported_as"].to_dict() == {"a": "a", "b": OTHER, "c": OTHER}


def test_small_groups_are_dropped_when_other_is_still_too_small():
    shown, summary = merge_small_groups(members({"a": ["1", "2", "3"], "b": ["4"]}), min_group_size=3)
    assert set(shown["group"]) == {"a"}
    assert summary.set_index("group")["reported_as"].isna().to_dict() == {"a": False, "b": True}


def test_interviews_are_counted_once_per_group():
    # one interview with many quotes is still one interview
    table = pd.DataFrame({"group": ["a"] * 5, "interview_id": ["1"] * 5})
    shown, _ = merge_small_groups(table, min_group_size=2)
    assert shown.empty
