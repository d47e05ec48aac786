"""coopresearch: reproducible thematic studies of collaboration relationships."""

from importlib.metadata import PackageNotFoundError, version

from .errors import CodebookError, CoopResearchError, DataError, Problem

try:
    __version__ = version("coopresearch")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

__all__ = ["CodebookError", "CoopResearchError", "DataError", "Problem", "Study", "__version__", "load_study"]


def __getattr__(name: str):
    # load_study and Study on first use: a notebook that only reads data/processed does not import validation
    if name in ("Study", "load_study"):
        from . import study

        return getattr(study, name)
    raise AttributeError(f"module 'coopresearch' has no attribute {name!r}")
