"""import-docs: interview reports (.docx through python-docx, .txt, .md) into a study, end to end through the command."""

from __future__ import annotations

import docx
import pandas as pd
import pytest

from coopresearch.interview_docs import quote_id
from tests.conftest import coopresearch


def word_report(path, header: list[str], body: list[str]):
    """A .docx as an auditor writes it: a title, Key: value lines, a heading, paragraphs and an empty one."""
    document = docx.Document()
    document.add_heading("Interviewverslag", level=1)
    for line in header:
        document.add_paragraph(line)
    document.add_heading("Samenwerking met de corporatie", level=2)
    for paragraph in body:
        document.add_paragraph(paragraph)
        document.add_paragraph("")
    document.save(path)
    return path


def files_of(folder) -> dict:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


@pytest.fixture
def reports(tmp_path):
    """A Word report and a text report of two interviews."""
    word = word_report(tmp_path / "gemeente_1.docx",
                       ["Organisatie: Gemeente Emmen", "Partij: Gemeente", "Functie: beleidsadviseur\nAfdeling: Wonen",
                        "Datum: 14-3-2025", "Pseudoniem: Respondent A"],
                       ["We horen pas achteraf wat de corporatie van plan is.",
                        "=HYPERLINK(\"http://x\") Wie beslist hier eigenlijk?"])
    text = tmp_path / "corporatie_1.txt"
    text.write_text("Organisation: Lefier\nInterviewer: Jan de Vries\nParty: corporatie\nDate: 2025-03-20\n\n"
                    "Afspraak is afspraak,\nen dat lukt meestal goed.\n\n# Tot slot\n"
                    "De gemeente zegt ja maar doet iets anders.\n", encoding="utf-8")
    return word, text


def test_reports_become_a_new_study_one_quote_per_paragraph(tmp_path, reports):
    study = tmp_path / "wijkaanpak"
    result = coopresearch("import-docs", *reports, "--study", study)
    assert result.returncode == 0, result.stderr
    assert "gemeente_1.docx: interview gemeente_1 (Respondent A): 2 quotes added" in result.stdout
    assert ("corporatie_1.txt: interview corporatie_1 (Respondent 1): 2 quotes added (header lines not read: "
            "Interviewer)") in result.stdout
    interviews = pd.read_csv(study / "data/raw/interviews.csv", dtype=str, keep_default_na=False)
    assert interviews.set_index("interview_id").loc["gemeente_1"][
        ["organisation", "party", "role", "department", "date", "pseudonym"]].tolist() == \
        ["Gemeente Emmen", "gemeente", "beleidsadviseur", "Wonen", "2025-03-14", "Respondent A"]
    assert interviews.set_index("interview_id").loc["corporatie_1", "party"] == "corporatie"
    quotes = pd.read_csv(study / "data/raw/quotes.csv", dtype=str, keep_default_na=False)
    # headings, empty paragraphs and the Key: value lines are not quotes; the lines of a paragraph are joined
    assert quotes["text"].tolist() == ["We horen pas achteraf wat de corporatie van plan is.",
                                       "=HYPERLINK(\"http://x\") Wie beslist hier eigenlijk?",
                                       "Afspraak is afspraak, en dat lukt meestal goed.",
                                       "De gemeente zegt ja maar doet iets anders."]
    assert quotes["quote_id"].iloc[0] == quote_id("gemeente_1", quotes["text"].iloc[0])
    assert "parties:" in (study / "study.yml").read_text(encoding="utf-8")
    assert not [p for p in study.rglob("*.csv") if "Jan de Vries" in p.read_text(encoding="utf-8")]
    assert coopresearch("validate", study).returncode == 0


def test_importing_the_same_files_twice_adds_nothing_and_says_so(tmp_path, reports):
    study = tmp_path / "s"
    assert coopresearch("import-docs", *reports, "--study", study).returncode == 0
    before = files_of(study)
    result = coopresearch("import-docs", *reports, "--study", study)
    assert result.returncode == 0, result.stderr
    assert "interview gemeente_1 was imported before: nothing added" in result.stdout
    assert "Nothing added to" in result.stdout
    assert files_of(study) == before


def test_a_changed_report_adds_only_its_new_paragraphs(tmp_path, reports):
    study = tmp_path / "s"
    word, text = reports
    assert coopresearch("import-docs", text, word, "--study", study).returncode == 0
    text.write_text(text.read_text(encoding="utf-8") + "\nEen nieuwe alinea over overleg.\n", encoding="utf-8")
    result = coopresearch("import-docs", text, word, "--study", study)
    assert result.returncode == 0, result.stderr
    assert "interview corporatie_1 was imported before: 1 new quote added" in result.stdout
    quotes = pd.read_csv(study / "data/raw/quotes.csv", dtype=str)
    assert len(quotes) == 5 and quotes["quote_id"].is_unique


