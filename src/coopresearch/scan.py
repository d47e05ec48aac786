"""The collaboration scan: seven fields scored 1–10, and the form of collaboration they support.

Partners score their relationship on seven fields (network-collaboration model after van
Bortel and others). The weakest field decides how deep the collaboration can go: below 4
the basis supports *afstemmen* (coordinate), from 4 *aanpassen* (adapt), from 7
*aaneenvlechten* (interweave). Fields below the next threshold are the topics to discuss.

Choices made here:

- The form is read from the weakest **field mean over all respondents** of a relationship,
  whatever their party, so each party's view weighs by its number of respondents.
- A respondent who left a field out: the field's mean is taken over the scores that are
  there, and the ``missing`` column of `typology` names the respondent and field. A field
  that nobody in a relationship scored leaves the form undetermined (empty): the weakest
  field might be the one that is missing, so any form would overstate the basis.
- ``std`` is the sample standard deviation (``ddof=1``); it is empty for one respondent.

Privacy (``min_respondents``; `derive` passes the study's ``min_group_size`` unless
``scan_answered_for: organisation`` says the respondents answered for their organisation,
then 1). A scan score is a person's view, so every statistic obeys the rule of the interview
reports, counted on distinct respondents:

- A party of a relationship with fewer than ``min_respondents`` respondents on a field gets no
  statistic for it (mean, std, min, max empty; ``reported`` false; no radar outline, no
  perception gap), and its size is written ``<N`` ("fewer than N"), not its count.
- A *pooled* statistic (the ``(all)`` rows of a relationship, the typology's supported form,
  weakest fields and topics, which rest on them, a party's mean over several relationships in
  `scan_and_themes`) is shown only when it has at least ``min_respondents`` respondents **and**
  its suppressed parts together have none or at least ``min_respondents`` respondents. Otherwise
  the pooled figure minus the figures shown beside it gives the small group's figure back (one
  respondent in party A, five in B: "(all)" and B reveal A), so it is suppressed too, and its
  size is left empty (the pooled size minus the sizes shown would give the small size).
- ``missing`` names a respondent of a suppressed group by their party, not their pseudonym.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real

import pandas as pd

from .labels import FEWER_THAN, SCAN_PRIVACY, decimal_text, label, localise
from .privacy import shown_sizes
from .schemas import SCAN_FIELDS, SCAN_FORMS

__all__ = [
    "ALL_PARTIES", "FIELDS", "FORMS", "THEME_FIELDS", "THRESHOLDS", "TOLERANCE",
    "discussion_topics", "field_stats", "field_table", "form_table", "interview_groups",
    "perception_gaps", "privacy_reading", "radar_rows", "readable", "scan_and_themes", "supported_form", "typology",
]

# The party value of the rows of `field_stats` that pool every respondent of a relationship.
ALL_PARTIES = "(all)"

# Each field's labels and the anchors of its 1–10 scale: (where on the scale, nl, en); an empty
# position is a step between the anchors that the source document does not put on a number.
FIELDS: dict[str, dict] = {
    "vertrouwen": {"nl": "Vertrouwen", "en": "Trust",
                   "anchors": (("1", "klein", "small"), ("10", "groot", "large"))},
    "relatie": {"nl": "Relatie", "en": "Relationship",
                "anchors": (("1", "geen", "none"), ("", "zoekend", "searching"), ("", "groeiend", "growing"),
                            ("10", "goed en stabiel", "good and stable"))},
    "communicatie": {"nl": "Communicatie", "en": "Communication",
                     "anchors": (("1", "nooit", "never"), ("", "onregelmatig", "infrequent"),
                                 ("≈4", "regelmatig", "regular"), ("≈6–7", "gestructureerd", "structured"),
                                 ("10", "zeer frequent en informeel", "very frequent and informal"))},
    "informatie_uitwisseling": {"nl": "Informatie-uitwisseling", "en": "Information exchange",
                                "anchors": (("1", "alleen openbare informatie", "public information only"),
                                            ("≈4–5", "projectinformatie gedeeld", "project information shared"),
                                            ("10", "alles, ook tactische en gevoelige informatie",
                                             "everything, including tactical and sensitive information"))},
    "afstemming": {"nl": "Afstemming", "en": "Alignment",
                   "anchors": (("1", "acties afgestemd", "actions aligned"), ("", "doelen aangepast", "goals adapted"),
                               ("10", "doelen verweven", "goals interwoven"))},
    "doelen": {"nl": "Doelen", "en": "Goals",
               "anchors": (("1", "eigen doelen per organisatie", "each organisation's own goals"),
                           ("≈4", "gezamenlijke projectdoelen", "joint project goals"),
                           ("≥7", "gedeelde doelen voor de lange termijn", "shared long-term goals"))},
    "tegenspraak": {"nl": "Ruimte voor tegenspraak", "en": "Room for dissent",
                    "anchors": (("1", "geen", "none"), ("5", "enige", "moderate"), ("10", "veel", "large"))},
}

# The three forms, from shallow to deep, with what each means in practice.
FORMS: dict[str, dict[str, str]] = {
    "afstemmen": {
        "nl": "Afstemmen", "en": "Coordinate",
        "description_nl": "Eén partij maakt het beleid (bijvoorbeeld de woonvisie); de partners worden "
                          "geïnformeerd en houden er rekening mee.",
        "description_en": "One party makes the policy (for example the housing vision); the partners are "
                          "informed and take it into account.",
    },
    "aanpassen": {
        "nl": "Aanpassen", "en": "Adapt",
        "description_nl": "De partners worden vroeg betrokken, delen informatie en maken samen een plan van "
                          "aanpak; de visie blijft van één partij.",
        "description_en": "The partners are involved early, share information and make a joint action plan; "
                          "the vision stays one party's.",
    },
    "aaneenvlechten": {
        "nl": "Aaneenvlechten", "en": "Interweave",
        "description_nl": "Een gezamenlijke visie, een gezamenlijke werkgroep met eigen budget, verweven doelen, "
                          "gedeelde dilemma's en risico's en gezamenlijke monitoring.",
        "description_en": "A joint vision, a joint working group with its own budget, interwoven goals, shared "
                          "dilemmas and risks, and joint monitoring.",
    },
}

# The lowest weakest-field mean at which each form is supported.
THRESHOLDS: dict[str, float] = {"afstemmen": 1, "aanpassen": 4, "aaneenvlechten": 7}

# Means of whole-number scores are exact fractions k/n; the tolerance only absorbs the rounding
# of floating-point arithmetic (6.999999999999999 counts as 7), never a real difference.
TOLERANCE = 1e-9

# Which scan fields say something about which theme of the default codebook:
# transparency is about sharing information and clear communication; reliability about
# keeping agreements, on which trust rests; ownership (who leads) and mandate (who can commit
# the organisation) decide how far actions and goals can be aligned.
THEME_FIELDS: dict[str, tuple[str, ...]] = {
    "transparency": ("informatie_uitwisseling", "communicatie"),
    "reliability": ("vertrouwen",),
    "ownership": ("afstemming", "doelen"),
    "mandate": ("afstemming", "doelen"),
}

_LIST = ", "  # separator of the fields listed in one cell of a table


def supported_form(weakest_mean: float) -> str:
    """The deepest form of collaboration that a weakest-field mean supports.

    Below 4 ``afstemmen``, from 4 up to 7 ``aanpassen``, 7 and above ``aaneenvlechten``.

    Raises
    ------
    ValueError
        ``weakest_mean`` is not a number from 1 to 10.

    Examples
    --------
    >>> supported_form(3.99), supported_form(4.0), supported_form(6.99), supported_form(7)
    ('afstemmen', 'aanpassen', 'aanpassen', 'aaneenvlechten')
    """
    if isinstance(weakest_mean, bool) or not isinstance(weakest_mean, Real) \
            or not 1 - TOLERANCE <= weakest_mean <= 10 + TOLERANCE:
        raise ValueError("The 'weakest_mean' parameter of supported_form must be a number in the range [1, 10]. "
                         f"Got {weakest_mean!r} instead.")
    return [form for form in SCAN_FORMS if weakest_mean >= THRESHOLDS[form] - TOLERANCE][-1]


def _next_form(form: str) -> str | None:
    i = SCAN_FORMS.index(form)
    return SCAN_FORMS[i + 1] if i + 1 < len(SCAN_FORMS) else None


def _in_field_order(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(field=pd.Categorical(table["field"], categories=SCAN_FIELDS))


def _exact_means(scan: pd.DataFrame, by: list[str]) -> pd.Series:
    # sum / count of whole numbers: a correctly rounded float, so equal fractions compare equal
    grouped = _in_field_order(scan).groupby(by, observed=True)["score"]
    return grouped.sum() / grouped.count()


def field_stats(scan: pd.DataFrame, *, min_respondents: int = 1) -> pd.DataFrame:
    """Mean and spread of every field's scores per relationship, per party and for all parties.

    Returns one row per (relationship, field, party): ``respondents, reported, mean, std, min,
    max``; rows with party ``(all)`` pool every respondent of the relationship. ``std`` is the
    sample standard deviation, empty for a single respondent. Means and std are rounded to 2
    decimals. A group below ``min_respondents`` distinct respondents is not reported (see the
    module's privacy rule): no statistic, its size ``<N``; a pooled row that would give a
    suppressed party's scores away by subtraction is not reported either, its size empty.

    Examples
    --------
    >>> scan = pd.DataFrame({"relationship": ["r"] * 3, "respondent": ["a", "b", "c"],
    ...                      "party": ["x", "x", "y"], "field": ["doelen"] * 3, "score": [4, 6, 9]})
    >>> field_stats(scan)
      relationship   field  party  respondents  reported  mean   std  min  max
    0            r  doelen      x            2      True  5.00  1.41    4    6
    1            r  doelen      y            1      True  9.00   NaN    9    9
    2            r  doelen  (all)            3      True  6.33  2.52    4    9
    >>> field_stats(scan, min_respondents=2)[["party", "respondents", "reported", "mean"]]
       party respondents  reported  mean
    0      x           2      True   5.0
    1      y          <2     False   NaN
    2  (all)                 False   NaN
    """
    columns = ["relationship", "field", "party", "respondents", "reported", "mean", "std", "min", "max"]
    if scan.empty:
        return pd.DataFrame(columns=columns)
    ordered = _in_field_order(scan)

    def stats(by: list[str]) -> pd.DataFrame:
        return ordered.groupby(by, observed=True).agg(
            respondents=("respondent", "nunique"), mean=("score", "mean"), std=("score", "std"),
            min=("score", "min"), max=("score", "max")).reset_index()

    per_party = stats(["relationship", "field", "party"])
    per_party["reported"] = per_party["respondents"] >= min_respondents
    pooled = stats(["relationship", "field"]).assign(party=ALL_PARTIES)
    pooled["reported"] = _pooled_reportable(ordered, pooled[["relationship", "field"]], per_party,
                                            min_respondents=min_respondents)
    table = pd.concat([per_party, pooled], ignore_index=True)
    table = (table.assign(pooled=table["party"] == ALL_PARTIES)
             .sort_values(["relationship", "field", "pooled", "party"], ignore_index=True))
    table[["mean", "std", "min", "max"]] = table[["mean", "std", "min", "max"]].where(table["reported"])
    table["respondents"] = shown_sizes(table["respondents"], min_group_size=min_respondents, hidden=~table["reported"])
    return table[columns].astype({"field": str, "min": "Int64", "max": "Int64"}).round({"mean": 2, "std": 2})


def _pooled_reportable(ordered: pd.DataFrame, keys: pd.DataFrame, per_party: pd.DataFrame, *,
                       min_respondents: int) -> pd.Series:
    """Whether each pooled (relationship, field) of ``keys`` may be shown beside the per-party rows.

    Shown when its respondents number at least ``min_respondents`` and the respondents of its
    suppressed parties together number none or at least ``min_respondents``.
    """
    by = ["relationship", "field"]
    small = per_party.loc[~per_party["reported"], [*by, "party"]]
    hidden = ordered.merge(small, on=[*by, "party"]).groupby(by, observed=True)["respondent"].nunique()
    everyone = ordered.groupby(by, observed=True)["respondent"].nunique()
    index = pd.MultiIndex.from_frame(keys)
    hidden = hidden.reindex(index, fill_value=0).to_numpy()
    everyone = everyone.reindex(index).to_numpy()
    return pd.Series((everyone >= min_respondents) & ((hidden == 0) | (hidden >= min_respondents)), index=keys.index)


def radar_rows(stats: pd.DataFrame) -> pd.DataFrame:
    """The rows of `field_stats` a radar may draw: reported parties only (a suppressed group gets no outline).

    Examples
    --------
    >>> stats = pd.DataFrame({"relationship": "r", "party": ["x", "y"], "reported": [True, False]})
    >>> radar_rows(stats)["party"].tolist()
    ['x']
    """
    return stats[stats["reported"].astype(bool) & (stats["party"] != ALL_PARTIES)].reset_index(drop=True)


def perception_gaps(scan: pd.DataFrame, *, parties: Sequence[str], min_respondents: int = 1) -> pd.DataFrame:
    """Each party's mean per relationship and field, and the gap between the parties' views.

    ``perception_gap`` is the mean of the first party of ``parties`` that scored the relationship minus
    that of the second (e.g. municipality minus corporation with ``parties=["gemeente",
    "corporatie"]``); empty where only one party scored it. A party with fewer than
    ``min_respondents`` respondents on a field has no mean there and so no gap (the gap and the
    other party's mean would give its mean back).

    Examples
    --------
    >>> scan = pd.DataFrame({"relationship": ["r"] * 3, "respondent": ["a", "b", "c"],
    ...                      "party": ["x", "x", "y"], "field": ["doelen"] * 3, "score": [4, 6, 9]})
    >>> perception_gaps(scan, parties=["x", "y"])
      relationship   field    x    y  perception_gap
    0            r  doelen  5.0  9.0            -4.0
    """
    parties = list(parties)
    if scan.empty:
        return pd.DataFrame(columns=["relationship", "field", *parties, "perception_gap"])
    by = ["relationship", "field", "party"]
    counts = _in_field_order(scan).groupby(by, observed=True)["respondent"].nunique()
    means = _exact_means(scan, by)
    means = means.where(counts.reindex(means.index) >= min_respondents).unstack("party")
    means = means.reindex(columns=parties)

    def gap(row: pd.Series) -> float:
        scored = row.dropna()
        return scored.iloc[0] - scored.iloc[1] if len(scored) >= 2 else float("nan")

    table = means.assign(perception_gap=means.apply(gap, axis=1)).reset_index()
    table.columns.name = None
    return table.astype({"field": str}).round({**dict.fromkeys(parties, 2), "perception_gap": 2})


def discussion_topics(scan: pd.DataFrame, *, min_respondents: int = 1) -> pd.DataFrame:
    """The fields to discuss per relationship: those below the threshold of the next form.

    Returns ``relationship, next_form, field, mean, target`` (the mean the next form needs),
    weakest field first. Relationships that support ``aaneenvlechten``, whose form is
    undetermined (a field nobody scored) or whose pooled means are not reported (the module's
    privacy rule, ``min_respondents``) have no rows.

    Examples
    --------
    >>> scan = pd.DataFrame({"relationship": "r", "respondent": "a", "party": "x",
    ...                      "field": list(SCAN_FIELDS), "score": [8, 8, 5, 3, 8, 8, 6]})
    >>> discussion_topics(scan)
      relationship  next_form                    field  mean  target
    0            r  aanpassen  informatie_uitwisseling   3.0       4
    """
    columns = ["relationship", "next_form", "field", "mean", "target"]
    rows = []
    reportable = _reportable_relationships(scan, min_respondents=min_respondents)
    for relationship, means in _field_means_by_relationship(scan):
        if means.index.size < len(SCAN_FIELDS) or relationship not in reportable:
            continue
        target_form = _next_form(supported_form(means.min()))
        if target_form is None:
            continue
        target = THRESHOLDS[target_form]
        below = means[means < target - TOLERANCE].sort_values(kind="stable")
        rows += [(relationship, target_form, field, mean, target) for field, mean in below.items()]
    return pd.DataFrame(rows, columns=columns).round({"mean": 2})


def _field_means_by_relationship(scan: pd.DataFrame):
    """(relationship, exact field means in field order) for every relationship, sorted."""
    if scan.empty:
        return []
    means = _exact_means(scan, ["relationship", "field"])
    return [(relationship, group.droplevel("relationship").rename(index=str))
            for relationship, group in means.groupby(level="relationship", sort=True)]


def _reportable_relationships(scan: pd.DataFrame, *, min_respondents: int) -> set[str]:
    """The relationships whose pooled field means may all be shown (the module's privacy rule)."""
    if scan.empty:
        return set()
    pooled = field_stats(scan, min_respondents=min_respondents).query("party == @ALL_PARTIES")
    shown = pooled.groupby("relationship")["reported"].all()
    return set(shown.index[shown])


def _missing(scan: pd.DataFrame, *, min_respondents: int = 1) -> str:
    """Who left which field out, e.g. ``Respondent 4: doelen; doelen: no score``.

    A respondent of a party with fewer than ``min_respondents`` respondents in the
    relationship is named by their party, not their pseudonym.
    """
    sizes = scan.groupby("party")["respondent"].nunique()
    notes = []
    for (party, respondent), rows in scan.groupby(["party", "respondent"], sort=True):
        lacking = [f for f in SCAN_FIELDS if f not in set(rows["field"])]
        if lacking:
            who = respondent if sizes[party] >= min_respondents else party
            notes.append((who, f"{who}: {_LIST.join(lacking)}"))
    notes = list(dict.fromkeys(note for _, note in sorted(notes)))
    unscored = [f for f in SCAN_FIELDS if f not in set(scan["field"])]
    if unscored:
        notes.append(f"no score: {_LIST.join(unscored)}")
    return "; ".join(notes)


def typology(scan: pd.DataFrame, *, parties: Sequence[str],
             relationships: Mapping[str, Mapping] | None = None, min_respondents: int = 1) -> pd.DataFrame:
    """The form of collaboration each relationship's basis supports, and what stands in the way.

    Parameters
    ----------
    scan : the scan table (relationship, respondent, party, field, score).
    parties : the study's parties, in the order of subtraction for the perception gap.
    relationships : optional settings per relationship from ``study.yml``; a
        ``desired_form`` there gives ``form_gap`` = steps from the supported to the
        desired form (positive: the parties want deeper collaboration than the basis carries).

    Returns
    -------
    DataFrame
        One row per relationship: ``respondents, supported_form, weakest_fields,
        weakest_mean, next_form, topics`` (fields below the next form's threshold, weakest
        first), ``desired_form, form_gap, largest_gap_field, largest_gap`` (the field where
        the parties' means differ most, first party minus second) and ``missing``.
        ``reported`` is false where the relationship's pooled means are not reported (the
        module's privacy rule, ``min_respondents``): the form, its fields and topics are empty
        and ``respondents`` is ``<N`` (or empty when the relationship itself is large enough).

    Examples
    --------
    >>> scan = pd.DataFrame({"relationship": "r", "respondent": "a", "party": "x",
    ...                      "field": list(SCAN_FIELDS), "score": [8, 8, 5, 4, 8, 8, 4]})
    >>> typology(scan, parties=["x"]).loc[0, ["supported_form", "weakest_fields", "topics"]].tolist()
    ['aanpassen', 'informatie_uitwisseling, tegenspraak', 'informatie_uitwisseling, tegenspraak, communicatie']
    """
    relationships = relationships or {}
    columns = ["relationship", "respondents", "reported", "supported_form", "weakest_fields", "weakest_mean",
               "next_form", "topics", "desired_form", "form_gap", "largest_gap_field", "largest_gap", "missing"]
    topics = discussion_topics(scan, min_respondents=min_respondents)
    gaps = perception_gaps(scan, parties=parties, min_respondents=min_respondents).dropna(subset=["perception_gap"])
    reportable = _reportable_relationships(scan, min_respondents=min_respondents)
    rows = []
    for relationship, means in _field_means_by_relationship(scan):
        rows_of = scan[scan["relationship"] == relationship]
        row = dict.fromkeys(columns, float("nan"))
        row.update(relationship=relationship, respondents=rows_of["respondent"].nunique(),
                   reported=relationship in reportable, missing=_missing(rows_of, min_respondents=min_respondents))
        if means.index.size == len(SCAN_FIELDS) and row["reported"]:
            weakest = means.min()
            form = supported_form(weakest)
            listed = topics.loc[topics["relationship"] == relationship, "field"]
            row.update(supported_form=form, weakest_mean=round(weakest, 2), next_form=_next_form(form),
                       weakest_fields=_LIST.join(means.index[means <= weakest + TOLERANCE]),
                       topics=_LIST.join(listed))
        desired = (relationships.get(relationship) or {}).get("desired_form")
        if desired is not None:
            row["desired_form"] = desired
            if isinstance(row["supported_form"], str):
                row["form_gap"] = SCAN_FORMS.index(desired) - SCAN_FORMS.index(row["supported_form"])
        own_gaps = gaps[gaps["relationship"] == relationship]
        if len(own_gaps):
            largest = own_gaps.loc[own_gaps["perception_gap"].abs().idxmax()]  # first in field order on a tie
            row.update(largest_gap_field=largest["field"], largest_gap=largest["perception_gap"])
        rows.append(row)
    table = pd.DataFrame(rows, columns=columns).astype({"form_gap": "Int64", "reported": bool})
    table["respondents"] = shown_sizes(table["respondents"], min_group_size=min_respondents, hidden=~table["reported"])
    return table


# --- the scan next to the interviews -------------------------------------------------------

def interview_groups(interviews: pd.DataFrame, *, relationships: Mapping[str, Mapping] | None = None,
                     min_group_size: int) -> pd.DataFrame:
    """The groups of interviews the scan can be set beside, and whether each may be reported.

    A group is every party of ``interviews.csv``, plus, for each relationship whose
    ``study.yml`` settings name an ``organisation``, that organisation's interviews. A group
    with fewer than ``min_group_size`` interviews is not reported (small-cell suppression), and
    its size is written ``<N`` ("fewer than N"), not its count.

    Examples
    --------
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2", "i3"], "organisation": ["G", "G", "C"],
    ...                            "party": ["g", "g", "c"]})
    >>> interview_groups(interviews, relationships={"g-c": {"organisation": "C"}}, min_group_size=2)
      group         level organisation party  interviews  reported
    0     c         party          NaN     c          <2     False
    1     g         party          NaN     g           2      True
    2   g-c  relationship            C     c          <2     False
    """
    rows = [(party, "party", float("nan"), party, len(group))
            for party, group in interviews.groupby("party", sort=True)]
    for relationship, settings in sorted((relationships or {}).items()):
        organisation = (settings or {}).get("organisation")
        if organisation is None:
            continue
        own = interviews[interviews["organisation"] == organisation]
        party = own["party"].mode().iloc[0] if len(own) else float("nan")
        rows.append((relationship, "relationship", organisation, party, len(own)))
    table = pd.DataFrame(rows, columns=["group", "level", "organisation", "party", "interviews"])
    table["reported"] = table["interviews"] >= min_group_size
    table["interviews"] = shown_sizes(table["interviews"], min_group_size=min_group_size)
    return table


def scan_and_themes(scan: pd.DataFrame, codes: pd.DataFrame, quotes: pd.DataFrame, interviews: pd.DataFrame, *,
                    min_group_size: int, relationships: Mapping[str, Mapping] | None = None,
                    theme_fields: Mapping[str, Sequence[str]] = THEME_FIELDS, min_respondents: int = 1) -> pd.DataFrame:
    """The scan's fields beside the appreciation of the matching interview theme, per reported group.

    For each group of `interview_groups` that may be reported and each theme of
    ``theme_fields`` (default `THEME_FIELDS`): the mean scan score of the group's party on
    the theme's fields (pooled over those fields; for a relationship group only that
    relationship), and how the group's interviews appreciate the theme: the quotes with
    that theme by final code, split by valence. Groups below ``min_group_size`` interviews
    get no rows, so no statistic is attributed to them. The scan mean pools scores of several
    (relationship, party, field) groups; it is left empty (with ``scan_scores``) unless it has
    at least ``min_respondents`` respondents and its parts that `field_stats` suppresses have
    together none or at least ``min_respondents`` respondents (the module's privacy rule).

    Parameters
    ----------
    scan : the scan table.
    codes : final codes, one row per (quote_id, theme) with a ``valence``
        (`coopresearch.reliability.consensus_codes`).
    quotes, interviews : the study's quotes and interviews.
    min_group_size : the study's minimum number of interviews per reported group.
    relationships : ``study.yml`` settings per relationship (``organisation``).
    theme_fields : the scan fields that speak to each theme.
    min_respondents : the minimum number of scan respondents behind a shown scan mean.

    Examples
    --------
    >>> interviews = pd.DataFrame({"interview_id": ["i1", "i2"], "organisation": "G", "party": "g"})
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "interview_id": ["i1", "i2"]})
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2"], "theme": "reliability", "valence": ["positive", "negative"]})
    >>> scan = pd.DataFrame({"relationship": "g-c", "respondent": ["a", "b"], "party": "g",
    ...                      "field": "vertrouwen", "score": [6, 7]})
    >>> table = scan_and_themes(scan, codes, quotes, interviews, min_group_size=2,
    ...                         theme_fields={"reliability": ["vertrouwen"]})
    >>> table[["group", "theme", "scan_mean", "quotes", "positive", "positive_share"]]
      group        theme  scan_mean  quotes  positive  positive_share
    0     g  reliability        6.5       2         1             0.5
    """
    columns = ["group", "level", "theme", "fields", "scan_scores", "scan_mean", "quotes", "positive", "negative",
               "neutral", "positive_share"]
    groups = interview_groups(interviews, relationships=relationships, min_group_size=min_group_size)
    coded = (codes[["quote_id", "theme", "valence"]]
             .merge(quotes[["quote_id", "interview_id"]], on="quote_id")
             .merge(interviews[["interview_id", "organisation", "party"]], on="interview_id"))
    rows = []
    for group in groups[groups["reported"]].itertuples(index=False):
        if group.level == "party":
            own_codes, own_scan = coded[coded["party"] == group.party], scan[scan["party"] == group.party]
        else:
            own_codes = coded[coded["organisation"] == group.organisation]
            own_scan = scan[(scan["party"] == group.party) & (scan["relationship"] == group.group)]
        for theme, fields in theme_fields.items():
            scored = own_scan[own_scan["field"].isin(fields)]
            shown, scores = _pooled_shown(scored, min_respondents), scored["score"]
            valences = own_codes.loc[own_codes["theme"] == theme, "valence"]
            n = valences.size
            counts = {v: int((valences == v).sum()) for v in ("positive", "negative", "neutral")}
            rows.append((group.group, group.level, theme, _LIST.join(fields), scores.size if shown else pd.NA,
                         scores.sum() / scores.size if shown and scores.size else float("nan"), n, *counts.values(),
                         counts["positive"] / n if n else float("nan")))
    table = pd.DataFrame(rows, columns=columns).astype({"scan_scores": "Int64"})
    return table.round({"scan_mean": 2, "positive_share": 2})


def _pooled_shown(scored: pd.DataFrame, min_respondents: int) -> bool:
    """Whether scores pooled over several (relationship, party, field) groups may be shown (module's privacy rule)."""
    cells = ["relationship", "party", "field"]
    sizes = scored.groupby(cells)["respondent"].transform("nunique")
    hidden = scored.loc[sizes < min_respondents, "respondent"].nunique()
    return scored.empty or (scored["respondent"].nunique() >= min_respondents
                            and (hidden == 0 or hidden >= min_respondents))


# --- for readers ---------------------------------------------------------------------------------

def privacy_reading(*, answered_for: str, min_group_size: int, lang: str) -> str:
    """Why the scan report shows what it shows: the privacy rule for personal scores, or why organisations' are shown.

    Examples
    --------
    >>> print(privacy_reading(answered_for="organisation", min_group_size=3, lang="en"))
    **Privacy.** In this study each respondent scored the relationship on behalf of their organisation ...
    minimum group size of 3.
    """
    return SCAN_PRIVACY[answered_for][lang].format(n=min_group_size)


def field_table(lang: str) -> pd.DataFrame:
    """The seven fields with their reader's name and the anchors of their 1–10 scale.

    Examples
    --------
    >>> field_table("en").iloc[0].tolist()
    ['Trust', '1 small → 10 large']
    """
    i = 1 if lang == "nl" else 2
    rows = [(spec[lang], " → ".join(f"{a[0]} {a[i]}".strip() for a in spec["anchors"]))
            for spec in (FIELDS[f] for f in SCAN_FIELDS)]
    return localise(pd.DataFrame(rows, columns=["field", "scale"]), lang)


def form_table(lang: str) -> pd.DataFrame:
    """The three forms of collaboration, the weakest-field mean each needs, and what each means.

    Examples
    --------
    >>> form_table("en")["Weakest field"].tolist()
    ['< 4', '4 to < 7', '≥ 7']
    """
    needs = {"afstemmen": "< 4", "aanpassen": f"4 {label('to', lang)} < 7", "aaneenvlechten": "≥ 7"}
    rows = [(FORMS[f][lang], needs[f], FORMS[f][f"description_{lang}"]) for f in SCAN_FORMS]
    return localise(pd.DataFrame(rows, columns=["form", "weakest_field", "description"]), lang)


def readable(table: pd.DataFrame, *, lang: str, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A scan table for readers: field and form ids as words, column names translated.

    ``names`` gives the words for other ids in the table, such as parties
    (`Study.party_labels`) and themes (`Codebook.labels`); a column named after a party
    gets that party's name.

    Examples
    --------
    >>> readable(pd.DataFrame({"field": ["doelen"], "supported_form": ["aanpassen"], "mean": [7.0],
    ...                        "std": [float("nan")]}), lang="en")
       Field Supported form  Mean Standard deviation
    0  Goals          Adapt  7.00
    """
    given = dict(names or {})
    names = {f: spec[lang] for f, spec in FIELDS.items()}
    names.update({f: spec[lang] for f, spec in FORMS.items()})
    names.update(given)
    names[ALL_PARTIES] = label("(all parties)", lang)

    def words(value):
        if not isinstance(value, str):
            return value
        return _LIST.join(names.get(part, part) for part in value.split(_LIST)) if value else value

    listed = ["field", "party", "group", "supported_form", "desired_form", "next_form", "weakest_fields", "topics",
              "largest_gap_field", "fields", "theme"]
    shown = table.copy()
    for column in shown.columns.intersection(listed):
        shown[column] = shown[column].map(words)
    if "level" in shown:  # party or relationship
        shown["level"] = shown["level"].map(lambda level: label(level, lang))
    for column in shown.select_dtypes(include="bool").columns:
        shown[column] = shown[column].map(lambda value: label(bool(value), lang))
    for column in shown.select_dtypes(include="float").columns:  # 7.00 beside 7.33, not 7.0
        shown[column] = shown[column].map(lambda x: "" if pd.isna(x) else decimal_text(x, lang, 2))
    shown = shown.astype(object).where(shown.notna(), "")  # a reader sees an empty cell, not NaN
    for column in shown.columns.intersection(["respondents", "interviews"]):  # '<3': a suppressed group's size
        shown[column] = shown[column].map(
            lambda value: FEWER_THAN[lang].format(n=value[1:]) if isinstance(value, str) and value[:1] == "<" else value)
    return localise(shown.rename(columns=given), lang)
