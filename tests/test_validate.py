"""Every bad-input case: the exact FILE:ROW: COLUMN in the message, and exit code 1 from the CLI."""

import re

import pytest

from coopresearch.cli import main
from coopresearch.codebook import packaged_codebook_text
from coopresearch.errors import DataError
from coopresearch.study import load_study

RAW = "data/raw"


def problems(study, capsys) -> list[str]:
    """Run `coopresearch validate` and return its problem lines; it must exit 1."""
    code = main(["validate", str(study)])
    captured = capsys.readouterr()
    assert code == 1, captured
    assert "Traceback" not in captured.err
    return [line for line in captured.err.splitlines() if not line.endswith("nothing was run.")]


def edit(study, name: str, old: str, new: str) -> None:
    path = study / RAW / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_study_passes(mini_study, capsys):
    assert main(["validate", str(mini_study)]) == 0
    assert "valid — 4 interviews, 6 quotes, 4 themes" in capsys.readouterr().out


def test_missing_file(mini_study, capsys):
    (mini_study / RAW / "meetings.csv").unlink()
    [line] = problems(mini_study, capsys)
    assert line.startswith("data/raw/meetings.csv:-: -: file is missing — create it with the header line meeting_id,name,actor")


def test_empty_file(mini_study, capsys):
    (mini_study / RAW / "processes.csv").write_bytes(b"")
    lines = problems(mini_study, capsys)
    assert "data/raw/processes.csv:1: -: file is empty — write the header line: process_id,name,category" in lines


def test_missing_required_column(mini_study, capsys):
    edit(mini_study, "interviews.csv", "organisation,party", "organisation,side")
    [line] = problems(mini_study, capsys)
    assert line.startswith("data/raw/interviews.csv:1: party: required column is missing — add a column 'party'")


def test_duplicate_id(mini_study, capsys):
    edit(mini_study, "quotes.csv", "Q3,I2", "Q2,I2")
    lines = problems(mini_study, capsys)
    assert any(line.startswith("data/raw/quotes.csv:4: quote_id: duplicate row (quote_id='Q2'") for line in lines)


def test_duplicate_participant_of_meeting(mini_study, capsys):
    path = mini_study / RAW / "meetings.csv"
    path.write_text(path.read_text(encoding="utf-8") + "M1,Beleidsoverleg,Beleidsadviseur wonen,P1\n", encoding="utf-8")
    [line] = problems(mini_study, capsys)
    assert line.startswith("data/raw/meetings.csv:7: meeting_id+actor: duplicate row")


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("quotes.csv", "Q4,I3", "Q4,I99",
     "data/raw/quotes.csv:5: interview_id: 'I99' is not in interviews.csv — add the interview or correct the id"),
    ("quotes.csv", "regie heeft.,P3", "regie heeft.,P77",
     "data/raw/quotes.csv:5: process_id: 'P77' is not in processes.csv — add the process or correct the id"),
    ("relations.csv", "P3,Team GBA", "P9,Team GBA",
     "data/raw/relations.csv:7: process_id: 'P9' is not in processes.csv — add the process or correct the id"),
    ("codings.csv", "Q4,b,mandate", "Q4,b,mandaat",
     "data/raw/codings.csv:9: theme: 'mandaat' is not a theme of the codebook — use mandate (Mandaat), transparency "
     "(Transparantie), ownership (Eigenaarschap), reliability (Betrouwbaarheid)"),
    ("codings.csv", "Q6,a,,", "Q66,a,,",
     "data/raw/codings.csv:13: quote_id: 'Q66' is not in quotes.csv — use Q6, or add the quote"),
    ("processes.csv", "P2,Projectontwikkeling,fysieke_keten", "P2,Projectontwikkeling,fysieke keten",
     "data/raw/processes.csv:3: category: 'fysieke keten' is not a process category — use fysieke_keten, "
     "bedrijfsproces, beleidsketen"),
    ("relations.csv", "P3,Team GBA,leverancier", "P3,Team GBA,supplier",
     "data/raw/relations.csv:7: role: 'supplier' is not a role — use one of: klant, leverancier, opdrachtgever, partner"),
    ("scan.csv", "Respondent 1,gemeente,relatie,6", "Respondent 1,gemeente,relation,6",
     "data/raw/scan.csv:3: field: 'relation' is not a field of the collaboration scan — use relatie, afstemming,"),
    ("scan.csv", "gemeente,doelen,4", "gemeente,doelen,11",
     "data/raw/scan.csv:7: score: '11' is not a score from 1 to 10 — enter a whole number from 1 (low) to 10 (high)"),
    ("scan.csv", "corporatie,vertrouwen,5", "corporatie,vertrouwen,0",
     "data/raw/scan.csv:9: score: '0' is not a score from 1 to 10"),
    ("scan.csv", "corporatie,relatie,5", "corporatie,relatie,vijf",
     "data/raw/scan.csv:10: score: 'vijf' is not a score from 1 to 10"),
    ("interviews.csv", "Corporatie Test,corporatie", "Corporatie Test,woningcorporatie",
     "data/raw/interviews.csv:5: party: 'woningcorporatie' is not a party of study.yml — use corporatie (Corporatie), "
     "gemeente (Gemeente)"),
    ("codings.csv", "Q1,a,transparency,negative", "Q1,a,transparency,negatief",
     "data/raw/codings.csv:2: valence: 'negatief' is not a valence — use negative, neutral, positive"),
    ("codings.csv", "Q1,a,transparency,negative", "Q1,a,transparency,bad",
     "data/raw/codings.csv:2: valence: 'bad' is not a valence — use one of: negative, neutral, positive"),
    ("interviews.csv", "I2,Respondent 2,Gemeente Test", "I2,Respondent 2,",
     "data/raw/interviews.csv:3: organisation: is empty — fill in the organisation"),
])
def test_bad_value_is_located(mini_study, capsys, file, old, new, expected):
    edit(mini_study, file, old, new)
    lines = problems(mini_study, capsys)
    assert any(line.startswith(expected) for line in lines), lines


