"""The data contract: what every input file must hold, and the checks that say what is wrong.

Tables are checked with pandera; each failed check becomes a `Problem` naming the
file, line, column, what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import yaml

from .errors import DataError, Problem

__all__ = [
    "ACTOR_TYPES", "CATEGORIES", "COLUMN_NOTES", "EXAMPLE_ROWS", "LANGUAGES", "MAY_BE_EMPTY", "ROLES", "SCAN_ANSWERED_FOR",
    "SCAN_FIELDS", "SCAN_FORMS", "TABLES", "VALENCES",
    "TableSpec", "closest", "config_problems", "load_yaml", "normalise_header", "relationship_problems", "table_problems",
]

LANGUAGES = ("nl", "en")
CATEGORIES = ("beleidsketen", "fysieke_keten", "bedrijfsproces")
ROLES = ("opdrachtgever", "klant", "leverancier", "partner")
ACTOR_TYPES = ("department", "organisation")
VALENCES = ("positive", "negative", "neutral")
SCAN_FIELDS = ("vertrouwen", "relatie", "communicatie", "informatie_uitwisseling",
               "afstemming", "doelen", "tegenspraak")
SCAN_FORMS = ("afstemmen", "aanpassen", "aaneenvlechten")  # forms of collaboration, shallow to deep
RELATIONSHIP_SETTINGS = ("desired_form", "organisation")
STUDY_SETTINGS = ("title", "commissioned_by", "language", "min_group_size", "scan_answered_for", "codebook", "notebooks",
                  "parties", "relationships")
NOTEBOOKS = ("packaged", "own")  # whose notebooks a report runs: a study's own notebooks are its code
# whom a scan respondent answered for: their own view (personal data, small groups suppressed) or their organisation
SCAN_ANSWERED_FOR = ("self", "organisation")


@dataclass(frozen=True)
class TableSpec:
    """One CSV file of ``data/raw``: its columns, its key, and whether it may be empty."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    min_rows: int = 0

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("interviews", ("interview_id", "organisation", "party"),
              ("pseudonym", "role", "department", "date"), key=("interview_id",), min_rows=1),
    TableSpec("quotes", ("quote_id", "interview_id", "text"), ("process_id", "language"), key=("quote_id",), min_rows=1),
    TableSpec("codings", ("quote_id", "coder", "theme"), ("valence",), key=("quote_id", "coder", "theme")),
    TableSpec("processes", ("process_id", "name", "category"), ("name_en",), key=("process_id",)),
    TableSpec("relations", ("process_id", "actor", "role"), ("actor_type", "organisation"),
              key=("process_id", "actor", "role")),
    TableSpec("meetings", ("meeting_id", "name", "actor"), ("process_id",), key=("meeting_id", "actor")),
    TableSpec("scan", ("relationship", "respondent", "party", "field", "score"),
              key=("relationship", "respondent", "field")),
)}

# Columns that may be left empty in a row (everything else required must be filled).
MAY_BE_EMPTY = {("codings", "theme"), ("codings", "valence")}

