"""Inter-coder reliability of the human (and machine) coding.

The statistics come from maintained libraries: Krippendorff's alpha from the ``krippendorff``
package, Cohen's kappa from scikit-learn. This module shapes the coding into *units* and
explains, rather than hides, the cases where a statistic is undefined.

Units. Coding is multi-label (a quote can carry several themes or none), so the unit of
analysis is a (quote, theme) pair with value 1 (the coder applied the theme) or 0 (the coder
reviewed the quote — any row for it in ``codings``, an empty-theme row included — and did not
apply the theme). A quote the coder did not review is missing (NaN) for every theme. A machine
coder is one more column: any coder name works.

Undefined statistics. The direct API (`krippendorff_alpha`, `cohen_kappa`) raises
`CoopResearchError` saying why; the tables (`reliability_table`, `pairwise_table`) report NaN
with a ``note``: ``fewer than two coders``, ``no unit coded by two coders`` (or ``by both``) and
``no variation`` (every pairable value is the same, e.g. a theme nobody used: alpha is 0/0).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd

from .errors import CoopResearchError
from .labels import CONSENSUS_RULE, RELIABILITY, label, localise, markdown_text

__all__ = [
    "ALL_THEMES",
    "CONSENSUS_CODER",
    "LEVELS",
    "RELIABLE",
    "TENTATIVE",
    "add_machine_codes",
    "agreement_matrix",
    "alpha_interval",
    "coder_theme_counts",
    "cohen_kappa",
    "consensus_codes",
    "consensus_rule",
    "disagreements",
    "krippendorff_alpha",
    "pairwise_table",
    "reading",
    "reliability_table",
    "report_table",
    "teaching_codes",
    "units",
    "verdict",
]

CONSENSUS_CODER = "consensus"
ALL_THEMES = "(all)"
LEVELS = ("nominal", "ordinal", "interval", "ratio")
# Krippendorff (2004, p. 241): rely on variables with alpha >= .800; draw only tentative
# conclusions from those with .667 <= alpha < .800.
RELIABLE = 0.800
TENTATIVE = 0.667
ONE_CODER = "fewer than two coders"
NO_PAIRS = "no unit coded by two coders"
NO_SHARED = "no unit coded by both"
NO_VARIATION = "no variation"


def coder_theme_counts(codings: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Number of quotes each coder gave each theme; ``(uncoded)`` counts quotes left without theme.

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2"], "coder": ["a", "b", "b"],
    ...                         "theme": ["trust", "trust", None]})
    >>> coder_theme_counts(codings, ["trust", "mandate"])
    coder       a  b
    theme
    trust       1  1
    mandate     0  0
    (uncoded)   0  1
    """
    rows = codings.assign(theme=codings["theme"].fillna("(uncoded)"))
    counts = rows.drop_duplicates(["quote_id", "coder", "theme"]).pivot_table(
        index="theme", columns="coder", values="quote_id", aggfunc="count", fill_value=0)
    order = list(themes) + ["(uncoded)"]
    coders = sorted(codings["coder"].unique())
    counts = counts.reindex(index=order, columns=coders, fill_value=0).astype(int)
    counts.columns.name = "coder"
    return counts


