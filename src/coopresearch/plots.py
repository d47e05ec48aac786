"""Figures for the reports: seaborn/matplotlib, labels in the report language.

Every function takes ``ax=None`` and returns the `~matplotlib.axes.Axes` it drew on.
Importing this module turns off matplotlib's mathtext (``text.parse_math``): labels, titles
and ticks come from study text (theme labels, party labels, process and actor names), and a
``$`` there is a dollar sign, not the start of a formula.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns

from .labels import decimal_text, label
from .scan import ALL_PARTIES, FIELDS, THRESHOLDS, radar_rows
from .schemas import SCAN_FIELDS

__all__ = ["agreement_bars", "agreement_heatmap", "bar_counts", "category_heatmap", "co_occurrence_heatmap",
           "meeting_network", "meeting_process_heatmap", "process_network", "projection_network", "scan_radar",
           "scan_radars", "theme_shares", "valence_bars"]

PALETTE = "colorblind"
matplotlib.rcParams["text.parse_math"] = False  # study text is drawn as written: '$x^2$' is not mathtext


def _legend_outside(ax, **kwargs) -> None:
    """The legend to the right of the axes, so it never covers a bar."""
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1), **kwargs)


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    return ax


def bar_counts(counts: pd.DataFrame, *, lang: str, names: dict[str, str] | None = None,
               value: str = "quotes", ax=None):
    """Grouped horizontal bars of a wide count table (rows: categories, columns: groups).

    ``names`` gives the reader's name of a row (e.g. theme labels); other rows are
    translated with `labels.label`.

    Examples
    --------
    >>> ax = bar_counts(pd.DataFrame({"a": [1, 2]}, index=pd.Index(["x", "y"], name="theme")), lang="en")
    >>> ax.get_xlabel()
    'Quotes'
    """
    ax = _axes(ax)
    names = names or {}
    rows = counts.rename(index=lambda row: names.get(row, label(str(row), lang)))
    long = rows.rename_axis(index="row", columns="group").stack().rename("n").reset_index()
    sns.barplot(long, y="row", x="n", hue="group", orient="h", palette=PALETTE, ax=ax)
    ax.set(xlabel=label(value, lang), ylabel=label(str(counts.index.name), lang))
    _legend_outside(ax, title=label(str(counts.columns.name), lang))
    sns.despine(ax=ax)
    return ax


def agreement_heatmap(matrix: pd.DataFrame, *, lang: str, value: str = "agreement", ax=None):
    """A coder x coder agreement table (`reliability.agreement_matrix`) as an annotated heatmap, 0 to 1.

    Examples
    --------
    >>> matrix = pd.DataFrame([[1.0, 0.8], [0.8, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> ax = agreement_heatmap(matrix.rename_axis(index="coder", columns="coder"), lang="en")
    >>> ax.get_xlabel(), ax.collections[0].colorbar.ax.get_ylabel()
    ('Coder', 'Agreement')
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 * len(matrix) + 3, 1.0 * len(matrix) + 2))
    annot = matrix.apply(lambda column: column.map(lambda v: decimal_text(v, lang, 2) if pd.notna(v) else ""))
    sns.heatmap(matrix, vmin=0, vmax=1, cmap="viridis", annot=annot.to_numpy(), fmt="", square=True, ax=ax,
                cbar_kws={"label": label(value, lang)})
    ax.set(xlabel=label("coder", lang), ylabel=label("coder", lang))
    ax.tick_params(axis="y", rotation=0)
    return ax


# --- network analysis (issue 6) -----------------------------------------------------------

ACTOR_COLOURS = {"department": "#4c72b0", "organisation": "#dd8452"}  # municipality blue, partners orange
UNKNOWN_COLOUR = "#999999"


def _network_axes(ax, size=(10, 8)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _category_colours(categories) -> dict[str, tuple]:
    """One fixed colour per process category (schema order), so every figure agrees."""
    from .schemas import CATEGORIES

    order = list(CATEGORIES) + sorted(set(categories) - set(CATEGORIES))
    return dict(zip(order, sns.color_palette(PALETTE, len(order)), strict=True))


def _island_layout(graph, *, seed: int, apart: list | None = None) -> dict:
    """Spring layout of the largest component, the other components as islands in a row below.

    A plain spring layout pushes small components to the edge and squeezes the rest into
    the middle; this keeps both readable (and makes solitary parts visible as islands).
    The nodes in ``apart`` (the squares of processes or meetings) are then moved apart until
    no two overlap: nodes with the same neighbours otherwise land on one spot.
    """
    parts = sorted((sorted(c, key=str) for c in nx.connected_components(graph)), key=lambda c: (-len(c), str(c[0])))
    if not parts:
        return {}
    position = nx.spring_layout(_in_order(graph, parts[0]), seed=seed, k=0.6, iterations=200, center=(0, 0), scale=1)
    islands = parts[1:]
    for i, part in enumerate(islands):
        x = -1 + 2 * (i + 0.5) / len(islands)
        scale = min(0.35, 0.9 / len(islands)) if len(part) > 1 else 0
        position.update(nx.spring_layout(_in_order(graph, part), seed=seed, center=(x, -1.45), scale=scale))
    return _apart(position, [n for n in apart or [] if n in position], distance=0.2)


def _in_order(graph, nodes: list):
    """The subgraph of ``nodes`` with its nodes in the order given.

    ``graph.subgraph`` lists its nodes in the order of a set, which changes with Python's hash
    seed from one process to the next; a seeded layout of it would not be the same on every run.

    Examples
    --------
    >>> list(_in_order(nx.Graph([("b", "a"), ("a", "c")]), ["a", "b", "c"]))
    ['a', 'b', 'c']
    """
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(graph.subgraph(nodes).edges(data=True))  # weights too: a layout reads them
    return ordered


def _apart(position: dict, nodes: list, *, distance: float, rounds: int = 60) -> dict:
    """Push the ``nodes`` apart until each pair is at least ``distance`` apart (or ``rounds`` passes are done).

    Examples
    --------
    >>> moved = _apart({"a": np.array([0.0, 0.0]), "b": np.array([0.01, 0.0])}, ["a", "b"], distance=0.1)
    >>> round(float(np.linalg.norm(moved["a"] - moved["b"])), 2)
    0.1
    """
    points = np.array([position[n] for n in nodes], dtype=float).reshape(-1, 2)
    for _ in range(rounds):
        gap = points[:, None, :] - points[None, :, :]
        length = np.linalg.norm(gap, axis=2)
        np.fill_diagonal(length, np.inf)
        close = length < distance - 1e-9
        if not close.any():
            break
        direction = np.where(length[..., None] > 1e-9, gap / np.where(length > 1e-9, length, 1)[..., None],
                             np.array([1.0, 0.0]))  # same spot: split sideways
        push = np.where(close, (distance - np.where(np.isinf(length), distance, length)) / 2, 0)
        points += (direction * push[..., None]).sum(axis=1)
    return {**position, **{n: points[i] for i, n in enumerate(nodes)}}


def _name_nodes(position: dict, nodes: list, ax, *, squares: list = (), fontsize: int = 6) -> None:
    """Name ``nodes`` beside their dots, moved (adjustText) so that no name overlaps another, a dot or a square."""
    from adjustText import adjust_text
    from matplotlib.transforms import Bbox

    texts = [ax.text(*position[n], str(n), fontsize=fontsize, color="#222222") for n in nodes]
    if not texts:
        return
    ax.autoscale_view()
    half = 12 * ax.figure.dpi / 72  # half a square's side (node_size about 300 points²), in pixels
    boxes = [Bbox.from_extents(x - half, y - half, x + half, y + half)
             for x, y in ax.transData.transform(np.array([position[n] for n in squares]).reshape(-1, 2))]
    every = np.array(list(position.values()))
    adjust_text(texts, x=every[:, 0], y=every[:, 1], objects=boxes or None, ax=ax, expand=(1.2, 1.5),
                force_static=(0.4, 0.8), iter_lim=60)
    _leader_lines(texts, [position[n] for n in nodes], ax)


def _leader_lines(texts: list, points: list, ax, *, shortest: float = 5.0) -> None:
    """A thin line from each moved name to its dot, ending at the edge of the name's box.

    One line collection instead of an arrow per name: the same picture, drawn many times faster.
    """
    from matplotlib.collections import LineCollection

    to_pixels, to_data = ax.transData, ax.transData.inverted()
    lines = []
    for text, point in zip(texts, points, strict=True):
        box = text.get_window_extent()  # any backend: matplotlib finds the renderer
        px, py = to_pixels.transform(point)
        edge = np.array([min(max(px, box.x0), box.x1), min(max(py, box.y0), box.y1)])
        if np.hypot(*(edge - (px, py))) > shortest:
            lines.append(to_data.transform([(px, py), edge]))
    if lines:
        ax.add_collection(LineCollection(lines, colors="#999999", linewidths=0.4, zorder=0.5))


def _nodes_of(graph, kind: str) -> list:
    return [n for n, k in graph.nodes(data="kind") if k == kind]


def _legend(ax, entries: list[tuple[str, object, str]], title: str) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none", marker=marker, markersize=8, markerfacecolor=colour,
                      markeredgecolor="white", label=text) for text, colour, marker in entries]
    ax.legend(handles=handles, title=title, frameon=False, loc="upper left", bbox_to_anchor=(1, 1), fontsize=8)


