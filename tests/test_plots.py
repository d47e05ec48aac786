"""Figures: readable (no overlapping squares, named actors, legends beside the bars) and in the report language."""

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from coopresearch import plots

matplotlib.use("agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    matplotlib.pyplot.close("all")


def twin_processes() -> nx.Graph:
    """Two processes with the same actors: a spring layout puts them on one spot."""
    graph = nx.Graph([(actor, process) for actor in ("Afdeling A", "Corporatie B") for process in ("P1", "P2")])
    nx.set_node_attributes(graph, {"Afdeling A": {"kind": "actor", "actor_type": "department"},
                                   "Corporatie B": {"kind": "actor", "actor_type": "organisation"},
                                   "P1": {"kind": "process", "category": "beleidsketen"},
                                   "P2": {"kind": "process", "category": "beleidsketen"}})
    return graph


def test_process_squares_do_not_overlap_and_every_actor_is_named():
    ax = plots.process_network(twin_processes(), lang="nl")
    assert {"Afdeling A", "Corporatie B"} <= {text.get_text() for text in ax.texts}
    position = plots._island_layout(twin_processes(), seed=2009, apart=["P1", "P2"])
    assert np.linalg.norm(position["P1"] - position["P2"]) >= 0.2 - 1e-9


def test_named_networks_draw_on_any_backend():
    """Leader lines measure the names' boxes; a PDF or SVG canvas has no get_renderer()."""
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 5))
    FigureCanvasPdf(figure)
    ax = plots.process_network(twin_processes(), lang="nl", ax=figure.add_subplot())
    assert {"Afdeling A", "Corporatie B"} <= {text.get_text() for text in ax.texts}


def test_dutch_figures_write_decimal_commas():
    matrix = pd.DataFrame([[1.0, 0.77], [0.77, 1.0]], index=["a", "b"], columns=["a", "b"])
    ax = plots.agreement_heatmap(matrix.rename_axis(index="coder", columns="coder"), lang="nl")
    assert "0,77" in {text.get_text() for text in ax.texts}
    table = pd.DataFrame({"theme": ["mandate"], "precision": [0.5], "recall": [0.5], "f1": [0.5]})
    ax = plots.agreement_bars(table, lang="nl")
    ax.figure.canvas.draw()
    assert "0,4" in [tick.get_text() for tick in ax.get_yticklabels()]


def test_legends_sit_beside_the_bars():
    table = pd.DataFrame({"party": ["a", "b"], "theme": ["x", "x"], "share": [0.5, 0.25]})
    ax = plots.theme_shares(table, lang="nl")
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1
    assert [tick.get_text() for tick in ax.get_xticklabels()][-1].endswith("%")
    assert "," not in "".join(tick.get_text() for tick in ax.get_xticklabels())


LAYOUT = """
import json, networkx as nx
from coopresearch import plots
graph = nx.Graph([(f"actor {i}", f"P{i % 5}") for i in range(30)] + [("x", "y"), ("y", "z"), ("p", "q")])
print(json.dumps({str(n): [round(float(v), 9) for v in xy] for n, xy in plots._island_layout(graph, seed=2009).items()}))
"""


def test_network_layouts_are_the_same_whatever_the_hash_seed():
    """Islands were laid out in the order of a set, so a figure changed from one run to the next."""
    import os
    import subprocess
    import sys

    runs = [subprocess.run([sys.executable, "-c", LAYOUT], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1]
