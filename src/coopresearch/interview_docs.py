"""Interview reports in: ``.docx``, ``.txt`` and ``.md`` files read into a study's interviews and quotes.

One file is one interview. Decided once here:

* **Fields.** ``Key: value`` lines at the top of the file, before the first paragraph of text, give
  the interview's fields; keys in Dutch or English, any case: ``Organisatie``/``Organisation``,
  ``Partij``/``Party``, ``Functie``/``Role``, ``Afdeling``/``Department``, ``Datum``/``Date``,
  ``Pseudoniem``/``Pseudonym``. Headings and empty paragraphs may stand between them, and other
  ``Key: value`` lines (``Naam``, ``Interviewer``), which are not read: they may name people. The
  body starts after the last line with one of these keys. Organisation and party are required.
* **Body.** Every paragraph of the body is one quote; headings and empty paragraphs are not
  quotes. In a ``.docx`` a paragraph is a Word paragraph (styles *Heading*/*Kop*, *Title*/*Titel*
  or an outline level are headings; tables are not read). In a ``.txt`` or ``.md`` paragraphs are
  separated by blank lines (the lines of one are joined by a space) and a line starting with ``#``
  is a heading.
* **Ids.** The ``interview_id`` is the file name without extension, made safe (letters, digits,
  ``_``, ``-``): ids never change once coded, and a pseudonym may; so name files without names of
  people. A ``Pseudoniem`` line fills ``pseudonym``, else it is ``Respondent N``. A quote's id is
  the interview id and the first 8 hex digits of the SHA-256 of its text (``I3-1f0c2b9a``): the
  same paragraph always gets the same id, wherever it stands, so importing a file again adds only
  its new paragraphs (and a file imported before adds nothing). A paragraph repeated word for word
  in one file is one quote.
* **Parties.** In an existing study the party is one of its parties, by id or label (nl or en,
  any case); a new study gets the parties found (id: the value made safe, lower case; ``gemeente``
  and ``corporatie`` keep their usual labels).
* **Dates.** ``2025-03-14``, or ``14-3-2025`` / ``14/3/2025`` (day first), written as ISO.

Every file is read and checked before anything is written; then ``interviews.csv`` and
``quotes.csv`` get their new rows, each file written whole or not at all.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import CoopResearchError, DataError, Problem
from .labels import counted
from .qdpx import interview_id as file_interview_id
from .qdpx import safe_id
from .schemas import LANGUAGES
from .study import CONFIG, DEFAULT_PARTIES, RAW, archive_problem, init_study, load_study, update_raw_table, write_file

__all__ = ["FIELDS", "InterviewDoc", "Paragraph", "import_docs", "parse_interview", "quote_id", "read_paragraphs"]

# key (lower case) → interview column
FIELDS = {"organisatie": "organisation", "organisation": "organisation", "organization": "organisation",
          "partij": "party", "party": "party", "functie": "role", "role": "role", "afdeling": "department",
          "department": "department", "datum": "date", "date": "date", "pseudoniem": "pseudonym", "pseudonym": "pseudonym"}
SUFFIXES = (".docx", ".txt", ".md")
# a Key: value line: a key of one to three words (known keys are one word; others, such as 'Naam' or
# 'Datum gesprek', are header lines that are not read)
KEY_LINE = re.compile(r"^\s*([^\W\d_]+(?:[ -][^\W\d_]+){0,2})\s*:\s*(.*?)\s*$")
HEADING_STYLE = re.compile(r"^(heading|kop|title|titel|subtitle|ondertitel)\b", re.IGNORECASE)
MAX_DOCX_XML_MB = 100  # unpacked word/document.xml: an interview report is well under a megabyte


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a file: where it starts (line of a text file, paragraph number of a .docx), its text."""

    where: int
    text: str
    heading: bool = False


@dataclass(frozen=True)
class InterviewDoc:
    """One file read: the interview's fields (column → value, with the line of each) and its quotes."""

    file: str
    interview_id: str
    fields: dict[str, str]
    field_lines: dict[str, int]
    quotes: tuple[tuple[str, str], ...]  # (quote_id, text)
    repeated: int  # paragraphs left out as repeats of an earlier one
    ignored: tuple[str, ...] = ()  # keys of header lines that are no field (Naam, Interviewer): not read


def quote_id(interview_id: str, text: str) -> str:
    """The stable id of a quote: its interview and a short hash of its text.

    Examples
    --------
    >>> quote_id("I3", "Afspraak is afspraak.")
    'I3-ef6dbbbe'
    >>> quote_id("I3", "Afspraak  is afspraak. ") == quote_id("I3", "Afspraak is afspraak.")
    True
    """
    normal = " ".join(text.split())
    return f"{interview_id}-{hashlib.sha256(normal.encode('utf-8')).hexdigest()[:8]}"


