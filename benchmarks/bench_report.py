"""Time `coopresearch report` on the example study against papermill's floor.

The floor is what executing the same number of *empty* notebooks with papermill costs
(kernel start-up and shutdown, nothing else), measured in the same run on the same machine:
once one after the other, and once all at the same time as the pipeline does. The ratio says how
much the reports cost on top of starting kernels.

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
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
COMMAND = str(Path(sys.executable).with_name("coopresearch"))


def copy_example(target: Path) -> Path:
    for name in ("study.yml", "codebook.yml"):
        shutil.copyfile(ROOT / name, target / name)
    shutil.copytree(ROOT / "data/raw", target / "data/raw")
    return target


def time_report(study: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([COMMAND, "report", str(study)], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"coopresearch report failed:\n{result.stderr}")
    return time.perf_counter() - start


def time_floor(folder: Path, count: int, jobs: int) -> float:
    empty = new_notebook(cells=[new_code_cell("study_dir = '.'\nlang = 'nl'", metadata={"tags": ["parameters"]})],
                         metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    paths = []
    for i in range(count):
        path = folder / f"empty_{i}.ipynb"
        nbformat.write(empty, path)
        paths.append(path)

    def execute(path: Path) -> None:
        papermill.execute_notebook(str(path), str(path.with_suffix(".out.ipynb")), parameters={"lang": "nl"},
                                   kernel_name="python3", progress_bar=False,
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(execute, paths))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    count = len(list((ROOT / "notebooks").glob("*.ipynb")))
    report, serial, parallel = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        study = copy_example(Path(tmp))
        time_report(study)  # warm-up: imports compiled, file caches filled
        for _ in range(args.repeat):
            report.append(time_report(study))
            serial.append(time_floor(Path(tmp), count, jobs=1))
            parallel.append(time_floor(Path(tmp), count, jobs=count))
    r, s, p = (statistics.median(x) for x in (report, serial, parallel))
    print(f"notebooks: {count}, repeats: {args.repeat} (medians)")
    print(f"coopresearch report (validate, derive, execute, render): {r:6.2f} s")
    print(f"floor: {count} empty notebooks with papermill, one at a time:  {s:6.2f} s   ratio {r / s:.2f}")
    print(f"floor: {count} empty notebooks with papermill, all at once:    {p:6.2f} s   ratio {r / p:.2f}")


if __name__ == "__main__":
    main()
