"""A study folder on disk: find it, read and validate every input, write derived tables.

All reading and writing of study files happens here (and in `pipeline` for reports);
the rest of the package works on the DataFrames this module returns.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime
import io
import json
import os
import re
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import networkx as nx
import pandas as pd

from .codebook import Codebook, load_codebook, packaged_codebook_text, parse_codebook
from .errors import CodebookError, CoopResearchError, DataError, Problem
from .labels import AUDITOR_GUIDANCE
from .schemas import (
    LANGUAGES,
    TABLES,
    TableSpec,
    config_problems,
    load_yaml,
    normalise_header,
    read_yaml_text,
    relationship_problems,
    table_problems,
)

__all__ = [
    "CONFIG",
    "PROCESSED",
    "RAW",
    "REPORTS",
    "Study",
    "cell_problems",
    "init_study",
    "input_files",
    "load_study",
    "packaged_notebooks",
    "raw_path",
    "read_table",
    "sheet_ref",
    "study_notebooks",
    "study_settings",
    "tables_guide",
    "update_raw_table",
    "without_formulas",
    "write_file",
    "write_raw_tables",
    "write_tables",
]

RAW = Path("data/raw")
PROCESSED = Path("data/processed")
REPORTS = Path("reports")
CONFIG = "study.yml"


@dataclass(frozen=True)
class Study:
    """A validated study: its settings, codebook and input tables.

    Tables have one row per CSV record and string columns; empty cells are missing
    values (NaN) and ``scan.score`` is an integer.
    """

    root: Path
    config: dict
    codebook: Codebook
    tables: Mapping[str, pd.DataFrame] = field(repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        # study.quotes, study.interviews, ...: one attribute per table of the contract
        tables = object.__getattribute__(self, "tables")
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def title(self) -> str:
        return self.config["title"]

    @property
    def language(self) -> str:
        return self.config["language"]

    @property
    def min_group_size(self) -> int:
        return self.config["min_group_size"]

    def party_labels(self, lang: str) -> dict[str, str]:
        """Map party id to its label in ``lang``."""
        return {party: labels[lang] for party, labels in self.config["parties"].items()}


def study_settings(study: Study) -> dict:
    """What a report says about a study besides its tables: title, labels, privacy rule, codebook, empty tables.

    Examples
    --------
    >>> study_settings(load_study(MINI_STUDY))["themes"]["mandate"]["en"]
    'Mandate'
    """
    return {
        "title": study.title,
        "commissioned_by": study.config.get("commissioned_by") or "",
        "interview_period": _period(study.tables["interviews"]),
        "language": study.language,
        "min_group_size": study.min_group_size,
        "scan_answered_for": study.config["scan_answered_for"],
        "parties": {party: dict(labels) for party, labels in study.config["parties"].items()},
        "themes": {theme: {lang: study.codebook.labels(lang)[theme] for lang in LANGUAGES}
                   for theme in study.codebook.theme_ids},
        "relationships": study.config.get("relationships") or {},
        "codebook": {"file": str(study.config["codebook"]), "sha256": study.codebook.sha256,
                     "themes": study.codebook.theme_ids},
        "empty_tables": sorted(name for name, table in study.tables.items() if table.empty),
    }


def _period(interviews: pd.DataFrame) -> list[str]:
    """The first and last interview date (ISO), or an empty list when no interview has a date."""
    dates = sorted(interviews["date"].dropna().loc[lambda d: d != ""]) if "date" in interviews else []
    return [dates[0], dates[-1]] if dates else []


MAX_XLSX_BYTES = 50_000_000  # a workbook of quotes is a few MB; a bigger one is not a study's table
MAX_XLSX_UNPACKED = 500_000_000  # what its parts may unpack to (a small zip can unpack to gigabytes)
MAX_XLSX_COLUMNS = 32  # a raw table has at most 8 columns; more are not read
MAX_XLSX_ROWS = 200_000


def raw_path(root: str | os.PathLike, spec: TableSpec) -> tuple[Path, list[Problem]]:
    """The file a raw table is read from: ``data/raw/NAME.csv``, or ``NAME.xlsx`` when that is there instead.

    Both present is a problem (which one holds the study's data?); so is only a format
    that is not read (``.xls``, ``.ods``).
    """
    csv_path, xlsx_path = Path(root) / RAW / spec.file, Path(root) / RAW / f"{spec.name}.xlsx"
    if csv_path.is_file() and xlsx_path.is_file():
        return csv_path, [Problem(str(RAW / spec.file), "-", "-", f"both {RAW / spec.file} and {RAW / xlsx_path.name} exist",
                                  "keep the one that holds the data and move the other out of data/raw")]
    if xlsx_path.is_file():
        return xlsx_path, []
    others = [] if csv_path.is_file() else sorted(p.name for p in (Path(root) / RAW).glob(f"{spec.name}.*")
                                                   if p.suffix.lower() in (".xls", ".ods", ".xlsm", ".txt"))
    if others:
        return csv_path, [Problem(str(RAW / spec.file), "-", "-", f"file is missing ({RAW / others[0]} is in a format that "
                                  "is not read)", f"save it as {spec.name}.xlsx (Excel Workbook) or {spec.file} ('CSV UTF-8')")]
    return csv_path, []


def read_table(path: Path, spec: TableSpec, *, shown: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one table (CSV, or an Excel workbook ``.xlsx``) as strings, indexed by the line where each record starts.

    A CSV may be separated by commas or semicolons (as Excel saves 'CSV UTF-8': found from the
    header line), with or without a byte order mark, with CRLF or LF line ends. A workbook is
    read from the sheet named after the table, else its first sheet, every cell as the text a
    person sees; its rows are the sheet's rows, and ``cell_problems`` gives its problems a cell.
    Problems that stop the table from being read at all (missing, empty, not UTF-8,
    ragged rows) are returned instead of the table's contents.
    """
    empty = _empty(spec)
    if not path.is_file():
        return empty, [Problem(shown, "-", "-", "file is missing",
                               f"create it with the header line {','.join(spec.required)} "
                               "('coopresearch init' writes templates)")]
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, spec, shown=shown, empty=empty)
    return _read_csv(path, spec, shown=shown, empty=empty)


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV: a semicolon when its header line (outside double quotes) has more of them than commas.

    Examples
    --------
    >>> csv_delimiter("interview_id;organisation;party\\r\\nI1;Gemeente, Emmen;gemeente\\r\\n")
    ';'
    >>> csv_delimiter('quote_id,"text; with a semicolon"\\n'), csv_delimiter("quote_id\\n")
    (',', ',')
    """
    counts, quoted = {",": 0, ";": 0}, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _read_csv(path: Path, spec: TableSpec, *, shown: str, empty: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        return empty, [Problem(shown, line, "-", f"text is not UTF-8 (byte 0x{raw[exc.start]:02x} at character {column})",
                               "re-save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8')")]
    if not text.strip():
        return empty, [Problem(shown, 1, "-", "file is empty", f"write the header line: {','.join(spec.required)}")]
    delimiter = csv_delimiter(text)
    separator = {",": "commas", ";": "semicolons"}[delimiter]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, lines, problems = [], [], []
    last = 0
    try:
        header = normalise_header(next(reader))
        last = reader.line_num
        for record in reader:
            start, last = last + 1, reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(Problem(shown, start, "-", f"row has {len(record)} values but the header has {len(header)}",
                                        f"put text that contains {separator} between double quotes, or add the missing values"))
                continue
            records.append([cell.strip() for cell in record])
            lines.append(start)
    except csv.Error:  # a value past the csv module's limit: mostly a double quote that is never closed
        return empty, [Problem(shown, last + 1, "-", f"a value is longer than {csv.field_size_limit():,} characters",
                               "close the double quote that opens it, or split the text over several quotes")]
    table = pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    return table, problems


def cell_text(value: object) -> str:
    """A workbook cell as the text a person sees: whole numbers without ``.0``, dates as ``YYYY-MM-DD``.

    Examples
    --------
    >>> import datetime
    >>> [cell_text(v) for v in (None, 7, 7.0, 0.1 + 0.2, " Emmen ", datetime.datetime(2027, 3, 2), True)]
    ['', '7', '7', '0.3', 'Emmen', '2027-03-02', 'TRUE']
    >>> cell_text(datetime.datetime(2027, 3, 2, 14, 30))
    '2027-03-02 14:30:00'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def sheet_ref(sheet: str, cell: str) -> str:
    """A cell (or row) as Excel writes it, the sheet quoted when it has more than letters, digits and ``_``.

    Examples
    --------
    >>> sheet_ref("interviews", "C4"), sheet_ref("Blad 1", "4:4"), sheet_ref("Jan's", "A1")
    ('interviews!C4', "'Blad 1'!4:4", "'Jan''s'!A1")
    """
    return f"{sheet}!{cell}" if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + f"'!{cell}"