def consensus_codes(codings: pd.DataFrame) -> pd.DataFrame:
    """The final human codes of each quote, by the study's consensus rule.

    Where a coder named ``consensus`` reviewed a quote, its codes are final. Otherwise a
    theme applies to a quote when at least half of the coders who reviewed the quote
    applied it. The valence is the one most of those coders gave (``neutral`` on a tie).
    Pass the human codings (``codings.csv``) only: a machine coder would count as a reviewer.

    Returns one row per (quote, theme) that applies: ``quote_id, theme, valence, source,
    coders`` (how many applied it) and ``reviewers`` (how many reviewed the quote).

    Examples
    --------
    >>> codings = pd.DataFrame({
    ...     "quote_id": ["q1", "q1", "q2", "q2", "q3", "q3"],
    ...     "coder": ["a", "b", "a", "b", "a", "consensus"],
    ...     "theme": ["trust", "trust", "trust", None, "trust", "mandate"],
    ...     "valence": ["positive", "negative", "negative", None, "positive", "negative"]})
    >>> consensus_codes(codings)
      quote_id    theme   valence     source  coders  reviewers
    0       q1    trust   neutral   majority       2          2
    1       q2    trust  negative   majority       1          2
    2       q3  mandate  negative  consensus       1          1
    """
    codings = codings.assign(valence=codings.get("valence", pd.Series(index=codings.index, dtype=object)))
    settled = set(codings.loc[codings["coder"] == CONSENSUS_CODER, "quote_id"])
    final = codings[(codings["coder"] == CONSENSUS_CODER) | ~codings["quote_id"].isin(settled)]
    reviewers = final.groupby("quote_id")["coder"].nunique().rename("reviewers")
    applied = final.dropna(subset=["theme"]).drop_duplicates(["quote_id", "coder", "theme"])

    def majority_valence(values: pd.Series) -> str:
        counts = values.dropna().value_counts()
        if counts.empty or (len(counts) > 1 and counts.iloc[0] == counts.iloc[1]):
            return "neutral"
        return counts.index[0]

    table = (applied.groupby(["quote_id", "theme"])
             .agg(valence=("valence", majority_valence), coders=("coder", "nunique"))
             .reset_index().join(reviewers, on="quote_id"))
    table = table[table["coders"] * 2 >= table["reviewers"]]
    table.insert(3, "source", table["quote_id"].isin(settled).map({True: CONSENSUS_CODER, False: "majority"}))
    return table.sort_values(["quote_id", "theme"], ignore_index=True)


def teaching_codes(codings: pd.DataFrame) -> dict:
    """What a study's people coded, as it teaches the machine coder (`coding.study_coder`): ``human``, the final
    codes (`consensus_codes`), and ``reviewed``, the quotes coded (a quote coded without a theme taught it too).

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q2"], "coder": ["a", "a"], "theme": ["trust", None]})
    >>> taught = teaching_codes(codings)
    >>> taught["human"]["theme"].tolist(), list(taught["reviewed"])
    (['trust'], ['q1', 'q2'])
    """
    return {"human": consensus_codes(codings), "reviewed": codings["quote_id"].unique()}


def consensus_rule(lang: str) -> str:
    """The consensus rule of `consensus_codes` in words, for the report (Markdown).

    Examples
    --------
    >>> "at least half" in consensus_rule("en")
    True
    """
    return CONSENSUS_RULE[_language(lang)]


def _language(lang: str) -> str:
    if lang not in CONSENSUS_RULE:
        raise CoopResearchError(f"The 'lang' parameter must be one of 'nl', 'en'. Got {lang!r} instead.")
    return lang


# --- shaping the coding into units --------------------------------------------------------------


def _checked(codings: pd.DataFrame, themes: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in ("quote_id", "coder", "theme") if c not in codings.columns]
    if missing:
        raise CoopResearchError(f"The codings lack the column(s) {', '.join(missing)}; "
                                "they need quote_id, coder and theme (one row per applied theme).")
    unknown = sorted(set(codings["theme"].dropna()) - set(themes))
    if unknown:
        raise CoopResearchError(f"The codings use theme(s) {', '.join(map(repr, unknown))} that are not among the "
                                f"themes {', '.join(map(repr, themes))} — add them to the codebook or correct the codes.")
    return codings


def _coders(codings: pd.DataFrame, coders: Sequence[str] | None) -> list[str]:
    present = sorted(set(codings["coder"].dropna()))
    if coders is None:
        # The consensus coder reconciles the others; counting it would inflate the agreement.
        return [c for c in present if c != CONSENSUS_CODER]
    unknown = [c for c in coders if c not in present]
    if unknown:
        raise CoopResearchError(f"The coder(s) {', '.join(map(repr, unknown))} have no codings; "
                                f"the codings have {', '.join(map(repr, present))}.")
    return list(dict.fromkeys(coders))