def _draw_actors(graph, position, ax, *, size: int = 30) -> list[tuple[str, object, str]]:
    """Actors as dots coloured by actor type; returns legend entries."""
    actors = _nodes_of(graph, "actor")
    colour = [ACTOR_COLOURS.get(graph.nodes[a].get("actor_type", ""), UNKNOWN_COLOUR) for a in actors]
    nx.draw_networkx_nodes(graph, position, nodelist=actors, node_size=size, node_color=colour, ax=ax)
    present = {graph.nodes[a].get("actor_type", "") for a in actors}
    return [(kind, colour_, "o") for kind, colour_ in ACTOR_COLOURS.items() if kind in present]


def process_network(graph, *, lang: str, seed: int = 2009, ax=None):
    """The actor × process graph: processes coloured by category, actors by type.

    ``graph`` comes from `coopresearch.network.build_process_graph`. The layout is seeded,
    so the figure is the same on every run.

    Examples
    --------
    >>> graph = nx.Graph([("a", "P1")])
    >>> nx.set_node_attributes(graph, {"a": {"kind": "actor", "actor_type": "department"},
    ...                                "P1": {"kind": "process", "category": "beleidsketen"}})
    >>> process_network(graph, lang="en").get_legend().get_title().get_text()
    'Category'
    """
    ax = _network_axes(ax, size=(12, 10))  # room for every actor's name
    processes = _nodes_of(graph, "process")
    position = _island_layout(graph, seed=seed, apart=processes)
    nx.draw_networkx_edges(graph, position, ax=ax, alpha=0.25)
    entries = [(label(kind, lang), colour, "o") for kind, colour, _ in _draw_actors(graph, position, ax)]
    category = {p: graph.nodes[p].get("category", "") for p in processes}
    colours = _category_colours(category.values())
    nx.draw_networkx_nodes(graph, position, nodelist=processes, node_size=320, node_shape="s",
                           node_color=[colours[category[p]] for p in processes], ax=ax)
    nx.draw_networkx_labels(graph, position, labels={p: p for p in processes}, font_size=7, ax=ax)
    _name_nodes(position, _nodes_of(graph, "actor"), ax, squares=processes)
    entries += [(label(c, lang), colours[c], "s") for c in colours if c in set(category.values())]
    _legend(ax, entries, label("category", lang))
    ax.set_axis_off()
    return ax


