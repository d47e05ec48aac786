"""Held-out evaluation of the coders on quotes nobody used while writing the rules.

    python benchmarks/eval_heldout.py [--study .] [--set heldout|heldout2]

Scores the dictionary coder (default codebook), the supervised coder trained on the
example study's human consensus codes, and the hybrid (supervised with the dictionary's
matches as features) against the gold codes in benchmarks/heldout/ (or heldout2/, a second
set written later by someone who saw neither the rules nor the first set): per-theme precision,
recall, F1 and Cohen's kappa, macro averages, and how often the valence of a correctly
found theme matches the gold valence. Dutch and English are reported separately; the
supervised coders learn from the Dutch example study only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from coopresearch import load_study
from coopresearch.codebook import default_codebook
from coopresearch.coding import DictionaryCoder, SupervisedCoder, agreement
from coopresearch.reliability import consensus_codes

HERE = Path(__file__).parent


def valence_agreement(machine: pd.DataFrame, gold: pd.DataFrame) -> str:
    both = machine.merge(gold.dropna(subset=["theme"]), on=["quote_id", "theme"], suffixes=("", "_gold"))
    return f"{(both['valence'] == both['valence_gold']).mean():.2f} of {len(both)}" if len(both) else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default=Path(__file__).parents[1], help="study to train the supervised coder on")
    parser.add_argument("--set", default="heldout", choices=("heldout", "heldout2"), help="which held-out set")
    args = parser.parse_args()
    folder = HERE / args.set
    book = default_codebook()
    study = load_study(args.study)
    human = consensus_codes(study.codings)
    reviewed = study.quotes[study.quotes["quote_id"].isin(set(study.codings["quote_id"]))]
    trained = {
        "supervised": SupervisedCoder(book, lang="nl").fit(reviewed, human),
        "hybrid": SupervisedCoder(book, lang="nl", dictionary=True).fit(reviewed, human),
    }
    pd.set_option("display.width", 120)
    for lang in ("nl", "en"):
        quotes = pd.read_csv(folder / f"quotes_{lang}.csv", dtype=str, keep_default_na=False)
        gold = pd.read_csv(folder / f"codes_{lang}.csv", dtype=str).replace("", float("nan"))
        coders = {"dictionary": DictionaryCoder(book, lang=lang)}
        for name, coder in trained.items():
            coders[name] = coder.set_params(lang=lang)
        summary = []
        for name, coder in coders.items():
            codes = coder.code(quotes)
            table = agreement(codes, gold, quotes["quote_id"], themes=book.theme_ids)
            print(f"\n{lang} · {name} coder · {len(quotes)} held-out quotes")
            print(table.to_string(index=False))
            macro = table.set_index("theme").loc["(macro)"]
            summary.append((name, macro["precision"], macro["recall"], macro["f1"], valence_agreement(codes, gold)))
        print(f"\n{lang} · summary")
        print(pd.DataFrame(summary, columns=["coder", "macro precision", "macro recall", "macro F1",
                                             "valence agreement"]).to_string(index=False))


if __name__ == "__main__":
    main()
