"""Thematic analysis on a small hand-made study whose answers are known."""

import math

import pandas as pd
import pytest

from coopresearch import thematic
from coopresearch.errors import CoopResearchError

THEMES = ["transparency", "mandate", "ownership", "reliability"]

# Six interviews: four municipal (departments A, A, A, B), two corporation.
INTERVIEWS = pd.DataFrame({
    "interview_id": ["i1", "i2", "i3", "i4", "i5", "i6"],
    "pseudonym": [f"Respondent {n}" for n in range(1, 7)],
    "organisation": ["Gemeente"] * 4 + ["Corp X", "Corp Y"],
    "party": ["gemeente"] * 4 + ["corporatie"] * 2,
    "department": ["A", "A", "A", "B", "Wonen", "Wonen"],
})
QUOTES = pd.DataFrame({
    "quote_id": [f"q{n}" for n in range(1, 11)],
    "interview_id": ["i1", "i1", "i2", "i3", "i4", "i4", "i5", "i5", "i6", "i6"],
    "text": [f"quote {n}" for n in range(1, 11)],
    "process_id": ["P1", "P1", "P1", "P2", None, "P1", "P1", None, "P2", "P2"],
})
CODES = pd.DataFrame([
    ("q1", "transparency", "negative"), ("q1", "reliability", "negative"),
    ("q2", "transparency", "positive"),
    ("q3", "reliability", "positive"),
    ("q4", "ownership", "negative"),
    # q5 no theme
    ("q6", "transparency", "negative"),
    ("q7", "mandate", "negative"), ("q7", "transparency", "negative"),
    ("q8", "mandate", "neutral"),
    ("q9", "ownership", "positive"),
    # q10 no theme
], columns=["quote_id", "theme", "valence"])


def by_party(min_group_size=2):
    return thematic.theme_by_group(CODES, QUOTES, INTERVIEWS, THEMES, by="party", min_group_size=min_group_size)


def test_counts_shares_and_ranks_per_party():
    table = by_party().set_index(["party", "theme"])
    # gemeente: 6 quotes (q1-q6); transparency q1,q2,q6 = 3; reliability q1,q3 = 2; ownership q4 = 1; mandate 0
    assert table.loc["gemeente", "quotes"].to_dict() == {"transparency": 3, "mandate": 0, "ownership": 1, "reliability": 2}
    assert table.loc[("gemeente", "transparency"), "share"] == pytest.approx(3 / 6)
    assert table.loc["gemeente", "rank"].to_dict() == {"transparency": 1, "reliability": 2, "ownership": 3, "mandate": 4}
    # corporatie: 4 quotes (q7-q10); mandate 2, transparency 1, ownership 1 (tied rank 2), reliability 0
    assert table.loc["corporatie", "quotes"].to_dict() == {"transparency": 1, "mandate": 2, "ownership": 1, "reliability": 0}
    assert table.loc["corporatie", "rank"].to_dict() == {"transparency": 2, "mandate": 1, "ownership": 2, "reliability": 4}
    assert table.loc[("corporatie", "mandate"), "share"] == pytest.approx(2 / 4)
    assert table.loc[("corporatie", "mandate"), ["positive", "negative", "neutral"]].tolist() == [0, 1, 1]
    assert table.loc["gemeente", "interviews"].unique().tolist() == [4]
    assert table.loc["gemeente", "group_quotes"].unique().tolist() == [6]


def test_output_is_sorted_and_complete():
    table = by_party()
    assert table.columns[:5].tolist() == ["party", "theme", "quotes", "share", "rank"]
    assert table["party"].tolist() == ["corporatie"] * 4 + ["gemeente"] * 4
    assert table["theme"].tolist() == THEMES * 2


def test_small_parties_are_not_reported():
    table = by_party(min_group_size=3)  # corporatie has 2 interviews
    assert set(table["party"]) == {"gemeente"}


def test_small_organisations_are_merged_into_other():
    table = thematic.theme_by_group(CODES, QUOTES, INTERVIEWS, THEMES, by="organisation", min_group_size=2)
    # Corp X and Corp Y have one interview each: together they form 'other' with 2
    assert set(table["organisation"]) == {"Gemeente", "other"}
    assert table.set_index(["organisation", "theme"]).loc[("other", "mandate"), "quotes"] == 2


