"""How a study's own human codes teach the coder: macro-F1 on a domain the shipped sets do not cover.

    python benchmarks/learning_curve.py [--set heldout6|heldout8|...|heldout11] [--lang nl|en]

A held-out set from one domain, written and coded by a writer who saw neither rules nor training
sets: heldout6's domain set (a municipality with school boards, childcare and youth care; Dutch),
heldout8 (the social domain), heldout9 (the physical domain), heldout10 (culture, sport, events,
the local economy) or heldout11 (climate, energy, water). Its quotes, sorted by id, are split: the last
50 are the test set; the first 0, 25, 50 and 100 serve as the study's own codes, which teach the
packaged model (`coding.adapt`). Scored against the test set's gold codes: the hybrid coder with
that model, and the model alone. The same 50 test quotes at every step.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from coopresearch.codebook import default_codebook
from coopresearch.coding import ADD, HybridCoder, adapt, agreement, packaged_model

HERE = Path(__file__).parent
FILES = {"heldout6": ("domain_{lang}.csv", "domain_codes_{lang}.csv"),
         **{f"heldout{n}": ("quotes_{lang}.csv", "codes_{lang}.csv") for n in (8, 9, 10, 11)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="heldout6", choices=sorted(FILES))
    parser.add_argument("--lang", default="nl", choices=["nl", "en"])
    args = parser.parse_args()
    quotes_file, codes_file = (HERE / args.set / name.format(lang=args.lang) for name in FILES[args.set])
    quotes = pd.read_csv(quotes_file, dtype=str, keep_default_na=False).sort_values("quote_id", ignore_index=True)
    gold = pd.read_csv(codes_file, dtype=str)
    pool, test = quotes.iloc[:-50], quotes.iloc[-50:].reset_index(drop=True)
    book, base = default_codebook(), packaged_model(args.lang)
    rows = []
    for n in (0, 25, 50, 100):
        if n > len(pool):
            break
        own = pool.iloc[:n]
        model = adapt(base, own, gold[gold["quote_id"].isin(own["quote_id"])])
        for name, codes in (("hybrid", HybridCoder(book, lang=args.lang, model=model).code(test)),
                            ("model alone", model.code(test, threshold=ADD))):
            table = agreement(codes, gold, test["quote_id"], themes=book.theme_ids).set_index("theme")
            rows.append((n, name, *table.loc["(macro)", ["precision", "recall", "f1"]].round(3)))
    print(f"{args.set} ({args.lang}): {len(test)} test quotes; study codes from the first n of the other {len(pool)}")
    print(pd.DataFrame(rows, columns=["study quotes", "coder", "macro precision", "macro recall", "macro F1"])
          .to_string(index=False))


if __name__ == "__main__":
    main()
