"""The study document: built from data/processed and the auditor's texts, written as HTML, Word and PDF."""

import re
import zipfile

import docx
import pandas as pd
import pypdf
import pytest

from coopresearch.document import ANALYSES, Figure, Heading, Markdown, Note, Table, build_document, notebook_figures
from coopresearch.document_files import document_html, markdown_html, read_auditor_texts, write_docx, write_pdf
from coopresearch.errors import CoopResearchError
from coopresearch.labels import AUDITOR_GUIDANCE, table_text
from coopresearch.processed import derive_study, read_processed
from coopresearch.study import init_study

from .conftest import DATA, copy_study

# a real 2x2 PNG (red, green / blue, white)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73000000164944415478da63f8cfc0f01f08"
    "18fe3331fcffff1f001fee04fd8a5b3e9a0000000049454e44ae426082")
MADE = {analysis: None for analysis in ANALYSES}


@pytest.fixture(scope="module")
def mini_data(tmp_path_factory):
    """The mini study derived once for the module."""
    study = copy_study(DATA / "mini", tmp_path_factory.mktemp("doc") / "mini")
    derive_study(study, echo=lambda _: None)
    return study, read_processed(study, echo=lambda _: None)


def build(data, lang="nl", texts=None, figures=None, made=None):
    texts = {"summary": "De **kern**.", "conclusions": "Conclusie een.", "recommendations": "1. Doe dit."} \
        if texts is None else texts
    return build_document(data, lang=lang, texts=texts, figures=figures or {"theme_shares": [PNG]},
                          made=made or MADE, version="ab" * 32, rendered="2027-03-02")


def headings(doc, level=1):
    return [block.text for block in doc.blocks if isinstance(block, Heading) and block.level == level]


def test_chapters_follow_the_audit_report_order(mini_data):
    doc = build(mini_data[1])
    assert headings(doc) == ["Samenvatting", "Conclusies en aanbevelingen", "Bevindingen", "Verantwoording",
                             "Bijlagen: tabellen"]
    assert headings(build(mini_data[1], "en")) == ["Summary", "Conclusions and recommendations", "Findings", "Method",
                                                   "Appendices: tables"]


def test_title_page_names_the_study_period_date_and_version(mini_data):
    doc = build(mini_data[1])
    front = dict(doc.front)
    assert doc.title == "Mini study for tests"
    assert front["Datum"] == "2 maart 2027"
    assert front["Versie"] == "ab" * 6
    assert "Opdrachtgever" not in front  # not in the mini study's study.yml


def test_optional_chapters_appear_only_when_written(mini_data):
    doc = build(mini_data[1], texts={"summary": "x", "criteria": "Norm 1", "response": "Het college reageert.",
                                     "afterword": "Wij danken het college."})
    assert headings(doc) == ["Samenvatting", "Conclusies en aanbevelingen", "Bevindingen", "Verantwoording",
                             "Bestuurlijke reactie", "Nawoord", "Bijlagen: tabellen"]
    assert "Normenkader" in headings(doc, 2)
    notes = [block.text for block in doc.blocks if isinstance(block, Note)]
    assert any("report/conclusions.md" in note for note in notes)  # an expected text not written: say where
    assert not any("report/criteria.md" in note for note in notes)


def test_findings_say_what_they_rest_on_and_which_analyses_are_missing(mini_data):
    doc = build(mini_data[1], made={**MADE, "scan": "niet gemaakt: geen gegevens in data/raw/scan.csv"})
    text = "\n".join(block.text for block in doc.blocks if isinstance(block, (Markdown, Note)))
    # the corporation's one interview is counted, its quotes are not (a group below min_group_size)
    assert ("De bevindingen berusten op 4 interviews (Corporatie: 1, Gemeente: 3) met samen 4 citaten (de citaten "
            "van groepen van minder dan 3 respondenten niet meegeteld).") in text
    assert re.search(r"Van de \d+ definitieve codes zijn er \d+ \(\d+%\) door de machine toegekend", text)
    assert "Dit onderdeel is niet gemaakt: geen gegevens in data/raw/scan.csv." in text
    appendix = headings(doc, 2)[headings(doc, 2).index("Reproduceerbaarheid") + 1:]
    assert "Scan: gemiddelde per veld en verschil in beleving" not in appendix


def test_figures_carry_alt_text_and_caption(mini_data):
    figures = [block for block in build(mini_data[1]).blocks if isinstance(block, Figure)]
    assert [(f.png, f.caption) for f in figures] == [(PNG, "Aandeel citaten per thema en partij")]
    assert figures[0].alt.startswith("Staafdiagram")


def test_notebook_figures_take_every_image_of_a_tagged_cell():
    image = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}}
    cells = [{"cell_type": "code", "metadata": {"tags": ["figure:scan_radar"]}, "outputs": [image, image]},
             {"cell_type": "code", "metadata": {}, "outputs": [image]}]
    assert notebook_figures({"cells": cells}) == {"scan_radar": [b"\x89PNG\r\n\x1a\n"] * 2}


def test_tables_speak_the_report_language():
    table = pd.DataFrame({"theme": ["transparency"], "share": [0.4286], "quotes": [4.0], "verdict": ["tentative"]})
    cells = table_text(table, "nl", names={"transparency": "Transparantie"})
    assert cells.to_dict("records") == [{"Thema": "Transparantie", "Aandeel": "0,43", "Citaten": "4",
                                         "Oordeel": "voorlopig"}]


