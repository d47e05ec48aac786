"""Agreement with human codes and theme counts."""

import pandas as pd

from coopresearch import load_study
from coopresearch.coding import DictionaryCoder, agreement, theme_counts

from .common import BOOK, MINI

# --- agreement, counts, HTML --------------------------------------------------------------

def test_agreement_perfect_and_empty():
    human = pd.DataFrame({"quote_id": ["a", "b"], "theme": ["mandate", "ownership"]})
    table = agreement(human, human, ["a", "b", "c"], themes=["mandate", "ownership"]).set_index("theme")
    assert table.loc["(macro)", ["precision", "recall", "f1", "kappa"]].tolist() == [1.0, 1.0, 1.0, 1.0]
    none = agreement(human.iloc[:0], human, ["a", "b", "c"], themes=["mandate", "ownership"]).set_index("theme")
    assert none.loc["mandate", ["precision", "recall", "f1", "kappa"]].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_agreement_matches_a_hand_computed_kappa():
    # 10 quotes; human codes 4, machine 4, both 3: po = 0.8, pe = 0.4*0.4 + 0.6*0.6 = 0.52, kappa = 0.28/0.48
    human = pd.DataFrame({"quote_id": list("abcd"), "theme": ["mandate"] * 4})
    machine = pd.DataFrame({"quote_id": list("abce"), "theme": ["mandate"] * 4})
    row = agreement(machine, human, list("abcdefghij"), themes=["mandate"]).iloc[0]
    assert (row.precision, row.recall, row.f1) == (0.75, 0.75, 0.75)
    assert row.kappa == round(0.28 / 0.48, 3)


def test_theme_counts_in_codebook_order():
    codes = DictionaryCoder(BOOK).code(load_study(MINI).quotes)
    counts = theme_counts(codes, BOOK.theme_ids)
    assert counts.index.tolist() == BOOK.theme_ids and counts.columns.tolist() == ["dictionary"]
    assert counts["dictionary"].sum() == len(codes)
    assert theme_counts(codes.iloc[:0], BOOK.theme_ids)["dictionary"].tolist() == [0, 0, 0, 0]
