"""Thematic analysis: which themes each party raises, how they appreciate them, and where.

Everything starts from the *final codes* of a study: one row per (quote, theme) with a
valence, decided by the consensus rule for quotes the human coders reviewed and by the
machine coder for quotes no human reviewed (marked ``source = machine``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .errors import CoopResearchError
from .labels import ASSOCIATION, CODERS, NO_MACHINE_CODES, SOURCES_READING, TAUGHT_READING, decimal_text, label, markdown_text
from .privacy import OTHER, merge_small_groups
from .reliability import consensus_codes
from .schemas import VALENCES

__all__ = [
    "GROUPINGS",
    "association_reading",
    "association_test",
    "co_occurrence",
    "code_sources",
    "final_codes",
    "interviews_by_party",
    "most_negative_themes",
    "quote_groups",
    "ranking_table",
    "reflection_questions",
    "reported_groups",
    "select_quotes",
    "share_matrix",
    "sources_reading",
    "standardised_residuals",
    "theme_by_group",
    "theme_by_process",
]

GROUPINGS = ("party", "organisation", "role", "department", "process_id")


def interviews_by_party(interviews: pd.DataFrame, quotes: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """Number of interviews and quotes per party, and whether the party is large enough to report.

    The number of quotes, a statistic of what was said, is left out for a party with
    fewer interviews than ``min_group_size``.

    Examples
    --------
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2", "i3"], "party": ["a", "a", "b"]})
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "interview_id": ["i1", "i2", "i3"]})
    >>> interviews_by_party(interviews, quotes, min_group_size=2)
      party  interviews  quotes  reported
    0     a           2       2      True
    1     b           1    <NA>     False
    """
    per_interview = quotes.groupby("interview_id").size().rename("quotes")
    table = (interviews.set_index("interview_id").join(per_interview).fillna({"quotes": 0})
             .groupby("party").agg(interviews=("party", "size"), quotes=("quotes", "sum"))
             .astype(int).reset_index().sort_values("party", ignore_index=True))
    table["reported"] = table["interviews"] >= min_group_size
    table["quotes"] = table["quotes"].astype("Int64").where(table["reported"])
    return table


def code_sources(codes: pd.DataFrame, quotes: pd.DataFrame, interviews: pd.DataFrame, *,
                 min_group_size: int) -> pd.DataFrame:
    """How many final codes come from each source (majority, consensus, machine), for the reported parties only.

    A party with fewer interviews than ``min_group_size`` is left out, as in `interviews_by_party`:
    the total minus the reported parties' codes would otherwise give away its number.

    Examples
    --------
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2", "i3"], "party": ["a", "a", "b"]})
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "interview_id": ["i1", "i2", "i3"]})
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "source": ["majority", "machine", "machine"]})
    >>> code_sources(codes, quotes, interviews, min_group_size=2).values.tolist()
    [['machine', 1], ['majority', 1]]
    """
    size = interviews.groupby("party")["interview_id"].nunique()
    reported = interviews.loc[interviews["party"].map(size) >= min_group_size, "interview_id"]
    shown = quotes.loc[quotes["interview_id"].isin(set(reported)), "quote_id"]
    counted = codes[codes["quote_id"].isin(set(shown))]
    return counted.groupby("source").size().rename("codes").reset_index()


def final_codes(codings: pd.DataFrame, machine: pd.DataFrame | None = None) -> pd.DataFrame:
    """The codes a report counts: human consensus, and machine codes for quotes no human reviewed.

    ``machine`` is the machine coder's long table (``quote_id, theme`` and optionally
    ``valence``). Returns ``quote_id, theme, valence, source`` with source ``consensus``,
    ``majority`` (the consensus rule of `reliability.consensus_codes`) or ``machine``, and
    for human codes ``coders`` (how many applied the theme) and ``reviewers``.

    Examples
    --------
    >>> human = pd.DataFrame({"quote_id": ["q1", "q1"], "coder": ["a", "b"],
    ...                       "theme": ["trust", "trust"], "valence": ["positive"] * 2})
    >>> machine = pd.DataFrame({"quote_id": ["q1", "q2"], "theme": ["mandate", "trust"],
    ...                         "valence": ["negative", "neutral"]})
    >>> final_codes(human, machine)[["quote_id", "theme", "valence", "source"]]
      quote_id  theme   valence    source
    0       q1  trust  positive  majority
    1       q2  trust   neutral   machine
    """
    human = consensus_codes(codings)[["quote_id", "theme", "valence", "source", "coders", "reviewers"]]
    if machine is None or machine.empty:
        return human
    reviewed = set(codings["quote_id"])
    extra = machine[~machine["quote_id"].isin(reviewed)].drop_duplicates(["quote_id", "theme"])
    extra = extra.assign(valence=extra.get("valence", "neutral"), source="machine")
    combined = pd.concat([human, extra[["quote_id", "theme", "valence", "source"]]], ignore_index=True)
    return combined.fillna({"valence": "neutral"}).sort_values(["quote_id", "theme"], ignore_index=True)


def quote_groups(quotes: pd.DataFrame, interviews: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Each quote with its interview and the group it belongs to when grouping ``by`` a column.

    ``by`` is a column of interviews.csv (party, organisation, role, department) or
    ``process_id`` of quotes.csv. Quotes without a value for ``by`` are left out.
    """
    if by not in GROUPINGS:
        raise CoopResearchError(f"The 'by' parameter of quote_groups must be one of {', '.join(GROUPINGS)}. "
                                f"Got {by!r} instead.")
    if by == "process_id":
        table = quotes[["quote_id", "interview_id", "process_id"]].rename(columns={"process_id": "group"})
    else:
        table = quotes[["quote_id", "interview_id"]].merge(
            interviews[["interview_id", by]].rename(columns={by: "group"}), on="interview_id", how="left")
    return table.dropna(subset=["group"]).reset_index(drop=True)


