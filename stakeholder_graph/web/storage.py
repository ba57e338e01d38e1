"""Where the workspace keeps the network: the storage interface and the dataset folder backend.

A :class:`Store` holds the live network and the version of each record, applies a validated change all
or nothing when every record it touches is still at the version the change was based on, and keeps
snapshots (waves). Two backends: :class:`FolderStore` (here: a dataset folder, one writer, every save
atomic) and :class:`~stakeholder_graph.web.store_neo4j.Neo4jStore` (a Neo4j wave, each change one
transaction). :func:`open_store` picks one for a SOURCE.
"""

from __future__ import annotations

import fcntl
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from .._ids import make_id
from ..dataset import read_dataset, write_dataset
from ..errors import DataError, Problem
from .state import State

__all__ = ["Conflict", "Store", "FolderStore", "open_store", "default_state_folder"]


class Conflict(Exception):
    """Records changed since the change was prepared: ``keys`` maps each to ``(expected, current)``."""

    def __init__(self, keys: dict[str, tuple[int, int]]):
        self.keys = keys
        super().__init__(", ".join(f"{k}: version {a} expected, {b} now" for k, (a, b) in keys.items()))


class Store(ABC):
    """The live network of a workspace, its record versions and its waves."""

    #: ``folder`` or ``neo4j``
    kind: str = ""
    #: Where the data is, for people (never a password).
    description: str = ""

    @abstractmethod
    def graph(self) -> nx.MultiDiGraph:
        """The current network, validated. Shared between requests: never change it."""

    @abstractmethod
    def revision(self) -> str:
        """A value that changes whenever the network does (a cache key)."""

    @abstractmethod
    def versions(self, keys) -> dict[str, int]:
        """The current version of each record key (0 for a record never changed here)."""

    @abstractmethod
    def commit(
        self,
        new: nx.MultiDiGraph,
        records: list[dict],
        expected: dict[str, int],
        on_commit: Callable[[dict[str, int]], None],
    ) -> dict[str, int]:
        """Apply ``records`` (whose result is the validated ``new``) if each record is at its ``expected``
        version; call ``on_commit(new versions)`` once applied, before another change can start.

        Raises
        ------
        Conflict
            A record moved on; nothing was changed.
        """

    @abstractmethod
    def snapshot(self, name: str, G: nx.MultiDiGraph) -> str:
        """Keep ``G`` as the wave ``name``; returns where (for :meth:`wave`)."""

    @abstractmethod
    def wave(self, location: str) -> nx.MultiDiGraph:
        """A wave kept by :meth:`snapshot`."""

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to release
        """Release what the store holds (connections, locks)."""


class FolderStore(Store):
    """A dataset folder with this process as its only writer.

    The folder is read once and kept in memory; a change is validated, written with
    :func:`~stakeholder_graph.dataset.write_dataset` (a temporary folder renamed into place) and only
    then made live. Record versions live in the workspace database. An exclusive lock (``flock``) on
    the dataset folder keeps a second ``serve`` of it out. When the files are changed by hand while the
    workspace runs, the workspace reads them again before the next page and the next change.
    """

    kind = "folder"

    def __init__(self, folder: str | os.PathLike, state: State):
        self.folder = Path(folder)
        self.state = state
        self.description = f"{self.folder} (dataset folder)"
        self._lock = threading.RLock()
        # one writer: an exclusive lock on the dataset folder itself, held while serving (whatever the state folder)
        self._lock_fd: int | None = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise DataError(
                Problem(
                    str(self.folder), None, None, "another 'stakeholder-graph serve' is already serving this folder"
                )
            ) from None
        self._G = read_dataset(self.folder)
        self._stamp = self._files_stamp()
        self._revision = 0
        (state.folder / "waves").mkdir(exist_ok=True)

    def _files_stamp(self) -> tuple:
        stamp = []
        for name in ("stakeholders.csv", "relationships.csv", "program.toml"):
            try:
                info = (self.folder / name).stat()
                stamp.append((info.st_mtime_ns, info.st_size))
            except FileNotFoundError:
                stamp.append(None)
        return tuple(stamp)

    def _refresh(self) -> None:
        """Read the files again if somebody changed them outside the workspace."""
        if self._files_stamp() != self._stamp:
            with self._lock:
                stamp = self._files_stamp()
                if stamp != self._stamp:
                    self._G = read_dataset(self.folder)
                    self._stamp = stamp
                    self._revision += 1

    def graph(self) -> nx.MultiDiGraph:
        self._refresh()
        return self._G

    def revision(self) -> str:
        self._refresh()
        return f"folder-{self._revision}"

    def versions(self, keys) -> dict[str, int]:
        return self.state.versions(keys)

    def commit(self, new, records, expected, on_commit):
        with self._lock:
            self._refresh()
            keys = [r["key"] for r in records]
            current = self.state.versions(keys)
            moved = {k: (expected[k], current[k]) for k in keys if k in expected and expected[k] != current[k]}
            if moved:
                raise Conflict(moved)
            write_dataset(new, self.folder, overwrite=True)
            self._G = new
            self._stamp = self._files_stamp()
            self._revision += 1
            versions = {k: current[k] + 1 for k in keys}
            on_commit(versions)
            return versions

    def snapshot(self, name: str, G: nx.MultiDiGraph) -> str:
        base = make_id(name)
        folder, n = self.state.folder / "waves" / base, 1
        while folder.exists():
            n += 1
            folder = self.state.folder / "waves" / f"{base}-{n}"
        write_dataset(G, folder)
        return folder.name

    def wave(self, location: str) -> nx.MultiDiGraph:
        return read_dataset(self.state.folder / "waves" / location)

    def close(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None


def default_state_folder(source: str) -> Path:
    """Where the workspace database goes when ``--state`` is not given.

    Beside a dataset folder: ``<folder>.workspace``; for Neo4j: ``stakeholder-graph-<wave>.workspace`` in
    the current folder.
    """
    from ..neo4j_store.store import DEFAULT_WAVE, is_neo4j_uri, split_uri

    if is_neo4j_uri(source):
        wave = split_uri(source)[1] or DEFAULT_WAVE
        return Path.cwd() / f"stakeholder-graph-{make_id(wave)}.workspace"
    folder = Path(source).resolve()
    return folder.parent / f"{folder.name}.workspace"


def open_store(source: str, state: State) -> Store:
    """The store for a SOURCE: a dataset folder or a Neo4j URI with ``?wave=NAME``.

    Raises
    ------
    DataError
        SOURCE is neither (other formats are imported into a workspace, not served).
    DatabaseError
        Neo4j cannot be reached.
    """
    from ..neo4j_store.store import is_neo4j_uri
    from ..sources import detect_format

    if is_neo4j_uri(source):
        from .store_neo4j import Neo4jStore

        return Neo4jStore(source, state)
    fmt = detect_format(source)
    if fmt != "folder":
        raise DataError(
            Problem(
                source,
                None,
                None,
                f"is a {fmt} source: serve a dataset folder or a Neo4j URI, and import this file in the "
                "workspace (Import and export), or turn it into a folder first with "
                f"'stakeholder-graph export {source} FOLDER'",
            )
        )
    return FolderStore(source, state)
