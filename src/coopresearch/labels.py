"""Bilingual labels for the column names readers see in report tables and figures."""

from __future__ import annotations

import pandas as pd

__all__ = ["COLUMN_LABELS", "label", "localise", "show"]

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
    True: {"nl": "ja", "en": "yes"},
    False: {"nl": "nee", "en": "no"},
    # inter-coder reliability (reliability.py)
    "(all)": {"nl": "alle thema's", "en": "all themes"},
    "alpha": {"nl": "α", "en": "α"},
    "alpha_ci": {"nl": "95%-BI", "en": "95% CI"},
    "verdict": {"nl": "Oordeel", "en": "Verdict"},
    "agreement": {"nl": "Overeenstemming", "en": "Agreement"},
    "units": {"nl": "Eenheden", "en": "Units"},
    "coders": {"nl": "Codeurs", "en": "Coders"},
    "coder_a": {"nl": "Codeur A", "en": "Coder A"},
    "coder_b": {"nl": "Codeur B", "en": "Coder B"},
    "kappa": {"nl": "κ", "en": "κ"},
    "note": {"nl": "Toelichting", "en": "Note"},
    "quote_id": {"nl": "Citaat", "en": "Quote"},
    "text": {"nl": "Tekst", "en": "Text"},
    "themes": {"nl": "Thema's", "en": "Themes"},
    "reliable": {"nl": "betrouwbaar", "en": "reliable"},
    "tentative": {"nl": "voorlopig", "en": "tentative"},
    "unreliable": {"nl": "onbetrouwbaar", "en": "unreliable"},
    "undefined": {"nl": "niet te bepalen", "en": "undefined"},
    "fewer than two coders": {"nl": "minder dan twee codeurs", "en": "fewer than two coders"},
    "no unit coded by two coders": {"nl": "geen eenheid door twee codeurs gecodeerd", "en": "no unit coded by two coders"},
    "no unit coded by both": {"nl": "geen eenheid door beide gecodeerd", "en": "no unit coded by both"},
    "no variation": {"nl": "geen variatie", "en": "no variation"},
    # network analysis (issue 6)
    "beleidsketen": {"nl": "Beleidsketen/-netwerk", "en": "Policy chain/network"},
    "fysieke_keten": {"nl": "Fysieke keten", "en": "Physical chain"},
    "bedrijfsproces": {"nl": "Gemeentelijk bedrijfsproces", "en": "Municipal business process"},
    "department": {"nl": "Gemeentelijke afdeling", "en": "Municipal department"},
    "actor": {"nl": "Actor", "en": "Actor"},
    "actor_type": {"nl": "Soort actor", "en": "Type of actor"},
    "process": {"nl": "Proces", "en": "Process"},
    "meeting": {"nl": "Overleg", "en": "Meeting"},
    "meeting_id": {"nl": "Overleg-id", "en": "Meeting id"},
    "node": {"nl": "Knoop", "en": "Node"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "degree": {"nl": "Graad", "en": "Degree"},
    "betweenness": {"nl": "Tussenliggendheid", "en": "Betweenness"},
    "community": {"nl": "Cluster", "en": "Community"},
    "other_process_id": {"nl": "Ander proces", "en": "Other process"},
    "other_category": {"nl": "Andere categorie", "en": "Other category"},
    "shared_actors": {"nl": "Gedeelde actoren", "en": "Shared actors"},
    "coherence": {"nl": "Samenhang", "en": "Coherence"},
    "horizontal": {"nl": "horizontaal", "en": "horizontal"},
    "vertical": {"nl": "verticaal", "en": "vertical"},
    "links": {"nl": "Verbindingen", "en": "Links"},
    "pairs": {"nl": "Mogelijke paren", "en": "Possible pairs"},
    "density": {"nl": "Dichtheid", "en": "Density"},
    "processes": {"nl": "Processen", "en": "Processes"},
    "organisations": {"nl": "Externe organisaties (processen)", "en": "External organisations (processes)"},
    "met_organisations": {"nl": "Externe organisaties (overleggen)", "en": "External organisations (meetings)"},
    "contact": {"nl": "Contact", "en": "Contact"},
    "channel": {"nl": "Kanaal", "en": "Channel"},
    "departments": {"nl": "Afdelingen", "en": "Departments"},
    "in_contact": {"nl": "Met extern contact", "en": "In external contact"},
    "share": {"nl": "Aandeel", "en": "Share"},
    "either": {"nl": "proces of overleg", "en": "process or meeting"},
    "gap": {"nl": "Lacune", "en": "Gap"},
    "process_without_meeting": {"nl": "Proces zonder overleg", "en": "Process without meeting"},
    "actor_without_meeting": {"nl": "Actor in geen overleg", "en": "Actor in no meeting"},
    "handles": {"nl": "Behandelt", "en": "Handles"},
    "participants": {"nl": "Deelnemers in proces", "en": "Participants in process"},
    "problem_quotes": {"nl": "Citaten over knelpunten", "en": "Quotes on problems"},
    "dominant_theme": {"nl": "Dominant knelpuntthema", "en": "Dominant problem theme"},
    # collaboration scan (scan.py)
    "std": {"nl": "Standaardafwijking", "en": "Standard deviation"},
    "min": {"nl": "Laagste", "en": "Lowest"},
    "max": {"nl": "Hoogste", "en": "Highest"},
    "perception_gap": {"nl": "Verschil", "en": "Gap"},
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
    # thematic analysis (thematic.py)
    "rank": {"nl": "Rang", "en": "Rank"},
    "valence": {"nl": "Waardering", "en": "Appreciation"},
    "group_quotes": {"nl": "Citaten in groep", "en": "Quotes in group"},
    "role": {"nl": "Functie", "en": "Role"},
    "risks": {"nl": "Risico's (onderzoek 2009)", "en": "Risks (2009 study)"},
    "attribution": {"nl": "Wie", "en": "Who"},
    "reported_as": {"nl": "Gerapporteerd als", "en": "Reported as"},
    "other": {"nl": "overig (samengevoegd)", "en": "other (merged)"},
    "negative_share": {"nl": "Aandeel negatief", "en": "Share negative"},
    "question": {"nl": "Vraag", "en": "Question"},
    "source": {"nl": "Bron", "en": "Source"},
    "codes": {"nl": "Codes", "en": "Codes"},
    "majority": {"nl": "meerderheid van de codeurs", "en": "majority of the coders"},
    "consensus": {"nl": "consensus (afstemmingsoverleg)", "en": "consensus (reconciliation meeting)"},
    "score": {"nl": "Score", "en": "Score"},
    "evidence": {"nl": "Onderbouwing", "en": "Evidence"},
    "human": {"nl": "Mens", "en": "Human"},
    "machine": {"nl": "Machine", "en": "Machine"},
    "precision": {"nl": "Precisie", "en": "Precision"},
    "recall": {"nl": "Recall", "en": "Recall"},
    "f1": {"nl": "F1", "en": "F1"},
    "dictionary": {"nl": "Woordenboek", "en": "Dictionary"},
    "supervised": {"nl": "Getraind model", "en": "Trained model"},
    "(macro)": {"nl": "(gemiddeld)", "en": "(macro average)"},
}


