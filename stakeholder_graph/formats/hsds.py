"""Read an Open Referral (HSDS) directory of services and merge it into a stakeholder graph.

An HSDS tabular datapackage is a folder of CSVs (with ``datapackage.json``). Both HSDS 3.0
(``organizations``, ``services``, ``locations``, ``service_at_location``, ``schedules``,
``taxonomy_terms``, ``attributes``, ``languages``) and the older 1.1 layout (``services_at_location``,
``regular_schedules``, ``taxonomy``, ``services_taxonomy``) are read into organizations, services that
the organizations ``provides``, the needs each service meets (from its taxonomy terms where they map to
a need, else from its name and description), its opening ``hours`` (from its schedules) and its
``languages``. The keyword maps and the hours conversion are documented in ``docs/formats.md``.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import networkx as nx

from .._ids import unique_ids
from ..errors import DataError, Problem
from ..hours import parse_hours
from ..program import Program

__all__ = [
    "NEED_KEYWORDS",
    "SECTOR_KEYWORDS",
    "DEFAULT_SECTOR",
    "hsds_version",
    "read_hsds",
    "needs_from_text",
    "sector_from_text",
    "schedule_hours",
    "normalize_name",
    "merge_directory",
    "merge_text",
]

#: Words that mean a need, in a service's taxonomy terms, name or description (``*`` ends a word stem).
NEED_KEYWORDS: dict[str, tuple[str, ...]] = {
    "mental_health_crisis": (
        "mental health",
        "crisis",
        "suicid*",
        "psychiatr*",
        "counsel*",
        "therap*",
        "behavioral health",
        "behavioural health",
        "anxiety",
        "depression",
    ),
    "substance_use": (
        "substance",
        "addiction*",
        "alcohol*",
        "drinking",
        "drug*",
        "detox*",
        "sobriety",
        "al-anon",
        "recovery",
    ),
    "overdose": ("overdose*", "naloxone", "narcan", "opioid*"),
    "housing": ("housing", "homeless*", "shelter*", "eviction*", "rent", "tenant*"),
    "wellness_check": (
        "wellness check*",
        "welfare check*",
        "home visit*",
        "check-in*",
        "older people",
        "elderly",
        "seniors",
    ),
    "medical": (
        "medical",
        "clinic*",
        "health care",
        "healthcare",
        "nurs*",
        "doctor*",
        "hospital*",
        "disabilit*",
        "first aid",
    ),
    "food": ("food", "meal*", "lunch*", "kitchen*", "pantry", "pantries", "grocer*", "hunger", "nutrition"),
    "transportation": ("transport*", "bus", "buses", "ride*", "shuttle*"),
    "youth": ("youth", "young people", "teen*", "child*", "student*", "school*", "summer camp", "kids"),
    "domestic_violence": ("domestic violence", "domestic abuse", "intimate partner", "abuse"),
}
#: Words that place an organization in a sector, tried in this order; the first sector that matches wins.
SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "law_enforcement": ("police", "sheriff*", "law enforcement"),
    "dispatch_911": ("911", "dispatch*", "emergency communications"),
    "ems_fire": ("fire department", "fire rescue", "ems", "ambulance*", "paramedic*"),
    "mobile_crisis": ("mobile crisis", "crisis team*", "crisis response"),
    "harm_reduction": ("harm reduction", "syringe*", "needle exchange", "naloxone"),
    "health_department": ("health department", "public health", "department of health"),
    "legislator": ("legislat*", "senator*", "council member*", "councilmember*"),
    "local_government": ("city of", "county of", "town hall", "city council", "municipal*", "government"),
    "housing": ("housing", "homeless*", "shelter*"),
    "behavioral_health": (
        "mental health",
        "behavioral health",
        "behavioural health",
        "psychiatr*",
        "addiction*",
        "substance",
        "recovery",
    ),
    "counseling": ("counsel*", "therap*"),
    "faith_based": ("church*", "faith", "mosque*", "synagogue*", "temple*", "ministr*", "parish*", "congregation*"),
    "family_advocate": ("nami", "family advoca*", "families of"),
    "education": ("school*", "education*", "universit*", "college*", "student*", "teacher*"),
    "business": ("chamber of commerce", "business association"),
}
#: The sector of an organization no keyword places.
DEFAULT_SECTOR = "community_organization"

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_BYDAY = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_INACTIVE = {"inactive", "defunct", "temporarily closed"}


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) + r"\b" for w in words]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + ")", re.IGNORECASE)


_NEED_PATTERNS = {need: _pattern(words) for need, words in NEED_KEYWORDS.items()}
_SECTOR_PATTERNS = {sector: _pattern(words) for sector, words in SECTOR_KEYWORDS.items()}


def _clean(text: str) -> str:
    """Text without HTML tags and runs of white space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text or "")).split())


