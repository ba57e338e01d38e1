"""Private helper: compute something from the graph in a forked child process while this one goes on.

A map's analyses are pure Python, one core's work, while the machine has two or more: the gaps (a
quarter of a 50,000-stakeholder map) can be found in a child process that shares the graph with this
one (``fork``: nothing is copied up front, nothing pickled but the result) while this process finds the
brokers. Where ``fork`` is not available or not safe (Windows, macOS), or the child fails, the value is
computed here instead, so an error is raised here as usual.

A child gets only the forking thread, so a process running other threads (a web server) computes here.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Forked"]


class Forked:
    """``function(*args)`` computed in a forked child process; :meth:`result` waits for it.

    Parameters
    ----------
    function : callable
        Pure: what it changes in its process is lost (memo caches included); its result must pickle.
    *args
        Passed as they are (inherited by the child, not pickled).
    fork : bool
        False computes in this process, at :meth:`result` (for small inputs, where forking costs more).
        Only on Linux, and only while this process runs one thread.
    """

    def __init__(self, function: Callable[..., Any], *args: Any, fork: bool = True):
        self._function, self._args = function, args
        self._process = None
        if fork and sys.platform == "linux" and threading.active_count() == 1:  # see the module docstring
            context = multiprocessing.get_context("fork")
            self._reader, writer = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(writer, function, args), daemon=True)
            try:
                self._process.start()
            except OSError:  # no process to spare: compute here
                self._process = None
                self._reader.close()
            writer.close()

    @property
    def forked(self) -> bool:
        """Whether a child process is computing the value (until :meth:`result` has it)."""
        return self._process is not None

    def result(self) -> Any:
        """The value: the child's, or (not forked, or the child failed) computed here."""
        if self._process is not None:
            process, self._process = self._process, None
            try:
                done, value = self._reader.recv()
            except (EOFError, OSError):  # the child died
                done, value = False, None
            finally:
                self._reader.close()
                process.join()
            if done:
                return value
        return self._function(*self._args)


def _child(writer, function: Callable[..., Any], args: tuple) -> None:
    try:
        value = function(*args)
    except BaseException:
        writer.send((False, None))
    else:
        writer.send((True, value))
    writer.close()
