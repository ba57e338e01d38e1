"""Exceptions the library raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "StakeholderGraphError", "DataError", "DatabaseError"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in input data, located as a spreadsheet shows it.

    Parameters
    ----------
    file : str
        The file (or ``file[sheet]``) the problem is in.
    row : int or None
        The row as a spreadsheet numbers it: the header is row 1. None for the whole file.
    column : str or None
        The header's name, or None for the whole row or file.
    message : str
        What is wrong and, where it helps, what to write instead.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class StakeholderGraphError(Exception):
    """Base class of the errors this package raises on purpose."""


class DataError(StakeholderGraphError):
    """Input data is invalid. ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DatabaseError(StakeholderGraphError):
    """A database could not be reached, or refused the credentials or the query."""