def test_grouping_by_process_counts_interviews_behind_each_process():
    table = thematic.theme_by_group(CODES, QUOTES, INTERVIEWS, THEMES, by="process_id", min_group_size=3)
    # P1: quotes q1,q2,q3,q6,q7 from i1,i2,i4,i5 (4 interviews); P2: q4,q9,q10 from i3,i6 (2) -> dropped
    assert set(table["process_id"]) == {"P1"}
    assert table.set_index("theme").loc["transparency", "quotes"] == 4


def test_unknown_grouping_is_refused():
    with pytest.raises(CoopResearchError, match="'by' parameter of quote_groups must be one of"):
        thematic.quote_groups(QUOTES, INTERVIEWS, by="age")


def test_final_codes_prefer_humans_and_mark_machine_codes():
    codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2", "q2"], "coder": ["a", "b", "a", "b"],
                            "theme": ["mandate", None, None, None], "valence": ["negative", None, None, None]})
    machine = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "theme": ["ownership", "ownership", "reliability"],
                            "valence": ["positive", "positive", None]})
    codes = thematic.final_codes(codings, machine)
    # q1: half of the reviewers applied mandate -> applies; q2 reviewed, no theme -> nothing, even if the machine
    # says otherwise; q3 reviewed by no human -> machine code, valence neutral when the machine gave none
    assert codes[["quote_id", "theme", "valence", "source"]].values.tolist() == [["q1", "mandate", "negative", "majority"],
                                     ["q3", "reliability", "neutral", "machine"]]


def test_ranking_table_side_by_side():
    ranking = thematic.ranking_table(by_party(), labels={"mandate": "Mandaat"})
    assert ranking.loc[1].to_dict() == {"corporatie": "Mandaat (2)", "gemeente": "transparency (3)"}
    assert ranking.index.tolist() == [1, 2, 3, 4]


def test_association_on_a_textbook_table():
    # 2 x 2 with equal margins: chi2 = n (ad - bc)^2 / (r1 r2 c1 c2) = 80 * (900 - 100)^2 / 40^4 = 20
    table = pd.DataFrame({"party": ["a", "a", "b", "b"], "theme": ["x", "y", "x", "y"], "quotes": [30, 10, 10, 30]})
    result = thematic.association_test(table)
    assert result["statistic"] == pytest.approx(20.0)
    assert result["dof"] == 1 and result["cramers_v"] == pytest.approx(0.5)
    assert result["p_value"] == pytest.approx(7.74e-6, rel=1e-2)
    residuals = thematic.standardised_residuals(table)
    assert residuals.loc["a", "x"] == pytest.approx(math.sqrt(20))


def test_small_numbers_get_fisher_or_a_warning():
    two_by_two = pd.DataFrame({"party": ["a", "a", "b", "b"], "theme": ["x", "y", "x", "y"], "quotes": [3, 0, 0, 3]})
    result = thematic.association_test(two_by_two)
    assert result["test"] == "fisher" and result["p_value"] == pytest.approx(0.1)  # 2 / C(6,3)
    assert not result["too_small"]
    small = by_party()
    result = thematic.association_test(small)
    assert result["too_small"]
    reading = thematic.association_reading(result, "nl")
    assert reading.startswith("Let op: de aantallen zijn te klein")


def test_association_needs_two_groups():
    result = thematic.association_test(by_party(min_group_size=3))
    assert result["test"] == "none"
    assert thematic.association_reading(result, "en") == "There are too few groups or themes to test for an association."


def test_co_occurrence_counts_quotes_with_both_themes():
    matrix = thematic.co_occurrence(CODES, THEMES)
    assert matrix.loc["transparency", "reliability"] == 1  # q1
    assert matrix.loc["mandate", "transparency"] == 1  # q7
    assert matrix.loc["transparency", "transparency"] == 4
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()