def needs_from_text(*texts: str) -> list[str]:
    """The needs whose keywords (:data:`NEED_KEYWORDS`) appear in the texts, in vocabulary order."""
    joined = " ".join(_clean(t) for t in texts)
    return [need for need, pattern in _NEED_PATTERNS.items() if pattern.search(joined)]


def sector_from_text(*texts: str) -> str:
    """The first sector of :data:`SECTOR_KEYWORDS` whose keywords appear, else :data:`DEFAULT_SECTOR`."""
    joined = " ".join(_clean(t) for t in texts)
    return next((s for s, pattern in _SECTOR_PATTERNS.items() if pattern.search(joined)), DEFAULT_SECTOR)


def hsds_version(folder: str | os.PathLike) -> str:
    """``"3.0"`` or ``"1.1"``, told from the tables present (3.0 renamed several of them)."""
    folder = Path(folder)
    if any(
        (folder / f).exists()
        for f in ("service_at_location.csv", "schedules.csv", "taxonomy_terms.csv", "attributes.csv")
    ):
        return "3.0"
    if any(
        (folder / f).exists()
        for f in ("services_at_location.csv", "regular_schedules.csv", "taxonomy.csv", "services_taxonomy.csv")
    ):
        return "1.1"
    header = (
        (folder / "organizations.csv").read_text(encoding="utf-8-sig", errors="replace").split("\n", 1)[0]
        if (folder / "organizations.csv").is_file()
        else ""
    )
    return "1.1" if "url" in header.split(",") and "website" not in header.split(",") else "3.0"


