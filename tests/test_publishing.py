"""Whole publishes, one run at a time: the lock, the journal, undoing, stale staging folders, Ctrl-C."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from coopresearch import publishing
from coopresearch.cli import main
from coopresearch.errors import CoopResearchError
from coopresearch.publishing import JOURNAL, LOCK, publish, recover, study_run


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".coopresearch" not in str(p.relative_to(folder))}


@pytest.fixture
def study(tmp_path) -> Path:
    """A study folder with previous outputs in data/processed and reports, and new ones staged."""
    root = tmp_path / "study"
    for folder, names in (("data/processed", ["a.csv", "gone.csv"]), ("reports", ["index.html", "keep.txt"])):
        (root / folder).mkdir(parents=True)
        for name in names:
            (root / folder / name).write_text(f"old {name}")
    return root


def stage_new(stage: Path) -> list[tuple[Path, Path, list[str]]]:
    (stage / "processed").mkdir()
    (stage / "processed/a.csv").write_text("new a")
    (stage / "processed/b.csv").write_text("new b")
    (stage / "reports/sub").mkdir(parents=True)
    (stage / "reports/index.html").write_text("new index")
    (stage / "reports/sub/page.html").write_text("new page")
    root = stage.parent
    return [(stage / "processed", root / "data/processed", ["a.csv", "gone.csv"]),
            (stage / "reports", root / "reports", ["index.html"])]


def test_publish_replaces_both_folders_and_keeps_files_no_run_made(study):
    with study_run(study) as stage:
        publish(study, stage, stage_new(stage))
    assert snapshot(study) == snapshot_of({"data/processed/a.csv": "new a", "data/processed/b.csv": "new b",
                                          "reports/index.html": "new index", "reports/sub/page.html": "new page",
                                          "reports/keep.txt": "old keep.txt"})
    assert not list(study.glob(".coopresearch-*")) and not (study / JOURNAL).exists()


def snapshot_of(files: dict[str, str]) -> dict[str, str]:
    return {name: hashlib.sha256(text.encode()).hexdigest() for name, text in sorted(files.items())}


def test_a_move_that_fails_undoes_every_move_and_says_so_in_one_line(study, monkeypatch):
    before = snapshot(study)
    real, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if str(target).endswith("reports/index.html") and ".coopresearch-" in str(source) and "replaced" not in str(source):
            raise PermissionError(13, "Permission denied", str(target))  # the new index, after data/processed moved
        real(source, target)

    monkeypatch.setattr(publishing.os, "replace", replace)
    with study_run(study) as stage, pytest.raises(CoopResearchError) as error:
        publish(study, stage, stage_new(stage))
    assert str(error.value).startswith("could not write ") and "reports/index.html: Permission denied — nothing was " \
        "changed" in str(error.value)
    assert any("data/processed" in str(target) for target in calls)
    assert snapshot(study) == before and not (study / JOURNAL).exists()


DIES_WHILE_PUBLISHING = """
import os, sys
from pathlib import Path
from coopresearch import publishing
from tests.test_publishing import stage_new
real, moved = os.replace, []
def replace(source, target):
    if len(moved) == 4:
        os._exit(9)  # killed mid-publish: no undo, no cleanup
    moved.append(target)
    real(source, target)
publishing.os.replace = replace
study = Path(sys.argv[1])
with publishing.study_run(study) as stage:
    publishing.publish(study, stage, stage_new(stage))
"""


def test_a_run_killed_while_publishing_is_undone_by_the_next(study):
    before = snapshot(study)
    died = subprocess.run([sys.executable, "-c", DIES_WHILE_PUBLISHING, str(study)], cwd=Path(__file__).parents[1])
    assert died.returncode == 9
    assert (study / JOURNAL).exists() and snapshot(study) != before  # half published
    with study_run(study):
        assert snapshot(study) == before  # the next run undid it first
    assert not (study / JOURNAL).exists() and not list(study.glob(".coopresearch-*/"))
    assert recover(study) is False


def test_a_second_run_on_the_same_study_gets_one_line(mini_study, capsys):
    with FileLock(mini_study / LOCK).acquire(timeout=0):
        assert main(["derive", str(mini_study)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "another coopresearch run is working on this study — wait until it has " \
        "finished" in err and len(err.splitlines()) == 1


def test_stale_staging_folders_are_removed(mini_study):
    stale = mini_study / ".coopresearch-dead1234"
    (stale / "reports").mkdir(parents=True)
    with study_run(mini_study) as stage:
        assert stage.is_dir() and not stale.exists()
    assert not stage.exists()


@pytest.mark.slow
def test_ctrl_c_ends_a_report_within_two_seconds_and_changes_nothing(mini_study):
    command = str(Path(sys.executable).with_name("coopresearch"))
    with subprocess.Popen([command, "report", str(mini_study)], stderr=subprocess.PIPE, text=True) as process:
        for line in process.stderr:  # wait until the kernels are starting and the study is being derived
            if line.startswith("Deriving"):
                break
        time.sleep(1.0)
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        process.wait(timeout=30)
        took = time.monotonic() - sent
        rest = process.stderr.read()
    assert process.returncode == 130, rest
    assert took < 2.0, f"took {took:.1f} s to stop"
    assert "interrupted; reports and tables were left as they were." in rest and "Traceback" not in rest
    assert not (mini_study / "reports").exists()
    assert not list(mini_study.glob(".coopresearch-*/reports/*.html"))
