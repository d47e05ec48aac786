"""The collaboration scan: statistics, the supported form at its thresholds, missing scores,
study.yml relationship settings, the link to the interviews, and bad scores through the CLI."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest

from coopresearch import cli, plots, scan
from coopresearch.derive import derive
from coopresearch.errors import DataError
from coopresearch.schemas import SCAN_FIELDS, SCAN_FORMS
from coopresearch.study import load_study

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini"
PARTIES = ["gemeente", "corporatie"]


def scores(relationship: str, respondent: str, party: str, values) -> pd.DataFrame:
    """One respondent's scan: ``values`` is a number for every field or a {field: score} dict."""
    if not isinstance(values, dict):
        values = dict.fromkeys(SCAN_FIELDS, values)
    return pd.DataFrame({"relationship": relationship, "respondent": respondent, "party": party,
                         "field": list(values), "score": list(values.values())})


def weakest(field: str, field_scores: list[int], *, others: int = 9, relationship: str = "r") -> pd.DataFrame:
    """A relationship whose ``field`` gets ``field_scores`` (one per respondent), every other field ``others``."""
    return pd.concat([scores(relationship, f"R{i:03d}", "gemeente" if i % 2 else "corporatie",
                             {f: (score if f == field else others) for f in SCAN_FIELDS})
                      for i, score in enumerate(field_scores)], ignore_index=True)


@pytest.fixture
def mini_copy(tmp_path):
    root = tmp_path / "study"
    shutil.copytree(MINI, root)
    return root


def set_scan_line(root: Path, line: int, score: str) -> None:
    path = root / "data" / "raw" / "scan.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[line - 1].split(",")
    lines[line - 1] = ",".join([*cells[:-1], score])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_to_config(root: Path, text: str) -> None:
    path = root / "study.yml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# --- the supported form at the edges of its thresholds ------------------------------------------

@pytest.mark.parametrize(("mean", "form"), [
    (1, "afstemmen"), (3.99, "afstemmen"), (4.0, "aanpassen"), (4, "aanpassen"), (6.99, "aanpassen"),
    (7.0, "aaneenvlechten"), (10, "aaneenvlechten"), (np.float64(7.0), "aaneenvlechten"),
])
def test_supported_form_at_the_thresholds(mean, form):
    assert scan.supported_form(mean) == form


def test_a_mean_a_hair_below_a_threshold_by_float_rounding_reaches_it():
    almost_seven = sum([0.35] * 20)  # 6.999999999999997 in floating point
    assert almost_seven < 7
    assert scan.supported_form(almost_seven) == "aaneenvlechten"
    assert scan.supported_form(7 - 1e-6) == "aanpassen"  # a real difference is not absorbed


@pytest.mark.parametrize("bad", [0.5, 10.5, float("nan"), "7", None, True])
def test_supported_form_refuses_what_is_not_a_mean_score(bad):
    with pytest.raises(ValueError, match=r"must be a number in the range \[1, 10\]. Got"):
        scan.supported_form(bad)


@pytest.mark.parametrize(("field_scores", "form", "mean"), [
    ([4] * 99 + [3], "afstemmen", 3.99),         # 399 / 100
    ([3, 5], "aanpassen", 4.0),                  # exactly 4 from scores on both sides of it
    ([7] * 99 + [6], "aanpassen", 6.99),         # 699 / 100
    ([6, 7, 8], "aaneenvlechten", 7.0),
    ([7] * 30 + [6, 8] * 5, "aaneenvlechten", 7.0),  # many respondents: the sum stays exact
])
def test_typology_thresholds_from_scores(field_scores, form, mean):
    row = scan.typology(weakest("doelen", field_scores), parties=PARTIES).iloc[0]
    assert row["supported_form"] == form
    assert row["weakest_mean"] == mean
    assert row["weakest_fields"] == "doelen"


def test_topics_are_the_fields_below_the_next_threshold_weakest_first():
    values = {"vertrouwen": 8, "relatie": 7, "communicatie": 5, "informatie_uitwisseling": 4,
              "afstemming": 6, "doelen": 4, "tegenspraak": 9}
    row = scan.typology(scores("r", "a", "gemeente", values), parties=PARTIES).iloc[0]
    assert (row["supported_form"], row["next_form"]) == ("aanpassen", "aaneenvlechten")
    assert row["weakest_fields"] == "informatie_uitwisseling, doelen"
    assert row["topics"] == "informatie_uitwisseling, doelen, communicatie, afstemming"
    topics = scan.discussion_topics(scores("r", "a", "gemeente", values))
    assert topics["target"].tolist() == [7] * 4
    assert topics["mean"].tolist() == [4.0, 4.0, 5.0, 6.0]


