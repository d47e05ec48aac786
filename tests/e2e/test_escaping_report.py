"""Study text never becomes script in a rendered report: a payload in every field of the mini study.

Security review, item 2. The payload is valid in each field it goes into (ids stay simple: interview,
quote, process and meeting ids, party and theme ids, the scan's relationship and fields).
"""

import csv
import re

import pytest
import yaml

from coopresearch.codebook import packaged_codebook_text

from ..conftest import coopresearch

pytestmark = pytest.mark.slow
PAYLOAD = "<script>alert(1)</script> [x](javascript:alert(1)) $x^2$ $"
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;"  # the payload as text on a page
JAVASCRIPT_LINK = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)

# per file of data/raw: the columns that carry the payload
FIELDS = {
    "interviews": ("pseudonym", "organisation", "role", "department"),
    "quotes": ("text",),
    "processes": ("name",),
    "relations": ("actor",),
    "meetings": ("name", "actor"),
    "codings": ("coder",),
}


def _with_payload(path, columns) -> None:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        for column in columns:
            row[column] = f"{row[column]} {PAYLOAD}"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def hostile_study(mini_study):
    """The mini study with the payload in its title, party and theme labels and every free-text column."""
    settings = yaml.safe_load((mini_study / "study.yml").read_text(encoding="utf-8"))
    settings["title"] = f"Mini {PAYLOAD}"
    settings["parties"] = {party: {lang: f"{text} {PAYLOAD}" for lang, text in labels.items()}
                           for party, labels in settings["parties"].items()}
    settings["codebook"] = "codebook.yml"
    (mini_study / "study.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    codebook = packaged_codebook_text("default")
    for label in ("{nl: Transparantie, en: Transparency}", "{nl: Mandaat, en: Mandate}"):
        assert label in codebook
        nl, en = re.findall(r"(?:nl|en): (\w+)", label)
        codebook = codebook.replace(label, f'{{nl: "{nl} {PAYLOAD}", en: "{en} {PAYLOAD}"}}')
    (mini_study / "codebook.yml").write_text(codebook, encoding="utf-8")
    for name, columns in FIELDS.items():
        _with_payload(mini_study / "data" / "raw" / f"{name}.csv", columns)
    return mini_study


def test_a_payload_in_every_field_is_shown_as_text_and_never_runs(hostile_study):
    result = coopresearch("report", hostile_study)
    assert result.returncode == 0, result.stderr
    pages = {p.name: p.read_text(encoding="utf-8") for p in (hostile_study / "reports").glob("*.html")}
    assert len(pages) == 6, sorted(pages)  # the index, four reports and the study document
    for name, page in pages.items():
        assert "<script>alert" not in page, f"a payload runs as script in {name}"
        assert 'href="javascript:' not in page and not JAVASCRIPT_LINK.search(page), f"a javascript: link in {name}"
        assert "mathjax" not in page.lower(), f"{name} loads MathJax, which would typeset '$x^2$'"
        assert SHOWN in page, f"the payload is not shown as text in {name}"
    network, reliability = pages["02_network_analysis.html"], pages["03_intercoder_reliability.html"]
    # the readings name the solitary process P3, the linking pins and the theme labels, as text
    assert f"Beheer GBA-gegevens {SHOWN} [x](javascript:alert(1)) $x^2$ $ delen geen enkele actor" in network
    assert "Beleidsadviseur wonen &lt;script&gt;" in network
    assert "Transparantie &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) $x^2$ $" in reliability
    assert "<title>" in pages["index.html"] and f"Mini {SHOWN}" in pages["index.html"]