def projection_network(projection, *, lang: str, themes: dict[str, str] | None = None,
                       theme_names: dict[str, str] | None = None, ax=None):
    """Processes linked by shared actors (line width: shared actors), coloured by category.

    Processes sit on a circle in id order, so the categories form arcs: chords inside an
    arc are horizontal coherence, chords between arcs vertical coherence, and a solitary
    process has no chord. With ``themes`` (process id → theme id, e.g. the dominant problem
    theme) the processes are coloured by theme instead; ``theme_names`` gives the reader's
    name of a theme.

    Examples
    --------
    >>> projection = nx.Graph()
    >>> projection.add_edge("P1", "P2", weight=2)
    >>> nx.set_node_attributes(projection, "beleidsketen", "category")
    >>> len(projection_network(projection, lang="nl").collections)
    2
    """
    ax = _network_axes(ax)
    position = nx.circular_layout(sorted(projection.nodes, key=str))
    widths = [0.6 * w for _, _, w in projection.edges(data="weight", default=1)]
    nx.draw_networkx_edges(projection, position, width=widths, alpha=0.35, ax=ax)
    nodes = list(projection.nodes)
    if themes is None:
        key = {n: projection.nodes[n].get("category", "") for n in nodes}
        colours, title = _category_colours(key.values()), label("category", lang)
        names = {c: label(c, lang) for c in colours}
    else:
        names = dict(theme_names or {})
        key = {n: themes.get(n, "") for n in nodes}
        found = sorted({v for v in key.values() if v})
        colours = dict(zip(found, sns.color_palette(PALETTE, len(found)), strict=True))
        colours[""] = UNKNOWN_COLOUR
        names[""] = label("(uncoded)", lang)
        names.update({t: " + ".join(names.get(part, part) for part in t.split("+")) for t in found if "+" in t})
        title = label("dominant_theme", lang)
    nx.draw_networkx_nodes(projection, position, nodelist=nodes, node_size=420,
                           node_color=[colours[key[n]] for n in nodes], ax=ax)
    nx.draw_networkx_labels(projection, position, font_size=7, ax=ax)
    shown = [k for k in colours if k in set(key.values())]
    _legend(ax, [(names.get(k, k), colours[k], "o") for k in shown], title)
    ax.set_axis_off()
    return ax


