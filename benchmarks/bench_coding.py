"""Throughput of the dictionary coder on 10^3 ... 10^6 synthetic Dutch quotes.

    python benchmarks/bench_coding.py            # up to 10^6 quotes
    python benchmarks/bench_coding.py --max 5    # up to 10^5
    python benchmarks/bench_coding.py --jobs -1  # in one process per core from 20,000 quotes

Quotes are built from the packaged codebook's example sentences and neutral filler
sentences, plus a random number and a made-up word drawn from a 50,000-word vocabulary
with Zipf frequencies, so the vocabulary keeps growing with the input as real text does.
``--new-words`` draws a brand-new word for every quote instead: the worst case, where
every quote costs one extra stemming. Prints one row per size.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from coopresearch.codebook import default_codebook
from coopresearch.coding import PARALLEL_FROM, DictionaryCoder

FILLER = [
    "Het overleg vond plaats op het gemeentehuis.",
    "We hebben het daar in de stuurgroep over gehad.",
    "De woningen in de wijk zijn in de jaren zestig gebouwd.",
    "Dat project loopt nu ongeveer twee jaar.",
    "In de zomer is er minder te doen.",
    "De wethouder was er ook bij.",
]


def _made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9)))


def synthetic_quotes(n: int, *, seed: int = 2009, new_words: bool = False) -> pd.DataFrame:
    book = default_codebook()
    pool = [text for theme in book.themes for text in theme.examples["nl"]] + FILLER
    rng = random.Random(seed)
    vocabulary = [_made_up_word(rng) for _ in range(50_000)]
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
    drawn = iter(rng.choices(vocabulary, weights, k=n))
    texts = []
    for _ in range(n):
        sentences = rng.sample(pool, rng.randint(1, 3))
        word = _made_up_word(rng) if new_words else next(drawn)
        texts.append(" ".join(sentences) + f" Dat ging over {rng.randint(1, 500)} woningen in {word}.")
    return pd.DataFrame({"quote_id": [f"Q{i:07d}" for i in range(n)], "text": texts})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=6, help="largest size as a power of ten (default: 6)")
    parser.add_argument("--new-words", action="store_true", help="a new made-up word in every quote (worst case)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (DictionaryCoder n_jobs; -1: every core)")
    args = parser.parse_args()
    book = default_codebook()
    print(f"dictionary coder, default codebook, Dutch ({'new word per quote' if args.new_words else 'Zipf vocabulary'}), "
          f"n_jobs={args.jobs} (processes from {PARALLEL_FROM:,} quotes)")
    # CPU time next to wall time: on a shared machine the wall clock also counts other people's work
    # (with --jobs, the CPU time is this process's only, not its workers')
    print(f"{'quotes':>9} {'wall s':>8} {'cpu s':>8} {'quotes/min (wall)':>18} {'quotes/min (cpu)':>17} "
          f"{'codes':>9} {'chars/quote':>11}")
    for power in range(3, args.max + 1):
        quotes = synthetic_quotes(10**power, new_words=args.new_words)
        coder = DictionaryCoder(book, lang="nl", n_jobs=args.jobs)  # a fresh coder: its word cache starts empty
        clock, cpu = time.perf_counter(), time.process_time()
        codes = coder.code(quotes)
        seconds, cpu = time.perf_counter() - clock, time.process_time() - cpu
        print(f"{len(quotes):>9} {seconds:>8.2f} {cpu:>8.2f} {len(quotes) / seconds * 60:>18,.0f} "
              f"{len(quotes) / cpu * 60:>17,.0f} {len(codes):>9} {quotes['text'].str.len().mean():>11.0f}", flush=True)


if __name__ == "__main__":
    main()
