"""What a lenient reader left out and why: every problem kept, a short summary grouped by cause.

Outside directories (Open Referral exports as 211s publish them) are never clean. A lenient reader
imports what it can and records each row or cell it could not use here, with the group it belongs to
(``dangling_organization``, ``schedule_unreadable``...). :meth:`ImportProblems.summary` gives one line
per group for the terminal (counts, never a list of row numbers), :func:`write_problems_csv` the full
list as CSV for a spreadsheet (``file,row,column,message``; cells that a spreadsheet would run as a
formula are neutralised). In strict mode the same problems make the reader raise
:class:`~stakeholder_graph.errors.DataError` instead, all of them at once.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter, defaultdict
from dataclasses import dataclass

from .._escape import spreadsheet_cell
from .._files import atomic_write_text
from ..errors import DataError, Problem

__all__ = ["Group", "ImportProblems", "write_problems_csv", "problems_csv", "neutralise"]


@dataclass(frozen=True)
class Group:
    """A cause of problems and the sentence that summarises it.

    ``template`` is formatted with ``n`` (how many problems), ``file`` and the keyword values the
    reader passed (e.g. ``targets``: how many different missing ids). ``strict``: whether ``--strict``
    refuses the import for it (False for what is left out by design, such as inactive services).
    """

    name: str
    template: str
    strict: bool = True


class ImportProblems:
    """Problems found while reading, grouped by cause, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[tuple[Group, Problem]] = []
        self.details: dict[str, dict] = defaultdict(dict)

    def add(self, group: Group, problem: Problem, **details) -> None:
        """Record a problem of ``group``; ``details`` accumulate per group (sets are unioned)."""
        self.items.append((group, problem))
        known = self.details[group.name]
        for key, value in details.items():
            if isinstance(value, (set, frozenset)):
                known.setdefault(key, set()).update(value)
            else:
                known[key] = value

    def __len__(self) -> int:
        return len(self.items)

    @property
    def problems(self) -> list[Problem]:
        """Every problem, in the order found."""
        return [problem for _, problem in self.items]

    def strict_problems(self) -> list[Problem]:
        """The problems ``--strict`` refuses an import for."""
        return [problem for group, problem in self.items if group.strict]

    def raise_if_strict(self, strict: bool) -> None:
        """In strict mode, raise :class:`DataError` with every problem that makes the import incomplete."""
        found = self.strict_problems()
        if strict and found:
            raise DataError(found)

    def summary(self) -> list[str]:
        """One sentence per group and file, in the order the groups were first met (a group of one problem
        is that problem)."""
        counts: Counter = Counter()
        groups: dict[tuple[str, str], tuple[Group, Problem]] = {}
        for group, problem in self.items:
            key = (group.name, problem.file)
            counts[key] += 1
            groups.setdefault(key, (group, problem))
        lines = []
        for (name, file), n in counts.items():
            group, first = groups[(name, file)]
            if n == 1:
                lines.append(str(first))  # one problem says more than a count of one
                continue
            values = {k: len(v) if isinstance(v, set) else v for k, v in self.details.get(name, {}).items()}
            lines.append(f"{file}: " + group.template.format_map(_Values(values, n=n, file=file)))
        return lines


class _Values(dict):
    """Template values; a detail no problem of the group gave counts as 0."""

    def __init__(self, values: dict, **more):
        super().__init__(values, **more)

    def __missing__(self, key: str) -> int:
        return 0


def neutralise(value) -> str:
    """A cell as text a spreadsheet shows as written: a leading ``=``, ``+``, ``-``, ``@``, tab or carriage
    return gets a ``'`` in front, so that it is never run as a formula."""
    return spreadsheet_cell("" if value is None else str(value))


def problems_csv(problems: list[Problem]) -> str:
    """Problems as CSV text with the header ``file,row,column,message``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "row", "column", "message"])
    for p in problems:
        writer.writerow(
            [neutralise(p.file), "" if p.row is None else p.row, neutralise(p.column), neutralise(p.message)]
        )
    return buffer.getvalue()


def write_problems_csv(problems: list[Problem], path: str | os.PathLike) -> None:
    """Write :func:`problems_csv` to ``path``, whole or not at all."""
    atomic_write_text(path, problems_csv(problems))
