"""The program's expectations (``program.toml``): who it must engage, how, and for which needs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .vocab import DEMOGRAPHIC_COLUMNS, METHODS, NEEDS, RESPONDER_NEEDS, SECTORS

__all__ = ["Program", "read_program", "program_from_settings", "program_to_toml"]

DEFAULT_SECTORS = tuple(s for s in SECTORS if s not in {"business", "other"})
#: Without ``expected_needs`` a program is expected to meet the needs community responders exist for.
DEFAULT_NEEDS = RESPONDER_NEEDS


@dataclass(frozen=True)
class Program:
    """What a community responder program expects of its stakeholder network.

    Attributes
    ----------
    name : str
        The program's name, used in report titles.
    team : str or None
        Id of the responder team node; None when the data has no team.
    expected_sectors, expected_methods, expected_needs : tuple of str
        The sectors it must engage, the engagement methods it should use, the needs it must meet.
    priority_communities : tuple of str
        Community ids counted as priority in addition to those whose ``priority`` is true.
    engagement_max_age_days : int
        An expected method last used longer ago than this is "not used recently".
    as_of : str or None
        Reference date, ``YYYY-MM-DD``, for recency and for which relationships have ended; None means
        the newest date in the data.
    min_trust : int
        A tie of this trust (1-4) or more is trusted: trusted routes, credible messengers, introducers.
    messenger_min_residents : int
        A credible messenger of a community is trusted by at least this many of its residents (or by
        all of them when it has fewer).
    min_trusted_share : float
        A priority community has a trust gap when fewer than this share of its residents have a
        trusted route to the team.
    max_dependence : float
        ... or when one stakeholder carries more than this share of those residents' trusted routes.
    population : tuple of str
        Population shares of groups of people, one ``"column:group=share"`` per group (written in
        program.toml as ``[population.language]`` tables); see :meth:`population_shares`.
    """

    name: str = "Community responder program"
    team: str | None = None
    expected_sectors: tuple[str, ...] = DEFAULT_SECTORS
    expected_methods: tuple[str, ...] = METHODS
    expected_needs: tuple[str, ...] = DEFAULT_NEEDS
    priority_communities: tuple[str, ...] = ()
    engagement_max_age_days: int = 365
    as_of: str | None = None
    min_trust: int = 3
    messenger_min_residents: int = 2
    min_trusted_share: float = 0.5
    max_dependence: float = 0.5
    population: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        # lists (from JSON or a Neo4j wave) are kept as tuples, so that programs compare equal
        for f in dataclasses.fields(self):
            if isinstance(getattr(self, f.name), list):
                object.__setattr__(self, f.name, tuple(getattr(self, f.name)))

    def replace(self, **changes) -> Program:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def population_shares(self, column: str) -> dict[str, float]:
        """The population share of each group of a person column (``race_ethnicity``, ``language``...)."""
        shares = {}
        for entry in self.population:
            name, _, share = entry.rpartition("=")
            entry_column, _, group = name.partition(":")
            if entry_column == column:
                shares[group] = float(share)
        return shares


_LISTS = {
    "expected_sectors": SECTORS,
    "expected_methods": METHODS,
    "expected_needs": NEEDS,
}


#: Whole-number settings and their allowed range.
_WHOLE = {"min_trust": (1, 4), "messenger_min_residents": (1, 1000)}


def _population(value, bad) -> tuple[str, ...]:
    """``[population.COLUMN]`` tables of group = share, as ``"column:group=share"`` entries."""
    if not isinstance(value, dict):
        bad("population", "must be tables such as [population.language] with lines like Spanish = 0.12")
        return ()
    entries = []
    for column, groups in value.items():
        if column not in DEMOGRAPHIC_COLUMNS:
            bad(f"population.{column}", f"unknown column; use one of {', '.join(DEMOGRAPHIC_COLUMNS)}")
            continue
        if not isinstance(groups, dict):
            bad(f"population.{column}", "must be a table of group = share, e.g. Spanish = 0.12")
            continue
        for group, share in groups.items():
            if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 <= share <= 1:
                bad(f"population.{column}.{group}", "must be a share between 0 and 1 (write 0.12 for 12%)")
            elif "=" in group or ":" in group:
                bad(f"population.{column}.{group}", "a group name cannot contain '=' or ':'")
            else:
                entries.append(f"{column}:{group}={float(share)}")
    return tuple(entries)


def read_program(path: Path, label: str | None = None) -> tuple[Program, list[Problem]]:
    """Read ``program.toml``; a missing file gives the defaults.

    Returns
    -------
    (Program, list of Problem)
        The program and the problems found (the program holds defaults where a value was bad).
    """
    label = label or str(path)
    if not path.exists():
        return Program(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        return Program(), [Problem(label, None, None, "is not UTF-8 text: save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        return Program(), [Problem(label, None, None, f"is not valid TOML: {exc}")]
    except RecursionError:
        return Program(), [Problem(label, None, None, "is not valid TOML: it is nested too deeply to read")]
    return program_from_settings(data, label)


def program_from_settings(data, label: str) -> tuple[Program, list[Problem]]:
    """Validate program settings (``program.toml``'s table, or the same keys read from a JSON, GEXF or
    GraphML file) exactly as ``program.toml`` is validated; a value that is None is not set.

    Returns
    -------
    (Program, list of Problem)
        The program and the problems found, each naming ``label`` and the setting.
    """
    if not isinstance(data, dict):
        return Program(), [Problem(label, None, None, "program settings must be a table of names and values")]
    data = {key: value for key, value in data.items() if value is not None}
    problems: list[Problem] = []
    values: dict = {}

    def bad(key: str, message: str) -> None:
        problems.append(Problem(label, None, None, f"{key}: {message}"))

    known = {f.name for f in dataclasses.fields(Program)} - {"extra"}
    for key, value in data.items():
        if key not in known:
            bad(key, f"unknown key; known keys are {', '.join(sorted(known))}")
        elif key in ("name", "team"):
            if not isinstance(value, str):
                bad(key, "must be text in quotes")
            else:
                values[key] = value or None if key == "team" else value
        elif key in _LISTS or key == "priority_communities":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(key, 'must be a list of names in quotes, e.g. ["housing", "medical"]')
                continue
            allowed = _LISTS.get(key)
            unknown = [v for v in value if allowed is not None and v not in allowed]
            if unknown:
                bad(key, f"unknown value(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
            else:
                values[key] = tuple(value)
        elif key == "engagement_max_age_days":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                bad(key, "must be a whole number of days, 1 or more")
            else:
                values[key] = value
        elif key in _WHOLE:
            low, high = _WHOLE[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                bad(key, f"must be a whole number from {low} to {high}")
            else:
                values[key] = value
        elif key in ("min_trusted_share", "max_dependence"):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                bad(key, "must be a share between 0 and 1 (write 0.5 for half)")
            else:
                values[key] = float(value)
        elif key == "population":
            values[key] = _population(value, bad)
        elif key == "as_of":
            text = value.isoformat() if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value
            try:
                if text != "":
                    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                        raise ValueError
                    dt.date.fromisoformat(text)
                values[key] = text or None
            except (TypeError, ValueError):
                bad(key, "must be a date written YYYY-MM-DD")
    return Program(**values), problems


def program_to_toml(program: Program) -> str:
    """Write a program as ``program.toml`` text (only the values that differ from the defaults)."""
    default = Program()
    lines = []
    for f in dataclasses.fields(Program):
        if f.name in ("extra", "population"):
            continue
        value = getattr(program, f.name)
        if value == getattr(default, f.name) or value is None:
            continue
        if isinstance(value, tuple):
            lines.append(f"{f.name} = [{', '.join(_quote(v) for v in value)}]")
        elif isinstance(value, str):
            lines.append(f"{f.name} = {_quote(value)}")
        else:
            lines.append(f"{f.name} = {value}")
    columns = dict.fromkeys(entry.partition(":")[0] for entry in program.population)
    for column in columns:
        lines += ["", f"[population.{column}]"]
        lines += [f"{_quote(group)} = {share}" for group, share in program.population_shares(column).items()]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
