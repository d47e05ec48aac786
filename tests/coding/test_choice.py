"""Which coder codes a study: choose_coder and machine_codes."""

import pytest

from coopresearch import load_study
from coopresearch.codebook import load_codebook
from coopresearch.coding import CODE_COLUMNS, DictionaryCoder, HybridCoder, SupervisedCoder, choose_coder, machine_codes
from coopresearch.derive import derive
from coopresearch.errors import CoopResearchError

from .common import BOOK, MINI, QUOTES, TRAIN, TRAIN_CODES

SCAN = load_codebook("scan_fields")


def test_the_default_coder_is_hybrid_when_there_is_a_model():
    assert isinstance(choose_coder(BOOK, "nl"), HybridCoder)
    assert isinstance(choose_coder(SCAN, "nl"), DictionaryCoder)
    model = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES)
    hybrid = choose_coder(BOOK, "en", model=model, n_jobs=-1)
    assert isinstance(hybrid, HybridCoder) and hybrid.model is model and (hybrid.lang, hybrid.n_jobs) == ("en", -1)


def test_a_coder_by_name():
    model = SupervisedCoder(BOOK).fit(TRAIN, TRAIN_CODES)
    assert isinstance(choose_coder(BOOK, "nl", name="dictionary", model=model), DictionaryCoder)
    assert choose_coder(BOOK, "nl", name="supervised", model=model) is model
    assert isinstance(choose_coder(SCAN, "nl", name="hybrid"), HybridCoder)  # refuses when it codes: no model
    with pytest.raises(CoopResearchError, match=r"--coder supervised needs a trained model"):
        choose_coder(BOOK, "nl", name="supervised")
    with pytest.raises(CoopResearchError, match="no coder named 'neural'; the coders are hybrid, dictionary, supervised"):
        choose_coder(BOOK, "nl", name="neural")


def test_machine_codes_uses_the_chosen_coder():
    assert machine_codes(QUOTES, BOOK, lang="nl").equals(HybridCoder(BOOK).code(QUOTES))
    assert set(machine_codes(QUOTES, SCAN, lang="nl")["coder"]) <= {"dictionary"}


def test_report_derives_the_machine_codes_table():
    study = load_study(MINI)
    table = derive(study)["codings_machine"]
    assert table.columns.tolist() == CODE_COLUMNS
    assert set(table["coder"]) == {"hybrid"} and set(table["quote_id"]) <= set(study.quotes["quote_id"])
