"""Tables out: reports/tables.xlsx as a reader opens it, and the quotes to check with each interviewee."""

import docx
import openpyxl
import pandas as pd
import pytest

from coopresearch.labels import TABLE_TITLES
from coopresearch.processed import derive_study, read_processed
from coopresearch.quote_check import shown_quotes, write_quote_checks
from coopresearch.workbook import NOT_SHOWN, shown_tables, write_tables_workbook

from .conftest import DATA, copy_study

PAYLOAD = '=HYPERLINK("http://example.org","klik")'


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """The mini study with a formula payload in a quote, derived once for the module."""
    study = copy_study(DATA / "mini", tmp_path_factory.mktemp("out") / "mini")
    quotes = study / "data/raw/quotes.csv"
    csv_payload = PAYLOAD.replace('"', '""')
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(
        "Q4,I3,Het is niet duidelijk wie de regie heeft.,P3",
        f'Q4,I3,"{csv_payload} Het is niet duidelijk wie de regie heeft.",P3'), encoding="utf-8")
    derive_study(study, echo=lambda _: None)
    return study, read_processed(study, echo=lambda _: None)


def test_workbook_has_a_sheet_per_shown_table_in_the_report_language(mini, tmp_path):
    _, data = mini
    sheets = write_tables_workbook(data, tmp_path / "tables.xlsx", lang="nl")
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    assert book.sheetnames == sheets and sheets[0] == "Inhoud"
    assert len(sheets) - 1 == len(shown_tables(data, "nl"))
    assert not set(shown_tables(data, "nl")) & NOT_SHOWN
    assert set(shown_tables(data, "nl")) <= set(TABLE_TITLES)  # every sheet named in the reader's words
    titles = {title: sheet for sheet, title in book["Inhoud"].iter_rows(min_row=4, values_only=True)}
    sheet = book[titles["Interviews en citaten per partij"]]  # a sheet name has at most 31 characters
    assert [c.value for c in sheet[1]] == ["Partij", "Interviews", "Citaten", "Gerapporteerd"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Gemeente"][1:] == (3, 4, "ja")
    assert rows["Corporatie"][2] is None  # a group below min_group_size: its quotes are not counted, as in the reports


def test_workbook_numbers_stay_numbers_and_text_never_runs(mini, tmp_path):
    _, data = mini
    write_tables_workbook(data, tmp_path / "tables.xlsx", lang="en")
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    reliability = book["Reliability per theme"]
    alpha = reliability.cell(2, 2)
    assert isinstance(alpha.value, float) and alpha.number_format == "0.00"
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    payloads = [cell for cell in cells if cell.value.startswith("=")]
    assert payloads and all(cell.data_type == "s" for cell in payloads)  # shown as typed, never a formula


def test_shown_quotes_carry_their_context_and_where_they_are_shown():
    quotes = pd.DataFrame({"quote_id": ["a1", "a2", "a3", "b1"], "interview_id": ["A", "A", "A", "B"],
                           "text": ["een", "twee", "drie", "vier"]})
    interviews = pd.DataFrame({"interview_id": ["A", "B"], "pseudonym": ["R1", "R2"]})
    table = shown_quotes(quotes, interviews, {"selected": pd.Series(["a1", "b1"]), "evidence": pd.Series(["a1"])})
    assert table.to_dict("records") == [
        {"interview_id": "A", "pseudonym": "R1", "quote_id": "a1", "before": "", "text": "een", "after": "twee",
         "shown_in": "evidence, selected"},
        {"interview_id": "B", "pseudonym": "R2", "quote_id": "b1", "before": "", "text": "vier", "after": "",
         "shown_in": "selected"}]


def test_each_interviewee_gets_only_their_own_quotes(mini, tmp_path):
    _, data = mini
    table = data.table("quote_check")
    written = write_quote_checks(table, tmp_path / "wederhoor", lang="nl", study_title="Mini")
    assert sorted(written) == sorted(f"{p}.docx" for p in table["pseudonym"].unique())
    for name in written:
        text = "\n".join(p.text for p in docx.Document(str(tmp_path / "wederhoor" / name)).paragraphs)
        own = table[table["pseudonym"] == name.removesuffix(".docx")]
        others = table[table["pseudonym"] != name.removesuffix(".docx")]
        assert all(quote in text for quote in own["text"])
        assert not any(quote in text for quote in others["text"])
        assert "Citaten ter controle" in text and "uit hun verband" in text


def test_a_pseudonym_never_becomes_a_path(tmp_path):
    table = pd.DataFrame({"interview_id": ["i1"], "pseudonym": ["../../etc/R1"], "quote_id": ["q"], "before": [""],
                          "text": ["tekst"], "after": [""], "shown_in": ["selected"]})
    assert write_quote_checks(table, tmp_path / "w", lang="en", study_title="S") == ["etcR1.docx"]
    assert [p.name for p in (tmp_path / "w").iterdir()] == ["etcR1.docx"]


def test_every_interview_gets_its_own_file_whatever_the_pseudonyms(tmp_path):
    table = pd.DataFrame({"interview_id": ["i1", "i2", "i3", "i4"], "pseudonym": ["X", "X i3", "X", "x"],
                          "quote_id": ["q1", "q2", "q3", "q4"], "before": "", "text": ["een", "twee", "drie", "vier"],
                          "after": "", "shown_in": "selected"})
    written = write_quote_checks(table, tmp_path, lang="nl", study_title="S")
    assert len({name.casefold() for name in written}) == 4  # no file written over, also where case does not count
    texts = {name: "\n".join(p.text for p in docx.Document(str(tmp_path / name)).paragraphs) for name in written}
    assert sorted(word for text in texts.values() for word in ("een", "twee", "drie", "vier") if word in text.split("\n")) \
        == ["drie", "een", "twee", "vier"]