def unpacked_size(path: Path) -> int | None:
    """What an Office file (.xlsx, .docx: a zip archive) unpacks to, in bytes; None when it is not a zip archive.

    Python's zipfile enforces the sizes an archive declares, so a file cannot unpack to more than this.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return None


def archive_problem(path: Path, *, max_bytes: int = MAX_XLSX_BYTES, max_unpacked: int = MAX_XLSX_UNPACKED) -> str | None:
    """Why an Office file (.xlsx, .docx: a zip archive) is not read, or None: too big, or it unpacks to too much.

    Examples
    --------
    >>> archive_problem(Path(MINI_STUDY) / "study.yml")
    'not an Office file (a zip archive)'
    """
    if path.stat().st_size > max_bytes:
        return f"larger than {max_bytes // 1_000_000} MB"
    unpacked = unpacked_size(path)
    if unpacked is None:
        return "not an Office file (a zip archive)"
    if unpacked > max_unpacked:
        return f"it unpacks to more than {max_unpacked // 1_000_000} MB"
    return None


def _read_xlsx(path: Path, spec: TableSpec, *, shown: str, empty: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    import openpyxl  # only when a study has a workbook
    from openpyxl.utils import get_column_letter

    resave = f"save it again from Excel as 'Excel Workbook (.xlsx)', or as {spec.file} ('CSV UTF-8')"
    if path.stat().st_size > MAX_XLSX_BYTES:
        return empty, [Problem(shown, "-", "-", f"the workbook is larger than {MAX_XLSX_BYTES // 1_000_000} MB, more than "
                               "a study's table needs", "check that it is the right file, or save the table as CSV")]
    unpacked = unpacked_size(path)
    if unpacked is None:
        return empty, [Problem(shown, "-", "-", "not an Excel workbook (.xlsx)", resave)]
    if unpacked > MAX_XLSX_UNPACKED:
        return empty, [Problem(shown, "-", "-", f"the workbook unpacks to more than {MAX_XLSX_UNPACKED // 1_000_000} MB",
                               "check that it is the right file, or save the table as CSV")]
    rows, problems = [], []
    try:
        with warnings.catch_warnings():  # about parts of a workbook that are not read (styles, data validation, ...)
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = workbook.worksheets
            if not sheets:
                return empty, [Problem(shown, "-", "-", "the workbook has no sheet with cells", resave)]
            sheet = next((s for s in sheets if s.title.strip().casefold() == spec.name), sheets[0])
            sheet.reset_dimensions()  # read every cell, whatever size the file claims
            # at most MAX_XLSX_COLUMNS columns: a row with a cell far right (column XFD) would otherwise be read
            # as 16,384 cells, and a small file as gigabytes
            for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_XLSX_COLUMNS), start=1):
                if number > MAX_XLSX_ROWS:
                    return empty, [Problem(shown, sheet_ref(sheet.title, f"{number}:{number}"), "-",
                                           f"the sheet has more than {MAX_XLSX_ROWS:,} rows, more than a study's table needs",
                                           "check that it is the right sheet, or remove the rows below the table")]
                texts = [cell_text(value) for value in values]
                while texts and not texts[-1]:
                    texts.pop()
                if texts:
                    rows.append((number, texts))
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook: one line for each
        return empty, [Problem(shown, "-", "-", f"the workbook cannot be read ({type(exc).__name__})", resave)]
    title = sheet.title
    if not rows:
        return empty, [Problem(shown, sheet_ref(title, "1:1"), "-", "the sheet is empty",
                               f"write the header in row 1: {', '.join(spec.required)}")]
    (header_row, header), *rows = rows
    width = max(i for i, text in enumerate(header, start=1) if text)
    header = normalise_header(header[:width])
    records, numbers = [], []
    for number, texts in rows:
        beyond = [i for i, text in enumerate(texts[width:], start=width + 1) if text]
        if beyond:
            problems.append(Problem(shown, sheet_ref(title, f"{get_column_letter(beyond[0])}{number}"), "-",
                                    "a value right of the last column of the header",
                                    f"give its column a name in row {header_row}, or remove the value"))
            continue
        records.append(texts[:width] + [""] * (width - len(texts)))
        numbers.append(number)
    table = pd.DataFrame(records, columns=header, index=pd.Index(numbers, name="line"), dtype=object)
    table.attrs["cells"] = {"sheet": title, "header": header_row,
                            "letters": {name: get_column_letter(i) for i, name in reversed(list(enumerate(header, 1)))}}
    return table, problems


def cell_problems(problems: list[Problem], table: pd.DataFrame) -> list[Problem]:
    """The problems of a table read from a workbook, located in its cells (``interviews!C4``) instead of lines.

    A problem of a value names its cell; one of a row, or of a column missing from the header,
    names the row (``interviews!4:4``). Problems of a CSV table are returned as they are.
    """
    cells = table.attrs.get("cells")
    if not cells:
        return problems
    located = []
    for problem in problems:
        if isinstance(problem.row, int):
            row = cells["header"] if problem.row == 1 and problem.column not in cells["letters"] else problem.row
            letter = cells["letters"].get(problem.column, "")
            problem = dataclasses.replace(problem, row=sheet_ref(cells["sheet"], f"{letter}{row}" if letter else f"{row}:{row}"))
        located.append(problem)
    return located


def _read_config(root: Path) -> tuple[dict, list[Problem]]:
    path = root / CONFIG
    if not path.is_file():
        return {}, [Problem(CONFIG, "-", "-", f"no study.yml in {root.resolve()}",
                            "run the command in a study folder, give its path, "
                            "or create one with 'coopresearch init NEW_STUDY'")]
    try:
        data, lines = load_yaml(read_yaml_text(path, CONFIG), CONFIG)
    except DataError as exc:
        return {}, exc.problems
    problems = config_problems(data, lines, CONFIG)
    if problems:
        return {}, problems
    config = {"language": "nl", "min_group_size": 3, "scan_answered_for": "self", "codebook": "codebook.yml", **data}
    return config, []


def _read_codebook(root: Path, config: dict) -> tuple[Codebook | None, list[Problem]]:
    """The study's codebook: a file of the study (``codebook.yml``) or a packaged one by name (``default``)."""
    name = config["codebook"]
    path = root / name
    if not path.is_file() and re.fullmatch(r"[\w-]+", name):
        try:
            return load_codebook(name), []
        except CodebookError as exc:
            return None, exc.problems
    if not path.is_file():
        return None, [Problem(name, "-", "-", "codebook file is missing",
                              "write 'codebook: default' in study.yml for the packaged codebook, or correct the path")]
    try:
        return parse_codebook(read_yaml_text(path, name, error=CodebookError), source=name), []
    except CodebookError as exc:
        return None, exc.problems


