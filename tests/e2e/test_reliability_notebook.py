"""Notebook 03 runs on the mini study and shows the reliability table, reading, heatmap and disagreements."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
def test_reliability_notebook_on_the_mini_study(tmp_path):
    study = tmp_path / "mini"
    shutil.copytree(ROOT / "tests" / "data" / "mini", study)
    executed = tmp_path / "03.ipynb"
    papermill.execute_notebook(ROOT / "notebooks" / "03_intercoder_reliability.ipynb", executed,
                               parameters={"study_dir": str(study), "lang": "en"}, cwd=str(tmp_path),
                               progress_bar=False)
    outputs = [o for cell in nbformat.read(executed, as_version=4).cells if cell.cell_type == "code"
               for o in cell.outputs]
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "data/processed is missing: deriving it again from data/raw" in streams  # opened by hand: derives first
    assert (study / "data/processed/manifest.json").is_file()
    data = [o.get("data", {}) for o in outputs]
    markdown = "\n".join(d["text/markdown"] for d in data if "text/markdown" in d)
    html = "\n".join(d["text/html"] for d in data if "text/html" in d)
    assert "Over all themes α = 0.654" in markdown and "at least half of the human coders" in markdown
    assert "all themes" in html and "κ a–b" in html
    assert "De gemeente zegt &#34;ja&#34; maar doet dan iets anders." in html  # the disagreements list, escaped
    assert sum("image/png" in d for d in data) == 3  # codes per coder, agreement heatmaps without and with the machine