def meeting_network(graph, *, lang: str, pins: list[str] | None = None, seed: int = 2009, ax=None):
    """The actor × meeting graph: meetings as squares, actors by type, linking pins named.

    ``graph`` comes from `coopresearch.network.build_meeting_graph`; ``pins`` are the
    actors to name (e.g. the first rows of `coopresearch.network.linking_pins`).

    Examples
    --------
    >>> graph = nx.Graph([("a", "M1")])
    >>> nx.set_node_attributes(graph, {"a": {"kind": "actor", "actor_type": "organisation"}, "M1": {"kind": "meeting"}})
    >>> [t.get_text() for t in meeting_network(graph, lang="en", pins=["a"]).texts]
    ['M1', 'a']
    """
    ax = _network_axes(ax, size=(12, 9))
    meetings = _nodes_of(graph, "meeting")
    position = _island_layout(graph, seed=seed, apart=meetings)
    nx.draw_networkx_edges(graph, position, ax=ax, alpha=0.25)
    entries = [(label(kind, lang), colour, "o") for kind, colour, _ in _draw_actors(graph, position, ax, size=40)]
    nx.draw_networkx_nodes(graph, position, nodelist=meetings, node_size=260, node_shape="s",
                           node_color="#55a868", ax=ax)
    nx.draw_networkx_labels(graph, position, labels={m: m for m in meetings}, font_size=7, ax=ax)
    _name_nodes(position, [actor for actor in pins or [] if actor in position], ax, squares=meetings, fontsize=7)
    entries.append((label("meeting", lang), "#55a868", "s"))
    _legend(ax, entries, label("kind", lang))
    ax.set_axis_off()
    return ax


def meeting_process_heatmap(table: pd.DataFrame, *, lang: str, processes: list[str] | None = None, ax=None):
    """Which meeting handles which process: participants per (meeting, process), handled cells framed.

    ``table`` comes from `coopresearch.network.meeting_processes`; ``processes`` fixes the
    columns (e.g. every process id, so processes no meeting touches show as empty columns).

    Examples
    --------
    >>> table = pd.DataFrame({"meeting_id": ["M1"], "meeting": ["x"], "process_id": ["P1"],
    ...                       "handles": [True], "participants": [2]})
    >>> meeting_process_heatmap(table, lang="en").get_xlabel()
    'Process'
    """
    from matplotlib.patches import Rectangle

    rows = table.assign(row=table["meeting_id"] + " " + table["meeting"])
    matrix = rows.pivot_table(index="row", columns="process_id", values="participants", aggfunc="sum", fill_value=0)
    if processes is not None:
        matrix = matrix.reindex(columns=processes, fill_value=0)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 0.45 * matrix.shape[1] + 4), max(3, 0.35 * matrix.shape[0] + 1)))
    sns.heatmap(matrix, mask=matrix == 0, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5,
                linecolor="#eeeeee", annot_kws={"fontsize": 7}, ax=ax)
    columns, index = list(matrix.columns), list(matrix.index)
    for row in rows[rows["handles"]].itertuples():
        if row.process_id in columns:
            ax.add_patch(Rectangle((columns.index(row.process_id), index.index(row.row)), 1, 1, fill=False,
                                   edgecolor="#c44e52", linewidth=2))
    ax.set(xlabel=label("process", lang), ylabel=label("meeting", lang))
    ax.tick_params(labelsize=8)
    return ax


