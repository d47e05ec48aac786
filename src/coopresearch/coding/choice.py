"""Which coder codes a study: the one decision shared by ``coopresearch code`` and the reports."""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook
from ..errors import CoopResearchError
from .adaptation import TaughtHybridCoder
from .dictionary import DictionaryCoder, has_rules
from .hybrid import HybridCoder
from .supervised import SupervisedCoder
from .table import finish_codes
from .training import has_packaged_model
from .words import quote_languages

__all__ = ["CODERS", "choose_coder", "code_in_languages", "machine_codes", "review_queue", "study_coder", "taught_quotes",
           "with_uncoded"]

CODERS = ("hybrid", "dictionary", "supervised")


def choose_coder(codebook: Codebook, lang: str, *, name: str | None = None, model: SupervisedCoder | None = None,
                 n_jobs: int = 1) -> DictionaryCoder | HybridCoder | SupervisedCoder:
    """The coder called ``name``, or by default the hybrid coder when it has a model, else the dictionary coder.

    The hybrid coder has a model when ``model`` (a trained `SupervisedCoder`) is given or the
    packaged model knows the codebook's themes; ``supervised`` is ``model`` itself.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook, load_codebook
    >>> type(choose_coder(default_codebook(), "nl")).__name__, type(choose_coder(load_codebook("scan_fields"), "nl")).__name__
    ('HybridCoder', 'DictionaryCoder')
    >>> choose_coder(default_codebook(), "nl", name="supervised")
    Traceback (most recent call last):
    coopresearch.errors.CoopResearchError: --coder supervised needs a trained model: give --model FILE ('coopresearch train')
    """
    if name is None:
        name = "hybrid" if model is not None or has_packaged_model(codebook, lang) else "dictionary"
    if name == "dictionary":
        return DictionaryCoder(codebook, lang=lang, n_jobs=n_jobs)
    if name == "hybrid":
        return HybridCoder(codebook, lang=lang, model=model, n_jobs=n_jobs)
    if name == "supervised":
        if model is None:
            raise CoopResearchError("--coder supervised needs a trained model: give --model FILE ('coopresearch train')")
        return model
    raise CoopResearchError(f"no coder named {name!r}; the coders are {', '.join(CODERS)}")


def study_coder(codebook: Codebook, lang: str, *, human: pd.DataFrame | None = None, reviewed=(), n_jobs: int = 1):
    """The coder of a study's quotes in ``lang`` by `choose_coder`'s default; None where the codebook has no rules in it.

    Given the study's final human codes (``human``, of the ``reviewed`` quotes), the hybrid
    coder's model is taught by them (`TaughtHybridCoder`). ``n_jobs``: processes for the rules.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> type(study_coder(default_codebook(), "nl", human=pd.DataFrame(columns=["quote_id", "theme"]))).__name__
    'TaughtHybridCoder'
    """
    if not has_rules(codebook, lang):
        return None
    coder = choose_coder(codebook, lang, n_jobs=n_jobs)
    if isinstance(coder, HybridCoder) and human is not None:
        return TaughtHybridCoder(codebook, lang=lang, human=human, reviewed=list(reviewed), n_jobs=n_jobs)
    return coder


def machine_codes(quotes: pd.DataFrame, codebook: Codebook, *, lang: str, human: pd.DataFrame | None = None,
                  reviewed=()) -> pd.DataFrame:
    """The machine codes of a study's quotes (``data/processed/codings_machine.csv``), by `study_coder`.

    Each quote is coded in its own language (`quote_languages`: its ``language`` cell, else
    detected, else ``lang``), with that language's rules and model: the hybrid coder where the
    packaged model knows the codebook's themes (the default codebook's), taught by the study's
    human codes when given (``human`` of the ``reviewed`` quotes), the dictionary coder
    otherwise. A language the codebook has no rules for gives no codes instead of an error, so
    a study with a hand-made codebook still gets its report.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "text": ["Afspraak is afspraak.", "They never kept their promises."]})
    >>> machine_codes(quotes, default_codebook(), lang="nl")[["quote_id", "theme", "coder"]]
      quote_id        theme   coder
    0       q1  reliability  hybrid
    1       q2  reliability  hybrid
    """
    codes, _ = code_in_languages(quotes, quote_languages(quotes, lang),
                                 lambda language: study_coder(codebook, language, human=human, reviewed=reviewed))
    return codes


