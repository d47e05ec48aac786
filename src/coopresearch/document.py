"""The study document a board reads: one document in the report language, in the study's own words.

`build_document` puts together, from data/processed and the auditor's own texts (the study's
``report/`` folder), the chapters of an audit report (``shared/report-structure.md``): title
page, contents, summary, conclusions and recommendations (with the criteria when given),
findings per analysis, method, the board's response and the afterword, and an appendix of
tables. It is a list of blocks (`Heading`, `Markdown`, `Table`, `Figure`, `Note`) that
`document_files` writes as HTML, Word and PDF. Figures are the ones the reports drew: the
executed notebooks' cells tagged ``figure:NAME`` (`notebook_figures`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import pandas as pd

from .labels import DOCUMENT, FIGURES, TABLE_TITLES, date_text, markdown_text, number_text, table_text
from .processed import Processed

__all__ = ["ANALYSES", "AUDITOR_TEXTS", "Document", "Figure", "Heading", "Markdown", "Note", "Table",
           "basis_reading", "build_document", "notebook_figures"]

# the auditor's texts in the study's report/ folder, in the order the document shows them; True: expected
AUDITOR_TEXTS = {"summary": True, "conclusions": True, "recommendations": True, "criteria": False,
                 "response": False, "afterword": False}
# the findings chapters, by the notebook that shows each analysis
ANALYSES = {"thematic": "01_thematic_analysis", "network": "02_network_analysis",
            "reliability": "03_intercoder_reliability", "scan": "04_collaboration_scan"}


@dataclass(frozen=True)
class Heading:
    level: int  # 1: chapter (a new page in print), 2: section
    text: str
    anchor: str


@dataclass(frozen=True)
class Markdown:
    text: str  # Markdown: the package's readings (study text escaped) or the auditor's own texts
    shift: int = 0  # heading levels the text's own headings move down (an auditor's '#' inside a chapter)


@dataclass(frozen=True)
class Note:
    text: str  # plain text: why a chapter or text is not there


@dataclass(frozen=True)
class Table:
    cells: pd.DataFrame  # text only, headers in the report language (`labels.table_text`)
    caption: str


@dataclass(frozen=True)
class Figure:
    png: bytes
    alt: str  # what the figure shows, for readers who cannot see it
    caption: str


@dataclass
class Document:
    lang: str
    title: str
    front: list[tuple[str, str]]  # the title page's lines: (what, value)
    blocks: list = field(default_factory=list)

    def chapters(self) -> list[Heading]:
        """The headings of the contents: chapters and their sections."""
        return [block for block in self.blocks if isinstance(block, Heading)]


def notebook_figures(executed) -> dict[str, list[bytes]]:
    """The PNGs of each cell tagged ``figure:NAME`` in an executed notebook, by NAME.

    Examples
    --------
    >>> cell = {"cell_type": "code", "metadata": {"tags": ["figure:x"]},
    ...         "outputs": [{"output_type": "display_data", "data": {"image/png": "iVBORw0K"}}]}
    >>> notebook_figures({"cells": [cell]})
    {'x': [b'\\x89PNG\\r\\n']}
    """
    figures = {}
    for cell in executed["cells"]:
        names = [tag.removeprefix("figure:") for tag in cell.get("metadata", {}).get("tags", [])
                 if tag.startswith("figure:")]
        images = [base64.b64decode(output["data"]["image/png"]) for output in cell.get("outputs", [])
                  if "image/png" in output.get("data", {})]
        if names and images:
            figures[names[0]] = images
    return figures


def build_document(data: Processed, *, lang: str, texts: dict[str, str], figures: dict[str, list[bytes]],
                   made: dict[str, str | None], version: str, rendered: str) -> Document:
    """The study document in ``lang``.

    ``texts``: the auditor's texts by name (`AUDITOR_TEXTS`; absent ones get a note saying which
    file to write). ``figures``: PNGs by figure name (`notebook_figures`). ``made``: per analysis
    (`ANALYSES`), None when its report was made, else the note why not. ``version``: the
    derivation's hash; ``rendered``: the date of rendering (ISO).
    """
    words = DOCUMENT[lang]
    settings = data.settings
    front = [(words["commissioned_by"], settings.get("commissioned_by") or ""),
             (words["period"], _period(settings.get("interview_period"), lang)),
             (words["date"], date_text(rendered, lang)), (words["version"], version[:12])]
    doc = Document(lang, data.title, [(what, value) for what, value in front if value])
    names = data.names(lang)

    def chapter(key: str) -> None:
        doc.blocks.append(Heading(1, words[key], key))

    def section(key: str) -> None:
        doc.blocks.append(Heading(2, words[key], key))

    def auditor(name: str, *, shift: int = 1) -> None:
        text = texts.get(name, "").strip()
        doc.blocks.append(Markdown(text, shift) if text else Note(words["missing_text"].format(file=f"report/{name}.md")))

    def figure(name: str) -> None:
        for png in figures.get(name, []) if name in FIGURES else []:
            doc.blocks.append(Figure(png, FIGURES[name][lang], FIGURES[name][f"caption_{lang}"]))

    def table(name: str, *, per_language: bool = False, decimals: int = 2, heading: bool = False) -> None:
        frame = data.table(name, lang if per_language else None)
        if not frame.empty:
            if heading:  # a section of its own, so the contents lists the table
                doc.blocks.append(Heading(2, TABLE_TITLES[name][lang], f"table-{name}"))
            doc.blocks.append(Table(table_text(frame, lang, names=names, decimals=decimals), TABLE_TITLES[name][lang]))

    chapter("summary")
    auditor("summary")
    chapter("conclusions")
    section("conclusions_section")
    auditor("conclusions", shift=2)
    section("recommendations")
    auditor("recommendations", shift=2)
    if texts.get("criteria", "").strip():
        section("criteria")
        auditor("criteria", shift=2)

    basis = Markdown(basis_reading(data, lang))
    chapter("findings")
    doc.blocks.append(basis)
    for analysis in ANALYSES:
        section(analysis)
        if made.get(analysis):
            doc.blocks.append(Note(words["not_made"].format(why=made[analysis])))
            continue
        if analysis == "thematic":
            table("theme_ranking", per_language=True)
            figure("theme_shares")
            doc.blocks.append(Markdown(data.text("association_reading", lang)))
            figure("valence_bars")
            table("selected_quotes", per_language=True)
        elif analysis == "network":
            doc.blocks.append(Markdown(data.text("network_reading", lang)))
            figure("process_network")
            figure("meeting_network")
        elif analysis == "reliability":
            doc.blocks.append(Markdown(data.text("reliability_reading", lang)))
            table("reliability", decimals=3)
            figure("agreement_matrix")
        else:
            doc.blocks.append(Markdown(data.text("scan_privacy_reading", lang)))
            table("scan_perception_gaps")
            figure("scan_radar")

    chapter("method")
    section("method_data")
    doc.blocks.append(basis)
    section("method_coding")
    doc.blocks.append(Markdown(data.text("sources_reading", lang)))
    if not made.get("reliability"):
        doc.blocks.append(Markdown(data.text("reliability_reading", lang).split("\n\n")[0]))
    section("method_privacy")
    doc.blocks.append(Markdown(words["privacy"].format(n=settings["min_group_size"])))
    section("method_reproducibility")
    doc.blocks.append(Markdown(words["reproducibility"].format(version=version, package=data.manifest["coopresearch"])))

    for name in ("response", "afterword"):
        if texts.get(name, "").strip():
            chapter(name)
            auditor(name)

    chapter("appendix")
    for name, analysis in APPENDIX.items():
        if not (analysis and made.get(analysis)):
            table(name, heading=True)
    return doc


# the appendix: every table a reader of the findings may want whole, and the analysis it belongs to
APPENDIX = {"interviews_by_party": None, "theme_by_party": "thematic", "theme_by_process": "thematic",
            "code_sources": "thematic", "process_overview": "network", "linking_pins": "network",
            "coordination_gaps": "network", "reliability_with_machine": "reliability", "scan_perception_gaps": "scan"}


def basis_reading(data: Processed, lang: str) -> str:
    """What the findings rest on: interviews and quotes per party, and how many codes the machine made."""
    words = DOCUMENT[lang]
    parties = data.table("interviews_by_party")
    labels = data.party_labels(lang)
    per_party = ", ".join(words["basis_party"].format(party=markdown_text(labels.get(row.party, row.party)),
                                                      n=number_text(row.interviews, lang))
                          for row in parties.itertuples())  # study text: escaped, never markup
    sources = data.table("code_sources")
    total = int(sources["codes"].sum()) if not sources.empty else 0
    machine = int(sources.loc[sources["source"] == "machine", "codes"].sum()) if total else 0
    share = number_text(100 * machine / total, lang, decimals=0) if total else "0"
    # a small group's quotes are not counted: the total minus the reported groups would give them away
    unreported = "" if parties["reported"].all() else words["basis_unreported"].format(n=data.settings["min_group_size"])
    return words["basis"].format(interviews=number_text(parties["interviews"].sum(), lang), per_party=per_party,
                                 quotes=number_text(parties["quotes"].sum(), lang), unreported=unreported,
                                 codes=number_text(total, lang), machine=number_text(machine, lang), share=share)


def _period(period, lang: str) -> str:
    if not period or not period[0]:
        return ""
    first, last = (date_text(day, lang) for day in period)
    return first if first == last else f"{first} – {last}"