def units(codings: pd.DataFrame, themes: Sequence[str], *, coders: Sequence[str] | None = None) -> pd.DataFrame:
    """The reliability data: one row per (quote, theme), one column per coder, 1/0/NaN.

    1: the coder applied the theme to the quote; 0: the coder reviewed the quote (any row
    for it, an empty-theme row included) but did not apply the theme; NaN: the coder did
    not review the quote. ``coders`` picks and orders the coders (default: every coder but
    ``consensus``, sorted). Only quotes reviewed by at least one of them are units.

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2"], "coder": ["a", "b", "a"],
    ...                         "theme": ["trust", None, None]})
    >>> units(codings, ["trust", "mandate"])
    coder             a    b
    quote_id theme
    q1       trust    1.0  0.0
             mandate  0.0  0.0
    q2       trust    0.0  NaN
             mandate  0.0  NaN
    """
    codings = _checked(codings, themes)
    coders = _coders(codings, coders)
    rows = codings[codings["coder"].isin(coders)]
    quotes = sorted(rows["quote_id"].unique())
    index = pd.MultiIndex.from_product([quotes, list(themes)], names=["quote_id", "theme"])
    reviewed = (rows.drop_duplicates(["quote_id", "coder"]).assign(value=0.0)
                .pivot(index="quote_id", columns="coder", values="value").reindex(columns=coders))
    table = reviewed.reindex(index.get_level_values("quote_id"))
    table.index = index
    applied = rows.dropna(subset=["theme"]).drop_duplicates(["quote_id", "coder", "theme"])
    marks = (applied.assign(value=1.0).pivot(index=["quote_id", "theme"], columns="coder", values="value")
             .reindex(index=index, columns=coders))
    table = table.mask(marks.notna(), 1.0).astype(float)
    table.columns = pd.Index(coders, name="coder")
    return table


def add_machine_codes(codings: pd.DataFrame, codes: pd.DataFrame, quote_ids: Sequence[str]) -> pd.DataFrame:
    """The human codings plus machine codes, with the machine coder(s) reviewing every quote in ``quote_ids``.

    ``codes`` is the long output of a machine coder (``quote_id, theme, coder``, one row per
    theme it assigned); it has no rows for the quotes it left uncoded, so an empty-theme row
    per (coder, quote) marks them as reviewed. The result feeds `units`, `reliability_table`
    and friends; it is not meant for `consensus_codes`, whose rule counts human coders.

    Examples
    --------
    >>> human = pd.DataFrame({"quote_id": ["q1", "q2"], "coder": ["a", "a"], "theme": ["trust", None]})
    >>> machine = pd.DataFrame({"quote_id": ["q1"], "theme": ["trust"], "coder": ["dictionary"]})
    >>> units(add_machine_codes(human, machine, ["q1", "q2"]), ["trust"])["dictionary"].tolist()
    [1.0, 0.0]
    """
    reviewed = pd.DataFrame([(q, c) for c in sorted(codes["coder"].unique()) for q in quote_ids],
                            columns=["quote_id", "coder"]).assign(theme=np.nan)
    combined = pd.concat([codings, codes[["quote_id", "coder", "theme"]], reviewed], ignore_index=True)
    return combined.drop_duplicates(["quote_id", "coder", "theme"], ignore_index=True)


# --- the statistics -----------------------------------------------------------------------------


def _check_level(level: str, function: str) -> None:
    if level not in LEVELS:
        raise CoopResearchError(f"The 'level' parameter of {function} must be one of "
                                f"{', '.join(map(repr, LEVELS))}. Got {level!r} instead.")


def _reliability_matrix(data: pd.DataFrame, level: str) -> np.ndarray:
    """Coders x units floats, NaN missing; nominal values of any type are numbered first."""
    if level == "nominal":
        values = data.to_numpy(dtype=object)
        given = ~pd.isna(values)
        numbered = np.full(values.shape, np.nan)
        numbered[given] = pd.factorize(values[given])[0]
        return numbered.T
    try:
        return data.apply(pd.to_numeric).to_numpy(dtype=float).T
    except (ValueError, TypeError) as error:
        raise CoopResearchError(f"{level} alpha needs numbers; {error}. Use level='nominal' for categories.") from None


