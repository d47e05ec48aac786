"""One run on a study at a time, and its outputs published whole or not at all.

A run (`study_run`) holds the study's lock (a second run gets one clear line), first undoes a
publish an earlier run could not finish (killed, power cut), removes stale staging folders and
gives a fresh staging folder inside the study. `publish` then moves the staged files of
``data/processed`` and ``reports`` into place as one transaction: a journal lists every move
and where the file it replaces was put aside; if a move fails or the run is interrupted, every
move is undone and the previous outputs are back, as if the run had never published.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import CoopResearchError

__all__ = ["JOURNAL", "LOCK", "STAGING_PREFIX", "publish", "recover", "study_run"]

LOCK = ".coopresearch.lock"
JOURNAL = ".coopresearch-journal.json"
STAGING_PREFIX = ".coopresearch-"


def _undo(plan: list[list[str | None]]) -> None:
    """Remove every published file and put back what it replaced, newest move first."""
    for staged, target, aside in reversed(plan):
        target_path, aside_path = Path(target), Path(aside)
        if staged and not Path(staged).exists():  # moved in: the new file goes
            target_path.unlink(missing_ok=True)
        if aside_path.exists():
            os.replace(aside_path, target_path)


def recover(root: Path) -> bool:
    """Undo a publish that an earlier run left unfinished; whether there was one.

    Examples
    --------
    >>> import tempfile
    >>> recover(Path(tempfile.mkdtemp()))
    False
    """
    journal = root / JOURNAL
    if not journal.is_file():
        return False
    _undo(json.loads(journal.read_text(encoding="utf-8"))["plan"])
    journal.unlink()
    return True


@contextmanager
def study_run(root: str | os.PathLike) -> Iterator[Path]:
    """Lock the study for one run and yield a new staging folder inside it (removed afterwards).

    A publish an interrupted run left unfinished is undone first, and staging folders of
    runs that died are removed.

    Raises
    ------
    CoopResearchError
        Another run holds the study's lock.
    """
    root = Path(root)
    lock = FileLock(root / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise CoopResearchError(f"{root}: another coopresearch run is working on this study — wait until it has "
                                f"finished, then run again (lock: {root / LOCK})") from None
    try:
        recover(root)
        for stale in root.glob(STAGING_PREFIX + "*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        try:
            yield stage
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    finally:
        lock.release()


def publish(root: Path, stage: Path, moves: list[tuple[Path, Path, list[str]]]) -> None:
    """Move staged folders into place all together, or not at all.

    ``moves`` lists ``(staged folder, target folder, previous files)``: every file of the
    staged folder replaces its namesake in the target, and the target's ``previous`` generated
    files that the new run did not make are removed. Files of a target that no run generated (a
    README, a .gitkeep) are kept.

    Raises
    ------
    CoopResearchError
        A file could not be moved (e.g. reports/ is not writable): nothing was changed.
    """
    aside = stage / "replaced"
    plan: list[list[str | None]] = []
    for n, (staged, target, previous) in enumerate(moves):
        new = {path.relative_to(staged) for path in staged.rglob("*") if path.is_file()}
        for name in sorted(set(map(Path, previous)) - new):
            if (target / name).is_file():
                plan.append([None, str(target / name), str(aside / str(n) / name)])
        plan += [[str(staged / name), str(target / name), str(aside / str(n) / name)] for name in sorted(new)]
    journal = root / JOURNAL
    journal.with_suffix(".tmp").write_text(json.dumps({"plan": plan}), encoding="utf-8")
    os.replace(journal.with_suffix(".tmp"), journal)  # from here on, a dead run is undone by the next one
    try:
        for staged, target, replaced in plan:
            if Path(target).exists():
                Path(replaced).parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, replaced)
            if staged:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
    except BaseException as exc:
        _undo(plan)
        journal.unlink()
        if isinstance(exc, OSError):
            raise CoopResearchError(f"could not write {exc.filename or 'the outputs'}: {exc.strerror} — nothing was "
                                    "changed; make data/processed and reports writable and run again") from None
        raise
    journal.unlink()
    for _, target, _ in moves:
        for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
