"""A blind coding round end to end through the command: sheets → coders fill in (openpyxl) → collect → reconcile → collect."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from tests.conftest import ROOT, coopresearch, copy_study

THEMES = ["Transparantie", "Mandaat", "Eigenaarschap", "Betrouwbaarheid"]


def only_coders(study, coders: set[str]) -> None:
    """Keep the codings of ``coders`` only (the mini study has coders a and b)."""
    path = study / "data/raw/codings.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table[table["coder"].isin(coders)].to_csv(path, index=False, lineterminator="\n")


def fill(path, marks: dict[str, dict[str, str]], sheet="Codering"):
    """Fill a sheet as a coder would: ``{quote_id: {header: value}}``."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    headers = {cell.value: cell.column for cell in ws[1]}
    rows = {ws.cell(row, 1).value: row for row in range(2, ws.max_row + 1)}
    for quote, values in marks.items():
        for header, value in values.items():
            ws.cell(rows[quote], headers[header]).value = value
    book.save(path)


def codings(study) -> pd.DataFrame:
    return pd.read_csv(study / "data/raw/codings.csv", dtype=str, keep_default_na=False)


def test_sheets_are_blind_locked_and_explain_the_codebook(mini_study):
    quotes = mini_study / "data/raw/quotes.csv"
    quotes.write_text(quotes.read_text(encoding="utf-8") + 'Q7,I1,"=HYPERLINK(""http://x"",""klik"")",\n', encoding="utf-8")
    result = coopresearch("sheets", mini_study, "--coders", "anna,bram")
    assert result.returncode == 0, result.stderr
    assert "anna: 7 quotes to code in" in result.stdout
    book = openpyxl.load_workbook(mini_study / "coding/anna.xlsx")
    assert book.sheetnames == ["Instructies", "Codering"]
    ws = book["Codering"]
    assert [c.value for c in ws[1]] == ["quote_id", "Citaat", *THEMES, "Waardering", "Notitie"]  # no suggestion: blind
    assert ws.protection.sheet and ws.freeze_panes == "C2"
    assert ws["A2"].protection.locked and ws["B2"].protection.locked
    assert not any(ws.cell(2, column).protection.locked for column in range(3, 9))
    assert ws["B2"].alignment.wrap_text
    assert any(v.formula1 == '"positief,negatief,neutraal"' and "G2" in str(v.sqref) for v in ws.data_validations.dataValidation)
    # a quote that looks like a formula stays text
    assert ws["B8"].value.startswith("=HYPERLINK") and ws["B8"].data_type == "s"
    instructions = "\n".join(str(c.value) for row in book["Instructies"].iter_rows() for c in row if c.value)
    assert "Tijdig informatie delen" in instructions and "Zet een x" in instructions
    assert "We lezen de plannen van de gemeente vaak pas in de krant." in instructions


def test_fill_collect_validate_and_collect_again(mini_study):
    only_coders(mini_study, set())
    assert coopresearch("sheets", mini_study, "--coders", "anna,bram").returncode == 0
    fill(mini_study / "coding/anna.xlsx", {"Q1": {"Transparantie": "x", "Waardering": "negatief"},
                                           "Q2": {"Mandaat": "JA", "Eigenaarschap": 1},
                                           "Q6": {"Notitie": "gaat over het weer"}})
    fill(mini_study / "coding/bram.xlsx", {"Q1": {"Transparantie": "yes", "Waardering": "negatief"},
                                           "Q2": {"Mandaat": True}, "Q6": {"Waardering": "neutraal"}})
    result = coopresearch("collect", mini_study)
    assert result.returncode == 0, result.stderr
    assert "coding/anna.xlsx: anna: 3 quotes added, 0 changed, 0 unchanged" in result.stdout
    table = codings(mini_study)
    assert table[table["coder"] == "anna"].values.tolist() == [
        ["Q1", "anna", "transparency", "negative"], ["Q2", "anna", "mandate", ""], ["Q2", "anna", "ownership", ""],
        ["Q6", "anna", "", ""]]  # only a note: reviewed, no theme
    assert ["Q6", "bram", "", "neutral"] in table.values.tolist()
    assert coopresearch("validate", mini_study).returncode == 0
    before = (mini_study / "data/raw/codings.csv").read_bytes()
    again = coopresearch("collect", mini_study)
    assert again.returncode == 0 and "Nothing new: data/raw/codings.csv is unchanged" in again.stdout
    assert (mini_study / "data/raw/codings.csv").read_bytes() == before