def test_markdown_is_rendered_safely():
    page = markdown_html("<script>alert(1)</script>\n\n![x](https://example.org/t.png) [a](javascript:alert(1)) "
                         "<img src=x onerror=alert(1)>")
    assert "<script" not in page and "<img" not in page and "https://example.org" not in page
    assert 'href="javascript' not in page


def test_auditor_texts_leave_guidance_out(tmp_path):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "summary.md").write_text("<!-- uitleg -->\nDe kern.\n", encoding="utf-8")
    (tmp_path / "report" / "conclusions.md").write_text(AUDITOR_GUIDANCE["nl"]["conclusions"], encoding="utf-8")
    assert read_auditor_texts(tmp_path) == {"summary": "De kern."}


def test_an_auditor_text_that_is_not_utf8_gets_one_clear_line(tmp_path):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "summary.md").write_bytes("Overleg met de wethouder — café".encode("cp1252"))
    with pytest.raises(CoopResearchError, match=r"summary\.md: byte \d+ is not UTF-8 — save the file as UTF-8"):
        read_auditor_texts(tmp_path)


def test_init_writes_the_auditor_texts_with_guidance_in_the_study_language(tmp_path):
    study = init_study(tmp_path / "nieuw", language="en")
    assert sorted(p.name for p in (study / "report").iterdir()) == [
        "afterword.md", "conclusions.md", "criteria.md", "recommendations.md", "response.md", "summary.md"]
    assert "Summary" in (study / "report" / "summary.md").read_text(encoding="utf-8")
    assert read_auditor_texts(study) == {}  # guidance only: nothing written yet
    assert "language: en" in (study / "study.yml").read_text(encoding="utf-8")


# --- the three files ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def written(mini_data, tmp_path_factory):
    """The mini study's document as HTML, Word and PDF, written once."""
    folder = tmp_path_factory.mktemp("written")
    doc = build(mini_data[1], texts={"summary": "De **kern** van <b>het</b> onderzoek.\n\n# Aanleiding\n\nTekst.",
                                     "conclusions": "- een\n- twee", "recommendations": "1. Doe dit."})
    (folder / "report.html").write_text(document_html(doc), encoding="utf-8")
    write_docx(doc, folder / "report.docx")
    write_pdf(doc, folder / "report.pdf")
    return doc, folder


def test_html_is_one_self_contained_page_in_the_report_language(written):
    page = (written[1] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    assert "<script" not in page.lower()
    resources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert resources and all(url.startswith(("data:", "#")) for url in resources)
    images = re.findall(r"<img [^>]*>", page)
    assert images and all(re.search(r'alt="[^"]{20,}"', image) for image in images)
    assert '<nav aria-labelledby="contents">' in page and 'href="#summary"' in page
    assert "@page {size: A4" in page and "break-before: page" in page
    assert "&lt;b&gt;het&lt;/b&gt;" in page  # the auditor's raw HTML is shown, not obeyed


def test_word_has_heading_styles_real_tables_and_alt_text(written):
    doc, folder = written
    word = docx.Document(str(folder / "report.docx"))
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Samenvatting") in styled and ("Heading 2", "Aanleiding") in styled
    assert [text for style, text in styled if style == "Heading 1"] == headings(doc)
    assert len(word.tables) == sum(isinstance(block, Table) for block in doc.blocks)
    header = word.tables[0].rows[0]
    assert header._tr.trPr is not None and header._tr.trPr.xml.count("tblHeader") == 1
    assert word.inline_shapes[0]._inline.docPr.get("descr").startswith("Staafdiagram")
    assert word.core_properties.language == "nl-NL"
    with zipfile.ZipFile(folder / "report.docx") as package:
        assert 'w:val="nl-NL"' in package.read("word/styles.xml").decode()
        assert "TOC \\o" in package.read("word/document.xml").decode()
    assert any(p.text == "De kern van <b>het</b> onderzoek." for p in word.paragraphs)  # text, as typed


def test_word_uses_the_study_house_style(mini_data, tmp_path):
    house = docx.Document()
    house.styles["Normal"].font.name = "Garamond"
    house.add_paragraph("tekst van de huisstijl die niet in het rapport hoort")
    house.save(str(tmp_path / "reference.docx"))
    write_docx(build(mini_data[1]), tmp_path / "report.docx", reference=tmp_path / "reference.docx")
    word = docx.Document(str(tmp_path / "report.docx"))
    assert word.styles["Normal"].font.name == "Garamond"
    assert not any("huisstijl" in p.text for p in word.paragraphs)


def test_pdf_is_tagged_with_language_bookmarks_and_searchable_text(written):
    doc, folder = written
    pdf = pypdf.PdfReader(folder / "report.pdf")
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert "pdfuaid:part" in root["/Metadata"].get_object().get_data().decode()
    bookmarks = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert bookmarks[:3] == ["Mini study for tests", "Inhoud", "Samenvatting"]
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "De kern van <b>het</b> onderzoek." in text
    assert "Interviews en citaten per partij" in text
    figure_alt = next(block.alt for block in doc.blocks if isinstance(block, Figure))
    assert figure_alt in alt_texts(root["/StructTreeRoot"])


def alt_texts(element) -> list[str]:
    """Every /Alt in a PDF structure tree."""
    element = element.get_object()
    found = []
    if isinstance(element, dict):
        if "/Alt" in element:
            found.append(str(element["/Alt"]))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            found += alt_texts(kid)
    elif isinstance(element, list):
        for kid in element:
            found += alt_texts(kid)
    return found
