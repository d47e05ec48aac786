"""REFI-QDA exchange: import projects from ATLAS.ti, MAXQDA, NVivo and QualCoder; export ours.

A ``.qdpx`` project is a ZIP with one ``project.qde`` (XML, namespace
``urn:QDA-XML:project:1.0``) and the plain text of each source under ``sources/``;
a ``.qdc`` codebook is a bare XML file (``urn:QDA-XML:codebook:1.0``).

Import (``project → study``), decided once here:

* only ``project.qde`` and the source texts it refers to are unpacked, each within size
  and compression-ratio limits (`read_qdpx` says which, and how to raise them); a GUID
  shared by two codes, sources or text selections, or a text file shared by two sources,
  is refused with one line per kind, as it would put codings or texts in the wrong place;
* every ``TextSource`` becomes an interview; ``interview_id`` is the source name made
  safe (letters, digits, ``_``, ``-``; file extension dropped), ``pseudonym`` is
  ``Respondent N``. ``organisation``, ``party``, ``role``, ``department``, ``date`` and
  ``pseudonym`` come from a source's attributes (its own variables, else those of a
  case that holds it, else ``set`` = the name of the first set that holds it): by the
  ``mapping`` given (``{"party": "Partij"}``), else from an attribute of the column's own
  name. Unmapped, ``organisation`` and ``party`` are ``onbekend`` (source names can name
  people, so they never become organisations); the parties found are written to
  ``study.yml`` with their original value as label;
* every coded text selection becomes a quote: one quote per distinct (source, start,
  end), so NVivo's and QualCoder's one-selection-per-code is merged into one quote with
  several codes; a selection without codes (an ATLAS.ti "free quotation") is a quote its
  creator reviewed and left uncoded (a codings row with an empty theme);
* each coding is a ``codings.csv`` row; ``coder`` is the user who made the coding (else
  the selection's creator), pseudonymised as ``coder_1``, ``coder_2``… in the order of the
  project's user list unless ``keep_coder_names``;
* every codable (or used) code becomes a theme of the generated ``codebook.yml``: id made
  safe and unique, the hierarchy (nesting or ATLAS.ti's ``Parent::Child``) kept in the
  label as ``Parent › Child``, label and definition the same in ``nl`` and ``en`` (the
  code's name and description; our codebook requires both languages). Given an existing
  codebook, codes whose name is a theme's id or label map onto that theme instead;
* positions are converted to code points after detecting, per project, whether the tool
  counted code points, UTF-16 units or UTF-8 bytes, with CRLF as one or two: the
  reading that makes most selection texts (``PlainTextSelection/@name``) agree wins;
  without selection texts, NVivo's UTF-16 units, else code points;
* processes, relations, meetings and scan stay header-only tables.

Export (``study → project``): each interview is a ``TextSource`` whose plain text is its
quotes joined by blank lines, each quote a ``PlainTextSelection`` (code-point positions,
``@name`` = the quote) with one ``Coding`` per (coder, theme); coders are users, themes
are codes (name = label, description = definition), interview columns are text
variables. GUIDs are ``uuid5`` of our ids, and the ZIP has sorted entries with fixed
timestamps, so re-exports are byte-identical. Valences and a second coder's "reviewed,
left uncoded" mark have no place in REFI-QDA and are not exported.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import yaml
from lxml import etree

from .codebook import Codebook, load_codebook, parse_codebook
from .errors import CoopResearchError, DataError, Problem
from .schemas import LANGUAGES, TABLES
from .study import DEFAULT_PARTIES, init_study, load_study, write_raw_tables

__all__ = [
    "GUID_NAMESPACE",
    "ImportedStudy",
    "Project",
    "codebook_xml",
    "export_qdpx",
    "import_qdpx",
    "interview_id",
    "parse_project",
    "project_xml",
    "qdpx_archive",
    "read_qdpx",
    "safe_id",
    "source_texts",
    "study_from_project",
    "text_spans",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# Fixed namespace of our GUIDs (uuid5): the same ids always give the same GUIDs.
GUID_NAMESPACE = uuid.UUID("a8b8ccaf-806e-4f86-b2fd-b21c07a739a1")
INTERVIEW_ATTRIBUTES = ("organisation", "party", "pseudonym", "role", "department", "date")
UNKNOWN = "onbekend"
UNKNOWN_LABELS = {"nl": "Onbekend", "en": "Unknown"}
HIERARCHY = " › "
# (unit, newline) readings of startPosition/endPosition; "crlf" counts CRLF as two.
READINGS = (("character", "crlf"), ("utf16", "crlf"), ("utf8", "crlf"),
            ("character", "lf"), ("utf16", "lf"), ("utf8", "lf"))
UNIT_NAMES = {"character": "code points", "utf16": "UTF-16 code units", "utf8": "UTF-8 bytes"}
# Limits of read_qdpx against zip bombs (raised with COOPRESEARCH_QDPX_MAX_MB, _MAX_TOTAL_MB, _MAX_RATIO).
MB = 1024 * 1024
MAX_ENTRY_MB = 200  # unpacked size of one entry (project.qde or a source text)
MAX_TOTAL_MB = 1024  # unpacked size of all entries read
MAX_RATIO = 100  # unpacked / packed size of an entry over RATIO_FROM_MB
RATIO_FROM_MB = 5
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Project:
    """A parsed REFI-QDA project: its parts as DataFrames, GUIDs lower-case.

    ``codes``: guid, name, label (hierarchy joined by `` › ``), parent, codable, description;
    ``sources``: guid, kind (``TextSource``, ``PDFSource``…), name, path, content;
    ``selections``: one row per coding of a text selection (``code`` NaN when uncoded):
    selection, source, start, end, name, user, code;
    ``attributes``: source, attribute, value. ``files`` maps the lower-case base name of
    each file the text sources refer to (and the archive holds) to its bytes;
    ``archive_files`` lists the lower-case base names of all the archive's other files
    (never read).
    """

    name: str
    origin: str
    users: pd.DataFrame
    codes: pd.DataFrame
    sources: pd.DataFrame
    selections: pd.DataFrame
    attributes: pd.DataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    archive: str = "project.qde"
    archive_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportedStudy:
    """What an import writes: study settings, codebook YAML, raw tables, and notes for the user."""

    title: str
    parties: dict[str, dict[str, str]]
    codebook: str
    tables: dict[str, pd.DataFrame]
    notes: tuple[str, ...]


# --- names and GUIDs ----------------------------------------------------------------------

def safe_id(name: str, *, lower: bool = False) -> str:
    """ASCII letters, digits and ``_`` only (accents dropped, other runs → ``_``).

    Examples
    --------
    >>> safe_id("Mabêl 2ième.txt")
    'Mabel_2ieme_txt'
    >>> safe_id("Coke › diet Coke", lower=True)
    'coke_diet_coke'
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")
    return text.lower() if lower else text