def test_a_bad_mark_is_named_by_file_sheet_and_cell_and_nothing_is_written(mini_study):
    assert coopresearch("sheets", mini_study, "--coders", "anna").returncode == 0
    fill(mini_study / "coding/anna.xlsx", {"Q1": {"Mandaat": "maybe"}, "Q2": {"Waardering": "boos"},
                                           "Q3": {"Transparantie": "x"}})
    before = (mini_study / "data/raw/codings.csv").read_bytes()
    result = coopresearch("collect", mini_study)
    assert result.returncode == 1
    assert "coding/anna.xlsx:Codering!D2: Mandaat: 'maybe' is not a mark — write x or leave the cell empty" in result.stderr
    assert "coding/anna.xlsx:Codering!G3: Waardering: 'boos' is not a valence" in result.stderr
    assert (mini_study / "data/raw/codings.csv").read_bytes() == before


def test_changing_a_coders_codes_needs_replace(mini_study):
    only_coders(mini_study, set())
    assert coopresearch("sheets", mini_study, "--coders", "anna").returncode == 0
    sheet = mini_study / "coding/anna.xlsx"
    fill(sheet, {"Q4": {"Eigenaarschap": "x"}})
    assert coopresearch("collect", mini_study).returncode == 0
    fill(sheet, {"Q4": {"Eigenaarschap": None, "Mandaat": "x"}})
    before = (mini_study / "data/raw/codings.csv").read_bytes()
    refused = coopresearch("collect", mini_study)
    assert refused.returncode == 1
    assert ("coding/anna.xlsx:Codering!A5: Q4: anna's codes in codings.csv are Eigenaarschap, the sheet has Mandaat — "
            "collect with --replace") in refused.stderr
    assert (mini_study / "data/raw/codings.csv").read_bytes() == before
    replaced = coopresearch("collect", mini_study, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "anna: Q4: replaced Eigenaarschap by Mandaat" in replaced.stdout
    assert codings(mini_study).values.tolist() == [["Q4", "anna", "mandate", ""]]


def test_reconcile_then_collect_records_the_consensus(mini_study):
    result = coopresearch("reconcile", mini_study)
    assert result.returncode == 0, result.stderr
    assert "2 disagreements between a, b to reconcile" in result.stdout
    path = mini_study / "coding/reconcile.xlsx"
    ws = openpyxl.load_workbook(path)["Codering"]
    assert [c.value for c in ws[1]] == ["quote_id", "Citaat", "Codes van a", "Codes van b", *THEMES, "Waardering", "Notitie"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=4)] == [
        ["Q4", "Het is niet duidelijk wie de regie heeft.", "Eigenaarschap (negatief)", "Mandaat (negatief)"],
        ["Q5", 'De gemeente zegt "ja" maar doet dan iets anders.', "Betrouwbaarheid (negatief)",
         "Betrouwbaarheid (negatief); Transparantie (negatief)"]]
    assert all(c.value is None for row in ws.iter_rows(min_row=2, min_col=5) for c in row)  # the consensus is empty
    fill(path, {"Q4": {"Mandaat": "x", "Waardering": "negatief"}, "Q5": {"Betrouwbaarheid": "x", "Transparantie": "x"}})
    collected = coopresearch("collect", mini_study)
    assert collected.returncode == 0, collected.stderr
    assert "coding/reconcile.xlsx: consensus: 2 quotes added" in collected.stdout
    consensus = codings(mini_study).query("coder == 'consensus'").values.tolist()
    assert consensus == [["Q4", "consensus", "mandate", "negative"], ["Q5", "consensus", "reliability", ""],
                         ["Q5", "consensus", "transparency", ""]]
    assert coopresearch("validate", mini_study).returncode == 0
    # settled: nothing is left to reconcile
    assert "nothing to reconcile" in coopresearch("reconcile", mini_study, "--overwrite").stdout


def test_a_review_sheet_offers_the_quotes_the_machine_is_unsure_of_first(tmp_path):
    from coopresearch.coding import review_queue
    from coopresearch.reliability import consensus_codes
    from coopresearch.study import load_study

    example = copy_study(ROOT, tmp_path / "example")
    study = load_study(example)
    # the model as the reports have it: taught by the study's human codes
    queue = list(dict.fromkeys(review_queue(study.quotes, study.codebook, lang="nl", human=consensus_codes(study.codings),
                                            reviewed=study.codings["quote_id"].unique())["quote_id"]))
    assert len(queue) > 10  # the example study has doubtful quotes
    result = coopresearch("sheets", example, "--coders", "cor", "--quotes", "review")
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(example / "coding/cor.xlsx")["Codering"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]] == queue


