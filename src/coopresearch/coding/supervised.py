"""The supervised coder: themes learnt from human codes, and its cross-validation.

`SupervisedCoder` learns from labelled quotes (TF-IDF on words and character n-grams, one
class-weighted logistic regression per theme). Its ``score`` is the predicted probability
and its evidence the words that weighed most. After fitting it keeps only plain arrays
(vocabularies, idf weights, coefficients, intercepts), which `save_model` writes as data.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.utils.validation import check_is_fitted

from ..codebook import Codebook
from ..errors import CoopResearchError
from ..schemas import VALENCES
from .dictionary import DictionaryCoder
from .evaluation import agreement
from .table import check_lang, check_quotes, finish_codes, label_matrix

__all__ = ["VECTORIZERS", "SupervisedCoder", "cross_validate"]

# the model's evidence in the quotes' language: the words that weighed most
MODEL_EVIDENCE = {"nl": {"words": "model, op de woorden ", "constant": "model: elk trainingscitaat had dit thema",
                         "model": "model"},
                  "en": {"words": "model, on the words ", "constant": "model: every training quote had this theme",
                         "model": "model"}}

# The two TF-IDF feature sets, in this order (the coefficients' columns follow it).
VECTORIZERS = {
    "words": {"ngram_range": (1, 2), "sublinear_tf": True, "strip_accents": "unicode"},
    "chars": {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True, "strip_accents": "unicode"},
}


class SupervisedCoder(BaseEstimator):
    """Learn themes from human codes: TF-IDF (words and character n-grams) + logistic regression per theme.

    Parameters
    ----------
    codebook : the codebook the human codes use; its themes are the classes.
    lang : language of the quotes (for the valence cues), ``nl`` or ``en``.
    threshold : probability from which a theme is assigned.
    C : inverse regularisation strength of the logistic regressions.
    random_state : seed, so a model is the same on every run.
    dictionary : also give the model the dictionary coder's matches per theme as features
        (a hybrid of both coders).

    Fitted, it holds ``vectorizers_`` (the two TF-IDF vectorizers), ``coef_`` (themes x
    features), ``intercept_`` and ``constant_`` (the probability of a theme every training
    quote agreed on, NaN for the others); a probability is ``expit(features @ coef + intercept)``.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": ["a", "b", "c", "d"], "text": [
    ...     "afspraken nakomen", "afspraak is afspraak", "wie beslist", "wie beslist er"]})
    >>> codes = pd.DataFrame({"quote_id": ["a", "b", "c", "d"],
    ...                       "theme": ["reliability", "reliability", "mandate", "mandate"]})
    >>> coder = SupervisedCoder(default_codebook()).fit(quotes, codes)
    >>> coder.predict(pd.DataFrame({"quote_id": ["x"], "text": ["wie beslist hier"]})).loc["x"].to_dict()
    {'transparency': False, 'mandate': True, 'ownership': False, 'reliability': False}
    """

    coder = "supervised"  # its name in the codes' 'coder' column

    def __init__(self, codebook: Codebook, *, lang: str = "nl", threshold: float = 0.35, C: float = 10.0,
                 random_state: int = 0, dictionary: bool = False):
        self.codebook = codebook
        self.lang = lang
        self.threshold = threshold
        self.C = C
        self.random_state = random_state
        self.dictionary = dictionary

    def fit(self, quotes: pd.DataFrame, codes: pd.DataFrame) -> SupervisedCoder:
        """Learn from ``codes`` (``quote_id, theme``) on ``quotes``; a quote without codes has no theme."""
        check_lang(self.lang, type(self).__name__)
        if not 0 < self.threshold < 1:
            raise CoopResearchError(f"The 'threshold' parameter of SupervisedCoder must be a float in the range (0, 1). "
                                    f"Got {self.threshold!r} instead.")
        quotes = check_quotes(quotes, "SupervisedCoder.fit")
        if quotes.empty:
            raise CoopResearchError("SupervisedCoder.fit needs at least one quote")
        themes = self.codebook.theme_ids
        labels = label_matrix(quotes["quote_id"], codes, themes)
        self.vectorizers_ = {name: TfidfVectorizer(**settings) for name, settings in VECTORIZERS.items()}
        features = self.features(quotes, fit=True)
        self.coef_ = np.zeros((len(themes), features.shape[1]))
        self.intercept_ = np.zeros(len(themes))
        self.constant_ = np.full(len(themes), np.nan)
        for k in range(len(themes)):
            y = labels[:, k]
            if y.min() == y.max():
                self.constant_[k] = float(y[0])  # every training quote agrees: a constant probability
            else:
                model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=2000,
                                           random_state=self.random_state).fit(features, y)
                self.coef_[k], self.intercept_[k] = model.coef_[0], model.intercept_[0]
        self.classes_ = np.array(themes)
        self.codebook_sha256_ = self.codebook.sha256
        self._fit_valence(quotes, codes, features)
        return self

    def _fit_valence(self, quotes: pd.DataFrame, codes: pd.DataFrame, features) -> None:
        """Learn the valence of a quote's themes from its words (one row per coded theme with a valence).

        Measured leave-one-set-out on the shipped sets, with the gold themes given: right for 0.86 (nl)
        and 0.81 (en) of the themes, where the dictionary's valence cues were right for about 0.62 / 0.48.
        """
        rows = pd.Series(np.arange(len(quotes)), index=quotes["quote_id"].to_numpy())
        coded = codes.dropna(subset=["theme"]) if "valence" in codes else pd.DataFrame(columns=["quote_id", "valence"])
        coded = coded[coded["quote_id"].isin(rows.index) & coded["valence"].isin(VALENCES)]
        self.valence_classes_ = np.array(sorted(set(coded["valence"])) if coded["valence"].nunique() > 1 else [])
        self.valence_coef_ = np.zeros((len(self.valence_classes_), features.shape[1]))
        self.valence_intercept_ = np.zeros(len(self.valence_classes_))
        if not len(self.valence_classes_):
            return
        at = rows[coded["quote_id"]].to_numpy()
        model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, random_state=self.random_state)
        model.fit(features[at], coded["valence"].to_numpy())
        coef, intercept = model.coef_, model.intercept_
        if len(self.valence_classes_) == 2:  # scikit-learn keeps one row for two classes: the second class's side
            coef, intercept = np.vstack([-coef[0], coef[0]]) / 2, np.array([-intercept[0], intercept[0]]) / 2
        self.valence_coef_, self.valence_intercept_ = coef, intercept

    def predict_valence(self, quotes: pd.DataFrame) -> pd.Series | None:
        """The valence the model reads in each quote (``positive``, ``negative``, ``neutral``), or None without a
        valence model (a coder fitted on codes without valence)."""
        return self.read(quotes)[1]

    def features(self, quotes: pd.DataFrame, *, fit: bool = False):
        """The quotes as the model reads them: TF-IDF of words and character n-grams (and the dictionary's
        matches per theme when ``dictionary``), one sparse row per quote; ``fit`` learns the vocabularies first."""
        text = sparse.hstack([vectorizer.fit_transform(quotes["text"]) if fit else vectorizer.transform(quotes["text"])
                              for vectorizer in self.vectorizers_.values()]).tocsr()
        if not self.dictionary:
            return text
        # matches per theme, capped at 3 and scaled to [0, 1] like the TF-IDF values
        evidence = DictionaryCoder(self.codebook, lang=self.lang).evidence(quotes)
        matches = (evidence.groupby(["quote_id", "theme"]).size().unstack(fill_value=0)
                   .reindex(index=quotes["quote_id"], columns=self.codebook.theme_ids).fillna(0).clip(upper=3) / 3)
        return sparse.hstack([text, sparse.csr_matrix(matches.to_numpy())]).tocsr()

    def predict_proba(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Probability of every theme for every quote (rows: quote_id, columns: themes)."""
        return self.read(quotes)[0]

    def read(self, quotes: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
        """Each theme's probability (`predict_proba`) and the quote's valence (`predict_valence`), from one pass
        over the quotes' words."""
        check_is_fitted(self, "classes_")
        quotes = check_quotes(quotes, "SupervisedCoder.read")
        index = pd.Index(quotes["quote_id"], name="quote_id")
        valued = len(getattr(self, "valence_classes_", []))
        if quotes.empty:
            return (pd.DataFrame({str(theme): np.zeros(0) for theme in self.classes_}, index=index),
                    pd.Series([], index=index, dtype=object, name="valence") if valued else None)
        features = self.features(quotes)
        probability = expit(np.asarray(features @ self.coef_.T) + self.intercept_)
        constant = ~np.isnan(self.constant_)
        probability[:, constant] = self.constant_[constant]
        valence = None
        if valued:
            scores = np.asarray(features @ self.valence_coef_.T) + self.valence_intercept_
            valence = pd.Series(self.valence_classes_[scores.argmax(axis=1)], index=quotes["quote_id"].to_numpy(),
                                name="valence")
        return pd.DataFrame(probability, index=index, columns=[str(theme) for theme in self.classes_]), valence

    def predict(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """Whether each theme applies to each quote (probability ≥ ``threshold``)."""
        return self.predict_proba(quotes) >= self.threshold

    def code(self, quotes: pd.DataFrame, *, threshold: float | None = None,
             read: tuple[pd.DataFrame, pd.Series | None] | None = None) -> pd.DataFrame:
        """Themes of each quote in the long format, with the words that weighed most as evidence.

        A theme applies from the probability ``threshold`` (by default the coder's own). ``read`` is
        this model's `read` of the same quotes, when the caller has it already.
        """
        threshold = self.threshold if threshold is None else threshold
        probabilities, read_valence = read or self.read(quotes)
        quotes = check_quotes(quotes, "SupervisedCoder.code")
        if quotes.empty:
            return finish_codes([])
        valence = (read_valence if read_valence is not None
                   else DictionaryCoder(self.codebook, lang=self.lang).valence(quotes)).to_numpy()
        words = self.vectorizers_["words"]
        vocabulary = words.get_feature_names_out()
        word_features = words.transform(quotes["text"])
        rows = []
        for k, theme in enumerate(self.classes_):
            for i in np.flatnonzero(probabilities[theme].to_numpy() >= threshold):
                evidence = MODEL_EVIDENCE[self.lang]["constant"]
                if np.isnan(self.constant_[k]):
                    row = word_features[i]
                    weights = row.data * self.coef_[k, : len(vocabulary)][row.indices]
                    top = [(w, vocabulary[j]) for w, j in sorted(zip(weights, row.indices, strict=True), reverse=True)[:3]
                           if w > 0]
                    evidence = (MODEL_EVIDENCE[self.lang]["words"] + ", ".join(f"'{word}'" for _, word in top)
                                if top else MODEL_EVIDENCE[self.lang]["model"])
                rows.append((quotes.at[i, "quote_id"], theme, self.coder, probabilities.iat[i, k], evidence, valence[i]))
        return finish_codes(rows)

    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray]]:
        """The fitted coder as settings (JSON-able) and plain numeric arrays; `from_arrays` rebuilds it.

        A vocabulary is the JSON list of its terms in column order, as UTF-8 bytes (``uint8``).

        >>> from coopresearch.codebook import default_codebook
        >>> quotes = pd.DataFrame({"quote_id": ["a", "b"], "text": ["wie beslist", "afspraak"]})
        >>> coder = SupervisedCoder(default_codebook()).fit(quotes, pd.DataFrame({"quote_id": ["a"], "theme": ["mandate"]}))
        >>> settings, arrays = coder.to_arrays()
        >>> settings["themes"], sorted(arrays)
        (['transparency', 'mandate', 'ownership', 'reliability'], ['chars_idf', 'chars_vocabulary', 'coef', 'constant',
         'intercept', 'valence_coef', 'valence_intercept', 'words_idf', 'words_vocabulary'])
        """
        check_is_fitted(self, "classes_")
        settings = {"themes": [str(theme) for theme in self.classes_], "lang": self.lang, "threshold": float(self.threshold),
                    "C": float(self.C), "random_state": int(self.random_state), "dictionary": bool(self.dictionary),
                    "valence_classes": [str(valence) for valence in getattr(self, "valence_classes_", [])],
                    "vectorizers": {name: {key: list(value) if isinstance(value, tuple) else value
                                           for key, value in VECTORIZERS[name].items()} for name in self.vectorizers_}}
        arrays = {}
        for name, vectorizer in self.vectorizers_.items():
            terms = json.dumps(vectorizer.get_feature_names_out().tolist(), ensure_ascii=False).encode("utf-8")
            arrays[f"{name}_vocabulary"] = np.frombuffer(terms, dtype=np.uint8)
            arrays[f"{name}_idf"] = np.asarray(vectorizer.idf_, dtype=np.float64)
        arrays.update(coef=self.coef_, intercept=self.intercept_, constant=self.constant_,
                      valence_coef=self.valence_coef_, valence_intercept=self.valence_intercept_)
        return settings, arrays

    @classmethod
    def from_arrays(cls, codebook: Codebook, settings: dict, arrays: dict[str, np.ndarray]) -> SupervisedCoder:
        """The fitted coder `to_arrays` described; ``ValueError`` (or ``KeyError``) when they do not fit together."""
        themes = list(settings["themes"])
        if themes != codebook.theme_ids:
            raise ValueError("its themes are not the codebook's")
        if set(settings["vectorizers"]) != set(VECTORIZERS) or any(
                {key: tuple(value) if isinstance(value, list) else value for key, value in settings["vectorizers"][name].items()}
                != VECTORIZERS[name] for name in VECTORIZERS):
            raise ValueError("other vectorizer settings")
        coder = cls(codebook, lang=str(settings["lang"]), threshold=float(settings["threshold"]), C=float(settings["C"]),
                    random_state=int(settings["random_state"]), dictionary=bool(settings["dictionary"]))
        coder.vectorizers_, columns = {}, 0
        for name, options in VECTORIZERS.items():
            terms = json.loads(arrays[f"{name}_vocabulary"].astype(np.uint8).tobytes().decode("utf-8"))
            idf = np.asarray(arrays[f"{name}_idf"], dtype=np.float64)
            if (not isinstance(terms, list) or not all(isinstance(term, str) for term in terms)
                    or len(set(terms)) != len(terms) or idf.shape != (len(terms),)):
                raise ValueError(f"the {name} vocabulary and idf weights do not match")
            vectorizer = TfidfVectorizer(**options, vocabulary={term: j for j, term in enumerate(terms)})
            vectorizer.idf_ = idf
            coder.vectorizers_[name] = vectorizer
            columns += len(terms)
        columns += len(themes) if coder.dictionary else 0
        coef, intercept, constant = (np.asarray(arrays[key], dtype=np.float64) for key in ("coef", "intercept", "constant"))
        if coef.shape != (len(themes), columns) or intercept.shape != (len(themes),) or constant.shape != (len(themes),):
            raise ValueError("coefficients of the wrong shape")
        coder.coef_, coder.intercept_, coder.constant_ = coef, intercept, constant
        valences = [str(valence) for valence in settings.get("valence_classes", [])]
        valence_coef = np.asarray(arrays["valence_coef"], dtype=np.float64).reshape(len(valences), -1) if valences \
            else np.zeros((0, columns))
        valence_intercept = np.asarray(arrays["valence_intercept"], dtype=np.float64)
        if not set(valences) <= set(VALENCES) or valence_coef.shape != (len(valences), columns) \
                or valence_intercept.shape != (len(valences),):
            raise ValueError("valence coefficients of the wrong shape")
        coder.valence_classes_, coder.valence_coef_, coder.valence_intercept_ = (np.array(valences), valence_coef,
                                                                                 valence_intercept)
        coder.classes_ = np.array(themes)
        coder.codebook_sha256_ = codebook.sha256
        return coder