def test_row_numbers_count_lines_of_multiline_quotes(mini_study, capsys):
    # a quoted text spanning two lines shifts every later record by one line
    edit(mini_study, "quotes.csv", '"We horen pas achteraf', '"We horen\npas achteraf')
    edit(mini_study, "quotes.csv", "Q4,I3", "Q4,I99")
    [line] = problems(mini_study, capsys)
    assert line.startswith("data/raw/quotes.csv:6: interview_id: 'I99'")


def test_ragged_row(mini_study, capsys):
    edit(mini_study, "quotes.csv", "Q2,I1,Wie er aan tafel zit kan vaak niet beslissen.,",
         "Q2,I1,Wie er aan tafel zit, kan vaak niet beslissen.,")
    lines = problems(mini_study, capsys)
    assert "data/raw/quotes.csv:3: -: row has 5 values but the header has 4 — put text that contains commas " \
           "between double quotes, or add the missing values" in lines


def test_text_that_is_not_utf8(mini_study, capsys):
    path = mini_study / RAW / "quotes.csv"
    path.write_bytes(path.read_bytes().replace(b"Het weer", "Het caf\xe9 weer".encode("latin-1")))
    [line] = problems(mini_study, capsys)
    assert re.match(r"data/raw/quotes\.csv:7: -: text is not UTF-8 \(byte 0xe9 at character 14\) — "
                    r"re-save the file as UTF-8", line), line


def test_byte_order_mark_is_accepted(mini_study):
    path = mini_study / RAW / "interviews.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_study(mini_study).interviews.columns[0] == "interview_id"


def test_malformed_study_yml(mini_study, capsys):
    (mini_study / "study.yml").write_text("title: x\nparties:\n  gemeente: {nl: Gemeente, en: [\n", encoding="utf-8")
    [line] = problems(mini_study, capsys)
    assert line.startswith("study.yml:4: -: not valid YAML")


def test_study_yml_with_wrong_values(mini_study, capsys):
    text = (mini_study / "study.yml").read_text(encoding="utf-8")
    text = text.replace("language: nl", "language: fr").replace("min_group_size: 3", "min_group_size: three")
    (mini_study / "study.yml").write_text(text, encoding="utf-8")
    lines = problems(mini_study, capsys)
    assert [line.split(" — ")[0] for line in lines] == [
        "study.yml:5: language: 'fr' is not a report language",
        "study.yml:6: min_group_size: 'three' is not a whole number of at least 1",
    ]


