"""Open Referral schedules as a person reads them, turned into our ``hours`` text.

Times are read in 12- and 24-hour forms (``9:00am``, ``9 AM``, ``5:00 p.m.``, ``17:00``, ``10:00:00``,
``0900``, ``noon``, ``midnight``; a time zone suffix is dropped); ``closed`` marks a closed day. We
read times with our own small pattern rather than ``dateutil.parser``: measured on the times found in
real exports, dateutil reads ``9.30am`` as 09:00, ``0900`` as the year 900, ``9`` as the 9th of the
month and ``10am-2pm`` as 22:00 in a -02:00 time zone, all without an error, where a wrong time is
worse than an unknown one. Dates (``valid_from``, ``valid_to``, ``dtstart``, ``until``) are read with
``dateutil.parser.isoparse`` (strict ISO 8601).

HSDS 3.0 recurrence rules (``freq``, ``interval``, ``byday`` with ordinals such as ``1MO`` or ``-1FR``,
``bymonthday``, ``byweekno``, ``byyearday``, ``count``, ``until``, ``wkst``, ``dtstart``, bounded by
``valid_from`` and ``valid_to``) are expanded with ``dateutil.rrule`` over the eight weeks from the
reference date (default today). A rule that opens on the same weekdays every week of that window is
weekly opening (``Mon-Fri 09:00-17:00``); any other (monthly, every other week, some weeks of the
year, a few sessions) is open on *some* weeks only and is written with a note,
``Tue 10:00-12:00 (1st Tue of the month)``, which never counts as open 24/7 and makes ``--open-at``
say "unknown" rather than "open". A rule with no opening in the window or later is no longer in effect
(or not yet, when its first opening comes later) and is not used. HSDS 1.1 rows give a ``weekday``
(1 is Monday ... 7 Sunday, or a day name).

A service whose schedule has a row that cannot be read has hours unknown (no ``hours``): what could
not be read is listed, and nothing concludes from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import lru_cache

from ...errors import Problem
from ...hours import parse_hours
from ..problems import Group, ImportProblems

__all__ = ["parse_time", "schedule_hours", "read_schedules", "CLOSED", "WINDOW_WEEKS"]

#: What :func:`parse_time` returns for a closed day.
CLOSED = "closed"
#: How many weeks from the reference date a recurrence rule is expanded over.
WINDOW_WEEKS = 8

UNREADABLE = Group(
    "schedule_unreadable",
    "{n} schedule row(s) could not be read: the hours of {services} service(s) are unknown",
)
NOT_IN_EFFECT = Group(
    "schedule_not_in_effect",
    "{n} schedule row(s) are no longer, or not yet, in effect (valid_from, valid_to, until, count): not used",
    strict=False,
)
ORPHAN = Group("schedule_orphan", "{n} schedule row(s) name no service or location in the directory: not used")

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_CODES = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", -1: "last", -2: "2nd last"}
_12H = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*([ap])\.?\s*m\.?")
_24H = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?")
_HHMM = re.compile(r"([01]\d|2[0-4])([0-5]\d)")
_ZONE = re.compile(r"(?<=\d)\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)$")


@lru_cache(maxsize=4096)
def parse_time(text: str) -> str | None:
    """``HH:MM`` (24-hour; ``24:00`` for the end of the day) from a time as people write it.

    Returns :data:`CLOSED` for ``closed``, and None when the text is not a time (an empty cell too).
    """
    cleaned = " ".join(text.strip().casefold().split())
    if cleaned in ("closed", "close", "not open"):
        return CLOSED
    if cleaned in ("noon", "12 noon", "midday", "12 midday"):
        return "12:00"
    if cleaned in ("midnight", "12 midnight"):
        return "00:00"
    cleaned = _ZONE.sub("", cleaned)
    if found := _12H.fullmatch(cleaned):
        hour, minute = int(found[1]), int(found[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if found[3] == "p" else 0)
        return f"{hour:02d}:{minute:02d}"
    found = _24H.fullmatch(cleaned) or _HHMM.fullmatch(cleaned)
    if found:
        hour, minute = int(found[1]), int(found[2])
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            return None
        return f"{hour:02d}:{minute:02d}"
    return None


def _days_text(days: set[int]) -> str:
    """``daily``, ``Mon-Fri``, ``Mon,Wed,Fri`` or ``Thu,Fri``: runs of three or more days as ranges."""
    if set(days) == set(range(7)):
        return "daily"
    ordered, parts, i = sorted(days), [], 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{_WEEKDAYS[ordered[i]]}-{_WEEKDAYS[ordered[j]]}")
        else:
            parts.extend(_WEEKDAYS[k] for k in ordered[i : j + 1])
        i = j + 1
    return ",".join(parts)


def schedule_hours(spans: list[tuple]) -> str | None:
    """Our ``hours`` text from (weekdays, opens ``HH:MM``, closes ``HH:MM``[, note]) spans; Monday is 0.

    Spans with the same times are joined (``Mon-Fri 09:00-17:00; Sat 10:00-14:00``); open from 00:00 to
    23:59 (or 24:00) every day of every week is ``24/7``. A span with a note (open on some weeks only)
    is written ``Tue 10:00-12:00 (1st Tue of the month)``. None when there are no spans.
    """
    by_time: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for span in spans:
        days, opens, closes = span[:3]
        note = span[3] if len(span) > 3 else ""
        closes = "24:00" if closes == "23:59" or (closes == "00:00" and opens != "00:00") else closes
        by_time[(opens, closes, note or "")] |= set(days)
    if not by_time:
        return None
    whole_day = {
        day
        for (o, c, note), days in by_time.items()
        if not note and o == "00:00" and c in ("24:00", "00:00")
        for day in days
    }
    if whole_day == set(range(7)):
        return "24/7"
    groups = sorted(by_time.items(), key=lambda item: (bool(item[0][2]), min(item[1]), item[0]))
    return "; ".join(f"{_days_text(days)} {o}-{c}" + (f" ({note})" if note else "") for (o, c, note), days in groups)


def _weekday(text: str) -> int | None:
    """HSDS 1.1 ``weekday``: 1 is Monday ... 7 Sunday (ISO 8601); day names are accepted too."""
    cleaned = text.strip().casefold()
    if cleaned.isdigit() and 1 <= int(cleaned) <= 7:
        return int(cleaned) - 1
    names = [d.casefold() for d in _WEEKDAYS]
    return names.index(cleaned[:3]) if cleaned[:3] in names else None


def _date(text: str, column: str) -> dt.datetime | None:
    from dateutil.parser import isoparse

    if not text:
        return None
    try:
        value = isoparse(text.strip())
    except (ValueError, OverflowError):
        raise ValueError((column, f"{column} {text!r} is not a date: write YYYY-MM-DD")) from None
    return value.replace(tzinfo=None)


def _numbers(text: str, column: str, low: int, high: int) -> tuple[int, ...]:
    values = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;| ]+", text or ""))):
        try:
            value = int(part)
        except ValueError:
            raise ValueError((column, f"{column} {text!r} is not a list of whole numbers")) from None
        if not (low <= abs(value) <= high):
            raise ValueError((column, f"{column} {value} is out of range ({low} to {high})"))
        values.append(value)
    return tuple(values)


_DAY_NAMES = {
    **{code: day for code, day in _CODES.items()},
    **{name[:3].upper(): i for i, name in enumerate(_WEEKDAYS)},
    **{
        name.upper(): i
        for i, name in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
    },
}


def _byday(text: str) -> tuple[tuple[int, int | None], ...]:
    """``MO,TU`` or ``1MO,-1FR`` (also ``Mon``, ``Monday``) -> ((weekday, ordinal or None), ...)."""
    out = []
    for part in filter(None, (p.strip().upper() for p in re.split(r"[,;| ]+", text or ""))):
        found = re.fullmatch(r"([+-]?\d{1,2})?([A-Z]{2,})", part)
        if not found or found[2] not in _DAY_NAMES:
            raise ValueError(
                ("byday", f"byday {text!r} is not a list of days: write MO,TU,... (1MO is the 1st Monday)")
            )
        out.append((_DAY_NAMES[found[2]], int(found[1]) if found[1] else None))
    return tuple(out)


def _describe(freq: str, interval: int, byday, bymonthday, byweekno, byyearday, count) -> str:
    """A short phrase for a rule that does not open every week (the note of its ``hours`` segment)."""
    parts = []
    every = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[freq]
    if interval > 1:
        parts.append(f"every {interval} {every}s")
    ordinals = [(d, n) for d, n in byday if n is not None]
    if ordinals and freq in ("MONTHLY", "YEARLY"):
        days = " and ".join(f"{_ORDINALS.get(n, f'{n}th')} {_WEEKDAYS[d]}" for d, n in ordinals)
        parts.append(f"{days} of the {every}")
    if bymonthday:
        parts.append("day " + ",".join(map(str, bymonthday)) + " of the month")
    if byweekno:
        parts.append("weeks " + ",".join(map(str, byweekno)) + " of the year")
    if byyearday:
        parts.append("days " + ",".join(map(str, byyearday)) + " of the year")
    if count:
        parts.append(f"{count} times")
    if not parts:
        parts.append("some weeks")
    return ", ".join(parts)


def _can_occur(freq: str, days, monthdays, weeks, yeardays, start: dt.date) -> bool:
    """Whether some day from a year before ``start`` to six years after passes every BY filter of a rule.

    dateutil's rrule looks for the next occurrence of a rule that never occurs (``byweekno`` 41 with
    ``bymonthday`` 2: no second of a month falls in week 41) until the year 9999, which takes minutes;
    this check, run when a rule combines filters, spares it that search.
    """
    import calendar

    day = start - dt.timedelta(days=366)
    for _ in range(366 * 7):
        day += dt.timedelta(days=1)
        if days and not any(d == day.weekday() and (n is None or _nth(day, n, freq == "YEARLY")) for d, n in days):
            continue
        month_length = calendar.monthrange(day.year, day.month)[1]
        if monthdays and not any(m == day.day or m == day.day - month_length - 1 for m in monthdays):
            continue
        if weeks and not any(w == day.isocalendar()[1] for w in weeks if w > 0):
            continue
        year_length = 366 if calendar.isleap(day.year) else 365
        number = day.timetuple().tm_yday
        if yeardays and not any(y == number or y == number - year_length - 1 for y in yeardays):
            continue
        return True
    return False


def _nth(day: dt.date, n: int, in_year: bool) -> bool:
    """Is ``day`` the ``n``-th (``-1``: last) of its weekday in its month (or year)?"""
    import calendar

    if in_year:
        number, length = day.timetuple().tm_yday, 366 if calendar.isleap(day.year) else 365
    else:
        number, length = day.day, calendar.monthrange(day.year, day.month)[1]
    return (number - 1) // 7 + 1 == n if n > 0 else (length - number) // 7 + 1 == -n


@lru_cache(maxsize=4096)
def _rule(fields: tuple[str, ...], start: dt.date) -> tuple:
    """Expand one rule over the window from ``start``: ("weekly", days) or ("some_weeks", days, note),
    ("ended", date) or ("later", date). Raises ValueError((column, message)) when a field cannot be read."""
    from dateutil import rrule

    freq, interval, byday, bymonthday, byweekno, byyearday, count, until, dtstart, valid_from, valid_to, wkst = fields
    freq = freq.strip().upper() or "WEEKLY"
    if freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise ValueError(("freq", f"freq {freq!r} is not a repeat rule: write WEEKLY or MONTHLY"))
    every = _numbers(interval, "interval", 1, 1000) or (1,)
    days = _byday(byday)
    monthdays = _numbers(bymonthday, "bymonthday", 1, 31)
    weeks = _numbers(byweekno, "byweekno", 1, 53)
    yeardays = _numbers(byyearday, "byyearday", 1, 366)
    times = _numbers(count, "count", 1, 100000)
    first = _date(dtstart, "dtstart") or _date(valid_from, "valid_from")
    ends = [d for d in (_date(until, "until"), _date(valid_to, "valid_to")) if d is not None]
    last = min(ends).replace(hour=23, minute=59) if ends else None
    if wkst and wkst.strip().upper()[:2] not in _CODES:
        raise ValueError(("wkst", f"wkst {wkst!r} is not a day: write MO ... SU"))
    window_start = dt.datetime.combine(start - dt.timedelta(days=start.weekday()), dt.time())
    window_end = window_start + dt.timedelta(weeks=WINDOW_WEEKS)
    if last is not None and last < window_start:
        return ("ended", last.date())
    if sum(
        map(bool, (days and (monthdays or weeks or yeardays), monthdays and (weeks or yeardays), weeks and yeardays))
    ):
        if not _can_occur(freq, days, monthdays, weeks, yeardays, start):
            return ("ended", (last or window_start).date())
    weekdays = [
        rrule.weekday(d, n) if n is not None and freq in ("MONTHLY", "YEARLY") else rrule.weekday(d) for d, n in days
    ]
    if not days and freq in ("DAILY", "WEEKLY") and not dtstart and not (monthdays or weeks or yeardays):
        weekdays = [rrule.weekday(d) for d in range(7)]  # HSDS: no byday on a weekly rule means every day
    anchor = first or window_start - dt.timedelta(weeks=53)
    rule = rrule.rrule(
        {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY, "YEARLY": rrule.YEARLY}[freq],
        dtstart=anchor,
        interval=every[0],
        wkst=_CODES[wkst.strip().upper()[:2]] if wkst else None,
        count=times[0] if times and not ends else None,  # RFC 5545: not both; until (or valid_to) wins
        until=last,
        byweekday=weekdays or None,
        bymonthday=monthdays or None,
        byweekno=weeks or None,
        byyearday=yeardays or None,
        cache=False,
    )
    found = rule.between(window_start, window_end, inc=True)
    if not found:
        later = rule.after(window_end)
        if later is not None:
            return ("later", later.date())
        before = rule.before(window_start)
        return ("ended", (last or before or anchor).date())
    week_days: dict[int, set[int]] = defaultdict(set)
    for when in found:
        week_days[(when - window_start).days // 7].add(when.weekday())
    begin = max(window_start, first) if first else window_start
    finish = min(window_end, last + dt.timedelta(minutes=1)) if last else window_end
    full = [
        w
        for w in range(WINDOW_WEEKS)
        if window_start + dt.timedelta(weeks=w) >= begin and window_start + dt.timedelta(weeks=w + 1) <= finish
    ]
    seen = {frozenset(week_days.get(w, ())) for w in full}
    all_days = set().union(*week_days.values())
    if full and len(seen) == 1 and not times and next(iter(seen)):
        return ("weekly", next(iter(seen)))
    return (
        "some_weeks",
        frozenset(all_days),
        _describe(freq, every[0], days, monthdays, weeks, yeardays, times[0] if times else None),
    )


_RULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "byweekno",
    "byyearday",
    "count",
    "until",
    "dtstart",
    "valid_from",
    "valid_to",
    "wkst",
)


def _row_spans(row: dict, today: dt.date) -> tuple[list[tuple], tuple | None]:
    """The spans of one schedule row, and why it is not in effect (None when it is).

    Raises ValueError((column, message)) when the row cannot be read.
    """
    opens, closes = parse_time(row.get("opens_at", "")), parse_time(row.get("closes_at", ""))
    closed = CLOSED in (opens, closes)
    if not closed:
        for column, value in (("opens_at", opens), ("closes_at", closes)):
            if value is None:
                raw = row.get(column, "")
                what = f"{column} {raw!r} is not a time" if raw else f"{column} is empty"
                raise ValueError((column, f"{what}: write 09:00, 9:00am or 5 PM"))
    if row.get("weekday", "").strip():
        day = _weekday(row["weekday"])
        if day is None:
            raise ValueError(("weekday", f"weekday {row['weekday']!r} is not a day: write 1 (Monday) to 7 (Sunday)"))
        result: tuple = ("weekly", frozenset({day}))
    else:
        result = _rule(tuple(row.get(f, "") for f in _RULE_FIELDS), today)
    if result[0] in ("ended", "later"):
        return [], result
    if closed:
        return [], None
    note = result[2] if result[0] == "some_weeks" else None
    return [(result[1], opens, closes, note)], None


def read_schedules(
    rows: list[tuple[int, dict]],
    label: str,
    services: set[str],
    left_out: set[str],
    sal: dict[str, str],
    at_location: dict[str, list[str]],
    problems: ImportProblems,
    today: dt.date,
) -> dict[str, str]:
    """HSDS service id -> our ``hours`` text, for the services whose every schedule row could be read.

    A row names its service by ``service_id`` or ``service_at_location_id``; rows of a location apply
    to the services there that have no schedule of their own. Rows of services ``left_out`` on purpose
    (inactive) are passed over.
    """
    own: dict[str, list] = defaultdict(list)
    by_location: dict[str, list] = defaultdict(list)
    unknown_services: set[str] = set()
    unknown_locations: set[str] = set()
    for number, row in rows:
        service = row.get("service_id") or sal.get(row.get("service_at_location_id", ""), "")
        location = row.get("location_id", "")
        if service in left_out:
            continue
        if service not in services and not location:
            what = f"service {service!r} is not in the directory" if service else "names no service or location"
            problems.add(ORPHAN, Problem(label, number, "service_id", f"{what}: not used"))
            continue
        try:
            spans, not_in_effect = _row_spans(row, today)
        except ValueError as exc:
            column, message = exc.args[0]
            affected = {service} if service in services else set()
            if service not in services:
                unknown_locations.add(location)
            unknown_services |= affected
            problems.add(UNREADABLE, Problem(label, number, column, message), services=affected)
            continue
        if not_in_effect:
            state, when = not_in_effect
            message = f"in effect only from {when}" if state == "later" else f"no longer in effect (ended {when})"
            problems.add(NOT_IN_EFFECT, Problem(label, number, None, f"{message}: not used"))
            continue
        target = own[service] if service in services else by_location[location]
        target.extend(spans)
        target.append(None)  # marks a readable row, even a closed day
    hours = {}
    for service in services:
        if service in unknown_services:
            continue
        spans = own.get(service)
        if spans is None:
            locations = at_location.get(service, [])
            if any(loc in unknown_locations for loc in locations):
                problems.details[UNREADABLE.name].setdefault("services", set()).add(service)
                continue
            spans = [s for loc in locations for s in by_location.get(loc, [])]
        text = schedule_hours([s for s in spans if s is not None])
        if text:
            parse_hours(text)  # what we write, our own reader reads
            hours[service] = text
    return hours
