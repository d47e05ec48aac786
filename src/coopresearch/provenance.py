"""Provenance: the software a report was made with, for its manifest and its last section.

Kept apart from `pipeline` so a notebook can show it without importing papermill and nbconvert.
"""

from __future__ import annotations

import platform
from importlib import metadata

import pandas as pd

__all__ = ["PACKAGES", "package_versions", "versions"]

PACKAGES = ("coopresearch", "pandas", "numpy", "networkx", "scikit-learn", "seaborn", "matplotlib",
            "pandera", "krippendorff", "papermill", "nbconvert", "nbclient", "ipykernel", "pyyaml")


def versions() -> dict[str, str]:
    """Python's version and each of ``PACKAGES``'s installed version.

    Examples
    --------
    >>> sorted(versions())[:2]
    ['coopresearch', 'ipykernel']
    """
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def package_versions() -> pd.DataFrame:
    """Python and the versions of the packages a report depends on, as a table.

    Examples
    --------
    >>> package_versions().columns.tolist()
    ['package', 'version']
    """
    return pd.DataFrame(list(versions().items()), columns=["package", "version"])