def test_reports_are_added_to_an_existing_study(mini_study, tmp_path):
    report = tmp_path / "I5.md"
    report.write_text("# Verslag\n\nOrganisatie: Corporatie Test\nPartij: Housing corporation\n\n"
                      "We weten niet wie beslist.\n\nWe weten niet wie beslist.\n", encoding="utf-8")
    result = coopresearch("import-docs", report, "--study", mini_study)
    assert result.returncode == 0, result.stderr
    assert "I5.md: interview I5 (Respondent 5): 1 quote added (1 repeated paragraph left out)" in result.stdout
    interviews = pd.read_csv(mini_study / "data/raw/interviews.csv", dtype=str)
    assert interviews.iloc[-1][["interview_id", "party", "pseudonym"]].tolist() == ["I5", "corporatie", "Respondent 5"]
    assert interviews.columns.tolist()[:2] == ["interview_id", "pseudonym"]  # the file's own column order is kept
    assert coopresearch("validate", mini_study).returncode == 0


def test_a_report_without_a_party_line_gets_one_clear_line_and_nothing_is_written(tmp_path, mini_study):
    report = word_report(tmp_path / "I9.docx", ["Organisatie: Gemeente Emmen"], ["Wie beslist hier?"])
    new = tmp_path / "new"
    result = coopresearch("import-docs", report, "--study", new)
    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if "party" in line]
    assert line.startswith(f"{report}:-: Partij: no party line at the top of the file — add a line 'Partij: …'")
    assert "Traceback" not in result.stderr and not new.exists()
    before = files_of(mini_study)
    assert coopresearch("import-docs", report, "--study", mini_study).returncode == 1
    assert files_of(mini_study) == before


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("I8.doc", b"x", "'.doc' files are not read — give .docx, .txt or .md files (save a .doc, .odt or .rtf as .docx first)"),
    ("I8.docx", b"not a zip", "not a readable Word document (.docx)"),
    ("I8.txt", "Partij: gemeente\n\nCafé".encode("latin-1"), "text is not UTF-8"),
    ("I8.txt", b"Organisatie: X\nPartij: gemeente\n", "I8.txt:-: -: no paragraph of text after the Key: value lines"),
    ("I8.txt", b"Organisatie: X\nPartij: gemeente\nDatum: maart\n\nTekst.", "I8.txt:3: Datum: 'maart' is not a date"),
    ("I8.txt", b"Organisatie: X\nPartij: woningbouw\n\nTekst.", "I8.txt:2: Partij: 'woningbouw' is not a party of the study"),
])
def test_bad_reports_are_refused_in_one_line(mini_study, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    before = files_of(mini_study)
    result = coopresearch("import-docs", path, "--study", mini_study)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert expected in result.stderr.splitlines()[0].replace(f"{tmp_path}/", "")
    assert files_of(mini_study) == before


def test_two_files_with_one_interview_id_and_a_folder_that_is_no_study_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "I1.txt").write_text("Organisatie: X\nPartij: gemeente\n\nTekst.\n", encoding="utf-8")
    result = coopresearch("import-docs", tmp_path / "a/I1.txt", tmp_path / "b/I1.txt", "--study", tmp_path / "new")
    assert result.returncode == 1 and "gives the interview id 'I1', as does" in result.stderr
    result = coopresearch("import-docs", tmp_path / "a/I1.txt", "--study", tmp_path / "b")
    assert result.returncode == 1 and "exists but is not a study folder" in result.stderr


def test_a_failed_import_into_an_existing_study_leaves_its_tables_as_they_were(mini_study, tmp_path):
    quotes = mini_study / "data/raw/quotes.csv"
    pd.read_csv(quotes, dtype=str, keep_default_na=False).to_excel(mini_study / "data/raw/quotes.xlsx", index=False,
                                                                   sheet_name="quotes")
    quotes.unlink()
    interviews = (mini_study / "data/raw/interviews.csv").read_bytes()
    report = tmp_path / "I5.md"
    report.write_text("Organisatie: Corporatie Test\nPartij: corporatie\n\nWe weten niet wie beslist.\n", encoding="utf-8")
    result = coopresearch("import-docs", report, "--study", mini_study)
    assert result.returncode == 1 and "data/raw/quotes.xlsx: this table is kept as an Excel workbook" in result.stderr
    assert (mini_study / "data/raw/interviews.csv").read_bytes() == interviews  # the new interview was taken back
    assert not quotes.exists()