# control characters other than tab and line ends (Word's line break is a vertical tab): no Word or Excel file
# may hold them, so they become spaces when a study is read
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _finish(spec: TableSpec, table: pd.DataFrame) -> pd.DataFrame:
    """Validated strings → analysis table: optional columns present, control characters spaces, empty cells NaN."""
    table = table.reset_index(drop=True).replace(CONTROL_CHARACTERS, " ", regex=True)
    for column in spec.optional:
        if column not in table:
            table[column] = ""
    table = table.replace("", float("nan"))
    if spec.name == "scan":
        table["score"] = pd.to_numeric(table["score"]).astype(int)
    return table


def load_study(root: str | os.PathLike = ".") -> Study:
    """Read and validate a study folder; raise `DataError` listing every problem found.

    Examples
    --------
    >>> study = load_study(MINI_STUDY)
    >>> study.quotes.columns[:3].tolist()
    ['quote_id', 'interview_id', 'text']
    """
    root = Path(root)
    config, problems = _read_config(root)
    if problems:
        raise DataError(problems)
    codebook, problems = _read_codebook(root, config)
    lang = config["language"]
    raw, shown, known = {}, {}, {
        # ids with their labels, the study's language first: a wrong value is compared with both
        "theme": {theme.id: (theme.label[lang], *theme.label.values()) for theme in codebook.themes} if codebook else None,
        "party": {party: (labels[lang], *labels.values()) for party, labels in config["parties"].items()},
    }
    for spec in TABLES.values():
        path, found = raw_path(root, spec)
        shown[spec.name] = str(path.relative_to(root))
        table, read_problems = read_table(path, spec, shown=shown[spec.name]) if not found else (_empty(spec), found)
        problems += read_problems
        raw[spec.name] = table
    unreadable = {p.file for p in problems}
    for id_column, name in (("interview_id", "interviews"), ("quote_id", "quotes"), ("process_id", "processes")):
        readable = id_column in raw[name] and shown[name] not in unreadable
        known[id_column] = set(raw[name][id_column]) if readable else None
    files = {name: Path(file).name for name, file in shown.items()}
    for spec in TABLES.values():
        table, file = raw[spec.name], shown[spec.name]
        checked = []
        if len(table) < spec.min_rows and not any(p.file == file for p in problems):
            checked.append(Problem(file, 2, "-", "the table has no rows", f"add at least one {spec.name[:-1]}"))
        if table.columns.size:
            checked += table_problems(spec, table, known, path=file, files=files)
        problems += cell_problems(checked, table)
    if config.get("relationships"):
        problems += _relationship_problems(root, config, raw, shown, unreadable={p.file for p in problems})
    if problems:
        raise DataError(problems)
    tables = {name: _finish(TABLES[name], table) for name, table in raw.items()}
    return Study(root.resolve(), config, codebook, tables)


