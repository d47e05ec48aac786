"""coopresearch: reproducible thematic studies of collaboration relationships."""

from importlib.metadata import PackageNotFoundError, version

from .errors import CodebookError, CoopResearchError, DataError, Problem
from .study import Study, load_study

try:
    __version__ = version("coopresearch")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

__all__ = ["CodebookError", "CoopResearchError", "DataError", "Problem", "Study", "__version__", "load_study"]