def _value_counts(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units x values: how many coders gave each value to each unit; and the value domain."""
    domain = np.unique(matrix[~np.isnan(matrix)])
    return (matrix.T[..., np.newaxis] == domain).sum(axis=1), domain


def _undefined(counts: np.ndarray) -> str:
    """Why alpha is undefined for these value counts, or ``""``."""
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) == 0:
        return NO_PAIRS
    if (pairable.sum(axis=0) > 0).sum() < 2:
        return NO_VARIATION
    return ""


def _alpha(counts: np.ndarray, domain: np.ndarray, level: str) -> float:
    return float(krippendorff.alpha(value_counts=counts, value_domain=domain, level_of_measurement=level))


def _alpha_or_note(data: pd.DataFrame, level: str) -> tuple[float, str]:
    if data.shape[1] < 2:
        return np.nan, ONE_CODER
    counts, domain = _value_counts(_reliability_matrix(data, level))
    note = _undefined(counts)
    return (np.nan, note) if note else (_alpha(counts, domain, level), "")


def krippendorff_alpha(data: pd.DataFrame, level: str = "nominal") -> float:
    """Krippendorff's alpha for any number of coders, with missing values.

    ``data`` has one row per unit and one column per coder, NaN where a coder gave no value.
    Units coded by one coder only are unpairable and do not count (as in Krippendorff's
    method). ``level`` is the level of measurement: nominal, ordinal, interval or ratio.

    Raises
    ------
    CoopResearchError
        When alpha is undefined: fewer than two coders, no unit coded by two coders, or no
        variation (all pairable values equal, so observed and expected disagreement are 0).

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School
    for Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43
    Computed by the ``krippendorff`` package (Castro, https://github.com/pln-fing-udelar/fast-krippendorff).

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1, 1, 0, 0], "b": [1, 0, 0, np.nan]})
    >>> round(krippendorff_alpha(data), 3)
    0.444
    """
    _check_level(level, "krippendorff_alpha")
    if not isinstance(data, pd.DataFrame):
        raise CoopResearchError("krippendorff_alpha needs a DataFrame: one row per unit, one column per coder.")
    value, note = _alpha_or_note(data, level)
    if note:
        why = {ONE_CODER: f"it needs two or more coders; got {data.shape[1]} ({', '.join(map(str, data.columns))})",
               NO_PAIRS: "no unit was coded by two or more coders",
               NO_VARIATION: "every pairable value is the same (no variation)"}[note]
        raise CoopResearchError(f"Krippendorff's alpha is undefined: {why}.")
    return value


def alpha_interval(data: pd.DataFrame, *, level: str = "nominal", n_boot: int = 1000, seed: int = 2009,
                   confidence: float = 0.95, by: str | None = None) -> tuple[float, float]:
    """A bootstrap percentile confidence interval for Krippendorff's alpha.

    Method: draw ``n_boot`` samples of the units with replacement (with
    ``numpy.random.default_rng(seed)``, so re-runs match), compute alpha on each with the
    ``krippendorff`` package, and take the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2``
    quantiles of the samples where alpha is defined. With ``by`` (an index level, e.g.
    ``"quote_id"``) whole groups of units are drawn instead — a cluster bootstrap for units
    that are not independent, like the themes of one quote. This resamples units, unlike
    Hayes & Krippendorff's (2007) KALPHA macro, which resamples pairable values; the
    intervals are close for many units and honest about between-unit variation.
    Returns ``(nan, nan)`` where alpha itself is undefined.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13 (percentile interval).
    Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure for
    coding data. Communication Methods and Measures, 1(1), 77–89.

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1, 1, 0, 0, 1, 0] * 5, "b": [1, 0, 0, 0, 1, 0] * 5})
    >>> low, high = alpha_interval(data, n_boot=200)
    >>> bool(low < krippendorff_alpha(data) < high)
    True
    """
    _check_level(level, "alpha_interval")
    if not 0 < confidence < 1:
        raise CoopResearchError(f"The 'confidence' parameter of alpha_interval must be a float in the range (0, 1). "
                                f"Got {confidence!r} instead.")
    if int(n_boot) < 1:
        raise CoopResearchError(f"The 'n_boot' parameter of alpha_interval must be a positive integer. Got {n_boot!r}.")
    if _alpha_or_note(data, level)[1]:
        return np.nan, np.nan
    counts, domain = _value_counts(_reliability_matrix(data, level))
    groups = np.arange(len(data)) if by is None else pd.factorize(data.index.get_level_values(by))[0]
    members = [np.flatnonzero(groups == g) for g in range(groups.max() + 1)]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(members), size=(int(n_boot), len(members)))
    if level == "nominal":
        values = _nominal_alphas(counts, _times_drawn(draws, groups))
    else:
        values = np.asarray([np.nan if _undefined(sample) else _alpha(sample, domain, level)
                             for sample in (counts[np.concatenate([members[g] for g in draw])] for draw in draws)])
    if np.isnan(values).all():
        return np.nan, np.nan
    low, high = np.nanquantile(values, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)


def _times_drawn(draws: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Samples x units: how often each unit is in each bootstrap sample (a unit comes with its group)."""
    per_group = np.stack([np.bincount(draw, minlength=groups.max() + 1) for draw in draws])
    return per_group[:, groups]


