"""Inter-coder reliability: published worked examples, data shaping, edge cases, report text."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from coopresearch import load_study, plots
from coopresearch.derive import derive
from coopresearch.errors import CoopResearchError
from coopresearch.reliability import (
    ALL_THEMES,
    add_machine_codes,
    agreement_matrix,
    alpha_interval,
    cohen_kappa,
    consensus_codes,
    consensus_rule,
    disagreements,
    krippendorff_alpha,
    pairwise_table,
    reading,
    reliability_table,
    report_table,
    units,
    verdict,
)

from .conftest import DATA

MINI = DATA / "mini"
NAN = np.nan


def codings_from(values: dict[str, list], theme: str = "t") -> pd.DataFrame:
    """Codings for one theme from 1/0/NaN per coder per quote: 1 applies the theme, 0 reviews without it."""
    rows = []
    for coder, column in values.items():
        for i, value in enumerate(column):
            if not pd.isna(value):
                rows.append((f"q{i + 1:02d}", coder, theme if value == 1 else NAN))
    return pd.DataFrame(rows, columns=["quote_id", "coder", "theme"])


# --- published worked examples --------------------------------------------------------------------

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. University of Pennsylvania,
# Annenberg School for Communication, https://repository.upenn.edu/asc_papers/43
BINARY = {"A": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],  # section A: binary data, two observers, no missing data
          "B": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}
FOUR_OBSERVERS = pd.DataFrame({  # sections C-F: four observers, 12 units, missing data (NaN)
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    "C": [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
})


def test_alpha_binary_two_observers_krippendorff_2011_section_a():
    """Krippendorff (2011), section A: 2 observers x 10 units of binary data, alpha = 0.095."""
    assert round(krippendorff_alpha(pd.DataFrame(BINARY)), 3) == 0.095


def test_alpha_from_codings_reproduces_section_a():
    """The same example entered as codings (1 = theme applied, 0 = reviewed, no theme) gives 0.095 too."""
    table = reliability_table(codings_from(BINARY), ["t"], n_boot=50)
    assert round(table.loc[0, "alpha"], 3) == 0.095
    assert table.loc[0, "n"] == 10


def test_alpha_nominal_two_observers_krippendorff_2011_section_b():
    """Krippendorff (2011), section B: nominal data, 2 observers (Ben, Gerry) x 12 units, alpha = 0.692."""
    data = pd.DataFrame({"Ben": list("aabbdcccedda"), "Gerry": list("babbbccceddd")})
    assert round(krippendorff_alpha(data), 3) == 0.692


@pytest.mark.parametrize(("level", "expected"),
                         [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_alpha_four_observers_missing_data_krippendorff_2011(level, expected):
    """Krippendorff (2011), sections C-F: 4 observers x 12 units with missing values.

    The same data and the ordinal (0.815), ratio (0.797) and nominal (0.743) values are in the
    tests and docstring of the ``krippendorff`` package (pln-fing-udelar/fast-krippendorff,
    tests/test_krippendorff.py); interval 0.849 is the paper's.
    """
    assert round(krippendorff_alpha(FOUR_OBSERVERS, level=level), 3) == expected


def test_alpha_nominal_takes_any_labels():
    letters = FOUR_OBSERVERS.apply(lambda column: column.map(lambda v: NAN if pd.isna(v) else "abcde"[int(v) - 1]))
    assert round(krippendorff_alpha(letters), 3) == 0.743


def test_kappa_wikipedia_two_by_two():
    """Wikipedia, "Cohen's kappa", simple example: 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15.

    p_o = 0.7, p_e = 0.5, kappa = 0.4 (Cohen 1960's formula).
    """
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert round(cohen_kappa(a, b), 3) == 0.4


def test_kappa_artstein_poesio_2008():
    """Artstein & Poesio (2008), Computational Linguistics 34(4), table 1 ([[20, 20], [10, 50]]): kappa = 0.348.

    The same values are in scikit-learn's own test (sklearn/metrics/tests/test_classification.py::test_cohen_kappa).
    """
    a = [0] * 40 + [1] * 60
    b = [0] * 20 + [1] * 20 + [0] * 10 + [1] * 50
    assert round(cohen_kappa(a, b), 3) == 0.348
    assert cohen_kappa(a, b) == cohen_kappa(b, a)


# --- the direct API: edge cases -------------------------------------------------------------------


def test_alpha_perfect_agreement_is_one():
    assert krippendorff_alpha(pd.DataFrame({"a": [1, 0, 1, 0], "b": [1, 0, 1, 0], "c": [1, 0, NAN, 0]})) == 1.0


def test_alpha_one_coder_only_is_undefined():
    with pytest.raises(CoopResearchError, match=r"undefined: it needs two or more coders; got 1 \(a\)"):
        krippendorff_alpha(pd.DataFrame({"a": [1, 0, 1]}))


def test_alpha_no_variation_is_undefined():
    with pytest.raises(CoopResearchError, match="no variation"):
        krippendorff_alpha(pd.DataFrame({"a": [0, 0, 0], "b": [0, 0, 0]}))


def test_alpha_no_pairable_unit_is_undefined():
    with pytest.raises(CoopResearchError, match="no unit was coded by two or more coders"):
        krippendorff_alpha(pd.DataFrame({"a": [1, NAN], "b": [NAN, 0]}))


def test_alpha_drops_units_coded_by_one_coder():
    data = pd.DataFrame(BINARY)
    extra = pd.concat([data, pd.DataFrame({"A": [1, NAN], "B": [NAN, 0]})], ignore_index=True)
    assert krippendorff_alpha(extra) == pytest.approx(krippendorff_alpha(data))


def test_alpha_checks_its_arguments():
    with pytest.raises(CoopResearchError, match=r"'level' parameter of krippendorff_alpha must be one of .*Got 'nominals'"):
        krippendorff_alpha(pd.DataFrame(BINARY), level="nominals")
    with pytest.raises(CoopResearchError, match="interval alpha needs numbers"):
        krippendorff_alpha(pd.DataFrame({"a": ["x", "y"], "b": ["x", "x"]}), level="interval")
    with pytest.raises(CoopResearchError, match="needs a DataFrame"):
        krippendorff_alpha([[1, 0], [1, 1]])


def test_kappa_edge_cases():
    assert cohen_kappa(["x", "y"], ["x", "y"]) == 1.0
    with pytest.raises(CoopResearchError, match="equally long"):
        cohen_kappa([1, 0], [1])
    with pytest.raises(CoopResearchError, match="at least one unit"):
        cohen_kappa([], [])
    with pytest.raises(CoopResearchError, match="drop the units"):
        cohen_kappa([1, NAN], [1, 0])
    with pytest.raises(CoopResearchError, match=r"label 1 \(no variation"):
        cohen_kappa([1, 1], [1, 1])


# --- bootstrap interval ---------------------------------------------------------------------------


def test_interval_is_seeded_and_brackets_alpha():
    data = pd.DataFrame({"a": [1, 1, 0, 0, 1, 0, 1, 0] * 6, "b": [1, 0, 0, 0, 1, 0, 1, 1] * 6})
    first = alpha_interval(data, n_boot=300, seed=7)
    assert first == alpha_interval(data, n_boot=300, seed=7)
    assert first != alpha_interval(data, n_boot=300, seed=8)
    low, high = first
    assert low < krippendorff_alpha(data) < high
    narrower = alpha_interval(data, n_boot=300, seed=7, confidence=0.5)
    assert low < narrower[0] < narrower[1] < high


def test_interval_cluster_bootstrap_resamples_whole_groups():
    table = units(codings_from(BINARY), ["t", "u"])
    # Every resample keeps the two units of a quote together, so it still has 2 x (number of quotes) units.
    low, high = alpha_interval(table, n_boot=200, by="quote_id")
    assert low < krippendorff_alpha(table) < high


def test_interval_edge_cases():
    assert alpha_interval(pd.DataFrame({"a": [1, 0, 1], "b": [1, 0, 1]}), n_boot=50) == (1.0, 1.0)
    assert all(np.isnan(alpha_interval(pd.DataFrame({"a": [0, 0], "b": [0, 0]}), n_boot=50)))
    with pytest.raises(CoopResearchError, match=r"'confidence' parameter .* range \(0, 1\)\. Got 1.5"):
        alpha_interval(pd.DataFrame(BINARY), confidence=1.5)
    with pytest.raises(CoopResearchError, match="'n_boot'"):
        alpha_interval(pd.DataFrame(BINARY), n_boot=0)


# --- units: shaping the coding -------------------------------------------------------------------


def test_units_presence_absence_and_missing():
    codings = pd.DataFrame({
        "quote_id": ["q1", "q1", "q1", "q2", "q3", "q3", "q3"],
        "coder": ["a", "a", "b", "a", "b", "b", "consensus"],
        "theme": ["trust", "trust", NAN, "mandate", "trust", "mandate", "trust"],
    })
    table = units(codings, ["trust", "mandate"])
    assert table.columns.tolist() == ["a", "b"]  # consensus reconciles, it is not a coder
    assert table.index.tolist() == [(q, t) for q in ("q1", "q2", "q3") for t in ("trust", "mandate")]
    assert np.array_equal(table["a"].to_numpy(), [1, 0, 0, 1, NAN, NAN], equal_nan=True)
    assert np.array_equal(table["b"].to_numpy(), [0, 0, NAN, NAN, 1, 1], equal_nan=True)


def test_units_choose_coders_and_check_input():
    codings = codings_from(BINARY)
    assert units(codings, ["t"], coders=["B", "A"]).columns.tolist() == ["B", "A"]
    with pytest.raises(CoopResearchError, match=r"'Z' have no codings; the codings have 'A', 'B'"):
        units(codings, ["t"], coders=["A", "Z"])
    with pytest.raises(CoopResearchError, match=r"theme\(s\) 't' that are not among the themes 'x'"):
        units(codings, ["x"])
    with pytest.raises(CoopResearchError, match=r"lack the column\(s\) theme"):
        units(codings.drop(columns="theme"), ["t"])


def test_machine_coder_is_one_more_coder():
    human = codings_from(BINARY)
    machine = pd.DataFrame({"quote_id": ["q02", "q09"], "theme": ["t", "t"], "coder": ["dictionary"] * 2,
                            "score": [0.9, 0.8], "evidence": ["x", "y"]})
    combined = add_machine_codes(human, machine, sorted(human["quote_id"].unique()))
    table = units(combined, ["t"])
    assert table.columns.tolist() == ["A", "B", "dictionary"]
    assert table["dictionary"].tolist() == [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]  # reviewed everything, agrees with A
    result = reliability_table(combined, ["t"], n_boot=20)
    assert [c for c in result.columns if c.startswith("kappa_")] == [
        "kappa_A_vs_B", "kappa_A_vs_dictionary", "kappa_B_vs_dictionary"]
    assert result.loc[0, "kappa_A_vs_dictionary"] == 1.0
    assert result.loc[0, "coders"] == 3


# --- tables ---------------------------------------------------------------------------------------


def test_reliability_table_of_the_mini_study():
    study = load_study(MINI)
    table = reliability_table(study.codings, study.codebook.theme_ids, n_boot=200)
    assert table["theme"].tolist() == [*study.codebook.theme_ids, ALL_THEMES]
    assert table.columns.tolist() == ["theme", "alpha", "alpha_low", "alpha_high", "verdict", "agreement", "n",
                                      "coders", "note", "kappa_a_vs_b"]
    mini = table.set_index("theme")
    # Six quotes, both coders reviewed all; they disagree on Q4 (ownership vs mandate) and Q5 (transparency).
    assert mini["n"].tolist() == [6, 6, 6, 6, 24]
    assert mini.loc["transparency", "agreement"] == pytest.approx(5 / 6)
    assert mini.loc["reliability", "alpha"] == 1.0
    assert mini.loc[ALL_THEMES, "agreement"] == pytest.approx(21 / 24)
    # transparency: a = 1 0 0 0 0 0, b = 1 0 0 0 1 0 -> 12 values, 3 ones; D_o = 2/12, D_e = 2*3*9/(12*11)
    assert mini.loc["transparency", "alpha"] == pytest.approx(1 - (2 / 12) / (54 / 132), abs=1e-6)
    assert table.equals(reliability_table(study.codings, study.codebook.theme_ids, n_boot=200))
    # the pooled interval resamples whole quotes (their four theme units together)
    pooled = alpha_interval(units(study.codings, study.codebook.theme_ids), n_boot=200, by="quote_id")
    assert tuple(mini.loc[ALL_THEMES, ["alpha_low", "alpha_high"]]) == pytest.approx(pooled, abs=1e-6)


def test_reliability_table_edge_cases():
    nobody = reliability_table(codings_from({"a": [1, 0, 1], "b": [1, 0, 0]}), ["t", "unused"], n_boot=20)
    unused = nobody.set_index("theme").loc["unused"]
    assert np.isnan(unused["alpha"]) and unused["note"] == "no variation" and unused["verdict"] == "undefined"
    assert unused["agreement"] == 1.0 and np.isnan(unused["kappa_a_vs_b"])

    perfect = reliability_table(codings_from({"a": [1, 0, 1], "b": [1, 0, 1]}), ["t"], n_boot=20)
    assert perfect.loc[0, ["alpha", "alpha_low", "alpha_high", "kappa_a_vs_b"]].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert perfect.loc[0, "verdict"] == "reliable"

    alone = reliability_table(codings_from({"a": [1, 0, 1]}), ["t"], n_boot=20)
    assert alone["note"].tolist() == ["fewer than two coders"] * 2 and alone["alpha"].isna().all()
    assert not any(c.startswith("kappa_") for c in alone.columns)

    apart = reliability_table(codings_from({"a": [1, 0, NAN, NAN], "b": [NAN, NAN, 1, 0]}), ["t"], n_boot=20)
    assert apart["note"].tolist() == ["no unit coded by two coders"] * 2 and apart["n"].tolist() == [0, 0]


def test_pairwise_table_matches_cohen_kappa_on_shared_units():
    codings = codings_from({"a": [1, 0, 1, 1, NAN], "b": [1, 0, 0, 1, 1], "c": [NAN, 0, 1, 1, 1]})
    pairs = pairwise_table(codings, ["t"]).set_index(["theme", "coder_a", "coder_b"])
    assert pairs.loc[("t", "a", "b"), "kappa"] == pytest.approx(cohen_kappa([1, 0, 1, 1], [1, 0, 0, 1]))
    assert pairs.loc[("t", "a", "c"), "n"] == 3 and pairs.loc[("t", "a", "c"), "agreement"] == 1.0
    assert pairs.loc[("t", "b", "c"), "agreement"] == pytest.approx(3 / 4)


def test_agreement_matrix():
    codings = codings_from({"a": [1, 0, 1, 1], "b": [1, 0, 0, 1], "c": [1, 0, 1, 1]})
    matrix = agreement_matrix(codings, ["t"])
    assert matrix.loc["a", "b"] == matrix.loc["b", "a"] == 0.75 and matrix.loc["a", "c"] == 1.0
    assert np.diag(matrix).tolist() == [1.0, 1.0, 1.0]
    assert agreement_matrix(codings, ["t"], statistic="kappa").loc["a", "b"] == pytest.approx(0.5)
    with pytest.raises(CoopResearchError, match="'statistic' parameter"):
        agreement_matrix(codings, ["t"], statistic="alpha")
    ax = plots.agreement_heatmap(matrix, lang="nl")
    assert ax.get_xlabel() == "Codeur" and len(ax.texts) == 9
    plt.close("all")


def test_disagreements_list_what_each_coder_assigned():
    study = load_study(MINI)
    table = disagreements(study.codings, study.quotes, study.codebook.theme_ids, names=study.codebook.labels("en"))
    assert table["quote_id"].tolist() == ["Q4", "Q5"]
    assert table.columns.tolist() == ["quote_id", "text", "themes", "a", "b"]
    q4, q5 = table.to_dict("records")
    assert (q4["a"], q4["b"]) == ("Ownership", "Mandate") and q4["themes"] == "Mandate, Ownership"
    assert (q5["a"], q5["b"]) == ("Reliability", "Transparency, Reliability") and q5["themes"] == "Transparency"
    assert q4["text"] == study.quotes.set_index("quote_id").loc["Q4", "text"]


def test_disagreements_skip_unpaired_and_escape_html():
    codings = codings_from({"a": [1, 0, 1], "b": [0, 0, NAN]})
    quotes = pd.DataFrame({"quote_id": ["q01", "q02", "q03"], "text": ["<script>x</script> & co", "b", "c"]})
    table = disagreements(codings, quotes, ["t"])
    assert table["quote_id"].tolist() == ["q01"]  # q03 was reviewed by one coder only: nothing to reconcile
    assert table.loc[0, "b"] == "—"
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in table.to_html()
    both = disagreements(codings_from({"a": [1, 0], "b": [NAN, 1]}), quotes, ["t"])
    assert both["b"].tolist() == ["t"] and both["a"].tolist() == ["—"]
    assert disagreements(codings_from({"a": [1, 0], "b": [1, 0]}), quotes, ["t"]).empty


# --- words for the report ------------------------------------------------------------------------


@pytest.mark.parametrize(("alpha", "expected"), [
    (1.0, "reliable"), (0.800, "reliable"), (0.7996, "reliable"), (0.7994, "tentative"), (0.667, "tentative"),
    (0.666, "unreliable"), (-0.2, "unreliable"), (NAN, "undefined")])
def test_verdict_uses_krippendorff_thresholds(alpha, expected):
    assert verdict(alpha) == expected


def _table(alphas: dict[str, float], lows: dict[str, float] | None = None) -> pd.DataFrame:
    lows = lows or {}
    return pd.DataFrame([{"theme": t, "alpha": a, "alpha_low": lows.get(t, a - 0.01), "alpha_high": a + 0.01,
                          "verdict": verdict(a), "agreement": 0.9, "n": 40, "coders": 2,
                          "note": "no variation" if np.isnan(a) else "", "kappa_a_vs_b": a}
                         for t, a in alphas.items()])


def test_reading_in_dutch_and_english():
    table = _table({"transparency": 0.85, "mandate": 0.7, "ownership": 0.5, "reliability": NAN, ALL_THEMES: 0.72},
                   lows={"transparency": 0.78, ALL_THEMES: 0.69})
    names = {"transparency": "Transparantie", "mandate": "Mandaat", "ownership": "Eigenaarschap"}
    dutch = reading(table, lang="nl", names=names)
    assert dutch.startswith("Over alle thema's samen is α = 0,720 (95%-BI 0,690–0,730, 40 eenheden): "
                            "voorlopig betrouwbaar. Conclusies op basis van deze codering zijn voorlopig.")
    assert "- Betrouwbaar (α ≥ 0,800): Transparantie" in dutch
    assert "- Voorlopig (0,667 ≤ α < 0,800): Mandaat" in dutch
    assert "- Onbetrouwbaar (α < 0,667): Eigenaarschap" in dutch
    assert "- Niet te bepalen: reliability (geen variatie)" in dutch
    assert "onder 0,800 bij Transparantie" in dutch and "onder 0,667" not in dutch
    english = reading(table, lang="en")
    assert "α = 0.720 (95% CI 0.690–0.730, 40 units): tentatively reliable." in english
    assert "Krippendorff (2004, p. 241)" in english
    with pytest.raises(CoopResearchError, match="'lang' parameter"):
        reading(table, lang="de")


def test_reading_when_nothing_can_be_said():
    text = reading(_table({"t": NAN, ALL_THEMES: NAN}), lang="en")
    assert text.startswith("Over all themes: α undefined (no variation). Reliability cannot be determined")


def test_report_table_for_readers():
    shown = report_table(_table({"transparency": 0.8512, "t2": NAN, ALL_THEMES: 0.72}), lang="nl",
                         names={"transparency": "Transparantie"})
    assert shown.columns.tolist() == ["Thema", "α", "95%-BI", "Oordeel", "Overeenstemming", "Eenheden", "Codeurs",
                                      "Toelichting", "κ a–b"]
    assert shown["Thema"].tolist() == ["Transparantie", "t2", "alle thema's"]
    assert shown.loc[0, ["α", "95%-BI", "Oordeel"]].tolist() == ["0,851", "0,841–0,861", "betrouwbaar"]
    assert shown.loc[1, ["α", "95%-BI", "Toelichting"]].tolist() == ["", "", "geen variatie"]


def test_consensus_rule_and_codes():
    assert "`consensus`" in consensus_rule("nl") and "minstens de helft" in consensus_rule("nl")
    assert "at least half of the human coders" in consensus_rule("en")
    codes = consensus_codes(load_study(MINI).codings)
    assert codes.columns.tolist() == ["quote_id", "theme", "valence", "source", "coders", "reviewers"]
    # Q4: a says ownership, b mandate -> each has half of the two reviewers, so both apply
    assert codes[codes["quote_id"] == "Q4"]["theme"].tolist() == ["mandate", "ownership"]


def test_derived_tables_of_the_report():
    study = load_study(MINI)
    derived = derive(study)
    assert derived["reliability"].equals(reliability_table(study.codings, study.codebook.theme_ids))
    assert derived["disagreements_nl"]["quote_id"].tolist() == ["Q4", "Q5"]


def test_the_vectorised_nominal_bootstrap_equals_krippendorff_on_every_sample():
    from coopresearch import reliability

    rng = np.random.default_rng(7)
    data = pd.DataFrame({c: rng.integers(0, 3, 60).astype(float) for c in "abc"}).mask(rng.random((60, 3)) < 0.25)
    counts, domain = reliability._value_counts(reliability._reliability_matrix(data, "nominal"))
    draws = rng.integers(0, len(data), size=(200, len(data)))
    fast = reliability._nominal_alphas(counts, reliability._times_drawn(draws, np.arange(len(data))))
    slow = [reliability._alpha(counts[draw], domain, "nominal") for draw in draws]
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)
