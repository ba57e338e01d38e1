"""Opening hours of services: parse the ``hours`` column and ask whether a service is open.

``hours`` is ``24/7`` or ``;``-separated segments of days and times (``Mon-Fri 08:00-17:00; Sat
10:00-14:00``). A segment may end with a note in brackets for opening that does not happen every week
(``Mon 10:00-12:00 (1st Mon of the month)``), as Open Referral schedules with monthly or fortnightly
rules are written: the service is open then on *some* weeks only, so :func:`is_open` answers "unknown"
(None) for those times instead of yes or no, and such segments never make a service 24/7. A service
with no ``hours`` has hours unknown: :func:`is_open` says None, never "closed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["OpeningHours", "parse_hours", "is_open", "is_24_7"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_WORDS = {
    "daily": frozenset(range(7)),
    "everyday": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
}
_SEGMENT = re.compile(
    r"^\s*(?P<days>[A-Za-z,\- ]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
    r"\s*(?:\((?P<note>[^()]*)\))?\s*$"
)


@dataclass(frozen=True)
class OpeningHours:
    """Parsed opening hours: ``always`` for 24/7, else (weekdays, start, end) spans in minutes.

    Weekdays count from 0 (Monday). A span whose end is not after its start runs past midnight.
    ``some_weeks`` holds the spans written with a note (open on some weeks only), as (weekdays, start,
    end, note).
    """

    always: bool
    spans: tuple[tuple[frozenset[int], int, int], ...] = ()
    some_weeks: tuple[tuple[frozenset[int], int, int, str], ...] = ()


def _minutes(text: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError(f"{text!r} is not a time of day")
    return hours * 60 + minutes


def _days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        if part in _DAY_WORDS:
            days |= _DAY_WORDS[part]
        elif "-" in part:
            first, _, last = part.partition("-")
            i, j = _DAYS.index(first[:3]), _DAYS.index(last[:3])
            days |= {(i + k) % 7 for k in range((j - i) % 7 + 1)}
        else:
            days.add(_DAYS.index(part[:3]))
    return frozenset(days)


def parse_hours(text: str) -> OpeningHours:
    """Parse ``24/7`` or ``Mon-Fri 08:00-17:00; Sat 10:00-14:00`` (also ``daily``, ``weekdays``, and a
    segment's ``(note)`` for opening on some weeks only).

    Raises
    ------
    ValueError
        With a sentence saying what the text should look like.
    """
    cleaned = text.strip().lower()
    if cleaned in {"24/7", "24x7", "24 hours", "always"}:
        return OpeningHours(always=True)
    spans, some_weeks = [], []
    for segment in filter(None, (s.strip() for s in text.strip().split(";"))):
        match = _SEGMENT.match(segment)
        try:
            if not match:
                raise ValueError
            span = (_days(match["days"]), _minutes(match["start"]), _minutes(match["end"]))
            if match["note"] is not None:
                some_weeks.append((*span, match["note"].strip()))
            else:
                spans.append(span)
        except ValueError:
            raise ValueError(
                f"cannot read hours {text!r}: write 24/7, or days and times such as "
                "'Mon-Fri 08:00-17:00; Sat 10:00-14:00'"
            ) from None
    if not spans and not some_weeks:
        raise ValueError(f"cannot read hours {text!r}: write 24/7 or days and times")
    return OpeningHours(always=False, spans=tuple(spans), some_weeks=tuple(some_weeks))


def is_24_7(text: str | None) -> bool:
    """True when ``hours`` says the service never closes."""
    return bool(text) and parse_hours(text).always


def _covers(days: frozenset[int], start: int, end: int, minute: int, candidates) -> bool:
    for day in candidates:
        if end > start:
            if day in days and start <= minute < end:
                return True
        elif (day in days and minute >= start) or ((day - 1) % 7 in days and minute < end):
            return True
    return False


def is_open(text: str | None, at: str, weekday: int | None = None) -> bool | None:
    """Is a service with these ``hours`` open at time ``at`` (``HH:MM``)?

    True when a weekly span covers the time, None (unknown) when the hours are unknown or only a
    some-weeks span covers it, False otherwise.

    Parameters
    ----------
    text : str or None
        The ``hours`` cell. None or empty: unknown, and the answer is None.
    at : str
        Time of day, ``HH:MM``.
    weekday : int, optional
        0 for Monday. When None, the service counts as open if it is open at that time on any day.
    """
    if not text:
        return None
    hours = parse_hours(text)
    if hours.always:
        return True
    minute = _minutes(at)
    candidates = range(7) if weekday is None else [weekday]
    if any(_covers(days, start, end, minute, candidates) for days, start, end in hours.spans):
        return True
    if any(_covers(days, start, end, minute, candidates) for days, start, end, _ in hours.some_weeks):
        return None
    return False
