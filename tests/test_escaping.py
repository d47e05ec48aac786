"""Study text is shown, never run: readings escape it for Markdown, figures draw it without mathtext.

Security review, item 2: names and labels from a study (process and actor names, theme labels, coder
names) reached the Markdown readings as markup, and a '$…$' in a label reached matplotlib's mathtext.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from coopresearch import network, plots, reliability, thematic
from coopresearch.labels import markdown_text

SCRIPT = "<script>alert(1)</script>"
LINK = "[x](javascript:alert(1))"
MATH = "$x^2$"
BROKEN_MATH = r"$\notacommand{$"  # mathtext cannot parse this: drawing it as math fails
PAYLOADS = (SCRIPT, LINK, MATH)


class _MathMarker(IPythonRenderer):
    """nbconvert's Markdown renderer, with math made visible (the page would hand it to MathJax)."""

    def inline_math(self, body: str) -> str:
        return "<MATH>"

    def block_math(self, body: str) -> str:
        return "<MATH>"


def rendered(markdown: str) -> str:
    """Markdown as nbconvert renders a notebook's Markdown output (raw HTML passes through, as there)."""
    return MarkdownWithMath(renderer=_MathMarker(escape=False)).render(markdown)


def assert_inert(markdown: str, *shown: str) -> None:
    """No tag, link or math comes from study text, and every string in ``shown`` is there as text."""
    page = rendered(markdown)
    assert "<script" not in page
    assert not re.search(r"<a\b", page) and "href=" not in page, page
    assert "<MATH>" not in page, page
    assert not re.search(r"(?<!\\)(?:\\\\)*\$", markdown), f"an unescaped $ reaches the Markdown: {markdown}"
    for text in shown:
        assert text.replace("<", "&lt;").replace(">", "&gt;") in page, f"{text!r} is not shown in {page}"


@pytest.mark.parametrize("payload", [*PAYLOADS, "a_b *c* `d` # e | f ~g~ {h} + - ! \\ & \"q\" 'r'", "line\n\n# heading"])
def test_markdown_text_is_inert_and_shown_as_written(payload):
    page = rendered(f"Named: {markdown_text(payload)}.")
    assert_inert(f"Named: {markdown_text(payload)}.")
    assert "<em>" not in page and "<code>" not in page and "<h1" not in page and "<del>" not in page
    if "\n" not in payload:
        assert payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in page


# --- readings ---------------------------------------------------------------------------


