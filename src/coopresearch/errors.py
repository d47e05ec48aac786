"""The package's exceptions: library code raises them, only the command line catches them."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CodebookError", "CoopResearchError", "DataError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a study's input, located for a person to fix.

    ``row`` is the line number in the file (the header is line 1); in a workbook the
    sheet and cell (``interviews!C4``), or the sheet and row (``interviews!4:4``); ``"-"``
    where the problem concerns the whole file.

    Examples
    --------
    >>> print(Problem("data/raw/quotes.csv", 14, "interview_id",
    ...               "'i99' is not in interviews.csv", "add the interview or correct the id"))
    data/raw/quotes.csv:14: interview_id: 'i99' is not in interviews.csv — add the interview or correct the id
    """

    file: str
    row: int | str
    column: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.column}: {self.message} — {self.fix}"


class CoopResearchError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(CoopResearchError):
    """A study's input is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, _row_order(p.row), p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def _row_order(row: int | str) -> tuple:
    """Sort key of a problem's row: lines in number order, and workbook cells by row, then column (``B9`` before ``A10``).

    Examples
    --------
    >>> sorted(["-", 10, 9], key=_row_order), sorted(["Blad1!B10", "Blad1!10:10", "Blad1!AA9", "Blad1!C9"], key=_row_order)
    (['-', 9, 10], ['Blad1!C9', 'Blad1!AA9', 'Blad1!10:10', 'Blad1!B10'])
    """
    if isinstance(row, int):
        return ("", row, 0, "")
    sheet, _, cell = row.rpartition("!")
    match = re.fullmatch(r"([A-Z]*)(\d+)(?::\d+)?", cell)
    if not match:
        return (sheet, -1, 0, cell)
    return (sheet, int(match[2]), len(match[1]), match[1])


class CodebookError(DataError):
    """A codebook is invalid."""
