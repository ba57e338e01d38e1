"""Open Referral (HSDS 3.0 and 1.1) service directories: read one as published, merge it into a dataset.

| module | job |
|---|---|
| :mod:`.package` | the datapackage as published: a folder or ``.zip``, ``datapackage.json``'s resources, file names |
| :mod:`.reader` | :func:`read_hsds`: organizations, services, ``provides``; lenient or strict |
| :mod:`.schedules` | schedules (12/24-hour times, recurrence rules) as our ``hours`` |
| :mod:`.sectors` | sectors and needs from taxonomy terms (``taxonomy.csv``), names and descriptions |
| :mod:`.merge` | :func:`merge_directory`: a directory into a dataset |
| :mod:`.synth` | realistic directories, with the problems real ones have, for tests and benchmarks |

What is read, and how, is documented in ``docs/formats.md``.
"""

from .merge import merge_directory, merge_text, normalize_name
from .package import hsds_version, is_hsds
from .reader import read_hsds
from .schedules import parse_time, schedule_hours
from .sectors import NEED_KEYWORDS, SECTOR_KEYWORDS, match_term, needs_from_text, sector_from_text

__all__ = [
    "read_hsds",
    "hsds_version",
    "is_hsds",
    "merge_directory",
    "merge_text",
    "normalize_name",
    "parse_time",
    "schedule_hours",
    "NEED_KEYWORDS",
    "SECTOR_KEYWORDS",
    "match_term",
    "needs_from_text",
    "sector_from_text",
]