class _Tables:
    """The folder's CSVs as lists of (row number, {column: text}); problems and warnings collected."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def label(self, name: str) -> str:
        return str(self.folder / name)

    def read(self, name: str, required: tuple[str, ...] = (), needed: bool = False) -> list[tuple[int, dict]]:
        path, label = self.folder / name, self.label(name)
        if not path.is_file():
            if needed:
                self.problems.append(
                    Problem(
                        label, None, None, "file not found: an HSDS directory needs organizations.csv and services.csv"
                    )
                )
            return []
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.problems.append(Problem(label, None, None, "is not UTF-8 text: save it as 'CSV UTF-8'"))
            return []
        reader = csv.reader(io.StringIO(text))
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in required if c not in header]
        for column in missing:
            self.problems.append(Problem(label, 1, column, "required column is missing from the header"))
        if missing:
            return []
        rows, number = [], 2
        for cells in reader:
            record = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
            if any(record.values()):
                rows.append((number, record))
            number = reader.line_num + 1
        return rows


def _time(text: str) -> str | None:
    """``HH:MM`` from ``HH:MM``, ``HH:MM:SS`` or either with a ``Z`` or ``+01:00`` zone; None when unreadable."""
    found = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?", text.strip())
    if not found or int(found[1]) > 24 or int(found[2]) > 59:
        return None
    return f"{int(found[1]):02d}:{found[2]}"


def _days_text(days: set[int]) -> str:
    """``Mon-Fri``, ``Mon,Wed,Fri`` or ``Thu,Fri``: runs of three or more days as ranges."""
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


def schedule_hours(spans: list[tuple[set[int], str, str]]) -> str | None:
    """Our ``hours`` text from (weekdays, opens ``HH:MM``, closes ``HH:MM``) spans; weekday 0 is Monday.

    Spans with the same times are joined (``Mon-Fri 09:00-17:00; Sat 10:00-14:00``); a service open from
    00:00 to 23:59 (or 24:00) every day is ``24/7``. None when there are no spans.
    """
    by_time: dict[tuple[str, str], set[int]] = defaultdict(set)
    for days, opens, closes in spans:
        by_time[(opens, closes)] |= days
    if not by_time:
        return None
    whole_day = {
        day for (o, c), days in by_time.items() if o == "00:00" and c in ("23:59", "24:00", "00:00") for day in days
    }
    if whole_day == set(range(7)):
        return "24/7"
    groups = sorted(by_time.items(), key=lambda item: (min(item[1]), item[0]))
    return "; ".join(f"{_days_text(days)} {o}-{'24:00' if c == '23:59' else c}" for (o, c), days in groups)


def _weekday(text: str) -> int | None:
    """HSDS 1.1 ``weekday``: 1 is Monday ... 7 Sunday (ISO 8601); day names are accepted too."""
    cleaned = text.strip().casefold()
    if cleaned.isdigit() and 1 <= int(cleaned) <= 7:
        return int(cleaned) - 1
    names = [d.casefold() for d in _WEEKDAYS]
    return names.index(cleaned[:3]) if cleaned[:3] in names else None


def _schedules(
    tables: _Tables, version: str, services: dict[str, str], sal: dict[str, str], at_location: dict[str, list[str]]
) -> dict[str, str]:
    """HSDS service id -> our hours text. Unreadable schedule rows are skipped with a warning."""
    name = "schedules.csv" if version == "3.0" else "regular_schedules.csv"
    rows = tables.read(name)
    own: dict[str, list] = defaultdict(list)
    by_location: dict[str, list] = defaultdict(list)
    skipped = []
    for number, row in rows:
        opens, closes = _time(row.get("opens_at", "")), _time(row.get("closes_at", ""))
        if version == "3.0":
            freq = row.get("freq", "").upper()
            codes = [c.strip().upper() for c in row.get("byday", "").split(",") if c.strip()]
            if freq not in ("", "WEEKLY", "DAILY") or any(c not in _BYDAY for c in codes):
                skipped.append(f"{number} (freq {freq or '-'}, byday {row.get('byday') or '-'})")
                continue
            days = {_BYDAY[c] for c in codes} if codes else set(range(7))
        else:
            day = _weekday(row.get("weekday", ""))
            days = {day} if day is not None else set()
        if not days or opens is None or closes is None:
            skipped.append(f"{number}")
            continue
        service = row.get("service_id") or sal.get(row.get("service_at_location_id", ""), "")
        span = (days, opens, closes)
        if service in services:
            own[service].append(span)
        elif row.get("location_id"):
            by_location[row["location_id"]].append(span)
    if skipped:
        tables.warnings.append(
            f"{tables.label(name)}: rows {', '.join(skipped)} have no readable weekly opening times and were skipped"
        )
    hours = {}
    for service in services:
        spans = own.get(service) or [s for loc in at_location.get(service, []) for s in by_location.get(loc, [])]
        text = schedule_hours(spans)
        if text:
            try:
                parse_hours(text)
                hours[service] = text
            except ValueError:
                tables.warnings.append(
                    f"{tables.label(name)}: the schedule of service {service} ({text}) cannot be read"
                )
    return hours


def _program_name(tables: _Tables) -> str:
    path = tables.folder / "datapackage.json"
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            if isinstance(data, dict) and data.get("title"):
                return str(data["title"])
        except (UnicodeDecodeError, json.JSONDecodeError):
            tables.warnings.append(
                f"{path}: is not valid JSON and was ignored; the HSDS version was told from the file names"
            )
    return f"{tables.folder.resolve().name} service directory"


def read_hsds(folder: str | os.PathLike) -> nx.MultiDiGraph:
    """Read an HSDS 3.0 or 1.1 tabular datapackage into a stakeholder graph.

    Organizations become nodes of kind ``organization`` (sector from :func:`sector_from_text`), services
    nodes of kind ``service`` with ``needs``, ``hours`` and ``languages``, joined by ``provides`` edges.
    Ids are made from names (``org-...``, ``svc-...``); the HSDS id is kept in ``hsds_id``. Inactive
    services are left out. The program has no responder team.

    Parameters
    ----------
    folder : str or path
        The datapackage folder.

    Returns
    -------
    networkx.MultiDiGraph
        With ``G.graph["warnings"]`` (skipped services and schedules) and ``G.graph["hsds_version"]``.

    Raises
    ------
    DataError
        When ``organizations.csv`` or ``services.csv`` is missing or broken, listing every problem.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(
            Problem(str(folder), None, None, "is not an HSDS directory (a folder of CSVs with datapackage.json)")
        )
    tables = _Tables(folder)
    version = hsds_version(folder)
    orgs = tables.read("organizations.csv", ("id", "name"), needed=True)
    services = tables.read("services.csv", ("id", "name", "organization_id"), needed=True)
    if tables.problems:
        raise DataError(tables.problems)
    G = nx.MultiDiGraph()
    org_ids: dict[str, str] = {}
    seen: dict[str, int] = {}
    o_label, s_label = tables.label("organizations.csv"), tables.label("services.csv")
    for (number, row), node in zip(orgs, unique_ids([r["name"] for _, r in orgs], "org-")):
        for column in ("id", "name"):
            if not row[column]:
                tables.problems.append(
                    Problem(o_label, number, column, f"{column} is empty: every organization needs one")
                )
        if row["id"] in seen:
            tables.problems.append(
                Problem(o_label, number, "id", f"duplicate id {row['id']!r} (first on row {seen[row['id']]})")
            )
        if not row["id"] or not row["name"] or row["id"] in seen:
            continue
        seen[row["id"]] = number
        org_ids[row["id"]] = node
        attrs = {
            "name": row["name"],
            "kind": "organization",
            "sector": sector_from_text(row["name"], row.get("alternate_name", ""), row.get("description", "")),
        }
        attrs.update(_extras(row, ("description", "alternate_name", "email", "website", "url")))
        attrs["hsds_id"] = row["id"]
        G.add_node(node, **attrs)

    active, inactive = [], []
    seen = {}
    for number, row in services:
        for column in ("id", "name"):
            if not row[column]:
                tables.problems.append(Problem(s_label, number, column, f"{column} is empty: every service needs one"))
        if row["id"] in seen:
            tables.problems.append(
                Problem(s_label, number, "id", f"duplicate id {row['id']!r} (first on row {seen[row['id']]})")
            )
        if row["organization_id"] and row["organization_id"] not in org_ids:
            tables.problems.append(
                Problem(
                    s_label,
                    number,
                    "organization_id",
                    f"no organization in organizations.csv has the id {row['organization_id']!r}",
                )
            )
        if not row["id"] or not row["name"] or row["id"] in seen:
            continue
        seen[row["id"]] = number
        if row.get("status", "").casefold() in _INACTIVE:
            inactive.append(row["name"])
        else:
            active.append(row)
    if tables.problems:
        raise DataError(tables.problems)
    if inactive:
        tables.warnings.append(f"{len(inactive)} inactive service(s) left out: {', '.join(inactive)}")

    version_sal = "service_at_location.csv" if version == "3.0" else "services_at_location.csv"
    sal, at_location = {}, defaultdict(list)
    for _, row in tables.read(version_sal):
        sal[row.get("id", "")] = row.get("service_id", "")
        at_location[row.get("service_id", "")].append(row.get("location_id", ""))
    hsds_services = {row["id"]: row for row in active}
    hours = _schedules(tables, version, hsds_services, sal, at_location)
    languages = _languages(tables, hsds_services, sal, at_location)
    terms = _taxonomy(tables, version, hsds_services)
    for row, node in zip(active, unique_ids([r["name"] for r in active], "svc-", set(G))):
        service = row["id"]
        needs = needs_from_text(*terms.get(service, [])) or needs_from_text(
            row["name"], row.get("alternate_name", ""), row.get("description", "")
        )
        attrs = {"name": row["name"], "kind": "service"}
        for key, value in (("needs", needs), ("hours", hours.get(service)), ("languages", languages.get(service))):
            if value:
                attrs[key] = value
        if terms.get(service):
            attrs["taxonomy"] = "|".join(terms[service])
        attrs.update(_extras(row, ("description", "alternate_name", "email", "url")))
        attrs["hsds_id"] = service
        G.add_node(node, **attrs)
        if row["organization_id"] in org_ids:
            G.add_edge(org_ids[row["organization_id"]], node, key="provides", type="provides")
    G.graph["program"] = Program(name=_program_name(tables), team=None)
    G.graph["name"] = G.graph["program"].name
    G.graph["hsds_version"] = version
    G.graph["warnings"] = tables.warnings
    return G


