"""Every definition of the network analysis on small hand-made graphs with known answers."""

from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import pytest

from coopresearch import load_study, network, plots
from coopresearch.derive import derive
from coopresearch.errors import CoopResearchError, DataError
from coopresearch.study import write_tables

MINI = Path(__file__).parent / "data" / "mini"


def frame(text: str) -> pd.DataFrame:
    """A small table from lines of comma-separated values, first line the header; '' is missing."""
    header, *rows = [line.strip().split(",") for line in text.strip().splitlines()]
    return pd.DataFrame(rows, columns=header, dtype=object).replace("", float("nan"))


# Three processes: P1 and P2 share actors a and b; P3 has its own actor c; P4 has no actor.
PROCESSES = frame("""
process_id,name,category
P1,Woonvisie,beleidsketen
P2,Projectontwikkeling,fysieke_keten
P3,GBA,bedrijfsproces
P4,WOZ,bedrijfsproces
""")
RELATIONS = frame("""
process_id,actor,role,actor_type,organisation
P1,a,opdrachtgever,department,Gemeente
P1,b,partner,organisation,Lefier
P2,a,partner,department,Gemeente
P2,a,klant,department,Gemeente
P2,b,leverancier,organisation,Lefier
P2,d,partner,organisation,Lefier
P3,c,leverancier,department,Gemeente
P3,e,klant,organisation,Domesta
""")
# a and b meet in M1 and M2; d only in M2; M3 handles P3 with e alone.
MEETINGS = frame("""
meeting_id,name,actor,process_id
M1,Beleidsoverleg,a,P1
M1,Beleidsoverleg,b,P1
M2,Projectenoverleg,a,P2
M2,Projectenoverleg,b,
M2,Projectenoverleg,d,P2
M3,GBA-overleg,e,P3
""")


@pytest.fixture
def process_graph():
    return network.build_process_graph(PROCESSES, RELATIONS)


@pytest.fixture
def projection(process_graph):
    return network.process_projection(process_graph)


# --- building ---------------------------------------------------------------------------

def test_process_graph_is_bipartite_with_attributes(process_graph):
    assert nx.is_bipartite(process_graph)
    assert process_graph.nodes["P1"] == {"kind": "process", "name": "Woonvisie", "category": "beleidsketen"}
    assert process_graph.nodes["b"] == {"kind": "actor", "actor_type": "organisation", "organisation": "Lefier"}
    assert process_graph.edges["a", "P1"]["role"] == "opdrachtgever"
    assert process_graph.edges["a", "P2"]["role"] == "klant+partner"  # two roles in one process
    assert "P4" in process_graph and process_graph.degree("P4") == 0


def test_actor_named_like_a_process_is_refused():
    relations = pd.DataFrame({"process_id": ["P1"], "actor": ["P2"], "role": ["klant"]})
    with pytest.raises(DataError, match=r"relations\.csv:-: actor: 'P2' is also a process id"):
        network.build_process_graph(PROCESSES, relations)


def test_meeting_graph_carries_processes_and_actor_attributes():
    graph = network.build_meeting_graph(MEETINGS, RELATIONS)
    assert graph.nodes["M2"] == {"kind": "meeting", "name": "Projectenoverleg", "processes": "P2"}
    assert graph.nodes["d"]["organisation"] == "Lefier"
    assert sorted(graph["a"]) == ["M1", "M2"]
    bare = network.build_meeting_graph(MEETINGS)
    assert bare.nodes["a"] == {"kind": "actor", "actor_type": "", "organisation": ""}


def test_collaboration_graph_joins_processes_and_meetings():
    graph = network.build_collaboration_graph(PROCESSES, RELATIONS, MEETINGS)
    assert sorted(graph["a"]) == ["M1", "M2", "P1", "P2"]
    assert {kind for _, kind in graph.nodes(data="kind")} == {"actor", "process", "meeting"}
    assert list(graph.nodes) == sorted(graph.nodes)


def test_projection_weight_is_the_number_of_shared_actors(projection):
    assert sorted(projection.nodes) == ["P1", "P2", "P3", "P4"]
    assert list(projection.edges(data=True)) == [("P1", "P2", {"weight": 2, "actors": "a;b"})]
    assert projection.nodes["P3"]["category"] == "bedrijfsproces"


# --- measuring --------------------------------------------------------------------------

def test_solitary_processes_share_no_actor(projection):
    table = network.solitary_processes(projection)
    assert table.to_dict("list") == {"process_id": ["P3", "P4"], "name": ["GBA", "WOZ"],
                                     "category": ["bedrijfsproces", "bedrijfsproces"]}


