"""The report run: papermill execution, nbconvert rendering, manifest, staging and failure."""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from coopresearch.cli import main
from coopresearch.errors import CoopResearchError, DataError
from coopresearch.pipeline import render_html, run_report
from coopresearch.publishing import LOCK
from coopresearch.study import packaged_notebooks, study_notebooks

from .conftest import DATA, copy_study

pytestmark = pytest.mark.slow


def snapshot(folder):
    """Every file's hash, but the study's lock file (kept between runs, empty, ignored by git)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != LOCK}


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """The mini study after one report run, with a snapshot of its raw data from before."""
    study = copy_study(DATA / "mini", tmp_path_factory.mktemp("reported") / "mini")
    raw_before = snapshot(study / "data/raw")
    lines, cwd = [], os.getcwd()
    index = run_report(study, echo=lines.append)
    assert os.getcwd() == cwd, "the report run changed the working folder"
    return study, index, raw_before, lines


def test_report_writes_index_pages_and_manifest(reported):
    study, index, _, lines = reported
    assert index == study / "reports/index.html"
    names = sorted(p.name for p in (study / "reports").iterdir())
    stems = [p.stem for p in packaged_notebooks()]
    assert names == sorted(["index.html", "manifest.json", "report.docx", "report.html", "report.pdf", "tables.xlsx",
                            "wederhoor"] + [f"{s}.html" for s in stems] + [f"{s}.ipynb" for s in stems])
    assert sorted(p.name for p in (study / "reports/wederhoor").iterdir()) == ["Respondent 1.docx", "Respondent 2.docx",
                                                                              "Respondent 3.docx", "Respondent 4.docx"]
    page = index.read_text(encoding="utf-8")
    for stem in stems:
        assert f'href="{stem}.html"' in page
    assert "<title>Mini study for tests</title>" in page
    assert lines[0].startswith("Validating") and lines[-1].startswith("Reports written to")
    assert sum("rendered" in line for line in lines) == 4


def test_pages_show_results_in_the_report_language_without_code(reported):
    study, *_ = reported
    page = (study / "reports/01_thematic_analysis.html").read_text(encoding="utf-8")
    assert "<title>Thematische analyse — Mini study for tests</title>" in page
    assert "<h2 id=\"Interviews-en-citaten\">" in page and "Interviews and quotes" not in page
    assert "load_study(study_dir)" not in page  # code cells are hidden
    assert re.search(r'<img [^>]*src="data:image/png;base64,', page)  # the figure is embedded
    assert "Partij" in page  # table headers in Dutch


def test_raw_data_is_untouched_and_processed_tables_are_written(reported):
    study, _, raw_before, _ = reported
    assert snapshot(study / "data/raw") == raw_before
    processed = sorted(p.name for p in (study / "data/processed").iterdir())
    assert "interviews_by_party.csv" in processed
    assert not list(study.glob(".coopresearch-*")), "the staging folder was not removed"


def test_manifest_records_inputs_parameters_and_versions(reported):
    study, *_ = reported
    manifest = json.loads((study / "reports/manifest.json").read_text(encoding="utf-8"))
    raw = study / "data/raw/quotes.csv"
    assert manifest["inputs"]["data/raw/quotes.csv"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert "study.yml" in manifest["inputs"] and manifest["codebook"]["file"] == "default"
    assert manifest["parameters"] == {"lang": "nl", "study_dir": "."}
    assert manifest["codebook"]["themes"] == ["transparency", "mandate", "ownership", "reliability"]
    assert {"pandas", "papermill", "nbconvert", "python", "coopresearch"} <= set(manifest["packages"])
    assert sorted(manifest["notebooks"]) == [p.name for p in packaged_notebooks()]
    assert manifest["started"] <= manifest["finished"]


def test_failed_run_leaves_previous_reports_intact(tmp_path, capsys):
    study = copy_study(DATA / "mini", tmp_path / "mini")
    (study / "reports").mkdir()
    (study / "reports/index.html").write_text("previous report")
    (study / "data/processed").mkdir()
    (study / "data/processed/interviews_by_party.csv").write_text("previous table")
    own_notebooks(study)
    before = snapshot(study)
    for notebook in packaged_notebooks():
        shutil.copyfile(notebook, study / "notebooks" / notebook.name)
    broken = nbformat.read(study / "notebooks/01_thematic_analysis.ipynb", as_version=4)
    broken.cells.append(new_code_cell("raise ValueError('kapot')"))
    nbformat.write(broken, study / "notebooks/05_broken.ipynb")

    assert main(["report", str(study)]) == 1
    err = capsys.readouterr().err
    assert "error: notebook 05_broken.ipynb failed in cell" in err and "ValueError: kapot" in err
    assert "Traceback" not in err
    after = snapshot(study)
    assert {k: v for k, v in after.items() if not k.startswith("notebooks/")} == before
    assert not list(study.glob(".coopresearch-*"))


def test_invalid_study_is_not_run(mini_study, capsys):
    path = mini_study / "data/raw/quotes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Q4,I3", "Q4,I99"), encoding="utf-8")
    with pytest.raises(DataError):
        run_report(mini_study, echo=lambda line: None)
    assert main(["report", str(mini_study)]) == 1
    assert "data/raw/quotes.csv:5: interview_id: 'I99' is not in interviews.csv" in capsys.readouterr().err
    assert not (mini_study / "reports").exists() and not (mini_study / "data/processed").exists()


def own_notebooks(study) -> None:
    """The study runs its own notebooks/ ('notebooks: own' in study.yml)."""
    (study / "notebooks").mkdir()
    with (study / "study.yml").open("a", encoding="utf-8") as config:
        config.write("notebooks: own\n")


def test_a_study_runs_the_packaged_notebooks_unless_it_says_own(mini_study):
    (mini_study / "notebooks").mkdir()
    marker = mini_study / "ran"
    nbformat.write(new_notebook(cells=[new_code_cell(f"open({str(marker)!r}, 'w').close()")]),
                   mini_study / "notebooks/01_thematic_analysis.ipynb")
    assert [nb.parent for nb in study_notebooks(mini_study)] == [packaged_notebooks()[0].parent] * 4
    with (mini_study / "study.yml").open("a", encoding="utf-8") as config:
        config.write("notebooks: own\n")
    assert study_notebooks(mini_study) == [mini_study / "notebooks/01_thematic_analysis.ipynb"]
    assert not marker.exists()


def test_notebook_without_parameters_is_refused(mini_study):
    own_notebooks(mini_study)
    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), mini_study / "notebooks/01_bare.ipynb")
    with pytest.raises(CoopResearchError,
                       match=r"01_bare\.ipynb: the cell tagged 'parameters' does not define lang, processed_dir, study_dir"):
        run_report(mini_study, echo=lambda line: None)


def test_render_html_keeps_one_language_and_drops_warnings():
    cells = [
        new_markdown_cell("# Titel\nNederlandse tekst", metadata={"tags": ["nl"]}),
        new_markdown_cell("# Title\nEnglish text", metadata={"tags": ["en"]}),
        new_code_cell("secret_code()", outputs=[new_output("stream", name="stderr", text="a warning"),
                                                new_output("stream", name="stdout", text="a result")]),
        new_markdown_cell("<script>alert(1)</script> shared"),
    ]
    title, page = render_html(new_notebook(cells=cells), lang="en", study_title="S")
    assert title == "Title"
    assert "English text" in page and "Nederlandse tekst" not in page
    assert "a result" in page and "a warning" not in page and "secret_code" not in page
    assert "<title>Title — S</title>" in page


def test_reports_without_data_are_skipped_with_a_note(mini_study):
    for name in ("processes", "relations", "meetings", "scan"):
        path = mini_study / f"data/raw/{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    quotes = mini_study / "data/raw/quotes.csv"
    quotes.write_text(re.sub(r",P\d$", ",", quotes.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    lines = []
    index = run_report(mini_study, echo=lines.append)
    assert "04_collaboration_scan: skipped, no rows in data/raw/scan.csv" in lines
    page = index.read_text(encoding="utf-8")
    assert "Samenwerkingsscan <small>— niet gemaakt: geen gegevens in data/raw/scan.csv</small>" in page
    assert sorted(p.name for p in (mini_study / "reports").glob("*.html")) == [
        "01_thematic_analysis.html", "03_intercoder_reliability.html", "index.html", "report.html"]
    document = (mini_study / "reports/report.html").read_text(encoding="utf-8")
    assert "Dit onderdeel is niet gemaakt: geen gegevens in data/raw/scan.csv." in document


def test_an_unexpected_error_is_one_line_and_a_log(mini_study, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("coopresearch.pipeline.run_report", broken)
    assert main(["report", str(mini_study)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unexpected ZeroDivisionError: division by zero — this is a bug in coopresearch")
    assert "Traceback" not in err
    log = Path(re.search(r"details in (\S+\.log)", err).group(1))
    assert log.name.startswith("coopresearch-error-") and oct(log.stat().st_mode & 0o777) == "0o600"
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    log.unlink()


def test_a_full_disk_is_one_line(mini_study, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(mini_study / "reports/index.html"))

    monkeypatch.setattr("coopresearch.pipeline.run_report", full)
    assert main(["report", str(mini_study)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and "reports/index.html: No space left on device — free space" in line


def test_a_corrupt_notebook_is_one_line(mini_study, capsys):
    (mini_study / "notebooks").mkdir()
    (mini_study / "notebooks/01_broken.ipynb").write_text("{not json", encoding="utf-8")
    with (mini_study / "study.yml").open("a", encoding="utf-8") as config:
        config.write("notebooks: own\n")
    assert main(["report", str(mini_study)]) == 1
    [line] = capsys.readouterr().err.splitlines()[-1:]
    assert "01_broken.ipynb: not a readable notebook" in line


def test_executed_notebooks_in_reports_carry_no_absolute_paths(reported):
    study = reported[0]
    for notebook in (study / "reports").glob("*.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        assert str(study) not in text and ".coopresearch-" not in text, notebook.name
        assert "study_dir = '..'" in text


def test_a_study_nobody_has_coded_yet_gets_machine_codes(mini_study):
    path = mini_study / "data/raw/codings.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    index = run_report(mini_study, echo=lambda line: None)
    assert "03_intercoder_reliability" not in [p.stem for p in (mini_study / "reports").glob("*.html")]
    assert "niet gemaakt: geen gegevens in data/raw/codings.csv" in index.read_text(encoding="utf-8")
    by_party = (mini_study / "data/processed/theme_by_party.csv").read_text(encoding="utf-8")
    assert "gemeente,reliability,1," in by_party  # Q3 "Afspraak is afspraak": coded by the machine alone


def test_a_second_run_on_unchanged_inputs_renders_the_same_without_deriving(reported, tmp_path, monkeypatch):
    study = shutil.copytree(reported[0], tmp_path / "mini")
    processed = snapshot(study / "data/processed")
    manifest_before = json.loads((study / "reports/manifest.json").read_text(encoding="utf-8"))

    def derive(*args, **kwargs):
        raise AssertionError("derived again although the inputs did not change")

    monkeypatch.setattr("coopresearch.derive.derive", derive)
    lines = []
    run_report(study, echo=lines.append)
    assert "data/processed is up to date with the inputs: rendering it" in lines
    assert snapshot(study / "data/processed") == processed
    manifest_after = json.loads((study / "reports/manifest.json").read_text(encoding="utf-8"))
    for manifest in (manifest_before, manifest_after):
        del manifest["started"], manifest["finished"]
    assert manifest_after == manifest_before


def test_a_derivation_that_fails_stops_the_waiting_notebooks_and_changes_nothing(mini_study, monkeypatch):
    def derive(*args, **kwargs):
        raise CoopResearchError("deriving went wrong")

    monkeypatch.setattr("coopresearch.derive.derive", derive)
    with pytest.raises(CoopResearchError, match="deriving went wrong"):
        run_report(mini_study, echo=lambda line: None)
    assert not (mini_study / "reports").exists() and not list(mini_study.glob(".coopresearch-*"))
    processed = mini_study / "data/processed"
    assert not processed.exists() or not any(processed.iterdir())


def test_a_report_missing_from_the_studys_own_notebooks_is_named_on_the_index(mini_study):
    own_notebooks(mini_study)
    shutil.copyfile(packaged_notebooks()[2], mini_study / "notebooks" / packaged_notebooks()[2].name)
    lines = []
    page = run_report(mini_study, echo=lines.append).read_text(encoding="utf-8")
    assert "01_thematic_analysis: not made, the study has no notebooks/01_thematic_analysis.ipynb" in lines
    assert "Thematische analyse <small>— niet gemaakt: de studie heeft geen notebook notebooks/01_thematic_analysis.ipynb" \
        in page
    assert sorted(p.name for p in (mini_study / "reports").glob("*.html")) == ["03_intercoder_reliability.html",
                                                                               "index.html", "report.html"]