def test_topics_for_afstemmen_are_only_the_fields_below_4():
    values = dict.fromkeys(SCAN_FIELDS, 5) | {"afstemming": 2, "doelen": 3}
    row = scan.typology(scores("r", "a", "gemeente", values), parties=PARTIES).iloc[0]
    assert (row["supported_form"], row["next_form"], row["topics"]) == ("afstemmen", "aanpassen", "afstemming, doelen")


def test_aaneenvlechten_leaves_nothing_to_discuss():
    row = scan.typology(scores("r", "a", "gemeente", 7), parties=PARTIES).iloc[0]
    assert row["supported_form"] == "aaneenvlechten"
    assert row["topics"] == ""
    assert pd.isna(row["next_form"])
    assert scan.discussion_topics(scores("r", "a", "gemeente", 7)).empty


# --- statistics ------------------------------------------------------------------------------------

def test_field_stats_per_party_and_pooled_match_numpy():
    table = pd.concat([scores("r", "a", "gemeente", 3), scores("r", "b", "gemeente", 8),
                       scores("r", "c", "corporatie", 6)], ignore_index=True)
    stats = scan.field_stats(table)
    assert len(stats) == 7 * 3
    trust = stats[stats["field"] == "vertrouwen"].set_index("party")
    assert trust.index.tolist() == ["corporatie", "gemeente", "(all)"]
    assert trust.loc["gemeente", "mean"] == 5.5
    assert trust.loc["gemeente", "std"] == round(np.std([3, 8], ddof=1), 2)
    assert trust.loc["(all)", ["respondents", "min", "max"]].tolist() == [3, 3, 8]
    assert trust.loc["(all)", "mean"] == round(np.mean([3, 8, 6]), 2)
    assert trust.loc["(all)", "std"] == round(np.std([3, 8, 6], ddof=1), 2)
    assert math.isnan(trust.loc["corporatie", "std"])  # one respondent: no spread
    assert stats["field"].drop_duplicates().tolist() == list(SCAN_FIELDS)


def test_perception_gap_is_first_party_minus_second():
    table = pd.concat([scores("r", "a", "gemeente", 7), scores("r", "b", "corporatie", 4),
                       scores("s", "c", "corporatie", 5)], ignore_index=True)
    gaps = scan.perception_gaps(table, parties=PARTIES)
    assert gaps.columns.tolist() == ["relationship", "field", "gemeente", "corporatie", "perception_gap"]
    assert gaps.loc[gaps["relationship"] == "r", "perception_gap"].tolist() == [3.0] * 7
    assert gaps.loc[gaps["relationship"] == "s", "perception_gap"].isna().all()  # one party: no gap
    reversed_gaps = scan.perception_gaps(table, parties=PARTIES[::-1])
    assert reversed_gaps.loc[reversed_gaps["relationship"] == "r", "perception_gap"].tolist() == [-3.0] * 7


def test_largest_gap_and_form_gap_in_the_typology():
    table = pd.concat([scores("r", "a", "gemeente", {**dict.fromkeys(SCAN_FIELDS, 6), "doelen": 9}),
                       scores("r", "b", "corporatie", {**dict.fromkeys(SCAN_FIELDS, 5), "communicatie": 8})],
                      ignore_index=True)
    row = scan.typology(table, parties=PARTIES, relationships={"r": {"desired_form": "aaneenvlechten"}}).iloc[0]
    assert (row["largest_gap_field"], row["largest_gap"]) == ("doelen", 4.0)
    assert row["supported_form"] == "aanpassen"
    assert (row["desired_form"], row["form_gap"]) == ("aaneenvlechten", 1)
    shallower = scan.typology(table, parties=PARTIES, relationships={"r": {"desired_form": "afstemmen"}})
    assert shallower.loc[0, "form_gap"] == -1


# --- missing fields and one respondent ------------------------------------------------------------

def test_a_respondent_who_left_a_field_out_is_named_and_the_mean_uses_the_scores_there():
    table = pd.concat([scores("r", "a", "gemeente", 8),
                       scores("r", "b", "corporatie", 8).query("field != 'doelen'"),
                       scores("r", "c", "corporatie", {**dict.fromkeys(SCAN_FIELDS, 8), "doelen": 5})],
                      ignore_index=True)
    row = scan.typology(table, parties=PARTIES).iloc[0]
    assert row["missing"] == "b: doelen"
    assert (row["weakest_fields"], row["weakest_mean"]) == ("doelen", 6.5)  # (8 + 5) / 2, not / 3
    assert row["supported_form"] == "aanpassen"
    stats = scan.field_stats(table)
    assert stats.query("field == 'doelen' and party == '(all)'")["respondents"].item() == 2


