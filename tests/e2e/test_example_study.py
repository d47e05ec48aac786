"""End to end: the real `coopresearch` command derives and renders the bundled example study; again, identically."""

import hashlib
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
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


def test_example_study_validates(example_reported):
    result = run("validate", str(example_reported))
    assert result.returncode == 0, result.stderr
    assert "valid — 20 interviews" in result.stdout


def test_report_renders_every_notebook(example_reported):
    reports = example_reported / "reports"
    pages = sorted(p.name for p in reports.glob("*.html"))
    assert pages == ["01_thematic_analysis.html", "02_network_analysis.html", "03_intercoder_reliability.html",
                     "04_collaboration_scan.html", "index.html", "report.html"]
    for page in pages[:4]:
        html = (reports / page).read_text(encoding="utf-8")
        assert re.search(r'<img [^>]*src="data:image/png;base64,', html), f"{page} shows no figure"
        assert "<table" in html, f"{page} shows no table"
        assert "Traceback" not in html and 'data-mime-type="application/vnd.jupyter.stderr"' not in html
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["inputs"]) == {"study.yml", "data/raw/README.md",
                                       *(f"data/raw/{p.name}" for p in (ROOT / "data/raw").glob("*.csv"))}
    assert snapshot(example_reported / "data/raw") == snapshot(ROOT / "data/raw")


def test_the_reports_name_the_coder_that_ran(example_reported, example_reported_en):
    html = (example_reported / "reports/01_thematic_analysis.html").read_text(encoding="utf-8")
    assert "De machinale codes zijn gemaakt door de hybride codeur" in html
    assert "woordenboekcodeur" not in html
    english = (example_reported_en / "reports/03_intercoder_reliability.html").read_text(encoding="utf-8")
    assert "The machine codes were made by the hybrid coder" in english
    # every example quote is human-coded: they taught the model, and were coded out of fold
    settings = json.loads((example_reported / "data/processed/study.json").read_text(encoding="utf-8"))
    assert settings["machine_taught_by"] == 146
    assert "Het model leerde ook van de 146 citaten die mensen in deze studie codeerden" in html
    assert "The model also learnt from the 146 quotes people coded in this study" in english


def test_a_second_derivation_is_byte_identical(example_reported, tmp_path):
    study = shutil.copytree(example_reported, tmp_path / "again")
    shutil.rmtree(study / "data/processed")
    result = run("derive", str(study))
    assert result.returncode == 0, result.stderr
    assert snapshot(study / "data/processed") == snapshot(example_reported / "data/processed")


def test_a_second_report_renders_from_the_same_derivation(example_reported, example_reported_en):
    """The English report is a second run on unchanged inputs (the fixture checks it did not derive): same products,
    same manifest but for the language."""
    assert snapshot(example_reported_en / "data/processed") == snapshot(example_reported / "data/processed")
    manifests = [json.loads((s / "reports/manifest.json").read_text(encoding="utf-8")) for s in (example_reported_en,
                                                                                                example_reported)]
    for m in manifests:
        del m["started"], m["finished"], m["parameters"]["lang"]
    assert manifests[0] == manifests[1]


def test_report_in_english(example_reported_en):
    html = (example_reported_en / "reports/01_thematic_analysis.html").read_text(encoding="utf-8")
    assert "<title>Thematic analysis — " in html and "Thematische analyse" not in html
    network = (example_reported_en / "reports/02_network_analysis.html").read_text(encoding="utf-8")
    assert "<title>Network analysis — " in network and "Netwerkanalyse" not in network
    assert 'lang="en"' in (example_reported_en / "reports/index.html").read_text(encoding="utf-8")


def test_no_traceback_for_bad_input(tmp_path):
    study = copy_study(ROOT, tmp_path / "broken")
    shutil.copyfile(study / "data/raw/quotes.csv", tmp_path / "quotes.bak")
    (study / "data/raw/quotes.csv").write_bytes((tmp_path / "quotes.bak").read_bytes().replace(b",I01,", b",I1,", 1))
    result = run("report", str(study))
    assert result.returncode == 1
    assert "data/raw/quotes.csv:2: interview_id: 'I1' is not in interviews.csv — use I01, or add the interview" \
        in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert not (study / "reports").exists()


def shown(notebook) -> list:
    """What a notebook's code cells show: execution counts and outputs, without what differs between any two runs
    (pandas' random table ids, object addresses) or timings."""
    def same_every_run(text: str) -> str:
        return re.sub(r" at 0x[0-9a-f]+", "", re.sub(r"T_[0-9a-f]{5}", "T_", text))

    return [(cell.execution_count, [{key: same_every_run(json.dumps(value, sort_keys=True)) for key, value in output.items()
                                     if key in ("data", "text", "name", "output_type")} for output in cell.outputs])
            for cell in notebook.cells if cell.cell_type == "code"]


def test_each_packaged_notebook_shows_in_a_shared_kernel_what_it_shows_in_a_kernel_of_its_own(example_reported):
    """The report runs the packaged notebooks on shared kernels, one after another; each must show what it shows
    when run alone, as a reader runs it. Here all four share one kernel, in the reverse order."""
    import nbformat
    import papermill
    from jupyter_core.utils import ensure_event_loop

    from coopresearch.kernels import KernelPool
    from coopresearch.pipeline import _execute
    from coopresearch.study import packaged_notebooks

    def alone(notebook: Path):
        try:
            return nbformat.from_dict(papermill.execute_notebook(
                str(notebook), None, parameters={"study_dir": str(example_reported), "lang": "nl"}, kernel_name="python3",
                progress_bar=False, extra_arguments=["--IPKernelApp.log_level=CRITICAL"]))
        finally:
            ensure_event_loop().close()  # nbclient's loop of this thread

    def shared(notebooks: list[Path]) -> dict:
        with KernelPool(1, shared=True) as kernels:
            finished = kernels.run(notebooks, lambda nb, kernel: _execute(nb, kernel, example_reported, "nl",
                                                                          example_reported / "data/processed"))
            return {notebooks[i].name: nbformat.from_dict(executed) for i, executed in finished}

    notebooks = packaged_notebooks()
    with ThreadPoolExecutor(len(notebooks) + 1) as pool:
        in_one_kernel = pool.submit(shared, notebooks[::-1])
        runs = list(pool.map(alone, notebooks))
    for notebook, by_itself in zip(notebooks, runs, strict=True):
        assert shown(in_one_kernel.result()[notebook.name]) == shown(by_itself), notebook.name
