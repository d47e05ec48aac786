"""Evaluation of the coders on labelled quote sets: held-out sets and development sets.

    python benchmarks/eval_heldout.py [--set heldout6] [--coders dictionary,supervised,hybrid,second]
                                      [--leave-out dev4,dev5] [--codebook YML] [--errors] [--languages]

Scores the dictionary coder (default codebook), the packaged supervised model alone and the
hybrid coder against a set's gold codes: per-theme precision, recall, F1 and Cohen's kappa,
macro averages, and how often the valence of a correctly found theme matches the gold valence.
Dutch and English are reported separately. ``second`` scores a second person's blind codes of the
set (``second_coder/second_{nl,en}.csv``, where a set has them) the same way: how far two readers
of the same definitions agree, the ceiling a coder can be held to.

Held-out sets (benchmarks/heldout*/) measure only: nobody writing rules reads them. The
development sets ship with the package as the model's training data (src/coopresearch/training/);
evaluated on one of them, the model is trained without it (and without ``--leave-out`` sets).
``--errors`` lists the dictionary's misses and false alarms with its evidence; it refuses
held-out sets: a held-out set read while writing rules no longer measures anything.
``--languages`` reports how often each quote's language is detected right (`quote_language`).
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

import pandas as pd

from coopresearch.codebook import default_codebook, load_codebook
from coopresearch.coding import ADD, DictionaryCoder, HybridCoder, agreement, packaged_model, training_sets
from coopresearch.coding.words import quote_language

HERE = Path(__file__).parent
HELD_OUT = sorted(path.name for path in HERE.glob("heldout*") if path.is_dir())
CODERS = ("dictionary", "supervised", "hybrid")  # the default; "second" only when asked


def valence_agreement(machine: pd.DataFrame, gold: pd.DataFrame) -> str:
    both = machine.merge(gold.dropna(subset=["theme"]), on=["quote_id", "theme"], suffixes=("", "_gold"))
    return f"{(both['valence'] == both['valence_gold']).mean():.2f} of {len(both)}" if len(both) else "-"


def second_coder(folder, lang: str) -> pd.DataFrame:
    """A second person's blind codes of the set (``quote_id, theme, valence``), in a coder's columns."""
    path = folder / "second_coder" / f"second_{lang}.csv"
    if not path.is_file():
        raise SystemExit(f"{folder.name} has no second coder's codes ({path.name}); leave 'second' out of --coders")
    codes = pd.read_csv(path, dtype=str, keep_default_na=False)
    return codes.assign(coder="second", score=float("nan"), evidence="")


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
    parser.add_argument("--set", default="heldout5", choices=HELD_OUT + training_sets(), help="which labelled set")
    parser.add_argument("--coders", default=",".join(CODERS), help="comma-separated subset of " + ",".join((*CODERS, "second")))
    parser.add_argument("--leave-out", default="", help="development sets the model must not learn from either")
    parser.add_argument("--codebook", help="codebook YAML to score instead of the packaged default")
    parser.add_argument("--errors", action="store_true", help="list the dictionary's errors (development sets only)")
    parser.add_argument("--languages", action="store_true", help="only measure the detection of each quote's language")
    args = parser.parse_args()
    if args.errors and args.set in HELD_OUT:
        parser.error(f"--errors would show {args.set}, an evaluation set; use a development set ({', '.join(training_sets())})")
    chosen = args.coders.split(",")
    folder = HERE / args.set if args.set in HELD_OUT else resources.files("coopresearch") / "training" / args.set
    leave_out = tuple(sorted({*filter(None, args.leave_out.split(",")), *([args.set] if args.set not in HELD_OUT else [])}))
    book = load_codebook(args.codebook) if args.codebook else default_codebook()
    pd.set_option("display.width", 120)
    for lang in ("nl", "en"):
        if not (folder / f"quotes_{lang}.csv").is_file():  # a set in one language only (dev12: English)
            continue
        quotes = pd.read_csv(folder / f"quotes_{lang}.csv", dtype=str, keep_default_na=False)
        if args.languages:
            detected = quotes["text"].map(quote_language)
            print(f"{lang}: {(detected == lang).sum()} of {len(quotes)} quotes detected as {lang}, "
                  f"{detected.isna().sum()} undecided, {((detected != lang) & detected.notna()).sum()} wrong")
            continue
        gold = pd.read_csv(folder / f"codes_{lang}.csv", dtype=str).replace("", float("nan"))
        model = packaged_model(lang, leave_out=leave_out) if {"supervised", "hybrid"} & set(chosen) else None
        coders = {"dictionary": DictionaryCoder(book, lang=lang).code,
                  "supervised": lambda q, model=model: model.code(q, threshold=ADD),
                  "hybrid": HybridCoder(book, lang=lang, model=model).code,
                  "second": lambda q, lang=lang: second_coder(folder, lang)}
        summary = []
        for name in chosen:
            codes = coders[name](quotes)
            table = agreement(codes, gold, quotes["quote_id"], themes=book.theme_ids)
            print(f"\n{lang} · {name} coder · {len(quotes)} quotes of {args.set}"
                  + (f" · model trained without {', '.join(leave_out)}" if name != "dictionary" and leave_out else ""))
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