def _nominal_alphas(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Nominal alpha of every bootstrap sample at once (NaN where undefined), from the units' coincidences.

    Krippendorff's coincidences are sums over units, so a sample's are the units' weighted by
    how often each was drawn: ``o = weights @ per-unit coincidences``; then alpha is
    ``1 - (n - 1) * disagreeing o / disagreeing n_c * n_k``, as in `krippendorff.alpha`.
    """
    counts = counts.astype(float)
    pairable = counts.sum(axis=1)
    keep = pairable >= 2
    counts, weights, pairable = counts[keep], weights[:, keep].astype(float), pairable[keep]
    if not len(counts):
        return np.full(len(weights), np.nan)
    per_unit = (counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(counts.shape[1])) \
        / (pairable - 1)[:, None, None]
    coincidences = np.tensordot(weights, per_unit, axes=1)  # samples x values x values
    totals = coincidences.sum(axis=2)
    n = totals.sum(axis=1)
    off = ~np.eye(counts.shape[1], dtype=bool)
    observed = coincidences[:, off].sum(axis=1)
    expected = (totals[:, :, None] * totals[:, None, :])[:, off].sum(axis=1)
    values_present = (weights @ counts > 0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alphas = 1 - (n - 1) * observed / expected
    return np.where((values_present >= 2) & (n > 0), alphas, np.nan)


def _kappa_or_note(a: np.ndarray, b: np.ndarray) -> tuple[float, str]:
    labels = sorted(set(a) | set(b))
    if len(a) == 0:
        return np.nan, NO_SHARED
    if len(labels) < 2:
        return np.nan, NO_VARIATION
    from sklearn.metrics import cohen_kappa_score  # imported when needed: scikit-learn takes a second to load

    return float(cohen_kappa_score(a, b, labels=labels)), ""


def cohen_kappa(a: Sequence, b: Sequence) -> float:
    """Cohen's kappa of two coders' labels for the same units (scikit-learn's ``cohen_kappa_score``).

    Raises
    ------
    CoopResearchError
        When the sequences differ in length, are empty or hold missing values, or when kappa is
        undefined because both coders gave every unit the same label (no variation).

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
    Psychological Measurement, 20(1), 37–46.

    Examples
    --------
    >>> round(cohen_kappa(["yes", "yes", "no", "no"], ["yes", "no", "no", "no"]), 3)
    0.5
    """
    a, b = pd.Series(list(a), dtype=object), pd.Series(list(b), dtype=object)
    if len(a) != len(b):
        raise CoopResearchError(f"Cohen's kappa needs two equally long label sequences; got {len(a)} and {len(b)}.")
    if len(a) == 0:
        raise CoopResearchError("Cohen's kappa needs at least one unit; got two empty sequences.")
    if a.isna().any() or b.isna().any():
        raise CoopResearchError("Cohen's kappa needs a label for every unit from both coders; drop the units "
                                "either coder left missing (or use krippendorff_alpha, which handles them).")
    # Number the labels jointly: unweighted kappa does not depend on the names, and scikit-learn
    # cannot tell the type of an object array of numbers.
    numbered = pd.factorize(pd.concat([a, b], ignore_index=True))[0]
    value, note = _kappa_or_note(numbered[:len(a)], numbered[len(a):])
    if note:
        raise CoopResearchError(f"Cohen's kappa is undefined: both coders gave every unit the label {a.iloc[0]!r} "
                                "(no variation).")
    return value


# --- tables for the report ----------------------------------------------------------------------


def _pair_agreement(data: pd.DataFrame) -> tuple[float, int]:
    """Share of agreeing coder pairs over the pairable units, and the number of pairable units."""
    counts, _ = _value_counts(data.to_numpy(dtype=float).T)
    coded = counts.sum(axis=1)
    pairable = coded >= 2
    pairs = (coded * (coded - 1) / 2)[pairable].sum()
    agreeing = (counts * (counts - 1) / 2).sum(axis=1)[pairable].sum()
    return (float(agreeing / pairs) if pairs else np.nan), int(pairable.sum())


def _by_theme(table: pd.DataFrame, themes: Sequence[str]):
    """(theme, units of that theme) for every theme, then (ALL_THEMES, every unit)."""
    level = table.index.get_level_values("theme")
    for theme in themes:
        yield theme, table[level == theme]
    yield ALL_THEMES, table


def pairwise_table(codings: pd.DataFrame, themes: Sequence[str], *, coders: Sequence[str] | None = None) -> pd.DataFrame:
    """Cohen's kappa and percent agreement of every pair of coders, per theme and over all themes.

    Columns ``theme, coder_a, coder_b, kappa, agreement, n, note``; ``n`` counts the units
    (quotes, or (quote, theme) pairs for ``(all)``) both coders reviewed.

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2", "q2", "q3", "q3"],
    ...                         "coder": ["a", "b"] * 3, "theme": ["trust", "trust", "trust", None, None, None]})
    >>> pairwise_table(codings, ["trust"])[["theme", "coder_a", "coder_b", "kappa", "agreement", "n"]]
       theme coder_a coder_b  kappa  agreement  n
    0  trust       a       b    0.4   0.666667  3
    1  (all)       a       b    0.4   0.666667  3
    """
    table = units(codings, themes, coders=coders)
    rows = []
    for theme, part in _by_theme(table, themes):
        for a, b in combinations(table.columns, 2):
            both = part[[a, b]].dropna()
            kappa, note = _kappa_or_note(both[a].to_numpy(), both[b].to_numpy())
            agreement = float((both[a] == both[b]).mean()) if len(both) else np.nan
            rows.append((theme, a, b, kappa, agreement, len(both), note))
    result = pd.DataFrame(rows, columns=["theme", "coder_a", "coder_b", "kappa", "agreement", "n", "note"])
    return result.round({"kappa": 6, "agreement": 6})


def _kappa_column(a: str, b: str) -> str:
    return f"kappa_{a}_vs_{b}"


def reliability_table(codings: pd.DataFrame, themes: Sequence[str], *, coders: Sequence[str] | None = None,
                      n_boot: int = 1000, seed: int = 2009, confidence: float = 0.95) -> pd.DataFrame:
    """Reliability per theme and over all themes: alpha with a bootstrap interval, kappa per pair, agreement.

    One row per theme in codebook order, then ``(all)`` (every (quote, theme) unit pooled;
    its interval resamples whole quotes, see `alpha_interval`). Columns: ``theme, alpha,
    alpha_low, alpha_high, verdict`` (reliable / tentative / unreliable / undefined, see
    `verdict`), ``agreement`` (share of agreeing coder pairs over the pairable units),
    ``n`` (pairable units: reviewed by two or more coders), ``coders``, ``note`` (why alpha
    is undefined) and ``kappa_A_vs_B`` for every pair of coders. Any coder names work, a
    machine coder included (see `add_machine_codes`); ``consensus`` is left out by default.

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2", "q2", "q3", "q3"],
    ...                         "coder": ["a", "b"] * 3, "theme": ["trust", "trust", "trust", None, None, None]})
    >>> reliability_table(codings, ["trust", "mandate"], n_boot=100)[["theme", "alpha", "n", "note"]]
         theme     alpha  n          note
    0    trust  0.444444  3
    1  mandate       NaN  3  no variation
    2    (all)  0.592593  6
    """
    table = units(codings, themes, coders=coders)
    pairs = pairwise_table(codings, themes, coders=coders)
    kappas = {(row.theme, row.coder_a, row.coder_b): row.kappa for row in pairs.itertuples()}
    rows = []
    for theme, part in _by_theme(table, themes):
        alpha, note = _alpha_or_note(part, "nominal")
        low, high = alpha_interval(part, n_boot=n_boot, seed=seed, confidence=confidence,
                                   by="quote_id" if theme == ALL_THEMES else None)
        agreement, n = _pair_agreement(part)
        row = {"theme": theme, "alpha": alpha, "alpha_low": low, "alpha_high": high, "verdict": verdict(alpha),
               "agreement": agreement, "n": n, "coders": int(part.notna().any().sum()), "note": note}
        for a, b in combinations(table.columns, 2):
            row[_kappa_column(a, b)] = kappas[(theme, a, b)]
        rows.append(row)
    result = pd.DataFrame(rows)
    return result.round({c: 6 for c in result.columns if c in ("alpha", "alpha_low", "alpha_high", "agreement")
                         or c.startswith("kappa_")})


def verdict(alpha: float) -> str:
    """Krippendorff's reading of an alpha: reliable (≥ 0.800), tentative (≥ 0.667), unreliable, or undefined.

    References
    ----------
    Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.), p. 241.

    Examples
    --------
    >>> [verdict(a) for a in (0.85, 0.7, 0.5, float("nan"))]
    ['reliable', 'tentative', 'unreliable', 'undefined']
    """
    if alpha is None or np.isnan(alpha):
        return "undefined"
    # Compare at the published three decimals, so 0.7999 reported as 0.800 reads as reliable.
    alpha = round(float(alpha), 3)
    return "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "unreliable"


def agreement_matrix(codings: pd.DataFrame, themes: Sequence[str], *, coders: Sequence[str] | None = None,
                     statistic: str = "agreement") -> pd.DataFrame:
    """Coder x coder agreement over every (quote, theme) unit both reviewed: ``agreement`` or ``kappa``.

    The diagonal is 1; a pair without shared units (or, for kappa, without variation) is NaN.

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2", "q2"], "coder": ["a", "b"] * 2,
    ...                         "theme": ["trust", "trust", "trust", None]})
    >>> agreement_matrix(codings, ["trust", "mandate"])
    coder     a     b
    coder
    a      1.00  0.75
    b      0.75  1.00
    """
    if statistic not in ("agreement", "kappa"):
        raise CoopResearchError("The 'statistic' parameter of agreement_matrix must be one of 'agreement', 'kappa'. "
                                f"Got {statistic!r} instead.")
    pairs = pairwise_table(codings, themes, coders=coders)
    pairs = pairs[pairs["theme"] == ALL_THEMES]
    names = units(codings, themes, coders=coders).columns
    matrix = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for row in pairs.itertuples():
        matrix.loc[row.coder_a, row.coder_b] = matrix.loc[row.coder_b, row.coder_a] = getattr(row, statistic)
    return matrix.rename_axis(index="coder", columns="coder")


def disagreements(codings: pd.DataFrame, quotes: pd.DataFrame, themes: Sequence[str], *,
                  coders: Sequence[str] | None = None, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The quotes the coders coded differently, for the reconciliation meeting.

    One row per quote where two coders who both reviewed it differ on at least one theme:
    ``quote_id, text, themes`` (the disputed themes) and one column per coder with the themes
    that coder assigned (``—`` for none; empty where the coder did not review the quote).
    ``names`` maps theme ids to the reader's labels. Quotes are identified by id only.

    Examples
    --------
    >>> codings = pd.DataFrame({"quote_id": ["q1", "q1", "q2", "q2"], "coder": ["a", "b"] * 2,
    ...                         "theme": ["trust", "trust", "trust", None]})
    >>> quotes = pd.DataFrame({"quote_id": ["q1", "q2"], "text": ["We trust them.", "Promises broken."]})
    >>> disagreements(codings, quotes, ["trust"])
      quote_id              text themes      a  b
    0       q2  Promises broken.  trust  trust  —
    """
    table = units(codings, themes, coders=coders)
    names = names or {}
    # a (quote, theme) is disputed when one coder applied the theme and another reviewed the quote without it
    disputed = table[(table == 1).any(axis=1) & (table == 0).any(axis=1)]
    quote_ids = disputed.index.get_level_values("quote_id").unique()
    rows = []
    for quote_id in quote_ids:
        part = table.loc[quote_id]
        row = {"quote_id": quote_id,
               "themes": ", ".join(names.get(t, t) for t in disputed.loc[quote_id].index)}
        for coder in table.columns:
            given = part.index[part[coder] == 1]
            row[coder] = (", ".join(names.get(t, t) for t in given) or "—") if part[coder].notna().any() else ""
        rows.append(row)
    result = pd.DataFrame(rows, columns=["quote_id", "themes", *table.columns])
    text = quotes.drop_duplicates("quote_id").set_index("quote_id")["text"]
    result.insert(1, "text", result["quote_id"].map(text))
    return result