def _text_paragraphs(text: str, markdown: bool) -> list[Paragraph]:
    """Blank-line separated paragraphs of a text file; ``#`` lines (and Markdown's underlined titles) are headings.

    Until the body starts, each ``Key: value`` line is a paragraph of its own (a header is often
    written without blank lines).
    """
    paragraphs, lines, start, in_header = [], [], 0, True

    def flush():
        if lines:
            paragraphs.append(Paragraph(start, " ".join(lines)))
            lines.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        key = KEY_LINE.match(stripped)
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            paragraphs.append(Paragraph(number, stripped.lstrip("#").strip(), heading=True))
        elif markdown and lines and re.fullmatch(r"=+|-+", stripped):
            paragraphs.append(Paragraph(start, " ".join(lines), heading=True))
            lines.clear()
        elif in_header and not lines and key:
            paragraphs.append(Paragraph(number, stripped))
        else:
            in_header = False
            if not lines:
                start = number
            lines.append(stripped)
    flush()
    return paragraphs


def _docx_paragraphs(path: Path) -> list[Paragraph]:
    import docx
    from docx.oxml.ns import qn

    try:
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("word/document.xml").file_size
    except (zipfile.BadZipFile, KeyError, OSError):
        raise CoopResearchError(f"{path}: not a readable Word document (.docx) — open it in Word and save it again "
                                "as .docx") from None
    if size > MAX_DOCX_XML_MB * 1024 * 1024:
        raise CoopResearchError(f"{path}: its text unpacks to {size / 1024 / 1024:,.0f} MB, more than an interview "
                                f"report holds (limit {MAX_DOCX_XML_MB} MB) — check that it is the right file")
    whole = archive_problem(path)  # every part counts: python-docx loads them all (images too)
    if whole:
        raise CoopResearchError(f"{path}: {whole}, more than an interview report needs — check that it is the right file")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise CoopResearchError(f"{path}: not a readable Word document (.docx): {exc} — open it in Word and save it "
                                "again as .docx") from None
    paragraphs = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        style = paragraph.style.name if paragraph.style is not None else ""
        properties = paragraph._p.pPr
        outline = properties is not None and properties.find(qn("w:outlineLvl")) is not None
        heading = bool(HEADING_STYLE.match(style or "")) or outline
        # a soft line break (Shift+Enter) stays a line: Key: value lines are often written that way
        paragraphs.append(Paragraph(number, "\n".join(line.strip() for line in paragraph.text.splitlines()).strip(),
                                    heading=heading))
    return paragraphs


