"""How a study's own human codes teach the coder: macro-F1 on a domain the shipped sets do not cover.

    python benchmarks/learning_curve.py

The domain set (benchmarks/heldout6/domain_nl.csv: a municipality with school boards, childcare and
youth care, 150 quotes, written and coded by a writer who saw neither rules nor training sets) is
split by id: the last 50 quotes are the test set; the first 0, 25, 50 and 100 serve as the study's
own codes (`coding.study_model`: the shipped sets plus those quotes, weighted by `study_weight`).
Scored: the hybrid coder with that model, and the model alone, against the test set's gold codes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coopresearch.codebook import default_codebook
from coopresearch.coding import ADD, HybridCoder, agreement, packaged_model, study_model

HERE = Path(__file__).parent / "heldout6"


def main() -> None:
    quotes = pd.read_csv(HERE / "domain_nl.csv", dtype=str, keep_default_na=False).sort_values("quote_id", ignore_index=True)
    gold = pd.read_csv(HERE / "domain_codes_nl.csv", dtype=str)
    pool, test = quotes.iloc[:100], quotes.iloc[100:]
    book = default_codebook()
    rows = []
    for n in (0, 25, 50, 100):
        own = pool.iloc[:n]
        model = packaged_model("nl") if n == 0 else study_model("nl", own, gold[gold["quote_id"].isin(own["quote_id"])])
        for name, codes in (("hybrid", HybridCoder(book, lang="nl", model=model).code(test)),
                            ("model alone", model.code(test, threshold=ADD))):
            table = agreement(codes, gold, test["quote_id"], themes=book.theme_ids).set_index("theme")
            rows.append((n, name, *table.loc["(macro)", ["precision", "recall", "f1"]].round(3)))
    print(f"domain set: {len(test)} test quotes; study codes from the first n of the other {len(pool)}")
    print(pd.DataFrame(rows, columns=["study quotes", "coder", "macro precision", "macro recall", "macro F1"])
          .to_string(index=False))


if __name__ == "__main__":
    main()
