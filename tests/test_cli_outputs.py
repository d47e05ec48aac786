"""Outputs never overwrite inputs, and files meant for a spreadsheet start no formula."""

import pandas as pd
import pytest

from coopresearch.cli import main


@pytest.mark.parametrize(("command", "expected"), [
    (["train", "{study}", "--folds", "0", "--model", "{study}/data/raw/quotes.csv"], "data/raw holds the study's inputs"),
    (["train", "{study}", "--folds", "0", "--model", "{study}/study.yml"], "that is an input of the study"),
    (["export-qdpx", "{study}", "--out", "{study}/data/raw/interviews.qdpx"], "data/raw holds the study's inputs"),
    (["export-qdpx", "{study}", "--out", "{study}/x.qdpx", "--codebook-out", "{study}/study.yml"],
     "that is an input of the study"),
    (["export-qdpx", "{study}", "--out", "{study}/x.csv"], "the output must be a .qdpx file"),
    (["code", "{study}", "--out", "{study}/study.yml"], "that is an input of the study"),
    (["code", "{study}", "--input", "{study}/q.csv", "--out", "{study}/q.csv"], "that is an input of the study"),
])
def test_no_output_overwrites_an_input(mini_study, capsys, command, expected):
    (mini_study / "q.csv").write_text("quote_id,text\nq1,Wie beslist?\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in mini_study.rglob("*") if p.is_file()}
    assert main([part.format(study=mini_study) for part in command]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and expected in line
    assert {p: p.read_bytes() for p in mini_study.rglob("*") if p.is_file() and p.name != ".coopresearch.lock"} == before


def test_a_coded_file_for_a_spreadsheet_starts_no_formula(tmp_path, capsys):
    quotes = tmp_path / "q.csv"
    quotes.write_text('quote_id,text\n=cmd|calc,"Wie beslist hier eigenlijk?"\n', encoding="utf-8")
    assert main(["code", str(tmp_path), "--input", str(quotes), "--out", str(tmp_path / "codes.csv")]) == 0
    table = pd.read_csv(tmp_path / "codes.csv", dtype=str)
    assert table["quote_id"].tolist() == ["'=cmd|calc"]
    assert main(["code", str(tmp_path), "--input", str(quotes)]) == 0
    assert "\n'=cmd|calc," in capsys.readouterr().out