def test_a_field_nobody_scored_leaves_the_form_undetermined():
    table = pd.concat([scores("r", "a", "gemeente", 9), scores("r", "b", "corporatie", 9)], ignore_index=True)
    table = table[table["field"] != "tegenspraak"]
    row = scan.typology(table, parties=PARTIES).iloc[0]
    assert pd.isna(row["supported_form"]) and pd.isna(row["weakest_mean"]) and pd.isna(row["topics"])
    assert row["missing"] == "a: tegenspraak; b: tegenspraak; no score: tegenspraak"
    assert scan.discussion_topics(table).empty
    with_desire = scan.typology(table, parties=PARTIES, relationships={"r": {"desired_form": "aanpassen"}})
    assert with_desire.loc[0, "desired_form"] == "aanpassen" and pd.isna(with_desire.loc[0, "form_gap"])


def test_one_respondent():
    one = scores("r", "a", "corporatie", {**dict.fromkeys(SCAN_FIELDS, 6), "relatie": 4})
    row = scan.typology(one, parties=PARTIES).iloc[0]
    assert (row["respondents"], row["supported_form"], row["weakest_fields"]) == (1, "aanpassen", "relatie")
    assert pd.isna(row["largest_gap"]) and row["missing"] == ""
    assert scan.field_stats(one)["std"].isna().all()


def test_an_empty_scan_gives_empty_tables_with_their_columns():
    empty = pd.DataFrame(columns=["relationship", "respondent", "party", "field", "score"])
    assert scan.typology(empty, parties=PARTIES).empty
    assert "supported_form" in scan.typology(empty, parties=PARTIES)
    assert scan.field_stats(empty).columns.tolist()[-4:] == ["mean", "std", "min", "max"]
    assert scan.perception_gaps(empty, parties=PARTIES).empty
    assert scan.discussion_topics(empty).empty


def test_mini_study_weakest_mean_lands_exactly_on_4():
    study = load_study(MINI)
    row = scan.typology(study.scan, parties=list(study.config["parties"])).iloc[0]
    # communicatie (5 + 3) / 2 and doelen (4 + 4) / 2 tie at exactly 4.0
    assert (row["supported_form"], row["weakest_fields"], row["weakest_mean"]) == (
        "aanpassen", "communicatie, doelen", 4.0)


# --- for readers -----------------------------------------------------------------------------------

def test_fields_and_forms_have_labels_and_anchors_in_both_languages():
    assert list(scan.FIELDS) == list(SCAN_FIELDS)
    assert tuple(scan.FORMS) == SCAN_FORMS
    for lang in ("nl", "en"):
        fields = scan.field_table(lang)
        assert len(fields) == 7 and fields.iloc[:, 1].str.startswith("1 ").all()
        assert fields.iloc[:, 1].str.contains("10 |≥7 ").all()  # every scale runs to its top anchor
        assert len(scan.form_table(lang)) == 3
    assert scan.field_table("nl").iloc[6, 0] == "Ruimte voor tegenspraak"
    assert "≈4 regelmatig" in scan.field_table("nl").iloc[2, 1]


def test_readable_names_fields_forms_and_parties():
    table = pd.DataFrame({"relationship": ["r"], "supported_form": ["afstemmen"], "topics": ["doelen, relatie"],
                          "party": ["(all)"], "gemeente": [5.0]})
    shown = scan.readable(table, lang="nl", names={"gemeente": "Gemeente"})
    assert shown.columns.tolist() == ["Relatie", "Ondersteunde vorm", "Gespreksonderwerpen", "Partij", "Gemeente"]
    assert shown.iloc[0].tolist() == ["r", "Afstemmen", "Doelen, Relatie", "(alle partijen)", "5,00"]  # Dutch comma


def test_scan_radar_draws_one_outline_per_party_and_the_thresholds():
    table = pd.concat([scores("r", "a", "gemeente", 7), scores("r", "b", "corporatie", 3),
                       scores("s", "c", "gemeente", 5)], ignore_index=True)
    ax = plots.scan_radar(scan.field_stats(table), relationship="r", lang="en",
                          names={"gemeente": "Municipality", "corporatie": "Housing corporation"})
    assert ax.name == "polar"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Housing corporation", "Municipality"]
    outlines = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert sorted(line.get_ydata()[0] for line in outlines) == [3, 7]
    assert len(outlines[0].get_ydata()) == 8  # seven fields, closed
    assert {line.get_ydata()[0] for line in ax.get_lines() if line.get_linestyle() == "--"} == {4, 7}
    assert ax.get_xticklabels()[0].get_text() == "Trust"
    plt.close(ax.figure)


