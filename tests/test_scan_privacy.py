"""Privacy in the collaboration scan: no statistic for a group of fewer respondents than min_group_size,
no pooled figure that gives such a group away by subtraction, sizes as "fewer than N", the
`scan_answered_for: organisation` exception, and quotes attributed without a small group's pseudonym."""

from __future__ import annotations

from io import StringIO

import nbformat
import pandas as pd
import pytest

from coopresearch import cli, plots, scan, thematic
from coopresearch.derive import derive
from coopresearch.errors import DataError
from coopresearch.schemas import SCAN_FIELDS
from coopresearch.study import STUDY_TEMPLATE, load_study

from .conftest import ROOT, copy_study

PARTIES = ["gemeente", "corporatie"]
SCAN_PRODUCTS = ("scan_fields", "scan_typology", "scan_perception_gaps", "scan_discussion_topics", "scan_and_themes")
# the example study's one Woonservice respondent (data/raw/scan.csv): seven scores nobody may see
WOONSERVICE = "gemeente-woonservice"
WOONSERVICE_SCORES = {"vertrouwen": 5, "relatie": 5, "communicatie": 3, "informatie_uitwisseling": 2,
                      "afstemming": 3, "doelen": 3, "tegenspraak": 4}


def scores(relationship: str, respondent: str, party: str, value) -> pd.DataFrame:
    values = value if isinstance(value, dict) else dict.fromkeys(SCAN_FIELDS, value)
    return pd.DataFrame({"relationship": relationship, "respondent": respondent, "party": party,
                         "field": list(values), "score": list(values.values())})


def one_and_five() -> pd.DataFrame:
    """Relationship r: one corporation respondent (score 2) and five municipal ones (6, 7, 8, 6, 7)."""
    return pd.concat([scores("r", "c1", "corporatie", 2),
                      *[scores("r", f"g{i}", "gemeente", s) for i, s in enumerate([6, 7, 8, 6, 7])]], ignore_index=True)


# --- the statistics ---------------------------------------------------------------------------------

def test_a_party_below_the_minimum_gets_no_statistic_and_fewer_than_n():
    stats = scan.field_stats(one_and_five(), min_respondents=3).set_index(["field", "party"])
    small = stats.loc[("doelen", "corporatie")]
    assert not small["reported"] and small["respondents"] == "<3"
    assert small[["mean", "std", "min", "max"]].isna().all()
    big = stats.loc[("doelen", "gemeente")]
    assert big["reported"] and big["respondents"] == "5" and big["mean"] == 6.8 and big["max"] == 8


def test_the_pooled_row_cannot_give_a_suppressed_party_away_by_subtraction():
    stats = scan.field_stats(one_and_five(), min_respondents=3)
    pooled = stats[stats["party"] == scan.ALL_PARTIES]
    assert not pooled["reported"].any()
    assert pooled[["mean", "std", "min", "max"]].isna().all().all()
    assert (pooled["respondents"] == "").all()  # 6 minus the 5 shown would say: one corporation respondent
    # what a reader can compute from everything shown does not contain the corporation's score
    shown = stats[stats["reported"]]
    assert set(shown["party"]) == {"gemeente"}
    without = scan.field_stats(one_and_five().query("party == 'gemeente'"), min_respondents=3)
    numbers = ["relationship", "field", "party", "mean", "std", "min", "max"]
    pd.testing.assert_frame_equal(shown[numbers].reset_index(drop=True),
                                  without.loc[without["party"] != scan.ALL_PARTIES, numbers].reset_index(drop=True))
    # without the rule: six times the pooled mean minus five times the municipality's is the corporation's score
    unsafe = scan.field_stats(one_and_five()).query("field == 'doelen'").set_index("party")
    assert round(6 * unsafe.loc[scan.ALL_PARTIES, "mean"] - 5 * unsafe.loc["gemeente", "mean"], 6) == 2


def test_a_pooled_row_is_shown_when_its_suppressed_parts_are_together_large_enough():
    table = pd.concat([scores("r", "a1", "a", 2), scores("r", "b1", "b", 4), scores("r", "b2", "b", 5),
                       *[scores("r", f"g{i}", "gemeente", 7) for i in range(3)]], ignore_index=True)
    stats = scan.field_stats(table, min_respondents=3).query("field == 'doelen'").set_index("party")
    assert stats["reported"].to_dict() == {"a": False, "b": False, "gemeente": True, scan.ALL_PARTIES: True}
    # subtraction gives only a and b together: three respondents, as many as the minimum
    assert stats.loc[scan.ALL_PARTIES, ["respondents", "mean"]].tolist() == ["6", round((2 + 4 + 5 + 21) / 6, 2)]