def _extras(row: dict, columns: tuple[str, ...]) -> dict:
    """The kept HSDS text fields: ``description`` becomes ``notes``, ``website`` becomes ``url``."""
    out = {}
    for column in columns:
        value = _clean(row.get(column, ""))
        if value:
            out[{"description": "notes", "website": "url"}.get(column, column)] = value
    return out


def _languages(tables: _Tables, services: dict, sal: dict, at_location: dict) -> dict[str, list[str]]:
    own, by_location = defaultdict(list), defaultdict(list)
    for _, row in tables.read("languages.csv"):
        language = row.get("name") or row.get("language") or row.get("code")
        if not language:
            continue
        service = row.get("service_id") or sal.get(row.get("service_at_location_id", ""), "")
        if service in services:
            own[service].append(language)
        elif row.get("location_id"):
            by_location[row["location_id"]].append(language)
    out = {}
    for service in services:
        found = own.get(service) or [lang for loc in at_location.get(service, []) for lang in by_location.get(loc, [])]
        if found:
            out[service] = list(dict.fromkeys(found))
    return out


def _taxonomy(tables: _Tables, version: str, services: dict) -> dict[str, list[str]]:
    """HSDS service id -> the names of its taxonomy terms."""
    found: dict[str, list[str]] = defaultdict(list)
    if version == "3.0":
        names = {r.get("id"): r.get("name") or r.get("code") for _, r in tables.read("taxonomy_terms.csv")}
        links = [(r.get("link_id"), r.get("taxonomy_term_id")) for _, r in tables.read("attributes.csv")]
    else:
        names = {r.get("id"): r.get("name") for _, r in tables.read("taxonomy.csv")}
        links = [(r.get("service_id"), r.get("taxonomy_id")) for _, r in tables.read("services_taxonomy.csv")]
        links += [
            (sid, t.strip())
            for sid, row in services.items()
            for t in re.split(r"[,|;]", row.get("taxonomy_ids", ""))
            if t.strip()
        ]
    for service, term in links:
        if service in services and names.get(term):
            found[service].append(names[term])
    return {s: list(dict.fromkeys(t)) for s, t in found.items()}


