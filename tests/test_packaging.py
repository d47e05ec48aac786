"""The project's own files: dependencies agree, notebooks are committed clean, CI runs the README's command."""

import json
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {requirement_name(dep) for dep in env["dependencies"] if isinstance(dep, str)} - {"python", "pip"}
    pip = next(dep for dep in env["dependencies"] if isinstance(dep, dict))["pip"]
    expected = {requirement_name(dep) for dep in project["dependencies"] + project["optional-dependencies"]["test"]}
    assert conda == expected
    assert pip == ["-e ."]
    # and the same lower bounds
    bounds = dict(dep.split(">=") for dep in project["dependencies"])
    assert {dep.split(">=")[0]: dep.split(">=")[1] for dep in env["dependencies"]
            if isinstance(dep, str) and dep.split(">=")[0] in bounds} == bounds


def test_constraints_pin_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines() if "==" in line}
    assert {requirement_name(dep).replace("_", "-") for dep in project["dependencies"]} <= pinned


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean_and_parameterised(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code), "strip the outputs"
    [parameters] = [cell for cell in code if "parameters" in cell["metadata"].get("tags", [])]
    source = "".join(parameters["source"])
    assert re.search(r"^study_dir: str = ", source, re.M) and re.search(r"^lang: str = \"nl\"", source, re.M)
    tags = [tag for cell in notebook["cells"] if cell["cell_type"] == "markdown"
            for tag in cell["metadata"].get("tags", []) if tag in ("nl", "en")]
    assert tags.count("nl") == tags.count("en"), "every Markdown cell needs its translation"


def test_notebooks_ship_inside_the_package():
    link = ROOT / "src/coopresearch/notebooks"
    assert link.is_symlink() and link.resolve() == (ROOT / "notebooks").resolve()
    assert len(NOTEBOOKS) == 4


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", readme, re.M) and re.search(r"^make report\b", readme, re.M)
    assert re.search(r"^make test$", ci, re.M)


@pytest.mark.slow
def test_wheel_contains_notebooks_and_codebooks(tmp_path):
    # a plain (non-editable) install must carry the notebooks and codebooks as package data
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = tmp_path.glob("coopresearch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"coopresearch/notebooks/{p.name}" for p in NOTEBOOKS} <= names
    assert "coopresearch/codebooks/default.yml" in names
    assert "coopresearch/templates/study_README.md" in names