def category_heatmap(coherence: pd.DataFrame, *, lang: str, ax=None):
    """Density of links between and within process categories (vertical and horizontal coherence).

    ``coherence`` comes from `coopresearch.network.category_links`; each cell shows the
    density and, below it, links / possible pairs.

    Examples
    --------
    >>> coherence = pd.DataFrame({"category": ["beleidsketen"], "other_category": ["beleidsketen"],
    ...                           "links": [1], "pairs": [1], "density": [1.0]})
    >>> category_heatmap(coherence, lang="en").get_xlabel()
    'Category'
    """
    both = pd.concat([coherence, coherence.rename(columns={"category": "other_category",
                                                           "other_category": "category"})]).drop_duplicates(
        ["category", "other_category"])
    order = list(dict.fromkeys(coherence["category"].tolist() + coherence["other_category"].tolist()))
    density = both.pivot(index="category", columns="other_category", values="density").reindex(index=order,
                                                                                                columns=order)
    text = both.assign(text=[f"{d:.0%}\n{n}/{p}" if p else "–" for d, n, p in
                             zip(both["density"], both["links"], both["pairs"], strict=True)])
    annot = text.pivot(index="category", columns="other_category", values="text").reindex(index=order, columns=order)
    names = [label(c, lang) for c in order]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5))
    sns.heatmap(density.astype(float), annot=annot.to_numpy(), fmt="", vmin=0, vmax=1, cmap="Greens",
                xticklabels=names, yticklabels=names, cbar_kws={"label": label("density", lang)}, ax=ax)
    ax.set(xlabel=label("category", lang), ylabel=label("category", lang))
    return ax


