"""The reader's words, in one place: every label, reading and note of the reports in Dutch and English.

Column and value labels (`COLUMN_LABELS`, used by `label`, `localise` and `show`), and the
sentences the readings are built from: the association test, the network, the reliability
verdicts, the consensus rule, the sources of the codes and the index page.
"""

from __future__ import annotations

import html

import pandas as pd

__all__ = [
    "ASSOCIATION", "CODERS", "COLUMN_LABELS", "CONSENSUS_RULE", "FEWER_THAN", "INDEX_PAGE", "NETWORK", "NO_MACHINE_CODES",
    "RELIABILITY", "SCAN_PRIVACY", "SOURCES_READING", "evidence_html", "label", "localise", "markdown_text", "show",
]

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
    "(all parties)": {"nl": "(alle partijen)", "en": "(all parties)"},
    "to": {"nl": "tot", "en": "to"},
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


# --- readings ---------------------------------------------------------------------------

ASSOCIATION = {
    "nl": {
        "none": "Er zijn te weinig groepen of thema's om een verband te toetsen.",
        "small": ("Let op: de aantallen zijn te klein om iets te zeggen over een verband tussen {by} en thema "
                  "(verwachte aantallen onder 5); lees de tabel als beschrijving, niet als bewijs."),
        "yes": ("De thema's verschillen tussen de groepen ({test}, p = {p:.3f}); de sterkte van het verband "
                "(Cramérs V = {v:.2f}) is {strength}."),
        "no": ("Er is geen aantoonbaar verschil in thema's tussen de groepen ({test}, p = {p:.3f}, "
               "Cramérs V = {v:.2f})."),
        "strength": ("zwak", "matig", "sterk"),
    },
    "en": {
        "none": "There are too few groups or themes to test for an association.",
        "small": ("Note: the numbers are too small to say anything about an association between {by} and theme "
                  "(expected counts below 5); read the table as a description, not as evidence."),
        "yes": ("The themes differ between the groups ({test}, p = {p:.3f}); "
                "the association (Cramér's V = {v:.2f}) is {strength}."),
        "no": "There is no demonstrable difference in themes between the groups ({test}, p = {p:.3f}, Cramér's V = {v:.2f}).",
        "strength": ("weak", "moderate", "strong"),
    },
}

NETWORK = {
    "nl": {
        "and": "en",
        "size": "**Omvang.** Het netwerk telt {processes} bedrijfsprocessen, {actors} actoren ({departments} gemeentelijke "
                "afdelingen en {externals} onderdelen van externe organisaties) en {meetings} overleggen.",
        "solitary": "**Solitaire processen.** {names} delen geen enkele actor met een ander proces: ze staan los "
                    "van de rest van de samenwerking.",
        "no_solitary": "**Solitaire processen.** Geen: elk proces deelt ten minste één actor met een ander proces.",
        "pins": "**Linking pins.** {count} actoren nemen aan twee of meer overleggen deel. De meeste coördinatie loopt "
                "via {names}.",
        "own_pins": " Aan gemeentezijde zijn de belangrijkste linking pins {names}.",
        "no_pins": "**Linking pins.** Geen actor neemt aan meer dan één overleg deel: de overleggen staan los van elkaar.",
        "coherence": "**Samenhang.** Binnen één categorie (horizontaal) zijn processen het dichtst verbonden bij "
                     "{horizontal} ({h_density} van de paren); tussen categorieën (verticaal) bij {vertical} "
                     "({v_density}).",
        "coverage": "**Bereik.** Van de {departments} gemeentelijke afdelingen in de relatiematrix deelt {process} een "
                    "proces met een externe organisatie en zit {meeting} met een externe organisatie in een overleg.",
        "gaps": "**Lacunes.** Geen overleg behandelt {names}.",
        "no_gaps": "**Lacunes.** Elk proces wordt in ten minste één overleg behandeld.",
        "lonely": " {count} actoren nemen aan processen deel maar aan geen enkel overleg.",
        "meetings": "{n} overleggen",
    },
    "en": {
        "and": "and",
        "size": "**Size.** The network has {processes} business processes, {actors} actors ({departments} municipal "
                "departments and {externals} units of external organisations) and {meetings} meetings.",
        "solitary": "**Solitary processes.** {names} share no actor with any other process: they stand apart from "
                    "the rest of the collaboration.",
        "no_solitary": "**Solitary processes.** None: every process shares at least one actor with another process.",
        "pins": "**Linking pins.** {count} actors take part in two or more meetings. Most coordination runs through "
                "{names}.",
        "own_pins": " On the municipality's side, the main linking pins are {names}.",
        "no_pins": "**Linking pins.** No actor takes part in more than one meeting: the meetings are not connected.",
        "coherence": "**Coherence.** Within one category (horizontal), processes are most densely linked among "
                     "{horizontal} ({h_density} of the pairs); between categories (vertical), between {vertical} "
                     "({v_density}).",
        "coverage": "**Coverage.** Of the {departments} municipal departments in the relation matrix, {process} share a "
                    "process with an external organisation and {meeting} sit in a meeting with one.",
        "gaps": "**Gaps.** No meeting handles {names}.",
        "no_gaps": "**Gaps.** Every process is handled in at least one meeting.",
        "lonely": " {count} actors take part in processes but in no meeting.",
        "meetings": "{n} meetings",
    },
}