def test_one_shared_actor_is_enough_to_stop_being_solitary():
    relations = pd.concat([RELATIONS, frame("process_id,actor,role\nP4,c,klant")], ignore_index=True)
    projection = network.process_projection(network.build_process_graph(PROCESSES, relations))
    assert network.solitary_processes(projection)["process_id"].tolist() == []
    assert projection.edges["P3", "P4"]["weight"] == 1


def test_process_links_strongest_first():
    projection = nx.Graph()
    projection.add_edge("P2", "P1", weight=1, actors="x")
    projection.add_edge("P3", "P1", weight=3, actors="x;y;z")
    table = network.process_links(projection)
    assert table[["process_id", "other_process_id", "shared_actors"]].values.tolist() == [["P1", "P3", 3],
                                                                                          ["P1", "P2", 1]]


def test_category_links_count_horizontal_and_vertical_coherence():
    # two policy chains linked to each other and to one of three physical chains
    projection = nx.Graph([("B1", "B2"), ("B1", "F1"), ("B2", "F1")])
    projection.add_nodes_from(["F2", "F3"])
    nx.set_node_attributes(projection, {"B1": "beleidsketen", "B2": "beleidsketen", "F1": "fysieke_keten",
                                        "F2": "fysieke_keten", "F3": "fysieke_keten"}, "category")
    nx.set_edge_attributes(projection, {("B1", "B2"): 2, ("B1", "F1"): 1, ("B2", "F1"): 4}, "weight")
    table = network.category_links(projection).set_index(["category", "other_category"])
    assert table.loc[("beleidsketen", "beleidsketen")].tolist() == ["horizontal", 1, 1, 1.0, 2]
    assert table.loc[("beleidsketen", "fysieke_keten")].tolist() == ["vertical", 2, 6, 0.333, 5]
    assert table.loc[("fysieke_keten", "fysieke_keten")].tolist() == ["horizontal", 0, 3, 0.0, 0]
    assert len(table) == 3  # municipal processes absent: no rows for them


def test_linking_pins_need_two_meetings_and_rank_by_betweenness():
    graph = network.build_meeting_graph(MEETINGS, RELATIONS)
    pins = network.linking_pins(graph)
    assert pins["actor"].tolist() == ["a", "b"]  # d and e attend one meeting each
    assert pins["meetings"].tolist() == [2, 2]
    # a lies on half of the shortest paths M1-M2 (a-M1-b-M2 is a 4-cycle) and half of d-M1:
    # betweenness = (1/2 + 1/2) / ((n-1)(n-2)/2) with n = 7 nodes (M3 and e included) = 1/15
    assert pins["betweenness"].tolist() == [round(1 / 15, 6)] * 2
    assert pins.loc[0, "organisation"] == "Gemeente"
    assert network.linking_pins(graph, min_meetings=3).empty
    assert network.linking_pins(graph, min_meetings=1)["actor"].tolist()[:2] == ["a", "b"]


def test_linking_pins_are_ranked_by_betweenness_not_by_meetings():
    # hub (2 meetings) bridges the cluster M1-M2-M5 and the cluster M3-M4; busy attends 3 meetings of one cluster
    rows = [("M1", "hub"), ("M3", "hub"), ("M1", "busy"), ("M2", "busy"), ("M5", "busy"), ("M1", "p"), ("M2", "p"),
            ("M3", "q"), ("M4", "q"), ("M3", "r"), ("M4", "r"), ("M4", "s")]
    meetings = pd.DataFrame(rows, columns=["meeting_id", "actor"]).assign(name="overleg")
    graph = network.build_meeting_graph(meetings)
    pins = network.linking_pins(graph)
    assert pins["actor"].tolist() == ["hub", "busy", "q", "r", "p"]  # s attends one meeting
    assert pins["meetings"].tolist() == [2, 3, 2, 2, 2]
    betweenness = nx.betweenness_centrality(graph)
    assert pins["betweenness"].tolist() == [round(betweenness[a], 6) for a in pins["actor"]]
    assert pins.loc[0, "betweenness"] == pytest.approx(0.555556)


@pytest.mark.parametrize("bad", [0, 1.5, "2", True])
def test_linking_pins_refuse_a_bad_threshold(bad):
    with pytest.raises(CoopResearchError, match="'min_meetings' parameter of linking_pins must be an int"):
        network.linking_pins(nx.Graph(), min_meetings=bad)


def two_cliques(order=1) -> nx.Graph:
    """Two triangles joined by one bridge: Louvain must find the two triangles."""
    edges = [("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")][::order]
    graph = nx.Graph()
    graph.add_nodes_from(sorted({n for e in edges for n in e})[::order])
    graph.add_edges_from(edges)
    return graph