def read_paragraphs(path: str | os.PathLike) -> list[Paragraph]:
    """The paragraphs of a ``.docx``, ``.txt`` or ``.md`` file, headings marked, empty ones dropped.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "I1.md"
    >>> _ = path.write_text("Partij: gemeente\\n# Samenwerking\\nWe overleggen\\nelke week.\\n", encoding="utf-8")
    >>> [(p.where, p.text, p.heading) for p in read_paragraphs(path)]
    [(1, 'Partij: gemeente', False), (2, 'Samenwerking', True), (3, 'We overleggen elke week.', False)]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise CoopResearchError(f"{path}: no such file — give the path of an interview report (.docx, .txt or .md)")
    if suffix not in SUFFIXES:
        hint = " (save a .doc, .odt or .rtf as .docx first)" if suffix in (".doc", ".odt", ".rtf") else ""
        raise CoopResearchError(f"{path}: '{suffix or path.name}' files are not read — give .docx, .txt or .md "
                                f"files{hint}")
    if suffix == ".docx":
        paragraphs = _docx_paragraphs(path)
    else:
        if path.stat().st_size > MAX_DOCX_XML_MB * 1024 * 1024:
            raise CoopResearchError(f"{path}: larger than {MAX_DOCX_XML_MB} MB, more than an interview report holds — "
                                    "check that it is the right file")
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CoopResearchError(f"{path}: text is not UTF-8 — save it again as UTF-8 text") from None
        paragraphs = _text_paragraphs(text, markdown=suffix == ".md")
    return [p for p in paragraphs if p.text]


def _key_lines(paragraph: Paragraph) -> list[tuple[str, str]] | None:
    """The (key, value) pairs of a paragraph whose every line is ``Key: value``, else None."""
    pairs = []
    for line in paragraph.text.splitlines():
        match = KEY_LINE.match(line)
        if not match:
            return None
        pairs.append((match.group(1), match.group(2)))
    return pairs


def _iso_date(value: str) -> str | None:
    """``2025-03-14`` as is; ``14-3-2025`` or ``14/3/2025`` (day first) as ISO; None otherwise.

    Examples
    --------
    >>> _iso_date("14-3-2025"), _iso_date("2025-03-14"), _iso_date("maart 2025")
    ('2025-03-14', '2025-03-14', None)
    """
    import datetime

    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", (0, 1, 2)), (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", (2, 1, 0))):
        match = re.fullmatch(pattern, value.strip())
        if match:
            year, month, day = (int(match.group(i + 1)) for i in order)
            try:
                return datetime.date(year, month, day).isoformat()
            except ValueError:
                return None
    return None


def parse_interview(name: str, paragraphs: list[Paragraph]) -> tuple[InterviewDoc, list[Problem]]:
    """One interview from a file's paragraphs (pure): its fields from the header, one quote per body paragraph.

    Examples
    --------
    >>> doc, problems = parse_interview("I9.txt", [Paragraph(1, "Partij: gemeente"), Paragraph(2, "Naam: Piet"),
    ...                                            Paragraph(3, "Organisatie: Emmen"), Paragraph(5, "Wie beslist hier?")])
    >>> doc.interview_id, doc.fields, doc.quotes, doc.ignored, problems
    ('I9', {'party': 'gemeente', 'organisation': 'Emmen'}, (('I9-...', 'Wie beslist hier?'),), ('Naam',), [])
    """
    interview_id = file_interview_id(Path(name).stem)
    fields, lines, problems, ignored = {}, {}, [], []
    # the header: the leading Key: value paragraphs (and headings), up to the last one with a field's key
    leading = []
    for paragraph in paragraphs:
        pairs = [] if paragraph.heading else _key_lines(paragraph)
        if pairs is None:
            break
        leading.append(pairs)
    body_start = max((i + 1 for i, pairs in enumerate(leading) if any(k.lower() in FIELDS for k, _ in pairs)), default=0)
    for paragraph, pairs in zip(paragraphs[:body_start], leading, strict=False):
        for key, value in pairs:
            if key.lower() not in FIELDS:
                ignored.append(key)
                continue
            column = FIELDS[key.lower()]
            if column in fields and fields[column] != value:
                problems.append(Problem(name, paragraph.where, key, f"a second {key} line ({value!r} after "
                                        f"{fields[column]!r})", "keep one line per field at the top of the file"))
                continue
            fields[column], lines[column] = value, paragraph.where
    for column, key in (("organisation", "Organisatie"), ("party", "Partij")):
        if not fields.get(column):
            problems.append(Problem(name, "-", key, f"no {column} line at the top of the file",
                                    f"add a line '{key}: …' (or '{column.capitalize()}: …') above the first paragraph"))
    if fields.get("date") and _iso_date(fields["date"]) is None:
        problems.append(Problem(name, lines["date"], "Datum", f"{fields['date']!r} is not a date",
                                "write it as 2025-03-14 or 14-3-2025"))
    elif fields.get("date"):
        fields["date"] = _iso_date(fields["date"])
    quotes, seen, repeated = [], set(), 0
    for paragraph in paragraphs[body_start:]:
        if paragraph.heading:
            continue
        text = " ".join(paragraph.text.split())
        qid = quote_id(interview_id, text)
        if qid in seen:
            repeated += 1
            continue
        seen.add(qid)
        quotes.append((qid, text))
    if not quotes and not problems:
        problems.append(Problem(name, "-", "-", "no paragraph of text after the Key: value lines",
                                "write the interview's text below them, one paragraph per quote"))
    doc = InterviewDoc(name, interview_id, {k: v for k, v in fields.items() if v}, lines, tuple(quotes), repeated,
                       tuple(dict.fromkeys(ignored)))
    return doc, problems


def _party_of(value: str, parties: dict[str, dict[str, str]]) -> str | None:
    """The id of the study's party ``value`` names (its id or a label, any case), or None."""
    wanted = value.strip().casefold()
    for party, labels in parties.items():
        if wanted == party.casefold() or wanted in {str(label).casefold() for label in labels.values()}:
            return party
    return None


