"""The study document as a tagged PDF/UA-1 (WeasyPrint), from its HTML page.

A module of its own that imports nothing heavy, so `run_report` can make the PDF in a second
process while it renders the notebooks (WeasyPrint's layout is the longest single step of a run).
"""

from __future__ import annotations

import os

__all__ = ["html_to_pdf"]


def html_to_pdf(page_html: str, path: str | os.PathLike) -> None:
    """Write ``page_html`` (`document_files.document_html`) as a tagged PDF/UA-1: bookmarks, language, alt texts.

    Only data URLs are fetched: rendering never reaches the network or a local file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "hello.pdf"
    >>> html_to_pdf('<html lang="en"><title>Hello</title><p>Hello</p></html>', path)
    >>> path.read_bytes()[:5]
    b'%PDF-'
    """
    import weasyprint  # loads Pango: only when a PDF is made
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    weasyprint.HTML(string=page_html, url_fetcher=fetcher).write_pdf(path, pdf_variant="pdf/ua-1")
