"""Shared pytest set-up: names available to the doctests in src/coopresearch."""

from pathlib import Path

import pytest

ROOT = Path(__file__).parent


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["EXAMPLE_STUDY"] = ROOT
    doctest_namespace["MINI_STUDY"] = ROOT / "tests" / "data" / "mini"