# --- words for the report -----------------------------------------------------------------------


def _number(value: float, lang: str) -> str:
    text = f"{value:.3f}"
    return text.replace(".", ",") if lang == "nl" else text


def reading(table: pd.DataFrame, *, lang: str, names: dict[str, str] | None = None, confidence: float = 0.95) -> str:
    """An honest reading of a `reliability_table` in the report language (Markdown).

    States the pooled alpha with its interval and Krippendorff's verdict, lists the themes
    by verdict, and warns where an interval reaches below the threshold of its verdict. Theme
    labels come from the study's codebook: they are escaped with `labels.markdown_text`.

    Examples
    --------
    >>> table = pd.DataFrame({"theme": ["trust", "(all)"], "alpha": [0.7, 0.85], "alpha_low": [0.6, 0.81],
    ...                       "alpha_high": [0.8, 0.9], "n": [10, 20]})
    >>> print(reading(table, lang="en"))
    Over all themes α = 0.850 (95% CI 0.810–0.900, 20 units): reliable. The coding is reliable enough to base conclusions on.
    <BLANKLINE>
    - Tentative (0.667 ≤ α < 0.800): trust
    - Note: the confidence interval reaches below 0.667 for trust; there the verdict is uncertain.
    <BLANKLINE>
    Thresholds after Krippendorff (2004, p. 241).
    """
    words = RELIABILITY[_language(lang)]
    given = names or {}
    names = {theme: markdown_text(given.get(theme, theme)) for theme in table["theme"]}
    pooled = table[table["theme"] == ALL_THEMES].iloc[0]
    overall = verdict(pooled["alpha"])
    if overall == "undefined":
        head = f"{words['all']}: α {words['undefined']} ({label(pooled.get('note') or NO_PAIRS, lang)})."
    else:
        head = words["verdict"].format(
            what=words["all"], a=_number(pooled["alpha"], lang), ci=words["ci"].format(p=round(confidence * 100)),
            lo=_number(pooled["alpha_low"], lang), hi=_number(pooled["alpha_high"], lang),
            n=words["n"].format(n=int(pooled["n"])), v=words[overall])
    lines = [f"{head} {words['advice'][overall]}", ""]
    themes = table[table["theme"] != ALL_THEMES]
    kinds = themes["alpha"].map(verdict)
    for kind in ("reliable", "tentative", "unreliable", "undefined"):
        chosen = themes.loc[kinds == kind, "theme"]
        if len(chosen):
            shown = [names.get(t, t) for t in chosen]
            if kind == "undefined" and "note" in themes:
                shown = [f"{name} ({label(note, lang)})" for name, note in zip(shown, themes.loc[chosen.index, "note"],
                                                                               strict=True)]
            lines.append(f"- {words['groups'][kind]}: {', '.join(shown)}")
    for floor in (RELIABLE, TENTATIVE):
        below = [words["all"].lower() if row.theme == ALL_THEMES else names.get(row.theme, row.theme)
                 for row in table.itertuples()
                 if {"reliable": RELIABLE, "tentative": TENTATIVE}.get(verdict(row.alpha)) == floor
                 and round(row.alpha_low, 3) < floor]
        if below:
            lines.append("- " + words["uncertain"].format(t=", ".join(below), x=_number(floor, lang)))
    lines += ["", words["source"]]
    return "\n".join(lines)