def test_missing_study_yml(tmp_path, capsys):
    [line] = problems(tmp_path, capsys)
    assert line.startswith("study.yml:-: -: no study.yml in ")
    assert "coopresearch init" in line


def own_codebook(study, text: str) -> None:
    """Give the study its own codebook.yml instead of the packaged default."""
    (study / "codebook.yml").write_text(text, encoding="utf-8")
    config = study / "study.yml"
    config.write_text(re.sub(r"(?m)^codebook: .*$", "codebook: codebook.yml", config.read_text(encoding="utf-8")),
                      encoding="utf-8")


def test_malformed_codebook(mini_study, capsys):
    own_codebook(mini_study, packaged_codebook_text().replace("- id: mandate", "- id: Mandate!"))
    lines = problems(mini_study, capsys)
    assert any(line.startswith("codebook.yml:") and ": themes[1].id: theme id 'Mandate!' is missing or not a simple name"
               in line for line in lines), lines


def test_codebook_that_is_not_yaml(mini_study, capsys):
    own_codebook(mini_study, "themes:\n  - id: a\n   label: x\n")
    [line] = problems(mini_study, capsys)
    assert line.startswith("codebook.yml:3: -: not valid YAML")


def test_all_problems_are_reported_at_once(mini_study):
    edit(mini_study, "quotes.csv", "Q4,I3", "Q4,I99")
    edit(mini_study, "scan.csv", "gemeente,doelen,4", "gemeente,doelen,11")
    with pytest.raises(DataError) as caught:
        load_study(mini_study)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        ("data/raw/quotes.csv", 5, "interview_id"), ("data/raw/scan.csv", 7, "score")]


def test_header_only_tables_are_valid_but_interviews_are_required(mini_study, capsys):
    for name in ("scan.csv", "meetings.csv", "codings.csv"):
        path = mini_study / RAW / name
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert main(["validate", str(mini_study)]) == 0
    path = mini_study / RAW / "interviews.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    lines = problems(mini_study, capsys)
    assert "data/raw/interviews.csv:2: -: the table has no rows — add at least one interview" in lines


def test_a_yaml_alias_bomb_is_refused_in_one_line(mini_study, capsys):
    # ten levels of nine aliases each expand to 9**10 values when walked naively (past 8 GB)
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 11)]
    config = mini_study / "study.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n".join(levels) + "\n", encoding="utf-8")
    lines = config.read_text(encoding="utf-8").splitlines()
    assert main(["validate", str(mini_study)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"study.yml:{len(lines) - 9}: -: anchors and aliases (& and *) are not allowed — "
                      "write the values out in full")
    assert len(err) == 2


def test_an_unknown_setting_names_the_nearest_known_one(mini_study, capsys):
    config = mini_study / "study.yml"
    config.write_text(config.read_text(encoding="utf-8") + "min_groep_size: 5\n", encoding="utf-8")
    [line] = problems(mini_study, capsys)
    assert line.endswith("min_groep_size: is not a setting of study.yml — did you mean 'min_group_size'?")


def test_an_unclosed_quote_or_a_huge_value_is_one_line(mini_study, capsys):
    quotes = mini_study / "data/raw/quotes.csv"
    quotes.write_text(quotes.read_text(encoding="utf-8") + 'Q99,I1,"' + "x" * 140_000 + "\n", encoding="utf-8")
    lines = problems(mini_study, capsys)
    assert any(line.startswith("data/raw/quotes.csv:") and "a value is longer than 131,072 characters — close the "
               "double quote" in line for line in lines), lines


def test_a_settings_file_too_large_to_be_one_is_one_line_and_not_read(mini_study, capsys):
    with (mini_study / "study.yml").open("a", encoding="utf-8") as config:
        config.write("# " + "x" * 11_000_000 + "\n")
    [line] = problems(mini_study, capsys)
    assert line == ("study.yml:-: -: the file is larger than 10 MB, more than any settings or codebook need — "
                    "check that it is the right file")