def test_theme_by_process_with_risks_and_privacy():
    processes = pd.DataFrame({"process_id": ["P1", "P2"], "name": ["Woonvisie", "GBA"], "risks": ["botsende ambities", ""]})
    table = thematic.theme_by_process(CODES, QUOTES, INTERVIEWS, processes, THEMES, min_group_size=2)
    row = table.set_index("process_id").loc["P1"]
    assert (row["transparency"], row["reliability"], row["quotes"], row["negative"], row["interviews"]) == (4, 2, 5, 3, 4)
    assert row["risks"] == "botsende ambities"
    assert table.columns[-1] == "risks"
    merged = thematic.theme_by_process(CODES, QUOTES, INTERVIEWS, processes, THEMES, min_group_size=5)
    assert merged["process_id"].tolist() == ["other"] and merged["interviews"].tolist() == [6]
    assert thematic.theme_by_process(CODES, QUOTES, INTERVIEWS, processes, THEMES, min_group_size=7).empty


def test_most_negative_themes():
    table = thematic.most_negative_themes(CODES, top=4)
    # transparency 3 of 4 negative; the other three tie at 1 of 2 and are ordered by name
    assert table["theme"].tolist() == ["transparency", "mandate", "ownership", "reliability"]
    assert table.set_index("theme").loc["transparency", "negative_share"] == pytest.approx(3 / 4)


def test_selected_quotes_are_attributed_safely():
    chosen = thematic.select_quotes(CODES, QUOTES, INTERVIEWS, min_group_size=3, per_valence=1,
                                    party_labels={"gemeente": "Gemeente"})
    assert set(chosen["valence"]) <= {"positive", "negative"}
    assert chosen.groupby(["theme", "valence"]).size().max() == 1
    attribution = chosen.set_index("quote_id")["attribution"]
    # municipality: 4 interviews -> party shown; corporation: 2 interviews (one per organisation) -> no attribution
    assert attribution["q3"] == "Respondent 2, Gemeente"
    assert attribution["q9"] == ""
    # single-theme quotes are preferred: q2 (transparency only) over q1 (two themes)
    assert chosen.set_index(["theme", "valence"]).loc[("transparency", "positive"), "quote_id"] == "q2"
    # the choice does not depend on the order of the rows
    shuffled = thematic.select_quotes(CODES.sample(frac=1, random_state=1), QUOTES.sample(frac=1, random_state=2),
                                      INTERVIEWS.sample(frac=1, random_state=3), min_group_size=3)
    assert shuffled.equals(thematic.select_quotes(CODES, QUOTES, INTERVIEWS, min_group_size=3))


def test_interviews_by_party():
    table = thematic.interviews_by_party(INTERVIEWS, QUOTES, min_group_size=3)
    assert table.values.tolist() == [["corporatie", 2, pd.NA, False], ["gemeente", 4, 6, True]]


def test_theme_by_process_keeps_processes_without_codes_and_survives_no_codes():
    processes = pd.DataFrame({"process_id": ["P1", "P2"], "name": ["Woonvisie", "GBA"]})
    none = CODES.iloc[0:0]
    table = thematic.theme_by_process(none, QUOTES, INTERVIEWS, processes, THEMES, min_group_size=2)
    assert table["process_id"].tolist() == ["P1", "P2"]
    assert table[THEMES].to_numpy().sum() == 0 and table["quotes"].tolist() == [5, 3]


def test_select_quotes_prefers_quotes_every_coder_agreed_on():
    codings = pd.DataFrame({"quote_id": ["q2", "q2", "q6", "q6"], "coder": ["a", "b", "a", "b"],
                            "theme": ["transparency", "transparency", "transparency", None],
                            "valence": ["negative", "negative", "negative", None]})
    codes = thematic.final_codes(codings)  # q2: both coders; q6: one of two (still applies by the half rule)
    quotes = QUOTES.assign(text=QUOTES["text"].where(QUOTES["quote_id"] != "q6", "quote 6 is typical"))
    chosen = thematic.select_quotes(codes, quotes, INTERVIEWS, min_group_size=1, per_valence=1)
    assert chosen["quote_id"].tolist() == ["q2"]
