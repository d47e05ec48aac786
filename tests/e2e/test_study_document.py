"""The study document of the example study, opened as readers open it: Word, a PDF reader, a browser offline."""

import io
import json
import shutil

import docx
import pypdf
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.slow

# Debian's chromium, which .ci/run installs; the flags keep it from calling home (the machine has no network)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium")
    assert executable, "headless Chromium is missing: install the Debian package 'chromium' (.ci/run does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_offline(browser, path):
    """Open a file with the network off; return the page, every request and every failed one."""
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, failed = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, requests, failed


def test_report_writes_the_study_document_in_three_formats(example_reported):
    reports = example_reported / "reports"
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert {"report.html", "report.docx", "report.pdf"} <= set(manifest["outputs"]["reports"])
    word = docx.Document(str(reports / "report.docx"))
    chapters = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert chapters == ["Samenvatting", "Conclusies en aanbevelingen", "Bevindingen", "Verantwoording",
                        "Bijlagen: tabellen"]
    text = "\n".join(p.text for p in word.paragraphs)
    assert "De gemeente Emmen werkt met drie woningcorporaties" in text  # the auditor's own summary (report/)
    assert "Illustratieve tekst" not in text  # its guidance comment is left out
    assert "Cramérs V = 0," in text and "p = 0," in text  # Dutch decimal commas
    assert len(word.inline_shapes) >= 5
    pdf = pypdf.PdfReader(reports / "report.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == "nl" and len(pdf.pages) > 10
    assert "De gemeente Emmen werkt met drie woningcorporaties" in pdf.pages[2].extract_text()


def test_the_html_document_opens_offline_in_chromium_without_a_request(example_reported, browser):
    page, requests, failed = open_offline(browser, example_reported / "reports" / "report.html")
    assert failed == []
    assert all(url.startswith(("file:", "data:")) for url in requests)
    assert page.evaluate("document.documentElement.lang") == "nl"
    alts = page.eval_on_selector_all("img", "images => images.map(i => [i.alt, i.complete && i.naturalWidth > 0])")
    assert alts and all(len(alt) > 20 and loaded for alt, loaded in alts)
    assert page.eval_on_selector_all("nav a", "links => links.length") >= 10
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 1280  # no table cut off at 1280 px
    shot = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("L")
    assert shot.getextrema()[0] < 100  # dark text on the page: not blank
    page.context.close()


@pytest.mark.parametrize("name", ["01_thematic_analysis", "02_network_analysis", "03_intercoder_reliability",
                                  "04_collaboration_scan"])
def test_analysis_pages_open_offline_with_alt_texts(example_reported, browser, name):
    page, requests, failed = open_offline(browser, example_reported / "reports" / f"{name}.html")
    assert failed == [] and all(url.startswith(("file:", "data:")) for url in requests)
    assert page.evaluate("document.documentElement.lang") == "nl"
    alts = page.eval_on_selector_all("img", "images => images.map(i => i.alt)")
    assert alts and all(len(alt) > 20 and "No description" not in alt for alt in alts)
    page.context.close()