def test_communities_find_the_two_triangles():
    table = network.communities(two_cliques())
    assert table.groupby("community")["node"].apply(list).tolist() == [["a", "b", "c"], ["x", "y", "z"]]


def test_communities_do_not_depend_on_insertion_order_or_run():
    first = network.communities(two_cliques())
    pd.testing.assert_frame_equal(first, network.communities(two_cliques(order=-1)))
    pd.testing.assert_frame_equal(first, network.communities(two_cliques()))
    bigger = nx.karate_club_graph()
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(bigger.nodes, reverse=True))
    shuffled.add_edges_from(sorted(bigger.edges, reverse=True))
    pd.testing.assert_frame_equal(network.communities(bigger), network.communities(shuffled))


def test_communities_are_numbered_by_size():
    graph = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    assert network.communities(graph).set_index("node")["community"].to_dict() == {
        "a": 2, "b": 2, "c": 1, "d": 1, "e": 1}


def test_node_metrics_of_a_star():
    graph = nx.star_graph(["hub", "x", "y", "z"])
    nx.set_node_attributes(graph, "actor", "kind")
    table = network.node_metrics(graph).set_index("node")
    assert table["degree"].to_dict() == {"hub": 3, "x": 1, "y": 1, "z": 1}
    assert table["betweenness"].to_dict() == {"hub": 1.0, "x": 0.0, "y": 0.0, "z": 0.0}
    assert table["community"].nunique() == 1


def test_department_contacts_and_coverage_share():
    contacts = network.department_contacts(RELATIONS, MEETINGS, departments=["a", "c", "f"])
    assert contacts.set_index("department").to_dict("index") == {
        "a": {"processes": 2, "organisations": 1, "meetings": 2, "met_organisations": 1, "contact": True},
        "c": {"processes": 1, "organisations": 1, "meetings": 0, "met_organisations": 0, "contact": True},
        "f": {"processes": 0, "organisations": 0, "meetings": 0, "met_organisations": 0, "contact": False},
    }  # b and d are two units of Lefier: one organisation
    coverage = network.department_coverage(contacts).set_index("channel")
    assert coverage["share"].to_dict() == {"process": 0.667, "meeting": 0.333, "either": 0.667}
    assert coverage.loc["either", "departments"] == 3


def test_coverage_of_no_departments_is_missing():
    relations = RELATIONS.drop(columns=["actor_type"])
    contacts = network.department_contacts(relations, MEETINGS)
    assert contacts.empty
    assert network.department_coverage(contacts)["share"].isna().all()


def test_coordination_gaps():
    gaps = network.coordination_gaps(PROCESSES, RELATIONS, MEETINGS)
    assert gaps.values.tolist() == [["actor_without_meeting", "c", "c"],
                                    ["process_without_meeting", "P4", "WOZ"]]


def test_meeting_processes_shows_handled_and_touched_processes():
    table = network.meeting_processes(MEETINGS, RELATIONS)
    rows = {(r.meeting_id, r.process_id): (r.handles, r.participants) for r in table.itertuples()}
    assert rows == {("M1", "P1"): (True, 2), ("M1", "P2"): (False, 2), ("M2", "P1"): (False, 2),
                    ("M2", "P2"): (True, 3), ("M3", "P3"): (True, 1)}


# --- themes per process ------------------------------------------------------------------

QUOTES = frame("""
quote_id,interview_id,text,process_id
q1,i1,x,P1
q2,i2,x,P1
q3,i3,x,P1
q4,i1,x,P2
q5,i2,x,P2
q6,i1,x,
""")
CODES = frame("""
quote_id,theme,valence
q1,mandate,negative
q2,mandate,negative
q2,transparency,negative
q3,transparency,positive
q4,ownership,negative
q5,reliability,negative
q6,mandate,negative
""")


def test_dominant_problem_theme_counts_negative_codes_only():
    table = network.dominant_theme_per_process(CODES, QUOTES).set_index("process_id")
    assert table.loc["P1", ["interviews", "problem_quotes", "theme", "quotes", "share"]].tolist() == [
        2, 2, "mandate", 2, 1.0]
    assert table.loc["P2", "theme"] == "ownership+reliability"  # a tie shows both
    assert list(table.index) == ["P1", "P2"]  # the quote without process does not count


def test_dominant_theme_of_all_valences_and_small_groups():
    every = network.dominant_theme_per_process(CODES, QUOTES, valence=None).set_index("process_id")
    assert every.loc["P1", "theme"] == "mandate+transparency"
    assert every.loc["P1", "interviews"] == 3
    private = network.dominant_theme_per_process(CODES, QUOTES, min_interviews=3).set_index("process_id")
    assert pd.isna(private.loc["P1", "theme"]) and pd.isna(private.loc["P2", "theme"])


