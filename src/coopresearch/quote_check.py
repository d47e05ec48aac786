"""Checking quotes with the interviewees (*ambtelijk wederhoor*): each interview's shown quotes, in context.

`shown_quotes` (part of the derivation) lists every quote a report shows — the selected quotes,
the machine coder's evidence, the coders' disagreements, the machine's doubtful cases — with the
interview it comes from and
the quotes just before and after it in that interview. `write_quote_checks` writes one Word file
per interview, ``reports/wederhoor/<pseudonym>.docx``, so the auditor can send each interviewee
only their own quotes to check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .labels import QUOTE_CHECK

__all__ = ["shown_quotes", "write_quote_checks"]


def shown_quotes(quotes: pd.DataFrame, interviews: pd.DataFrame, shown: dict[str, pd.Series]) -> pd.DataFrame:
    """The quotes the reports show, per interview, with the quote before and after each in its interview.

    ``shown`` maps where a quote is shown (``selected``, ``evidence``, ``disagreements``,
    ``review``) to quote ids. Quotes keep the order of quotes.csv within an interview.

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "interview_id": "i1", "text": ["a", "b", "c"]})
    >>> interviews = pd.DataFrame({"interview_id": ["i1"], "pseudonym": ["R1"]})
    >>> shown_quotes(quotes, interviews, {"selected": pd.Series(["q2"])}).loc[0, ["before", "text", "after"]].tolist()
    ['a', 'b', 'c']
    """
    ordered = quotes[["quote_id", "interview_id", "text"]].reset_index(drop=True)
    grouped = ordered.groupby("interview_id", sort=False)["text"]
    ordered["before"] = grouped.shift(1).fillna("")
    ordered["after"] = grouped.shift(-1).fillna("")
    where = pd.DataFrame([(quote, place) for place, ids in shown.items() for quote in ids],
                         columns=["quote_id", "shown_in"], dtype=str)
    places = where.drop_duplicates().groupby("quote_id")["shown_in"].agg(lambda p: ", ".join(sorted(p)))
    people = interviews.set_index("interview_id")["pseudonym"] if "pseudonym" in interviews else pd.Series(dtype=str)
    table = ordered[ordered["quote_id"].isin(places.index)].assign(
        pseudonym=lambda t: t["interview_id"].map(people).fillna(""), shown_in=lambda t: t["quote_id"].map(places))
    return table[["interview_id", "pseudonym", "quote_id", "before", "text", "after", "shown_in"]].reset_index(drop=True)


def _file_name(name: str) -> str:
    """A pseudonym as a safe file name: letters, digits, spaces, dots and hyphens only, never a path.

    Examples
    --------
    >>> _file_name("../Respondent 01/"), _file_name("")
    ('Respondent 01', 'interview')
    """
    return re.sub(r"[^\w\-. ]+", "", name).strip(" .") or "interview"


def write_quote_checks(table: pd.DataFrame, folder: Path, *, lang: str, study_title: str) -> list[str]:
    """One Word file per interview with its shown quotes in context; returns the file names written."""
    import docx

    words = QUOTE_CHECK[lang]
    folder.mkdir(parents=True, exist_ok=True)
    written, taken = [], set()
    for interview, quotes in table.groupby("interview_id", sort=True):
        person = quotes["pseudonym"].iloc[0] or interview
        name, n = _file_name(person), 1
        while name.casefold() in taken:  # two interviews under one pseudonym (or Anna and anna): a file each
            n += 1
            name = _file_name(f"{person} {interview}" + (f" {n}" if n > 2 else ""))
        taken.add(name.casefold())
        word = docx.Document()
        word.core_properties.title = words["title"].format(person=person)
        word.add_heading(words["title"].format(person=person), level=1)
        word.add_paragraph(words["intro"].format(study=study_title, n=len(quotes)))
        for number, row in enumerate(quotes.itertuples(), 1):
            word.add_heading(words["quote"].format(n=number, where=_where(row.shown_in, words)), level=2)
            if row.before:
                word.add_paragraph().add_run(f"{words['before']}: {row.before}").italic = True
            word.add_paragraph(row.text, style="Intense Quote")
            if row.after:
                word.add_paragraph().add_run(f"{words['after']}: {row.after}").italic = True
            word.add_paragraph(words["check"])
        word.save(str(folder / f"{name}.docx"))
        written.append(f"{name}.docx")
    return written


def _where(shown_in: str, words: dict) -> str:
    return ", ".join(words["places"].get(place, place) for place in shown_in.split(", "))
