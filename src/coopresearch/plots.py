"""Figures for the reports: seaborn/matplotlib, labels in the report language.

Every function takes ``ax=None`` and returns the `~matplotlib.axes.Axes` it drew on.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # reports are rendered without a screen; notebooks show figures inline anyway

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import seaborn as sns

from .labels import label

__all__ = ["agreement_bars", "bar_counts", "process_network", "score_dots"]

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
    ax.legend(frameon=False)
    sns.despine(ax=ax)
    return ax
