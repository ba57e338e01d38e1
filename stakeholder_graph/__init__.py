"""stakeholder-graph: map, analyse and report on the stakeholder network of a community responder program.

The public API is listed in ``__all__`` and documented in docs/api.md. Names are imported when first
used (module ``__getattr__``), so that ``import stakeholder_graph`` and the command line start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Public name -> the module that defines it (``module:name`` when the name there differs). A public name
#: is never the name of a submodule: importing ``stakeholder_graph.x`` sets the package's attribute ``x``.
_API: dict[str, str] = {
    # reading and writing
    "open_source": "sources",
    "read_dataset": "dataset",
    "validate_dataset": "dataset",
    "write_dataset": "dataset",
    "export_graph": "export:export",
    # the analyses as Python objects (the JSON form, docs/json-output.md)
    "summarize": "summary",
    "build_report": "report",
    "render_report": "report:render",
    "find_gaps": "gaps",
    "referral_paths": "referrals",
    # the analyses as pandas DataFrames
    "gaps_frame": "frames",
    "paths_frame": "frames",
    "brokers_frame": "frames",
    "messengers_frame": "frames",
    # maps
    "Map": "maps",
    "build_map": "maps",
    "write_map": "maps",
    # the program and errors
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
    "export_graph",
    "summarize",
    "build_report",
    "render_report",
    "find_gaps",
    "referral_paths",
    "gaps_frame",
    "paths_frame",
    "brokers_frame",
    "messengers_frame",
    "Map",
    "build_map",
    "write_map",
    "Program",
    "Problem",
    "DataError",
    "DatabaseError",
    "StakeholderGraphError",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time names come from __getattr__
    from .dataset import read_dataset, validate_dataset, write_dataset
    from .errors import DatabaseError, DataError, Problem, StakeholderGraphError
    from .export import export as export_graph
    from .frames import brokers_frame, gaps_frame, messengers_frame, paths_frame
    from .gaps import find_gaps
    from .maps import Map, build_map, write_map
    from .program import Program
    from .referrals import referral_paths
    from .report import build_report
    from .report import render as render_report
    from .sources import open_source
    from .summary import summarize


def __getattr__(name: str):
    if name == "__version__":
        return _version()
    where = _API.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, attribute = where.partition(":")
    value = getattr(importlib.import_module(f".{module}", __name__), attribute or name)
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