_STOP_WORDS = {"the", "inc", "incorporated", "llc", "ltd", "corp", "corporation", "co"}


def normalize_name(name: str) -> str:
    """A name as merging compares it: case-folded, accents, punctuation and "the"/"inc"/"llc" removed."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"[^\w\s]|_", " ", text.replace("'", ""))
    return " ".join(w for w in text.split() if w not in _STOP_WORDS)


def _fill(attrs: dict, new: dict, keys: tuple[str, ...]) -> list[str]:
    """Copy the keys ``attrs`` lacks from ``new``; the names of those copied."""
    filled = []
    for key in keys:
        if key not in attrs and key in new:
            attrs[key] = copy.deepcopy(new[key])
            filled.append(key)
    return filled


def merge_directory(base: nx.MultiDiGraph, directory: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict]:
    """Merge a service directory (:func:`read_hsds`) into a stakeholder graph.

    Organizations are matched by :func:`normalize_name` against the base's organizations: one match
    merges them (the base keeps its values; only missing attributes are filled in), none adds the
    organization, several leave it ambiguous and out of the result, with its services, until the names
    are told apart. A directory service is matched by name among the services of its organization (or,
    failing that, all base services) and filled in, or added with its ``provides`` edge.

    Returns
    -------
    (networkx.MultiDiGraph, dict)
        The merged graph (the base's program) and the report: ``organizations`` and ``services``, each
        with ``matched``, ``added`` and ``ambiguous`` lists, and ``counts``.
    """
    G = copy.deepcopy(base)
    index: dict[str, list[str]] = defaultdict(list)
    service_index: dict[str, list[str]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "organization":
            index[normalize_name(attrs.get("name", node))].append(node)
        elif attrs.get("kind") == "service":
            service_index[normalize_name(attrs.get("name", node))].append(node)
    report = {
        "organizations": {"matched": [], "added": [], "ambiguous": []},
        "services": {"matched": [], "added": [], "ambiguous": []},
    }
    where: dict[str, str | None] = {}
    org_keys = ("sector", "notes", "alternate_name", "email", "url", "hsds_id")
    for node, attrs in directory.nodes(data=True):
        if attrs.get("kind") != "organization":
            continue
        entry = {"name": attrs["name"], "hsds_id": attrs.get("hsds_id")}
        found = index.get(normalize_name(attrs["name"]), [])
        if len(found) == 1:
            where[node] = found[0]
            entry.update(id=found[0], filled=_fill(G.nodes[found[0]], attrs, org_keys))
            report["organizations"]["matched"].append(entry)
        elif found:
            where[node] = None
            report["organizations"]["ambiguous"].append({**entry, "candidates": sorted(found)})
        else:
            new = unique_ids([node], taken=set(G))[0] if node in G else node
            G.add_node(new, **copy.deepcopy(attrs))
            where[node] = new
            report["organizations"]["added"].append({**entry, "id": new})
    service_keys = ("needs", "hours", "languages", "notes", "taxonomy", "alternate_name", "email", "url", "hsds_id")
    for node, attrs in directory.nodes(data=True):
        if attrs.get("kind") != "service":
            continue
        providers = [u for u, _, k in directory.in_edges(node, keys=True) if k == "provides"]
        entry = {"name": attrs["name"], "hsds_id": attrs.get("hsds_id")}
        if any(where.get(p, "") is None for p in providers):
            report["services"]["ambiguous"].append({**entry, "reason": "its organization is ambiguous"})
            continue
        owners = [where[p] for p in providers]
        same = service_index.get(normalize_name(attrs["name"]), [])
        own = [s for s in same if any(G.has_edge(o, s, "provides") for o in owners)]
        found = own or same
        if len(found) > 1:
            report["services"]["ambiguous"].append(
                {**entry, "reason": "several services have this name", "candidates": sorted(found)}
            )
            continue
        if found:
            target = found[0]
            entry.update(id=target, filled=_fill(G.nodes[target], attrs, service_keys))
            report["services"]["matched"].append(entry)
        else:
            target = unique_ids([node], taken=set(G))[0] if node in G else node
            G.add_node(target, **copy.deepcopy(attrs))
            report["services"]["added"].append({**entry, "id": target})
        for owner in owners:
            if not G.has_edge(owner, target, "provides"):
                G.add_edge(owner, target, key="provides", type="provides")
    report["counts"] = {
        f"{group}_{status}": len(items)
        for group in ("organizations", "services")
        for status, items in report[group].items()
    }
    return G, report


def merge_text(report: dict) -> str:
    """The merge report as plain text."""
    lines = []
    for group in ("organizations", "services"):
        parts = report[group]
        lines.append(
            f"{group.capitalize()}: {len(parts['matched'])} matched, {len(parts['added'])} added, "
            f"{len(parts['ambiguous'])} ambiguous"
        )
        for entry in parts["matched"]:
            filled = f" (filled in {', '.join(entry['filled'])})" if entry.get("filled") else ""
            lines.append(f"  matched    {entry['name']} -> {entry['id']}{filled}")
        for entry in parts["added"]:
            lines.append(f"  added      {entry['name']} as {entry['id']}")
        for entry in parts["ambiguous"]:
            candidates = f": {', '.join(entry['candidates'])}" if entry.get("candidates") else ""
            reason = entry.get("reason", "several organizations have this name")
            lines.append(f"  ambiguous  {entry['name']} ({reason}{candidates}); left out")
    return "\n".join(lines)
