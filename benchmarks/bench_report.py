"""Time `coopresearch report` on the example study against the floor of a notebook run, side by side.

The floor: as many notebooks as the study has reports, each importing the same stack (pandas,
seaborn, networkx, scikit-learn), drawing one seaborn figure, executed at once with papermill
and rendered with nbconvert's lab template. Targets (issue 13): `report` within 2.0x that floor
(aim 1.3x); a re-run on unchanged inputs renders without deriving again; one notebook executed
by hand on a derived study within 2x the floor of one such notebook.

    python benchmarks/bench_report.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
COMMAND = str(Path(sys.executable).with_name("coopresearch"))
FLOOR_CELLS = [
    "study_dir = '.'\nlang = 'nl'\nprocessed_dir = ''",
    "import pandas as pd\nimport seaborn as sns\nimport networkx as nx\nimport sklearn\nimport matplotlib.pyplot as plt",
    "table = pd.DataFrame({'theme': list('abcd'), 'quotes': [4, 3, 2, 1]})\nsns.barplot(table, x='theme', y='quotes');",
]


def copy_example(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("study.yml", "codebook.yml"):
        if (ROOT / name).is_file():
            shutil.copyfile(ROOT / name, target / name)
    shutil.copytree(ROOT / "data/raw", target / "data/raw")
    return target


def time_command(*args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([COMMAND, *args], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"coopresearch {' '.join(args)} failed:\n{result.stderr}")
    return time.perf_counter() - start


def run_and_render(notebook: Path, parameters: dict, out: Path) -> None:
    """Execute and render like a reader running every cell: the executed notebook is written once, at the end.

    (papermill's default also writes it twice per cell, a cost that grows with the number of cells
    and that neither JupyterLab nor `coopresearch report` has.)
    """
    executed = papermill.execute_notebook(str(notebook), str(out / f"{notebook.stem}.out.ipynb"), parameters=parameters,
                                          kernel_name="python3", progress_bar=False, request_save_on_cell_execute=False,
                                          extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    HTMLExporter(template_name="lab", exclude_input=True).from_notebook_node(nbformat.from_dict(executed))


def time_notebooks(paths: list[Path], parameters: dict, out: Path) -> float:
    """Execute and render ``paths`` at once; executed copies go to ``out`` (never beside the packaged notebooks)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        list(pool.map(lambda path: run_and_render(path, parameters, out), paths))
    return time.perf_counter() - start


def floor_notebooks(folder: Path, count: int) -> list[Path]:
    notebook = new_notebook(cells=[new_code_cell(source) for source in FLOOR_CELLS],
                            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    notebook.cells[0].metadata["tags"] = ["parameters"]
    paths = []
    for i in range(count):
        paths.append(folder / f"floor_{i}.ipynb")
        nbformat.write(notebook, paths[-1])
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    times: dict[str, list[float]] = {key: [] for key in ("cold", "rerun", "floor", "by_hand", "floor_one")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floors = floor_notebooks(tmp, len(notebooks))
        time_command("report", str(copy_example(tmp / "warm-up")))  # imports compiled, model cached, file caches filled
        for i in range(args.repeat):
            study = copy_example(tmp / f"study{i}")
            times["cold"].append(time_command("report", str(study)))  # validate, derive, execute, render
            times["floor"].append(time_notebooks(floors, {"lang": "nl"}, tmp))
            times["rerun"].append(time_command("report", str(study)))  # inputs unchanged: no derivation
            times["by_hand"].append(time_notebooks([notebooks[0]], {"study_dir": str(study), "lang": "nl"}, tmp))
            times["floor_one"].append(time_notebooks(floors[:1], {"lang": "nl"}, tmp))
    t = {key: statistics.median(values) for key, values in times.items()}
    print(f"example study, {len(notebooks)} reports, medians of {args.repeat} runs, measured side by side")
    print(f"floor: {len(notebooks)} stack notebooks with a seaborn figure, at once, rendered (lab): {t['floor']:6.2f} s")
    print(f"coopresearch report, inputs changed (derive + render):  {t['cold']:6.2f} s   ratio {t['cold'] / t['floor']:.2f}"
          "  (target 2.0, aim 1.3)")
    print(f"coopresearch report, inputs unchanged (render only):    {t['rerun']:6.2f} s   ratio {t['rerun'] / t['floor']:.2f}")
    print(f"floor: one stack notebook, rendered:                     {t['floor_one']:6.2f} s")
    print(f"notebook 01 by hand on a derived study, rendered:        {t['by_hand']:6.2f} s   "
          f"ratio {t['by_hand'] / t['floor_one']:.2f}  (target 2.0)")


if __name__ == "__main__":
    main()
