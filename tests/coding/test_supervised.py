"""The supervised coder: learning, explaining, cross-validation."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from coopresearch.coding import CODE_COLUMNS, SupervisedCoder, cross_validate
from coopresearch.coding.table import label_matrix
from coopresearch.errors import CoopResearchError

from .common import BOOK, TRAIN, TRAIN_CODES, quotes


def test_supervised_coder_before_fit_raises_sklearns_not_fitted_error():
    with pytest.raises(NotFittedError, match="is not fitted yet"):
        SupervisedCoder(BOOK).predict(TRAIN)


def test_supervised_coder_learns_and_explains():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # ownership has no positive example: must not warn
        coder = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES)
    assert coder.classes_.tolist() == BOOK.theme_ids
    new = quotes("Wie beslist hier eigenlijk?", "Ze komen de afspraken na.")
    predicted = coder.predict(new)
    assert predicted.loc["q1", "mandate"] and predicted.loc["q2", "reliability"] and not predicted["ownership"].any()
    codes = coder.code(new)
    assert codes.columns.tolist() == CODE_COLUMNS and set(codes["coder"]) == {"supervised"}
    evidence = codes.set_index("theme").loc["mandate", "evidence"]
    assert evidence.startswith("model, op de woorden '") and "beslist'" in evidence  # in the quotes' language
    assert codes["score"].between(0.5, 1).all()


def test_supervised_coder_rejects_unknown_themes_and_bad_threshold():
    with pytest.raises(CoopResearchError, match="not in the codebook: trust"):
        SupervisedCoder(BOOK).fit(TRAIN, pd.DataFrame({"quote_id": ["q1"], "theme": ["trust"]}))
    with pytest.raises(CoopResearchError, match=r"'threshold' parameter .* range \(0, 1\). Got 1.5"):
        SupervisedCoder(BOOK, threshold=1.5).fit(TRAIN, TRAIN_CODES)

def test_cross_validate_reports_per_theme_scores():
    table = cross_validate(SupervisedCoder(BOOK), TRAIN, TRAIN_CODES, folds=3)
    assert table["theme"].tolist() == [*BOOK.theme_ids, "(macro)"]
    assert table.set_index("theme").loc["transparency", "human"] == 3
    with pytest.raises(CoopResearchError, match="'folds' parameter"):
        cross_validate(SupervisedCoder(BOOK), TRAIN, TRAIN_CODES, folds=1)


def test_probabilities_are_those_of_the_fitted_logistic_regressions():
    coder = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES)
    features = coder.features(TRAIN)
    labels = label_matrix(TRAIN["quote_id"], TRAIN_CODES, BOOK.theme_ids)
    probability = coder.predict_proba(TRAIN)
    for k, theme in enumerate(BOOK.theme_ids):
        if labels[:, k].min() == labels[:, k].max():  # ownership: no example, a constant 0
            assert (probability[theme] == labels[0, k]).all()
            continue
        model = LogisticRegression(C=coder.C, class_weight="balanced", solver="liblinear", max_iter=2000,
                                   random_state=0).fit(features, labels[:, k])
        np.testing.assert_allclose(probability[theme].to_numpy(), model.predict_proba(features)[:, 1], rtol=0, atol=1e-9)