def taught_quotes(quotes: pd.DataFrame, codebook: Codebook, *, lang: str, human: pd.DataFrame, reviewed=()) -> int:
    """How many of the study's coded quotes taught the model of `machine_codes` (0: the packaged model coded)."""
    languages = quote_languages(quotes, lang)
    coders = {language: study_coder(codebook, language, human=human, reviewed=reviewed) for language in set(languages)}
    return sum(coder.taught(quotes[(languages == language).to_numpy()]) for language, coder in coders.items()
               if isinstance(coder, TaughtHybridCoder))


def code_in_languages(quotes: pd.DataFrame, languages: pd.Series, coder_for) -> tuple[pd.DataFrame, dict[str, str]]:
    """Code each language's quotes with ``coder_for(language)`` (None: leave them uncoded); codes in quote order.

    Returns the codes and, per language coded, the coder's name.
    """
    parts, used = [], {}
    for language in sorted(set(languages)):
        coder = coder_for(language)
        if coder is not None:
            parts.append(coder.code(quotes[(languages == language).to_numpy()]))
            used[language] = coder.coder
    if not parts:
        return finish_codes([]), used
    return _in_quote_order(pd.concat(parts, ignore_index=True), quotes), used


def _in_quote_order(codes: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """``codes`` sorted by the order of their quotes in ``quotes`` (a quote's own rows keep their order)."""
    order = {quote_id: i for i, quote_id in enumerate(quotes["quote_id"])}
    return codes.sort_values("quote_id", key=lambda ids: ids.map(order), kind="stable", ignore_index=True)


def review_queue(quotes: pd.DataFrame, codebook: Codebook, *, lang: str, human: pd.DataFrame | None = None,
                 reviewed=()) -> pd.DataFrame:
    """The quotes where the machine is unsure (`HybridCoder.review`), each in its own language, with their text.

    The model is the one `machine_codes` uses (taught by ``human``, the final codes of the
    ``reviewed`` quotes, when given). Quotes no person has coded yet (not in ``reviewed``) come
    first, then the most unsure. Empty where no language of the quotes has a model for the
    codebook's themes.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["q1"], "text": ["Afspraak is afspraak, toch?"]})
    >>> review_queue(quotes, default_codebook(), lang="nl").columns.tolist()
    ['quote_id', 'text', 'theme', 'probability', 'reason', 'reviewed']
    """
    languages = quote_languages(quotes, lang)
    coders = {language: study_coder(codebook, language, human=human, reviewed=reviewed) for language in sorted(set(languages))}
    parts = [coder.review(quotes[(languages == language).to_numpy()]) for language, coder in coders.items()
             if isinstance(coder, HybridCoder | TaughtHybridCoder)]
    columns = ["quote_id", "text", "theme", "probability", "reason", "reviewed"]
    if not parts:
        return pd.DataFrame(columns=columns)
    queue = pd.concat(parts, ignore_index=True).merge(quotes[["quote_id", "text"]], on="quote_id")
    queue["reviewed"] = queue["quote_id"].isin(set(reviewed))
    return queue.sort_values(["reviewed", "distance", "quote_id", "theme"], ignore_index=True)[columns]


def with_uncoded(codes: pd.DataFrame, quotes: pd.DataFrame, used: dict[str, str], languages: pd.Series) -> pd.DataFrame:
    """The codes plus one row with an empty theme for every quote coded without a theme (as codings.csv marks it).

    ``used`` and ``languages`` (from `code_in_languages`) name each quote's coder; a quote in a
    language no coder had gets no row.

    Examples
    --------
    >>> codes = finish_codes([("q1", "mandate", "hybrid", 0.9, "", "neutral")])
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "text": ["Wie beslist?", "Mooi weer."]})
    >>> with_uncoded(codes, quotes, {"nl": "hybrid"}, pd.Series(["nl", "nl"]))[["quote_id", "theme", "coder"]]
      quote_id    theme   coder
    0       q1  mandate  hybrid
    1       q2           hybrid
    """
    coder = pd.Series(languages.to_numpy(), index=quotes["quote_id"].to_numpy()).map(used)
    themed = set(codes["quote_id"])
    missing = [quote_id for quote_id in quotes["quote_id"] if quote_id not in themed and isinstance(coder.get(quote_id), str)]
    empty = pd.DataFrame({"quote_id": missing, "theme": "", "coder": [coder[q] for q in missing], "score": float("nan"),
                          "evidence": "", "valence": ""})
    return _in_quote_order(pd.concat([codes, empty], ignore_index=True) if missing else codes, quotes)
