"""Neo4j as the system of record, and the Cypher library analysts run against it.

- :mod:`.connect`: addresses, connecting (one-sentence errors), transactions.
- :mod:`.load`: loading a graph as a wave: locked, written under a key of its own, made visible at once.
- :mod:`.read`: reading a wave back (only published waves, never a load in progress).
- :mod:`.waves`: locks, publishing, listing waves with their state, cleaning up after stopped loads.
- :mod:`.queries`: the Cypher library (the ``cypher/`` folder of this package, linked from ``queries/`` at
  the project root) and running a query safely (read-only unless asked).
- :mod:`.store`: the names above gathered in one place.
"""

from .store import (
    BATCH_SIZE,
    DEFAULT_WAVE,
    STALE_AFTER,
    URI_SCHEMES,
    WORKERS,
    LoadInterrupted,
    clean_waves,
    connect,
    delete_wave,
    is_neo4j_uri,
    list_waves,
    load_graph,
    read_neo4j,
    split_uri,
    wave_status,
)

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