RELIABILITY = {
    "nl": {"all": "Over alle thema's samen", "ci": "{p}%-BI", "n": "{n} eenheden",
           "reliable": "betrouwbaar", "tentative": "voorlopig betrouwbaar", "unreliable": "onbetrouwbaar",
           "undefined": "niet te bepalen",
           "verdict": "{what} is α = {a} ({ci} {lo}–{hi}, {n}): {v}.",
           "groups": {"reliable": "Betrouwbaar (α ≥ 0,800)", "tentative": "Voorlopig (0,667 ≤ α < 0,800)",
                      "unreliable": "Onbetrouwbaar (α < 0,667)", "undefined": "Niet te bepalen"},
           "uncertain": "Let op: het betrouwbaarheidsinterval reikt tot onder {x} bij {t}; daar is het oordeel onzeker.",
           "advice": {"reliable": "De codering is betrouwbaar genoeg om conclusies op te baseren.",
                      "tentative": "Conclusies op basis van deze codering zijn voorlopig.",
                      "unreliable": "Deze codering is niet betrouwbaar genoeg om conclusies op te baseren; "
                                    "scherp de definities in het codeboek aan en codeer opnieuw.",
                      "undefined": "De betrouwbaarheid is met deze codering niet te bepalen: daarvoor zijn minstens "
                                   "twee codeurs nodig die dezelfde citaten beoordeelden en de thema's gebruikten."},
           "source": "Drempels volgens Krippendorff (2004, p. 241)."},
    "en": {"all": "Over all themes", "ci": "{p}% CI", "n": "{n} units",
           "reliable": "reliable", "tentative": "tentatively reliable", "unreliable": "unreliable",
           "undefined": "undefined",
           "verdict": "{what} α = {a} ({ci} {lo}–{hi}, {n}): {v}.",
           "groups": {"reliable": "Reliable (α ≥ 0.800)", "tentative": "Tentative (0.667 ≤ α < 0.800)",
                      "unreliable": "Unreliable (α < 0.667)", "undefined": "Undefined"},
           "uncertain": "Note: the confidence interval reaches below {x} for {t}; there the verdict is uncertain.",
           "advice": {"reliable": "The coding is reliable enough to base conclusions on.",
                      "tentative": "Conclusions based on this coding are tentative.",
                      "unreliable": "This coding is not reliable enough to base conclusions on; "
                                    "sharpen the codebook's definitions and code again.",
                      "undefined": "Reliability cannot be determined from this coding: it needs at least two coders "
                                   "who reviewed the same quotes and used the themes."},
           "source": "Thresholds after Krippendorff (2004, p. 241)."},
}

CONSENSUS_RULE = {
    "nl": ("**Consensusregel.** Het thematische rapport gebruikt per citaat de definitieve codes. Heeft een "
           "codeur met de naam `consensus` het citaat beoordeeld (de uitkomst van het afstemmingsoverleg), dan "
           "zijn diens codes definitief. Anders geldt een thema voor een citaat als minstens de helft van de "
           "menselijke codeurs die het citaat beoordeelden het thema toekende; de waardering is die welke de "
           "meesten gaven (bij gelijke stand: neutraal). Machinecodes tellen niet mee."),
    "en": ("**Consensus rule.** The thematic report uses the final codes of each quote. Where a coder named "
           "`consensus` reviewed the quote (the outcome of the reconciliation meeting), its codes are final. "
           "Otherwise a theme applies to a quote when at least half of the human coders who reviewed the quote "
           "applied it; the valence is the one most of them gave (neutral on a tie). Machine codes do not count."),
}