def _empty(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame(columns=list(spec.columns), dtype=object)


def _relationship_problems(root: Path, config: dict, raw: dict, shown: dict, *, unreadable: set[str]) -> list[Problem]:
    """The relationships of study.yml against scan.csv and interviews.csv (once both are read)."""
    _, lines = load_yaml(read_yaml_text(root / CONFIG, CONFIG), CONFIG)  # again, for line numbers

    def values(name: str, column: str) -> set[str] | None:
        readable = column in raw[name] and shown[name] not in unreadable
        return set(raw[name][column]) if readable else None

    return relationship_problems(config["relationships"], lines, scanned=values("scan", "relationship"),
                                 organisations=values("interviews", "organisation"), source=CONFIG)


def input_files(root: str | os.PathLike) -> list[Path]:
    """Every input of a study (settings, codebook, raw tables), relative to its root, sorted.

    A codebook outside the study is allowed; it is named relative to the study (``../x.yml``), so a
    manifest never records where on someone's disk it was.
    """
    root = Path(root)
    files = [Path(CONFIG)]
    config, _ = _read_config(root)
    files.append(Path(os.path.relpath(root / config.get("codebook", "codebook.yml"), root)))
    # not the lock file Excel keeps beside an open workbook (~$interviews.xlsx)
    files += sorted(p.relative_to(root) for p in (root / RAW).rglob("*") if p.is_file() and not p.name.startswith("~$"))
    return [f for f in files if (root / f).is_file()]


# --- writing ---------------------------------------------------------------------------

def _write_graph(graph: nx.Graph, folder: Path, name: str) -> list[Path]:
    """Write a graph as ``NAME.graphml`` and ``NAME.gexf`` (for Gephi), byte-identical on re-runs.

    Nodes and edges are written in sorted order, and the date GEXF puts in its ``meta``
    element is left out.
    """
    ordered = nx.Graph()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: str(item[0])))
    edges = ((*sorted((u, v), key=str), data) for u, v, data in graph.edges(data=True))
    ordered.add_edges_from(sorted(edges, key=lambda edge: (str(edge[0]), str(edge[1]))))
    graphml, gexf = folder / f"{name}.graphml", folder / f"{name}.gexf"
    nx.write_graphml(ordered, graphml)
    buffer = io.BytesIO()
    nx.write_gexf(ordered, buffer)
    gexf.write_bytes(re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue()))
    return [graphml, gexf]


