"""Loading a study, writing derived tables, and scaffolding new studies."""

import math
import re

import pandas as pd
import pytest

from coopresearch.cli import main
from coopresearch.codebook import packaged_codebook_text
from coopresearch.errors import CoopResearchError
from coopresearch.study import init_study, input_files, load_study, packaged_notebooks, study_notebooks, write_tables


def test_load_study_gives_typed_tables(mini_study):
    study = load_study(mini_study)
    assert study.title == "Mini study for tests"
    assert (study.language, study.min_group_size) == ("nl", 3)
    assert study.codebook.theme_ids == ["transparency", "mandate", "ownership", "reliability"]
    assert len(study.interviews) == 4 and len(study.quotes) == 6
    assert study.scan["score"].dtype.kind == "i"
    # the quoted text keeps its comma and doubled quotes
    assert study.quotes.set_index("quote_id").at["Q5", "text"] == 'De gemeente zegt "ja" maar doet dan iets anders.'
    # empty cells are missing values: Q6 was reviewed and left uncoded
    assert study.codings[study.codings["quote_id"] == "Q6"]["theme"].isna().all()
    assert math.isnan(study.quotes.set_index("quote_id").at["Q2", "process_id"])
    assert study.party_labels("en") == {"gemeente": "Municipality", "corporatie": "Housing corporation"}


def test_optional_columns_are_added_when_absent(mini_study):
    path = mini_study / "data/raw/meetings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    meetings = load_study(mini_study).meetings
    assert "process_id" in meetings and meetings["process_id"].isna().all()


def test_extra_columns_are_kept(mini_study):
    path = mini_study / "data/raw/processes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(f"{line},{'note' if i == 0 else 'x'}" for i, line in enumerate(lines)) + "\n",
                    encoding="utf-8")
    assert load_study(mini_study).processes["note"].tolist() == ["x", "x", "x"]


def test_unknown_table_attribute_is_an_attribute_error(mini_study):
    with pytest.raises(AttributeError):
        load_study(mini_study).respondents  # noqa: B018


def test_input_files_are_the_settings_codebook_and_raw_tables(mini_study):
    assert "codebook.yml" not in [str(p) for p in input_files(mini_study)]  # the packaged default: no file
    init_study(mini_study / "own", adapt_codebook=True)
    assert [str(p) for p in input_files(mini_study / "own")][:2] == ["study.yml", "codebook.yml"]
    names = [str(p) for p in input_files(mini_study)]
    assert names[0] == "study.yml"
    assert names[1:] == sorted(f"data/raw/{n}.csv" for n in
                               ("codings", "interviews", "meetings", "processes", "quotes", "relations", "scan"))


def test_write_tables_is_byte_identical_on_rewrite(tmp_path):
    table = pd.DataFrame({"theme": ["b", "a"], "share": [1 / 3, 0.5]})
    [first] = write_tables({"t": table}, tmp_path / "one")
    [second] = write_tables({"t": table}, tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8").startswith("theme,share\nb,0.3333333333333333\n")


def test_init_creates_a_study_that_validates_once_filled(tmp_path, mini_study, capsys):
    new = tmp_path / "nieuwe-studie"
    assert main(["init", str(new), "--title", "Wijkaanpak 2027"]) == 0
    assert "Created study" in capsys.readouterr().out
    assert (new / "README.md").read_text(encoding="utf-8").startswith("# A coopresearch study")
    assert [p.name for p in study_notebooks(new)] == [p.name for p in packaged_notebooks()]
    assert len(packaged_notebooks()) == 4
    assert (new / "data/raw/quotes.csv").read_text(encoding="utf-8") == "quote_id,interview_id,text,process_id,language\n"
    # templates alone lack interviews and quotes; filled in, the study is valid
    assert main(["validate", str(new)]) == 1
    assert "data/raw/interviews.csv:2: -: the table has no rows" in capsys.readouterr().err
    for name in ("interviews", "quotes", "codings", "processes"):
        (new / f"data/raw/{name}.csv").write_bytes((mini_study / f"data/raw/{name}.csv").read_bytes())
    assert main(["validate", str(new)]) == 0
    assert load_study(new).title == "Wijkaanpak 2027"
    assert not (new / "codebook.yml").exists()  # the packaged default, by name
    assert load_study(new).config["codebook"] == "default"


def test_init_copies_the_default_codebook_only_to_adapt_it(tmp_path, capsys):
    assert main(["init", str(tmp_path / "eigen"), "--adapt-codebook"]) == 0
    study = tmp_path / "eigen"
    assert (study / "codebook.yml").read_text(encoding="utf-8") == packaged_codebook_text()
    assert re.search(r"(?m)^codebook: codebook.yml ", (study / "study.yml").read_text(encoding="utf-8"))


def test_an_unknown_packaged_codebook_is_named(mini_study, capsys):
    config = mini_study / "study.yml"
    config.write_text(re.sub(r"(?m)^codebook: .*$", "codebook: defualt", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert main(["validate", str(mini_study)]) == 1
    assert "no packaged codebook of that name — use one of: default, scan_fields" in capsys.readouterr().err


def test_init_refuses_a_folder_with_files(mini_study):
    before = {p: p.read_bytes() for p in mini_study.rglob("*") if p.is_file()}
    with pytest.raises(CoopResearchError, match="exists and is not empty"):
        init_study(mini_study)
    assert before == {p: p.read_bytes() for p in mini_study.rglob("*") if p.is_file()}


def test_a_codebook_outside_the_study_is_recorded_relative_to_it(mini_study, tmp_path):
    shared = tmp_path / "shared" / "codebook.yml"
    shared.parent.mkdir()
    shared.write_text(packaged_codebook_text(), encoding="utf-8")
    config = mini_study / "study.yml"
    config.write_text(re.sub(r"(?m)^codebook: .*$", f"codebook: {shared}", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert load_study(mini_study).codebook.theme_ids[0] == "transparency"
    assert str(input_files(mini_study)[1]) == "../shared/codebook.yml"
