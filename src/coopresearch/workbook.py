"""``reports/tables.xlsx``: every table the reports show, one sheet each, as a reader sees it in Excel.

Headers and ids are in the report language; numbers stay numbers (Excel shows them in the
reader's own decimal sign) with a fixed number format; text is stored as text, so a quote
that starts with ``=`` never becomes a formula. Only tables the reports show are written,
so the privacy rule applies exactly as in the reports: the quote-level archives (machine
codes, final codes, the quotes to check with interviewees) stay out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .labels import TABLE_TITLES, WORKBOOK, label, localise, reader_words
from .processed import Processed
from .study import sheet_ref

__all__ = ["text_cell", "write_tables_workbook"]

# archived for re-use and audit, not shown as a whole in any report
NOT_SHOWN = {"codings_machine", "codes_final", "association_test", "quote_check"}


def shown_tables(data: Processed, lang: str) -> list[str]:
    """The names of the tables to write, in manifest order, one language of each per-language table."""
    names = []
    for name, entry in data.manifest["products"].items():
        base, _, suffix = name.rpartition("_")
        if entry["kind"] != "table" or name in NOT_SHOWN:
            continue
        if suffix in ("nl", "en"):
            if suffix == lang:
                names.append(base)
        else:
            names.append(name)
    return names


def text_cell(cell, value) -> None:
    """A text cell that never becomes a formula, even when it starts with = + - @ (quotes come from interviews)."""
    cell.value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    cell.data_type = "s"
    if cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
        cell.quotePrefix = True  # Excel keeps it text when the cell is edited, too


def _sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\.

    Examples
    --------
    >>> _sheet_name("Thema's per partij: [alles]?", set())
    "Thema's per partij alles"
    """
    name = re.sub(r"[\[\]:*?/\\]", "", title).strip()[:31].strip() or "Tabel"
    base, n = name, 2
    while name.lower() in {t.lower() for t in taken}:
        name = f"{base[:28]} {n}"
        n += 1
    return name


def write_tables_workbook(data: Processed, path: Path, *, lang: str) -> list[str]:
    """Write the workbook; return the sheet names (the first is the contents)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    words = WORKBOOK[lang]
    names = data.names(lang)
    book = Workbook()
    contents = book.active
    contents.title = words["contents"]
    contents.append([data.title])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([])
    contents.append([words["sheet"], words["table"]])
    for cell in contents[3]:
        cell.font = Font(bold=True)
    taken = {contents.title}
    for name in shown_tables(data, lang):
        table = data.table(name, lang)
        if table.empty and not len(table.columns):
            continue
        title = TABLE_TITLES.get(name, {}).get(lang, name)
        sheet = book.create_sheet(_sheet_name(title, taken))
        taken.add(sheet.title)
        contents.append([sheet.title, title])
        contents.cell(contents.max_row, 1).hyperlink = "#" + sheet_ref(sheet.title, "A1")
        _fill(sheet, localise(reader_words(table, lang, names), lang), lang)
    contents.column_dimensions["A"].width = 34
    contents.column_dimensions["B"].width = 60
    book.save(path)
    return book.sheetnames


def _fill(sheet, table: pd.DataFrame, lang: str) -> None:
    from openpyxl.styles import Font

    sheet.append([str(column) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        text_cell(cell, cell.value)
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c]) for c in table]
    whole = [kind and bool(((table[c].dropna() % 1) == 0).all()) for c, kind in zip(table, numeric, strict=True)]
    for row in table.itertuples(index=False):
        sheet.append([_cell_value(value, lang) for value in row])
        for cell, is_number, is_whole in zip(sheet[sheet.max_row], numeric, whole, strict=True):
            if isinstance(cell.value, str):
                text_cell(cell, cell.value)  # text, never a formula, whatever it starts with
            elif is_number and cell.value is not None:
                cell.number_format = "0" if is_whole else "0.00"
    sheet.freeze_panes = "A2"
    for i, column in enumerate(table.columns, 1):
        longest = max([len(str(column))] + [len(str(v)) for v in table.iloc[:, i - 1].head(200)])
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, max(8, longest + 2))


def _cell_value(value, lang: str):
    """A table value as a cell holds it: a number stays a number, yes/no in words, a missing value an empty cell."""
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return label(value, lang)  # ja/nee, yes/no
    if isinstance(value, int | float):
        return None if pd.isna(value) else value
    return None if value is None or value is pd.NA or value is pd.NaT else str(value)
