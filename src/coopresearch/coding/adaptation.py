"""A study's own codes teach the packaged model: its weights move towards the study's conventions.

The packaged model learnt from the shipped sets; a study's human coders may draw a theme's
border elsewhere (is a "regiegemeente" ownership or mandate here?) and use words the shipped
sets never saw. `adapt` keeps the packaged model as the starting point and fits, on the
study's coded quotes only, how far each weight should move: a logistic regression whose
prior is the packaged model instead of zero (Chelba & Acero 2006, "Adaptation of maximum
entropy capitalizer: little data can help a lot"). With no study codes the model is the
packaged one; the more codes, the further it moves. It only reads the study's quotes, so it
is fitted in well under a second instead of refitting on every shipped quote, and
`out_of_fold` can give each coded quote a machine code from a model that never saw its codes.
"""

from __future__ import annotations

import copy
import hashlib

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator

from ..codebook import Codebook
from ..errors import CoopResearchError
from .hybrid import HybridCoder
from .supervised import SupervisedCoder
from .table import check_quotes, finish_codes, label_matrix
from .training import packaged_model

__all__ = ["FOLDS", "STRENGTH", "AdaptedCoder", "TaughtHybridCoder", "adapt", "fold_of", "out_of_fold"]

STRENGTH = 1.0  # how far a study's codes may move the weights (the prior's variance); chosen on the dev sets
FOLDS = 5  # the cross-validation of a study's coded quotes (the reports name this number)


def adapt(model: SupervisedCoder, quotes: pd.DataFrame, codes: pd.DataFrame, *, strength: float = STRENGTH) -> SupervisedCoder:
    """A copy of ``model`` whose theme weights learnt from a study's coded ``quotes`` and ``codes``.

    ``codes`` (``quote_id, theme``) are the final human codes; a quote in ``quotes`` without a
    code had no theme. A theme all or none of the quotes have keeps the packaged weights. The
    valence weights stay the packaged ones: adapted on 25 quotes of a dev set they read the
    valence worse (0.84 of the themes right became 0.72), on 150 no better.

    Examples
    --------
    >>> from coopresearch.coding import packaged_model
    >>> quotes = pd.DataFrame({"quote_id": [f"s{i}" for i in range(6)], "text": [
    ...     "De regiegemeente bepaalt het.", "Dat doet de regiegemeente.", "Zo zit de regiegemeente in elkaar.",
    ...     "Mooi weer vandaag.", "De koffie is op.", "Het gebouw is oud."]})
    >>> codes = pd.DataFrame({"quote_id": ["s0", "s1", "s2"], "theme": ["ownership"] * 3})
    >>> probe = pd.DataFrame({"quote_id": ["p"], "text": ["De regiegemeente, ja."]})
    >>> before = packaged_model("nl").predict_proba(probe).at["p", "ownership"]
    >>> bool(adapt(packaged_model("nl"), quotes, codes).predict_proba(probe).at["p", "ownership"] > before)
    True
    """
    quotes = check_quotes(quotes, "adapt")
    adapted = copy.copy(model)  # shares the vectorizers, which it only reads; the weights are its own
    adapted.coef_ = model.coef_.copy()
    if quotes.empty:
        return adapted
    features = model.features(quotes)
    used = np.unique(features.indices)  # weights of words no study quote has cannot learn anything here
    local = features[:, used]
    labels = label_matrix(quotes["quote_id"], codes, list(model.classes_))
    for k in range(len(model.classes_)):
        y = labels[:, k].astype(float)
        if np.isnan(model.constant_[k]) and 0 < y.sum() < len(y):
            offset = np.asarray(features @ model.coef_[k]) + model.intercept_[k]
            adapted.coef_[k, used] += _shift(local, offset, y, strength)
    return adapted


def _shift(local, offset: np.ndarray, y: np.ndarray, strength: float) -> np.ndarray:
    """The shift of the weights that fits ``y`` best from the packaged logits ``offset``, with a Gaussian prior at 0.

    Every quote counts the same and the intercept stays: on the dev sets, balanced class
    weights and a free intercept let 25 quotes pull a theme's threshold away and cost F1.
    """
    def loss(shift):
        z = offset + local @ shift
        value = -np.sum(y * log_expit(z) + (1 - y) * log_expit(-z)) + shift @ shift / (2 * strength)
        return value, local.T @ (expit(z) - y) + shift / strength

    return minimize(loss, np.zeros(local.shape[1]), jac=True, method="L-BFGS-B").x


