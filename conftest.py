"""Shared pytest set-up: a private model cache, and names available to the doctests in src/coopresearch."""

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parent


@pytest.fixture(autouse=True, scope="session")
def _model_cache(tmp_path_factory):
    """The packaged models are cached in a folder of this session, never the user's cache; CLI subprocesses share it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COOPRESEARCH_CACHE_DIR", str(tmp_path_factory.mktemp("model_cache")))
        yield


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["EXAMPLE_STUDY"] = ROOT
    doctest_namespace["MINI_STUDY"] = ROOT / "tests" / "data" / "mini"
    doctest_namespace["pd"] = pd
    doctest_namespace["load_study"] = __import__("coopresearch").load_study
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        yield
