"""Fixtures: fresh copies of small studies, so no test writes into the repository."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def copy_study(source: Path, target: Path) -> Path:
    """Copy a study folder's inputs (settings, codebook, data/raw, notebooks if any) to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("study.yml", "codebook.yml"):
        if (source / name).is_file():  # a study may use the packaged codebook ('codebook: default')
            shutil.copyfile(source / name, target / name)
    shutil.copytree(source / "data" / "raw", target / "data" / "raw")
    if (source / "notebooks").is_dir():
        shutil.copytree(source / "notebooks", target / "notebooks")
    return target


@pytest.fixture
def mini_study(tmp_path) -> Path:
    """A copy of tests/data/mini: 4 interviews, 6 quotes, 2 coders, 3 processes, one scan."""
    return copy_study(DATA / "mini", tmp_path / "mini")
