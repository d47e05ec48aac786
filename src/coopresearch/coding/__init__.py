"""Coders that assign themes to quotes, with evidence, and how well they agree with people.

Every coder returns the same long table, one row per (quote, theme) assigned:
``quote_id, theme, coder, score, evidence, valence`` (`CODE_COLUMNS`).

Modules, each importing only the ones above it:

* ``table`` – the quote and code tables every coder shares;
* ``words`` – the rule matcher (folding, stemming, terms, patterns) and valence cues;
* ``labelled`` – the shipped labelled quotes (development sets on the default themes);
* ``dictionary`` – `DictionaryCoder` (the codebook's rules, with the matched words as evidence);
* ``evaluation`` – `agreement` with human codes, `theme_counts`;
* ``supervised`` – `SupervisedCoder` (TF-IDF + logistic regression per theme), `cross_validate`;
* ``model_file`` – `save_model` / `load_model`, a data-only file format;
* ``training`` – the shipped labelled quotes and the `packaged_model`, cached on disk;
* ``hybrid`` – `HybridCoder`: dictionary matches confirmed, and completed, by a model;
* ``adaptation`` – `adapt`: the packaged model taught by a study's own human codes;
* ``choice`` – `choose_coder` and `machine_codes`, the coder a study gets.

Examples
--------
>>> from coopresearch import coding
>>> from coopresearch.codebook import default_codebook
>>> quotes = pd.DataFrame({"quote_id": ["q1"], "text": ["Wie beslist hier eigenlijk?"]})
>>> coding.machine_codes(quotes, default_codebook(), lang="nl")[["theme", "coder"]]
     theme   coder
0  mandate  hybrid
"""

from .adaptation import FOLDS, adapt
from .choice import choose_coder, code_in_languages, machine_codes, review_queue, study_coder, taught_quotes, with_uncoded
from .dictionary import PARALLEL_FROM, DictionaryCoder, has_rules
from .evaluation import agreement, theme_counts
from .hybrid import ADD, CONFIRM, HybridCoder
from .labelled import training_quotes, training_sets
from .model_file import load_model, save_model
from .supervised import SupervisedCoder, cross_validate
from .table import CODE_COLUMNS
from .training import has_packaged_model, packaged_model
from .words import VALENCE_CUES, guess_language, quote_languages

__all__ = [
    "ADD",
    "CODE_COLUMNS",
    "CONFIRM",
    "FOLDS",
    "PARALLEL_FROM",
    "VALENCE_CUES",
    "DictionaryCoder",
    "HybridCoder",
    "SupervisedCoder",
    "adapt",
    "agreement",
    "choose_coder",
    "code_in_languages",
    "cross_validate",
    "guess_language",
    "has_packaged_model",
    "has_rules",
    "load_model",
    "machine_codes",
    "packaged_model",
    "quote_languages",
    "review_queue",
    "save_model",
    "study_coder",
    "taught_quotes",
    "theme_counts",
    "training_quotes",
    "training_sets",
    "with_uncoded",
]