class _Names:
    """Hands out names not taken yet: the name itself, else with ``_2``, ``_3``… (amortised constant time)."""

    def __init__(self):
        self.taken: set[str] = set()
        self.last: dict[str, int] = {}  # the suffix tried last per name: those below it are all taken

    def take(self, name: str) -> str:
        candidate, n = name, self.last.get(name, 1)
        if n > 1:
            candidate = f"{name}_{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{name}_{n}"
        self.last[name] = n
        self.taken.add(candidate)
        return candidate


def _unique(names: list[str]) -> list[str]:
    """Append ``_2``, ``_3``… to names already taken, in order.

    Examples
    --------
    >>> _unique(["a", "a_2", "a", "a", "b"])
    ['a', 'a_2', 'a_3', 'a_4', 'b']
    """
    taken = _Names()
    return [taken.take(name) for name in names]


def _theme_id(name: str) -> str:
    text = safe_id(name, lower=True)[:40].rstrip("_")
    return text if re.match(r"^[a-z]", text) else f"code_{text}".rstrip("_")


def interview_id(name: str) -> str:
    """An interview id from a document's file name: its stem in letters, digits, _ and -.

    Examples
    --------
    >>> interview_id("Gesprek wethouder (concept).docx"), interview_id("Café Noord.txt")
    ('Gesprek_wethouder_concept', 'Cafe_Noord')
    """
    stem = re.sub(r"\.(txt|docx?|rtf|odt|pdf|html?)$", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^A-Za-z0-9_-]+", "_", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
                  ).strip("_") or "interview"


def _guid(kind: str, *ids: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join((kind, *ids))))


def _norm_guid(value: str | None) -> str | None:
    return value.strip().strip("{}").lower() if value else None


# --- reading a project --------------------------------------------------------------------