# What goes in each column, for the study README (its allowed values are added where the contract fixes them).
COLUMN_NOTES = {
    ("interviews", "interview_id"): "an id of your choosing, once per interview",
    ("interviews", "organisation"): "the organisation the interviewee works for",
    ("interviews", "party"): "the side the interviewee is on, a party of study.yml",
    ("interviews", "pseudonym"): "how the interviewee is named in reports: a pseudonym, never a name",
    ("interviews", "role"): "the interviewee's job, in their words",
    ("interviews", "department"): "their department",
    ("interviews", "date"): "the day of the interview",
    ("quotes", "quote_id"): "an id of your choosing, once per quote",
    ("quotes", "interview_id"): "the interview it is from (interviews)",
    ("quotes", "text"): "the quote, word for word",
    ("quotes", "process_id"): "the process it is about (processes)",
    ("quotes", "language"): "the quote's language, coded with that language's rules and model; empty: detected",
    ("codings", "quote_id"): "the quote coded (quotes)",
    ("codings", "coder"): "who coded it: initials or a name",
    ("codings", "theme"): "a theme of the codebook, or empty for a quote the coder reviewed and left uncoded",
    ("codings", "valence"): "whether the quote speaks of the theme positively or negatively",
    ("processes", "process_id"): "an id of your choosing, once per process",
    ("processes", "name"): "the process's name",
    ("processes", "category"): "what kind of chain it is",
    ("processes", "name_en"): "its name in English reports",
    ("relations", "process_id"): "the process (processes)",
    ("relations", "actor"): "who takes part: a department or an organisation",
    ("relations", "role"): "the actor's part in the process",
    ("relations", "actor_type"): "what the actor is",
    ("relations", "organisation"): "the organisation a department belongs to",
    ("meetings", "meeting_id"): "an id of your choosing, once per meeting (one row per participant)",
    ("meetings", "name"): "the meeting's name",
    ("meetings", "actor"): "a participant, named as in relations",
    ("meetings", "process_id"): "the process the meeting serves (processes)",
    ("scan", "relationship"): "the relationship scored, an id of your choosing (settings for it may go under "
                              "'relationships' in study.yml)",
    ("scan", "respondent"): "who scored: a pseudonym, never a name",
    ("scan", "party"): "the respondent's side, a party of study.yml",
    ("scan", "field"): "the field of the collaboration scan scored",
    ("scan", "score"): "a whole number from 1 (low) to 10 (high)",
}

# One example row per table, in the order of its columns; together they make a valid study.
EXAMPLE_ROWS = {
    "interviews": ("I01", "Gemeente Emmen", "{party}", "Respondent 01", "beleidsadviseur wonen", "Beleidsdienst",
                   "2027-03-02"),
    "quotes": ("Q001", "I01", '"We horen pas achteraf wat er gepland is, dat is jammer."', "P01", "nl"),
    "codings": ("Q001", "a", "{theme}", "negative"),
    "processes": ("P01", "Woonvisie", "beleidsketen", "Housing vision"),
    "relations": ("P01", "Beleidsdienst", "opdrachtgever", "department", "Gemeente Emmen"),
    "meetings": ("M01", "Bestuurlijk overleg", "Beleidsdienst", "P01"),
    "scan": ("gemeente-corporatie", "Respondent 01", "{party}", "vertrouwen", "7"),
}


# --- YAML -------------------------------------------------------------------------------

MAX_YAML_BYTES = 10_000_000  # study.yml and codebooks are kilobytes; the default codebook is about 110 kB


