"""Figures for the reports: seaborn/matplotlib, labels in the report language.

Every function takes ``ax=None`` and returns the `~matplotlib.axes.Axes` it drew on.
"""

from __future__ import annotations

import sys

import matplotlib

if "ipykernel" not in sys.modules:
    # Scripts and tests draw without a screen; inside a notebook kernel keep its inline backend,
    # or the report's figures would never be shown.
    matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns

from .labels import label
from .scan import ALL_PARTIES, FIELDS, THRESHOLDS
from .schemas import SCAN_FIELDS

__all__ = ["bar_counts", "process_network", "scan_radar", "score_dots"]

PALETTE = "colorblind"


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
    ax.legend(title=label(str(counts.columns.name), lang), frameon=False)
    sns.despine(ax=ax)
    return ax


def process_network(relations: pd.DataFrame, processes: pd.DataFrame, *, lang: str, seed: int = 2009, ax=None):
    """Actors and the business processes they take part in, processes coloured by category.

    The layout is seeded, so the figure is the same on every run.
    """
    ax = _axes(ax)
    graph = nx.Graph()
    graph.add_nodes_from(processes["process_id"], kind="process")
    graph.add_nodes_from(relations["actor"].unique(), kind="actor")
    graph.add_edges_from(relations[["actor", "process_id"]].itertuples(index=False))
    position = nx.spring_layout(graph, seed=seed)
    categories = sorted(processes["category"].unique())
    colours = dict(zip(categories, sns.color_palette(PALETTE, len(categories)), strict=True))
    category = processes.set_index("process_id")["category"]
    nx.draw_networkx_edges(graph, position, ax=ax, alpha=0.3)
    actors = [n for n, kind in graph.nodes(data="kind") if kind == "actor"]
    nx.draw_networkx_nodes(graph, position, nodelist=actors, node_size=25, node_color="#888888", ax=ax)
    for name in categories:
        nodes = category.index[category == name].tolist()
        nx.draw_networkx_nodes(graph, position, nodelist=nodes, node_size=180, node_color=[colours[name]],
                               label=name, ax=ax)
    nx.draw_networkx_labels(graph, position, labels={p: p for p in processes["process_id"]}, font_size=7, ax=ax)
    ax.legend(title=label("category", lang), frameon=False, loc="best")
    ax.set_axis_off()
    return ax


def score_dots(means: pd.DataFrame, *, lang: str, ax=None):
    """Mean scan score per field (y) for each relationship and party (dots)."""
    ax = _axes(ax)
    data = means.assign(group=means["relationship"] + " · " + means["party"])
    sns.pointplot(data, y="field", x="mean", hue="group", linestyle="none", dodge=0.4, palette=PALETTE, ax=ax)
    ax.set(xlim=(0.5, 10.5), xlabel=label("mean", lang), ylabel=label("field", lang))
    ax.legend(title=label("relationship", lang), frameon=False, fontsize=8)
    sns.despine(ax=ax)
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
