"""The study document (`document.Document`) as the files readers open: HTML, Word and PDF.

- HTML: one self-contained file. No script, no request leaves it (figures are data URLs),
  ``lang`` is the report language, a table of contents, a print stylesheet (A4, a new page
  per chapter).
- Word (python-docx): Word's heading styles (the navigation pane works), a contents field
  Word fills in, real tables with a repeated header row, figures with alt text, the document
  language set for spelling. A study's ``report/reference.docx`` gives the house style.
- PDF (WeasyPrint, PDF/UA-1, `pdf`): tagged, with bookmarks, the document language and alt texts;
  text can be selected and searched.

Markdown (the package's readings, the auditor's texts) is rendered safely: raw HTML is shown as
text, images become their alt text (no request), links keep only safe schemes.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from pathlib import Path

import mistune

from .document import AUDITOR_TEXTS, Document, Figure, Heading, Markdown, Note, Table, build_document
from .errors import CoopResearchError
from .labels import DOCUMENT
from .pdf import PdfProcess, html_to_pdf
from .processed import MANIFEST, Processed, sha256
from .study import CONTROL_CHARACTERS, archive_problem

__all__ = ["document_html", "markdown_html", "read_auditor_texts", "write_document", "write_docx", "write_pdf"]

MAX_TEXT_BYTES = 1_000_000  # an auditor's text is a few pages; a larger file is not one


def read_auditor_texts(study_dir: os.PathLike) -> dict[str, str]:
    """The auditor's texts in the study's ``report/`` folder (`document.AUDITOR_TEXTS`), guidance comments removed.

    A missing file, or one holding only the guidance ``init`` wrote (between ``<!--`` and ``-->``), is left out.
    """
    texts = {}
    for name in AUDITOR_TEXTS:
        path = Path(study_dir) / "report" / f"{name}.md"
        if not path.is_file():
            continue
        if path.is_symlink():  # a study folder from elsewhere must not publish a file of this machine
            raise CoopResearchError(f"{path}: is a link to another file — put the text itself in report/{name}.md")
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise CoopResearchError(f"{path}: {path.stat().st_size:,} bytes is too long for a text of the report "
                                    f"(at most {MAX_TEXT_BYTES:,}) — check that this is the right file")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CoopResearchError(f"{path}: byte {exc.start} is not UTF-8 — save the file as UTF-8 "
                                    "(in Word: Save as > Plain text > Unicode (UTF-8))") from None
        text = CONTROL_CHARACTERS.sub(" ", re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)).strip()
        if text:
            texts[name] = text
    return texts


def write_document(study_dir: os.PathLike, data: Processed, out_dir: Path, *, lang: str, figures: dict,
                   made: dict, rendered: str, pdf: PdfProcess) -> list[str]:
    """Write ``report.html`` and ``report.docx`` of the study into ``out_dir`` and have ``pdf`` make ``report.pdf``
    from the page (`PdfProcess.wait` waits for it); return the three names."""
    doc = build_document(data, lang=lang, texts=read_auditor_texts(study_dir), figures=figures, made=made,
                         version=sha256(data.folder / MANIFEST), rendered=rendered)
    (out_dir / "report.html").write_text(document_html(doc), encoding="utf-8")
    pdf.make(out_dir / "report.html", out_dir / "report.pdf")
    write_docx(doc, out_dir / "report.docx", reference=reference_docx(study_dir))
    return ["report.html", "report.docx", "report.pdf"]


class _SafeHTML(mistune.HTMLRenderer):
    """Markdown to HTML that never lets markup through: raw HTML escaped, images as their alt text."""

    def __init__(self, shift: int = 0):
        super().__init__(escape=True)
        self.shift = shift

    def image(self, text: str, url: str, title=None) -> str:
        return text  # an image would be a request leaving the document

    def heading(self, text: str, level: int, **attrs) -> str:
        level = min(level + self.shift, 6)
        return f"<h{level}>{text}</h{level}>\n"


def markdown_html(text: str, *, shift: int = 0) -> str:
    """Markdown as safe HTML; the text's headings move ``shift`` levels down.

    Examples
    --------
    >>> markdown_html("**a** <script>x</script> ![logo](http://example.org/x.png)")
    '<p><strong>a</strong> &lt;script&gt;x&lt;/script&gt; logo</p>\\n'
    >>> markdown_html("# Kop", shift=2)
    '<h3>Kop</h3>\\n'
    """
    return mistune.create_markdown(renderer=_SafeHTML(shift), plugins=["table", "strikethrough"])(text)


# --- HTML -----------------------------------------------------------------------------------

STYLE = """
body {font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
      line-height: 1.5; color: #1a1a1a}
h1 {font-size: 1.7rem; border-bottom: 2px solid #1f4e79; color: #1f4e79; margin-top: 3rem}
h2 {font-size: 1.3rem; color: #1f4e79} h3, h4 {font-size: 1.1rem}
.title-page {text-align: left; margin: 4rem 0 3rem} .title-page h1 {border: 0; font-size: 2.2rem; margin: 0 0 2rem}
.title-page dl {display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.5rem}
.title-page dt {font-weight: bold} .title-page dd {margin: 0}
nav ol {list-style: none; padding-left: 0} nav ol ol {padding-left: 1.5rem} nav a {color: #1f4e79; text-decoration: none}
table {border-collapse: collapse; margin: 1rem 0; font-size: .9rem; width: 100%}
caption {text-align: left; font-weight: bold; margin-bottom: .3rem}
th, td {border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word}
th {background: #e8eef5}
figure {margin: 1.5rem 0} figure img {max-width: 100%; height: auto} figcaption {font-style: italic; font-size: .9rem}
.note {font-style: italic; color: #555}
.table-wrap {overflow-x: auto}
@page {size: A4; margin: 2cm 2cm 2.2cm; @bottom-center {content: counter(page); font-size: 9pt}}
@media print {
  body {max-width: none; margin: 0; padding: 0; font-size: 10.5pt}
  h1 {break-before: page} .title-page h1 {break-before: auto}
  nav {break-before: page} nav a::after {content: leader('.') target-counter(attr(href), page)}
  figure, tr {break-inside: avoid} caption, h1, h2, h3 {break-after: avoid} thead {display: table-header-group}
  .table-wrap {overflow: visible}
}
"""


def _table_html(table: Table, number: int, words: dict) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in table.cells.columns)
    rows = "\n".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                     for row in table.cells.itertuples(index=False))
    caption = f"{words['table']} {number}. {html.escape(table.caption)}"
    return (f'<div class="table-wrap"><table><caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody></table></div>")


def _figure_html(figure: Figure, number: int, words: dict) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(figure.alt)}">'
            f"<figcaption>{words['figure']} {number}. {html.escape(figure.caption)}</figcaption></figure>")


def document_html(doc: Document) -> str:
    """The whole document as one self-contained HTML page."""
    words = DOCUMENT[doc.lang]
    front = "".join(f"<dt>{html.escape(what)}</dt><dd>{html.escape(value)}</dd>" for what, value in doc.front)
    parts = [f'<header class="title-page"><h1 id="title">{html.escape(doc.title)}</h1><dl>{front}</dl></header>',
             _contents_html(doc, words)]
    tables = figures = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(f'<h{block.level} id="{html.escape(block.anchor)}">{html.escape(block.text)}</h{block.level}>')
        elif isinstance(block, Markdown):
            parts.append(markdown_html(block.text, shift=block.shift))
        elif isinstance(block, Note):
            parts.append(f'<p class="note">{html.escape(block.text)}</p>')
        elif isinstance(block, Table):
            tables += 1
            parts.append(_table_html(block, tables, words))
        elif isinstance(block, Figure):
            figures += 1
            parts.append(_figure_html(block, figures, words))
    body = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html lang="{doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(doc.title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _contents_html(doc: Document, words: dict) -> str:
    items, open_sub = [], False
    for heading in doc.chapters():
        link = f'<a href="#{html.escape(heading.anchor)}">{html.escape(heading.text)}</a>'
        if heading.level == 1:
            items.append(("</ol></li>" if open_sub else "</li>" if items else "") + f"<li>{link}")
            open_sub = False
        else:
            items.append(("" if open_sub else "<ol>") + f"<li>{link}</li>")
            open_sub = True
    items.append("</ol></li>" if open_sub else "</li>")
    return f'<nav aria-labelledby="contents"><h1 id="contents">{words["contents"]}</h1><ol>{"".join(items)}</ol></nav>'


# --- PDF ------------------------------------------------------------------------------------

def write_pdf(doc: Document, path: Path) -> None:
    """The document as a tagged PDF/UA-1 (bookmarks from the headings, language, alt texts), in this process."""
    html_to_pdf(document_html(doc), path)


# --- Word -----------------------------------------------------------------------------------

def write_docx(doc: Document, path: Path, *, reference: Path | None = None) -> None:
    """The document in Word; ``reference`` (a study's report/reference.docx) gives the styles when present."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    word = docx.Document(str(reference) if reference else None)
    body = word.element.body
    for child in list(body):  # keep the house style's styles and page settings, not its text
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    words = DOCUMENT[doc.lang]
    locale = {"nl": "nl-NL", "en": "en-GB"}[doc.lang]
    word.core_properties.title = doc.title
    word.core_properties.language = locale
    _set_language(word, locale)

    word.add_paragraph(doc.title, style="Title")
    for what, value in doc.front:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{what}: ").bold = True
        paragraph.add_run(value)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_paragraph(words["contents"], style="TOC Heading" if "TOC Heading" in word.styles else "Heading 1")
    _contents_field(word)
    tables = figures = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            word.add_heading(block.text, level=block.level)
        elif isinstance(block, Markdown):
            _markdown_docx(word, block.text, shift=block.shift)
        elif isinstance(block, Note):
            word.add_paragraph().add_run(block.text).italic = True
        elif isinstance(block, Table):
            tables += 1
            _caption(word, f"{words['table']} {tables}. {block.caption}")
            _table_docx(word, block)
        elif isinstance(block, Figure):
            figures += 1
            word.add_picture(io.BytesIO(block.png), width=Cm(16))
            properties = word.inline_shapes[-1]._inline.docPr
            properties.set("descr", block.alt)
            properties.set("title", block.caption)
            _caption(word, f"{words['figure']} {figures}. {block.caption}")
    word.save(str(path))


def _caption(word, text: str) -> None:
    word.add_paragraph(text, style="Caption" if "Caption" in word.styles else None)


def _table_docx(word, table: Table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cells = table.cells
    grid = word.add_table(rows=len(cells) + 1, cols=len(cells.columns))
    if "Table Grid" in word.styles:
        grid.style = "Table Grid"
    header = grid.rows[0]
    marker = OxmlElement("w:tblHeader")  # the header row repeats on every page, and reads as a header
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)
    for cell, text in zip(header.cells, cells.columns, strict=False):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row, values in zip(grid.rows[1:], cells.itertuples(index=False), strict=False):
        for cell, text in zip(row.cells, values, strict=False):
            cell.text = text


def _contents_field(word) -> None:
    """A TOC field of headings 1–2; Word fills it in when the file is opened (updateFields)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = word.add_paragraph().add_run()
    for kind, text in (("begin", None), (None, 'TOC \\o "1-2" \\h \\z \\u'), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    word.settings.element.append(update)


def _set_language(word, locale: str) -> None:
    """The language of the Normal style, which every other style builds on: Word checks spelling and reads aloud in it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = word.styles["Normal"].element.get_or_add_rPr()
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), locale)
    lang.set(qn("w:eastAsia"), locale)
    lang.set(qn("w:bidi"), locale)
    properties.append(lang)


def _markdown_docx(word, text: str, *, shift: int = 0) -> None:
    """Markdown into Word paragraphs: headings, paragraphs, lists, quotes, emphasis, links as their text."""
    tokens = mistune.create_markdown(renderer="ast", plugins=["table", "strikethrough"])(text)
    for token in tokens:
        _block_docx(word, token, shift=shift)


def _block_docx(word, token: dict, *, shift: int, depth: int = 0, ordered: bool = False) -> None:
    kind = token["type"]
    if kind == "heading":
        word.add_heading(_plain(token), level=min(token["attrs"]["level"] + shift, 9))
    elif kind in ("paragraph", "block_text", "block_html", "block_code"):
        paragraph = word.add_paragraph()
        _inline_docx(paragraph, token.get("children") or [{"type": "text", "raw": token.get("raw", "")}])
    elif kind == "list":
        for item in token["children"]:
            for child in item["children"]:
                if child["type"] == "list":
                    _block_docx(word, child, shift=shift, depth=depth + 1)
                    continue
                style = "List Number" if token["attrs"].get("ordered") else "List Bullet"
                style += f" {depth + 1}" if depth and f"{style} {depth + 1}" in word.styles else ""
                paragraph = word.add_paragraph(style=style if style in word.styles else None)
                _inline_docx(paragraph, child.get("children") or [])
    elif kind == "block_quote":
        for child in token["children"]:
            paragraph = word.add_paragraph(style="Quote" if "Quote" in word.styles else None)
            _inline_docx(paragraph, child.get("children") or [])
    elif kind == "table":
        paragraph = word.add_paragraph()
        _inline_docx(paragraph, [{"type": "text", "raw": _plain(token)}])


def _inline_docx(paragraph, children: list, *, bold: bool = False, italic: bool = False) -> None:
    for child in children:
        kind = child["type"]
        if kind in ("strong", "emphasis", "link", "strikethrough"):
            _inline_docx(paragraph, child.get("children") or [], bold=bold or kind == "strong",
                         italic=italic or kind == "emphasis")
        elif kind in ("softbreak", "linebreak"):
            paragraph.add_run(" " if kind == "softbreak" else "\n")
        elif kind == "image":
            _inline_docx(paragraph, child.get("children") or [], bold=bold, italic=italic)
        else:
            run = paragraph.add_run(html.unescape(child.get("raw", "")))
            run.bold, run.italic = bold or None, italic or None


def _plain(token: dict) -> str:
    if "raw" in token:
        return html.unescape(token["raw"])
    return "".join(_plain(child) for child in token.get("children", []))


def reference_docx(study_dir: os.PathLike) -> Path | None:
    """The study's house style for Word, ``report/reference.docx``, when it has one."""
    path = Path(study_dir) / "report" / "reference.docx"
    if not path.is_file():
        return None
    problem = "is a link to another file" if path.is_symlink() else archive_problem(path, max_bytes=20_000_000,
                                                                                   max_unpacked=100_000_000)
    if problem:
        raise CoopResearchError(f"{path}: {problem} — the house style is a Word file of a few MB, or leave it out")
    return path