# --- the scan beside the interviews, with small groups suppressed ----------------------------------

@pytest.fixture
def interview_study():
    interviews = pd.DataFrame({"interview_id": [f"i{i}" for i in range(7)],
                               "organisation": ["G"] * 3 + ["A", "A", "B", "B"],
                               "party": ["gemeente"] * 3 + ["corporatie"] * 4})
    quotes = pd.DataFrame({"quote_id": [f"q{i}" for i in range(7)], "interview_id": interviews["interview_id"]})
    codes = pd.DataFrame({"quote_id": ["q0", "q1", "q2", "q3", "q4", "q5", "q5"],
                          "theme": ["transparency", "transparency", "reliability", "transparency", "transparency",
                                    "reliability", "transparency"],
                          "valence": ["positive", "negative", "negative", "negative", "negative", "positive",
                                      "neutral"]})
    table = pd.concat([scores("g-a", "x", "gemeente", 6), scores("g-a", "y", "corporatie", 4),
                       scores("g-b", "z", "corporatie", 5)], ignore_index=True)
    relationships = {"g-a": {"organisation": "A"}, "g-b": {"organisation": "B"}}
    return table, codes, quotes, interviews, relationships


def test_interview_groups_mark_small_groups_as_not_reported(interview_study):
    *_, interviews, relationships = interview_study
    groups = scan.interview_groups(interviews, relationships=relationships, min_group_size=3)
    assert groups[["group", "interviews", "reported"]].values.tolist() == [  # a small group's size: fewer than 3
        ["corporatie", "4", True], ["gemeente", "3", True], ["g-a", "<3", False], ["g-b", "<3", False]]
    assert groups.set_index("group").loc["g-a", "party"] == "corporatie"
    shown = scan.readable(groups, lang="nl", names={"corporatie": "Corporatie"})
    assert shown["Gerapporteerd"].tolist() == ["ja", "ja", "nee", "nee"]
    assert shown["Niveau"].tolist()[-1] == "Relatie" and shown["Organisatie"].tolist()[0] == ""


def test_scan_and_themes_shows_only_groups_large_enough(interview_study):
    table, codes, quotes, interviews, relationships = interview_study
    result = scan.scan_and_themes(table, codes, quotes, interviews, min_group_size=3, relationships=relationships)
    assert set(result["group"]) == {"corporatie", "gemeente"}  # the organisations A and B have 2 interviews each
    row = result.set_index(["group", "theme"]).loc[("corporatie", "transparency")]
    assert (row["quotes"], row["positive"], row["negative"], row["neutral"]) == (3, 0, 2, 1)
    assert row["positive_share"] == 0.0
    assert (row["scan_scores"], row["scan_mean"]) == (4, 4.5)  # corporatie: 4, 4 (g-a) and 5, 5 (g-b)
    gemeente = result.set_index(["group", "theme"]).loc[("gemeente", "reliability")]
    assert (gemeente["quotes"], gemeente["negative"], gemeente["scan_mean"]) == (1, 1, 6.0)
    smaller = scan.scan_and_themes(table, codes, quotes, interviews, min_group_size=2, relationships=relationships)
    a = smaller.set_index(["group", "theme"]).loc[("g-a", "transparency")]
    assert (a["quotes"], a["scan_mean"]) == (2, 4.0)  # only relationship g-a, only the corporation's respondent


def test_theme_fields_map_default_codebook_themes_to_scan_fields():
    from coopresearch.codebook import default_codebook

    assert set(scan.THEME_FIELDS) == set(default_codebook().theme_ids)
    assert all(set(fields) <= set(SCAN_FIELDS) for fields in scan.THEME_FIELDS.values())


# --- study.yml relationships and bad scores, through load_study and the CLI ----------------------

def test_relationship_settings_are_loaded(mini_copy):
    # the mini study's scan has one respondent per party: shown only when they answered for their organisation
    add_to_config(mini_copy, "scan_answered_for: organisation\n"
                  "relationships:\n  gemeente-test: {desired_form: aanpassen, organisation: Corporatie Test}\n")
    study = load_study(mini_copy)
    row = derive(study)["scan_typology"].iloc[0]
    assert (row["desired_form"], row["form_gap"]) == ("aanpassen", 0)


