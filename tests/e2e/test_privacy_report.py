"""Privacy in rendered reports: no real names, no small groups, quote text escaped."""

import re

import pytest

from coopresearch.pipeline import run_report

from ..conftest import DATA, copy_study

pytestmark = pytest.mark.slow
REAL_NAMES = ["Jantje Keyholder", "Mientje Sleutelbos", "Pietje Geheimhouder", "Klaasje Naamkaart"]
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    study = copy_study(DATA / "mini", tmp_path_factory.mktemp("privacy") / "mini")
    # the auditor's pseudonym key slipped into interviews.csv as an extra column
    path = study / "data/raw/interviews.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",real_name"] + [f"{line},{name}" for line, name in
                                                           zip(lines[1:], REAL_NAMES, strict=True)]) + "\n",
                    encoding="utf-8")
    quotes = study / "data/raw/quotes.csv"
    text = quotes.read_text(encoding="utf-8")
    quotes.write_text(text.replace('"Afspraak is afspraak, en dat lukt meestal goed."',
                                   f'"Afspraak is afspraak {SCRIPT.replace(chr(34), 2 * chr(34))}, dat lukt goed."'),
                      encoding="utf-8")
    run_report(study, echo=lambda line: None)
    return study


def outputs(study):
    return {p: p.read_text(encoding="utf-8") for folder in ("reports", "data/processed")
            for p in (study / folder).rglob("*") if p.suffix in (".html", ".csv", ".json", ".md")}


def test_no_name_from_a_pseudonym_key_appears_anywhere(reported):
    for path, text in outputs(reported).items():
        for name in REAL_NAMES:
            assert name not in text, f"{name} appears in {path.name}"


def test_quote_text_is_escaped(reported):
    page = (reported / "reports/01_thematic_analysis.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page, "the quote was not shown"
    for path, text in outputs(reported).items():
        if path.suffix == ".html":
            assert SCRIPT not in text, f"unescaped script in {path.name}"


def test_small_party_is_not_attributed(reported):
    # the mini study has 1 corporation interview, below min_group_size 3
    page = (reported / "reports/01_thematic_analysis.html").read_text(encoding="utf-8")
    assert "Respondent 4, Corporatie" not in page
    overview, analysis = page.split('id="Wat-vinden-de-partijen-belangrijk?"')
    assert re.search(r">\s*Corporatie\s*</td>\s*<td[^>]*>\s*1\s*</td>\s*<td[^>]*>\s*–\s*</td>", overview), \
        "the overview should give the corporation's interviews but no quote count"
    assert not re.search(r">\s*Corporatie\s*<", analysis), "a statistic was shown for the corporation party"
