"""Shared by the coder tests: the default codebook, the mini study, tiny quote tables."""

from pathlib import Path

import pandas as pd

from coopresearch.codebook import default_codebook
from coopresearch.coding import DictionaryCoder

MINI = Path(__file__).parents[1] / "data" / "mini"
BOOK = default_codebook()


def quotes(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"quote_id": [f"q{i}" for i in range(1, len(texts) + 1)], "text": list(texts)})


def themes_of(text: str, lang: str = "nl", book=BOOK) -> dict[str, str]:
    """theme -> valence for one quote."""
    codes = DictionaryCoder(book, lang=lang).code(quotes(text))
    return dict(zip(codes["theme"], codes["valence"], strict=True))


# --- supervised coder ---------------------------------------------------------------------

TRAIN = quotes(
    "De afspraken worden niet nagekomen.", "Ze komen hun toezeggingen na.", "Afspraak is afspraak bij hen.",
    "Wie beslist er eigenlijk?", "Hij kan aan tafel niets beslissen.", "Alles moet naar het college voor een besluit.",
    "We horen alles pas achteraf.", "De informatie komt te laat.", "Ze delen hun plannen niet.",
    "Het weer was slecht.", "We dronken koffie.", "De bus was te laat.",
)
TRAIN_CODES = pd.DataFrame({"quote_id": [f"q{i}" for i in range(1, 10)],
                            "theme": ["reliability"] * 3 + ["mandate"] * 3 + ["transparency"] * 3})
# four quotes: two said in so many words, one told as a story, one without a theme
QUOTES = pd.DataFrame({"quote_id": ["q1", "q2", "q3", "q4"], "text": [
    "Wie beslist hier eigenlijk? Dat moet steeds terug naar de directie.",
    "Drie instanties, en iedereen denkt dat een ander het oppakt.",
    "In maart kregen we de toezegging, en sindsdien hebben we niets meer gehoord.",
    "Het regende de hele week.",
]})
