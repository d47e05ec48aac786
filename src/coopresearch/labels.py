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
    # collaboration scan (scan.py)
    "std": {"nl": "Standaardafwijking", "en": "Standard deviation"},
    "min": {"nl": "Laagste", "en": "Lowest"},
    "max": {"nl": "Hoogste", "en": "Highest"},
    "gap": {"nl": "Verschil", "en": "Gap"},
    "scale": {"nl": "Schaal (1–10)", "en": "Scale (1–10)"},
    "form": {"nl": "Vorm", "en": "Form"},
    "weakest_field": {"nl": "Zwakste veld", "en": "Weakest field"},
    "description": {"nl": "Omschrijving", "en": "Description"},
    "supported_form": {"nl": "Ondersteunde vorm", "en": "Supported form"},
    "weakest_fields": {"nl": "Zwakste veld(en)", "en": "Weakest field(s)"},
    "weakest_mean": {"nl": "Score zwakste veld", "en": "Weakest mean"},
    "next_form": {"nl": "Volgende vorm", "en": "Next form"},
    "topics": {"nl": "Gespreksonderwerpen", "en": "Topics to discuss"},
    "desired_form": {"nl": "Gewenste vorm", "en": "Desired form"},
    "form_gap": {"nl": "Stappen tot gewenste vorm", "en": "Steps to desired form"},
    "largest_gap_field": {"nl": "Veld met grootste verschil", "en": "Field with largest gap"},
    "largest_gap": {"nl": "Grootste verschil", "en": "Largest gap"},
    "missing": {"nl": "Ontbrekende scores", "en": "Missing scores"},
    "target": {"nl": "Nodig voor volgende vorm", "en": "Needed for next form"},
    "group": {"nl": "Groep", "en": "Group"},
    "level": {"nl": "Niveau", "en": "Level"},
    "fields": {"nl": "Velden", "en": "Fields"},
    "scan_scores": {"nl": "Scores", "en": "Scores"},
    "scan_mean": {"nl": "Gemiddelde scan", "en": "Scan mean"},
    "positive": {"nl": "Positief", "en": "Positive"},
    "negative": {"nl": "Negatief", "en": "Negative"},
    "neutral": {"nl": "Neutraal", "en": "Neutral"},
    "positive_share": {"nl": "Aandeel positief", "en": "Share positive"},
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
