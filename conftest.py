"""Shared pytest set-up: names available to the doctests in src/coopresearch."""

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parent


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["EXAMPLE_STUDY"] = ROOT
    doctest_namespace["MINI_STUDY"] = ROOT / "tests" / "data" / "mini"
    doctest_namespace["pd"] = pd
    doctest_namespace["load_study"] = __import__("coopresearch").load_study
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        yield
