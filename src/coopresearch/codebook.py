"""Codebooks: the themes quotes are coded into, loaded from YAML and validated.

A codebook is a YAML mapping with a ``themes`` list; every theme has an ``id``,
a ``label`` and a ``definition`` in Dutch (``nl``) and English (``en``), and the
dictionary coder's ``terms`` per language.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources

from .errors import CodebookError, Problem
from .schemas import LANGUAGES, load_yaml

__all__ = ["Codebook", "Theme", "default_codebook", "packaged_codebook_text", "parse_codebook"]

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Theme:
    """One code of a codebook."""

    id: str
    label: dict[str, str]
    definition: dict[str, str]
    terms: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Codebook:
    """An ordered set of themes, with the text it was read from (for hashing)."""

    name: str
    themes: tuple[Theme, ...]
    text: str = field(repr=False, default="")

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


def packaged_codebook_text(name: str = "default") -> str:
    """Text of a codebook shipped with the package (``codebooks/NAME.yml``)."""
    path = resources.files("coopresearch") / "codebooks" / f"{name}.yml"
    if not path.is_file():
        raise CodebookError([Problem(f"{name}.yml", "-", "-", "no packaged codebook of that name",
                                     "use 'default' or the path of your own codebook.yml")])
    return path.read_text(encoding="utf-8")


def default_codebook() -> Codebook:
    """The packaged four-theme codebook: transparency, mandate, ownership, reliability.

    Examples
    --------
    >>> default_codebook().theme_ids
    ['transparency', 'mandate', 'ownership', 'reliability']
    """
    return parse_codebook(packaged_codebook_text(), source="default.yml")


def parse_codebook(text: str, *, source: str = "codebook.yml") -> Codebook:
    """Parse and validate codebook YAML; raise `CodebookError` listing every problem.

    Examples
    --------
    >>> book = parse_codebook('''
    ... themes:
    ...   - id: trust
    ...     label: {nl: Vertrouwen, en: Trust}
    ...     definition: {nl: Elkaar vertrouwen., en: Trusting each other.}
    ... ''')
    >>> book.theme_ids
    ['trust']
    """
    data, lines = load_yaml(text, source, error=CodebookError)
    problems: list[Problem] = []

    def problem(path: tuple, message: str, fix: str) -> None:
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
        problems.append(Problem(source, lines.get(path, 1), where or "-", message, fix))

    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        problem(("themes",), "the codebook has no list of themes",
                "write 'themes:' followed by one '- id: ...' entry per theme")
        raise CodebookError(problems)

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
        for key in ("label", "definition"):
            value = entry.get(key)
            for lang in LANGUAGES:
                if not isinstance(value, dict) or not isinstance(value.get(lang), str) or not value[lang].strip():
                    problem(here + (key,), f"{key} in '{lang}' is missing or empty",
                            f"write '{key}: {{nl: ..., en: ...}}' with text for both languages")
        terms = entry.get("terms", {}) or {}
        if not isinstance(terms, dict) or not all(
            isinstance(v, list) and all(isinstance(t, str) and t.strip() for t in v) for v in terms.values()
        ):
            problem(here + ("terms",), "terms must map a language to a list of non-empty words or phrases",
                    "write 'terms: {nl: [afspraak, ...], en: [agreement, ...]}'")
            terms = {}
        if not problems:
            themes.append(Theme(theme_id, dict(entry["label"]), dict(entry["definition"]),
                                {lang: list(v) for lang, v in terms.items()}))
    if problems:
        raise CodebookError(problems)
    return Codebook(str(data.get("name", source)), tuple(themes), text)
