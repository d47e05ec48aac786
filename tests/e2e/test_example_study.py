"""End to end: the real `coopresearch` command renders the bundled example study, twice, identically."""

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, copy_study

pytestmark = pytest.mark.slow
COMMAND = str(Path(sys.executable).with_name("coopresearch"))


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return copy_study(ROOT, tmp_path_factory.mktemp("example") / "emmen")


def test_example_study_validates(example):
    result = run("validate", str(example))
    assert result.returncode == 0, result.stderr
    assert "valid — 20 interviews" in result.stdout


def test_report_renders_every_notebook_twice_identically(example):
    raw_before = snapshot(example / "data/raw")
    first = run("report", str(example))
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    processed = snapshot(example / "data/processed")
    manifest = json.loads((example / "reports/manifest.json").read_text(encoding="utf-8"))

    second = run("report", str(example))
    assert second.returncode == 0, second.stderr
    assert snapshot(example / "data/processed") == processed
    again = json.loads((example / "reports/manifest.json").read_text(encoding="utf-8"))
    for m in (manifest, again):
        del m["started"], m["finished"]
    assert again == manifest
    assert snapshot(example / "data/raw") == raw_before

    reports = example / "reports"
    pages = sorted(p.name for p in reports.glob("*.html"))
    assert pages == ["01_thematic_analysis.html", "02_network_analysis.html", "03_intercoder_reliability.html",
                     "04_collaboration_scan.html", "index.html"]
    for page in pages[:-1]:
        html = (reports / page).read_text(encoding="utf-8")
        assert re.search(r'<img [^>]*src="data:image/png;base64,', html), f"{page} shows no figure"
        assert "<table" in html, f"{page} shows no table"
        assert "Traceback" not in html and 'data-mime-type="application/vnd.jupyter.stderr"' not in html
    assert set(manifest["inputs"]) == {"study.yml", "data/raw/README.md",
                                       *(f"data/raw/{p.name}" for p in (ROOT / "data/raw").glob("*.csv"))}


def test_report_in_english(example, tmp_path):
    study = copy_study(ROOT, tmp_path / "emmen-en")
    result = run("report", str(study), "--lang", "en")
    assert result.returncode == 0, result.stderr
    html = (study / "reports/01_thematic_analysis.html").read_text(encoding="utf-8")
    assert "<title>Thematic analysis — " in html and "Thematische analyse" not in html


def test_no_traceback_for_bad_input(tmp_path):
    study = copy_study(ROOT, tmp_path / "broken")
    shutil.copyfile(study / "data/raw/quotes.csv", tmp_path / "quotes.bak")
    (study / "data/raw/quotes.csv").write_bytes((tmp_path / "quotes.bak").read_bytes().replace(b",I01,", b",I1,", 1))
    result = run("report", str(study))
    assert result.returncode == 1
    assert "data/raw/quotes.csv:2: interview_id: 'I1' is not in interviews.csv — add the interview or correct the id" \
        in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert not (study / "reports").exists()
