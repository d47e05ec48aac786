"""A blind coding round in spreadsheets: ``sheets`` → coders fill in → ``collect`` → ``reconcile`` → ``collect``.

* `write_sheets` writes ``coding/<coder>.xlsx`` per coder: a sheet of instructions (the codebook's
  labels, definitions, include/exclude notes and examples, in the study language) and a coding sheet:
  ``quote_id`` and the quote (locked), one column per theme headed by its label, a valence column
  (a list in the study language) and a note column. No machine suggestion appears unless asked
  (``suggest``), so the coding stays blind.
* `collect` reads every ``coding/*.xlsx`` back into ``data/raw/codings.csv``: the file name is the
  coder (``reconcile.xlsx`` is the coder ``consensus``). A theme cell holding 1, x, ja, yes, j, y or
  true (any case) marks the theme; another value is a problem named ``FILE:SHEET!CELL``. A row with
  no cell filled is not coded yet; a row with only a valence or a note is a quote reviewed and left
  without a theme (a codings row with an empty theme). A coder's codes already in codings.csv are
  never changed unless ``replace``. Notes stay in the sheets: codings.csv has no place for them.
* `write_reconcile` writes ``coding/reconcile.xlsx``: every quote whose human coders gave different
  sets of themes, with each coder's codes and empty consensus columns.

Every file is written whole or not at all; quote cells are text, never formulas.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import CoopResearchError, DataError, Problem
from .labels import VALENCE_WORDS, counted
from .reliability import CONSENSUS_CODER, teaching_codes
from .schemas import VALENCES
from .study import Study, archive_problem, load_study, update_raw_table, write_file
from .workbook import text_cell

__all__ = ["CODING", "MARKS", "RECONCILE", "SheetCodes", "coding_workbook", "collect", "disagreements", "is_mark",
           "read_sheet", "write_reconcile", "write_sheets"]

CODING = Path("coding")
RECONCILE = "reconcile"
MARKS = {"1", "x", "ja", "yes", "j", "y", "true", "waar"}
QUOTE_SELECTIONS = ("all", "uncoded", "review")
CODER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$")
WORDS = {
    "nl": {
        "coding": "Codering", "instructions": "Instructies", "quote": "Citaat", "valence": "Waardering",
        "note": "Notitie", "suggestion": "Suggestie (machine)", "codes_of": "Codes van {coder}", "no_theme": "geen thema",
        "valences": {valence: words["nl"] for valence, words in VALENCE_WORDS.items()},
        "title": "Codeerronde: {title}", "reconcile_title": "Afstemmingsoverleg: {title}",
        "how": [
            "Codeer elk citaat op het blad 'Codering', zonder te overleggen met andere codeurs.",
            "Zet een x (of 1, ja) in de kolom van elk thema dat op het citaat van toepassing is; laat de andere leeg.",
            "Kies in 'Waardering' of het citaat positief, negatief of neutraal over het thema is.",
            "Past geen thema? Kies dan alleen een waardering of schrijf een notitie: het citaat telt als beoordeeld, "
            "zonder thema. Een rij die helemaal leeg blijft is nog niet gecodeerd.",
            "Citaat en quote_id staan vast; verander geen kopjes. Sla het bestand op als .xlsx en lever het in.",
        ],
        "reconcile_how": [
            "Elke rij is een citaat waarover de codeurs verschillen; hun codes staan ernaast.",
            "Zet in de themakolommen een x bij elk thema waarover het overleg het eens werd, en kies de waardering.",
            "Geen thema van toepassing? Kies alleen een waardering of schrijf een notitie. Lege rijen worden "
            "overgeslagen.",
        ],
        "columns": ("Thema", "Definitie", "Wel", "Niet", "Voorbeelden"),
        "mark_error": "Zet een x (of 1, ja) of laat de cel leeg.",
        "valence_error": "Kies positief, negatief of neutraal.",
    },
    "en": {
        "coding": "Coding", "instructions": "Instructions", "quote": "Quote", "valence": "Valence",
        "note": "Note", "suggestion": "Suggestion (machine)", "codes_of": "Codes of {coder}", "no_theme": "no theme",
        "valences": {valence: words["en"] for valence, words in VALENCE_WORDS.items()},
        "title": "Coding round: {title}", "reconcile_title": "Reconciliation meeting: {title}",
        "how": [
            "Code each quote on the sheet 'Coding' without consulting the other coders.",
            "Put an x (or 1, yes) in the column of each theme that applies to the quote; leave the others empty.",
            "Choose in 'Valence' whether the quote is positive, negative or neutral about the theme.",
            "No theme applies? Then only choose a valence or write a note: the quote counts as reviewed, without a "
            "theme. A row left entirely empty is not coded yet.",
            "Quote and quote_id are locked; do not change the headers. Save the file as .xlsx and hand it in.",
        ],
        "reconcile_how": [
            "Each row is a quote the coders disagree on; their codes stand beside it.",
            "Put an x in the theme columns of every theme the meeting agreed on, and choose the valence.",
            "No theme applies? Only choose a valence or write a note. Empty rows are skipped.",
        ],
        "columns": ("Theme", "Definition", "Include", "Exclude", "Examples"),
        "mark_error": "Write x (or 1, yes) or leave the cell empty.",
        "valence_error": "Choose positive, negative or neutral.",
    },
}
# headers and values collect accepts, in either language
QUOTE_HEADERS = {"citaat", "quote", "text", "tekst"}
VALENCE_HEADERS = {"waardering", "valence"}
NOTE_HEADERS = {"notitie", "note"}
IGNORED_HEADERS = QUOTE_HEADERS | {WORDS[lang]["suggestion"].casefold() for lang in WORDS}
VALENCE_OF = {word.casefold(): valence for lang in WORDS for valence, word in WORDS[lang]["valences"].items()}
VALENCE_OF.update({valence: valence for valence in VALENCES})


def is_mark(value) -> bool | None:
    """True for a mark (1, x, ja, yes, j, y, true in any case; Excel's TRUE), False for an empty cell, None otherwise.

    Examples
    --------
    >>> [is_mark(v) for v in ("X", " ja ", 1, True, None, "", "maybe", 2)]
    [True, True, True, True, False, False, None, None]
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    if isinstance(value, bool):
        return value or None
    if isinstance(value, int | float):
        return True if value == 1 else None
    return True if str(value).strip().casefold() in MARKS else None


# --- writing sheets -------------------------------------------------------------------------

def _instructions(workbook, study: Study, lang: str, heading: str, how: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    words = WORDS[lang]
    sheet = workbook.create_sheet(words["instructions"], 0)
    text_cell(sheet["A1"], heading)
    sheet["A1"].font = Font(bold=True, size=14)
    row = 3
    for line in how:
        text_cell(sheet.cell(row, 1), line)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 32
        row += 1
    row += 1
    for column, header in enumerate(words["columns"], start=1):
        text_cell(sheet.cell(row, column), header)
        sheet.cell(row, column).font = Font(bold=True)
    for theme in study.codebook.themes:
        row += 1
        values = (theme.label[lang], theme.definition[lang], theme.include.get(lang, ""), theme.exclude.get(lang, ""),
                  "\n".join(f"• {example}" for example in theme.examples.get(lang, [])[:3]))
        for column, value in enumerate(values, start=1):
            text_cell(sheet.cell(row, column), value)
            sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 1).font = Font(bold=True)
    for column, width in zip("ABCDE", (22, 50, 40, 40, 50), strict=True):
        sheet.column_dimensions[column].width = width


def coding_workbook(study: Study, rows: pd.DataFrame, *, heading: str, how: list[str],
                    extra: dict[str, list[str]] | None = None):
    """A workbook to code ``rows`` (``quote_id``, ``text``) in: instructions, then the coding sheet (pure, in memory).

    ``extra`` adds locked columns after the quote (header → one value per row): a machine
    suggestion, or each coder's codes in the reconciliation sheet.

    Examples
    --------
    >>> study = load_study(MINI_STUDY)
    >>> book = coding_workbook(study, study.quotes, heading="Codeerronde", how=[])
    >>> [cell.value for cell in book["Codering"][1]]
    ['quote_id', 'Citaat', 'Transparantie', 'Mandaat', 'Eigenaarschap', 'Betrouwbaarheid', 'Waardering', 'Notitie']
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lang, extra = study.language, extra or {}
    words = WORDS[lang]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = words["coding"]
    labels = study.codebook.labels(lang)
    headers = ["quote_id", words["quote"], *extra, *labels.values(), words["valence"], words["note"]]
    first_theme = 3 + len(extra)
    valence_column, note_column = first_theme + len(labels), first_theme + len(labels) + 1
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(1, column)
        text_cell(cell, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    open_cell = Protection(locked=False)
    for i, (quote_id, text) in enumerate(zip(rows["quote_id"], rows["text"], strict=True)):
        row = i + 2
        text_cell(sheet.cell(row, 1), quote_id)
        text_cell(sheet.cell(row, 2), text)
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        for offset, values in enumerate(extra.values()):
            text_cell(sheet.cell(row, 3 + offset), values[i])
            sheet.cell(row, 3 + offset).alignment = Alignment(wrap_text=True, vertical="top")
        for column in range(first_theme, note_column + 1):
            cell = sheet.cell(row, column)
            cell.protection = open_cell
            cell.alignment = Alignment(horizontal="center" if column < valence_column else "left", vertical="top",
                                       wrap_text=column == note_column)
    last = max(len(rows) + 1, 2)
    marks = DataValidation(type="list", formula1='"x"', allow_blank=True, showErrorMessage=True, errorStyle="warning",
                           error=words["mark_error"])
    marks.add(f"{get_column_letter(first_theme)}2:{get_column_letter(valence_column - 1)}{last}")
    valences = DataValidation(type="list", formula1='"' + ",".join(words["valences"].values()) + '"', allow_blank=True,
                              showErrorMessage=True, error=words["valence_error"])
    valences.add(f"{get_column_letter(valence_column)}2:{get_column_letter(valence_column)}{last}")
    sheet.add_data_validation(marks)
    sheet.add_data_validation(valences)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 70
    for column in range(3, note_column + 1):
        width = 30 if column < first_theme else 14 if column <= valence_column else 40
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True  # no password: it guards against slips, not people
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widths and heights may change
    _instructions(workbook, study, lang, heading, how)
    workbook.active = 1
    return workbook


def _save(workbook, path: Path) -> Path:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return write_file(path, buffer.getvalue())


def _refuse_existing(path: Path, root: Path, what: str) -> None:
    if path.exists():
        raise CoopResearchError(f"{path}: exists and may hold {what} — collect it first ('coopresearch collect "
                                f"{root}'), then move it away, or give --overwrite to write a new one over it")


def write_sheets(study_dir: str | os.PathLike, coders: Iterable[str], *, quotes: str = "all", suggest: bool = False,
                 overwrite: bool = False, echo: Callable[[str], None] = print) -> list[Path]:
    """Write ``coding/<coder>.xlsx`` for each coder; ``quotes``: ``all``, ``uncoded`` (those the coder has not
    coded) or ``review`` (the quotes the coder has not coded where the machine is unsure, most unsure first:
    `coding.review_queue`).

    With ``suggest`` the machine's themes stand beside each quote (the coding is then no longer blind).
    """
    root = Path(study_dir)
    coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if not coders:
        raise CoopResearchError("--coders: give the coders' names, e.g. --coders anna,bram")
    for coder in coders:
        if not CODER_NAME.match(coder) or coder.casefold() in (RECONCILE, CONSENSUS_CODER):
            raise CoopResearchError(f"--coders: {coder!r} cannot be a coder's name — use letters, digits, _ and - "
                                    f"(not '{RECONCILE}' or '{CONSENSUS_CODER}', which the reconciliation uses)")
    if quotes not in QUOTE_SELECTIONS:
        raise CoopResearchError(f"--quotes {quotes}: choose all, uncoded or review")
    study = load_study(root)
    paths = {coder: root / CODING / f"{coder}.xlsx" for coder in coders}
    if not overwrite:
        for coder, path in paths.items():
            _refuse_existing(path, root, f"{coder}'s codes")
    extra = {}
    # the machine as the reports have it: its model taught by the study's human codes so far
    taught = {"lang": study.language, **teaching_codes(study.codings)}
    if suggest:
        from .coding import machine_codes

        codes = machine_codes(study.quotes, study.codebook, **taught)
        labels = study.codebook.labels(study.language)
        suggested = codes.groupby("quote_id")["theme"].agg(lambda themes: "; ".join(labels[t] for t in themes))
        extra = {WORDS[study.language]["suggestion"]: suggested}
    if quotes == "review":
        from .coding import review_queue

        queue = review_queue(study.quotes, study.codebook, **taught)["quote_id"].drop_duplicates()
    written = []
    for coder, path in paths.items():
        rows = study.quotes
        if quotes in ("uncoded", "review"):
            done = set(study.codings.loc[study.codings["coder"] == coder, "quote_id"])
            rows = rows[~rows["quote_id"].isin(done)]
        if quotes == "review":  # the queue's order: most unsure first
            rows = rows.set_index("quote_id").loc[[q for q in queue if q in set(rows["quote_id"])]].reset_index()
        if rows.empty:
            echo(f"{coder}: " + ("the machine is unsure of no quote this coder has not coded (or has no model for this "
                                 "codebook's themes)" if quotes == "review" else "every quote is coded")
                 + " — no sheet written")
            continue
        book = coding_workbook(study, rows, heading=WORDS[study.language]["title"].format(title=study.title),
                               how=WORDS[study.language]["how"],
                               extra={h: [s.get(q, "") for q in rows["quote_id"]] for h, s in extra.items()})
        written.append(_save(book, path))
        echo(f"{coder}: {counted(len(rows), 'quote')} to code in {path}")
    return written


# --- reading sheets back ------------------------------------------------------------------

@dataclass(frozen=True)
class SheetCodes:
    """A coder's codes read from a sheet: quote → sorted ((theme or "", valence or ""), …), and each quote's cell."""

    coder: str
    file: str
    codes: dict[str, tuple[tuple[str, str], ...]]
    cells: dict[str, str]  # quote → its quote_id cell (SHEET!A5), for messages


def _header_kind(header: str, theme_of: dict[str, str]) -> str | None:
    """What a header names: ``quote_id``, a theme id, ``:valence``, ``:note``; ``""`` for a column to ignore; None if unknown."""
    key = header.strip().casefold()
    if key == "quote_id":
        return "quote_id"
    if key in VALENCE_HEADERS:
        return ":valence"
    if key in NOTE_HEADERS:
        return ":note"
    if key in theme_of:
        return theme_of[key]
    if not key or key in IGNORED_HEADERS or key.startswith(("codes van ", "codes of ")):
        return ""
    return None


def read_sheet(path: str | os.PathLike, study: Study, *, shown: str, coder: str) -> tuple[SheetCodes, list[Problem]]:
    """A filled coding sheet: the coder's codes per quote, and every problem as ``FILE:SHEET!CELL``."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    too_big = archive_problem(Path(path))
    if too_big:
        return SheetCodes(coder, shown, {}, {}), [Problem(shown, "-", "-", f"not read: {too_big}",
                                                          "hand in the sheet 'coopresearch sheets' wrote")]
    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        return SheetCodes(coder, shown, {}, {}), [Problem(shown, "-", "-", f"not a readable .xlsx workbook ({exc})",
                                                          "open it in Excel or LibreOffice and save it as .xlsx")]
    sheet = next((s for s in workbook.worksheets if str(s.cell(1, 1).value or "").strip() == "quote_id"), None)
    if sheet is None:
        return SheetCodes(coder, shown, {}, {}), [Problem(shown, "-", "-", "no sheet has 'quote_id' in cell A1",
                                                          "hand in the sheet 'coopresearch sheets' wrote, headers unchanged")]
    theme_of = {}
    for theme in study.codebook.themes:
        theme_of.update({label.casefold(): theme.id for label in theme.label.values()})
        theme_of[theme.id.casefold()] = theme.id
    problems, kinds = [], {}
    where = f"{sheet.title}!"
    for column in range(1, sheet.max_column + 1):
        header = sheet.cell(1, column).value
        kind = _header_kind(str(header or ""), theme_of)
        letter = get_column_letter(column)
        if kind is None:
            problems.append(Problem(shown, f"{where}{letter}1", str(header), "is not a theme of the codebook nor a column "
                                    "of the sheet", "restore the header as 'coopresearch sheets' wrote it"))
        elif kind:
            kinds[column] = kind
    known = set(study.quotes["quote_id"])
    codes, cells = {}, {}
    for row in range(2, sheet.max_row + 1):
        quote = str(sheet.cell(row, 1).value or "").strip()
        themes, valence, filled = [], "", False
        for column, kind in kinds.items():
            if kind == "quote_id":
                continue
            value = sheet.cell(row, column).value
            cell = f"{where}{get_column_letter(column)}{row}"
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            filled = True
            if kind == ":note":
                continue
            if kind == ":valence":
                valence = VALENCE_OF.get(str(value).strip().casefold(), "")
                if not valence:
                    problems.append(Problem(shown, cell, WORDS[study.language]["valence"], f"{value!r} is not a valence",
                                            f"choose {', '.join(WORDS[study.language]['valences'].values())} or leave it "
                                            "empty"))
                continue
            mark = is_mark(value)
            if mark is None:
                problems.append(Problem(shown, cell, str(sheet.cell(1, column).value), f"{value!r} is not a mark",
                                        "write x or leave the cell empty"))
            elif mark:
                themes.append(kind)
        if not filled:
            continue
        if not quote:
            problems.append(Problem(shown, f"{where}A{row}", "quote_id", "the row is filled in but has no quote_id",
                                    "restore the quote_id or clear the row"))
            continue
        if quote not in known:
            problems.append(Problem(shown, f"{where}A{row}", "quote_id", f"{quote!r} is not a quote of the study",
                                    "restore the quote_id 'coopresearch sheets' wrote"))
            continue
        if quote in codes:
            problems.append(Problem(shown, f"{where}A{row}", "quote_id", f"{quote!r} is coded on an earlier row "
                                    f"({cells[quote]}) too", "code each quote on one row"))
            continue
        codes[quote] = tuple(sorted((theme, valence) for theme in dict.fromkeys(themes))) if themes else (("", valence),)
        cells[quote] = f"{where}A{row}"
    return SheetCodes(coder, shown, codes, cells), problems


def _existing(codings: pd.DataFrame) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """codings.csv as (coder, quote) → sorted ((theme or "", valence or ""), …)."""
    rows = codings.fillna({"theme": "", "valence": ""})
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for quote, coder, theme, valence in zip(rows["quote_id"], rows["coder"], rows["theme"], rows["valence"], strict=True):
        grouped.setdefault((coder, quote), []).append((theme, valence))
    return {key: tuple(sorted(set(value))) for key, value in grouped.items()}


def _describe(codes: tuple[tuple[str, str], ...], labels: dict[str, str]) -> str:
    """Codes in words: ``Mandaat (negative), Transparantie`` or ``(no theme)``."""
    parts = [(labels.get(theme, theme) if theme else "(no theme)") + (f" ({valence})" if valence else "")
             for theme, valence in codes]
    return ", ".join(parts)


def collect(study_dir: str | os.PathLike, *, replace: bool = False, echo: Callable[[str], None] = print) -> int:
    """Read ``coding/*.xlsx`` into ``data/raw/codings.csv``; return the number of codings rows written.

    Every sheet is read and checked before anything is written; on any problem (a bad cell, or a
    coder's codes in codings.csv that the sheet would change, without ``replace``) nothing is written.
    """
    root = Path(study_dir)
    study = load_study(root)
    files = sorted(p for p in (root / CODING).glob("*.xlsx") if not p.name.startswith(("~$", ".")))
    if not files:
        raise CoopResearchError(f"{root / CODING}: no coding sheets (.xlsx) — write them with 'coopresearch sheets "
                                f"{root} --coders NAME,NAME', let the coders fill them in, and put them there")
    sheets, problems = [], []
    for path in files:
        reconcile = path.stem.casefold() == RECONCILE  # Reconcile.xlsx too: never a human coder called 'Reconcile'
        coder = CONSENSUS_CODER if reconcile else path.stem
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        if not reconcile and (not CODER_NAME.match(coder) or coder.casefold() == CONSENSUS_CODER):
            problems.append(Problem(shown, "-", "-", f"{coder!r} cannot be a coder's name (the file name is the coder)",
                                    "rename the file: letters, digits, _ and - (consensus comes from reconcile.xlsx)"))
            continue
        sheet, sheet_problems = read_sheet(path, study, shown=shown, coder=coder)
        sheets.append(sheet)
        problems += sheet_problems
    existing = _existing(study.codings)
    labels = study.codebook.labels(study.language)
    additions, replaced, lines = [], set(), []
    for sheet in sheets:
        added = changed = same = 0
        changes = []
        for quote, codes in sheet.codes.items():
            before = existing.get((sheet.coder, quote))
            if before == codes:
                same += 1
                continue
            if before is not None:
                if not replace:
                    problems.append(Problem(sheet.file, sheet.cells[quote], quote, f"{sheet.coder}'s codes in codings.csv "
                                            f"are {_describe(before, labels)}, the sheet has {_describe(codes, labels)}",
                                            "collect with --replace to replace them, or make the sheet agree"))
                    continue
                changed += 1
                replaced.add((sheet.coder, quote))
                changes.append(f"  {sheet.coder}: {quote}: replaced {_describe(before, labels)} by {_describe(codes, labels)}")
            else:
                added += 1
            additions += [{"quote_id": quote, "coder": sheet.coder, "theme": theme, "valence": valence}
                          for theme, valence in codes]
        lines.append(f"{sheet.file}: {sheet.coder}: {counted(added, 'quote')} added, {changed} changed, {same} unchanged")
        lines += changes
    if problems:
        raise DataError(problems)
    for line in lines:
        echo(line)
    if not additions:
        echo("Nothing new: data/raw/codings.csv is unchanged")
        return 0
    path = update_raw_table(root, "codings", additions, drop=lambda row: (row.get("coder"), row.get("quote_id")) in replaced)
    load_study(root)  # what was written must load (it does: every value was checked above)
    echo(f"{path}: {counted(len(additions), 'row')} written")
    return len(additions)


# --- reconciliation ---------------------------------------------------------------------

def disagreements(study: Study) -> tuple[pd.DataFrame, list[str]]:
    """The quotes whose human coders gave different sets of themes, with each coder's codes in words.

    Only coders who reviewed a quote count; quotes the ``consensus`` coder settled are left out.
    Returns the rows (``quote_id``, ``text``, one column per coder) and the coders.

    Examples
    --------
    >>> rows, coders = disagreements(load_study(MINI_STUDY))
    >>> coders, rows["quote_id"].tolist(), rows.iloc[0]["b"]
    (['a', 'b'], ['Q4', 'Q5'], 'Mandaat (negatief)')
    """
    lang = study.language
    codings = study.codings
    coders = sorted(set(codings["coder"]) - {CONSENSUS_CODER})
    if len(coders) < 2:
        raise CoopResearchError(f"codings.csv holds the codes of {counted(len(coders), 'coder')} "
                                f"({', '.join(coders) or 'none'}): a reconciliation needs two or more — collect the "
                                "other coders' sheets first")
    settled = set(codings.loc[codings["coder"] == CONSENSUS_CODER, "quote_id"])
    existing = _existing(codings[codings["coder"] != CONSENSUS_CODER])
    labels, valences = study.codebook.labels(lang), WORDS[lang]["valences"]

    def words(codes: tuple[tuple[str, str], ...] | None) -> str:
        if codes is None:
            return ""
        return "; ".join((labels[theme] if theme else WORDS[lang]["no_theme"]) + (f" ({valences[valence]})" if valence else "")
                         for theme, valence in codes)

    rows = []
    for quote, text in zip(study.quotes["quote_id"], study.quotes["text"], strict=True):
        if quote in settled:
            continue
        reviewed = {coder: existing[(coder, quote)] for coder in coders if (coder, quote) in existing}
        themes = {frozenset(theme for theme, _ in codes if theme) for codes in reviewed.values()}
        if len(reviewed) >= 2 and len(themes) > 1:
            rows.append({"quote_id": quote, "text": text, **{coder: words(reviewed.get(coder)) for coder in coders}})
    return pd.DataFrame(rows, columns=["quote_id", "text", *coders]), coders


def write_reconcile(study_dir: str | os.PathLike, *, overwrite: bool = False,
                    echo: Callable[[str], None] = print) -> Path | None:
    """Write ``coding/reconcile.xlsx``: every disagreement, each coder's codes, empty consensus columns.

    Returns the file, or None when the coders agree on every quote (nothing is written then).
    """
    root = Path(study_dir)
    study = load_study(root)
    rows, coders = disagreements(study)
    if rows.empty:
        echo(f"{root}: the coders ({', '.join(coders)}) agree on the themes of every quote they both coded: "
             "nothing to reconcile")
        return None
    path = root / CODING / f"{RECONCILE}.xlsx"
    if not overwrite:
        _refuse_existing(path, root, "the consensus codes")
    words = WORDS[study.language]
    book = coding_workbook(study, rows, heading=words["reconcile_title"].format(title=study.title),
                           how=words["reconcile_how"],
                           extra={words["codes_of"].format(coder=coder): rows[coder].tolist() for coder in coders})
    _save(book, path)
    echo(f"{path}: {counted(len(rows), 'disagreement')} between {', '.join(coders)} to reconcile; fill in the consensus "
         f"columns, then run 'coopresearch collect {root}' (recorded as the coder '{CONSENSUS_CODER}')")
    return path
