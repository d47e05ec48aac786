"""The study document as a tagged PDF/UA-1 (WeasyPrint), made in a process of its own.

Laying out the document takes WeasyPrint a few seconds on one core, the last step of a report.
`coopresearch report` starts a `PdfProcess` while the notebooks run, so that WeasyPrint is
imported by the time report.html is written, and writes the Word file, tables.xlsx and the
wederhoor letters on the other core while the PDF is made.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .errors import CoopResearchError

__all__ = ["PdfProcess", "html_to_pdf"]


def html_to_pdf(page_html: str, path: str | Path) -> None:
    """``page_html`` as a tagged PDF/UA-1 at ``path``: bookmarks from the headings, the page's language, alt texts.

    Only data URLs are read: rendering never reaches the network or a local file.
    """
    import weasyprint  # loads Pango: only when a PDF is made
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    weasyprint.HTML(string=page_html, url_fetcher=fetcher).write_pdf(path, pdf_variant="pdf/ua-1")


class PdfProcess:
    """A process that imports WeasyPrint now and makes one PDF when given the page (`make`), then ends.

    Use it as a context manager: leaving the block before `wait` (an error, Ctrl-C) stops the
    process, so it never writes into a folder that is gone.
    """

    def __init__(self):
        self._process = subprocess.Popen([sys.executable, "-m", "coopresearch.pdf"], stdin=subprocess.PIPE,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8")

    def make(self, page: Path, pdf: Path) -> None:
        """Start making ``pdf`` from the HTML page at ``page``; returns at once."""
        try:
            self._process.stdin.write(json.dumps([str(page), str(pdf)]) + "\n")
            self._process.stdin.flush()
        except OSError:  # the process has ended already (WeasyPrint could not start): `wait` says why
            pass

    def wait(self) -> None:
        """Wait for the PDF; raise the process's last error line when it could not be made."""
        _, errors = self._process.communicate()
        if self._process.returncode:
            why = errors.strip().splitlines()[-1] if errors.strip() else f"exit status {self._process.returncode}"
            raise CoopResearchError(f"report.pdf could not be made: {why}")

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()


def _main() -> None:
    import weasyprint  # noqa: F401  (imported while the report still runs its notebooks: the time this saves)

    line = sys.stdin.readline()
    if line:  # no line: the report stopped before its page was written
        page, pdf = json.loads(line)
        html_to_pdf(Path(page).read_text(encoding="utf-8"), pdf)


if __name__ == "__main__":
    _main()