def out_of_fold(model: SupervisedCoder, quotes: pd.DataFrame, codes: pd.DataFrame, code, *, folds: int = FOLDS,
                strength: float = STRENGTH) -> pd.DataFrame:
    """Codes of every coded quote by ``code(adapted_model, quotes)``, the model adapted on the other folds only.

    So a coded quote's machine code never learnt from its own human codes, and comparing the
    two is a ``folds``-fold cross-validation of the adapted coder on the study's codes. A
    quote's fold follows from its id alone (`fold_of`), so its code does not change when the
    rows are reordered or another quote is coded. With fewer quotes than folds there is
    nothing to learn from: the unadapted ``model`` codes them.
    """
    quotes = check_quotes(quotes, "out_of_fold")
    if folds < 2:
        raise CoopResearchError(f"out_of_fold needs at least 2 folds; got {folds!r}")
    if len(quotes) < folds:
        return code(model, quotes)
    fold = quotes["quote_id"].map(lambda quote_id: fold_of(quote_id, folds)).to_numpy()
    parts = []
    for k in range(folds):
        if (fold == k).any():
            taught = adapt(model, quotes[fold != k], codes, strength=strength)
            parts.append(code(taught, quotes[fold == k].reset_index(drop=True)))
    return pd.concat(parts, ignore_index=True)


def fold_of(quote_id, folds: int) -> int:
    """The cross-validation fold of a quote, from a hash of its id: the same on every run and in any row order.

    Examples
    --------
    >>> fold_of("Q001", 5) == fold_of("Q001", 5), 0 <= fold_of("Q002", 5) < 5
    (True, True)
    """
    return int.from_bytes(hashlib.sha256(str(quote_id).encode("utf-8")).digest()[:8], "big") % folds


class AdaptedCoder(BaseEstimator):
    """`adapt` as an estimator: the packaged model taught by a study's codes, so `cross_validate` scores the very
    model ``coopresearch train`` saves."""

    coder = "supervised"

    def __init__(self, codebook: Codebook, *, lang: str = "nl", strength: float = STRENGTH):
        self.codebook = codebook
        self.lang = lang
        self.strength = strength

    def fit(self, quotes: pd.DataFrame, codes: pd.DataFrame) -> AdaptedCoder:
        self.model_ = adapt(packaged_model(self.lang), quotes, codes, strength=self.strength)
        return self

    def code(self, quotes: pd.DataFrame) -> pd.DataFrame:
        return self.model_.code(quotes)


class TaughtHybridCoder(BaseEstimator):
    """The hybrid coder with the packaged model taught by a study's human codes (`adapt`).

    Quotes a person coded (``reviewed``) get their machine codes from a model taught by the
    other folds only (`out_of_fold`), so their agreement with the human codes is a
    cross-validation; the other quotes from the model taught by all of them. With fewer than
    ``minimum`` coded quotes among those coded, the packaged model codes everything.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["q1"], "text": ["Wie beslist hier eigenlijk?"]})
    >>> TaughtHybridCoder(default_codebook(), lang="nl", human=pd.DataFrame(columns=["quote_id", "theme"]),
    ...                   reviewed=[]).code(quotes)[["quote_id", "theme", "coder"]]
      quote_id    theme   coder
    0       q1  mandate  hybrid
    """

    coder = "hybrid"

    def __init__(self, codebook: Codebook, *, lang: str, human: pd.DataFrame, reviewed, folds: int = FOLDS,
                 minimum: int = 10, n_jobs: int = 1):
        self.codebook = codebook
        self.lang = lang
        self.human = human
        self.reviewed = reviewed
        self.folds = folds
        self.minimum = minimum
        self.n_jobs = n_jobs

    def _split(self, quotes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        seen = quotes["quote_id"].isin(set(self.reviewed)).to_numpy()
        return quotes[seen].reset_index(drop=True), quotes[~seen].reset_index(drop=True)

    def taught(self, quotes: pd.DataFrame) -> int:
        """How many of ``quotes`` teach the model (0: the packaged model codes them all)."""
        taught, _ = self._split(check_quotes(quotes, "TaughtHybridCoder"))
        return len(taught) if len(taught) >= self.minimum else 0

    def _hybrid(self, model: SupervisedCoder) -> HybridCoder:
        return HybridCoder(self.codebook, lang=self.lang, model=model, n_jobs=self.n_jobs)

    def code(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Themes of each quote in the long format, as `HybridCoder.code` gives them."""
        quotes = check_quotes(quotes, "TaughtHybridCoder.code")
        base = packaged_model(self.lang)
        if not self.taught(quotes):
            return self._hybrid(base).code(quotes)
        taught, rest = self._split(quotes)
        parts = [out_of_fold(base, taught, self.human, lambda model, part: self._hybrid(model).code(part), folds=self.folds)]
        if not rest.empty:
            parts.append(self._hybrid(adapt(base, taught, self.human)).code(rest))
        return finish_codes(list(pd.concat(parts).itertuples(index=False, name=None)))

    def review(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Where the machine is unsure (`HybridCoder.review`), read by the model taught by all coded quotes.

        For quotes people coded that model learnt their own codes, so they look surer than their
        out-of-fold machine codes; the review queue lists them after the quotes nobody coded.
        """
        quotes = check_quotes(quotes, "TaughtHybridCoder.review")
        base = packaged_model(self.lang)
        model = adapt(base, self._split(quotes)[0], self.human) if self.taught(quotes) else base
        return self._hybrid(model).review(quotes)
