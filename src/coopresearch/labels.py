"""Bilingual labels for the column names readers see in report tables and figures."""

from __future__ import annotations

import pandas as pd

__all__ = ["COLUMN_LABELS", "label", "localise"]

COLUMN_LABELS: dict[str, dict[str, str]] = {
    "party": {"nl": "Partij", "en": "Party"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "interviews": {"nl": "Interviews", "en": "Interviews"},
    "quotes": {"nl": "Citaten", "en": "Quotes"},
    "theme": {"nl": "Thema", "en": "Theme"},
    "coder": {"nl": "Codeur", "en": "Coder"},
    "process_id": {"nl": "Proces", "en": "Process"},
    "name": {"nl": "Naam", "en": "Name"},
    "category": {"nl": "Categorie", "en": "Category"},
    "actors": {"nl": "Actoren", "en": "Actors"},
    "meetings": {"nl": "Overleggen", "en": "Meetings"},
    "relationship": {"nl": "Relatie", "en": "Relationship"},
    "field": {"nl": "Veld", "en": "Field"},
    "respondents": {"nl": "Respondenten", "en": "Respondents"},
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
    "reported": {"nl": "Gerapporteerd", "en": "Reported"},
    "package": {"nl": "Pakket", "en": "Package"},
    "version": {"nl": "Versie", "en": "Version"},
    "(uncoded)": {"nl": "(geen thema)", "en": "(no theme)"},
    "quote_id": {"nl": "Citaat", "en": "Quote"},
    "text": {"nl": "Tekst", "en": "Text"},
    "score": {"nl": "Score", "en": "Score"},
    "evidence": {"nl": "Onderbouwing", "en": "Evidence"},
    "valence": {"nl": "Waardering", "en": "Appreciation"},
    "human": {"nl": "Mens", "en": "Human"},
    "machine": {"nl": "Machine", "en": "Machine"},
    "precision": {"nl": "Precisie", "en": "Precision"},
    "recall": {"nl": "Recall", "en": "Recall"},
    "f1": {"nl": "F1", "en": "F1"},
    "kappa": {"nl": "Kappa", "en": "Kappa"},
    "dictionary": {"nl": "Woordenboek", "en": "Dictionary"},
    "supervised": {"nl": "Getraind model", "en": "Trained model"},
    "(macro)": {"nl": "(gemiddeld)", "en": "(macro average)"},
}


def label(key: str, lang: str) -> str:
    """The reader's word for ``key`` in ``lang``; the key itself when there is none.

    Examples
    --------
    >>> label("party", "nl"), label("unknown_column", "nl")
    ('Partij', 'unknown_column')
    """
    return COLUMN_LABELS.get(key, {}).get(lang, key)


def localise(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rename a table's columns (and index name) into the report language.

    Examples
    --------
    >>> localise(pd.DataFrame({"party": ["gemeente"], "quotes": [3]}), "en").columns.tolist()
    ['Party', 'Quotes']
    """
    renamed = table.rename(columns=lambda c: label(str(c), lang))
    renamed.index = renamed.index.rename(label(str(table.index.name), lang) if table.index.name else None)
    return renamed