def test_a_field_left_out_counts_only_the_respondents_who_scored_it():
    table = pd.concat([scores("r", f"g{i}", "gemeente", 6) for i in range(3)], ignore_index=True)
    table = table[~((table["respondent"] == "g0") & (table["field"] == "doelen"))]
    stats = scan.field_stats(table, min_respondents=3).set_index(["field", "party"])
    assert stats.loc[("vertrouwen", "gemeente"), "reported"]
    assert not stats.loc[("doelen", "gemeente"), "reported"] and stats.loc[("doelen", "gemeente"), "respondents"] == "<3"


def test_gaps_typology_and_topics_of_a_small_group_are_suppressed():
    table = one_and_five()
    gaps = scan.perception_gaps(table, parties=PARTIES, min_respondents=3)
    assert gaps["corporatie"].isna().all() and gaps["perception_gap"].isna().all()
    assert (gaps["gemeente"] == 6.8).all()
    row = scan.typology(table, parties=PARTIES, relationships={"r": {"desired_form": "aaneenvlechten"}},
                        min_respondents=3).iloc[0]
    assert not row["reported"] and row["respondents"] == ""
    for column in ("supported_form", "weakest_fields", "weakest_mean", "next_form", "topics", "form_gap",
                   "largest_gap_field", "largest_gap"):
        assert pd.isna(row[column]), column
    assert row["desired_form"] == "aaneenvlechten"  # a setting of the study, not a score
    assert scan.discussion_topics(table, min_respondents=3).empty
    # without the rule the pooled means (6.0) decide the form, and the gaps give the corporation's 2 back
    assert scan.typology(table, parties=PARTIES).loc[0, "supported_form"] == "aanpassen"
    assert (scan.perception_gaps(table, parties=PARTIES)["corporatie"] == 2).all()


def test_a_small_group_is_named_by_its_party_in_the_missing_scores():
    table = one_and_five()
    table = table[~((table["respondent"].isin(["c1", "g1"])) & (table["field"] == "doelen"))]
    assert scan.typology(table, parties=PARTIES, min_respondents=3).loc[0, "missing"] == "corporatie: doelen; g1: doelen"
    assert scan.typology(table, parties=PARTIES).loc[0, "missing"] == "c1: doelen; g1: doelen"


def test_a_relationship_with_every_group_large_enough_is_reported_whole():
    table = pd.concat([*[scores("r", f"c{i}", "corporatie", 5) for i in range(3)],
                       *[scores("r", f"g{i}", "gemeente", 8) for i in range(3)]], ignore_index=True)
    assert scan.field_stats(table, min_respondents=3)["reported"].all()
    row = scan.typology(table, parties=PARTIES, min_respondents=3).iloc[0]
    assert (row["reported"], row["respondents"], row["supported_form"]) == (True, 6, "aanpassen")
    assert (scan.perception_gaps(table, parties=PARTIES, min_respondents=3)["perception_gap"] == 3.0).all()


def test_scan_and_themes_suppresses_a_party_mean_whose_small_part_the_shown_parts_give_away():
    # corporatie: three respondents in g-a (shown in field_stats) and one in g-b (suppressed)
    table = pd.concat([*[scores("g-a", f"a{i}", "corporatie", 6) for i in range(3)],
                       scores("g-b", "b0", "corporatie", 2)], ignore_index=True)
    interviews = pd.DataFrame({"interview_id": ["i1", "i2", "i3"], "organisation": "A", "party": "corporatie"})
    quotes = pd.DataFrame({"quote_id": ["q1"], "interview_id": ["i1"]})
    codes = pd.DataFrame({"quote_id": ["q1"], "theme": ["reliability"], "valence": ["positive"]})
    fields = {"reliability": ["vertrouwen"]}
    kept = scan.scan_and_themes(table, codes, quotes, interviews, min_group_size=3, theme_fields=fields,
                                min_respondents=3).iloc[0]
    assert pd.isna(kept["scan_mean"]) and pd.isna(kept["scan_scores"])
    assert kept["quotes"] == 1  # the interviews are a group of three: their appreciation is shown
    shown = scan.scan_and_themes(table, codes, quotes, interviews, min_group_size=3, theme_fields=fields).iloc[0]
    assert (shown["scan_scores"], shown["scan_mean"]) == (4, 5.0)


