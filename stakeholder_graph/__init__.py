"""stakeholder-graph: map, analyse and report on the stakeholder network of a community responder program."""

from importlib.metadata import PackageNotFoundError, version

from .dataset import read_dataset, validate_dataset, write_dataset
from .errors import DatabaseError, DataError, Problem, StakeholderGraphError
from .program import Program
from .sources import open_source
from .summary import summarize

__all__ = [
    "read_dataset",
    "validate_dataset",
    "write_dataset",
    "open_source",
    "summarize",
    "Program",
    "Problem",
    "DataError",
    "DatabaseError",
    "StakeholderGraphError",
]


try:
    __version__ = version("stakeholder-graph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
