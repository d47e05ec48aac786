"""End to end: projects from NVivo and QualCoder become studies that validate and render reports."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
COMMAND = str(Path(sys.executable).with_name("coopresearch"))


def shared_refi_qda() -> Path | None:
    env = os.environ.get("COOPRESEARCH_SHARED")
    candidates = [ROOT / ".." / "shared" / "refi-qda", *([Path(env) / "refi-qda", Path(env)] if env else []),
                  Path("/work/shared/refi-qda")]
    return next((c.resolve() for c in candidates if (c / "samples" / "nvivo12_win_oltas.qdpx").is_file()), None)


SHARED = shared_refi_qda()
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(SHARED is None, reason="REFI-QDA samples not found: put shared/refi-qda beside "
                                 "the clone or set COOPRESEARCH_SHARED")]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([COMMAND, *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(("sample", "counts"), [
    # README of shared/refi-qda: sources, distinct coded spans, codings, codes
    ("samples/nvivo12_win_oltas.qdpx", "1 interviews, 20 quotes, 60 themes"),
    ("qualcoder/Samenwerking_gemeente_corporaties.qdpx", "2 interviews, 5 quotes, 3 themes"),
])
def test_import_validate_report_export(tmp_path, sample, counts):
    study = tmp_path / "study"
    imported = run("import-qdpx", SHARED / sample, "--study", study)
    assert imported.returncode == 0, imported.stderr
    assert f"valid — {counts}" in imported.stdout

    validated = run("validate", study)
    assert validated.returncode == 0, validated.stderr
    assert f"valid — {counts}" in validated.stdout

    report = run("report", study)
    assert report.returncode == 0, report.stderr
    index = (study / "reports" / "index.html").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (study / "reports").glob("0*.html"))
    # an imported project has interviews, quotes and codes; no processes, meetings or scan
    assert pages == ["01_thematic_analysis.html", "03_intercoder_reliability.html"]
    assert all(page in index for page in pages)
    assert "niet gemaakt: geen gegevens in data/raw/processes.csv" in index

    exported = run("export-qdpx", study, "--out", tmp_path / "out.qdpx", "--codebook-out", tmp_path / "out.qdc")
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        project = etree.fromstring(archive.read("project.qde"))
    assert etree.XMLSchema(etree.parse(str(SHARED / "schema" / "Project-mrt2019.xsd"))).validate(project)
    assert etree.XMLSchema(etree.parse(str(SHARED / "schema" / "Codebook.xsd"))).validate(etree.parse(tmp_path / "out.qdc"))


def test_atlasti_without_sources_fails_with_one_line_per_missing_text(tmp_path):
    result = run("import-qdpx", SHARED / "samples" / "atlasti8_standard_project_repackaged_no_sources.qdpx",
                 "--study", tmp_path / "atlas")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert sum("is missing" in line for line in result.stderr.splitlines()) == 4
    assert not (tmp_path / "atlas").exists()  # nothing half-made


def test_a_zip_bomb_is_refused_in_one_line_and_nothing_is_made(tmp_path):
    # a 100 kB archive whose one source text unpacks to 200 MB of zeros
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
                         '<Code guid="00000000-0000-0000-0000-000000000001" name="Trust"/></Codes></CodeBook><Sources>'
                         '<TextSource guid="00000000-0000-0000-0000-000000000002" name="a" plainTextPath="internal://a.txt"/>'
                         "</Sources></Project>")
        with archive.open("sources/a.txt", "w", force_zip64=True) as entry:
            for _ in range(200):
                entry.write(bytes(1024 * 1024))
    result = run("import-qdpx", bomb, "--study", tmp_path / "study")
    assert result.returncode == 1 and "Traceback" not in result.stderr and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: bomb.qdpx: refused to unpack entry sources/a.txt: its ")
    assert "as in a zip bomb — if you trust the file, raise the limit with the environment variable " \
           "COOPRESEARCH_QDPX_MAX_RATIO (now 100)" in result.stderr
    assert not (tmp_path / "study").exists()
