"""Realistic Open Referral directories of any size, with the problems real 211 exports have.

:func:`synthesize_directory` writes the tables of a region's directory (HSDS 1.1, as most 211s publish,
or 3.0) with organizations of every kind a 211 lists (police and fire departments, churches, clinics,
shelters, nonprofits, businesses), services with AIRS taxonomy codes, and schedules in the forms found
in real exports: 12- and 24-hour times, closed days, overnight hours, 3.0 recurrence rules. It plants,
in known numbers, what a planner meets in real data (the ``manifest``): services of organizations
missing from the file, rows without a name, repeated ids, inactive services, unreadable times, links to
taxonomy terms that do not exist, descriptions that mention police, 911 or legislation in passing.
Tests check the reader against the manifest; benchmarks time it at a real directory's size.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import zipfile
from pathlib import Path

__all__ = ["synthesize_directory", "write_directory"]

_PLACES = ("Riverton", "Eastbank", "Southport", "Millbrook", "Cedar", "Harbor", "Westfield", "Northgate", "Ashgrove")
#: (name pattern, description, taxonomy codes of its services, service names): the kinds of organizations.
_KINDS = (
    (
        "{p} Police Department",
        "The {p} Police Department is the city's law enforcement agency.",
        ("FN",),
        ("Non-Emergency Line", "Victim Services", "Community Policing Office"),
    ),
    (
        "{p} Fire Rescue",
        "{p} Fire Rescue is the fire department for the {p} area.",
        ("JR",),
        ("Smoke Alarm Program", "CPR Classes"),
    ),
    (
        "St. {s} Church",
        "St. {s} is a parish church. Our food pantry works with the Sheriff's Office at holidays.",
        ("BD-1800.2000", "PV"),
        ("Food Pantry", "Community Supper", "Clothing Closet"),
    ),
    (
        "{p} Behavioral Health",
        "Outpatient mental health and addiction treatment for adults and youth.",
        ("RP", "RX", "RP-1500.1400-800"),
        ("Outpatient Counseling", "Crisis Line", "Substance Use Treatment", "Detox"),
    ),
    (
        "{p} Family Shelter",
        "Emergency shelter and rapid rehousing for families.",
        ("BH-1800", "BH-3800"),
        ("Emergency Shelter", "Rapid Rehousing", "Eviction Prevention"),
    ),
    (
        "{p} Community Health Center",
        "Primary care, dental and behavioral health on a sliding scale.",
        ("LN", "LE"),
        ("Primary Care", "Dental Clinic", "Health Screenings"),
    ),
    (
        "NAMI {p}",
        "NAMI {p} is a grassroots organization of families. We advocate for legislative initiatives.",
        ("RR",),
        ("Family Support Group", "Peer-to-Peer Classes"),
    ),
    (
        "{p} Senior Center",
        "Meals and activities for older adults, in partnership with the {p} Police Department.",
        ("BD-5000",),
        ("Senior Lunch", "Friendly Visiting", "Exercise Classes"),
    ),
    (
        "{p} Harm Reduction Project",
        "Syringe services, naloxone and testing.",
        ("Syringe Services Programs",),
        ("Syringe Services", "Naloxone Distribution"),
    ),
    ("{p} Youth Alliance", "After-school programs and mentoring.", ("PS",), ("After-School Program", "Mentoring")),
    (
        "{s} Lice Clinic",
        "{s} Lice Clinic is a family business. Technicians are dispatched to your home.",
        (),
        ("In-Home Lice Removal",),
    ),
    ("{p} Legal Aid", "Free civil legal help.", ("FT",), ("Tenant Legal Clinic", "Expungement Clinic")),
    (
        "{p} Neighbors United",
        "Volunteers helping neighbors with rides and errands.",
        ("BT",),
        ("Volunteer Rides", "Grocery Delivery"),
    ),
)
_SAINTS = ("Mary", "Jude", "Paul", "Anne", "Luke", "Joseph", "Francis", "Teresa")
_TIMES_12 = (
    ("9:00am", "5:00 PM"),
    ("8 AM", "4:30 PM"),
    ("10:00 a.m.", "2:00 p.m."),
    ("7:00 PM", "7:00 AM"),
    ("12:00 AM", "11:59 PM"),
    ("noon", "6 PM"),
)
_TIMES_24 = (("09:00", "17:00"), ("08:00:00", "16:30:00"), ("0900", "1700"), ("13:00", "19:00"))
_UNREADABLE = ("by appointment", "varies", "on call", "TBD")


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def synthesize_directory(
    organizations: int = 1000,
    services: int = 4000,
    schedules: int = 11000,
    *,
    seed: int = 0,
    version: str = "1.1",
    problems: bool = True,
) -> tuple[dict[str, str], dict[str, int]]:
    """The files of a directory ({path in the package: text}) and a manifest of what was planted.

    Parameters
    ----------
    organizations, services, schedules : int
        How many rows of each (before the planted repeats and blank rows).
    seed : int
        The same seed gives the same files.
    version : str
        ``"1.1"`` (``regular_schedules`` with a row per weekday, ``services_taxonomy``) or ``"3.0"``
        (``schedules`` with recurrence rules, ``attributes``).
    problems : bool
        Plant the problems of real exports (default) or write a clean directory.

    Returns
    -------
    (dict, dict)
        The files, under ``data/`` with ``datapackage.json`` at the top, and the manifest: counts of
        ``dangling`` services (of organizations not in the file), ``dangling_targets``, ``unnamed`` and
        ``repeated`` organization and service rows, ``inactive`` services, ``unreadable`` schedule rows,
        ``unknown_terms`` links.
    """
    rng = random.Random(seed)
    plant = problems
    manifest = dict.fromkeys(
        ("dangling", "dangling_targets", "unnamed", "repeated", "inactive", "unreadable", "unknown_terms"), 0
    )
    org_rows, org_kind = [], []
    for i in range(organizations):
        kind = rng.randrange(len(_KINDS))
        pattern, description, _, _ = _KINDS[kind]
        place, saint = rng.choice(_PLACES), rng.choice(_SAINTS)
        name = pattern.format(p=place, s=saint) + (f" {i // len(_PLACES) + 1}" if i >= len(_PLACES) * 3 else "")
        org_rows.append([f"o{i}", name, "", description.format(p=place, s=saint), "", ""])
        org_kind.append(kind)
    if plant:
        for _ in range(max(1, organizations // 200)):
            org_rows.append([f"o-blank-{len(org_rows)}", "", "", "A row with no name.", "", ""])
            manifest["unnamed"] += 1
        for j in range(max(1, organizations // 300)):
            org_rows.append([f"o{j}", org_rows[j][1] + " (old record)", "", "", "", ""])
            manifest["repeated"] += 1
    missing = [f"o-gone-{k}" for k in range(max(1, organizations // 12))] if plant else []
    service_rows, links, terms = [], [], {}
    for i in range(services):
        owner = rng.randrange(organizations)
        _, _, codes, names = _KINDS[org_kind[owner]]
        organization_id = f"o{owner}"
        status = "active"
        if plant and rng.random() < 0.03:
            status = rng.choice(("inactive", "defunct"))
            manifest["inactive"] += 1
        if plant and missing and rng.random() < 0.11:
            organization_id = rng.choice(missing)
            manifest["dangling"] += status == "active"
        service_rows.append([f"s{i}", organization_id, rng.choice(names), "", status])
        for code in codes:
            term_id = f"t-{code}" if version == "3.0" or " " in code else code
            terms.setdefault(term_id, code)
            links.append([f"l{len(links)}", f"s{i}", term_id])
        if plant and rng.random() < 0.01:
            links.append([f"l{len(links)}", f"s{i}", f"t-missing-{i}"])
            manifest["unknown_terms"] += 1
    manifest["dangling_targets"] = len({r[1] for r in service_rows if r[1].startswith("o-gone") and r[4] == "active"})
    if plant:
        for j in range(max(1, services // 400)):
            service_rows.append([f"s{j}", service_rows[j][1], service_rows[j][2] + " (copy)", "", "active"])
            manifest["repeated"] += 1
    schedule_rows = _schedules(rng, services, schedules, version, plant)
    active = {r[0] for r in service_rows[:services] if r[4] == "active"}
    manifest["unreadable"] = sum(1 for r in schedule_rows if r[-1] in _UNREADABLE and r[1] in active)
    files = _tables(version, org_rows, service_rows, links, terms, schedule_rows)
    return files, manifest


def _schedules(rng: random.Random, services: int, count: int, version: str, plant: bool) -> list[list]:
    rows, service = [], 0
    while len(rows) < count:
        service = (service + rng.randrange(1, 3)) % services
        opens, closes = rng.choice(_TIMES_12 if rng.random() < 0.6 else _TIMES_24)
        if plant and rng.random() < 0.02:
            opens = closes = rng.choice(_UNREADABLE)
        if version == "3.0":
            byday = rng.choice(("MO,TU,WE,TH,FR", "SA", "MO,WE,FR", "TU,TH", "1TU", "MO,TU,WE,TH,FR,SA,SU"))
            freq = "MONTHLY" if byday[0].isdigit() else "WEEKLY"
            rows.append([f"r{len(rows)}", f"s{service}", freq, byday, opens, closes])
        else:
            days = rng.choice(((1, 2, 3, 4, 5), (6,), (1, 3, 5), (1, 2, 3, 4, 5, 6, 7), (2, 4)))
            for day in days[: count - len(rows)]:
                rows.append([f"r{len(rows)}", f"s{service}", day, opens, closes])
            if 6 in days and 7 not in days and len(rows) < count:
                rows.append([f"r{len(rows)}", f"s{service}", 7, "Closed", "Closed"])
    return rows


def _tables(version, org_rows, service_rows, links, terms, schedule_rows) -> dict[str, str]:
    from .sectors import match_term

    names = {}
    for term_id, code in terms.items():
        entry = match_term(code, code)
        names[term_id] = (code if " " not in code else "", entry.name if entry else code)
    files = {"data/organizations.csv": _csv(["id", "name", "alternate_name", "description", "email", "url"], org_rows)}
    service_header = ["id", "organization_id", "name", "description", "status"]
    files["data/services.csv"] = _csv(service_header, service_rows)
    if version == "3.0":
        files["data/taxonomy_terms.csv"] = _csv(["id", "code", "name"], [[t, c, n] for t, (c, n) in names.items()])
        files["data/attributes.csv"] = _csv(
            ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity"], [[*row, "", "service"] for row in links]
        )
        files["data/schedules.csv"] = _csv(
            ["id", "service_id", "freq", "byday", "opens_at", "closes_at"], schedule_rows
        )
        resources = ("organizations", "services", "taxonomy_terms", "attributes", "schedules")
    else:
        files["data/taxonomy.csv"] = _csv(["id", "name", "vocabulary"], [[t, n, "AIRS"] for t, (_, n) in names.items()])
        files["data/services_taxonomy.csv"] = _csv(["id", "service_id", "taxonomy_id"], links)
        files["data/regular_schedules.csv"] = _csv(
            ["id", "service_id", "weekday", "opens_at", "closes_at"], schedule_rows
        )
        resources = ("organization", "service", "taxonomy", "service_taxonomy", "regular_schedule")
    descriptor = {
        "name": "synthetic-211",
        "title": "Synthetic 211 directory",
        "license": {"type": "CC-BY-SA-4.0"},
        "resources": [{"name": name, "path": path} for name, path in zip(resources, files)],
    }
    files["datapackage.json"] = json.dumps(descriptor, indent=1)
    return files


def write_directory(files: dict[str, str], path: str | os.PathLike) -> Path:
    """Write the files as a folder, or as a zip (with one top folder, as publishers' downloads have) when
    ``path`` ends in ``.zip``."""
    path = Path(path)
    if path.suffix.casefold() == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(f"{path.stem}/{name}", text)
        return path
    for name, text in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return path
