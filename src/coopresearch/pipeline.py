"""The report run: validate, derive tables, execute notebooks (papermill), render HTML (nbconvert).

Everything is written to a staging folder first and published into ``data/processed`` and
``reports`` together (`publishing.publish`) only when every step has succeeded, so a failed or
interrupted run changes nothing.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

# nbformat imports jsonschema, which imports rfc3987_syntax where installed (a jupyter-events extra) only to check
# the 'iri' string format, which no notebook uses; that import compiles a grammar, about 2 s on every start.
sys.modules.setdefault("rfc3987_syntax", None)  # before the imports below (pyproject: E402 allowed here)

import nbformat
import papermill
from jinja2 import DictLoader
from nbconvert import HTMLExporter

from .document import ANALYSES, notebook_figures
from .document_files import write_document
from .errors import CoopResearchError
from .kernels import Kernel, KernelPool
from .labels import FIGURES, INDEX_PAGE, date_text
from .pdf import PdfProcess
from .processed import MANIFEST, Processed, derive_into, is_fresh, product_files, products_move, read_settings, sha256
from .provenance import versions
from .publishing import publish, study_run
from .quote_check import write_quote_checks
from .schemas import LANGUAGES, TABLES
from .study import PROCESSED, REPORTS, load_study, packaged_notebooks, raw_path, study_notebooks, study_settings
from .workbook import write_tables_workbook

__all__ = ["missing_tables", "render_html", "run_report"]

PARAMETERS = ("study_dir", "lang", "processed_dir")
# JupyterLab's page, self-contained: no script at all (no require.js, MathJax or Mermaid from a CDN: the reports
# hold no formulas or diagrams, MathJax would typeset a '$…$' of study text, and a reader's browser would contact
# a third party on every view), and every figure with the alt text its cell's figure:NAME tag gives (labels.FIGURES)
TEMPLATE = DictLoader({"coopresearch.html.j2": """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<style>
.jp-RenderedHTMLCommon table {display: block; max-width: 100%; overflow-x: auto}
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th {white-space: normal; max-width: 36rem}
</style>
{%- endblock extra_css -%}
{%- block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
     alt="{{ output.metadata.get('alt', '') | escape_html }}">
</div>
{%- endblock data_png -%}
"""})


def _read_notebook(notebook: Path):
    """A notebook file, or one line saying it is not one."""
    try:
        return nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises JSON, validation and encoding errors alike
        raise CoopResearchError(f"{notebook}: not a readable notebook ({type(exc).__name__}) — restore it or remove it "
                                "from the study's notebooks/") from None


def _check_parameters(notebook: Path) -> None:
    """Refuse a notebook whose parameters cell lacks ours (papermill would only warn)."""
    _read_notebook(notebook)
    declared = set(papermill.inspect_notebook(str(notebook)))
    missing = set(PARAMETERS) - declared
    if missing:
        raise CoopResearchError(f"{notebook.name}: the cell tagged 'parameters' does not define "
                                f"{', '.join(sorted(missing))} — add them to that cell")


def missing_tables(notebook: Path, empty: set[str]) -> list[str]:
    """The tables a notebook needs (``metadata.coopresearch.requires``) that are ``empty`` in the study.

    A study need not have every kind of data (a scan, meetings); the report that needs
    it is then skipped with a note instead of failing.
    """
    requires = _read_notebook(notebook).metadata.get("coopresearch", {}).get("requires", [])
    return [name for name in requires if name in empty]


def _title(nb, lang: str) -> str:
    """The first heading of the notebook's Markdown in the report language."""
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "markdown" and not (tags & (set(LANGUAGES) - {lang})):
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Report"


def render_html(nb, *, lang: str, study_title: str) -> tuple[str, str]:
    """Render an executed notebook as a reader's page: no code, no prompts, one language.

    Markdown cells tagged with the other language (``nl``/``en``) and error/warning
    streams are left out. The page loads no MathJax. Returns ``(title, html)``; nbconvert escapes
    the page title (from ``study_title``), and Markdown and tables escape study text themselves.
    """
    nb = nbformat.from_dict(nb)
    other = set(LANGUAGES) - {lang}
    nb.cells = [c for c in nb.cells if not set(c.metadata.get("tags", [])) & other]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
            for tag in cell.metadata.get("tags", []):
                if tag.startswith("figure:"):
                    for output in cell.outputs:
                        output.setdefault("metadata", {})["alt"] = FIGURES.get(tag.removeprefix("figure:"), {}).get(lang, "")
    title = _title(nb, lang)
    nb.metadata["title"] = f"{title} — {study_title}"
    body, _ = _exporter(lang).from_notebook_node(nb)
    return title, body


@cache
def _exporter(lang: str) -> HTMLExporter:
    """One exporter per process and language (``<html lang>``): its templates are compiled once, not for every page."""
    return HTMLExporter(template_name="lab", template_file="coopresearch.html.j2", extra_loaders=[TEMPLATE],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, language_code=lang)


def _not_made(page: tuple | None, lang: str) -> str:
    """Why an analysis has no report, in the index page's words."""
    if page is None:
        return INDEX_PAGE[lang]["missing"]
    _, _, (why, note) = page
    return f"{INDEX_PAGE[lang][why]} {note}"


def _index_html(study_title: str, pages: dict[str, tuple[str | None, str, tuple[str, str]]], lang: str,
                rendered: str) -> str:
    """The index page: the study document, a link and a line on what it shows per analysis page, why any other
    was not made (``skipped``, ``missing``), and the date of rendering."""
    text = INDEX_PAGE[lang]
    items = []
    for name in sorted(pages):
        href, title, _ = pages[name]
        about = text["about"].get(Path(name).stem, "")
        items.append(f'    <li><a href="{html.escape(href)}">{html.escape(title)}</a><br><small>{html.escape(about)}</small></li>'
                     if href else
                     f'    <li>{html.escape(title)} <small>— {html.escape(_not_made(pages[name], lang))}</small></li>')
    newline = "\n"
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <title>{html.escape(study_title)}</title>
  <style>body {{font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; line-height: 1.5;
  padding: 0 1rem; color: #222}} li {{margin: .6rem 0; font-size: 1.15rem}} small {{color: #555; font-size: .9rem}}</style>
</head>
<body>
  <h1>{html.escape(study_title)}</h1>
  <p>{text['intro']} {html.escape(text['rendered'].format(date=rendered))}</p>
  <h2>{text['document']}</h2>
  <p>{text['document_about']}</p>
  <ul>
    <li><a href="report.html">{text['document_html']}</a> · <a href="report.docx">Word</a> · <a href="report.pdf">PDF</a></li>
  </ul>
  <h2>{text['reports']}</h2>
  <ul>
{newline.join(items)}
  </ul>
  <p><small><a href="manifest.json">{text['manifest']}</a></small></p>
</body>
</html>
"""


def _execute(notebook: Path, kernel: Kernel, root: Path, lang: str, processed: Path) -> dict:
    """Execute one notebook on ``kernel``, a kernel of the report's `KernelPool`.

    No ``cwd=``: papermill implements it by changing this whole process's working folder,
    which races between threads; the notebooks get an absolute ``study_dir`` instead. No output
    path either: papermill would write the whole notebook twice per cell (a second of this
    process's time per report); the run writes the executed notebook once, when it is done.
    """
    try:
        return papermill.execute_notebook(
            str(notebook), None, parameters={"study_dir": str(root), "lang": lang, "processed_dir": str(processed)},
            kernel_name="python3", language="python", progress_bar=False, log_output=False, km=kernel)
    except papermill.PapermillExecutionError as exc:
        raise CoopResearchError(
            f"notebook {notebook.name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue} — "
            f"open {notebook} in JupyterLab with study_dir={str(root)!r} to see the cell"
        ) from None
    finally:
        kernel.close_clients()


def _previous_reports(root: Path) -> list[str]:
    manifest = root / REPORTS / "manifest.json"
    try:
        return list(json.loads(manifest.read_text(encoding="utf-8"))["outputs"]["reports"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


PORTABLE = {"study_dir": "..", "processed_dir": ""}  # what an executed notebook in reports/ says: the study above it


def _portable(executed: dict, notebook: Path, lang: str) -> dict:
    """An executed notebook without the run's absolute paths: parameters as a reader in reports/ would set them."""
    executed = nbformat.from_dict(executed)
    parameters = {**PORTABLE, "lang": lang}
    for cell in executed.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = "# Parameters\n" + "".join(f"{key} = {value!r}\n" for key, value in parameters.items())
    executed.metadata.get("papermill", {}).update(parameters=parameters, input_path=notebook.name, output_path=notebook.name)
    return executed


def run_report(study_dir: str | os.PathLike = ".", *, lang: str | None = None, jobs: int | None = None,
               echo: Callable[[str], None] = print) -> Path:
    """Validate and derive the study when its inputs changed, render every notebook, the study document
    (report.html/.docx/.pdf), tables.xlsx and wederhoor/; return the index page.

    Parameters
    ----------
    study_dir : the study folder.
    lang : report language, ``nl`` or ``en``; default the study's ``language``.
    jobs : kernels executing notebooks at the same time; default one per core. The packaged notebooks
        share them (`kernels.KernelPool`).
    echo : receives one line of progress per step.

    Raises
    ------
    DataError
        The study's input is invalid: nothing is run.
    CoopResearchError
        A notebook failed, or another run holds the study: data/processed and reports are left as they were.
    """
    started = datetime.now(UTC)
    root = Path(study_dir).resolve()
    with study_run(root) as stage, contextlib.ExitStack() as running:
        notebooks = study_notebooks(root)
        # first: the kernels start and import while this process validates and derives the study
        kernels = running.enter_context(KernelPool(min(jobs or os.cpu_count() or 1, len(notebooks)),
                                                   shared=notebooks == packaged_notebooks()))
        fresh = is_fresh(root)
        if fresh:  # derived from these very inputs, so they were valid
            echo("data/processed is up to date with the inputs: rendering it")
            about = read_settings(root / PROCESSED)
        else:
            echo(f"Validating {root} ...")
            study = load_study(root)
            about = study_settings(study)
        lang = lang or about["language"]
        if lang not in LANGUAGES:
            raise CoopResearchError(f"--lang: {lang!r} is not a report language — use nl or en")
        for notebook in notebooks:
            _check_parameters(notebook)
        out_dir = stage / "reports"
        out_dir.mkdir()
        processed = root / PROCESSED if fresh else stage / "processed"
        pages: dict[str, tuple[str | None, str, tuple[str, str]]] = {}
        names = {nb.name for nb in notebooks}
        for packaged in packaged_notebooks():  # a study's own notebooks/ may lack one of the reports: say so
            if packaged.name not in names:
                pages[packaged.name] = (None, _title(_read_notebook(packaged), lang), ("missing", f"notebooks/{packaged.name}"))
                echo(f"{packaged.stem}: not made, the study has no notebooks/{packaged.name}")
        runnable = []
        for notebook in notebooks:
            missing = missing_tables(notebook, set(about["empty_tables"]))
            if missing:
                note = ", ".join(str(raw_path(root, TABLES[name])[0].relative_to(root)) for name in missing)
                pages[notebook.name] = (None, _title(_read_notebook(notebook), lang), ("skipped", note))
                echo(f"{notebook.stem}: skipped, no rows in {note}")
            else:
                runnable.append(notebook)
        clock = time.perf_counter()
        # the notebooks run (and wait for the manifest, written last) while the study is derived
        finished = kernels.run(runnable, lambda nb, kernel: _execute(nb, kernel, root, lang, processed))
        if fresh:
            derived = json.loads((processed / MANIFEST).read_text(encoding="utf-8"))
        else:
            echo("Deriving data/processed (coding, reliability, network, scan) ...")
            derived = derive_into(study, processed)
        pdf = running.enter_context(PdfProcess())  # WeasyPrint imports in a process of its own meanwhile
        data = Processed(processed, derived)
        figures = {}
        for count, (i, executed) in enumerate(finished, 1):
            notebook = runnable[i]
            figures.update(notebook_figures(executed))
            nbformat.write(_portable(executed, notebook, lang), out_dir / notebook.name)
            title, body = render_html(executed, lang=lang, study_title=about["title"])
            page = notebook.stem + ".html"
            (out_dir / page).write_text(body, encoding="utf-8")
            pages[notebook.name] = (page, title, ("", ""))
            echo(f"[{count}/{len(runnable)}] {notebook.stem}: rendered ({time.perf_counter() - clock:.1f} s)")
        made = {analysis: None if pages.get(f"{stem}.ipynb", ("",))[0] else _not_made(pages.get(f"{stem}.ipynb"), lang)
                for analysis, stem in ANALYSES.items()}
        echo("Writing the study document (report.html, report.docx, report.pdf), tables.xlsx and wederhoor/ ...")
        write_document(root, data, out_dir, lang=lang, figures=figures, made=made, rendered=started.date().isoformat(),
                       pdf=pdf)
        # while the PDF is made on the other core
        write_tables_workbook(data, out_dir / "tables.xlsx", lang=lang)
        write_quote_checks(data.table("quote_check"), out_dir / "wederhoor", lang=lang, study_title=about["title"])
        pdf.wait()
        rendered = date_text(started.date().isoformat(), lang)
        (out_dir / "index.html").write_text(_index_html(about["title"], pages, lang, rendered), encoding="utf-8")
        report_files = sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file())
        processed_files = product_files(derived)
        manifest = {
            "coopresearch": versions()["coopresearch"],
            "study": about["title"],
            "parameters": {"lang": lang, "study_dir": "."},
            "inputs": derived["inputs"],
            "codebook": about["codebook"],
            "notebooks": {nb.name: sha256(nb) for nb in notebooks},
            "packages": versions(),
            "outputs": {"processed": sorted([*processed_files, MANIFEST]),
                        "processed_sha256": processed_files,
                        "reports": sorted(report_files + ["manifest.json"])},
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                               encoding="utf-8")
        moves = [] if fresh else [products_move(processed, root)]
        publish(root, stage, [*moves, (out_dir, root / REPORTS, _previous_reports(root))])
    echo(f"Reports written to {root / REPORTS / 'index.html'}")
    return root / REPORTS / "index.html"
