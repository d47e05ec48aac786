"""The collaboration as a network: business processes, actors and meetings.

Graphs are built from the study's tables (``build_*``) and measured by separate functions
that return sorted DataFrames. Nodes are the ids of the tables (process ids, meeting ids,
actor names) with a ``kind`` attribute: ``process``, ``meeting`` or ``actor``. Every graph
is built in sorted order and every random algorithm is seeded, so results are the same on
every run.

Definitions (sub-questions 1–3 of the reference study):

- a **solitary process** has no link in the process projection: it shares no actor with
  any other process;
- a **linking pin** is an actor taking part in at least two meetings, ranked by its
  betweenness centrality in the actor × meeting graph;
- **coverage** is the share of the municipality's departments in contact with at least one
  external organisation, through a shared process or a shared meeting;
- **coordination gaps** are processes that no meeting handles and actors that take part in
  processes but in no meeting.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

from .errors import CoopResearchError, DataError, Problem
from .labels import NETWORK, label, markdown_text
from .schemas import CATEGORIES, LANGUAGES
from .study import RAW

__all__ = [
    "SEED", "build_collaboration_graph", "build_meeting_graph", "build_process_graph", "category_links",
    "communities", "coordination_gaps", "department_contacts", "department_coverage",
    "dominant_theme_per_process", "linking_pins", "meeting_processes", "network_reading", "node_metrics",
    "process_links", "process_overview", "process_projection", "solitary_processes",
]

SEED = 2009  # the reference study's year; fixes community detection and layouts
DIGITS = 6  # centralities are rounded so the written tables do not show float noise


# --- building ---------------------------------------------------------------------------

def _text(value) -> str:
    """Attribute values for GraphML/GEXF must be plain strings: missing becomes ''."""
    return "" if pd.isna(value) else str(value)


def _sorted_graph(graph: nx.Graph) -> nx.Graph:
    """A copy with nodes and edges inserted in sorted order (algorithms follow insertion order)."""
    ordered = nx.Graph()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: str(item[0])))
    edges = ((*sorted((u, v), key=str), data) for u, v, data in graph.edges(data=True))
    ordered.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    return ordered


def _clashes(actors: Iterable[str], ids: Iterable[str], *, file: str, what: str) -> None:
    clash = sorted(set(actors) & set(ids))
    if clash:
        raise DataError([Problem(str(RAW / file), "-", "actor", f"'{name}' is also a {what} id",
                                 f"rename the actor or the {what} so graph nodes stay distinct") for name in clash])


def _actor_attributes(relations: pd.DataFrame | None) -> dict[str, dict[str, str]]:
    """actor -> {actor_type, organisation}, the first filled value in sorted rows."""
    if relations is None or relations.empty:
        return {}
    table = relations.reindex(columns=["actor", "actor_type", "organisation"]).sort_values("actor", kind="stable")
    first = table.groupby("actor", sort=True).first()  # first non-missing value per column
    return {actor: {"actor_type": _text(row.actor_type), "organisation": _text(row.organisation)}
            for actor, row in first.iterrows()}


def build_process_graph(processes: pd.DataFrame, relations: pd.DataFrame) -> nx.Graph:
    """Bipartite graph of actors × business processes from the relation matrix.

    Process nodes carry ``name`` and ``category``; actor nodes ``actor_type`` and
    ``organisation``; an edge's ``role`` is the actor's role in the process (several
    roles joined with ``+``).

    Examples
    --------
    >>> processes = pd.DataFrame({"process_id": ["P1"], "name": ["GBA"], "category": ["bedrijfsproces"]})
    >>> relations = pd.DataFrame({"process_id": ["P1"], "actor": ["team GBA"], "role": ["leverancier"]})
    >>> build_process_graph(processes, relations).edges["team GBA", "P1"]["role"]
    'leverancier'
    """
    _clashes(relations["actor"], processes["process_id"], file="relations.csv", what="process")
    graph = nx.Graph(name="actors x processes")
    for row in processes.sort_values("process_id").itertuples(index=False):
        graph.add_node(row.process_id, kind="process", name=_text(row.name), category=_text(row.category))
    for actor, attributes in _actor_attributes(relations).items():
        graph.add_node(actor, kind="actor", **attributes)
    roles = relations.groupby(["actor", "process_id"])["role"].agg(lambda r: "+".join(sorted(set(r))))
    graph.add_edges_from((actor, process, {"role": role}) for (actor, process), role in roles.items())
    return graph


def build_meeting_graph(meetings: pd.DataFrame, relations: pd.DataFrame | None = None) -> nx.Graph:
    """Bipartite graph of actors × meetings: an edge for each participant of a meeting.

    Meeting nodes carry ``name`` and ``processes`` (the process ids the meeting handles,
    joined with ``;``); actor nodes take ``actor_type`` and ``organisation`` from
    ``relations`` when it is given.

    Examples
    --------
    >>> meetings = pd.DataFrame({"meeting_id": ["M1", "M1"], "name": ["Overleg"] * 2,
    ...                          "actor": ["a", "b"], "process_id": ["P1", None]})
    >>> graph = build_meeting_graph(meetings)
    >>> sorted(graph["M1"]), graph.nodes["M1"]["processes"]
    (['a', 'b'], 'P1')
    """
    _clashes(meetings["actor"], meetings["meeting_id"], file="meetings.csv", what="meeting")
    graph = nx.Graph(name="actors x meetings")
    handled = meetings.reindex(columns=["meeting_id", "process_id"]).dropna()
    handled = handled.groupby("meeting_id")["process_id"].agg(lambda p: ";".join(sorted(set(p))))
    names = meetings.groupby("meeting_id", sort=True)["name"].first()
    for meeting, name in names.items():
        graph.add_node(meeting, kind="meeting", name=_text(name), processes=handled.get(meeting, ""))
    known = _actor_attributes(relations)
    for actor in sorted(meetings["actor"].unique()):
        graph.add_node(actor, kind="actor", **known.get(actor, {"actor_type": "", "organisation": ""}))
    pairs = meetings[["actor", "meeting_id"]].drop_duplicates().sort_values(["actor", "meeting_id"])
    graph.add_edges_from(pairs.itertuples(index=False, name=None))
    return graph


def build_collaboration_graph(processes: pd.DataFrame, relations: pd.DataFrame, meetings: pd.DataFrame) -> nx.Graph:
    """Actors, processes and meetings in one graph (the union of the two bipartite graphs).

    Examples
    --------
    >>> processes = pd.DataFrame({"process_id": ["P1"], "name": ["GBA"], "category": ["bedrijfsproces"]})
    >>> relations = pd.DataFrame({"process_id": ["P1"], "actor": ["a"], "role": ["klant"]})
    >>> meetings = pd.DataFrame({"meeting_id": ["M1"], "name": ["Overleg"], "actor": ["a"]})
    >>> sorted(build_collaboration_graph(processes, relations, meetings)["a"])
    ['M1', 'P1']
    """
    _clashes(meetings["meeting_id"], processes["process_id"], file="meetings.csv", what="process")
    graph = nx.compose(build_meeting_graph(meetings, relations), build_process_graph(processes, relations))
    graph.graph["name"] = "actors x processes x meetings"
    return _sorted_graph(graph)


def process_projection(graph: nx.Graph) -> nx.Graph:
    """Processes linked when they share an actor; ``weight`` = number of shared actors.

    Edges also carry ``actors``, the shared actors joined with ``;``.

    Examples
    --------
    >>> graph = nx.Graph([("a", "P1"), ("a", "P2"), ("b", "P1"), ("b", "P2"), ("c", "P3")])
    >>> nx.set_node_attributes(graph, {"P1": "process", "P2": "process", "P3": "process"}, "kind")
    >>> projection = process_projection(graph)
    >>> projection.edges["P1", "P2"]["weight"], projection.degree("P3")
    (2, 0)
    """
    processes = sorted(n for n, kind in graph.nodes(data="kind") if kind == "process")
    if not processes:  # a study without processes.csv rows: an empty projection, not an error
        return nx.Graph(name="processes linked by shared actors")
    projection = _sorted_graph(nx.bipartite.weighted_projected_graph(graph, processes))
    for u, v, data in projection.edges(data=True):
        data["actors"] = ";".join(sorted(set(graph[u]) & set(graph[v]), key=str))
    projection.graph["name"] = "processes linked by shared actors"
    return projection


# --- measuring --------------------------------------------------------------------------

def solitary_processes(projection: nx.Graph) -> pd.DataFrame:
    """Processes without any link in the process projection (they share no actor).

    Examples
    --------
    >>> projection = nx.Graph([("P1", "P2")])
    >>> projection.add_node("P3", name="GBA", category="bedrijfsproces")
    >>> solitary_processes(projection)
      process_id name        category
    0         P3  GBA  bedrijfsproces
    """
    rows = [(node, data.get("name", ""), data.get("category", ""))
            for node, data in projection.nodes(data=True) if projection.degree(node) == 0]
    return pd.DataFrame(sorted(rows), columns=["process_id", "name", "category"])


def process_links(projection: nx.Graph) -> pd.DataFrame:
    """Every link of the process projection, strongest first.

    Examples
    --------
    >>> projection = nx.Graph()
    >>> projection.add_edge("P1", "P2", weight=2, actors="a;b")
    >>> process_links(projection)[["process_id", "other_process_id", "shared_actors"]]
      process_id other_process_id  shared_actors
    0         P1               P2              2
    """
    rows = []
    for u, v, data in projection.edges(data=True):
        u, v = sorted((u, v), key=str)
        rows.append({"process_id": u, "other_process_id": v,
                     "category": projection.nodes[u].get("category", ""),
                     "other_category": projection.nodes[v].get("category", ""),
                     "shared_actors": int(data.get("weight", 1)), "actors": data.get("actors", "")})
    columns = ["process_id", "other_process_id", "category", "other_category", "shared_actors", "actors"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["shared_actors", "process_id", "other_process_id"], ascending=[False, True, True],
                             ignore_index=True)


def _category_order(categories: Iterable[str]) -> list[str]:
    present = set(categories)
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def category_links(projection: nx.Graph) -> pd.DataFrame:
    """Coherence between process categories: links of the projection per pair of categories.

    ``coherence`` is *horizontal* within a category and *vertical* between categories (a
    policy chain frames physical chains and municipal processes below it). ``pairs`` is
    the number of process pairs that could be linked, ``density = links / pairs``.

    Examples
    --------
    >>> projection = nx.Graph([("P1", "P2")])
    >>> projection.add_nodes_from([("P1", {"category": "beleidsketen"}), ("P2", {"category": "fysieke_keten"}),
    ...                            ("P3", {"category": "fysieke_keten"})])
    >>> category_links(projection)[["category", "other_category", "coherence", "links", "pairs"]]
           category other_category   coherence  links  pairs
    0  beleidsketen   beleidsketen  horizontal      0      0
    1  beleidsketen  fysieke_keten    vertical      1      2
    2 fysieke_keten  fysieke_keten  horizontal      0      1
    """
    category = dict(projection.nodes(data="category", default=""))
    order = _category_order(category.values())
    size = pd.Series(list(category.values()), dtype=object).value_counts()
    rank = {c: i for i, c in enumerate(order)}
    links: dict[tuple[str, str], list[int]] = {}
    for u, v, weight in projection.edges(data="weight", default=1):
        pair = tuple(sorted((category[u], category[v]), key=rank.get))
        links.setdefault(pair, []).append(int(weight))
    rows = []
    for i, first in enumerate(order):
        for second in order[i:]:
            n = int(size[first])
            pairs = n * (n - 1) // 2 if first == second else n * int(size[second])
            found = links.get((first, second), [])
            rows.append({"category": first, "other_category": second,
                         "coherence": "horizontal" if first == second else "vertical",
                         "links": len(found), "pairs": pairs,
                         "density": round(len(found) / pairs, 3) if pairs else float("nan"),
                         "shared_actors": sum(found)})
    return pd.DataFrame(rows, columns=["category", "other_category", "coherence", "links", "pairs", "density",
                                       "shared_actors"])


def linking_pins(graph: nx.Graph, *, min_meetings: int = 2) -> pd.DataFrame:
    """Actors taking part in at least ``min_meetings`` meetings, by betweenness centrality.

    Betweenness is measured in the actor × meeting graph (normalised, networkx
    `~networkx.algorithms.centrality.betweenness_centrality`): how often an actor lies on
    the shortest path between two others, i.e. how much of the coordination runs through them.

    Examples
    --------
    >>> meetings = pd.DataFrame({"meeting_id": ["M1", "M1", "M2", "M2"], "name": ["x", "x", "y", "y"],
    ...                          "actor": ["a", "pin", "pin", "b"]})
    >>> linking_pins(build_meeting_graph(meetings))[["actor", "meetings", "betweenness"]]
      actor  meetings  betweenness
    0   pin         2     0.666667
    """
    if isinstance(min_meetings, bool) or not isinstance(min_meetings, int) or min_meetings < 1:
        raise CoopResearchError("The 'min_meetings' parameter of linking_pins must be an int of at least 1. "
                                f"Got {min_meetings!r} instead.")
    betweenness = nx.betweenness_centrality(_sorted_graph(graph))
    rows = []
    for actor, data in graph.nodes(data=True):
        meetings = sum(graph.nodes[n].get("kind") == "meeting" for n in graph[actor])
        if data.get("kind") == "actor" and meetings >= min_meetings:
            rows.append({"actor": actor, "meetings": meetings, "betweenness": round(betweenness[actor], DIGITS),
                         "actor_type": data.get("actor_type", ""), "organisation": data.get("organisation", "")})
    table = pd.DataFrame(rows, columns=["actor", "meetings", "betweenness", "actor_type", "organisation"])
    return table.sort_values(["betweenness", "meetings", "actor"], ascending=[False, False, True], ignore_index=True)


def communities(graph: nx.Graph, *, seed: int = SEED) -> pd.DataFrame:
    """Communities by Louvain modularity optimisation (networkx), numbered from 1 by size.

    The graph is re-built in sorted node order and the algorithm seeded, so the result does
    not depend on the order in which nodes were added.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding
    of communities in large networks. J. Stat. Mech. P10008.

    Examples
    --------
    >>> communities(nx.Graph([("a", "b"), ("c", "d")]))
      node  community
    0    a          1
    1    b          1
    2    c          2
    3    d          2
    """
    found = nx.community.louvain_communities(_sorted_graph(graph), weight="weight", seed=seed)
    ordered = sorted((sorted(map(str, c)) for c in found), key=lambda c: (-len(c), c[0]))
    number = {node: i for i, members in enumerate(ordered, 1) for node in members}
    rows = sorted((node, number[str(node)]) for node in graph.nodes)
    return pd.DataFrame(rows, columns=["node", "community"])


def node_metrics(graph: nx.Graph, *, seed: int = SEED) -> pd.DataFrame:
    """Degree, betweenness centrality (normalised) and community of every node.

    Examples
    --------
    >>> graph = nx.Graph([("a", "P1"), ("a", "P2")])
    >>> nx.set_node_attributes(graph, {"a": "actor", "P1": "process", "P2": "process"}, "kind")
    >>> node_metrics(graph)
      node     kind  degree  betweenness  community
    0    a    actor       2          1.0          1
    1   P1  process       1          0.0          1
    2   P2  process       1          0.0          1
    """
    betweenness = nx.betweenness_centrality(_sorted_graph(graph))
    community = communities(graph, seed=seed).set_index("node")["community"]
    rows = [{"node": node, "kind": kind or "", "degree": graph.degree(node),
             "betweenness": round(betweenness[node], DIGITS), "community": int(community[node])}
            for node, kind in graph.nodes(data="kind")]
    table = pd.DataFrame(rows, columns=["node", "kind", "degree", "betweenness", "community"])
    return table.sort_values(["kind", "node"], ignore_index=True)


def department_contacts(relations: pd.DataFrame, meetings: pd.DataFrame, *,
                        departments: Iterable[str] | None = None) -> pd.DataFrame:
    """Per municipal department: its processes and meetings, and the external organisations it meets.

    Departments and external organisations are the actors with ``actor_type``
    ``department`` and ``organisation`` in ``relations``; an external actor counts by its
    ``organisation`` (e.g. the corporation) when that column is filled. ``departments``
    lists every department of the municipality, so those without any contact count too.

    Examples
    --------
    >>> relations = pd.DataFrame({"process_id": ["P1", "P1", "P2"], "actor": ["d1", "corp", "d2"],
    ...                           "role": ["klant"] * 3, "actor_type": ["department", "organisation", "department"]})
    >>> meetings = pd.DataFrame({"meeting_id": ["M1"], "name": ["x"], "actor": ["d2"]})
    >>> department_contacts(relations, meetings)
      department  processes  organisations  meetings  met_organisations  contact
    0         d1          1              1         0                  0     True
    1         d2          1              0         1                  0    False
    """
    relations = relations.reindex(columns=["process_id", "actor", "actor_type", "organisation"]).astype(object)
    kind = relations.dropna(subset=["actor_type"]).groupby("actor")["actor_type"].first()
    external = relations.loc[relations["actor"].map(kind) == "organisation"]
    external = external.assign(party=external["organisation"].fillna(external["actor"]))
    party = external.groupby("actor")["party"].first()
    own = set(kind.index[kind == "department"]) | set(departments or ())

    def organisations_met(table: pd.DataFrame, group: str) -> pd.Series:
        members = table[["actor", group]].drop_duplicates()
        outside = members.assign(party=members["actor"].map(party)).dropna(subset=["party"])
        met = members.merge(outside[[group, "party"]], on=group)
        return met[met["actor"].isin(own)].groupby("actor")["party"].nunique()

    counts = {"processes": relations.groupby("actor")["process_id"].nunique(),
              "organisations": organisations_met(relations, "process_id"),
              "meetings": meetings.groupby("actor")["meeting_id"].nunique(),
              "met_organisations": organisations_met(meetings, "meeting_id")}
    index = pd.Index(sorted(own), name="department", dtype=object)
    table = pd.DataFrame({name: column.reindex(index) for name, column in counts.items()}, index=index)
    table = table.fillna(0).astype(int)
    table["contact"] = (table["organisations"] > 0) | (table["met_organisations"] > 0)
    return table.reset_index()


def department_coverage(contacts: pd.DataFrame) -> pd.DataFrame:
    """Share of departments in contact with an external organisation, per channel.

    ``contacts`` is the table of `department_contacts`. Channels: a shared ``process``, a
    shared ``meeting``, and ``either``.

    Examples
    --------
    >>> contacts = pd.DataFrame({"department": ["d1", "d2"], "organisations": [1, 0],
    ...                          "met_organisations": [0, 0], "contact": [True, False]})
    >>> department_coverage(contacts)
      channel  departments  in_contact  share
    0 process            2           1    0.5
    1 meeting            2           0    0.0
    2  either            2           1    0.5
    """
    n = len(contacts)
    rows = []
    for channel, reached in (("process", contacts["organisations"] > 0), ("meeting", contacts["met_organisations"] > 0),
                             ("either", contacts["contact"].astype(bool))):
        hits = int(reached.sum())
        rows.append({"channel": channel, "departments": n, "in_contact": hits,
                     "share": round(hits / n, 3) if n else float("nan")})
    return pd.DataFrame(rows, columns=["channel", "departments", "in_contact", "share"])


def coordination_gaps(processes: pd.DataFrame, relations: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    """Processes that no meeting handles, and actors in processes who attend no meeting.

    Examples
    --------
    >>> processes = pd.DataFrame({"process_id": ["P1", "P2"], "name": ["Grond", "Woonvisie"]})
    >>> relations = pd.DataFrame({"process_id": ["P1", "P2"], "actor": ["a", "b"]})
    >>> meetings = pd.DataFrame({"meeting_id": ["M1"], "actor": ["b"], "process_id": ["P2"]})
    >>> coordination_gaps(processes, relations, meetings)
                           gap node   name
    0  actor_without_meeting    a      a
    1  process_without_meeting   P1  Grond
    """
    handled = set(meetings.reindex(columns=["process_id"])["process_id"].dropna())
    lonely_processes = processes.loc[~processes["process_id"].isin(handled), ["process_id", "name"]]
    lonely_actors = sorted(set(relations["actor"]) - set(meetings["actor"]))
    rows = [("process_without_meeting", pid, name) for pid, name in lonely_processes.itertuples(index=False)]
    rows += [("actor_without_meeting", actor, actor) for actor in lonely_actors]
    return pd.DataFrame(sorted(rows), columns=["gap", "node", "name"])


def meeting_processes(meetings: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """Which meeting handles which process, and how many of its participants work in each process.

    One row per (meeting, process) where the meeting handles the process (``handles``,
    from ``meetings.process_id``) or at least one participant takes part in it
    (``participants``, from ``relations``): the overview of who coordinates what.

    Examples
    --------
    >>> meetings = pd.DataFrame({"meeting_id": ["M1", "M1"], "name": ["x", "x"], "actor": ["a", "b"],
    ...                          "process_id": ["P1", "P1"]})
    >>> relations = pd.DataFrame({"process_id": ["P1", "P2"], "actor": ["a", "b"]})
    >>> meeting_processes(meetings, relations)
      meeting_id meeting process_id  handles  participants
    0         M1       x         P1     True             1
    1         M1       x         P2    False             1
    """
    names = meetings.groupby("meeting_id")["name"].first()
    members = meetings[["meeting_id", "actor"]].drop_duplicates()
    involved = members.merge(relations[["actor", "process_id"]].drop_duplicates(), on="actor")
    counts = involved.groupby(["meeting_id", "process_id"])["actor"].nunique().rename("participants")
    handled = meetings.reindex(columns=["meeting_id", "process_id"]).dropna().drop_duplicates()
    handled = pd.Series(True, index=pd.MultiIndex.from_frame(handled), name="handles")
    table = pd.concat([handled, counts], axis=1).reset_index()
    table.columns = ["meeting_id", "process_id", "handles", "participants"]
    table["handles"] = table["handles"].astype("boolean").fillna(False).astype(bool)
    table["participants"] = table["participants"].fillna(0).astype(int)
    table.insert(1, "meeting", table["meeting_id"].map(names))
    return table.sort_values(["meeting_id", "process_id"], ignore_index=True)


def dominant_theme_per_process(codes: pd.DataFrame, quotes: pd.DataFrame, *, valence: str | None = "negative",
                               min_interviews: int = 1) -> pd.DataFrame:
    """The theme most often raised as a problem in the quotes about each process.

    ``codes`` has one row per (quote_id, theme) with a ``valence`` (e.g.
    `coopresearch.reliability.consensus_codes`); only codes with the given ``valence``
    count (``None``: all). ``theme`` is the dominant theme; tied themes are joined with
    ``+``. Processes whose quotes come from fewer than ``min_interviews`` interviews get no
    theme and no counts, so no statistic points at a single interviewee.

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "interview_id": ["i1", "i2", "i2"],
    ...                        "process_id": ["P1", "P1", "P2"]})
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2", "q2", "q3"], "theme": ["mandate", "mandate", "trust", "trust"],
    ...                       "valence": ["negative"] * 4})
    >>> dominant_theme_per_process(codes, quotes)
      process_id  interviews  problem_quotes    theme  quotes  share
    0         P1           2               2  mandate       2    1.0
    1         P2           1               1    trust       1    1.0
    """
    if valence is not None and "valence" not in codes:
        raise CoopResearchError("dominant_theme_per_process: the codes have no 'valence' column — give codes with "
                                "valence (e.g. reliability.consensus_codes(study.codings)) or pass valence=None")
    if valence is not None:
        codes = codes[codes["valence"] == valence]
    about = quotes.reindex(columns=["quote_id", "interview_id", "process_id"]).dropna(subset=["process_id"])
    coded = codes.dropna(subset=["theme"]).merge(about, on="quote_id")
    columns = ["process_id", "interviews", "problem_quotes", "theme", "quotes", "share"]
    rows = []
    for process, group in coded.groupby("process_id", sort=True):
        interviews, total = group["interview_id"].nunique(), group["quote_id"].nunique()
        counts = group.groupby("theme")["quote_id"].nunique()
        top = counts.max()
        if interviews < min_interviews:
            rows.append((process, float("nan"), float("nan"), float("nan"), float("nan"), float("nan")))
            continue
        rows.append((process, interviews, total, "+".join(sorted(counts.index[counts == top])), int(top),
                     round(top / total, 3)))
    return pd.DataFrame(rows, columns=columns)


# --- reading ----------------------------------------------------------------------------


def _join(items: list[str], lang: str) -> str:
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {NETWORK[lang]['and']} {items[-1]}"


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


def network_reading(processes: pd.DataFrame, relations: pd.DataFrame, meetings: pd.DataFrame, *, lang: str,
                    top: int = 5) -> str:
    """A short reading (Markdown) of what the network says about coordination, in ``lang``.

    Process and actor names come from the study: they are escaped with `labels.markdown_text`.

    Examples
    --------
    >>> processes = pd.DataFrame({"process_id": ["P1", "P2"], "name": ["Woonvisie", "GBA"],
    ...                           "category": ["beleidsketen", "bedrijfsproces"]})
    >>> relations = pd.DataFrame({"process_id": ["P1", "P2"], "actor": ["a", "b"], "role": ["partner"] * 2})
    >>> meetings = pd.DataFrame({"meeting_id": ["M1"], "name": ["x"], "actor": ["a"], "process_id": ["P1"]})
    >>> print(network_reading(processes, relations, meetings, lang="en").splitlines()[2])
    **Solitary processes.** Woonvisie and GBA share no actor with any other process: ...
    """
    if lang not in LANGUAGES:
        raise CoopResearchError(f"The 'lang' parameter of network_reading must be one of {', '.join(LANGUAGES)}. "
                                f"Got {lang!r} instead.")
    text = NETWORK[lang]
    column = "name_en" if lang == "en" and "name_en" in processes else "name"
    name = processes.set_index("process_id")[column].fillna(processes.set_index("process_id")["name"]).map(markdown_text)
    graph = build_process_graph(processes, relations)
    kinds = pd.Series(dict(graph.nodes(data="actor_type")), dtype=object)
    actors = kinds[[graph.nodes[n]["kind"] == "actor" for n in kinds.index]]
    lines = [text["size"].format(processes=len(processes), actors=len(actors) + len(set(meetings["actor"]) - set(actors.index)),
                                 departments=int((actors == "department").sum()),
                                 externals=int((actors == "organisation").sum()), meetings=meetings["meeting_id"].nunique())]

    projection = process_projection(graph)
    solitary = solitary_processes(projection)["process_id"]
    lines.append(text["solitary"].format(names=_join(name[solitary].tolist(), lang)) if len(solitary)
                 else text["no_solitary"])

    pins = linking_pins(build_meeting_graph(meetings, relations))
    def named(table: pd.DataFrame) -> str:
        return _join([f"{markdown_text(row.actor)} ({text['meetings'].format(n=row.meetings)})"
                      for row in table.head(top).itertuples()], lang)

    own = pins[pins["actor_type"] == "department"]
    lines.append(text["pins_one" if len(pins) == 1 else "pins"].format(count=len(pins), names=named(pins))
                 + (text["own_pins"].format(names=named(own)) if len(own) else "") if len(pins) else text["no_pins"])

    coherence = category_links(projection).dropna(subset=["density"])
    levels = {level: coherence[coherence["coherence"] == level].sort_values("density", ascending=False, kind="stable")
              for level in ("horizontal", "vertical")}
    if all(len(table) for table in levels.values()):
        h, v = levels["horizontal"].iloc[0], levels["vertical"].iloc[0]
        lines.append(text["coherence"].format(
            horizontal=label(h["category"], lang).lower(), h_density=f"{h['density']:.0%}",
            vertical=f"{label(v['category'], lang).lower()} – {label(v['other_category'], lang).lower()}",
            v_density=f"{v['density']:.0%}"))

    coverage = department_coverage(department_contacts(relations, meetings)).set_index("channel")
    n = int(coverage.loc["either", "departments"])
    if n:
        lines.append(text["coverage"].format(departments=n, process=_share(int(coverage.loc["process", "in_contact"]), n),
                                             meeting=_share(int(coverage.loc["meeting", "in_contact"]), n)))

    gaps = coordination_gaps(processes, relations, meetings)
    unhandled = gaps.loc[gaps["gap"] == "process_without_meeting", "node"]
    gap_line = text["gaps"].format(names=_join(name[unhandled].tolist(), lang)) if len(unhandled) else text["no_gaps"]
    lonely = int((gaps["gap"] == "actor_without_meeting").sum())
    lines.append(gap_line + (text["lonely_one" if lonely == 1 else "lonely"].format(count=lonely) if lonely else ""))
    return "\n\n".join(lines)


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