def report_table(table: pd.DataFrame, *, lang: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """A `reliability_table` for readers: theme labels, three decimals, interval as text, words in ``lang``.

    Examples
    --------
    >>> table = pd.DataFrame({"theme": ["(all)"], "alpha": [0.85], "alpha_low": [0.81], "alpha_high": [0.9],
    ...                       "verdict": ["reliable"], "agreement": [0.9], "n": [20], "coders": [2], "note": [""],
    ...                       "kappa_a_vs_b": [0.84]})
    >>> report_table(table, lang="en").columns.tolist()
    ['Theme', 'α', '95% CI', 'Verdict', 'Agreement', 'Units', 'Coders', 'Note', 'κ a–b']
    """
    names = {ALL_THEMES: label(ALL_THEMES, lang), **(names or {})}
    shown = table.copy()
    shown["theme"] = shown["theme"].map(lambda t: names.get(t, t))
    ci = shown.apply(lambda r: "" if np.isnan(r["alpha_low"]) else
                     f"{_number(r['alpha_low'], lang)}–{_number(r['alpha_high'], lang)}", axis=1)
    shown.insert(shown.columns.get_loc("alpha_high") + 1, "alpha_ci", ci)
    shown = shown.drop(columns=["alpha_low", "alpha_high"])
    shown["verdict"] = shown["verdict"].map(lambda v: label(v, lang))
    shown["note"] = shown["note"].fillna("").map(lambda v: label(v, lang) if v else "")
    numbers = ["alpha", "agreement", *(c for c in shown.columns if c.startswith("kappa_"))]
    shown[numbers] = shown[numbers].map(lambda v: "" if pd.isna(v) else _number(v, lang))
    kappas = {c: "κ " + c.removeprefix("kappa_").replace("_vs_", "–") for c in shown.columns if c.startswith("kappa_")}
    return localise(shown.rename(columns={"n": "units", **kappas}), lang)