def theme_by_group(codes: pd.DataFrame, quotes: pd.DataFrame, interviews: pd.DataFrame, themes: list[str], *,
                   by: str = "party", min_group_size: int = 3) -> pd.DataFrame:
    """Per group and theme: distinct quotes, share of the group's quotes, rank, valence split.

    Groups with fewer interviews than ``min_group_size`` are merged into ``other`` (or
    left out when ``other`` is still too small), see `privacy.merge_small_groups`.
    ``share`` is the theme's quotes divided by all quotes of the group (coded or not);
    ``rank`` 1 is the theme with most quotes in the group (ties share the best rank).

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "interview_id": ["i1", "i2", "i2"]})
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2"], "party": ["a", "a"]})
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2", "q2"], "theme": ["x", "x", "y"],
    ...                       "valence": ["negative", "positive", "negative"]})
    >>> theme_by_group(codes, quotes, interviews, ["x", "y"], min_group_size=2)
      party theme  quotes     share  rank  positive  negative  neutral  interviews  group_quotes
    0     a     x       2  0.666667     1         1         1        0           2             3
    1     a     y       1  0.333333     2         0         1        0           2             3
    """
    members, _ = merge_small_groups(quote_groups(quotes, interviews, by=by), min_group_size=min_group_size)
    sizes = members.groupby("group").agg(interviews=("interview_id", "nunique"), group_quotes=("quote_id", "nunique"))
    coded = members.merge(codes.drop_duplicates(["quote_id", "theme"]), on="quote_id")
    counts = coded.groupby(["group", "theme"])["quote_id"].nunique().rename("quotes")
    valence = (coded.groupby(["group", "theme"])["valence"].value_counts().unstack(fill_value=0)
               .reindex(columns=list(VALENCES), fill_value=0))
    grid = pd.MultiIndex.from_product([sizes.index, themes], names=["group", "theme"])
    table = pd.concat([counts, valence], axis=1).reindex(grid).fillna(0).astype(int).reset_index()
    table = table.join(sizes, on="group")
    table.insert(3, "share", table["quotes"] / table["group_quotes"])
    table.insert(4, "rank", table.groupby("group")["quotes"].rank(method="min", ascending=False).astype(int))
    table["theme"] = pd.Categorical(table["theme"], categories=themes)
    table = table.sort_values(["group", "theme"], ignore_index=True).astype({"theme": str})
    return table.rename(columns={"group": by})


