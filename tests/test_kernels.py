"""The report's kernels: shared ones run each next notebook from a clean slate; unshared ones are new per notebook."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from coopresearch.errors import CoopResearchError
from coopresearch.kernels import KernelPool
from coopresearch.pipeline import _execute

pytestmark = pytest.mark.slow


def notebooks(folder, *cells: list[str]) -> list:
    parameters = new_code_cell("study_dir = ''\nlang = 'nl'\nprocessed_dir = ''", metadata={"tags": ["parameters"]})
    paths = []
    for i, sources in enumerate(cells):
        paths.append(folder / f"0{i}.ipynb")
        nbformat.write(new_notebook(cells=[parameters, *map(new_code_cell, sources)],
                                    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}), paths[-1])
    return paths


def test_a_kernel_runs_its_next_notebook_from_a_clean_slate_or_a_new_kernel(tmp_path):
    """Kernels shared between notebooks (the packaged ones) start each notebook as a new session: no name of the
    notebook before, execution counts from 1; a study's own notebooks each get a kernel of their own."""
    paths = notebooks(tmp_path, ["import os\nleft_behind = os.getpid()\nleft_behind"],
                      ["import os\nos.getpid()", "'left_behind' in dir()"])

    def run(shared: bool) -> tuple[list, list]:
        with KernelPool(1, shared=shared) as kernels:
            finished = kernels.run(paths, lambda nb, kernel: _execute(nb, kernel, tmp_path, "nl", tmp_path))
            first, second = (executed.cells for _, executed in sorted(finished, key=lambda item: item[0]))
        return ([first[-1].outputs[0].data["text/plain"], second[-2].outputs[0].data["text/plain"]],
                [second[-1].outputs[0].data["text/plain"], [cell.execution_count for cell in second]])

    (pid, pid_after), seen = run(shared=True)
    assert pid == pid_after and seen == ["False", [1, 2, 3, 4]]
    (pid, pid_after), seen = run(shared=False)
    assert pid != pid_after and seen == ["False", [1, 2, 3, 4]]



def test_a_failing_notebook_is_named_and_the_kernel_takes_no_further_notebook(tmp_path):
    paths = notebooks(tmp_path, ["1 / 0"], [f"open({str(tmp_path / 'ran')!r}, 'w').close()"])
    with KernelPool(1, shared=True) as kernels:
        finished = kernels.run(paths, lambda nb, kernel: _execute(nb, kernel, tmp_path, "nl", tmp_path))
        with pytest.raises(CoopResearchError, match=r"notebook 00\.ipynb failed in cell \d: ZeroDivisionError"):
            list(finished)
    assert not (tmp_path / "ran").exists()
