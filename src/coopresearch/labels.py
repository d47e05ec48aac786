"""The reader's words, in one place: every label, reading and note of the reports in Dutch and English.

Column and value labels (`COLUMN_LABELS`, used by `label`, `localise` and `show`), and the
sentences the readings are built from: the association test, the network, the reliability
verdicts, the consensus rule, the sources of the codes and the index page.
"""

from __future__ import annotations

import html
import re

import pandas as pd

__all__ = [
    "ASSOCIATION",
    "AUDITOR_GUIDANCE",
    "CODERS",
    "COLUMN_LABELS",
    "CONSENSUS_RULE",
    "DOCUMENT",
    "FEWER_THAN",
    "FIGURES",
    "INDEX_PAGE",
    "NETWORK",
    "NO_MACHINE_CODES",
    "QUOTE_CHECK",
    "RELIABILITY",
    "SCAN_PRIVACY",
    "SOURCES_READING",
    "TABLE_TITLES",
    "WORKBOOK",
    "counted",
    "date_text",
    "decimal_text",
    "evidence_html",
    "label",
    "localise",
    "markdown_text",
    "number_text",
    "reader_words",
    "show",
    "table_text",
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
    "hybrid": {"nl": "Hybride codeur", "en": "Hybrid coder"},
    "dropped": {"nl": "regel gevonden, model bevestigt niet", "en": "rule matched, model does not confirm"},
    "near": {"nl": "dicht bij de drempel", "en": "close to the threshold"},
    "probability": {"nl": "Kans", "en": "Probability"},
    "reason": {"nl": "Waarom twijfel", "en": "Why unsure"},
    "reviewed": {"nl": "Al gecodeerd", "en": "Already coded"},
    "(macro)": {"nl": "(gemiddeld)", "en": "(macro average)"},
}


# --- readings ---------------------------------------------------------------------------