def reported_groups(quotes: pd.DataFrame, interviews: pd.DataFrame, *, by: str, min_group_size: int) -> pd.DataFrame:
    """Which groups a report shows on their own, which are merged into ``other``, which are left out.

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "interview_id": ["i1", "i2"]})
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2"], "party": ["a", "b"]})
    >>> reported_groups(quotes, interviews, by="party", min_group_size=3)
      party  interviews reported_as
    0     a           1         NaN
    1     b           1         NaN
    """
    _, summary = merge_small_groups(quote_groups(quotes, interviews, by=by), min_group_size=min_group_size)
    return summary.rename(columns={"group": by})


def share_matrix(table: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Theme × group: each group's share of quotes per theme, from `theme_by_group`.

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["a", "a"], "theme": ["x", "y"], "share": [0.5, 0.25]})
    >>> share_matrix(table, by="party")
    party     a
    theme
    x      0.50
    y      0.25
    """
    themes = list(dict.fromkeys(table["theme"]))
    return table.pivot(index="theme", columns=by, values="share").reindex(themes)


def ranking_table(table: pd.DataFrame, *, by: str = "party", labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Themes in rank order per group, side by side (as in the reference study's conclusion).

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["a", "a", "b", "b"], "theme": ["x", "y", "x", "y"],
    ...                       "quotes": [3, 1, 0, 2], "rank": [1, 2, 2, 1]})
    >>> ranking_table(table)
          a     b
    1  x (3)  y (2)
    2  y (1)  x (0)
    """
    labels = labels or {}
    columns = {}
    for group, rows in table.sort_values(["rank", "theme"]).groupby(by, sort=True):
        columns[group] = [f"{labels.get(t, t)} ({n})" for t, n in zip(rows["theme"], rows["quotes"], strict=True)]
    return pd.DataFrame(columns, index=pd.RangeIndex(1, len(next(iter(columns.values()), [])) + 1))


def _counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    return table.pivot(index=by, columns="theme", values="quotes").reindex(columns=list(dict.fromkeys(table["theme"])))


def association_test(table: pd.DataFrame, *, by: str = "party") -> pd.Series:
    """Test whether the themes raised depend on the group: χ² (or Fisher's exact test for 2×2).

    Works on `theme_by_group` output. Returns ``test, statistic, dof, p_value, cramers_v, n,
    min_expected, too_small``. ``too_small`` is true when more than 20 % of the expected
    counts are below 5 or any is below 1 (Cochran's rule): then the p-value cannot be
    trusted. Each quote may carry several themes, so counts are (quote, theme) pairs.

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["a", "a", "b", "b"], "theme": ["x", "y", "x", "y"],
    ...                       "quotes": [30, 10, 10, 30]})
    >>> result = association_test(table)
    >>> result["test"], round(result["cramers_v"], 2), bool(result["too_small"])
    ('chi2', 0.5, False)
    """
    counts = _counts(table, by)
    counts = counts.loc[counts.sum(axis=1) > 0, counts.sum(axis=0) > 0]
    n = int(counts.to_numpy().sum())
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        return pd.Series({"test": "none", "statistic": np.nan, "dof": 0, "p_value": np.nan, "cramers_v": np.nan,
                          "n": n, "min_expected": np.nan, "too_small": True})
    chi2, p_value, dof, expected = stats.chi2_contingency(counts.to_numpy(), correction=False)
    too_small = bool((expected < 1).any() or (expected < 5).mean() > 0.2)
    test = "chi2"
    if too_small and counts.shape == (2, 2):
        test, (_, p_value) = "fisher", stats.fisher_exact(counts.to_numpy())
    cramers_v = float(np.sqrt(chi2 / (n * (min(counts.shape) - 1))))
    return pd.Series({"test": test, "statistic": float(chi2), "dof": int(dof), "p_value": float(p_value),
                      "cramers_v": cramers_v, "n": n, "min_expected": float(expected.min()),
                      "too_small": too_small and test == "chi2"})