# --- for readers ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "words"), [("nl", "minder dan 3"), ("en", "fewer than 3")])
def test_the_size_of_a_suppressed_group_reads_fewer_than_n(lang, words):
    stats = scan.field_stats(one_and_five(), min_respondents=3)
    shown = scan.readable(stats, lang=lang)
    sizes = shown.iloc[:, 3].tolist()
    assert words in sizes and "5" in sizes and "1" not in sizes and "6" not in sizes


def test_a_suppressed_party_gets_no_radar_outline():
    stats = scan.field_stats(one_and_five(), min_respondents=3)
    ax = plots.scan_radar(scan.radar_rows(stats), relationship="r", lang="en")
    outlines = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(outlines) == 1 and outlines[0].get_ydata()[0] == 6.8
    plots.plt.close(ax.figure)


def test_quotes_of_a_small_organisation_carry_no_pseudonym():
    interviews = pd.DataFrame({"interview_id": [f"i{n}" for n in range(1, 8)],
                               "pseudonym": [f"Respondent {n}" for n in range(1, 8)],
                               "organisation": ["G"] * 3 + ["A"] * 3 + ["B"], "party": ["g"] * 3 + ["c"] * 4})
    quotes = pd.DataFrame({"quote_id": ["q1", "q4", "q7"], "interview_id": ["i1", "i4", "i7"], "text": ["x", "y", "z"]})
    codes = pd.DataFrame({"quote_id": ["q1", "q4", "q7"], "theme": ["mandate", "ownership", "reliability"],
                          "valence": "negative"})
    chosen = thematic.select_quotes(codes, quotes, interviews, min_group_size=3, party_labels={"c": "Corporation"})
    attribution = chosen.set_index("quote_id")["attribution"].to_dict()
    # organisation A has three interviews: pseudonym and party; organisation B one: the party only
    assert attribution == {"q1": "Respondent 1, g", "q4": "Respondent 4, Corporation", "q7": "Corporation"}


# --- the example study: the single Woonservice respondent -----------------------------------------

@pytest.fixture(scope="module")
def example_products(tmp_path_factory):
    study = copy_study(ROOT, tmp_path_factory.mktemp("scan-privacy") / "emmen")
    return derive(load_study(study))


@pytest.fixture(scope="module")
def organisation_products(tmp_path_factory):
    study = copy_study(ROOT, tmp_path_factory.mktemp("scan-organisation") / "emmen")
    config = study / "study.yml"
    config.write_text(config.read_text(encoding="utf-8") + "scan_answered_for: organisation\n", encoding="utf-8")
    return derive(load_study(study))


def woonservice_values(products) -> list[float]:
    """Every scan number shown for the Woonservice relationship's corporation side or its pooled rows."""
    fields = products["scan_fields"].query("relationship == @WOONSERVICE and party != 'gemeente'")
    gaps = products["scan_perception_gaps"].query("relationship == @WOONSERVICE")
    typology = products["scan_typology"].query("relationship == @WOONSERVICE")
    topics = products["scan_discussion_topics"].query("relationship == @WOONSERVICE")
    values = [*fields[["mean", "std", "min", "max"]].stack().tolist(), *gaps[["corporatie", "perception_gap"]].stack(),
              *typology[["weakest_mean", "largest_gap"]].stack(), *topics["mean"]]
    return [float(v) for v in values if pd.notna(v)]


