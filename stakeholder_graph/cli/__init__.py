"""The ``stakeholder-graph`` command line: it parses arguments, calls the library and prints.

One module per group of commands: ``analyses`` (validate, summary, gaps, paths, bridges, report, plan,
scores, compare), ``files`` (map, synth, export, merge), ``database`` (load, waves, query: Neo4j) and ``web``
(serve: the shared workspace). What they
share (the group, errors into exit codes, the shared options, reading SOURCE, writing results, the entry
point) is in ``_base``. Nothing heavy is imported until a command runs.

Exit status: 0 success, 2 bad input, 3 database unreachable or refused, 130 interrupted (Ctrl-C), 1 a bug
(one sentence; see ``_base._Group``).
"""

from __future__ import annotations

from . import analyses, database, files, web  # noqa: F401  (their commands join the group as they are imported)
from ._base import TOP, cli, main

__all__ = ["cli", "main", "TOP"]