def import_docs(files: list[str | os.PathLike], study_dir: str | os.PathLike, *, language: str | None = None,
                echo: Callable[[str], None] = print) -> tuple[int, int]:
    """Read interview reports into the study ``study_dir`` (created when absent or empty, added to when a study).

    Every file is read and checked first; on any problem nothing is written (`DataError`).
    ``echo`` gets one line per file. Returns the numbers of interviews and quotes added.
    """
    root = Path(study_dir)
    existing = (root / CONFIG).is_file()
    if not existing and root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise CoopResearchError(f"{root}: exists but is not a study folder (no study.yml) — give a study folder, "
                                "or a new folder to create the study in")
    study = load_study(root) if existing else None
    docs, problems = [], []
    for file in files:
        doc, doc_problems = parse_interview(str(file), read_paragraphs(file))
        docs.append(doc)
        problems += doc_problems
    first_of: dict[str, str] = {}
    for doc in docs:
        if doc.interview_id in first_of:
            problems.append(Problem(doc.file, "-", "-", f"gives the interview id {doc.interview_id!r}, as does "
                                    f"{first_of[doc.interview_id]}", "rename one of the files (the file name is the "
                                    "interview id)"))
        first_of.setdefault(doc.interview_id, doc.file)
    parties = {p: dict(labels) for p, labels in study.config["parties"].items()} if study else {}
    for doc in docs:
        value = doc.fields.get("party")
        if value and study is not None and _party_of(value, parties) is None:
            problems.append(Problem(doc.file, doc.field_lines["party"], "Partij", f"{value!r} is not a party of the study",
                                    f"use one of: {', '.join(sorted(parties))} (or their labels), or add the party "
                                    "under 'parties' in study.yml"))
        elif value and study is None and _party_of(value, parties) is None:
            party = safe_id(value, lower=True) or "onbekend"
            parties.setdefault(party, dict(DEFAULT_PARTIES.get(party, dict.fromkeys(LANGUAGES, value))))
    known = study.interviews.set_index("interview_id") if study is not None else None
    for doc in docs:
        if known is None or doc.interview_id not in known.index:
            continue
        row = known.loc[doc.interview_id]
        for column, value in doc.fields.items():
            value = _party_of(value, parties) if column == "party" else value
            old = row.get(column)
            if isinstance(old, str) and old != value:
                problems.append(Problem(doc.file, doc.field_lines[column], column, f"{value!r} differs from "
                                        f"{old!r} of interview {doc.interview_id} in interviews.csv",
                                        "correct the file or data/raw/interviews.csv so they agree, then import again"))
    if problems:
        raise DataError(problems)

    quote_ids = set(study.quotes["quote_id"]) if study is not None else set()
    numbered = set(study.interviews["pseudonym"].dropna()) if study is not None else set()
    next_respondent = len(known) + 1 if known is not None else 1
    interview_rows, quote_rows = [], []
    for doc in docs:
        new = [(qid, text) for qid, text in doc.quotes if qid not in quote_ids]
        quote_ids |= {qid for qid, _ in new}
        quote_rows += [{"quote_id": qid, "interview_id": doc.interview_id, "text": text} for qid, text in new]
        repeated = f" ({counted(doc.repeated, 'repeated paragraph')} left out)" if doc.repeated else ""
        if doc.ignored:
            repeated += f" (header lines not read: {', '.join(doc.ignored)})"
        if known is not None and doc.interview_id in known.index:
            kept = set(study.quotes.loc[study.quotes["interview_id"] == doc.interview_id, "quote_id"])
            gone = len(kept - {qid for qid, _ in doc.quotes})
            note = f"; {counted(gone, 'quote')} of the study no longer in the file, kept" if gone else ""
            echo(f"{doc.file}: interview {doc.interview_id} was imported before: "
                 + (f"{counted(len(new), 'new quote')} added" if new else "nothing added") + repeated + note)
            continue
        while f"Respondent {next_respondent}" in numbered:
            next_respondent += 1
        pseudonym = doc.fields.get("pseudonym") or f"Respondent {next_respondent}"
        numbered.add(pseudonym)
        interview_rows.append({**doc.fields, "interview_id": doc.interview_id, "pseudonym": pseudonym,
                               "party": _party_of(doc.fields["party"], parties)})
        echo(f"{doc.file}: interview {doc.interview_id} ({pseudonym}): {counted(len(new), 'quote')} added{repeated}")
    if not interview_rows and not quote_rows:
        echo(f"Nothing added to {root}: every paragraph of these files was imported before")
        return 0, 0
    created, was_there = not existing, root.exists()
    if created:
        from .coding import guess_language

        language = language or guess_language([row["text"] for row in quote_rows])
        init_study(root, title=root.resolve().name, parties=parties, language=language)
    # an existing study's tables as they were: put back when a later step fails, so nothing is half-added
    before = {} if created else {path: path.read_bytes() for path in (root / RAW / "interviews.csv",
                                                                      root / RAW / "quotes.csv") if path.is_file()}
    try:
        if interview_rows:
            update_raw_table(root, "interviews", interview_rows)
        update_raw_table(root, "quotes", quote_rows)
        load_study(root)  # what was written must load
    except BaseException:
        if created:  # a study this call began is removed again: nothing half-made stays behind
            shutil.rmtree(root, ignore_errors=True)
            if was_there:
                root.mkdir()
        for path, data in before.items():
            write_file(path, data)
        raise
    return len(interview_rows), len(quote_rows)

