"""stakeholder-graph: map, analyse and report on the stakeholder network of a community responder program.

The public API is listed in ``__all__`` and documented in docs/api.md. Names are imported when first
used (module ``__getattr__``), so that ``import stakeholder_graph`` and the command line start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Public name -> the module that defines it.
_API: dict[str, str] = {
    "open_source": "sources",
    "read_dataset": "dataset",
    "validate_dataset": "dataset",
    "write_dataset": "dataset",
    "summarize": "summary",
    "Program": "program",
    "Problem": "errors",
    "DataError": "errors",
    "DatabaseError": "errors",
    "StakeholderGraphError": "errors",
}

__all__ = [
    "open_source",
    "read_dataset",
    "validate_dataset",
    "write_dataset",
    "summarize",
    "Program",
    "Problem",
    "DataError",
    "DatabaseError",
    "StakeholderGraphError",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time names come from __getattr__
    from .dataset import read_dataset, validate_dataset, write_dataset
    from .errors import DatabaseError, DataError, Problem, StakeholderGraphError
    from .program import Program
    from .sources import open_source
    from .summary import summarize


def __getattr__(name: str):
    if name == "__version__":
        return _version()
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stakeholder-graph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