def network_tables(payload: str):
    """Processes and actors named ``payload``: P2 is solitary and in no meeting, actor '... a' is a linking pin."""
    processes = pd.DataFrame({"process_id": ["P1", "P2"], "name": [f"Woonvisie {payload}", f"GBA {payload}"],
                              "name_en": [f"Housing vision {payload}", f"Registry {payload}"],
                              "category": ["beleidsketen", "bedrijfsproces"]})
    relations = pd.DataFrame({"process_id": ["P1", "P2"], "actor": [f"{payload} a", f"{payload} b"],
                              "role": ["partner", "partner"], "actor_type": ["department", "organisation"]})
    meetings = pd.DataFrame({"meeting_id": ["M1", "M2"], "name": [f"Overleg {payload}"] * 2,
                             "actor": [f"{payload} a"] * 2, "process_id": ["P1", "P1"]})
    return processes, relations, meetings


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_network_reading_escapes_process_and_actor_names(payload, lang):
    text = network.network_reading(*network_tables(payload), lang=lang)
    assert "Linking pins" in text and ("GBA" in text or "Registry" in text)  # the names are in the reading
    assert_inert(text, f"{payload} a", "GBA " + payload if lang == "nl" else "Registry " + payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_reliability_reading_escapes_theme_labels(payload):
    table = pd.DataFrame({"theme": ["trust", "mandate", "(all)"], "alpha": [0.7, float("nan"), 0.85],
                          "alpha_low": [0.6, float("nan"), 0.81], "alpha_high": [0.8, float("nan"), 0.9],
                          "n": [10, 0, 20], "note": ["", "no variation", ""]})
    names = {"trust": f"Vertrouwen {payload}", "mandate": f"Mandaat {payload}"}
    text = reliability.reading(table, lang="nl", names=names)
    assert_inert(text, *names.values())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sources_reading_escapes_an_unknown_coder_name(payload):
    sources = pd.DataFrame({"source": ["machine"], "codes": [1]})
    text = thematic.sources_reading(sources, pd.DataFrame({"quote_id": ["q1"], "coder": [f"coder {payload}"]}), "en")
    assert_inert(text, f"coder {payload}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_association_reading_escapes_the_grouping(payload):
    result = pd.Series({"test": "chi2", "p_value": 0.5, "cramers_v": 0.1, "too_small": True})
    assert_inert(thematic.association_reading(result, "en", by=f"group {payload}"), f"group {payload}")


# --- figures ----------------------------------------------------------------------------


def texts(ax) -> list[str]:
    """Every string drawn on the figure of ``ax`` (after drawing it: this is where mathtext would fail)."""
    figure = ax.figure
    figure.canvas.draw()
    drawn = figure.findobj(plt.Text)
    assert not [t.get_text() for t in drawn if "$" in t.get_text() and t.get_parse_math()], "mathtext is on"
    shown = [t.get_text() for t in drawn]
    plt.close(figure)
    return shown


@pytest.mark.parametrize("payload", [MATH, BROKEN_MATH, "$", "costs $5 and $6"])
def test_figures_draw_study_text_as_written(payload):
    name = f"Theme {payload}"
    labels = {"trust": name}
    counts = pd.DataFrame({"a": [1, 2]}, index=pd.Index(["trust", "x"], name="theme"))
    assert name in texts(plots.bar_counts(counts, lang="en", names=labels))
    by_party = pd.DataFrame({"party": ["p", "p"], "theme": ["trust", "x"], "share": [0.5, 0.25],
                             "positive": [1, 0], "neutral": [0, 1], "negative": [1, 1]})
    assert {name, f"Party {payload}"} <= set(texts(plots.theme_shares(by_party, lang="en", names=labels,
                                                                       groups={"p": f"Party {payload}"})))
    assert f"{name} · Party {payload}" in texts(plots.valence_bars(by_party, lang="en", names=labels,
                                                                  groups={"p": f"Party {payload}"}))
    matrix = pd.DataFrame([[3, 1], [1, 2]], index=["trust", "x"], columns=["trust", "x"])
    assert name in texts(plots.co_occurrence_heatmap(matrix, lang="en", names=labels))
    agreement = pd.DataFrame({"theme": ["trust"], "precision": [1.0], "recall": [0.5], "f1": [0.67]})
    assert name in texts(plots.agreement_bars(agreement, lang="en", names=labels))
    coders = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=[f"coder {payload}", "b"], columns=[f"coder {payload}", "b"])
    assert f"coder {payload}" in texts(plots.agreement_heatmap(coders, lang="en"))
    graph = nx.Graph([(f"actor {payload}", "M1")])
    nx.set_node_attributes(graph, {f"actor {payload}": {"kind": "actor", "actor_type": "organisation"},
                                   "M1": {"kind": "meeting"}})
    assert f"actor {payload}" in texts(plots.meeting_network(graph, lang="en", pins=[f"actor {payload}"]))
    meetings = pd.DataFrame({"meeting_id": ["M1"], "meeting": [f"Overleg {payload}"], "process_id": ["P1"],
                             "handles": [True], "participants": [2]})
    assert f"M1 Overleg {payload}" in texts(plots.meeting_process_heatmap(meetings, lang="en"))
    projection = nx.Graph([("P1", "P2")])
    nx.set_node_attributes(projection, "beleidsketen", "category")
    assert name in texts(plots.projection_network(projection, lang="en", themes={"P1": "trust"}, theme_names=labels))
    stats = pd.DataFrame({"relationship": f"rel {payload}", "field": list(plots.SCAN_FIELDS), "party": "p", "mean": 5.0})
    assert {f"rel {payload}", f"Party {payload}"} <= set(texts(plots.scan_radar(
        stats, relationship=f"rel {payload}", lang="en", names={"p": f"Party {payload}"})))
