"""Neo4j as the system of record, and the Cypher library analysts run against it.

- :mod:`.store`: connecting (one-sentence errors), loading a graph as a wave, reading a wave back.
- :mod:`.queries`: the Cypher library (the ``cypher/`` folder of this package, linked from ``queries/`` at
  the project root) and running a query safely.
"""

from .store import (
    BATCH_SIZE,
    DEFAULT_WAVE,
    URI_SCHEMES,
    WORKERS,
    connect,
    delete_wave,
    is_neo4j_uri,
    list_waves,
    load_graph,
    read_neo4j,
    split_uri,
)

__all__ = [
    "URI_SCHEMES",
    "DEFAULT_WAVE",
    "BATCH_SIZE",
    "WORKERS",
    "is_neo4j_uri",
    "split_uri",
    "connect",
    "load_graph",
    "read_neo4j",
    "delete_wave",
    "list_waves",
]