CODERS: dict[str, dict[str, str]] = {  # what each machine coder is, in the reader's words
    "hybrid": {"nl": "de hybride codeur: de regels van het codeboek, bevestigd en aangevuld door een model dat is "
                     "getraind op gelabelde citaten",
               "en": "the hybrid coder: the codebook's rules, confirmed and completed by a model trained on labelled "
                     "quotes"},
    "dictionary": {"nl": "de woordenboekcodeur: de regels van het codeboek (woorden, woordgroepen en uitzonderingen)",
                   "en": "the dictionary coder: the codebook's rules (words, phrases and exceptions)"},
    "supervised": {"nl": "een getraind model", "en": "a trained model"},
}
SOURCES_READING = {
    "nl": ("Van de {total} definitieve codes komen er {human} van de menselijke codeurs en {machine} van de machine, "
           "voor citaten die geen mens codeerde. De machinale codes zijn gemaakt door {coder}."),
    "en": ("Of the {total} final codes, {human} come from the human coders and {machine} from the machine, for quotes "
           "no human coded. The machine codes were made by {coder}."),
}
NO_MACHINE_CODES = {"nl": "De codeboekregels gelden niet voor de taal van de studie: er zijn geen machinale codes.",
              "en": "The codebook has no rules for the study's language: there are no machine codes."}

INDEX_PAGE = {
    "nl": {"reports": "Rapportages", "manifest": "Herkomst en invoer (manifest.json)",
           "intro": "Gegenereerd door coopresearch uit de gegevens in data/raw.",
           "skipped": "niet gemaakt: geen gegevens in", "missing": "niet gemaakt: de studie heeft geen notebook"},
    "en": {"reports": "Reports", "manifest": "Provenance and inputs (manifest.json)",
           "intro": "Generated by coopresearch from the data in data/raw.",
           "skipped": "not made: no data in", "missing": "not made: the study has no notebook"},
}

# the collaboration scan's privacy rule (scan.py): the size of a suppressed group, and the reading per scan_answered_for
FEWER_THAN = {"nl": "minder dan {n}", "en": "fewer than {n}"}
SCAN_PRIVACY = {
    "self": {
        "nl": ("**Privacy.** Elke respondent scoorde de relatie vanuit de eigen beleving: de scores zijn persoonlijk. "
               "Een cijfer (gemiddelde, spreiding, laagste en hoogste score, de lijn in het radardiagram, het verschil "
               "in beleving, de vorm die de basis draagt en de gespreksonderwerpen) staat er alleen voor een groep van "
               "ten minste {n} respondenten (`min_group_size` in `study.yml`). Een kleinere groep is *niet gerapporteerd* "
               "en haar omvang staat er als \"minder dan {n}\".\n\n"
               "Een samengenomen cijfer (*alle partijen* van een relatie, of een partij over alle relaties) staat er "
               "alleen als de niet-gerapporteerde groepen erin samen geen of ten minste {n} respondenten tellen. "
               "Anders zou het samengenomen cijfer min de cijfers ernaast de scores van de kleine groep verraden "
               "(één respondent bij de ene partij en vijf bij de andere: *alle partijen* en de vijf samen geven die "
               "ene score terug); dan is ook het samengenomen cijfer niet gerapporteerd en blijft zijn omvang leeg."),
        "en": ("**Privacy.** Each respondent scored the relationship from their own view: the scores are personal. "
               "A figure (mean, spread, lowest and highest score, the outline in the radar, the perception gap, the form "
               "the basis supports and the topics to discuss) is shown only for a group of at least {n} respondents "
               "(`min_group_size` in `study.yml`). A smaller group is *not reported* and its size is given as "
               "\"fewer than {n}\".\n\n"
               "A pooled figure (*all parties* of a relationship, or a party over all relationships) is shown only when "
               "the groups in it that are not reported number together none or at least {n} respondents. Otherwise the "
               "pooled figure minus the figures beside it would give the small group's scores away (one respondent in "
               "one party and five in the other: *all parties* and the five together give that one score back); then "
               "the pooled figure is not reported either and its size is left empty."),
    },
    "organisation": {
        "nl": ("**Privacy.** In deze studie scoorde elke respondent de relatie namens de eigen organisatie "
               "(`scan_answered_for: organisation` in `study.yml`): de scores zijn het standpunt van de organisatie, "
               "geen persoonlijke mening. Daarom staan de scores per organisatie en partij er voor elke groep, hoe "
               "weinig respondenten ze ook gaven. De interviews blijven persoonlijk: citaten en interviewgroepen volgen "
               "nog steeds de minimale groepsgrootte van {n}."),
        "en": ("**Privacy.** In this study each respondent scored the relationship on behalf of their organisation "
               "(`scan_answered_for: organisation` in `study.yml`): the scores are the organisation's position, not a "
               "personal view. The scores per organisation and party are therefore shown for every group, however few "
               "respondents gave them. The interviews remain personal: quotes and interview groups still follow the "
               "minimum group size of {n}."),
    },
}