def standardised_residuals(table: pd.DataFrame, *, by: str = "party") -> pd.DataFrame:
    """Adjusted standardised residuals of the group × theme table (|r| > 2: notably more/less than expected).

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["a", "a", "b", "b"], "theme": ["x", "y", "x", "y"],
    ...                       "quotes": [30, 10, 10, 30]})
    >>> standardised_residuals(table).round(2)  # doctest: +NORMALIZE_WHITESPACE
    theme     x     y
    party
    a      4.47 -4.47
    b     -4.47  4.47
    """
    counts = _counts(table, by).astype(float)
    n = counts.to_numpy().sum()
    rows, cols = counts.sum(axis=1).to_numpy()[:, None], counts.sum(axis=0).to_numpy()[None, :]
    expected = rows * cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        residuals = (counts - expected) / np.sqrt(expected * (1 - rows / n) * (1 - cols / n))
    return residuals


def association_reading(result: pd.Series, lang: str, *, by: str = "party", alpha: float = 0.05) -> str:
    """One plain-language sentence about `association_test`'s result, in ``lang``.

    Examples
    --------
    >>> association_reading(pd.Series({"test": "chi2", "p_value": 0.001, "cramers_v": 0.5,
    ...                                 "too_small": False}), "en")
    "The themes differ between the groups (χ², p = 0.001); the association (Cramér's V = 0.50) is strong."
    """
    text = ASSOCIATION[lang]
    if result["test"] == "none":
        return text["none"]
    if result["too_small"]:
        return text["small"].format(by=markdown_text(label(by, lang).lower()))
    test = {"chi2": "χ²", "fisher": "Fisher"}[result["test"]]
    v = result["cramers_v"]
    strength = text["strength"][0 if v < 0.2 else 1 if v < 0.4 else 2]
    key = "yes" if result["p_value"] < alpha else "no"
    return text[key].format(test=test, p=decimal_text(result["p_value"], lang, 3), v=decimal_text(v, lang, 2),
                            strength=strength)