# ids the package itself puts in table cells; show() gives them in the reader's words
VALUE_IDS = ("other", "majority", "consensus", "machine")


def label(key, lang: str) -> str:
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


def show(table: pd.DataFrame, lang: str, *, names: dict | None = None, decimals: int = 2):
    """A table as a reader sees it in a report: headers in ``lang``, no row numbers, rounded numbers.

    A named index becomes the first column. ``names`` replaces ids by the reader's words,
    in cells and in column headers (e.g. theme ids by theme labels); the ``other`` group of
    merged small groups is translated too. Text is escaped and left-aligned. Returns a
    pandas ``Styler``, which notebooks and nbconvert render as an HTML table.

    Examples
    --------
    >>> html = show(pd.DataFrame({"party": ["gemeente"], "reported": [True]}), "nl").to_html()
    >>> "Partij" in html and ">ja<" in html
    True
    """
    if table.index.name is not None:
        table = table.reset_index()
    names = {**{value: label(value, lang) for value in VALUE_IDS}, **(names or {})}
    table = table.replace(names).rename(columns=names)
    shown = localise(table, lang)
    for column in shown.columns[[pd.api.types.is_bool_dtype(t) for t in shown.dtypes]]:
        shown[column] = shown[column].map(lambda value: label(bool(value), lang))
    text = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])]
    # escape: quote texts are data, a '<script>' in an interview must stay text
    return (shown.style.hide(axis="index")
            .format(precision=decimals, thousands=None, na_rep="–", escape="html")
            .format_index(escape="html", axis=1)
            .set_properties(subset=text, **{"text-align": "left"})
            .set_table_styles([{"selector": "th", "props": "text-align: left;"}]))