def _limit(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise CoopResearchError(f"{name}={value!r} is not a positive number — set it to a number such as {default:g}, "
                                "or unset it to use the default")
    return number


class _Budget:
    """The limits of one import, and the bytes unpacked so far (checked while reading, chunk by chunk)."""

    def __init__(self, archive: str, size: int):
        self.archive, self.size, self.total = archive, size, 0
        self.entry_mb = _limit("COOPRESEARCH_QDPX_MAX_MB", MAX_ENTRY_MB)
        self.total_mb = _limit("COOPRESEARCH_QDPX_MAX_TOTAL_MB", MAX_TOTAL_MB)
        self.ratio = _limit("COOPRESEARCH_QDPX_MAX_RATIO", MAX_RATIO)

    def refuse(self, entry: str, what: str, variable: str, now: float) -> CoopResearchError:
        return CoopResearchError(f"{self.archive}: refused to unpack entry {entry}: {what} — if you trust the file, "
                                 f"raise the limit with the environment variable {variable} (now {now:g})")

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """The entry's bytes, refused as soon as it unpacks beyond a limit (whatever its header says)."""
        entry_limit, total_limit = self.entry_mb * MB, self.total_mb * MB
        # the header may lie, but a header over the limit is refused before reading anything
        if info.file_size > entry_limit:
            raise self.refuse(info.filename, f"it unpacks to {info.file_size / MB:,.0f} MB, over the limit of "
                              f"{self.entry_mb:g} MB per entry", "COOPRESEARCH_QDPX_MAX_MB", self.entry_mb)
        packed = max(min(info.compress_size, self.size), 1)
        chunks, size = [], 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > entry_limit:
                        raise self.refuse(info.filename, f"it unpacks to over {self.entry_mb:g} MB, the limit per entry",
                                          "COOPRESEARCH_QDPX_MAX_MB", self.entry_mb)
                    if self.total > total_limit:
                        raise self.refuse(info.filename, f"the project and its source texts unpack to over "
                                          f"{self.total_mb:g} MB, the limit in total", "COOPRESEARCH_QDPX_MAX_TOTAL_MB",
                                          self.total_mb)
                    if size > RATIO_FROM_MB * MB and size > self.ratio * packed:
                        raise self.refuse(info.filename, f"its {packed:,} packed bytes unpack to over {size / MB:,.0f} MB, "
                                          f"more than {self.ratio:g} times their size, as in a zip bomb",
                                          "COOPRESEARCH_QDPX_MAX_RATIO", self.ratio)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise CoopResearchError(f"{self.archive}: entry {info.filename} cannot be unpacked ({exc}) — the archive is "
                                    "damaged, encrypted or packed in an unusual way; export the project again") from None
        return b"".join(chunks)


def read_qdpx(path: str | os.PathLike) -> Project:
    """Read a ``.qdpx`` archive (also when named ``.zip``) or a bare ``.qde`` file.

    The project XML is found whatever its case (``project.qde``, ``Project.qde``). Only it and
    the files its text sources refer to (``plainTextPath``, e.g. ``internal://GUID.txt``) are
    unpacked, matched by lower-case base name whatever their folder (``sources/``,
    ``Sources/``); other entries are never read.

    Reading is bounded, so a small archive cannot unpack into gigabytes (a zip bomb): each
    entry is read in chunks and refused, with one line, as soon as it passes
    ``MAX_ENTRY_MB`` (200 MB), all entries together pass ``MAX_TOTAL_MB`` (1,024 MB), or an
    entry over ``RATIO_FROM_MB`` (5 MB) unpacks to more than ``MAX_RATIO`` (100) times its
    packed size. A trusted project over a limit is read after raising it with the
    environment variable ``COOPRESEARCH_QDPX_MAX_MB``, ``COOPRESEARCH_QDPX_MAX_TOTAL_MB`` or
    ``COOPRESEARCH_QDPX_MAX_RATIO`` (e.g. ``COOPRESEARCH_QDPX_MAX_MB=500 coopresearch
    import-qdpx …``). A bare ``.qde`` file is held to the limit per entry too.
    """
    path = Path(path)
    if not path.is_file():
        raise CoopResearchError(f"{path}: no such file — give the path of a .qdpx project exported by your QDA tool")
    size = path.stat().st_size
    if not zipfile.is_zipfile(path):
        budget = _Budget(path.name, size)
        if size > budget.entry_mb * MB:
            raise budget.refuse(path.name, f"the file is {size / MB:,.0f} MB, over the limit of {budget.entry_mb:g} MB",
                                "COOPRESEARCH_QDPX_MAX_MB", budget.entry_mb)
        return parse_project(path.read_bytes(), archive=path.name)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CoopResearchError(f"{path.name}: not a readable ZIP archive ({exc}) — export the project again as "
                                "REFI-QDA project (.qdpx)") from None
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        projects = [info for info in entries if info.filename.lower().endswith(".qde")]
        if len(projects) != 1:
            found = ", ".join(info.filename for info in entries[:10]) or "nothing"
            raise CoopResearchError(f"{path.name}: expected one project.qde in the archive, found {found} — "
                                    "export the project again as REFI-QDA project (.qdpx)")
        budget = _Budget(path.name, size)
        project = parse_project(budget.read(archive, projects[0]), archive=path.name)
        by_name: dict[str, list[zipfile.ZipInfo]] = {}
        for info in entries:
            if info is not projects[0]:
                by_name.setdefault(PurePosixPath(info.filename).name.lower(), []).append(info)
        files = {}
        for name in _referenced(project.sources):
            found = by_name.get(name, [])
            if len(found) > 1:
                raise CoopResearchError(f"{path.name}: the archive holds {len(found)} files named {name} "
                                        f"({', '.join(info.filename for info in found[:3])}), so the text of the "
                                        "source that refers to it is ambiguous — export the project again")
            if found:
                files[name] = budget.read(archive, found[0])
    return replace(project, files=files, archive_files=tuple(sorted(by_name)))


def _file_name(path) -> str:
    """The lower-case base name of a ``plainTextPath`` (``internal://GUID.txt`` → ``guid.txt``)."""
    path = path if isinstance(path, str) else ""
    return re.sub(r"^[a-z]+:/+", "", path).rsplit("/", 1)[-1].lower()


def _referenced(sources: pd.DataFrame) -> list[str]:
    """Base names of the files holding the text of text sources without inline text."""
    from_file = sources[(sources["kind"] == "TextSource") & ~sources["content"].map(lambda c: isinstance(c, str))]
    return [name for name in map(_file_name, from_file["path"]) if name]


def _strip_namespaces(root: etree._Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname


def parse_project(xml: bytes, *, files: Mapping[str, bytes] | None = None, archive: str = "project.qde") -> Project:
    """Parse ``project.qde`` into DataFrames (pure: ``files`` are the archive's other files).

    Examples
    --------
    >>> project = parse_project(b'''<Project xmlns="urn:QDA-XML:project:1.0" name="p">
    ...   <CodeBook><Codes><Code guid="00000000-0000-0000-0000-00000000000A" name="Trust" isCodable="true"/>
    ...   </Codes></CodeBook></Project>''')
    >>> project.codes[["guid", "label", "codable"]].to_dict("records")
    [{'guid': '00000000-0000-0000-0000-00000000000a', 'label': 'Trust', 'codable': True}]
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise CoopResearchError(f"{archive}: project.qde is not well-formed XML ({exc}) — "
                                "export the project again from your QDA tool") from None
    if etree.QName(root).localname != "Project":
        raise CoopResearchError(f"{archive}: the XML root is <{etree.QName(root).localname}>, not a REFI-QDA "
                                "<Project> — give a .qdpx project (a .qdc codebook holds no interviews)")
    _strip_namespaces(root)
    users = pd.DataFrame([{"guid": _norm_guid(u.get("guid")), "name": u.get("name") or u.get("guid")}
                          for u in root.iterfind("Users/User")], columns=["guid", "name"])
    sources, selections, skipped = _sources(root, archive)
    codes = _codes_table(root)
    _check_unique(archive, codes, sources, [_norm_guid(selection.get("guid"))
                                            for selection in root.iterfind("Sources/TextSource/PlainTextSelection")])
    return Project(root.get("name") or Path(archive).stem, root.get("origin") or "", users, codes,
                   sources, selections, _attributes(root), skipped, dict(files or {}), archive)


def _check_unique(archive: str, codes: pd.DataFrame, sources: pd.DataFrame, selections: list) -> None:
    """Refuse a GUID of two codes, sources or text selections, and a file read by two text sources: one line each."""
    from_file = sources[(sources["kind"] == "TextSource") & ~sources["content"].map(lambda c: isinstance(c, str))]
    files = from_file["path"].map(_file_name)
    checks = (
        ("Code guid", "GUID", "code", codes["guid"], codes["label"],
         "codings that refer to it may land on the wrong code", "merge the duplicate codes or give each its own GUID"),
        ("source guid", "GUID", "source", sources["guid"], sources["name"],
         "its selections and attributes may land on the wrong interview", "give each source its own GUID"),
        ("PlainTextSelection guid", "GUID", "text selection", pd.Series(selections, dtype=object), None,
         "the selections cannot be told apart", "give each selection its own GUID"),
        ("TextSource plainTextPath", "file name", "text source", files.where(files != ""), from_file["name"],
         "one of them would get the other's text", "give each source its own plain-text file"),
    )
    problems = []
    for column, what, noun, keys, names, harm, fix in checks:
        repeated = keys[keys.notna() & keys.duplicated(keep=False)]
        if repeated.empty:
            continue
        first = repeated.iloc[0]
        users = "" if names is None else " by " + ", ".join(f"'{name}'" for name in names[keys == first].head(3))
        problems.append(Problem(archive, "-", column, f"{_count(repeated.nunique(), what)} used by more than one {noun} "
                                f"(first: {first}{users}), so {harm}", f"{fix} in your QDA tool and export again"))
    if problems:
        raise DataError(problems)


def _codes_table(root) -> pd.DataFrame:
    """One row per code, depth first; nesting and ATLAS.ti's ``Parent::Child`` names both become the label."""
    codes = []

    def walk(element, parent_guid, parent_label):
        for code in element.iterfind("Code"):
            name = _clean(code.get("name") or "")
            parts = [part.strip() for part in name.split("::") if part.strip()] or [name]
            label = HIERARCHY.join(([parent_label] if parent_label else []) + parts)
            guid = _norm_guid(code.get("guid"))
            codes.append({"guid": guid, "name": name, "label": label, "parent": parent_guid,
                          "codable": (code.get("isCodable") or "true").strip().lower() in ("true", "1"),
                          "description": (code.findtext("Description") or "").strip()})
            walk(code, guid, label)

    for codes_element in root.iterfind("CodeBook/Codes"):
        walk(codes_element, None, "")
    return pd.DataFrame(codes, columns=["guid", "name", "label", "parent", "codable", "description"])


def _sources(root, archive: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Sources, one row per coding of a text selection (or per uncoded selection), and what was skipped."""
    sources, selections, skipped = [], [], {}
    for source in root.iterfind("Sources/*"):
        kind, guid = source.tag, _norm_guid(source.get("guid"))
        sources.append({"guid": guid, "kind": kind, "name": _clean(source.get("name") or "") or guid,
                        "path": source.get("plainTextPath") or source.get("path"),
                        "content": source.findtext("PlainTextContent")})
        if kind != "TextSource":
            skipped[kind] = skipped.get(kind, 0) + 1
            continue
        if source.find("Coding") is not None:
            skipped["whole-document coding"] = skipped.get("whole-document coding", 0) + len(source.findall("Coding"))
        for selection in source.iterfind("PlainTextSelection"):
            try:
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                refs = [coding.find("CodeRef").get("targetGUID") for coding in selection.iterfind("Coding")]
            except (TypeError, ValueError, AttributeError):
                raise CoopResearchError(f"{archive}: selection {selection.get('guid')} in '{source.get('name')}' lacks "
                                        "a whole-number startPosition/endPosition or a CodeRef — the project file is "
                                        "damaged; export it again") from None
            row = {"selection": _norm_guid(selection.get("guid")), "source": guid, "start": start, "end": end,
                   "name": selection.get("name") or ""}
            for coding, ref in zip(selection.iterfind("Coding"), refs, strict=True):
                # the coder is who made the coding (NVivo: often not who made the selection)
                user = coding.get("creatingUser") or selection.get("creatingUser")
                selections.append({**row, "user": _norm_guid(user), "code": _norm_guid(ref)})
            if not refs:
                selections.append({**row, "user": _norm_guid(selection.get("creatingUser")), "code": None})
    return (pd.DataFrame(sources, columns=["guid", "kind", "name", "path", "content"]),
            pd.DataFrame(selections, columns=["selection", "source", "start", "end", "name", "user", "code"]), skipped)


def _value(element) -> str:
    for child in element:
        if child.tag == "DateValue":  # an xsd:dateTime (2009-10-01T00:00:00Z): interviews.csv takes the day
            text = (child.text or "").strip()
            return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}(T|$)", text) else text
        if child.tag != "VariableRef":
            return (child.text or "").strip()
    return ""


def _attributes(root) -> pd.DataFrame:
    """Attributes of each source: own variables first, then its case's, then ``case`` and ``set``."""
    variables = {_norm_guid(v.get("guid")): v.get("name") for v in root.iterfind("Variables/Variable")}
    rows = []

    def values(element, source):
        for value in element.iterfind("VariableValue"):
            name = variables.get(_norm_guid(value.find("VariableRef").get("targetGUID")))
            if name:
                rows.append({"source": source, "attribute": name, "value": _value(value)})

    for source in root.iterfind("Sources/TextSource"):
        values(source, _norm_guid(source.get("guid")))
    for case in root.iterfind("Cases/Case"):
        for ref in case.iterfind("SourceRef"):
            source = _norm_guid(ref.get("targetGUID"))
            values(case, source)
            rows.append({"source": source, "attribute": "case", "value": case.get("name") or ""})
    for member_set in root.iterfind("Sets/Set"):
        for ref in member_set.iterfind("MemberSource"):
            rows.append({"source": _norm_guid(ref.get("targetGUID")), "attribute": "set", "value": member_set.get("name")})
    table = pd.DataFrame(rows, columns=["source", "attribute", "value"])
    # the first value per (source, attribute) wins: own variables before the case's, first set
    return table[table["value"] != ""].drop_duplicates(["source", "attribute"]).reset_index(drop=True)


# --- source texts and positions -----------------------------------------------------------

def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def source_texts(project: Project, guids) -> dict[str, str]:
    """The plain text of each text source in ``guids`` (BOM removed, line ends as stored).

    Raises `DataError` naming every source whose text is missing or unreadable.
    """
    texts, problems = {}, []
    rows = project.sources.set_index("guid")
    for guid in guids:
        row = rows.loc[guid]
        if isinstance(row["content"], str):
            texts[guid] = row["content"]
            continue
        where = f"text source '{row['name']}'"
        path = row["path"] if isinstance(row["path"], str) else ""
        name = _file_name(path)
        if not name:
            problems.append(Problem(project.archive, "-", where, "has neither a plainTextPath nor PlainTextContent",
                                    "export the project again with its plain-text sources"))
        elif name not in project.files:
            if project.archive.lower().endswith(".qde"):
                present = "a bare .qde file carries no source files"
            elif not (listed := project.archive_files or tuple(project.files)):
                present = "the archive holds no source files"
            else:
                present = f"the archive's {len(listed)} other files do not include it"
            problems.append(Problem(project.archive, "-", where,
                                    f"its text {path} is missing ({present}), so its coded selections have no text",
                                    "export the project again as a .qdpx with its source documents included"))
        else:
            try:
                texts[guid] = _decode(project.files[name])
            except UnicodeDecodeError:
                problems.append(Problem(project.archive, "-", where, f"{path} is neither UTF-8 nor UTF-16 text",
                                        "export the project again; REFI-QDA plain text is UTF-8"))
    if problems:
        raise DataError(problems)
    return texts


def _lookup(text: str, unit: str) -> np.ndarray:
    """Map an offset in ``unit`` to a code-point index (-1 inside a character)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    widths = {"character": np.ones(len(codes), dtype=np.int64),
              "utf16": 1 + (codes > 0xFFFF),
              "utf8": 1 + (codes > 0x7F) + (codes > 0x7FF) + (codes > 0xFFFF)}[unit]
    ends = np.concatenate([[0], np.cumsum(widths)])
    lookup = np.full(int(ends[-1]) + 1, -1, dtype=np.int64)
    lookup[ends] = np.arange(len(ends))
    return lookup


def _same_text(span: str, name: str) -> bool:
    span, name = " ".join(span.split()), " ".join(name.split())
    if name.endswith("…"):  # ATLAS.ti shortens long quotation names
        return span.startswith(name[:-1].rstrip())
    return span == name


def text_spans(texts: Mapping[str, str], selections: pd.DataFrame, *, origin: str = "") -> tuple[pd.DataFrame, str]:
    """Turn selection positions into code-point spans, detecting how the tool counted them.

    Returns ``selections`` with ``start``/``end`` in code points of the text with its line
    ends as stored, a ``text`` column, and a sentence saying which reading was chosen.

    Examples
    --------
    >>> texts = {"s": "Één 😀 twee"}
    >>> sel = pd.DataFrame({"source": ["s"], "start": [7], "end": [11], "name": ["twee"]})
    >>> spans, how = text_spans(texts, sel)
    >>> spans["text"].tolist(), how.split(" (")[0]
    (['twee'], 'positions read as UTF-16 code units')
    """
    preferred = ("utf16", "crlf") if "nvivo" in origin.lower() else ("character", "crlf")
    readings = [preferred] + [r for r in READINGS if r != preferred]
    if not any("\r\n" in text for text in texts.values()):
        readings = [r for r in readings if r[1] == "crlf"]
    # score each distinct selection once (NVivo and QualCoder repeat a selection per code)
    distinct = selections.drop_duplicates(["source", "start", "end", "name"])
    best = None
    for unit, newline in readings:
        starts, ends, score = _read_positions(texts, distinct, unit, newline)
        if best is None or score > best[0]:  # ties keep the tool's default reading
            best = (score, unit, newline, starts, ends)
    (matches, _, clean), unit, newline, starts, ends = best
    read = dict(zip(_spans(distinct), zip(starts, ends, strict=True), strict=True))
    positions = [read[key] for key in _spans(selections)]
    spans = selections.assign(start=[p[0] for p in positions], end=[p[1] for p in positions])
    bad = spans[(spans["start"] < 0) | (spans["end"] < spans["start"])]
    if len(bad):
        first = selections.loc[bad.index[0]]
        raise CoopResearchError(f"{len(bad)} selection(s) point outside their source text (first: positions "
                                f"{first['start']}–{first['end']}) — the project and its source files do not "
                                "belong together; export the project again")
    spans["text"] = [texts[s][a:b] for s, a, b in zip(spans["source"], spans["start"], spans["end"], strict=True)]
    crlf = ", CRLF as one" if newline == "lf" else ""
    compared = int((distinct["name"].fillna("").str.strip() != "").sum())
    evidence = (f"{matches} of {compared} selection texts agree" if compared else
                f"no selection texts to compare; {clean} of {len(distinct)} spans start and end at word boundaries")
    return spans, f"positions read as {UNIT_NAMES[unit]}{crlf} ({evidence})"


def _read_positions(texts, selections, unit: str, newline: str) -> tuple[list[int], list[int], tuple[int, int, int]]:
    """Code-point spans under one reading, and its score: (texts agreeing, spans valid, clean boundaries)."""
    starts, ends, matches, valid, clean = [], [], 0, 0, 0
    maps = {}
    for row in selections.itertuples(index=False):
        text = texts[row.source]
        if row.source not in maps:
            stored = text if newline == "crlf" else text.replace("\r\n", "\n")
            maps[row.source] = (_lookup(stored, unit), _lf_to_stored(text) if newline == "lf" else None)
        lookup, back = maps[row.source]
        start = int(lookup[row.start]) if 0 <= row.start < len(lookup) else -1
        end = int(lookup[row.end]) if 0 <= row.end < len(lookup) else -1
        if back is not None and start >= 0 and end >= 0:
            start, end = int(back[start]), int(back[end])
        if 0 <= start <= end:
            valid += 1
            matches += bool(row.name and _same_text(text[start:end], row.name))
            clean += ((start == 0 or not text[start - 1].isalnum()) and text[start:start + 1].isalnum()
                      and (end == len(text) or not text[end].isalnum()))
        starts.append(start)
        ends.append(end)
    return starts, ends, (matches, valid, clean)


def _spans(table: pd.DataFrame) -> list[tuple]:
    return list(table[["source", "start", "end"]].itertuples(index=False, name=None))


def _lf_to_stored(text: str) -> np.ndarray:
    """Map code-point indices of ``text`` with CRLF → LF back to indices in ``text``."""
    keep = np.ones(len(text) + 1, dtype=bool)
    for match in re.finditer("\r\n", text):
        keep[match.start()] = False  # the CR disappears in the LF reading
    return np.flatnonzero(keep)


# --- project → study ------------------------------------------------------------------------

def _clean(text: str) -> str:
    # NFC so that words typed on any system match (macOS tools write "e" + combining accent)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _themes(project: Project, used: set, codebook: Codebook | None) -> tuple[list[dict], dict[str, str]]:
    """Theme entries for the codable or used codes, and the map code guid → theme id."""
    codes = project.codes[project.codes["codable"] | project.codes["guid"].isin(used)]
    known = {}
    if codebook is not None:
        for theme in codebook.themes:
            for name in (theme.id, *theme.label.values()):
                known.setdefault(name.casefold(), theme)
    entries, ids, names = [], {}, _Names()
    for code in codes.itertuples(index=False):
        theme = known.get(code.name.casefold()) or known.get(code.label.casefold())
        if theme is not None:
            ids[code.guid] = theme.id
            if theme.id not in names.taken:
                entry = {"id": theme.id, "label": dict(theme.label), "definition": dict(theme.definition)}
                entries.append({**entry, "terms": theme.terms} if theme.terms else entry)
            names.taken.add(theme.id)
            continue
        # the id comes from the code's own name (the hierarchy lives in the label); clashes get _2, _3
        new_id = names.take(_theme_id(code.label.split(HIERARCHY)[-1]))
        ids[code.guid] = new_id
        definition = code.description or code.label
        entries.append({"id": new_id, "label": dict.fromkeys(LANGUAGES, code.label),
                        "definition": dict.fromkeys(LANGUAGES, definition)})
    return entries, ids


def _interviews(project: Project, text_sources: pd.DataFrame, mapping: Mapping[str, str]) -> tuple[pd.DataFrame, dict]:
    attributes = project.attributes
    available = sorted(set(attributes["attribute"]))
    unknown = sorted(set(mapping) - set(INTERVIEW_ATTRIBUTES))
    if unknown:
        raise CoopResearchError(f"--map {unknown[0]}=…: '{unknown[0]}' is not an interview column — "
                                f"map one of: {', '.join(INTERVIEW_ATTRIBUTES)}")
    missing = sorted(a for a in mapping.values() if a not in available)
    if missing:
        raise CoopResearchError(f"{project.archive}: the project has no attribute '{missing[0]}' — "
                                f"use one of: {', '.join(available) or '(none: map nothing)'}")
    by_name = {a.casefold(): a for a in available}
    chosen = {column: mapping.get(column) or by_name.get(column) for column in INTERVIEW_ATTRIBUTES}
    values = attributes.pivot(index="source", columns="attribute", values="value") if len(attributes) else pd.DataFrame()
    rows = []
    for n, (source, name) in enumerate(zip(text_sources["guid"], text_sources["name"], strict=True), start=1):
        row = {"interview_id": interview_id(name)}
        for column, attribute in chosen.items():
            value = values.at[source, attribute] if attribute and source in values.index else None
            row[column] = value if isinstance(value, str) and value.strip() else None
        row["organisation"] = row["organisation"] or UNKNOWN
        row["pseudonym"] = row["pseudonym"] or f"Respondent {n}"
        rows.append(row)
    table = pd.DataFrame(rows, columns=["interview_id", *INTERVIEW_ATTRIBUTES])
    table["interview_id"] = _unique(list(table["interview_id"]))
    parties = {}
    for value in table["party"]:
        if isinstance(value, str):
            party = safe_id(value, lower=True) or UNKNOWN
            # the usual sides keep their proper labels; others are labelled with the value found
            parties.setdefault(party, dict(DEFAULT_PARTIES.get(party, dict.fromkeys(LANGUAGES, value))))
    table["party"] = [safe_id(v, lower=True) or UNKNOWN if isinstance(v, str) else UNKNOWN for v in table["party"]]
    if (table["party"] == UNKNOWN).any():
        parties.setdefault(UNKNOWN, dict(UNKNOWN_LABELS))
    return table[list(TABLES["interviews"].columns)], parties


def _paragraph_selections(texts: Mapping[str, str], sources) -> pd.DataFrame:
    rows = []
    for source in sources:
        for match in re.finditer(r"[^\r\n]*\S[^\r\n]*", texts[source]):
            rows.append({"selection": None, "source": source, "start": match.start(), "end": match.end(),
                         "name": "", "user": None, "code": None, "text": match.group()})
    return pd.DataFrame(rows, columns=["selection", "source", "start", "end", "name", "user", "code", "text"])


def study_from_project(project: Project, *, mapping: Mapping[str, str] | None = None, codebook: Codebook | None = None,
                       keep_coder_names: bool = False, paragraphs: bool = False) -> ImportedStudy:
    """Turn a parsed project into study tables, parties and codebook YAML (pure).

    ``mapping`` maps interview columns to project attributes (``{"party": "set"}``);
    ``codebook`` maps codes onto its themes by id or label; ``paragraphs`` imports every
    line of the sources nobody coded as an uncoded quote (for projects with documents
    but no codings yet, such as a MAXQDA codebook-plus-documents export).

    Examples
    --------
    >>> project = parse_project(b'''<Project xmlns="urn:QDA-XML:project:1.0" name="p">
    ...   <CodeBook><Codes><Code guid="00000000-0000-0000-0000-00000000000a" name="Trust" isCodable="true"/>
    ...   </Codes></CodeBook><Sources><TextSource guid="00000000-0000-0000-0000-000000000001" name="a.txt">
    ...   <PlainTextContent>Wij vertrouwen elkaar.</PlainTextContent>
    ...   <PlainTextSelection guid="00000000-0000-0000-0000-000000000002" startPosition="4" endPosition="14">
    ...   <Coding guid="00000000-0000-0000-0000-000000000003"><CodeRef targetGUID="00000000-0000-0000-0000-00000000000a"/>
    ...   </Coding></PlainTextSelection></TextSource></Sources></Project>''')
    >>> tables = study_from_project(project).tables
    >>> tables["quotes"].merge(tables["codings"])[["interview_id", "text", "theme"]].values.tolist()
    [['a', 'vertrouwen', 'trust']]
    """
    notes = []
    text_sources = project.sources[project.sources["kind"] == "TextSource"].reset_index(drop=True)
    if text_sources.empty:
        raise CoopResearchError(f"{project.archive}: the project has no text sources "
                                f"({_count(len(project.sources), 'source')} of other kinds) — only text sources become "
                                "interviews; convert the documents to text in your QDA tool and export again")
    selections = project.selections
    unknown_codes = sorted(set(selections["code"].dropna()) - set(project.codes["guid"]))
    if unknown_codes:
        raise CoopResearchError(f"{project.archive}: codings refer to code {unknown_codes[0]}, which is not in the "
                                "codebook — the project file is incomplete; export it again")
    coded_sources = set(selections["source"])
    uncoded_sources = [g for g in text_sources["guid"] if g not in coded_sources]
    if selections.empty and not paragraphs:
        raise CoopResearchError(
            f"{project.archive}: the project has {_count(len(text_sources), 'text source')} and "
            f"{_count(len(project.codes), 'code')} but no coded text selections, so there are no quotes to import — "
            "code the documents and export again, or import every line of the documents as an uncoded quote "
            "with --paragraphs")
    texts = source_texts(project, sorted(coded_sources | set(uncoded_sources if paragraphs else [])))
    frames = []
    if not selections.empty:
        spans, how = text_spans(texts, selections, origin=project.origin)
        frames.append(spans)
        notes.append(how)
    if paragraphs and uncoded_sources:
        frames.append(_paragraph_selections(texts, uncoded_sources))
        notes.append(f"{_count(len(uncoded_sources), 'uncoded source')} split into one quote per line (--paragraphs)")
    spans = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    interviews, parties = _interviews(project, text_sources, mapping or {})
    interview_of = dict(zip(text_sources["guid"], interviews["interview_id"], strict=True))
    order = {guid: i for i, guid in enumerate(text_sources["guid"])}
    spans = spans.assign(text=spans["text"].map(_clean), order=spans["source"].map(order))
    empty = spans["text"] == ""
    if empty.any():
        notes.append(f"{_count(int(empty.sum()), 'selection')} without text skipped")
    spans, quotes = _quotes(spans[~empty], interview_of)
    themes, theme_of = _themes(project, set(selections["code"].dropna()), codebook)
    coders = _coders(project, spans["user"], keep_coder_names)
    codings = _codings(spans, coders, theme_of)

    notes.insert(0, f"{_count(len(text_sources), 'text source')} → {_count(len(interviews), 'interview')}; "
                    f"{_count(selections['selection'].nunique(), 'text selection')} → {_count(len(quotes), 'quote')}; "
                    f"{_count(len(codings[codings['theme'] != '']), 'coding')}; "
                    f"{_count(len(project.codes), 'code')} → {_count(len(themes), 'theme')}")
    if coders and not keep_coder_names:
        notes.append(f"coders pseudonymised as {', '.join(sorted(set(coders.values())))} "
                     "(--keep-coder-names keeps the tool's user names)")
    if project.skipped:
        notes.append("not imported (only text selections become quotes): "
                     + ", ".join(f"{n} {kind}" for kind, n in sorted(project.skipped.items())))
    book = {"name": safe_id(project.name, lower=True) or "imported",
            "description": dict.fromkeys(LANGUAGES, f"Imported from {project.archive} ({project.origin or 'REFI-QDA'})"),
            "themes": themes}
    if not themes:
        raise CoopResearchError(f"{project.archive}: the project's codebook has no codes — our studies need at "
                                "least one theme; add codes in your QDA tool and export again")
    text = (f"# Codebook imported from {project.archive} by 'coopresearch import-qdpx'. Labels and definitions are\n"
            "# the tool's code names and descriptions in both languages: translate them where needed.\n"
            + yaml.safe_dump(book, allow_unicode=True, sort_keys=False, width=100))
    parse_codebook(text, source="codebook.yml")  # what we write must load
    # processes, relations, meetings and scan stay the header-only templates of init_study
    tables = {"interviews": interviews, "quotes": quotes, "codings": codings}
    return ImportedStudy(project.name, parties, text, tables, tuple(notes))


def _quotes(spans: pd.DataFrame, interview_of: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One quote per distinct (source, start, end), numbered in source and text order."""
    spans = spans.sort_values(["order", "start", "end"], kind="stable")
    first = spans.drop_duplicates(["source", "start", "end"])
    width = len(str(len(first)))
    ids = {key: f"Q{n:0{width}d}" for n, key in enumerate(_spans(first), start=1)}
    quotes = pd.DataFrame({"quote_id": list(ids.values()), "interview_id": first["source"].map(interview_of).to_numpy(),
                           "text": first["text"].to_numpy()})
    return spans.assign(quote_id=[ids[key] for key in _spans(spans)]), quotes


def _codings(spans: pd.DataFrame, coders: Mapping[str, str], theme_of: Mapping[str, str]) -> pd.DataFrame:
    """One row per (quote, coder, theme); an uncoded selection is its creator's empty-theme row."""
    coded = spans[spans["user"].notna() | spans["code"].notna()]
    codings = pd.DataFrame({"quote_id": coded["quote_id"], "coder": coded["user"].map(lambda u: coders.get(u, UNKNOWN)),
                            "theme": coded["code"].map(theme_of).fillna("")}).drop_duplicates()
    # "reviewed, left uncoded" only where that coder gave the quote no theme
    themed = (codings["theme"] != "").groupby([codings["quote_id"], codings["coder"]]).transform("any")
    return codings[(codings["theme"] != "") | ~themed].sort_values(["quote_id", "coder", "theme"]).reset_index(drop=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _coders(project: Project, users: pd.Series, keep_names: bool) -> dict[str, str]:
    """User guid → coder name, numbered in the order of the project's user list."""
    names = dict(zip(project.users["guid"], project.users["name"], strict=True))
    used = set(users.dropna())
    order = [g for g in project.users["guid"] if g in used] + sorted(used - set(project.users["guid"]))
    if keep_names:
        return {g: names.get(g, g) for g in order}
    return {g: f"coder_{n}" for n, g in enumerate(order, start=1)}


def import_qdpx(path: str | os.PathLike, new_study: str | os.PathLike, *, mapping: Mapping[str, str] | None = None,
                codebook_file: str | os.PathLike | None = None, keep_coder_names: bool = False,
                paragraphs: bool = False):
    """Create the study folder ``new_study`` from a REFI-QDA project, then load (validate) it.

    Returns the loaded `Study` and the `ImportedStudy` (with notes for the user). Refuses
    to write into an existing non-empty folder.
    """
    codebook = load_codebook(codebook_file) if codebook_file is not None else None
    target = Path(new_study)
    if target.exists() and any(target.iterdir()):
        raise CoopResearchError(f"{target}: folder exists and is not empty — import into a new folder "
                                "(an import never overwrites a study)")
    imported = study_from_project(read_qdpx(path), mapping=mapping, codebook=codebook,
                                  keep_coder_names=keep_coder_names, paragraphs=paragraphs)
    root = init_study(target, title=imported.title, parties=imported.parties, codebook_text=imported.codebook)
    write_raw_tables(root, imported.tables)
    return load_study(root), imported


# --- study → project ------------------------------------------------------------------------

# characters XML 1.0 cannot carry (control characters pasted into a CSV cell)
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _element(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, tag)
    for key, value in attributes.items():
        if value is not None:
            element.set(key, NOT_XML.sub("", str(value)))
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _codes(parent, codebook: Codebook, lang: str) -> None:
    codes = _element(parent, "Codes")
    for theme in codebook.themes:
        code = _element(codes, "Code", guid=_guid("theme", theme.id), name=theme.label[lang], isCodable="true")
        _element(code, "Description", theme.definition[lang])


def codebook_xml(codebook: Codebook, *, lang: str = "nl", origin: str = "coopresearch") -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` (flat codes: name = label, description = definition).

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> codebook_xml(default_codebook()).count(b"<Code ")
    4
    """
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=origin)
    _codes(root, codebook, lang)
    _qualify(root, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _qualify(root, namespace: str) -> None:
    for element in root.iter():
        if not element.tag.startswith("{"):
            element.tag = f"{{{namespace}}}{element.tag}"


def project_xml(study, *, lang: str | None = None) -> tuple[bytes, dict[str, bytes]]:
    """A study as ``project.qde`` and its source files (``sources/GUID.txt`` → UTF-8 text), pure.

    Examples
    --------
    >>> xml, files = project_xml(load_study(MINI_STUDY))
    >>> len(files), xml.count(b"<PlainTextSelection ")
    (4, 6)
    """
    from . import __version__

    lang = lang or study.language
    quotes, codings, interviews = study.quotes, study.codings, study.interviews
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", study.title)
    root.set("origin", f"coopresearch {__version__}")
    coders = sorted(set(codings["coder"].dropna()))
    users = _element(root, "Users")
    for coder in coders:
        _element(users, "User", guid=_guid("coder", coder), name=coder)
    _codes(_element(root, "CodeBook"), study.codebook, lang)
    columns = [c for c in INTERVIEW_ATTRIBUTES if c in interviews and interviews[c].notna().any()]
    variables = _element(root, "Variables")
    for column in columns:
        _element(variables, "Variable", guid=_guid("variable", column), name=column, typeOfVariable="Text")
    sources, files = _element(root, "Sources"), {}
    # each quote's (coder, theme) pairs and first "reviewed, left uncoded" coder, and each interview's quotes, in one pass
    own_of: dict[str, list[tuple[str, str]]] = {}
    reviewed_of: dict[str, str] = {}
    for quote_id, coder, theme in zip(codings["quote_id"], codings["coder"], codings["theme"], strict=True):
        if pd.notna(theme):
            own_of.setdefault(quote_id, []).append((coder, theme))
        else:
            reviewed_of[quote_id] = min(reviewed_of.get(quote_id, coder), coder)
    quotes_of: dict[str, list[tuple[str, str]]] = {}
    for interview_id, quote_id, text in zip(quotes["interview_id"], quotes["quote_id"], quotes["text"], strict=True):
        quotes_of.setdefault(interview_id, []).append((quote_id, text))
    for interview in interviews.itertuples(index=False):
        guid = _guid("interview", interview.interview_id)
        source = _element(sources, "TextSource", guid=guid, name=interview.interview_id,
                          plainTextPath=f"internal://{guid}.txt")
        position, parts = 0, []
        for quote_id, text in quotes_of.get(interview.interview_id, []):
            if parts:
                position += 2  # the blank line between quotes
            start, end = position, position + len(text)
            parts.append(text)
            position = end
            own = sorted(own_of.get(quote_id, []))
            reviewed = reviewed_of.get(quote_id)
            selection = _element(source, "PlainTextSelection", guid=_guid("quote", quote_id), name=text,
                                 startPosition=start, endPosition=end,
                                 creatingUser=None if own or reviewed is None else _guid("coder", reviewed))
            for coder, theme in own:
                element = _element(selection, "Coding", guid=_guid("coding", quote_id, coder, theme),
                                   creatingUser=_guid("coder", coder))
                _element(element, "CodeRef", targetGUID=_guid("theme", theme))
        for column in columns:
            value = getattr(interview, column)
            if isinstance(value, str):
                element = _element(source, "VariableValue")
                _element(element, "VariableRef", targetGUID=_guid("variable", column))
                _element(element, "TextValue", value)
        files[f"sources/{guid}.txt"] = "\n\n".join(parts).encode("utf-8")
    if not columns:
        root.remove(variables)
    _qualify(root, PROJECT_NS)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True), files


def qdpx_archive(xml: bytes, files: Mapping[str, bytes]) -> bytes:
    """A ``.qdpx`` ZIP with sorted entries and fixed timestamps, so equal input gives equal bytes.

    Examples
    --------
    >>> data = qdpx_archive(b"<Project/>", {"sources/a.txt": b"x"})
    >>> zipfile.ZipFile(io.BytesIO(data)).namelist()
    ['project.qde', 'sources/a.txt']
    >>> data == qdpx_archive(b"<Project/>", {"sources/a.txt": b"x"})
    True
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted({"project.qde": xml, **files}.items()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # the same bytes on every platform
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def export_qdpx(study_dir: str | os.PathLike, out: str | os.PathLike, *, codebook_out: str | os.PathLike | None = None,
                lang: str | None = None) -> list[Path]:
    """Validate the study, then write it as a REFI-QDA project (and, if asked, its ``.qdc`` codebook)."""
    study = load_study(study_dir)
    written = []
    xml, files = project_xml(study, lang=lang)
    out = Path(out)
    out.write_bytes(qdpx_archive(xml, files))
    written.append(out)
    if codebook_out is not None:
        codebook_out = Path(codebook_out)
        codebook_out.write_bytes(codebook_xml(study.codebook, lang=lang or study.language))
        written.append(codebook_out)
    return written

