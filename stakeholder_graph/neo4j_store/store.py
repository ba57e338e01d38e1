"""Neo4j as the system of record: the names the rest of the package uses, gathered from the modules that
do each job (kept so that ``neo4j_store.store`` stays a stable import path).

- :mod:`.connect`: addresses, connecting with one-sentence errors, transactions.
- :mod:`.load`: writing a graph as a wave (locked, under a key of its own, published at once).
- :mod:`.read`: reading a wave back.
- :mod:`.waves`: the waves' bookkeeping: locks, publishing, listing, cleaning, deleting.
"""

from __future__ import annotations

from .connect import DEFAULT_WAVE, URI_SCHEMES, connect, is_neo4j_uri, split_uri
from .load import BATCH_SIZE, WORKERS, LoadInterrupted, load_graph
from .read import read_neo4j
from .waves import STALE_AFTER, clean_waves, delete_wave, list_waves, wave_status

__all__ = [
    "URI_SCHEMES",
    "DEFAULT_WAVE",
    "BATCH_SIZE",
    "WORKERS",
    "STALE_AFTER",
    "is_neo4j_uri",
    "split_uri",
    "connect",
    "load_graph",
    "LoadInterrupted",
    "read_neo4j",
    "delete_wave",
    "list_waves",
    "wave_status",
    "clean_waves",
]