def test_the_example_woonservice_respondent_has_no_score_in_any_scan_product(example_products):
    assert woonservice_values(example_products) == []
    typology = example_products["scan_typology"].set_index("relationship")
    assert not typology.loc[WOONSERVICE, "reported"] and pd.isna(typology.loc[WOONSERVICE, "supported_form"])
    assert WOONSERVICE not in set(example_products["scan_and_themes"]["group"])
    fields = example_products["scan_fields"].query("relationship == @WOONSERVICE")
    assert set(fields.loc[fields["party"] == "corporatie", "respondents"]) == {"<3"}
    assert fields.loc[fields["party"] == "gemeente", "reported"].all()  # three municipal respondents: shown
    groups = example_products["scan_interview_groups"].set_index("group")
    assert groups.loc[WOONSERVICE, "interviews"] == "<3"
    for lang in ("nl", "en"):  # the quotes of its one interview carry no pseudonym
        assert not example_products[f"selected_quotes_{lang}"]["attribution"].str.contains("Respondent 20").any()
        assert "min_group_size" in example_products[f"scan_privacy_reading_{lang}"]


def test_answered_for_the_organisation_shows_every_organisation_with_the_reason(organisation_products):
    assert organisation_products["study"]["scan_answered_for"] == "organisation"
    fields = organisation_products["scan_fields"].query("relationship == @WOONSERVICE and party == 'corporatie'")
    assert fields.set_index("field")["mean"].to_dict() == WOONSERVICE_SCORES
    assert fields["reported"].all() and (fields["respondents"] == 1).all()
    typology = organisation_products["scan_typology"].set_index("relationship")
    assert typology.loc[WOONSERVICE, "supported_form"] == "afstemmen"  # informatie_uitwisseling: (2 + 4 + 4 + 5) / 4
    assert "scan_answered_for: organisation" in organisation_products["scan_privacy_reading_en"]
    assert "namens de eigen organisatie" in organisation_products["scan_privacy_reading_nl"]
    # the interviews stay personal: small organisations are still not reported beside the scan
    assert WOONSERVICE not in set(organisation_products["scan_and_themes"]["group"])


def test_scan_answered_for_is_validated_with_its_line(tmp_path, capsys):
    study = copy_study(ROOT / "tests" / "data" / "mini", tmp_path / "mini")
    config = study / "study.yml"
    config.write_text(config.read_text(encoding="utf-8") + "scan_answered_for: corporation\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_study(study)
    [problem] = error.value.problems
    assert str(problem).startswith("study.yml:11: scan_answered_for: 'corporation' is not whom the scan respondents "
                                   "answered for — write 'scan_answered_for: self'")
    assert cli.main(["validate", str(study)]) == 1
    assert "scan_answered_for: organisation" in capsys.readouterr().err


def test_the_study_template_mentions_scan_answered_for():
    assert "# scan_answered_for: organisation" in STUDY_TEMPLATE
    assert "scan_answered_for" in (ROOT / "src/coopresearch/templates/study_README.md").read_text(encoding="utf-8")
    assert "scan_answered_for" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- the rendered report -----------------------------------------------------------------------------

def shown_tables(executed) -> list[pd.DataFrame]:
    tables = []
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            if "text/html" in output.get("data", {}) and "<table" in output["data"]["text/html"]:
                tables += pd.read_html(StringIO(output["data"]["text/html"]), flavor="lxml")
    return tables


@pytest.mark.slow
def test_the_rendered_scan_page_shows_no_woonservice_score(example_reported):
    executed = nbformat.read(example_reported / "reports" / "04_collaboration_scan.ipynb", as_version=4)
    page = (example_reported / "reports" / "04_collaboration_scan.html").read_text(encoding="utf-8")
    assert "minder dan 3" in page and "Privacy." in page and "namens de eigen organisatie" not in page
    found = 0
    for table in shown_tables(executed):
        columns = [str(c) for c in table.columns]
        if "Relatie" not in columns and "Groep" not in columns:
            continue
        key = "Relatie" if "Relatie" in columns else "Groep"
        rows = table[table[key].astype(str) == WOONSERVICE]
        if "Partij" in columns:
            rows = rows[rows["Partij"] != "Gemeente"]
        numbers = [c for c in columns if c in ("Gemiddelde", "Standaardafwijking", "Laagste", "Hoogste", "Corporatie",
                                               "Verschil", "Score zwakste veld", "Grootste verschil", "Gemiddelde scan")]
        found += len(rows)
        assert rows[numbers].isna().all().all(), f"a Woonservice score is shown: {rows[numbers]}"
        if "Respondenten" in columns:
            assert not rows["Respondenten"].isin([1, "1"]).any()
    assert found >= 7  # the corporation rows and pooled rows of the field statistics at least
    assert "Respondent 20" not in page