ASSOCIATION = {
    "nl": {
        "none": "Er zijn te weinig groepen of thema's om een verband te toetsen.",
        "small": ("Let op: de aantallen zijn te klein om iets te zeggen over een verband tussen {by} en thema "
                  "(verwachte aantallen onder 5); lees de tabel als beschrijving, niet als bewijs."),
        "yes": ("De thema's verschillen tussen de groepen ({test}, p = {p}); de sterkte van het verband "
                "(Cramérs V = {v}) is {strength}."),
        "no": ("Er is geen aantoonbaar verschil in thema's tussen de groepen ({test}, p = {p}, "
               "Cramérs V = {v})."),
        "strength": ("zwak", "matig", "sterk"),
    },
    "en": {
        "none": "There are too few groups or themes to test for an association.",
        "small": ("Note: the numbers are too small to say anything about an association between {by} and theme "
                  "(expected counts below 5); read the table as a description, not as evidence."),
        "yes": ("The themes differ between the groups ({test}, p = {p}); "
                "the association (Cramér's V = {v}) is {strength}."),
        "no": "There is no demonstrable difference in themes between the groups ({test}, p = {p}, Cramér's V = {v}).",
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
        "pins_one": "**Linking pins.** Eén actor neemt aan twee of meer overleggen deel: alle coördinatie loopt via {names}.",
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
        "lonely_one": " Eén actor neemt aan processen deel maar aan geen enkel overleg.",
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
        "pins_one": "**Linking pins.** One actor takes part in two or more meetings: all coordination runs through {names}.",
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
        "lonely_one": " One actor takes part in processes but in no meeting.",
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
TAUGHT_READING = {  # when the study's own human codes taught the model (coding.TaughtHybridCoder)
    "nl": (" Het model leerde ook van de {n} citaten die mensen in deze studie codeerden. De machinale codes van die "
           "citaten komen uit kruisvalidatie in {folds} delen: elk citaat is gecodeerd door een model dat zijn eigen codes "
           "niet zag, zodat de overeenstemming van machine en mens niet geflatteerd is."),
    "en": (" The model also learnt from the {n} quotes people coded in this study. The machine codes of those quotes "
           "come from {folds}-fold cross-validation: each quote was coded by a model that did not see its own codes, so "
           "the agreement of machine and human is not flattered."),
}
NO_MACHINE_CODES = {"nl": "De codeboekregels gelden niet voor de taal van de studie: er zijn geen machinale codes.",
              "en": "The codebook has no rules for the study's language: there are no machine codes."}

INDEX_PAGE = {
    "nl": {"reports": "Analyses", "manifest": "Herkomst en invoer (manifest.json)",
           "intro": "Gegenereerd door coopresearch uit de gegevens in data/raw.", "rendered": "Gemaakt op {date}.",
           "document": "Het rapport", "document_html": "Rapport (webpagina)",
           "document_about": "Het onderzoeksrapport met samenvatting, conclusies, aanbevelingen, bevindingen en "
                             "verantwoording, ook als Word-bestand (voor ambtelijk wederhoor) en als toegankelijke PDF.",
           "skipped": "niet gemaakt: geen gegevens in", "missing": "niet gemaakt: de studie heeft geen notebook",
           "about": {"01_thematic_analysis": "Wat elke partij belangrijk vindt: thema's per partij, waardering, "
                                             "citaten en de machinale codering.",
                     "02_network_analysis": "Wie elkaar waar ontmoet: bedrijfsprocessen, actoren, overleggen, linking "
                                            "pins en lacunes in de coördinatie.",
                     "03_intercoder_reliability": "Hoe betrouwbaar de codering is: Krippendorffs α, Cohens κ, de "
                                                  "machine als extra codeur en de verschillen tussen codeurs.",
                     "04_collaboration_scan": "Hoe de partijen hun samenwerking scoren: de zeven velden van de scan, "
                                              "verschillen in beleving en de vorm van samenwerking."}},
    "en": {"reports": "Analyses", "manifest": "Provenance and inputs (manifest.json)",
           "intro": "Generated by coopresearch from the data in data/raw.", "rendered": "Made on {date}.",
           "document": "The report", "document_html": "Report (web page)",
           "document_about": "The study report with summary, conclusions, recommendations, findings and method, also "
                             "as a Word file (for checking by the officials) and as an accessible PDF.",
           "skipped": "not made: no data in", "missing": "not made: the study has no notebook",
           "about": {"01_thematic_analysis": "What each party finds important: themes per party, appreciation, quotes "
                                             "and the machine coding.",
                     "02_network_analysis": "Who meets whom where: business processes, actors, meetings, linking pins "
                                            "and coordination gaps.",
                     "03_intercoder_reliability": "How reliable the coding is: Krippendorff's α, Cohen's κ, the machine "
                                                  "as an extra coder and the disagreements between coders.",
                     "04_collaboration_scan": "How the parties score their collaboration: the scan's seven fields, "
                                              "perception gaps and the form of collaboration."}},
}

# --- the study document (document.py) -------------------------------------------------------

DOCUMENT = {
    "nl": {
        "contents": "Inhoud", "summary": "Samenvatting", "conclusions": "Conclusies en aanbevelingen",
        "conclusions_section": "Conclusies", "recommendations": "Aanbevelingen", "criteria": "Normenkader",
        "findings": "Bevindingen", "thematic": "Thema's per partij", "network": "Netwerk",
        "reliability": "Betrouwbaarheid van de codering", "scan": "Samenwerkingsscan",
        "method": "Verantwoording", "method_data": "Gegevens", "method_coding": "Codering",
        "method_privacy": "Privacyregel", "method_reproducibility": "Reproduceerbaarheid",
        "response": "Bestuurlijke reactie", "afterword": "Nawoord", "appendix": "Bijlagen: tabellen",
        "commissioned_by": "Opdrachtgever", "period": "Periode van de interviews", "date": "Datum",
        "version": "Versie", "figure": "Figuur", "table": "Tabel",
        "missing_text": "Deze tekst is nog niet geschreven: schrijf hem in {file} in de studiemap.",
        "not_made": "Dit onderdeel is {why}.",
        "basis": "De bevindingen berusten op {interviews} interviews ({per_party}) met samen {quotes} citaten{unreported}. "
                 "Van de {codes} definitieve codes zijn er {machine} ({share}%) door de machine toegekend, "
                 "voor citaten die geen mens codeerde.",
        "basis_party": "{party}: {n}",
        "basis_unreported": " (de citaten van groepen van minder dan {n} respondenten niet meegeteld)",
        "privacy": "Interviews zijn persoonsgegevens. Het rapport noemt respondenten alleen bij hun pseudoniem en "
                   "schrijft een citaat of een cijfer nooit toe aan een groep van minder dan {n} respondenten "
                   "(`min_group_size` in `study.yml`); kleinere groepen zijn samengevoegd of niet gerapporteerd.",
        "reproducibility": "Dit rapport is gemaakt met coopresearch {package} uit de gegevens in `data/raw`. "
                           "Versie `{version}` is de vingerafdruk (sha256) van de afgeleide gegevens in "
                           "`data/processed/manifest.json`: wie `coopresearch report` opnieuw uitvoert op dezelfde "
                           "gegevens, krijgt dezelfde tabellen en dezelfde versie.",
    },
    "en": {
        "contents": "Contents", "summary": "Summary", "conclusions": "Conclusions and recommendations",
        "conclusions_section": "Conclusions", "recommendations": "Recommendations", "criteria": "Assessment criteria",
        "findings": "Findings", "thematic": "Themes per party", "network": "Network",
        "reliability": "Coding reliability", "scan": "Collaboration scan",
        "method": "Method", "method_data": "Data", "method_coding": "Coding",
        "method_privacy": "Privacy rule", "method_reproducibility": "Reproducibility",
        "response": "Response of the board", "afterword": "Afterword", "appendix": "Appendices: tables",
        "commissioned_by": "Commissioned by", "period": "Interview period", "date": "Date",
        "version": "Version", "figure": "Figure", "table": "Table",
        "missing_text": "This text has not been written yet: write it in {file} in the study folder.",
        "not_made": "This part was {why}.",
        "basis": "The findings rest on {interviews} interviews ({per_party}) with {quotes} quotes in all{unreported}. "
                 "Of the {codes} final codes, {machine} ({share}%) were assigned by the machine, "
                 "to quotes no person coded.",
        "basis_party": "{party}: {n}",
        "basis_unreported": " (not counting the quotes of groups of fewer than {n} respondents)",
        "privacy": "Interviews are personal data. The report names respondents by pseudonym only and never attributes "
                   "a quote or a figure to a group of fewer than {n} respondents (`min_group_size` in `study.yml`); "
                   "smaller groups are merged or not reported.",
        "reproducibility": "This report was made with coopresearch {package} from the data in `data/raw`. "
                           "Version `{version}` is the fingerprint (sha256) of the derived data in "
                           "`data/processed/manifest.json`: whoever runs `coopresearch report` again on the same data "
                           "gets the same tables and the same version.",
    },
}

# what `init` writes in a study's report/ folder: the auditor's texts, with guidance between <!-- and -->
# (left out of the document: a text with nothing else counts as not written)
AUDITOR_GUIDANCE = {
    "nl": {
        "summary": "<!-- Samenvatting: de kern van het onderzoek in een halve tot één pagina: aanleiding, vraag, "
                   "belangrijkste bevindingen en conclusies. Schrijf in gewone Markdown; deze aanwijzing (tussen de "
                   "commentaartekens) komt niet in het rapport. -->\n",
        "conclusions": "<!-- Conclusies: per conclusie een alinea, met de bevindingen waarop ze rust (aantal interviews, "
                       "aandeel machinale codes, betrouwbaarheid). Toets aan het normenkader als dat er is. -->\n",
        "recommendations": "<!-- Aanbevelingen: genummerd, elk met wie ze oppakt. Bijvoorbeeld:\n"
                           "1. Leg per bedrijfsproces vast wie namens de gemeente mag besluiten. -->\n",
        "criteria": "<!-- Normenkader (mag leeg blijven): de normen waaraan de bevindingen zijn getoetst, "
                    "bijvoorbeeld als lijst. -->\n",
        "response": "<!-- Bestuurlijke reactie (mag leeg blijven): de reactie van het college, integraal. -->\n",
        "afterword": "<!-- Nawoord (mag leeg blijven): de reactie van de onderzoekers op de bestuurlijke reactie. -->\n",
    },
    "en": {
        "summary": "<!-- Summary: the core of the study in half a page to a page: occasion, question, main findings "
                   "and conclusions. Write plain Markdown; this guidance (inside the comment marks) stays out of "
                   "the report. -->\n",
        "conclusions": "<!-- Conclusions: a paragraph per conclusion, with the findings it rests on (number of "
                       "interviews, share of machine codes, reliability). Judge against the criteria when given. -->\n",
        "recommendations": "<!-- Recommendations: numbered, each saying who takes it up. For example:\n"
                           "1. Record per business process who may decide for the municipality. -->\n",
        "criteria": "<!-- Assessment criteria (may stay empty): the norms the findings were judged against, "
                    "for example as a list. -->\n",
        "response": "<!-- Response of the board (may stay empty): the board's reaction, in full. -->\n",
        "afterword": "<!-- Afterword (may stay empty): the auditors' reply to the board's response. -->\n",
    },
}

# figures the document takes from the reports (cells tagged figure:NAME): alt text and caption
FIGURES = {
    "theme_shares": {
        "nl": "Staafdiagram: per partij het aandeel van de citaten dat elk thema noemt.",
        "en": "Bar chart: per party, the share of the quotes that mention each theme.",
        "caption_nl": "Aandeel citaten per thema en partij", "caption_en": "Share of quotes per theme and party"},
    "valence_bars": {
        "nl": "Gestapeld staafdiagram: per thema en partij hoeveel citaten positief, neutraal of negatief zijn.",
        "en": "Stacked bar chart: per theme and party, how many quotes are positive, neutral or negative.",
        "caption_nl": "Waardering per thema en partij", "caption_en": "Appreciation per theme and party"},
    "co_occurrence": {
        "nl": "Heatmap: hoe vaak twee thema's in hetzelfde citaat voorkomen.",
        "en": "Heat map: how often two themes occur in the same quote.",
        "caption_nl": "Thema's die samen voorkomen", "caption_en": "Themes that occur together"},
    "process_network": {
        "nl": "Netwerkdiagram: de bedrijfsprocessen (vierkanten, gekleurd naar categorie) en de actoren die eraan "
              "deelnemen (punten); lijnen verbinden een actor met zijn processen.",
        "en": "Network diagram: the business processes (squares, coloured by category) and the actors taking part "
              "in them (dots); lines join an actor to its processes.",
        "caption_nl": "Processen en actoren", "caption_en": "Processes and actors"},
    "meeting_network": {
        "nl": "Netwerkdiagram: de overleggen en de actoren die eraan deelnemen; de linking pins zijn benoemd.",
        "en": "Network diagram: the meetings and the actors taking part in them; the linking pins are named.",
        "caption_nl": "Overleggen en deelnemers", "caption_en": "Meetings and participants"},
    "agreement_matrix": {
        "nl": "Heatmap: de overeenstemming tussen elk paar codeurs, van 0 tot 1.",
        "en": "Heat map: the agreement between each pair of coders, from 0 to 1.",
        "caption_nl": "Overeenstemming tussen codeurs", "caption_en": "Agreement between coders"},
    "scan_radar": {
        "nl": "Radardiagram: de gemiddelde score per veld van de samenwerkingsscan, per gerapporteerde partij, "
              "op een schaal van 1 tot 10.",
        "en": "Radar chart: the mean score per field of the collaboration scan, per reported party, on a scale "
              "of 1 to 10.",
        "caption_nl": "Samenwerkingsscan per veld", "caption_en": "Collaboration scan per field"},
    "machine_theme_counts": {
        "nl": "Staafdiagram: per thema hoeveel citaten de machine ermee codeerde.",
        "en": "Bar chart: per theme, how many quotes the machine coded with it.",
        "caption_nl": "Machinale codes per thema", "caption_en": "Machine codes per theme"},
    "machine_agreement": {
        "nl": "Staafdiagram: per thema hoe goed de machinale codes overeenkomen met de menselijke (F1, precisie, recall).",
        "en": "Bar chart: per theme, how well the machine codes agree with the human codes (F1, precision, recall).",
        "caption_nl": "Machine tegenover mens", "caption_en": "Machine against human"},
    "process_projection": {
        "nl": "Netwerkdiagram: de bedrijfsprocessen, verbonden als ze actoren delen; dikkere lijnen betekenen meer "
              "gedeelde actoren.",
        "en": "Network diagram: the business processes, joined when they share actors; thicker lines mean more "
              "shared actors.",
        "caption_nl": "Processen die actoren delen", "caption_en": "Processes that share actors"},
    "process_themes": {
        "nl": "Netwerkdiagram: de bedrijfsprocessen, gekleurd naar het thema dat in de knelpunten erover overheerst.",
        "en": "Network diagram: the business processes, coloured by the theme that dominates the problems raised "
              "about them.",
        "caption_nl": "Dominant knelpuntthema per proces", "caption_en": "Dominant problem theme per process"},
    "category_links": {
        "nl": "Heatmap: hoe dicht de processen binnen en tussen de categorieën met elkaar verbonden zijn.",
        "en": "Heat map: how densely the processes within and between the categories are linked.",
        "caption_nl": "Samenhang binnen en tussen categorieën", "caption_en": "Coherence within and between categories"},
    "meeting_processes": {
        "nl": "Heatmap: welke overleggen welke bedrijfsprocessen behandelen.",
        "en": "Heat map: which meetings handle which business processes.",
        "caption_nl": "Overleggen en processen", "caption_en": "Meetings and processes"},
    "coder_theme_counts": {
        "nl": "Staafdiagram: per thema hoeveel citaten elke codeur ermee codeerde.",
        "en": "Bar chart: per theme, how many quotes each coder coded with it.",
        "caption_nl": "Codes per codeur en thema", "caption_en": "Codes per coder and theme"},
    "agreement_matrix_with_machine": {
        "nl": "Heatmap: de overeenstemming tussen elk paar codeurs, de machine meegerekend, van 0 tot 1.",
        "en": "Heat map: the agreement between each pair of coders, the machine included, from 0 to 1.",
        "caption_nl": "Overeenstemming met de machine als codeur", "caption_en": "Agreement with the machine as a coder"},
}

TABLE_TITLES = {
    "theme_ranking": {"nl": "Rangorde van de thema's per partij", "en": "Ranking of the themes per party"},
    "selected_quotes": {"nl": "Citaten per thema", "en": "Quotes per theme"},
    "reliability": {"nl": "Betrouwbaarheid per thema", "en": "Reliability per theme"},
    "scan_perception_gaps": {"nl": "Scan: gemiddelde per veld en verschil in beleving",
                             "en": "Scan: mean per field and perception gap"},
    "interviews_by_party": {"nl": "Interviews en citaten per partij", "en": "Interviews and quotes per party"},
    "theme_by_party": {"nl": "Thema's per partij", "en": "Themes per party"},
    "theme_by_process": {"nl": "Thema's per bedrijfsproces", "en": "Themes per business process"},
    "code_sources": {"nl": "Herkomst van de definitieve codes", "en": "Sources of the final codes"},
    "process_overview": {"nl": "Bedrijfsprocessen", "en": "Business processes"},
    "linking_pins": {"nl": "Linking pins", "en": "Linking pins"},
    "coordination_gaps": {"nl": "Lacunes in de coördinatie", "en": "Coordination gaps"},
    "reliability_with_machine": {"nl": "Betrouwbaarheid met de machine als codeur",
                                 "en": "Reliability with the machine as a coder"},
    "agreement_matrix": {"nl": "Overeenstemming tussen codeurs", "en": "Agreement between coders"},
    "agreement_matrix_with_machine": {"nl": "Overeenstemming met de machine", "en": "Agreement with the machine"},
    "category_links": {"nl": "Samenhang tussen categorieën", "en": "Coherence between categories"},
    "coder_theme_counts": {"nl": "Codes per codeur en thema", "en": "Codes per coder and theme"},
    "department_contacts": {"nl": "Contacten van afdelingen", "en": "Contacts of departments"},
    "department_coverage": {"nl": "Bereik van de afdelingen", "en": "Coverage of the departments"},
    "department_groups": {"nl": "Afdelingen in de analyse", "en": "Departments in the analysis"},
    "disagreements": {"nl": "Verschillen tussen codeurs", "en": "Disagreements between coders"},
    "dominant_theme_per_process": {"nl": "Dominant knelpuntthema per proces", "en": "Dominant problem theme per process"},
    "machine_agreement": {"nl": "Machine tegenover mens", "en": "Machine against human"},
    "machine_evidence": {"nl": "Onderbouwing van de machinale codes", "en": "Evidence of the machine codes"},
    "machine_theme_counts": {"nl": "Machinale codes per thema", "en": "Machine codes per theme"},
    "meeting_processes": {"nl": "Overleggen en processen", "en": "Meetings and processes"},
    "network_nodes": {"nl": "Alle knopen van het netwerk", "en": "All nodes of the network"},
    "organisation_groups": {"nl": "Organisaties in de analyse", "en": "Organisations in the analysis"},
    "reflection_questions": {"nl": "Vragen voor de partijen", "en": "Questions for the parties"},
    "review_queue": {"nl": "Twijfelgevallen van de machine", "en": "The machine's doubtful cases"},
    "scan_and_themes": {"nl": "Scan naast de thema's", "en": "Scan beside the themes"},
    "scan_discussion_topics": {"nl": "Scan: gespreksonderwerpen", "en": "Scan: topics to discuss"},
    "scan_fields": {"nl": "Scan: scores per veld", "en": "Scan: scores per field"},
    "scan_interview_groups": {"nl": "Scan: interviews per groep", "en": "Scan: interviews per group"},
    "scan_typology": {"nl": "Scan: vorm van samenwerking", "en": "Scan: form of collaboration"},
    "software": {"nl": "Gebruikte software", "en": "Software used"},
    "solitary_processes": {"nl": "Solitaire processen", "en": "Solitary processes"},
    "standardised_residuals": {"nl": "Gestandaardiseerde residuen", "en": "Standardised residuals"},
    "theme_by_department": {"nl": "Thema's per afdeling", "en": "Themes per department"},
    "theme_by_organisation": {"nl": "Thema's per organisatie", "en": "Themes per organisation"},
    "theme_co_occurrence": {"nl": "Thema's die samen voorkomen", "en": "Themes that occur together"},
}

# one Word file per interview with its shown quotes (quote_check.py: ambtelijk wederhoor)
QUOTE_CHECK = {
    "nl": {"title": "Citaten ter controle — {person}",
           "intro": "Het rapport \u201c{study}\u201d toont {n} citaat/citaten uit uw interview. Hieronder staat elk citaat "
                    "met de tekst ervoor en erna. Wilt u nagaan of de citaten juist zijn weergegeven en niet uit hun "
                    "verband zijn gehaald? Zet uw opmerkingen bij het citaat.",
           "quote": "Citaat {n} (in het rapport: {where})", "before": "Ervoor", "after": "Erna",
           "check": "Juist weergegeven: ja / nee — opmerking:",
           "places": {"selected": "citaten per thema", "evidence": "onderbouwing van de machinale codering",
                      "disagreements": "verschillen tussen codeurs", "review": "twijfelgevallen van de machine"}},
    "en": {"title": "Quotes to check — {person}",
           "intro": "The report \u201c{study}\u201d shows {n} quote(s) from your interview. Below is each quote with the "
                    "text before and after it. Would you check that the quotes are rendered correctly and not taken "
                    "out of context? Write your remarks beside the quote.",
           "quote": "Quote {n} (in the report: {where})", "before": "Before", "after": "After",
           "check": "Rendered correctly: yes / no — remark:",
           "places": {"selected": "quotes per theme", "evidence": "evidence of the machine coding",
                      "disagreements": "disagreements between coders", "review": "the machine's doubtful cases"}},
}

# reports/tables.xlsx (workbook.py)
WORKBOOK = {"nl": {"contents": "Inhoud", "sheet": "Blad", "table": "Tabel"},
            "en": {"contents": "Contents", "sheet": "Sheet", "table": "Table"}}

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


# ids the package itself puts in table cells; show() and table_text() give them in the reader's words
VALUE_IDS = ("other", "majority", "consensus", "machine", "human", "dictionary", "supervised", "hybrid", "(uncoded)",
             "(all parties)", "(all)", "(macro)", "reliable", "tentative", "unreliable", "undefined",
             "fewer than two coders", "no unit coded by two coders", "no unit coded by both", "no variation",
             "beleidsketen", "fysieke_keten", "bedrijfsproces", "department", "actor", "process", "meeting",
             "horizontal", "vertical", "either", "process_without_meeting", "actor_without_meeting", "dropped", "near")
VALENCE_WORDS = {"positive": {"nl": "positief", "en": "positive"}, "negative": {"nl": "negatief", "en": "negative"},
                 "neutral": {"nl": "neutraal", "en": "neutral"}}


def label(key, lang: str) -> str:
    """The reader's word for ``key`` in ``lang``; the key itself when there is none.

    Examples
    --------
    >>> label("party", "nl"), label("unknown_column", "nl"), label("kappa_anna_vs_hybrid", "nl")
    ('Partij', 'unknown_column', 'κ anna – Hybride codeur')
    """
    pair = re.fullmatch(r"kappa_(.+)_vs_(.+)", key) if isinstance(key, str) else None
    if pair:  # a pairwise Cohen's kappa column of the reliability table
        return f"κ {label(pair[1], lang)} – {label(pair[2], lang)}"
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


MONTHS = {"nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                 "november", "december"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}


def date_text(iso: str, lang: str) -> str:
    """'2027-03-02' as a reader writes it: '2 maart 2027', '2 March 2027'.

    Examples
    --------
    >>> date_text("2027-03-02", "nl"), date_text("2027-03-02", "en")
    ('2 maart 2027', '2 March 2027')
    """
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return f"{day} {MONTHS[lang][month - 1]} {year}"


def counted(n: int, noun: str) -> str:
    """How many of something, in the command line's English.

    Examples
    --------
    >>> counted(1, "quote"), counted(3, "quote")
    ('1 quote', '3 quotes')
    """
    return f"{n} {noun}" + ("" if n == 1 else "s")


def number_text(value, lang: str, *, decimals: int = 2) -> str:
    """A number as the report language writes it: decimal comma in Dutch, whole numbers without decimals.

    Examples
    --------
    >>> number_text(0.4286, "nl"), number_text(0.4286, "en"), number_text(4.0, "nl"), number_text(float("nan"), "nl")
    ('0,43', '0.43', '4', '–')
    >>> number_text(True, "nl")
    'ja'
    """
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return label(bool(value), lang)
    if value is None or pd.isna(value):
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return decimal_text(value, lang, decimals)


def decimal_text(value: float, lang: str, decimals: int) -> str:
    """A statistic with a fixed number of decimals, in the report language's decimal sign.

    Examples
    --------
    >>> decimal_text(0.5931, "nl", 3), decimal_text(0.1, "en", 2)
    ('0,593', '0.10')
    """
    text = f"{float(value):.{decimals}f}"
    return text.replace(".", ",") if lang == "nl" else text


def reader_words(table: pd.DataFrame, lang: str, names: dict | None = None) -> pd.DataFrame:
    """The table with a named index as first column and ids replaced by the reader's words (cells, headers)."""
    if table.index.name is not None:
        table = table.reset_index()
    names = {**{value: label(value, lang) for value in VALUE_IDS},
             **{value: words[lang] for value, words in VALENCE_WORDS.items()}, **(names or {})}
    return table.replace(names).rename(columns=names)


def table_text(table: pd.DataFrame, lang: str, *, names: dict | None = None, decimals: int = 2) -> pd.DataFrame:
    """A table as text for a document: headers in ``lang``, ids in the reader's words, numbers as ``lang`` writes them.

    Examples
    --------
    >>> table_text(pd.DataFrame({"party": ["gemeente"], "share": [0.4286], "reported": [True]}), "nl").to_dict("records")
    [{'Partij': 'gemeente', 'Aandeel': '0,43', 'Gerapporteerd': 'ja'}]
    """
    shown = localise(reader_words(table, lang, names), lang)
    return pd.DataFrame({column: [number_text(v, lang, decimals=decimals) if _is_number(v) else ("–" if pd.isna(v) else str(v))
                                  for v in shown.iloc[:, i]]
                         for i, column in enumerate(shown.columns)}, columns=shown.columns, dtype=object)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) or type(value).__module__ == "numpy"


def show(table: pd.DataFrame, lang: str, *, names: dict | None = None, decimals: int = 2):
    """A table as a reader sees it in a report: headers in ``lang``, no row numbers, numbers as ``lang`` writes them.

    A named index becomes the first column. ``names`` replaces ids by the reader's words,
    in cells and in column headers (e.g. theme ids by theme labels); the package's own ids
    (``other``, verdicts, categories, valence) are translated too. Text is escaped (cells and
    headers) and left-aligned; the table is marked ``tex2jax_ignore``, so JupyterLab's MathJax
    does not read a ``$`` in study text as math. Returns a pandas ``Styler``, which notebooks
    and nbconvert render as an HTML table.

    Examples
    --------
    >>> html = show(pd.DataFrame({"party": ["gemeente"], "reported": [True], "share": [0.5]}), "nl").to_html()
    >>> "Partij" in html and ">ja<" in html and ">0,50<" in html
    True
    """
    shown = localise(reader_words(table, lang, names), lang)
    numbers = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])]
    text = [c for c in shown.columns if c not in numbers]
    # escape: quote texts are data, a '<script>' in an interview must stay text
    return (shown.style.hide(axis="index")
            .format(lambda v: number_text(v, lang, decimals=decimals) if _is_number(v) else ("–" if pd.isna(v) else v),
                    escape="html")
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