@pytest.mark.parametrize(("settings", "expected"), [
    ("  gemeente-test: {desired_form: verweven}\n",
     "study.yml:12: relationships.gemeente-test.desired_form: 'verweven' is not a form of collaboration — "
     "use one of: afstemmen, aanpassen, aaneenvlechten"),
    ("  gemeente-test: {wens: aanpassen}\n",
     "study.yml:12: relationships.gemeente-test.wens: 'wens' is not a setting of a relationship"),
    ("  gemeente-elders: {desired_form: aanpassen}\n",
     "study.yml:12: relationships: 'gemeente-elders' is not a relationship in scan.csv — "
     "use a relationship id from data/raw/scan.csv, or remove it from study.yml"),
    ("  gemeente-test:\n    organisation: Corporatie Elders\n",
     "study.yml:13: relationships.gemeente-test.organisation: 'Corporatie Elders' is not an organisation "
     "in interviews.csv"),
    ("  - gemeente-test\n", "study.yml:11: relationships: relationships must map each relationship id"),
])
def test_bad_relationship_settings_are_reported_with_their_line(mini_copy, settings, expected, capsys):
    add_to_config(mini_copy, "relationships:\n" + settings)
    with pytest.raises(DataError) as error:
        load_study(mini_copy)
    assert len(error.value.problems) == 1
    assert str(error.value.problems[0]).startswith(expected)
    assert cli.main(["validate", str(mini_copy)]) == 1
    assert expected in capsys.readouterr().err


def test_an_unreadable_scan_is_not_reported_again_as_unknown_relationships(mini_copy):
    add_to_config(mini_copy, "relationships:\n  gemeente-test: {desired_form: aanpassen}\n")
    (mini_copy / "data" / "raw" / "scan.csv").unlink()
    with pytest.raises(DataError) as error:
        load_study(mini_copy)
    assert [p.message for p in error.value.problems] == ["file is missing"]


@pytest.mark.parametrize("score", ["0", "11", "7.5", "-3", "hoog"])
def test_out_of_range_scores_are_a_validation_error_not_a_result(mini_copy, score, capsys):
    set_scan_line(mini_copy, 5, score)
    with pytest.raises(DataError, match=f"data/raw/scan.csv:5: score: '{score}' is not a score from 1 to 10"):
        load_study(mini_copy)
    assert cli.main(["validate", str(mini_copy)]) == 1
    err = capsys.readouterr().err
    assert f"data/raw/scan.csv:5: score: '{score}' is not a score from 1 to 10 — enter a whole number" in err
    assert "Traceback" not in err


def test_edge_scores_1_and_10_are_valid(mini_copy):
    set_scan_line(mini_copy, 2, "1")
    set_scan_line(mini_copy, 3, "10")
    assert load_study(mini_copy).scan["score"].agg(["min", "max"]).tolist() == [1, 10]


# --- derived tables and the report -----------------------------------------------------------------

def test_derived_scan_tables_are_registered_and_deterministic():
    study = load_study(MINI)
    first = derive(study)
    again = derive(study)
    for name in ("scan_fields", "scan_typology"):
        assert first[name].to_csv(index=False) == again[name].to_csv(index=False)
    assert first["scan_typology"]["relationship"].tolist() == ["gemeente-test"]
    assert len(first["scan_fields"]) == 7 * 3


@pytest.mark.slow
def test_example_study_scan_report_shows_the_three_relationships(example_reported_en):
    study = example_reported_en
    typology = pd.read_csv(study / "data" / "processed" / "scan_typology.csv")
    assert typology["relationship"].tolist() == ["gemeente-domesta", "gemeente-lefier", "gemeente-woonservice"]
    assert set(typology["supported_form"].dropna()) <= set(SCAN_FORMS)  # empty: not reported (too few respondents)
    page = (study / "reports" / "04_collaboration_scan.html").read_text(encoding="utf-8")
    for relationship in typology["relationship"]:
        assert relationship in page
    assert page.count("data:image/png") >= 3  # one radar per relationship
    executed = nbformat.read(study / "reports" / "04_collaboration_scan.ipynb", as_version=4)
    [comparison] = [c for c in executed.cells if c.cell_type == "code" and "scan_and_themes" in c.source]
    shown = comparison.outputs[0]["data"]["text/html"]
    assert "Housing corporation" in shown and "Municipality" in shown
    for small_group in ("Lefier", "Domesta", "Woonservice", "gemeente-"):  # 1–2 interviews each: suppressed
        assert small_group not in shown
