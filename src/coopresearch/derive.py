"""One derivation: every product any report shows, computed once from a validated study.

`derive` is a pure function of a `Study`: the codes (human consensus and machine) are computed
once and every table, graph and reading of the four reports is built from them. `processed`
writes the result to ``data/processed`` and reads it back; the notebooks only show it.

A product is a DataFrame (``NAME.csv``), a networkx graph (``NAME.graphml`` and ``.gexf``), a
Markdown reading (``NAME.md``) or the study's settings (``study.json``). Products whose words
depend on the report language exist once per language, named ``NAME_nl`` and ``NAME_en``.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from . import coding, network, quote_check, reliability, scan, thematic
from .provenance import package_versions
from .schemas import LANGUAGES
from .study import Study, study_settings

__all__ = ["LANGUAGE_PRODUCTS", "derive"]

REVIEW_SHOWN = 20  # the review queue's most doubtful pairs a report shows ('sheets --quotes review' takes them all)
# products derived once per report language (NAME_nl, NAME_en)
LANGUAGE_PRODUCTS = ("theme_ranking", "association_reading", "selected_quotes", "reflection_questions",
                     "reliability_reading", "disagreements", "network_reading", "sources_reading", "scan_privacy_reading")


def _by_language(study: Study, codes: pd.DataFrame, machine: pd.DataFrame, tables: dict, taught_by: int) -> dict:
    """The products whose words depend on the report language, for every language."""
    themes = study.codebook.theme_ids
    out = {}
    for lang in LANGUAGES:
        labels, parties = study.codebook.labels(lang), study.party_labels(lang)
        out |= {
            f"theme_ranking_{lang}": thematic.ranking_table(tables["theme_by_party"], labels=labels).rename(columns=parties),
            f"association_reading_{lang}": thematic.association_reading(
                thematic.association_test(tables["theme_by_party"]), lang),
            f"selected_quotes_{lang}": thematic.select_quotes(codes, study.quotes, study.interviews,
                                                              min_group_size=study.min_group_size,
                                                              party_labels=parties).drop(columns="quote_id"),
            f"reflection_questions_{lang}": thematic.reflection_questions(codes, study.codebook, lang),
            f"reliability_reading_{lang}": reliability.reading(tables["reliability"], lang=lang, names=labels),
            f"disagreements_{lang}": reliability.disagreements(study.codings, study.quotes, themes, names=labels),
            f"network_reading_{lang}": network.network_reading(study.processes, study.relations, study.meetings,
                                                               lang=lang),
            f"sources_reading_{lang}": thematic.sources_reading(tables["code_sources"], machine, lang,
                                                                taught_by=taught_by, folds=coding.FOLDS),
            f"scan_privacy_reading_{lang}": scan.privacy_reading(answered_for=study.config["scan_answered_for"],
                                                                 min_group_size=study.min_group_size, lang=lang),
        }
    return out


def derive(study: Study) -> dict[str, pd.DataFrame | nx.Graph | str | dict]:
    """Every product of the reports, by name; the machine codes are computed once.

    Examples
    --------
    >>> products = derive(load_study(MINI_STUDY))
    >>> products["study"]["machine_coder"], sorted(products)[:3]
    ('hybrid', ['agreement_matrix', 'agreement_matrix_with_machine', 'association_reading_en'])
    """
    themes, size = study.codebook.theme_ids, study.min_group_size
    # the hybrid coder's model is taught by the study's human codes; their own quotes are coded out of fold
    taught = {"lang": study.language, **reliability.teaching_codes(study.codings)}
    consensus = taught["human"]
    machine = coding.machine_codes(study.quotes, study.codebook, **taught)
    coder = ", ".join(sorted(machine["coder"].unique())) or "none"
    taught_by = coding.taught_quotes(study.quotes, study.codebook, **taught)
    codes = thematic.final_codes(study.codings, machine)
    with_machine = reliability.add_machine_codes(study.codings, machine, study.quotes["quote_id"])
    process_graph = network.build_process_graph(study.processes, study.relations)
    projection = network.process_projection(process_graph)
    meeting_graph = network.build_meeting_graph(study.meetings, study.relations)
    contacts = network.department_contacts(study.relations, study.meetings)
    parties = list(study.config["parties"])
    relationships = study.config.get("relationships")
    # scan scores are personal unless the respondents answered for their organisation (scan.py, privacy)
    respondents = 1 if study.config["scan_answered_for"] == "organisation" else size

    def by_group(by: str) -> pd.DataFrame:
        return thematic.theme_by_group(codes, study.quotes, study.interviews, themes, by=by, min_group_size=size)

    tables = {
        # codes
        "codings_machine": machine,
        "codes_final": codes,
        "code_sources": thematic.code_sources(codes, study.quotes, study.interviews, min_group_size=size),
        "machine_theme_counts": coding.theme_counts(machine, themes),
        "machine_agreement": coding.agreement(machine, consensus, study.codings["quote_id"].unique(), themes=themes),
        "machine_evidence": _evidence(study),
        "review_queue": coding.review_queue(study.quotes, study.codebook, **taught).head(REVIEW_SHOWN),
        # thematic analysis
        "interviews_by_party": thematic.interviews_by_party(study.interviews, study.quotes, min_group_size=size),
        "theme_by_party": by_group("party"),
        "theme_by_organisation": thematic.share_matrix(by_group("organisation"), by="organisation"),
        "organisation_groups": thematic.reported_groups(study.quotes, study.interviews, by="organisation",
                                                        min_group_size=size),
        "theme_by_department": thematic.share_matrix(by_group("department"), by="department"),
        "department_groups": thematic.reported_groups(study.quotes, study.interviews, by="department",
                                                      min_group_size=size),
        "theme_co_occurrence": thematic.co_occurrence(codes, themes),
        "theme_by_process": thematic.theme_by_process(codes, study.quotes, study.interviews, study.processes, themes,
                                                      min_group_size=size),
        # inter-coder reliability
        "coder_theme_counts": reliability.coder_theme_counts(study.codings, themes),
        "reliability": reliability.reliability_table(study.codings, themes),
        "agreement_matrix": reliability.agreement_matrix(study.codings, themes),
        "reliability_with_machine": reliability.reliability_table(with_machine, themes),
        "agreement_matrix_with_machine": reliability.agreement_matrix(with_machine, themes),
        # network analysis
        "process_network": process_graph,
        "process_projection": projection,
        "meeting_network": meeting_graph,
        "collaboration_network": network.build_collaboration_graph(study.processes, study.relations, study.meetings),
        "process_overview": network.process_overview(study.processes, study.relations, study.meetings),
        "solitary_processes": network.solitary_processes(projection),
        "category_links": network.category_links(projection),
        "linking_pins": network.linking_pins(meeting_graph),
        "meeting_processes": network.meeting_processes(study.meetings, study.relations),
        "coordination_gaps": network.coordination_gaps(study.processes, study.relations, study.meetings),
        "department_contacts": contacts,
        "department_coverage": network.department_coverage(contacts),
        "dominant_theme_per_process": network.dominant_theme_per_process(codes, study.quotes, min_interviews=size),
        # collaboration scan
        "scan_fields": scan.field_stats(study.scan, min_respondents=respondents),
        "scan_typology": scan.typology(study.scan, parties=parties, relationships=relationships,
                                       min_respondents=respondents),
        "scan_perception_gaps": scan.perception_gaps(study.scan, parties=parties, min_respondents=respondents),
        "scan_discussion_topics": scan.discussion_topics(study.scan, min_respondents=respondents),
        "scan_interview_groups": scan.interview_groups(study.interviews, relationships=relationships,
                                                       min_group_size=size),
        "scan_and_themes": scan.scan_and_themes(study.scan, codes, study.quotes, study.interviews, min_group_size=size,
                                                relationships=relationships, min_respondents=respondents),
        # provenance
        "software": package_versions(),
    }
    tables["standardised_residuals"] = thematic.standardised_residuals(tables["theme_by_party"])
    tables["association_test"] = thematic.association_test(tables["theme_by_party"]).to_frame().T.infer_objects()
    tables["network_nodes"] = network.node_metrics(tables["collaboration_network"])
    languages = _by_language(study, codes, machine, tables, taught_by)
    # every quote a report shows, for checking with its interviewee (reports/wederhoor)
    tables["quote_check"] = quote_check.shown_quotes(study.quotes, study.interviews, {
        "selected": thematic.select_quotes(codes, study.quotes, study.interviews, min_group_size=size)["quote_id"],
        "evidence": tables["machine_evidence"]["quote_id"],
        "disagreements": languages[f"disagreements_{LANGUAGES[0]}"]["quote_id"],
        "review": tables["review_queue"]["quote_id"]})
    return {**tables, **languages, "study": {**study_settings(study), "machine_coder": coder, "machine_taught_by": taught_by}}


def _evidence(study: Study, limit: int = 5) -> pd.DataFrame:
    """The rules' matches in the ``limit`` quotes with the most (most first, ties by id), with their text."""
    columns = ["quote_id", "text", "theme", "start", "end"]
    languages = coding.quote_languages(study.quotes, study.language)  # each quote with its own language's rules
    parts = [coding.DictionaryCoder(study.codebook, lang=lang).evidence(study.quotes[(languages == lang).to_numpy()])
             for lang in sorted(set(languages)) if coding.has_rules(study.codebook, lang)]
    if not parts:
        return pd.DataFrame(columns=columns)
    evidence = pd.concat(parts, ignore_index=True)
    top = (evidence.groupby("quote_id").size().reset_index(name="n")
           .sort_values(["n", "quote_id"], ascending=[False, True])["quote_id"].head(limit))
    rank = {quote_id: i for i, quote_id in enumerate(top)}
    chosen = evidence[evidence["quote_id"].isin(rank)].merge(study.quotes[["quote_id", "text"]], on="quote_id")
    chosen = chosen.assign(rank=chosen["quote_id"].map(rank)).sort_values(["rank", "start", "theme"], kind="stable")
    return chosen[columns].reset_index(drop=True)
