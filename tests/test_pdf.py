"""The PDF process of a report: it makes the page's PDF, says in one line why it could not, and stops with the run."""

import pypdf
import pytest

from coopresearch.errors import CoopResearchError
from coopresearch.pdf import PdfProcess

PAGE = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Studie</title></head>
<body><h1>Samenvatting</h1><p>Wie beslist, en wie is eigenaar?</p>
<img src="file:///etc/passwd" alt="geen bestand van deze machine"></body></html>"""


def test_the_process_makes_the_pdf_of_a_page_as_a_tagged_pdf(tmp_path):
    (tmp_path / "report.html").write_text(PAGE, encoding="utf-8")
    with PdfProcess() as pdf:
        pdf.make(tmp_path / "report.html", tmp_path / "report.pdf")
        with pytest.raises(CoopResearchError, match=r"report\.pdf could not be made: .*file:///etc/passwd"):
            pdf.wait()  # a page may only hold data URLs: a local file is refused, not read
    (tmp_path / "report.html").write_text(PAGE.replace("file:///etc/passwd", "data:,"), encoding="utf-8")
    with PdfProcess() as pdf:
        pdf.make(tmp_path / "report.html", tmp_path / "report.pdf")
        pdf.wait()
    reader = pypdf.PdfReader(tmp_path / "report.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "nl" and "/StructTreeRoot" in reader.trailer["/Root"]
    assert "Wie beslist, en wie is eigenaar?" in reader.pages[0].extract_text()


def test_leaving_before_the_page_is_given_stops_the_process_and_writes_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt), PdfProcess() as pdf:
        raise KeyboardInterrupt
    assert pdf._process.poll() is not None and not list(tmp_path.iterdir())


def test_a_process_that_ended_before_the_page_says_so_in_one_line(tmp_path):
    (tmp_path / "report.html").write_text(PAGE, encoding="utf-8")
    with PdfProcess() as pdf:
        pdf._process.kill()  # as when WeasyPrint cannot load Pango
        pdf._process.wait()
        pdf.make(tmp_path / "report.html", tmp_path / "report.pdf")
        with pytest.raises(CoopResearchError, match=r"^report\.pdf could not be made: exit status -9$"):
            pdf.wait()
    assert not (tmp_path / "report.pdf").exists()
