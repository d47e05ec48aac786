"""The kernels a report runs its notebooks on: started first, and shared by the packaged notebooks.

On 2 cores, starting a kernel and importing the stack in it (IPython, pandas, seaborn, networkx)
costs more than what a notebook then draws. `coopresearch report` therefore starts a
`KernelPool` before it validates and derives the study, so the kernels start and import while
this process works, and hands them the notebooks as they become ready (`KernelPool.run`).

The packaged notebooks share the kernels: a kernel imports what they import as soon as it has
started, and runs each next notebook from a clean slate (`Kernel.clean`); a test checks that each
shows the same as in a kernel of its own. A study's own notebooks may leave anything behind, so
each of them gets a new kernel.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_event_loop, run_sync

from .errors import CoopResearchError

__all__ = ["Kernel", "KernelPool"]

ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL",  # kernel notices are not for readers
             "--HistoryManager.hist_file=:memory:"]  # as nbclient starts a kernel: no history file
CLEAN_SLATE = "get_ipython().reset(new_session=True)"  # no names, history or execution count of the notebook before
PACKAGED_IMPORTS = "import coopresearch.plots, coopresearch.processed"  # what every packaged notebook imports first


class Kernel(AsyncKernelManager):
    """A Python kernel that runs notebooks one after the other.

    It keeps the clients papermill opens on it, to close them when their notebook is done
    (papermill closes them only with a kernel it started itself).
    """

    def __init__(self, **kwargs):
        super().__init__(kernel_name="python3", **kwargs)
        self._clients: list = []

    def client(self, **kwargs):
        client = super().client(**kwargs)
        self._clients.append(client)
        return client

    def close_clients(self) -> None:
        while self._clients:
            self._clients.pop().stop_channels()

    def run_quietly(self, code: str) -> None:
        """Run ``code`` without output, history or execution count; raise when it fails."""
        client = self.client()
        client.start_channels()
        try:
            reply = run_sync(client.execute_interactive)(code, silent=True, store_history=False, timeout=120)
        finally:
            self.close_clients()
        if reply["content"]["status"] != "ok":
            raise CoopResearchError(f"a report kernel could not run {code!r}: {reply['content'].get('ename', '')}: "
                                    f"{reply['content'].get('evalue', '')}")

    def clean(self) -> None:
        """A new session, as in a kernel just started; imported modules stay, which is the time this saves."""
        self.run_quietly(CLEAN_SLATE)


class KernelPool:
    """``size`` kernels, started at once; `run` executes notebooks on them, each kernel taking the next when done.

    ``shared``: the kernels run one notebook after another (the packaged notebooks); otherwise
    each notebook gets a new kernel. Use it as a context manager: leaving the block stops giving
    out notebooks, waits for the running ones and shuts the kernels down; it does not wait when
    no notebook was given out or on Ctrl-C (kernels stop by themselves when their parent is gone).
    """

    def __init__(self, size: int, *, shared: bool):
        self.shared = shared
        self._pending: queue.Queue = queue.Queue()
        self._done: queue.Queue = queue.Queue()
        self._execute: Callable[[Path, Kernel], dict] | None = None
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(max(1, size))]
        for thread in self._threads:
            thread.start()

    def run(self, notebooks: list[Path], execute: Callable[[Path, Kernel], dict]) -> Iterator[tuple[int, dict]]:
        """``execute(notebook, kernel)`` for each notebook; the results as ``(index, result)`` as each finishes.

        A notebook's error is raised by the results. Call it once: the kernels stop when the notebooks are done.
        """
        self._execute = execute
        for item in enumerate(notebooks):
            self._pending.put(item)
        for _ in self._threads:
            self._pending.put(None)

        def finished() -> Iterator[tuple[int, dict]]:
            for _ in notebooks:
                i, result, error = self._done.get()
                if error is not None:
                    raise error
                yield i, result
        return finished()

    def stop(self, *, wait: bool = True) -> None:
        """Give out no further notebook; with ``wait``, wait for the running ones and the kernels' shutdown."""
        while True:
            try:
                self._pending.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            self._pending.put(None)
        if wait:
            for thread in self._threads:
                thread.join(timeout=120)

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, kind, *_) -> None:
        # no wait when nothing ran (the study was invalid: the kernels shut down by themselves) or on Ctrl-C
        self.stop(wait=self._execute is not None and (kind is None or issubclass(kind, Exception)))

    def _start(self) -> Kernel:
        kernel = Kernel()
        run_sync(kernel.start_kernel)(extra_arguments=ARGUMENTS)
        if self.shared:  # imported now, while the report validates and derives; then a clean slate for the first notebook
            kernel.run_quietly(f"{PACKAGED_IMPORTS}\n{CLEAN_SLATE}")
        return kernel

    def _work(self) -> None:
        kernel = failed = None
        try:
            try:
                kernel = self._start()
            except Exception as exc:  # no kernel: the notebook this thread takes fails with the reason
                failed = exc
            used = False
            for i, notebook in iter(self._pending.get, None):
                try:
                    if failed is not None:
                        raise failed
                    if used and self.shared:
                        kernel.clean()
                    elif used:
                        run_sync(kernel.shutdown_kernel)(now=True)
                        kernel = self._start()
                    used = True
                    self._done.put((i, self._execute(notebook, kernel), None))
                except BaseException as exc:  # handed to the main thread
                    self._done.put((i, None, exc))
                    return
        finally:
            if kernel is not None and kernel.has_kernel:
                run_sync(kernel.shutdown_kernel)(now=True)
            ensure_event_loop().close()  # the event loop nbclient and jupyter_client use in this thread
