"""Codebooks: the themes quotes are coded into, loaded from YAML and validated.

A codebook is a YAML mapping with a ``themes`` list. Every theme has an ``id``, a
``label`` and a ``definition`` in Dutch (``nl``) and English (``en``). Optional, per
theme: ``include``/``exclude`` notes for human coders, ``examples`` (quotes that must be
coded with the theme), ``questions`` (reflection questions for the report), and the
dictionary coder's rules per language:

``terms``
    words and phrases. A word matches its inflections (same Snowball stem:
    *afspraak* matches *afspraken*); ``word*`` matches any word starting with the
    letters written (*aanspreek** matches *aanspreekpersoon*); ``*word`` matches the
    word as the last part of a compound (*\\*afspraak* matches *prestatieafspraken*);
    ``*word*`` matches the letters anywhere in a word. Words of a phrase follow each
    other; ``..`` between two words allows up to four other words in between
    (*pakt .. op* matches *pakt het niet op*).
``exceptions``
    phrases in the same syntax; a term match that overlaps one of them does not count
    (*speelt een rol* is not about roles).
``patterns``
    regular expressions (Python syntax, case-insensitive), for what terms cannot say.

A top-level ``valence`` mapping may add ``positive``, ``negative`` and ``negation``
cues per language to the coder's built-in ones.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import os
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import CodebookError, Problem
from .schemas import LANGUAGES, load_yaml, read_yaml_text

__all__ = [
    "GAP", "Codebook", "Theme", "default_codebook", "load_codebook", "packaged_codebook_text",
    "packaged_codebooks", "parse_codebook", "parse_term",
]

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
GAP = ".."
# A word of a term: letters/digits (and an apostrophe inside, "zo'n", "don't"), optionally
# with a wildcard at either end.
TERM_WORD = re.compile(r"^\*?\w+(?:'\w+)*\*?$")
RULE_KEYS = ("terms", "exceptions", "patterns")
TEXT_KEYS = ("include", "exclude")
LIST_KEYS = ("examples", "questions")
THEME_KEYS = ("id", "label", "definition", *TEXT_KEYS, *LIST_KEYS, *RULE_KEYS)
VALENCE_KINDS = ("positive", "negative", "negation")


@dataclass(frozen=True)
class Theme:
    """One code of a codebook: its labels, definitions, notes and the coder's rules per language."""

    id: str
    label: dict[str, str]
    definition: dict[str, str]
    # the rules and notes are long: left out of repr so a coder or codebook prints in a line or two
    terms: dict[str, list[str]] = field(default_factory=dict, repr=False)
    exceptions: dict[str, list[str]] = field(default_factory=dict, repr=False)
    patterns: dict[str, list[str]] = field(default_factory=dict, repr=False)
    include: dict[str, str] = field(default_factory=dict, repr=False)
    exclude: dict[str, str] = field(default_factory=dict, repr=False)
    examples: dict[str, list[str]] = field(default_factory=dict, repr=False)
    questions: dict[str, list[str]] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Codebook:
    """An ordered set of themes, with the text it was read from (for hashing)."""

    name: str
    themes: tuple[Theme, ...]
    text: str = field(repr=False, default="")
    description: dict[str, str] = field(repr=False, default_factory=dict)
    valence: dict[str, dict[str, list[str]]] = field(repr=False, default_factory=dict)

    @property
    def theme_ids(self) -> list[str]:
        """Theme ids in codebook order."""
        return [theme.id for theme in self.themes]

    def labels(self, lang: str) -> dict[str, str]:
        """Map theme id to its label in ``lang`` (``nl`` or ``en``).

        Examples
        --------
        >>> default_codebook().labels("nl")["mandate"]
        'Mandaat'
        """
        return {theme.id: theme.label[lang] for theme in self.themes}

    @property
    def sha256(self) -> str:
        """Hash of the codebook text, recorded in manifests and saved models."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def packaged_codebooks() -> list[str]:
    """Names of the codebooks shipped with the package.

    Examples
    --------
    >>> "default" in packaged_codebooks()
    True
    """
    folder = resources.files("coopresearch") / "codebooks"
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml"))


def packaged_codebook_text(name: str = "default") -> str:
    """Text of a codebook shipped with the package (``codebooks/NAME.yml``)."""
    path = resources.files("coopresearch") / "codebooks" / f"{name}.yml"
    if not re.fullmatch(r"[\w-]+", name) or not path.is_file():
        raise CodebookError([Problem(f"{name}.yml", "-", "-", "no packaged codebook of that name",
                                     f"use one of: {', '.join(packaged_codebooks())}, or the path of your own codebook.yml")])
    return path.read_text(encoding="utf-8")


@cache
def default_codebook() -> Codebook:
    """The packaged four-theme codebook: transparency, mandate, ownership, reliability (parsed once).

    Examples
    --------
    >>> default_codebook().theme_ids
    ['transparency', 'mandate', 'ownership', 'reliability']
    """
    return parse_codebook(packaged_codebook_text(), source="default.yml")


def load_codebook(name_or_path: str | os.PathLike) -> Codebook:
    """A codebook from a YAML file, or a packaged codebook by name (``default``, ``scan_fields``).

    Examples
    --------
    >>> load_codebook("scan_fields").theme_ids[:2]
    ['vertrouwen', 'relatie']
    """
    path = Path(name_or_path)
    if path.is_file():
        return parse_codebook(read_yaml_text(path, str(path), error=CodebookError), source=str(path))
    if path.suffix in (".yml", ".yaml") or len(path.parts) > 1:
        raise CodebookError([Problem(str(path), "-", "-", "codebook file is missing", "check the path")])
    if str(name_or_path) == "default":
        return default_codebook()  # parsed once per process
    return parse_codebook(packaged_codebook_text(str(name_or_path)), source=f"{name_or_path}.yml")


def parse_term(term: str) -> tuple[str, ...]:
    """Split a term into its words (and ``..`` gaps); raise `ValueError` when it is malformed.

    Hyphens and other punctuation separate words, as they do in the text being coded.

    Examples
    --------
    >>> parse_term("Informatie-uitwisseling")
    ('informatie', 'uitwisseling')
    >>> parse_term("pakt .. op")
    ('pakt', '..', 'op')
    """
    words = []
    for chunk in term.lower().replace("’", "'").split():
        if chunk == GAP:
            words.append(GAP)
            continue
        parts = [p for p in re.split(r"[^\w'*]+", chunk) if p]
        if not parts:
            raise ValueError(f"'{chunk}' has no letters")
        for part in parts:
            if not TERM_WORD.match(part):
                raise ValueError(f"'{part}' puts '*' inside a word or is not a word")
        words += parts
    if not words or words[0] == GAP or words[-1] == GAP:
        raise ValueError("a term needs a word before and after '..'")
    if any(a == b == GAP for a, b in itertools.pairwise(words)):
        raise ValueError("'..' follows '..'")
    return tuple(words)


def _similar(key: str, known: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return close[0] if close and close[0] != key else None


def parse_codebook(text: str, *, source: str = "codebook.yml") -> Codebook:
    """Parse and validate codebook YAML; raise `CodebookError` listing every problem.

    Examples
    --------
    >>> book = parse_codebook('''
    ... themes:
    ...   - id: trust
    ...     label: {nl: Vertrouwen, en: Trust}
    ...     definition: {nl: Elkaar vertrouwen., en: Trusting each other.}
    ...     terms: {nl: [vertrouwen, op elkaar bouwen], en: [trust]}
    ... ''')
    >>> book.theme_ids, book.themes[0].terms["nl"]
    (['trust'], ['vertrouwen', 'op elkaar bouwen'])
    """
    data, lines = load_yaml(text, source, error=CodebookError)
    problems: list[Problem] = []

    def problem(path: tuple, message: str, fix: str) -> None:
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
        line = next((lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in lines), 1)
        problems.append(Problem(source, line, where or "-", message, fix))

    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        problem(("themes",), "the codebook has no list of themes",
                "write 'themes:' followed by one '- id: ...' entry per theme")
        raise CodebookError(problems)

    def per_language(path: tuple, value, kind: str, example: str, keys: tuple = LANGUAGES) -> dict:
        """A mapping language -> text (kind 'text') or language -> list of strings (kind 'list')."""
        ok = isinstance(value, dict) and all(lang in keys for lang in value) and all(
            (isinstance(v, str) and v.strip()) if kind == "text" else
            (isinstance(v, list) and all(isinstance(t, str) and t.strip() for t in v))
            for v in value.values())
        if not ok:
            what = "text" if kind == "text" else "a list of non-empty texts"
            problem(path, f"{path[-1]} must map {' and/or '.join(keys)} to {what}", f"write '{path[-1]}: {example}'")
            return {}
        return {lang: (v.strip() if kind == "text" else list(v)) for lang, v in value.items()}

    def rules(path: tuple, value: dict, key: str) -> None:
        for lang, items in value.items():
            for j, item in enumerate(items):
                here = path + (lang, j)
                if key == "patterns":
                    try:
                        re.compile(item)
                    except re.error as exc:
                        problem(here, f"pattern {item!r} is not a regular expression ({exc})",
                                "correct the pattern (Python 're' syntax) or write it as a term")
                else:
                    try:
                        parse_term(item)
                    except ValueError as exc:
                        problem(here, f"{key[:-1]} {item!r} is malformed: {exc}",
                                "write words separated by spaces; '*' only at the start or end of a word; "
                                "'..' only between two words")

    themes, seen = [], set()
    for i, entry in enumerate(data["themes"]):
        here = ("themes", i)
        if not isinstance(entry, dict):
            problem(here, "a theme must be a mapping with id, label and definition",
                    "write the theme as '- id: ...' with 'label:' and 'definition:' below it")
            continue
        theme_id = entry.get("id")
        if not isinstance(theme_id, str) or not THEME_ID.match(theme_id):
            problem(here + ("id",), f"theme id {theme_id!r} is missing or not a simple name",
                    "use lower-case letters, digits and underscores, starting with a letter")
        elif theme_id in seen:
            problem(here + ("id",), f"theme id '{theme_id}' appears twice", "give every theme its own id")
        seen.add(theme_id)
        for key in entry:
            # Unknown keys are kept for other tools, but a near-miss ('term:') is surely a typo.
            guess = _similar(str(key), THEME_KEYS) if key not in THEME_KEYS else None
            if guess:
                problem(here + (str(key),), f"unknown key '{key}'", f"did you mean '{guess}'?")
        fields = {}
        for key in ("label", "definition"):
            value = entry.get(key)
            for lang in LANGUAGES:
                if not isinstance(value, dict) or not isinstance(value.get(lang), str) or not value[lang].strip():
                    problem(here + (key,), f"{key} in '{lang}' is missing or empty",
                            f"write '{key}: {{nl: ..., en: ...}}' with text for both languages")
        for key in TEXT_KEYS:
            fields[key] = per_language(here + (key,), entry.get(key) or {}, "text", "{nl: ..., en: ...}")
        for key in LIST_KEYS + RULE_KEYS:
            example = "{nl: [afspraak, ...], en: [agreement, ...]}"
            fields[key] = per_language(here + (key,), entry.get(key) or {}, "list", example)
            if key in RULE_KEYS:
                rules(here + (key,), fields[key], key)
        if not problems:
            themes.append(Theme(theme_id, dict(entry["label"]), dict(entry["definition"]), **fields))

    valence = {}
    raw_valence = data.get("valence") or {}
    if not isinstance(raw_valence, dict) or not all(
        lang in LANGUAGES and isinstance(cues, dict) and set(cues) <= set(VALENCE_KINDS) for lang, cues in raw_valence.items()
    ):
        problem(("valence",), "valence must map nl/en to lists of positive, negative and negation cues",
                "write 'valence: {nl: {positive: [keurig], negative: [stroef], negation: [allerminst]}}'")
    else:
        for lang, cues in raw_valence.items():
            checked = per_language(("valence", lang), cues, "list", "{positive: [...], negative: [...]}",
                                   VALENCE_KINDS)
            rules(("valence", lang), checked, "terms")
            valence[lang] = checked
    description = data.get("description") or {}
    if problems:
        raise CodebookError(problems)
    return Codebook(str(data.get("name", source)), tuple(themes), text,
                    dict(description) if isinstance(description, dict) else {}, valence)