def co_occurrence(codes: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Theme × theme: number of quotes carrying both themes (the diagonal: quotes with the theme).

    Examples
    --------
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q1", "q2"], "theme": ["x", "y", "x"]})
    >>> co_occurrence(codes, ["x", "y"])
    theme  x  y
    theme
    x      2  1
    y      1  1
    """
    presence = pd.crosstab(codes["quote_id"], codes["theme"]).clip(upper=1).reindex(columns=themes, fill_value=0)
    matrix = presence.T @ presence
    matrix.index.name, matrix.columns.name = "theme", "theme"
    return matrix.astype(int)


def theme_by_process(codes: pd.DataFrame, quotes: pd.DataFrame, interviews: pd.DataFrame,
                     processes: pd.DataFrame, themes: list[str], *, min_group_size: int = 3) -> pd.DataFrame:
    """Business process × theme: quotes per theme, and how many of the process's quotes are negative.

    Processes whose quotes come from fewer than ``min_group_size`` interviews are merged
    into ``other`` (see `privacy.merge_small_groups`); processes without quotes are left
    out. A ``risks`` column of processes.csv, when present, is carried along so the
    problems can be read next to the risks the study found.

    Examples
    --------
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "interview_id": ["i1", "i2"], "process_id": ["P1", "P1"]})
    >>> processes = pd.DataFrame({"process_id": ["P1", "P2"], "name": ["GBA", "WOZ"]})
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2"], "theme": ["x", "x"], "valence": ["negative", "positive"]})
    >>> theme_by_process(codes, quotes, None, processes, ["x", "y"], min_group_size=2)
      process_id name  x  y  quotes  negative  interviews
    0         P1  GBA  2  0       2         1           2
    """
    members, _ = merge_small_groups(quote_groups(quotes, interviews, by="process_id"), min_group_size=min_group_size)
    coded = members.merge(codes, on="quote_id")
    per_process = members.groupby("group")
    # every reported process gets a row, also when none of its quotes carries a theme
    matrix = (coded.groupby(["group", "theme"])["quote_id"].nunique().unstack()
              .reindex(index=sorted(per_process.groups), columns=themes))
    matrix["quotes"] = per_process["quote_id"].nunique()
    matrix["negative"] = coded[coded["valence"] == "negative"].groupby("group")["quote_id"].nunique()
    matrix["interviews"] = per_process["interview_id"].nunique()
    matrix = matrix.fillna(0).astype(int).rename_axis("process_id").rename_axis(columns=None).reset_index()
    keep = ["process_id", "name"] + (["risks"] if "risks" in processes else [])
    table = processes[keep].merge(matrix, on="process_id", how="right")
    table["name"] = table["name"].fillna(OTHER)
    order = [c for c in table.columns if c != "risks"] + (["risks"] if "risks" in table else [])
    return table[order].sort_values("process_id", key=lambda s: s == OTHER, kind="stable", ignore_index=True)


def most_negative_themes(codes: pd.DataFrame, *, top: int = 2) -> pd.DataFrame:
    """Themes ordered by their share of negative appreciation (ties: more negative quotes first).

    Examples
    --------
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2", "q3"], "theme": ["x", "x", "y"],
    ...                       "valence": ["negative", "positive", "negative"]})
    >>> most_negative_themes(codes)
      theme  quotes  negative  negative_share
    0     y       1         1             1.0
    1     x       2         1             0.5
    """
    table = codes.groupby("theme").agg(quotes=("quote_id", "nunique"),
                                       negative=("valence", lambda v: int((v == "negative").sum())))
    table["negative_share"] = table["negative"] / table["quotes"]
    table = table.reset_index().sort_values(["negative_share", "negative", "theme"], ascending=[False, False, True])
    return table.head(top).reset_index(drop=True)


def select_quotes(codes: pd.DataFrame, quotes: pd.DataFrame, interviews: pd.DataFrame, *, min_group_size: int,
                  per_valence: int = 2, party_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """A few representative quotes per theme and valence (positive, negative), with a safe attribution.

    Representative: carried by the theme alone (not several themes), agreed on by every
    coder who reviewed it where known, and of typical length for the theme; ties by id,
    so the choice is the same on every run.

    The attribution is safe: the party is named only when it has at least ``min_group_size``
    interviews, and the respondent's pseudonym only when their party **and** their organisation
    each have at least ``min_group_size`` interviews. A pseudonym ties a person's quotes
    together (and is the respondent id of the collaboration scan), so in a small organisation
    (the single interview at one corporation) it would point to that person; such a quote is
    attributed to its party alone, or to nobody when the party is small too.

    Examples
    --------
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2", "i3", "i4"], "pseudonym": ["R1", "R2", "R3", "R4"],
    ...                            "organisation": ["G", "G", "G", "C"], "party": ["g", "g", "c", "c"]})
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q4"], "interview_id": ["i1", "i4"], "text": ["a", "b"]})
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q4"], "theme": "mandate", "valence": ["positive", "negative"]})
    >>> select_quotes(codes, quotes, interviews, min_group_size=2)["attribution"].tolist()
    ['R1, g', 'c']
    """
    party_labels = party_labels or {}
    themes_per_quote = codes.groupby("quote_id")["theme"].nunique().rename("themes")
    table = (codes[codes["valence"].isin(["positive", "negative"])]
             .join(themes_per_quote, on="quote_id")
             .merge(quotes[["quote_id", "interview_id", "text"]], on="quote_id")
             .merge(interviews[["interview_id", "party",
                                *[c for c in ("organisation", "pseudonym") if c in interviews]]], on="interview_id"))
    agreed = table["coders"] == table["reviewers"] if "coders" in table else pd.Series(True, index=table.index)
    table["agreed"] = agreed
    table["length_gap"] = (table["text"].str.len() - table.groupby("theme")["text"].transform(
        lambda t: t.str.len().median())).abs()
    party_size = interviews.groupby("party")["interview_id"].nunique()
    shown_party = table["party"].map(lambda p: party_labels.get(p, p) if party_size.get(p, 0) >= min_group_size else None)
    who = table["pseudonym"] if "pseudonym" in table else pd.Series("", index=table.index)
    organisation_size = interviews.groupby("organisation")["interview_id"].nunique() if "organisation" in interviews \
        else pd.Series(dtype=int)
    named = (table["party"].map(party_size).fillna(0).ge(min_group_size)
             & table.get("organisation", pd.Series(index=table.index, dtype=object))
             .map(organisation_size).fillna(0).ge(min_group_size))
    who = who.where(named, "")
    table["attribution"] = [", ".join(str(x) for x in (w, p) if isinstance(x, str) and x)
                            for w, p in zip(who, shown_party, strict=True)]
    table = table.sort_values(["theme", "valence", "themes", "agreed", "length_gap", "quote_id"],
                              ascending=[True, False, True, False, True, True])
    chosen = table.groupby(["theme", "valence"], sort=False).head(per_valence)
    return chosen[["theme", "valence", "quote_id", "text", "attribution"]].reset_index(drop=True)


def reflection_questions(codes: pd.DataFrame, codebook, lang: str, *, top: int = 2) -> pd.DataFrame:
    """The codebook's reflection questions for the ``top`` themes with the most negative appreciation.

    The reference study phrased its recommendations as questions for the parties to answer
    together; this picks those questions for the themes where most goes wrong.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> codes = pd.DataFrame({"quote_id": ["q1"], "theme": ["mandate"], "valence": ["negative"]})
    >>> reflection_questions(codes, default_codebook(), "nl", top=1)["theme"].unique().tolist()
    ['mandate']
    """
    worst = most_negative_themes(codes, top=top)
    questions = {theme.id: theme.questions.get(lang, []) for theme in codebook.themes}
    rows = [(row.theme, row.negative_share, question)
            for row in worst.itertuples() for question in questions.get(row.theme, [])]
    return pd.DataFrame(rows, columns=["theme", "negative_share", "question"])


def sources_reading(sources: pd.DataFrame, machine: pd.DataFrame, lang: str, *, taught_by: int = 0, folds: int = 5) -> str:
    """Where the final codes come from (`code_sources`), naming the coder that made the machine codes (``machine``)
    and how many of the study's coded quotes taught its model (``taught_by``, coded out of ``folds`` folds; see
    `coding.TaughtHybridCoder`).

    Examples
    --------
    >>> sources = pd.DataFrame({"source": ["majority", "machine"], "codes": [1, 1]})
    >>> machine = pd.DataFrame({"quote_id": ["q2"], "coder": ["hybrid"]})
    >>> print(sources_reading(sources, machine, "en"))
    Of the 2 final codes, 1 come from the human coders and 1 from the machine, for quotes no human coded. \
The machine codes were made by the hybrid coder: the codebook's rules, confirmed and completed by a model trained on \
labelled quotes.
    """
    coders = sorted(machine["coder"].unique())
    if not coders:
        return NO_MACHINE_CODES[lang]
    coder = (" " + {"nl": "en", "en": "and"}[lang] + " ").join(CODERS.get(c, {}).get(lang, markdown_text(c)) for c in coders)
    total = int(sources["codes"].sum())
    from_machine = int(sources.loc[sources["source"] == "machine", "codes"].sum())
    return (SOURCES_READING[lang].format(total=total, human=total - from_machine, machine=from_machine, coder=coder)
            + (TAUGHT_READING[lang].format(n=taught_by, folds=folds) if taught_by else ""))