def write_tables(tables: Mapping[str, pd.DataFrame | nx.Graph], folder: Path) -> list[Path]:
    """Write DataFrames as ``NAME.csv`` (UTF-8, LF, no index) so re-runs are byte-identical.

    A networkx graph is written as ``NAME.graphml`` and ``NAME.gexf`` instead.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in sorted(tables.items()):
        if isinstance(table, nx.Graph):
            written += _write_graph(table, folder, name)
            continue
        path = folder / f"{name}.csv"
        table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def without_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A table for a spreadsheet: text cells that Excel would read as a formula get a leading apostrophe.

    Used for files a user opens in Excel; data/processed keeps the exact values.

    Examples
    --------
    >>> without_formulas(pd.DataFrame({"text": ["=1+1", "fine", "@SUM(A1)"], "n": [-1, 2, 3]}))
           text  n
    0     '=1+1 -1
    1      fine  2
    2  '@SUM(A1)  3
    """
    def safe(value):
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value

    text = table.select_dtypes(include=["object", "string"]).columns
    return table.assign(**{column: table[column].map(safe) for column in text})


def write_raw_tables(root: str | os.PathLike, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write input tables into a new study's ``data/raw`` (for imports).

    Only header-only templates (as ``init_study`` writes them) may be replaced: a raw file
    that holds any data row is never overwritten.
    """
    folder = Path(root) / RAW
    for name in tables:
        path = folder / TABLES[name].file
        if path.is_file() and len([line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]) > 1:
            raise CoopResearchError(f"{path}: already holds data — raw files are never overwritten; "
                                    "import into a new study folder")
    return write_tables(tables, folder)


def write_file(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all: a temporary file in the same folder, renamed over it.

    An existing file keeps its permissions; a failure (a full disk, Ctrl-C) leaves the old file as it was.

    Examples
    --------
    >>> import tempfile
    >>> path = write_file(Path(tempfile.mkdtemp()) / "a" / "x.csv", b"quote_id\\n")
    >>> path.read_bytes(), [p.name for p in path.parent.iterdir()]
    (b'quote_id\\n', ['x.csv'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o644
    descriptor, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def update_raw_table(root: str | os.PathLike, name: str, rows: list[Mapping[str, str]], *,
                     drop: Callable[[dict[str, str]], bool] | None = None) -> Path:
    """Add ``rows`` to a raw table of a study (and remove the rows ``drop`` picks), whole or not at all.

    For the commands that bring in a study's input (``import-docs``, ``collect``): the table's other
    rows, its columns and their order stay as they are; an optional column gets added when a new
    row fills it. Blank lines are dropped.

    Examples
    --------
    >>> import shutil, tempfile
    >>> root = Path(shutil.copytree(MINI_STUDY, Path(tempfile.mkdtemp()) / "mini"))
    >>> path = update_raw_table(root, "codings", [{"quote_id": "Q6", "coder": "c", "theme": "mandate"}],
    ...                         drop=lambda row: row["coder"] == "b")
    >>> print(path.read_text().splitlines()[-3:])
    ['Q5,a,reliability,negative', 'Q6,a,,', 'Q6,c,mandate,']
    """
    spec = TABLES[name]
    path, problems = raw_path(root, spec)
    if problems:
        raise DataError(problems)
    if path.suffix == ".xlsx":
        raise CoopResearchError(f"{RAW / path.name}: this table is kept as an Excel workbook, and new rows are written "
                                f"as CSV — save it as {spec.file} ('CSV UTF-8') and run the command again")
    data = path.read_bytes() if path.is_file() else b""
    text = data.decode("utf-8-sig")
    # written back as it was saved: the same delimiter (Dutch Excel: semicolons), line ends and byte order mark
    delimiter = csv_delimiter(text) if text else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = normalise_header(records[0]) if records else list(spec.columns)
    body = [[cell.strip() for cell in record] for record in records[1:] if any(cell.strip() for cell in record)]
    if drop is not None:
        body = [record for record in body if not drop(dict(zip(header, record, strict=False)))]
    extra = [column for column in spec.columns if column not in header and any(row.get(column) for row in rows)]
    body = [record + [""] * len(extra) for record in body]
    header += extra
    body += [[row.get(column) or "" for column in header] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if "\r\n" in text else "\n").writerows([header, *body])
    return write_file(path, buffer.getvalue().encode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"))


# --- notebooks and new studies ----------------------------------------------------------

def packaged_notebooks() -> list[Path]:
    """The report notebooks shipped with the package, in run order."""
    folder = resources.files("coopresearch") / "notebooks"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".ipynb"))


def study_notebooks(root: str | os.PathLike) -> list[Path]:
    """The notebooks a report runs: the packaged ones, or the study's own ``notebooks/*.ipynb`` when study.yml says
    ``notebooks: own`` (running them runs the study's code, so only by the user's choice).

    Raises
    ------
    CoopResearchError
        ``notebooks: own`` but the study has no notebooks.
    """
    config, _ = _read_config(Path(root))
    if config.get("notebooks", "packaged") != "own":
        return packaged_notebooks()
    own = sorted((Path(root) / "notebooks").glob("[0-9]*.ipynb"))
    if not own:
        raise CoopResearchError(f"{Path(root) / 'notebooks'}: study.yml says 'notebooks: own' but there are no "
                                "notebooks (01_*.ipynb, ...) — copy the packaged ones there, or remove that line")
    return own


STUDY_TEMPLATE = """\
# Settings of this study (read by coopresearch)
title: {title}
# commissioned_by: Gemeenteraad   # who commissioned the study: shown on the title page of the report
language: {language}          # report language: nl or en
min_group_size: 3     # groups with fewer interviews get no statistics and no quote attribution
# scan_answered_for: organisation   # scan respondents answered for their organisation: show every organisation's
#                                   # scores (default 'self': personal views, groups below min_group_size suppressed)
codebook: {codebook}
parties:              # the sides in the study; interviews.csv and scan.csv use these ids
{parties}
# relationships:      # optional: settings per relationship of data/raw/scan.csv
#   gemeente-corporatie-a: {{organisation: Corporatie A, desired_form: aanpassen}}
#   organisation: whose interviews sit beside the relationship's scan (interviews.csv)
#   desired_form: afstemmen, aanpassen or aaneenvlechten
"""
CODEBOOK_LINE = {False: "default      # the packaged four-theme codebook; 'coopresearch init --adapt-codebook' copies it",
                 True: "codebook.yml # this study's own codebook"}
TABLES_GUIDE = "<!-- the tables: written by coopresearch init from the data contract -->\n"
DEFAULT_PARTIES = {"gemeente": {"nl": "Gemeente", "en": "Municipality"},
                   "corporatie": {"nl": "Corporatie", "en": "Housing corporation"}}


def tables_guide(codebook: Codebook | None, parties: Mapping[str, Mapping[str, str]], lang: str = "nl") -> str:
    """The study README's part on ``data/raw``, written from the data contract so it cannot drift from it:
    every table's columns with their allowed values, an example row, the fields of the scan.
    ``codebook`` is ``None`` when the study's own codebook is not valid yet.

    Examples
    --------
    >>> guide = tables_guide(load_codebook("default"), DEFAULT_PARTIES)
    >>> print(next(line for line in guide.splitlines() if line.startswith("| `date`")))
    | `date` | no | the day of the interview: YYYY-MM-DD, e.g. `2027-03-02` for 2 March 2027 |
    """
    from .schemas import ACTOR_TYPES, CATEGORIES, COLUMN_NOTES, EXAMPLE_ROWS, MAY_BE_EMPTY, ROLES, SCAN_FIELDS, VALENCES

    def listed(labels: Mapping[str, str]) -> str:
        return ", ".join(f"`{value}` ({label})" if label and label != value else f"`{value}`" for value, label in labels.items())

    scan_fields = load_codebook("scan_fields")
    field_labels = scan_fields.labels("en")
    values = {
        ("interviews", "party"): listed({party: labels[lang] for party, labels in parties.items()}),
        ("codings", "theme"): listed(codebook.labels(lang)) if codebook else "the theme ids of codebook.yml",
        ("codings", "valence"): listed(dict.fromkeys(VALENCES, "")),
        ("processes", "category"): listed(dict.fromkeys(CATEGORIES, "")),
        ("relations", "role"): listed(dict.fromkeys(ROLES, "")),
        ("relations", "actor_type"): listed(dict.fromkeys(ACTOR_TYPES, "")),
        ("scan", "field"): listed({field: field_labels.get(field, "") for field in SCAN_FIELDS}),
        ("interviews", "date"): "YYYY-MM-DD, e.g. `2027-03-02` for 2 March 2027",
    }
    values[("scan", "party")] = values[("interviews", "party")]
    example = {"party": next(iter(parties)), "theme": codebook.theme_ids[0] if codebook else "transparency"}
    parts = []
    for spec in TABLES.values():
        rows = []
        for column in spec.columns:
            required = "no" if column in spec.optional else "yes, may be empty" if (spec.name, column) in MAY_BE_EMPTY else "yes"
            note = COLUMN_NOTES[(spec.name, column)]
            if (spec.name, column) in values:
                note = f"{note}: {values[(spec.name, column)]}"
            rows.append(f"| `{column}` | {required} | {note} |")
        row = ",".join(value.format(**example) for value in EXAMPLE_ROWS[spec.name])
        parts.append(f"### data/raw/{spec.file}\n\n| column | required | what goes in it |\n|---|---|---|\n"
                     + "\n".join(rows) + f"\n\n```csv\n{','.join(spec.columns)}\n{row}\n```\n")
    fields = "\n".join(f"- `{theme.id}` ({theme.label['nl']} / {theme.label['en']}): {theme.definition['en']}"
                       for theme in scan_fields.themes if theme.id in SCAN_FIELDS)
    parts.append(f"### The fields of the collaboration scan\n\nEach respondent scores every field from 1 to 10 "
                 f"(`field` and `score` of scan.csv):\n\n{fields}\n")
    return "\n".join(parts)


def _flow(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars; plain words stay unquoted
    return value if re.fullmatch(r"[\w .-]+", value) and not value[0].isspace() else json.dumps(value, ensure_ascii=False)


def init_study(path: str | os.PathLike, *, title: str | None = None, parties: Mapping[str, Mapping[str, str]] | None = None,
               codebook_text: str | None = None, adapt_codebook: bool = False, language: str = "nl") -> Path:
    """Create a new study folder with settings and CSV templates (reports run the packaged notebooks).

    The study uses the packaged default codebook (``codebook: default``); with
    ``adapt_codebook`` it gets a copy to adapt, ``codebook.yml``. ``parties`` (id → labels in
    nl and en) and ``codebook_text`` replace the defaults (an import writes what it found).
    ``report/`` gets the auditor's texts of the study document, with short guidance in ``language``.
    Refuses to touch an existing non-empty folder, so no one's data is ever overwritten.
    """
    root = Path(path)
    if root.exists() and any(root.iterdir()):
        raise CoopResearchError(f"{root}: folder exists and is not empty — choose a new folder name "
                                "(init never overwrites existing files)")
    (root / RAW).mkdir(parents=True)
    (root / PROCESSED).mkdir(parents=True)
    (root / REPORTS).mkdir()
    party_lines = "".join(f"  {party}: {{nl: {_flow(labels['nl'])}, en: {_flow(labels['en'])}}}\n"
                          for party, labels in (parties or DEFAULT_PARTIES).items())
    own_codebook = codebook_text is not None or adapt_codebook
    (root / CONFIG).write_text(STUDY_TEMPLATE.format(title=json.dumps(title or root.resolve().name, ensure_ascii=False),
                                                     parties=party_lines, codebook=CODEBOOK_LINE[own_codebook],
                                                     language=language),
                               encoding="utf-8")
    if own_codebook:
        (root / "codebook.yml").write_text(codebook_text or packaged_codebook_text(), encoding="utf-8")
    for spec in TABLES.values():
        (root / RAW / spec.file).write_text(",".join(spec.columns) + "\n", encoding="utf-8")
    (root / "report").mkdir()
    for name, text in AUDITOR_GUIDANCE[language].items():
        (root / "report" / f"{name}.md").write_text(text, encoding="utf-8")
    template = (resources.files("coopresearch") / "templates" / "study_README.md").read_text(encoding="utf-8")
    try:
        codebook = parse_codebook(codebook_text, source="codebook.yml") if codebook_text else load_codebook("default")
    except CodebookError:  # an imported codebook to be corrected: 'validate' says how
        codebook = None
    guide = tables_guide(codebook, parties or DEFAULT_PARTIES, language)
    (root / "README.md").write_text(template.replace(TABLES_GUIDE, guide), encoding="utf-8")
    return root