@pytest.mark.parametrize(("args", "prepare", "expected"), [
    (["sheets", "{study}", "--coders", "consensus"], None, "--coders: 'consensus' cannot be a coder's name"),
    (["sheets", "{study}", "--coders", "../x"], None, "--coders: '../x' cannot be a coder's name"),
    (["sheets", "{study}", "--coders", "anna"], "sheet", "coding/anna.xlsx: exists and may hold anna's codes"),
    (["collect", "{study}"], None, "no coding sheets (.xlsx)"),
    (["collect", "{study}"], "not-xlsx", "coding/anna.xlsx:-: -: not read: not an Office file (a zip archive)"),
    (["collect", "{study}"], "header", "coding/anna.xlsx:Codering!D1: Regie: is not a theme of the codebook"),
    (["collect", "{study}"], "unknown-quote", "coding/anna.xlsx:Codering!A2: quote_id: 'Q99' is not a quote of the study"),
    (["reconcile", "{study}"], "one-coder", "codings.csv holds the codes of 1 coder (a): a reconciliation needs two"),
])
def test_bad_input_is_one_line_and_changes_nothing(mini_study, args, prepare, expected):
    sheet = mini_study / "coding/anna.xlsx"
    if prepare in ("sheet", "header", "unknown-quote"):
        assert coopresearch("sheets", mini_study, "--coders", "anna").returncode == 0
    if prepare == "not-xlsx":
        sheet.parent.mkdir()
        sheet.write_text("quote_id,Mandaat\nQ1,x\n", encoding="utf-8")
    if prepare in ("header", "unknown-quote"):
        book = openpyxl.load_workbook(sheet)
        book["Codering"]["D1" if prepare == "header" else "A2"].value = "Regie" if prepare == "header" else "Q99"
        book["Codering"]["C2"].value = "x"
        book.save(sheet)
    if prepare == "one-coder":
        only_coders(mini_study, {"a"})
    before = {p: p.read_bytes() for p in mini_study.rglob("*") if p.is_file()}
    result = coopresearch(*(arg.format(study=mini_study) for arg in args))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert expected in result.stderr.splitlines()[0]
    assert {p: p.read_bytes() for p in mini_study.rglob("*") if p.is_file()} == before


def test_uncoded_quotes_suggestions_and_an_english_study(mini_study):
    config = mini_study / "study.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: nl", "language: en"), encoding="utf-8")
    quotes = mini_study / "data/raw/quotes.csv"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("Wie er aan tafel zit kan vaak niet beslissen.",
                                                                 "Who decides here? Nobody at the table has a mandate."),
                      encoding="utf-8")
    (mini_study / "data/raw/codings.csv").write_text("quote_id,coder,theme,valence\nQ1,anna,mandate,\n", encoding="utf-8")
    result = coopresearch("sheets", mini_study, "--coders", "anna", "--quotes", "uncoded", "--suggest")
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(mini_study / "coding/anna.xlsx")
    assert book.sheetnames == ["Instructions", "Coding"]
    ws = book["Coding"]
    assert [c.value for c in ws[1]][:4] == ["quote_id", "Quote", "Suggestion (machine)", "Transparency"]
    assert [c.value for c in ws["A"]][1:] == ["Q2", "Q3", "Q4", "Q5", "Q6"]  # Q1 anna coded already
    assert ws["C2"].value == "Mandate"
    assert any(v.formula1 == '"positive,negative,neutral"' for v in ws.data_validations.dataValidation)
    fill(mini_study / "coding/anna.xlsx", {"Q2": {"Mandate": "y", "Valence": "Negative"}}, sheet="Coding")
    assert coopresearch("collect", mini_study).returncode == 0
    assert codings(mini_study).values.tolist()[-1] == ["Q2", "anna", "mandate", "negative"]


def test_collect_keeps_a_codings_file_as_dutch_excel_saved_it(mini_study):
    codings = mini_study / "data/raw/codings.csv"
    lines = codings.read_text(encoding="utf-8").splitlines()
    codings.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(line.replace(",", ";") for line in lines).encode() + b"\r\n")
    mark_first_quote(mini_study, "cor")
    result = coopresearch("collect", mini_study)
    assert result.returncode == 0, result.stderr
    data = codings.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # semicolons, BOM and CRLF as Excel saved them
    assert data.decode("utf-8-sig").splitlines()[0] == "quote_id;coder;theme;valence"
    assert coopresearch("validate", mini_study).returncode == 0


def test_collect_refuses_to_write_beside_a_codings_workbook(mini_study):
    import pandas as pd

    codings = mini_study / "data/raw/codings.csv"
    pd.read_csv(codings, dtype=str).to_excel(mini_study / "data/raw/codings.xlsx", index=False, sheet_name="codings")
    codings.unlink()
    mark_first_quote(mini_study, "cor")
    result = coopresearch("collect", mini_study)
    assert result.returncode == 1
    assert "data/raw/codings.xlsx: this table is kept as an Excel workbook" in result.stderr
    assert not codings.exists()


def mark_first_quote(study, coder: str) -> None:
    """Write a sheet for ``coder`` and mark the first theme of the first quote, as a coder would."""
    assert coopresearch("sheets", study, "--coders", coder).returncode == 0
    path = study / f"coding/{coder}.xlsx"
    book = openpyxl.load_workbook(path)
    book["Codering"]["D2"].value = "x"
    book.save(path)
