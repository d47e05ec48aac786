"""Fixtures: fresh copies of small studies, so no test writes into the repository."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def copy_study(source: Path, target: Path) -> Path:
    """Copy a study folder's inputs (settings, codebook, data/raw, the auditor's report/ texts and notebooks if any)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("study.yml", "codebook.yml"):
        if (source / name).is_file():  # a study may use the packaged codebook ('codebook: default')
            shutil.copyfile(source / name, target / name)
    shutil.copytree(source / "data" / "raw", target / "data" / "raw")
    for folder in ("report", "notebooks"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    return target


@pytest.fixture
def mini_study(tmp_path) -> Path:
    """A copy of tests/data/mini: 4 interviews, 6 quotes, 2 coders, 3 processes, one scan."""
    return copy_study(DATA / "mini", tmp_path / "mini")


def coopresearch(*args) -> subprocess.CompletedProcess:
    """Run the real ``coopresearch`` command (a subprocess: kernels leave sockets pytest would flag)."""
    command = str(Path(sys.executable).with_name("coopresearch"))
    return subprocess.run([command, *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def example_reported(tmp_path_factory) -> Path:
    """The bundled example study after one ``coopresearch report`` (Dutch): derived and rendered once per session.

    Shared by several tests: read it, or copy it (``shutil.copytree``) before changing anything.
    """
    study = copy_study(ROOT, tmp_path_factory.mktemp("example") / "emmen")
    result = coopresearch("report", study)
    assert result.returncode == 0, result.stderr
    return study


@pytest.fixture(scope="session")
def example_reported_en(example_reported, tmp_path_factory) -> Path:
    """The example study rendered again in English from its derived data (no second derivation)."""
    study = shutil.copytree(example_reported, tmp_path_factory.mktemp("example-en") / "emmen")
    result = coopresearch("report", study, "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "data/processed is up to date with the inputs: rendering it" in result.stderr
    return study
