"""Evaluation of the coders on labelled quote sets: held-out sets and development sets.

    python benchmarks/eval_heldout.py [--study .] [--set heldout|heldout2|heldout3|dev1|dev2|dev3]
                                      [--coders dictionary,supervised,hybrid] [--codebook YML] [--errors]

Scores the dictionary coder (default codebook), the supervised coder trained on the
example study's human consensus codes, and the hybrid (supervised with the dictionary's
matches as features) against the gold codes in benchmarks/heldout/ (or heldout2/, a second
set written later by someone who saw neither the rules nor the first set): per-theme precision,
recall, F1 and Cohen's kappa, macro averages, and how often the valence of a correctly
found theme matches the gold valence. Dutch and English are reported separately; the
supervised coders learn from the Dutch example study only.

The development sets (dev1/, dev2/, dev3/) were written to be read while writing rules; ``--errors``
lists their misses and false alarms with the dictionary's evidence. It refuses held-out sets:
a held-out set read while writing rules no longer measures anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from coopresearch import load_study
from coopresearch.codebook import default_codebook, load_codebook
from coopresearch.coding import DictionaryCoder, SupervisedCoder, agreement
from coopresearch.reliability import consensus_codes

HERE = Path(__file__).parent
SETS = ("heldout", "heldout2", "heldout3", "dev1", "dev2", "dev3")
CODERS = ("dictionary", "supervised", "hybrid")


def valence_agreement(machine: pd.DataFrame, gold: pd.DataFrame) -> str:
    both = machine.merge(gold.dropna(subset=["theme"]), on=["quote_id", "theme"], suffixes=("", "_gold"))
    return f"{(both['valence'] == both['valence_gold']).mean():.2f} of {len(both)}" if len(both) else "-"


def errors(quotes: pd.DataFrame, machine: pd.DataFrame, gold: pd.DataFrame) -> str:
    """Misses (-) and false alarms (+) per quote, with the text and the machine's evidence."""
    lines = []
    for quote_id, text in zip(quotes["quote_id"], quotes["text"], strict=True):
        found = machine[machine["quote_id"] == quote_id].set_index("theme")
        truth = set(gold.loc[gold["quote_id"] == quote_id, "theme"].dropna())
        misses, alarms = sorted(truth - set(found.index)), sorted(set(found.index) - truth)
        if misses or alarms:
            lines.append(f"{quote_id} " + " ".join([f"-{t}" for t in misses] + [f"+{t}" for t in alarms])
                         + f"\n    {text}" + "".join(f"\n    + {found.loc[t, 'evidence']}" for t in alarms))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default=Path(__file__).parents[1], help="study to train the supervised coder on")
    parser.add_argument("--set", default="heldout", choices=SETS, help="which labelled set")
    parser.add_argument("--coders", default=",".join(CODERS), help="comma-separated subset of " + ",".join(CODERS))
    parser.add_argument("--codebook", help="codebook YAML to score instead of the packaged default")
    parser.add_argument("--errors", action="store_true", help="list the dictionary's errors (development sets only)")
    args = parser.parse_args()
    if args.errors and args.set.startswith("heldout"):
        parser.error(f"--errors would show {args.set}, an evaluation set; use dev1, dev2 or dev3")
    chosen = args.coders.split(",")
    folder = HERE / args.set
    book = load_codebook(args.codebook) if args.codebook else default_codebook()
    study = load_study(args.study)
    human = consensus_codes(study.codings)
    reviewed = study.quotes[study.quotes["quote_id"].isin(set(study.codings["quote_id"]))]
    trained = {name: SupervisedCoder(book, lang="nl", dictionary=name == "hybrid").fit(reviewed, human)
               for name in ("supervised", "hybrid") if name in chosen}
    pd.set_option("display.width", 120)
    for lang in ("nl", "en"):
        quotes = pd.read_csv(folder / f"quotes_{lang}.csv", dtype=str, keep_default_na=False)
        gold = pd.read_csv(folder / f"codes_{lang}.csv", dtype=str).replace("", float("nan"))
        coders = {"dictionary": DictionaryCoder(book, lang=lang)} if "dictionary" in chosen else {}
        for name, coder in trained.items():
            coders[name] = coder.set_params(lang=lang)
        summary = []
        for name, coder in coders.items():
            codes = coder.code(quotes)
            table = agreement(codes, gold, quotes["quote_id"], themes=book.theme_ids)
            print(f"\n{lang} · {name} coder · {len(quotes)} quotes of {args.set}")
            print(table.to_string(index=False))
            macro = table.set_index("theme").loc["(macro)"]
            summary.append((name, macro["precision"], macro["recall"], macro["f1"], valence_agreement(codes, gold)))
            if args.errors and name == "dictionary":
                print(errors(quotes, codes, gold))
        print(f"\n{lang} · summary")
        print(pd.DataFrame(summary, columns=["coder", "macro precision", "macro recall", "macro F1",
                                             "valence agreement"]).to_string(index=False))


if __name__ == "__main__":
    main()
