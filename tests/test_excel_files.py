"""Raw tables as Excel saves them: semicolon CSV with BOM and CRLF, .xlsx workbooks; suggestions for unknown ids; ISO dates."""

import csv
import datetime
import io

import pandas as pd
import pytest
from openpyxl import Workbook

from coopresearch.errors import DataError
from coopresearch.study import MAX_XLSX_ROWS, init_study, load_study

from .conftest import coopresearch
from .test_validate import RAW, problems


def rows(study, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((study / RAW / f"{name}.csv").read_text(encoding="utf-8"))))


def as_excel_csv(study, name: str) -> None:
    """Re-save a raw table as Dutch Excel's 'CSV UTF-8': byte order mark, semicolons, CRLF."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows(study, name))
    (study / RAW / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def as_workbook(study, name: str, *, sheet: str | None = None, typed: bool = True, extra_sheet: bool = False) -> None:
    """Replace a raw CSV table by an .xlsx filled through openpyxl; numbers and ISO dates typed as Excel would type them."""
    workbook = Workbook()
    if extra_sheet:  # a sheet before the table's own
        workbook.active.title = "Toelichting"
        workbook.active["A1"] = "Zie het blad met de tabel"
        worksheet = workbook.create_sheet(sheet or name)
    else:
        worksheet = workbook.active
        worksheet.title = sheet or "Blad1"
    for values in rows(study, name):
        typed_values = []
        for value in values:
            if typed and value.isdigit():
                value = int(value)
            elif typed and len(value) == 10 and value[4] == "-" and value[7] == "-":
                value = datetime.datetime.fromisoformat(value)
            typed_values.append(value if value != "" else None)
        worksheet.append(typed_values)
    workbook.save(study / RAW / f"{name}.xlsx")
    (study / RAW / f"{name}.csv").unlink()


# --- CSV as Excel saves it -------------------------------------------------------------

def test_a_semicolon_csv_with_bom_and_crlf_reads_like_the_comma_version(mini_study):
    before = load_study(mini_study).tables
    for name in ("interviews", "quotes", "codings", "processes", "relations", "meetings", "scan"):
        as_excel_csv(mini_study, name)
    assert (mini_study / RAW / "quotes.csv").read_bytes().startswith(b"\xef\xbb\xbfquote_id;interview_id;text;process_id\r\n")
    after = load_study(mini_study).tables
    for name, table in before.items():
        pd.testing.assert_frame_equal(after[name], table)


def test_a_semicolon_csv_keeps_its_line_numbers_and_says_semicolons(mini_study, capsys):
    as_excel_csv(mini_study, "quotes")
    path = mini_study / RAW / "quotes.csv"
    text = path.read_bytes().decode("utf-8-sig").replace("Q4;I3;", "Q4;I99;").replace(
        "Q2;I1;Wie er aan tafel zit kan vaak niet beslissen.;", "Q2;I1;Wie er aan tafel zit; kan vaak niet beslissen.;")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    lines = problems(mini_study, capsys)
    assert "data/raw/quotes.csv:3: -: row has 5 values but the header has 4 — put text that contains semicolons " \
           "between double quotes, or add the missing values" in lines
    assert any(line.startswith("data/raw/quotes.csv:5: interview_id: 'I99' is not in interviews.csv") for line in lines)


def test_an_old_excel_csv_in_cp1252_says_how_to_save_utf8(mini_study, capsys):
    path = mini_study / RAW / "interviews.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace(",", ";").replace("Gebiedsdienst", "Gebiedsdiënst")
                     .replace("\n", "\r\n").encode("cp1252"))
    [line] = problems(mini_study, capsys)
    assert line.startswith("data/raw/interviews.csv:3: -: text is not UTF-8 (byte 0xeb at character")
    assert line.endswith("re-save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8')")


# --- workbooks ---------------------------------------------------------------------------

def test_a_workbook_with_typed_numbers_and_dates_reads_like_the_csv(mini_study):
    before = load_study(mini_study).tables
    as_workbook(mini_study, "interviews")  # dates typed as dates
    as_workbook(mini_study, "scan", sheet="scan", extra_sheet=True)  # scores typed as numbers, on the sheet named 'scan'
    as_workbook(mini_study, "quotes", typed=False)
    after = load_study(mini_study).tables
    for name, table in before.items():
        pd.testing.assert_frame_equal(after[name], table)
    assert after["interviews"]["date"].iloc[0] == "2009-10-01"


def test_the_cli_validates_a_study_with_a_workbook(mini_study):
    as_workbook(mini_study, "codings")
    result = coopresearch("validate", mini_study)
    assert result.returncode == 0, result.stderr
    assert "valid — 4 interviews, 6 quotes, 4 themes" in result.stdout


def test_a_bad_value_in_a_workbook_names_its_sheet_and_cell(mini_study, capsys):
    as_workbook(mini_study, "interviews")
    as_workbook(mini_study, "scan", sheet="scan", extra_sheet=True)
    from openpyxl import load_workbook

    path = mini_study / RAW / "interviews.xlsx"
    workbook = load_workbook(path)
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == ["interview_id", "pseudonym", "organisation", "party", "role",
                                                  "department", "date"]
    sheet["D4"] = "Zorg"  # party
    sheet["G5"] = "02-03-2027"  # date, as text
    sheet["A3"] = "I1"  # a duplicate id
    workbook.save(path)
    path = mini_study / RAW / "scan.xlsx"
    workbook = load_workbook(path)
    workbook["scan"]["E3"] = 11
    workbook.save(path)
    lines = problems(mini_study, capsys)
    assert lines[:3] == [
        "data/raw/interviews.xlsx:Blad1!A3: interview_id: duplicate row (interview_id='I1' appears earlier in the file) "
        "— remove the duplicate row or give it its own id",
        "data/raw/interviews.xlsx:Blad1!D4: party: 'Zorg' is not a party of study.yml — use one of: gemeente (Gemeente), "
        "corporatie (Corporatie)",
        "data/raw/interviews.xlsx:Blad1!G5: date: '02-03-2027' is not a date in the form YYYY-MM-DD — write 2027-03-02",
    ]
    assert "data/raw/scan.xlsx:scan!E3: score: '11' is not a score from 1 to 10 — enter a whole number from 1 (low) " \
           "to 10 (high)" in lines


def test_workbook_rows_and_header_problems_name_the_row(mini_study, capsys):
    as_workbook(mini_study, "processes")
    from openpyxl import load_workbook

    path = mini_study / RAW / "processes.xlsx"
    workbook = load_workbook(path)
    workbook.active["C1"] = "soort"  # the category column renamed
    workbook.active["F3"] = "note"  # a value right of the header
    workbook.save(path)
    lines = problems(mini_study, capsys)
    assert "data/raw/processes.xlsx:Blad1!1:1: category: required column is missing — add a column 'category' to the " \
           "header: process_id,name,category" in lines
    assert "data/raw/processes.xlsx:Blad1!F3: -: a value right of the last column of the header — give its column " \
           "a name in row 1, or remove the value" in lines


def test_both_csv_and_xlsx_of_a_table_is_one_clear_line(mini_study, capsys):
    as_workbook(mini_study, "meetings")
    (mini_study / RAW / "meetings.csv").write_text("meeting_id,name,actor\n", encoding="utf-8")
    [line] = problems(mini_study, capsys)
    assert line == "data/raw/meetings.csv:-: -: both data/raw/meetings.csv and data/raw/meetings.xlsx exist — keep " \
                   "the one that holds the data and move the other out of data/raw"


@pytest.mark.parametrize(("content", "expected"), [
    (b"PK\x03\x04 not really a zip", "data/raw/processes.xlsx:-: -: not an Excel workbook (.xlsx) — save it again"),
    (b"", "data/raw/processes.xlsx:-: -: not an Excel workbook (.xlsx) — save it again"),
])
def test_a_file_that_is_no_workbook_is_one_line(mini_study, capsys, content, expected):
    (mini_study / RAW / "processes.csv").unlink()
    (mini_study / RAW / "processes.xlsx").write_bytes(content)
    lines = problems(mini_study, capsys)
    assert any(line.startswith(expected) for line in lines), lines


def test_an_empty_sheet_and_an_xls_file_are_one_line_each(mini_study, capsys):
    (mini_study / RAW / "processes.csv").unlink()
    Workbook().save(mini_study / RAW / "processes.xlsx")
    (mini_study / RAW / "meetings.csv").rename(mini_study / RAW / "meetings.xls")
    lines = problems(mini_study, capsys)
    assert "data/raw/processes.xlsx:Sheet!1:1: -: the sheet is empty — write the header in row 1: process_id, name, " \
           "category" in lines
    assert "data/raw/meetings.csv:-: -: file is missing (data/raw/meetings.xls is in a format that is not read) — " \
           "save it as meetings.xlsx (Excel Workbook) or meetings.csv ('CSV UTF-8')" in lines


def test_a_sheet_too_long_for_a_table_is_refused_in_one_line(mini_study, capsys, monkeypatch):
    monkeypatch.setattr("coopresearch.study.MAX_XLSX_ROWS", 5)
    as_workbook(mini_study, "quotes")  # header and six quotes: seven rows
    [line] = problems(mini_study, capsys)
    assert line.startswith("data/raw/quotes.xlsx:Blad1!6:6: -: the sheet has more than 5 rows")
    assert MAX_XLSX_ROWS == 200_000


@pytest.mark.parametrize(("limit", "expected"), [
    ("MAX_XLSX_BYTES", "data/raw/quotes.xlsx:-: -: the workbook is larger than 0 MB, more than a study's table needs"),
    ("MAX_XLSX_UNPACKED", "data/raw/quotes.xlsx:-: -: the workbook unpacks to more than 0 MB"),
])
def test_a_workbook_too_large_is_not_opened(mini_study, capsys, monkeypatch, limit, expected):
    monkeypatch.setattr(f"coopresearch.study.{limit}", 1000)
    as_workbook(mini_study, "quotes")
    [line] = problems(mini_study, capsys)
    assert line.startswith(expected), line


def test_quotes_to_code_may_be_a_workbook_and_its_problems_name_cells(mini_study):
    from coopresearch.cli import _read_quotes

    as_workbook(mini_study, "quotes", sheet="quotes", typed=False)
    path = mini_study / RAW / "quotes.xlsx"
    assert _read_quotes(str(path))["quote_id"].tolist() == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook["quotes"]["A4"] = "Q2"
    workbook.save(path)
    with pytest.raises(DataError) as caught:
        _read_quotes(str(path))
    assert str(caught.value).startswith(f"{path}:quotes!A4: quote_id: duplicate row (quote_id='Q2'")


# --- suggestions and dates --------------------------------------------------------------

def edit(study, name: str, old: str, new: str) -> None:
    path = study / RAW / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("codings.csv", "Q4,b,mandate", "Q4,b,Transparantie",
     "data/raw/codings.csv:9: theme: 'Transparantie' is not a theme of the codebook — use transparency (Transparantie), "
     "mandate (Mandaat), ownership (Eigenaarschap), reliability (Betrouwbaarheid)"),
    ("codings.csv", "Q4,b,mandate", "Q4,b,Reliability",
     "data/raw/codings.csv:9: theme: 'Reliability' is not a theme of the codebook — use reliability (Betrouwbaarheid), "
     "transparency (Transparantie), mandate (Mandaat), ownership (Eigenaarschap)"),
    ("codings.csv", "Q4,b,mandate", "Q4,b,xyz",
     "data/raw/codings.csv:9: theme: 'xyz' is not a theme of the codebook — use one of: transparency (Transparantie), "
     "mandate (Mandaat), ownership (Eigenaarschap), reliability (Betrouwbaarheid), or leave it empty for a quote "
     "reviewed and left uncoded"),
    ("interviews.csv", "Corporatie Test,corporatie", "Corporatie Test,Gemeente",
     "data/raw/interviews.csv:5: party: 'Gemeente' is not a party of study.yml — use gemeente (Gemeente), "
     "corporatie (Corporatie)"),
    ("interviews.csv", "Corporatie Test,corporatie", "Corporatie Test,Housing corporation",
     "data/raw/interviews.csv:5: party: 'Housing corporation' is not a party of study.yml — use corporatie (Corporatie)"),
    ("quotes.csv", "Q4,I3", "Q4,i3",
     "data/raw/quotes.csv:5: interview_id: 'i3' is not in interviews.csv — use I3, or add the interview"),
    ("interviews.csv", "2009-10-02", "02-10-2009",
     "data/raw/interviews.csv:3: date: '02-10-2009' is not a date in the form YYYY-MM-DD — write 2009-10-02"),
    ("interviews.csv", "2009-10-02", "2009/10/2",
     "data/raw/interviews.csv:3: date: '2009/10/2' is not a date in the form YYYY-MM-DD — write 2009-10-02"),
    ("interviews.csv", "2009-10-02", "oktober 2009",
     "data/raw/interviews.csv:3: date: 'oktober 2009' is not a date in the form YYYY-MM-DD — write the date as "
     "YYYY-MM-DD (year-month-day), e.g. 2027-03-02 for 2 March 2027"),
    ("interviews.csv", "2009-10-02", "10/31/2009",
     "data/raw/interviews.csv:3: date: '10/31/2009' is not a date in the form YYYY-MM-DD — write the date as YYYY-MM-DD"),
    ("interviews.csv", "2009-10-02", "2009-02-30",
     "data/raw/interviews.csv:3: date: '2009-02-30' is not a day of the calendar — check the month and the day"),
])
def test_unknown_values_suggest_the_closest_and_dates_must_be_iso(mini_study, capsys, file, old, new, expected):
    edit(mini_study, file, old, new)
    lines = problems(mini_study, capsys)
    assert any(line.startswith(expected) for line in lines), lines


def test_a_party_in_another_case_is_suggested_in_its_own(mini_study):
    config = (mini_study / "study.yml").read_text(encoding="utf-8")
    (mini_study / "study.yml").write_text(config + "  zorg: {nl: Zorgaanbieder, en: Care provider}\n", encoding="utf-8")
    edit(mini_study, "interviews.csv", "Corporatie Test,corporatie", "Corporatie Test,Zorg")
    with pytest.raises(DataError) as caught:
        load_study(mini_study)
    [problem] = caught.value.problems
    assert problem.message == "'Zorg' is not a party of study.yml"
    assert problem.fix == "use zorg (Zorgaanbieder), gemeente (Gemeente), corporatie (Corporatie)"


# --- the study README --------------------------------------------------------------------

def test_the_study_readme_lists_columns_values_scan_fields_dates_and_examples(tmp_path):
    readme = (init_study(tmp_path / "nieuw") / "README.md").read_text(encoding="utf-8")
    for field in ("vertrouwen", "relatie", "communicatie", "informatie_uitwisseling", "afstemming", "doelen", "tegenspraak"):
        assert f"`{field}`" in readme
    assert "YYYY-MM-DD" in readme and "2027-03-02" in readme
    assert "semicolon" in readme and ".xlsx" in readme
    for name in ("interviews", "quotes", "codings", "processes", "relations", "meetings", "scan"):
        assert f"### data/raw/{name}.csv" in readme
    assert "`transparency` (Transparantie)" in readme and "`gemeente` (Gemeente)" in readme


def test_the_readme_example_rows_make_a_valid_study(tmp_path):
    # the example row of every table, copied from the README under its header, validates
    study = init_study(tmp_path / "voorbeeld")
    readme = (study / "README.md").read_text(encoding="utf-8")
    for name in ("interviews", "quotes", "codings", "processes", "relations", "meetings", "scan"):
        block = readme.split(f"### data/raw/{name}.csv", 1)[1].split("```csv\n", 1)[1].split("```", 1)[0]
        header, example = block.splitlines()
        assert (study / RAW / f"{name}.csv").read_text(encoding="utf-8") == header + "\n"
        (study / RAW / f"{name}.csv").write_text(f"{header}\n{example}\n", encoding="utf-8")
    assert load_study(study).interviews["date"].tolist() == ["2027-03-02"]


def test_a_cell_far_right_does_not_blow_up_memory(mini_study):
    """A 3,000-row sheet with a cell in column XFD on every row is read up to its table's columns, not as 16,384."""
    quotes = pd.read_csv(mini_study / "data/raw/quotes.csv", dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.title = "quotes"
    sheet.append(list(quotes.columns))
    for row in quotes.itertuples(index=False):
        sheet.append(list(row))
    for number in range(len(quotes) + 2, 3000):
        sheet.cell(number, 16384).value = "x"
    book.save(mini_study / "data/raw/quotes.xlsx")
    (mini_study / "data/raw/quotes.csv").unlink()
    assert len(load_study(mini_study).quotes) == len(quotes)


def test_control_characters_become_spaces_when_a_study_is_read(mini_study):
    path = mini_study / "data/raw/quotes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Wie er aan tafel zit", "Wie er\x0baan tafel\x01zit"),
                    encoding="utf-8")
    text = load_study(mini_study).quotes.set_index("quote_id").loc["Q2", "text"]
    assert text.startswith("Wie er aan tafel zit")  # Word's line break (a vertical tab) no longer breaks Word or Excel