def read_yaml_text(path, source: str, *, error: type[DataError] = DataError) -> str:
    """The text of a settings or codebook file, refused in one line when it is too large to be one or not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> big = pathlib.Path(tempfile.mkdtemp()) / "study.yml"
    >>> _ = big.write_bytes(b"#" * (MAX_YAML_BYTES + 1))
    >>> read_yaml_text(big, "study.yml")
    Traceback (most recent call last):
    coopresearch.errors.DataError: study.yml:-: -: the file is larger than 10 MB, more than any settings or codebook need — ...
    """
    if path.stat().st_size > MAX_YAML_BYTES:
        raise error([Problem(source, "-", "-", f"the file is larger than {MAX_YAML_BYTES // 1_000_000} MB, more than any "
                             "settings or codebook need", "check that it is the right file")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error([Problem(source, "-", "-", "text is not UTF-8", "re-save the file as UTF-8")]) from None


def load_yaml(text: str, source: str, *, error: type[DataError] = DataError) -> tuple[object, dict]:
    """Parse YAML and return the data with the line number of every mapping key and list item.

    Parsed once, with libyaml where installed. Anchors and aliases (``&a`` / ``*a``) are refused:
    settings and codebooks do not need them, and nested aliases can make a small file expand
    into gigabytes.

    Examples
    --------
    >>> data, lines = load_yaml("title: x\\nparties:\\n  - a\\n", "study.yml")
    >>> lines[("parties", 0)]
    3
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    lines: dict[tuple, int] = {}
    seen: set[int] = set()

    def walk(node, path: tuple) -> None:
        if id(node) in seen:  # the composer gives an alias the very node (and position) of its anchor: use its key's line
            line = next((lines[path[:k]] for k in range(len(path), 0, -1) if isinstance(path[k - 1], str)), "-")
            raise error([Problem(source, line, "-", "anchors and aliases (& and *) are not allowed",
                                 "write the values out in full")])
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[path + (key.value,)] = key.start_mark.line + 1
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[path + (i,)] = item.start_mark.line + 1
                walk(item, path + (i,))

    try:
        node = loader.get_single_node()
        if node is not None:
            walk(node, ())
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "-"
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error([Problem(source, line, "-", f"not valid YAML: {what}",
                             "check the indentation and quoting on this line (spaces, not tabs)")]) from None
    finally:
        loader.dispose()
    return data, lines


def config_problems(data: object, lines: dict, source: str = "study.yml") -> list[Problem]:
    """Check a parsed ``study.yml``: title, language, min_group_size, scan_answered_for, parties, codebook.

    Examples
    --------
    >>> [p.column for p in config_problems({"title": "x", "language": "fr", "parties": {}}, {})]
    ['language', 'parties']
    """
    if not isinstance(data, dict):
        return [Problem(source, 1, "-", "study.yml must be a mapping of settings",
                        "start from the study.yml that 'coopresearch init' writes")]
    problems = []

    def problem(key: str, message: str, fix: str) -> None:
        problems.append(Problem(source, lines.get((key,), 1), key, message, fix))

    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problem("title", "the study has no title", "write 'title: <the study's title>'")
    if not isinstance(data.get("commissioned_by", ""), str):
        problem("commissioned_by", "commissioned_by must be a name", "write e.g. 'commissioned_by: Gemeenteraad van Emmen'")
    if data.get("language", "nl") not in LANGUAGES:
        problem("language", f"{data['language']!r} is not a report language", "write 'language: nl' or 'language: en'")
    size = data.get("min_group_size", 3)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        problem("min_group_size", f"{size!r} is not a whole number of at least 1",
                "write e.g. 'min_group_size: 3' (groups with fewer interviews are not reported)")
    answered_for = data.get("scan_answered_for", "self")
    if answered_for not in SCAN_ANSWERED_FOR:
        problem("scan_answered_for", f"{answered_for!r} is not whom the scan respondents answered for",
                "write 'scan_answered_for: self' (each respondent's own view: groups smaller than min_group_size "
                "get no scan statistics) or 'scan_answered_for: organisation' (each answered for their organisation: "
                "every organisation's scores are shown)")
    parties = data.get("parties")
    if not isinstance(parties, dict) or not parties or not all(
        isinstance(labels, dict) and all(isinstance(labels.get(lang), str) for lang in LANGUAGES)
        for labels in parties.values()
    ):
        problem("parties", "parties must map each party id to its labels in nl and en",
                "write e.g. 'parties: {gemeente: {nl: Gemeente, en: Municipality}}'")
    if not isinstance(data.get("codebook", "codebook.yml"), str):
        problem("codebook", "codebook must be 'default' or a file path", "write 'codebook: default' or 'codebook: codebook.yml'")
    if data.get("notebooks", "packaged") not in NOTEBOOKS:
        problem("notebooks", f"{data['notebooks']!r} is not a choice of notebooks",
                "write 'notebooks: packaged' (the package's reports) or 'notebooks: own' (run the study's notebooks/: "
                "only for a study whose code you trust)")
    for key in sorted(set(data) - set(STUDY_SETTINGS), key=str):
        nearest = difflib.get_close_matches(str(key), STUDY_SETTINGS, n=1)
        problem(key, "is not a setting of study.yml",
                f"did you mean '{nearest[0]}'?" if nearest else f"use one of: {', '.join(STUDY_SETTINGS)}")
    problems += _relationship_settings_problems(data.get("relationships", {}), lines, source)
    return problems


def _relationship_settings_problems(relationships: object, lines: dict, source: str) -> list[Problem]:
    """The optional ``relationships:`` of study.yml: settings per relationship of scan.csv."""
    example = "write e.g. 'relationships: {gemeente-lefier: {desired_form: aanpassen, organisation: Lefier}}'"
    if relationships is None:
        return []
    if not isinstance(relationships, dict) or not all(s is None or isinstance(s, dict) for s in relationships.values()):
        return [Problem(source, lines.get(("relationships",), 1), "relationships",
                        "relationships must map each relationship id of scan.csv to its settings", example)]
    problems = []
    for relationship, settings in relationships.items():
        for key, value in (settings or {}).items():
            line, column = lines.get(("relationships", relationship, key), 1), f"relationships.{relationship}.{key}"
            if key not in RELATIONSHIP_SETTINGS:
                problems.append(Problem(source, line, column, f"'{key}' is not a setting of a relationship",
                                        f"use {' or '.join(RELATIONSHIP_SETTINGS)}"))
            elif key == "desired_form" and value not in SCAN_FORMS:
                problems.append(Problem(source, line, column, f"{value!r} is not a form of collaboration",
                                        f"use one of: {', '.join(SCAN_FORMS)}"))
            elif key == "organisation" and not (isinstance(value, str) and value.strip()):
                problems.append(Problem(source, line, column, f"{value!r} is not an organisation name",
                                        "write the organisation as it appears in interviews.csv"))
    return problems


def relationship_problems(relationships: dict, lines: dict, *, scanned: set[str] | None,
                          organisations: set[str] | None, source: str = "study.yml") -> list[Problem]:
    """Check that the relationships of study.yml are in scan.csv and their organisations in interviews.csv.

    ``scanned`` and ``organisations`` are ``None`` when their file could not be read (its own
    problem says so).

    Examples
    --------
    >>> settings = {"gemeente-lefier": {"organisation": "Lefier"}}
    >>> problem = relationship_problems(settings, {}, scanned={"gemeente-domesta"}, organisations={"Lefier"})[0]
    >>> problem.message
    "'gemeente-lefier' is not a relationship in scan.csv"
    """
    problems = []
    for relationship, settings in relationships.items():
        line = lines.get(("relationships", relationship), 1)
        if scanned is not None and relationship not in scanned:
            problems.append(Problem(source, line, "relationships", f"'{relationship}' is not a relationship in scan.csv",
                                    "use a relationship id from data/raw/scan.csv, or remove it from study.yml"))
        organisation = (settings or {}).get("organisation")
        if organisations is not None and organisation is not None and organisation not in organisations:
            problems.append(Problem(source, lines.get(("relationships", relationship, "organisation"), line),
                                    f"relationships.{relationship}.organisation",
                                    f"'{organisation}' is not an organisation in interviews.csv",
                                    "write the organisation exactly as in the 'organisation' column of interviews.csv"))
    return problems


# --- tables ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rule:
    """A pandera check with the words a person needs when it fails."""

    check: Callable[[pd.Series], pd.Series]
    message: str | Callable[[str], str]  # a text that may use {value}, or the text for a value
    fix: str | Callable[[str], str]


MAX_LISTED = 8  # a wrong value's fix lists the valid ones when there are at most this many


def _plain(name: str) -> str:
    """A name as compared for suggestions: no case, no leading zeros in numbers, one space between words."""
    return re.sub(r"[\s_-]+", " ", re.sub(r"\d+", lambda m: str(int(m[0])), name.strip().casefold()))


def closest(value: str, choices: Mapping[str, Sequence[str]] | Iterable[str]) -> str | None:
    """The valid id nearest to ``value``, compared without case or leading zeros and also on each id's labels;
    ``None`` if none is near.

    Examples
    --------
    >>> closest("Transparantie", {"transparency": ("Transparantie", "Transparency"), "mandate": ("Mandaat", "Mandate")})
    'transparency'
    >>> closest("Zorg", ["gemeente", "zorg"]), closest("xyz", ["gemeente", "zorg"]), closest("I1", ["I19", "I01"])
    ('zorg', None, 'I01')
    """
    names: dict[str, str] = {}
    for choice in choices:
        for name in (choice, *(choices[choice] if isinstance(choices, Mapping) else ())):
            names.setdefault(_plain(name), choice)
    near = difflib.get_close_matches(_plain(value), names, n=1)
    return names[near[0]] if near else None


def _allowed(values, what: str, fix: str | None = None, *, listed: bool = True, also: str = "") -> _Rule:
    """A check that a column holds only ``values`` (ids, or a mapping of id to its labels, the first one shown).

    A wrong value's fix names the closest valid id first, and lists the valid ids when there are few
    (and ``listed``); ``fix`` is said when none is close and they are too many to list; ``also`` is
    another way out (``add the interview``).
    """
    if values is None:  # the file with the valid values could not be read: its own problem says so
        return _Rule(lambda s: s == s, "", "")
    labels = ({v: tuple(values[v]) for v in values} if isinstance(values, Mapping)
              else {v: () for v in sorted(values)})
    few = listed and len(labels) <= MAX_LISTED
    other = f", or {also}" if also else ""

    def shown(value: str) -> str:
        label = labels[value][0] if labels[value] else ""
        return f"{value} ({label})" if label and label != value else value

    def fix_for(value: str) -> str:
        best = closest(value, labels)
        if best and few:
            return "use " + ", ".join(shown(v) for v in (best, *(v for v in labels if v != best)))
        if best:
            return f"use {shown(best)}{other}"
        if few:
            return f"use one of: {', '.join(map(shown, labels))}{other}"
        return fix or f"use one of the {len(labels)} known values{other}"

    return _Rule(lambda s: s.isin(list(labels)) | (s == ""), "'{value}' is not " + what, fix_for)


def _iso_date(value: str) -> str | None:
    """``value`` as an ISO date (``YYYY-MM-DD``) when it is one and a day of the calendar, else ``None``."""
    try:
        return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and date.fromisoformat(value) else None
    except ValueError:
        return None


def _meant_date(value: str) -> str | None:
    """The ISO date a person most likely meant by ``value``: read day first (Dutch order), or year first.

    Examples
    --------
    >>> _meant_date("02-03-2027"), _meant_date("2.3.2027"), _meant_date("2027-3-2"), _meant_date("2027-03-02 00:00:00")
    ('2027-03-02', '2027-03-02', '2027-03-02', '2027-03-02')
    >>> _meant_date("31-02-2027") is None and _meant_date("02-03-27") is None
    True
    """
    for pattern, order in ((r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", (3, 2, 1)),
                           (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?", (1, 2, 3))):
        match = re.fullmatch(pattern, value.strip())
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
    return None


def _date_fix(value: str) -> str:
    """How to write a date that is not ISO.

    Examples
    --------
    >>> _date_fix("02-03-2027")
    'write 2027-03-02'
    >>> _date_fix("maart 2027")
    'write the date as YYYY-MM-DD (year-month-day), e.g. 2027-03-02 for 2 March 2027'
    """
    meant = _meant_date(value)
    if meant and meant != value:
        return f"write {meant}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return "check the month and the day (YYYY-MM-DD)"
    return "write the date as YYYY-MM-DD (year-month-day), e.g. 2027-03-02 for 2 March 2027"


def _date_message(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return f"'{value}' is not a day of the calendar"
    return f"'{value}' is not a date in the form YYYY-MM-DD"


DATE_RULE = _Rule(lambda s: s.map(lambda v: v == "" or _iso_date(v) is not None).astype(bool), _date_message, _date_fix)


def _score(s: pd.Series) -> pd.Series:
    number = pd.to_numeric(s, errors="coerce")
    return number.between(1, 10) & (number == number.round())


def _rules(name: str, known: dict[str, set], files: Mapping[str, str]) -> dict[str, list[_Rule]]:
    """The value checks of table ``name``, given the ids known from the other files (named ``files``)."""
    ref = {
        "interview_id": _allowed(known["interview_id"], f"in {files['interviews']}", "add the interview or correct the id",
                                 listed=False, also="add the interview"),
        "quote_id": _allowed(known["quote_id"], f"in {files['quotes']}", "add the quote or correct the id",
                             listed=False, also="add the quote"),
        "process_id": _allowed(known["process_id"], f"in {files['processes']}", "add the process or correct the id",
                               listed=False, also="add the process"),
        "party": _allowed(known["party"], "a party of study.yml", "use a party listed under 'parties' in study.yml"),
    }
    rules = {
        "interviews": {"party": [ref["party"]], "date": [DATE_RULE]},
        "quotes": {"interview_id": [ref["interview_id"]], "process_id": [ref["process_id"]],
                   "language": [_allowed(LANGUAGES, "a language of the coder", also="leave it empty to have it detected")]},
        "codings": {
            "quote_id": [ref["quote_id"]],
            "theme": [_allowed(known["theme"], "a theme of the codebook", "use a theme id of the codebook",
                               also="leave it empty for a quote reviewed and left uncoded")],
            "valence": [_allowed(VALENCES, "a valence")],
        },
        "processes": {"category": [_allowed(CATEGORIES, "a process category")]},
        "relations": {"process_id": [ref["process_id"]], "role": [_allowed(ROLES, "a role")],
                      "actor_type": [_allowed(ACTOR_TYPES, "an actor type")]},
        "meetings": {"process_id": [ref["process_id"]]},
        "scan": {"party": [ref["party"]], "field": [_allowed(SCAN_FIELDS, "a field of the collaboration scan")],
                 "score": [_Rule(_score, "'{value}' is not a score from 1 to 10",
                                 "enter a whole number from 1 (low) to 10 (high)")]},
    }
    return rules[name]


def table_problems(spec: TableSpec, table: pd.DataFrame, known: dict[str, set], *, path: str,
                   files: Mapping[str, str] | None = None) -> list[Problem]:
    """Check one table (all values strings, index = line numbers) against the contract.

    ``known`` holds the valid ids from the other files: ``interview_id``, ``quote_id``,
    ``process_id``, ``theme`` and ``party`` (sets, or mappings of id to labels, which a
    wrong value is also compared with); ``None`` where that file could not be read,
    so its problem is not repeated as a wrong reference on every row. ``files`` names the
    tables' files in messages (``interviews.xlsx``; ``NAME.csv`` by default).

    Examples
    --------
    >>> spec = TABLES["processes"]
    >>> table = pd.DataFrame({"process_id": ["P1"], "name": ["GBA"], "category": ["keten"]}, index=[2])
    >>> print(table_problems(spec, table, {}, path="processes.csv")[0])
    processes.csv:2: category: 'keten' is not a process category — use one of: bedrijfsproces, beleidsketen, fysieke_keten
    """
    import pandera.pandas as pa  # only when validating: readers of data/processed do not need it

    known = {k: known.get(k) for k in ("interview_id", "quote_id", "process_id", "theme", "party")}
    rules = _rules(spec.name, known, {name: f"{name}.csv" for name in TABLES} | dict(files or {}))
    explain: dict[tuple[str, str], _Rule] = {}
    columns = {}
    for column in spec.columns:
        checks = []
        if column in spec.required and (spec.name, column) not in MAY_BE_EMPTY:
            checks.append(pa.Check(lambda s: s.str.strip() != "", name=f"{column}:filled"))
            explain[(column, f"{column}:filled")] = _Rule(None, "is empty", f"fill in the {column}")
        for i, rule in enumerate(rules.get(column, [])):
            name = f"{column}:rule{i}"
            checks.append(pa.Check(rule.check, name=name))
            explain[(column, name)] = rule
        columns[column] = pa.Column(checks=checks, required=column in spec.required)
    schema = pa.DataFrameSchema(columns, unique=list(spec.key) or None, report_duplicates="exclude_first")
    try:
        schema.validate(table, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    problems = []
    for case in failures.itertuples(index=False):
        check = str(case.check)
        if check == "column_in_dataframe":
            problems.append(Problem(path, 1, str(case.failure_case), "required column is missing",
                                    f"add a column '{case.failure_case}' to the header: {','.join(spec.required)}"))
        elif check == "multiple_fields_uniqueness" or check == "field_uniqueness":
            values = ", ".join(f"{c}={table.at[case.index, c]!r}" for c in spec.key)
            problems.append(Problem(path, int(case.index), spec.key[-1] if len(spec.key) == 1 else "+".join(spec.key),
                                    f"duplicate row ({values} appears earlier in the file)",
                                    "remove the duplicate row or give it its own id"))
        else:
            rule, value = explain[(str(case.column), check)], str(case.failure_case)
            message = rule.message(value) if callable(rule.message) else rule.message.format(value=value)
            problems.append(Problem(path, int(case.index), str(case.column), message,
                                    rule.fix(value) if callable(rule.fix) else rule.fix))
    return problems


def normalise_header(header: list[str]) -> list[str]:
    """Strip spaces around column names (``' quote_id'`` → ``'quote_id'``)."""
    return [re.sub(r"\s+", " ", h).strip() for h in header]