def test_dominant_theme_needs_valence():
    with pytest.raises(CoopResearchError, match="no 'valence' column"):
        network.dominant_theme_per_process(CODES.drop(columns="valence"), QUOTES)


# --- reading ----------------------------------------------------------------------------

def test_reading_names_the_findings_in_both_languages():
    dutch = network.network_reading(PROCESSES, RELATIONS, MEETINGS, lang="nl")
    english = network.network_reading(PROCESSES, RELATIONS, MEETINGS, lang="en")
    assert "GBA en WOZ delen geen enkele actor" in dutch
    assert "GBA and WOZ share no actor" in english
    assert "via a (2 overleggen) en b (2 overleggen)" in dutch
    assert "On the municipality's side, the main linking pins are a (2 meetings)." in english
    assert "Of the 2 municipal departments in the relation matrix, 2 (100%) share a process" in english
    assert "1 (50%) sit in a meeting" in english
    assert "No meeting handles WOZ. One actor takes part in processes but in no meeting." in english
    assert "policy chain/network – physical chain (100%)" in english


def test_reading_uses_english_process_names():
    processes = PROCESSES.assign(name_en=["Housing vision", "Project development", "Population register", None])
    english = network.network_reading(processes, RELATIONS, MEETINGS, lang="en")
    assert "Population register and WOZ share no actor" in english


def test_reading_refuses_an_unknown_language():
    with pytest.raises(CoopResearchError, match="'lang' parameter of network_reading must be one of nl, en"):
        network.network_reading(PROCESSES, RELATIONS, MEETINGS, lang="de")


# --- the mini study, exports and figures ---------------------------------------------------------

def test_mini_study_tables():
    study = load_study(MINI)
    tables = derive(study)
    assert tables["solitary_processes"]["process_id"].tolist() == ["P3"]
    assert tables["linking_pins"]["actor"].tolist() == ["Beleidsadviseur wonen", "Corporatie – vastgoed"]
    assert tables["network_nodes"].columns.tolist() == ["node", "kind", "degree", "betweenness", "community"]
    assert set(tables["network_nodes"]["kind"]) == {"actor", "process", "meeting"}


def test_graph_exports_are_byte_identical_and_readable(tmp_path):
    graph = network.build_collaboration_graph(PROCESSES, RELATIONS, MEETINGS)
    shuffled = nx.Graph()
    shuffled.graph.update(graph.graph)
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed([(v, u, d) for u, v, d in graph.edges(data=True)]))
    first = write_tables({"net": graph}, tmp_path / "a")
    second = write_tables({"net": shuffled}, tmp_path / "b")
    assert [p.name for p in first] == ["net.graphml", "net.gexf"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert b"lastmodifieddate" not in first[1].read_bytes()
    for read in (nx.read_graphml(first[0]), nx.read_gexf(first[1])):
        assert sorted(read.nodes) == sorted(graph.nodes)
        assert {frozenset(e) for e in read.edges} == {frozenset(e) for e in graph.edges}
    assert nx.read_graphml(first[0]).nodes["P1"]["category"] == "beleidsketen"


def _offsets(ax) -> list:
    return [collection.get_offsets().tolist() for collection in ax.collections]


@pytest.mark.parametrize("draw", ["process_network", "meeting_network"])
def test_network_figures_are_the_same_on_every_run(draw):
    graph = (network.build_process_graph(PROCESSES, RELATIONS) if draw == "process_network"
             else network.build_meeting_graph(MEETINGS, RELATIONS))
    first = _offsets(getattr(plots, draw)(graph, lang="nl"))
    second = _offsets(getattr(plots, draw)(graph, lang="nl"))
    plt.close("all")
    assert first == second and first


def test_projection_figure_colours_by_theme(projection):
    ax = plots.projection_network(projection, lang="en", themes={"P1": "mandate", "P2": "ownership+reliability"},
                                  theme_names={"mandate": "Mandate", "ownership": "Ownership",
                                               "reliability": "Reliability"})
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close("all")
    assert legend == ["Mandate", "Ownership + Reliability", "(no theme)"]


def test_heatmaps_show_the_tables():
    ax = plots.meeting_process_heatmap(network.meeting_processes(MEETINGS, RELATIONS), lang="en",
                                       processes=["P1", "P2", "P3", "P4"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["P1", "P2", "P3", "P4"]
    assert len(ax.patches) == 3  # one frame per handled (meeting, process)
    projection = network.process_projection(network.build_process_graph(PROCESSES, RELATIONS))
    ax = plots.category_heatmap(network.category_links(projection), lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Policy chain/network", "Physical chain",
                                                            "Municipal business process"]
    plt.close("all")
