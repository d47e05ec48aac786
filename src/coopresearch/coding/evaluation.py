"""How well machine codes agree with human codes, and how many quotes each theme got.

Examples
--------
>>> codes = pd.DataFrame({"quote_id": ["q1"], "theme": ["mandate"], "coder": ["hybrid"]})
>>> agreement(codes, codes, ["q1", "q2"], themes=["mandate"])["f1"].tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from .table import label_matrix

__all__ = ["agreement", "theme_counts"]


def agreement(machine: pd.DataFrame, human: pd.DataFrame, quote_ids, *, themes: list[str]) -> pd.DataFrame:
    """Agreement of machine codes with human codes on the quotes ``quote_ids``, per theme.

    Both tables are long (``quote_id, theme``); a quote with no row has no theme.
    Returns ``theme, human, machine, precision, recall, f1, kappa`` with a last row
    ``(macro)`` holding the unweighted means, computed with `sklearn.metrics`.

    Examples
    --------
    >>> human = pd.DataFrame({"quote_id": ["q1", "q2"], "theme": ["mandate", "mandate"]})
    >>> machine = pd.DataFrame({"quote_id": ["q1", "q3"], "theme": ["mandate", "mandate"]})
    >>> agreement(machine, human, ["q1", "q2", "q3", "q4"], themes=["mandate"])
         theme  human  machine  precision  recall   f1  kappa
    0  mandate      2        2        0.5     0.5  0.5    0.0
    1  (macro)      2        2        0.5     0.5  0.5    0.0
    """
    ids = pd.Series(list(quote_ids), dtype=str).drop_duplicates()
    if ids.empty:  # nobody coded by hand yet: nothing to compare with
        return pd.DataFrame({"theme": [*themes, "(macro)"], "human": 0, "machine": 0, "precision": float("nan"),
                             "recall": float("nan"), "f1": float("nan"), "kappa": float("nan")})
    truth = label_matrix(ids, human[human["quote_id"].astype(str).isin(set(ids))], themes)
    guess = label_matrix(ids, machine[machine["quote_id"].astype(str).isin(set(ids))], themes)
    precision, recall, f1, kappa = [], [], [], []
    for k in range(len(themes)):
        p, r, f, _ = precision_recall_fscore_support(truth[:, k], guess[:, k], average="binary", labels=[0, 1],
                                                     zero_division=0.0)
        precision.append(p)
        recall.append(r)
        f1.append(f)
        # kappa is undefined (0/0) when both sides give every quote the same value: count that as full agreement
        if len(set(truth[:, k]) | set(guess[:, k])) == 1:
            kappa.append(1.0)
        else:
            kappa.append(cohen_kappa_score(truth[:, k], guess[:, k], labels=[0, 1]))
    table = pd.DataFrame({"theme": themes, "human": truth.sum(axis=0), "machine": guess.sum(axis=0),
                          "precision": precision, "recall": recall, "f1": f1, "kappa": kappa})
    macro = {"theme": "(macro)", "human": int(truth.sum()), "machine": int(guess.sum()),
             **table[["precision", "recall", "f1", "kappa"]].mean().to_dict()}
    table = pd.concat([table, pd.DataFrame([macro])], ignore_index=True)
    table[["precision", "recall", "f1", "kappa"]] = table[["precision", "recall", "f1", "kappa"]].astype(float).round(3)
    return table


def theme_counts(codes: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Number of quotes per theme (rows) and coder (columns), in codebook order.

    Examples
    --------
    >>> codes = pd.DataFrame({"quote_id": ["q1", "q2"], "theme": ["mandate", "mandate"], "coder": ["dictionary"] * 2})
    >>> theme_counts(codes, ["transparency", "mandate"])
    coder         dictionary
    theme
    transparency           0
    mandate                2
    """
    counts = pd.crosstab(codes["theme"], codes["coder"]) if len(codes) else pd.DataFrame()
    coders = sorted(codes["coder"].unique()) if len(codes) else ["dictionary"]
    counts = counts.reindex(index=themes, columns=coders, fill_value=0).fillna(0).astype(int)
    counts.index.name, counts.columns.name = "theme", "coder"
    return counts
