"""The package's exceptions: library code raises them, only the command line catches them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CodebookError", "CoopResearchError", "DataError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a study's input, located for a person to fix.

    ``row`` is the line number in the file (the header is line 1); ``"-"``
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
        self.problems = sorted(set(problems), key=lambda p: (p.file, str(p.row).zfill(9), p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class CodebookError(DataError):
    """A codebook is invalid."""