# study text in Markdown: HTML's special characters become entities, Markdown's (and the '$' of math) are
# backslash-escaped, so a name is shown as written and never becomes a tag, a link, a heading or math
_MARKDOWN_ESCAPES = {**{c: html.escape(c) for c in "&<>\"'"}, **{c: "\\" + c for c in "\\`*_[](){}#+-!|$~"},
                     "\r": " ", "\n": " "}


def markdown_text(value) -> str:
    """Study text (a name, a label) made inert for Markdown: shown as written, never markup.

    ``& < > " '`` become HTML entities; Markdown's syntax characters and ``$`` (math) are
    escaped with a backslash; a line break becomes a space, so no text starts a block of its
    own. Every reading that names something from a study passes it through here.

    Examples
    --------
    >>> print(markdown_text("<script>alert(1)</script>"))
    &lt;script&gt;alert\\(1\\)&lt;/script&gt;
    >>> print(markdown_text("[x](javascript:alert(1)) costs $x^2$"))
    \\[x\\]\\(javascript:alert\\(1\\)\\) costs \\$x^2\\$
    """
    return "".join(_MARKDOWN_ESCAPES.get(c, c) for c in str(value))


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
    merged small groups is translated too. Text is escaped (cells and headers) and left-aligned;
    the table is marked ``tex2jax_ignore``, so JupyterLab's MathJax does not read a ``$`` in
    study text as math. Returns a pandas ``Styler``, which notebooks and nbconvert render as an
    HTML table.

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
            .set_table_attributes('class="tex2jax_ignore"')
            .set_table_styles([{"selector": "th", "props": "text-align: left;"}]))


def evidence_html(evidence: pd.DataFrame, *, labels: dict[str, str]) -> str:
    """Quotes with the words their themes were found on highlighted, as an HTML list (all text escaped).

    ``evidence`` has one row per match (``quote_id, text, theme, start, end``, as in the product
    ``machine_evidence``); quotes are listed in the order they come. No author is shown.

    Examples
    --------
    >>> evidence = pd.DataFrame({"quote_id": ["q1"], "text": ["<b>Wie beslist?</b>"], "theme": ["mandate"],
    ...                          "start": [3], "end": [14]})
    >>> print(evidence_html(evidence, labels={"mandate": "Mandaat"}))
    <ul class="coopresearch-evidence">
    <li>&lt;b&gt;<mark title="Mandaat">Wie beslist</mark>?&lt;/b&gt; <small>(Mandaat)</small></li>
    </ul>
    """
    items = []
    for _, matches in evidence.groupby("quote_id", sort=False):
        text, matches = str(matches["text"].iloc[0]), matches.sort_values("start", kind="stable")
        parts, position = [], 0
        for match in matches.itertuples():
            if match.start < position:
                continue  # overlapping match: the first one is highlighted
            title = html.escape(labels.get(match.theme, match.theme))
            parts += [html.escape(text[position:match.start]),
                      f'<mark title="{title}">{html.escape(text[match.start:match.end])}</mark>']
            position = match.end
        parts.append(html.escape(text[position:]))
        themes = ", ".join(html.escape(labels.get(t, t)) for t in dict.fromkeys(matches["theme"]))
        items.append(f"<li>{''.join(parts)} <small>({themes})</small></li>")
    return '<ul class="coopresearch-evidence">\n' + "\n".join(items) + "\n</ul>"