def scan_radar(stats: pd.DataFrame, *, relationship: str, lang: str, names: dict[str, str] | None = None, ax=None):
    """The seven scan fields of one relationship as a radar, one outline per party.

    ``stats`` is `scan.field_stats`; ``names`` gives the parties' labels. Dashed circles
    mark the thresholds of the forms of collaboration (4 and 7): the weakest field decides
    which form the relationship's basis supports. ``ax``, when given, must be polar.

    Examples
    --------
    >>> stats = pd.DataFrame({"relationship": "r", "field": list(SCAN_FIELDS), "party": "x", "mean": 5.0})
    >>> scan_radar(stats, relationship="r", lang="en").get_title()
    'r'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.5), subplot_kw={"projection": "polar"})
    names = names or {}
    own = stats[(stats["relationship"] == relationship) & (stats["party"] != ALL_PARTIES)]
    angles = np.linspace(0, 2 * np.pi, len(SCAN_FIELDS), endpoint=False)
    closed = np.append(angles, angles[0])
    circle = np.linspace(0, 2 * np.pi, 200)
    for form in ("aanpassen", "aaneenvlechten"):
        ax.plot(circle, np.full_like(circle, THRESHOLDS[form]), linestyle="--", linewidth=0.8, color="#999999")
    parties = sorted(own["party"].unique())
    for party, colour in zip(parties, sns.color_palette(PALETTE, len(parties)), strict=True):
        means = own[own["party"] == party].set_index("field")["mean"].reindex(list(SCAN_FIELDS))
        values = np.append(means.to_numpy(dtype=float), means.iloc[0])
        ax.plot(closed, values, marker="o", color=colour, label=names.get(party, party))
        ax.fill(closed, values, color=colour, alpha=0.12)
    ax.set_xticks(angles, [FIELDS[f][lang] for f in SCAN_FIELDS], fontsize=8)
    ax.set_ylim(0, 10)
    ax.set_yticks([THRESHOLDS["aanpassen"], THRESHOLDS["aaneenvlechten"], 10], ["4", "7", "10"],
                  fontsize=7, color="#666666")
    ax.yaxis.grid(False)  # the dashed threshold circles are the only rings
    ax.set_title(relationship)
    ax.legend(title=label("party", lang), frameon=False, loc="upper right", bbox_to_anchor=(1.3, 1.12), fontsize=8)
    return ax


def scan_radars(stats: pd.DataFrame, *, lang: str, names: dict[str, str] | None = None) -> list:
    """One `scan_radar` per relationship, outlines of reported parties only (`scan.radar_rows`).

    Examples
    --------
    >>> stats = pd.DataFrame({"relationship": "r", "field": list(SCAN_FIELDS), "party": "x", "mean": 5.0,
    ...                       "reported": True})
    >>> [ax.get_title() for ax in scan_radars(stats, lang="en")]
    ['r']
    """
    outlines = radar_rows(stats)  # a group too small to report gets no outline
    return [scan_radar(outlines, relationship=relationship, lang=lang, names=names)
            for relationship in sorted(outlines["relationship"].unique())]


# --- thematic analysis ---------------------------------------------------------------------

VALENCE_COLOURS = {"positive": "#4c9a6a", "neutral": "#b8b8b8", "negative": "#c8553d"}


def theme_shares(table: pd.DataFrame, *, lang: str, by: str = "party", names: dict[str, str] | None = None,
                 groups: dict[str, str] | None = None, ax=None):
    """Share of each group's quotes per theme (`thematic.theme_by_group`), groups side by side.

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["a", "a"], "theme": ["x", "y"], "share": [0.5, 0.25]})
    >>> theme_shares(table, lang="nl").get_xlabel()
    'Aandeel'
    """
    ax = _axes(ax)
    names, groups = names or {}, groups or {}
    data = table.assign(theme=table["theme"].map(lambda t: names.get(t, t)),
                        group=table[by].map(lambda g: groups.get(g, label(g, lang))))
    sns.barplot(data, y="theme", x="share", hue="group", orient="h", palette=PALETTE, ax=ax)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))  # whole percents: no decimal sign
    ax.set(xlabel=label("share", lang), ylabel=label("theme", lang))
    _legend_outside(ax, title=label(by, lang))
    sns.despine(ax=ax)
    return ax


def valence_bars(table: pd.DataFrame, *, lang: str, by: str = "party", names: dict[str, str] | None = None,
                 groups: dict[str, str] | None = None, ax=None):
    """Per group and theme, the quotes split into positive, neutral and negative appreciation.

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["a"], "theme": ["x"], "positive": [2], "neutral": [0], "negative": [1]})
    >>> len(valence_bars(table, lang="en").patches)
    3
    """
    ax = _axes(ax)
    names, groups = names or {}, groups or {}
    rows = [f"{names.get(t, t)} · {groups.get(g, label(g, lang))}" for g, t in zip(table[by], table["theme"], strict=True)]
    left = np.zeros(len(table))
    for valence in ("positive", "neutral", "negative"):
        values = table[valence].to_numpy(dtype=float)
        ax.barh(rows, values, left=left, color=VALENCE_COLOURS[valence], label=label(valence, lang))
        left += values
    ax.invert_yaxis()
    ax.set(xlabel=label("quotes", lang))
    ax.legend(title=label("valence", lang), frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    sns.despine(ax=ax)
    return ax


def co_occurrence_heatmap(matrix: pd.DataFrame, *, lang: str, names: dict[str, str] | None = None, ax=None):
    """Theme × theme counts of quotes carrying both (`thematic.co_occurrence`).

    Examples
    --------
    >>> matrix = pd.DataFrame([[3, 1], [1, 2]], index=["x", "y"], columns=["x", "y"])
    >>> co_occurrence_heatmap(matrix, lang="en").get_xlabel()
    'Theme'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    names = names or {}
    shown = matrix.rename(index=lambda t: names.get(t, t), columns=lambda t: names.get(t, t))
    sns.heatmap(shown, annot=True, fmt="d", cmap="Blues", square=True, cbar_kws={"label": label("quotes", lang)}, ax=ax)
    ax.set(xlabel=label("theme", lang), ylabel=label("theme", lang))
    ax.tick_params(axis="y", rotation=0)
    return ax


def agreement_bars(table: pd.DataFrame, *, lang: str, names: dict[str, str] | None = None, ax=None):
    """Precision, recall and F1 per theme of a machine coder against the human codes.

    ``table`` is `coding.agreement`'s result; its ``(macro)`` row is drawn last.

    Examples
    --------
    >>> table = pd.DataFrame({"theme": ["mandate", "(macro)"], "precision": [1.0, 1.0],
    ...                       "recall": [0.5, 0.5], "f1": [0.67, 0.67]})
    >>> agreement_bars(table, lang="nl").get_xlabel()
    'Thema'
    """
    ax = _axes(ax)
    names = names or {}
    long = table.melt(id_vars="theme", value_vars=["precision", "recall", "f1"], var_name="measure", value_name="value")
    long["theme"] = long["theme"].map(lambda t: names.get(t, label(t, lang)))
    long["measure"] = long["measure"].map(lambda m: label(m, lang))
    sns.barplot(long, x="theme", y="value", hue="measure", palette=PALETTE, ax=ax)
    ax.set(ylim=(0, 1.05), xlabel=label("theme", lang), ylabel="")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: decimal_text(v, lang, 1)))
    _legend_outside(ax)
    sns.despine(ax=ax)
    return ax