def cross_validate(coder, quotes: pd.DataFrame, codes: pd.DataFrame, *, folds: int = 5, seed: int = 0) -> pd.DataFrame:
    """Per-theme precision, recall, F1 and kappa of ``coder`` in ``folds``-fold cross-validation.

    Each quote is coded by a copy of the coder fitted on the other folds; the
    predictions are compared with ``codes`` by `agreement`.

    Examples
    --------
    >>> from coopresearch.codebook import default_codebook
    >>> quotes = pd.DataFrame({"quote_id": list("abcd"), "text": ["wie beslist", "wie beslist er", "afspraak", "afspraken"]})
    >>> codes = pd.DataFrame({"quote_id": list("abcd"), "theme": ["mandate", "mandate", "reliability", "reliability"]})
    >>> cross_validate(SupervisedCoder(default_codebook()), quotes, codes, folds=2)["theme"].tolist()
    ['transparency', 'mandate', 'ownership', 'reliability', '(macro)']
    """
    quotes = check_quotes(quotes, "cross_validate")
    if not 2 <= folds <= len(quotes):
        raise CoopResearchError(f"The 'folds' parameter of cross_validate must be an int in the range [2, {len(quotes)}]. "
                                f"Got {folds!r} instead.")
    predicted = []
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(quotes):
        fitted = clone(coder).fit(quotes.iloc[train], codes)
        predicted.append(fitted.code(quotes.iloc[test]))
    return agreement(pd.concat(predicted), codes, quotes["quote_id"], themes=list(coder.codebook.theme_ids))
