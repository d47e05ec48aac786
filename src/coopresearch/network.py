"""The collaboration as a network: business processes, actors and meetings."""

from __future__ import annotations

import pandas as pd

__all__ = ["process_overview"]


def process_overview(processes: pd.DataFrame, relations: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    """Per business process: its category, the number of actors and of meetings handling it.

    Examples
    --------
    >>> processes = pd.DataFrame({"process_id": ["P1", "P2"], "name": ["GBA", "WOZ"],
    ...                           "category": ["bedrijfsproces"] * 2})
    >>> relations = pd.DataFrame({"process_id": ["P1", "P1"], "actor": ["x", "y"]})
    >>> meetings = pd.DataFrame({"meeting_id": ["M1"], "actor": ["x"], "process_id": ["P2"]})
    >>> process_overview(processes, relations, meetings)
      process_id name        category  actors  meetings
    0         P1  GBA  bedrijfsproces       2         0
    1         P2  WOZ  bedrijfsproces       0         1
    """
    actors = relations.groupby("process_id")["actor"].nunique().rename("actors")
    held = meetings.dropna(subset=["process_id"]).groupby("process_id")["meeting_id"].nunique().rename("meetings")
    table = processes[["process_id", "name", "category"]].set_index("process_id").join(actors).join(held)
    return table.fillna({"actors": 0, "meetings": 0}).astype({"actors": int, "meetings": int}).reset_index()
