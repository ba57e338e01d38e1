"""Read an Open Referral directory into a stakeholder graph: import what is there, say what was not.

Organizations become nodes of kind ``organization`` (sector from evidence, :mod:`.sectors`), services
nodes of kind ``service`` with ``needs``, ``hours`` (:mod:`.schedules`) and ``languages``, joined by
``provides``. By default the reader is lenient, as a planner needs it to be with a directory published
by someone else: a service of an organization missing from the file is kept without a provider, rows
without an id or name and repeated ids are left out, a schedule that cannot be read leaves the hours
unknown; each problem is recorded (:class:`~stakeholder_graph.formats.problems.ImportProblems`) and
summarised. ``strict=True`` refuses the import instead, listing every problem. A directory without
``organizations`` or ``services`` (or their ``id`` and ``name`` columns) is refused in both modes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict

import networkx as nx

from ..._ids import unique_ids
from ...errors import DataError, Problem
from ...program import Program
from ..mapping import Mapping, as_mapping
from ..problems import Group, ImportProblems
from .package import Package, open_package
from .schedules import read_schedules
from .sectors import Term, clean, infer_sector, needs_from_text, term_needs

__all__ = ["read_hsds"]

EMPTY = Group("empty", "{n} row(s) have no id or no name: left out")
DUPLICATE = Group("duplicate_id", "{n} row(s) repeat an id used on an earlier row: left out")
DANGLING = Group(
    "dangling_organization",
    "{n} service(s) point to {targets} organization(s) not in the organizations table: kept as services "
    "without a provider",
)
NO_ORGANIZATION = Group("no_organization", "{n} service(s) name no organization: kept as services without a provider")
INACTIVE = Group(
    "inactive", "{n} inactive service(s) (status inactive, defunct or temporarily closed): left out", False
)
UNKNOWN_TERM = Group("unknown_term", "{n} link(s) name a taxonomy term not in the taxonomy table: not used")
NO_SECTOR = Group(
    "no_sector",
    "{n} organization(s) have no sector evidence (no mapped taxonomy term, no sector word in the name, no "
    "'is a ...' statement in the description): sector other; set them with --mapping [sectors]",
    strict=False,
)

_INACTIVE = {"inactive", "defunct", "temporarily closed"}
_AIRS_CODE = re.compile(r"^[A-Z]{1,2}(?:-\d{4}(?:\.\d{4})?(?:-\d{3})?(?:\.\d{2,3})?)?$")


def read_hsds(
    source: str | os.PathLike,
    *,
    strict: bool = False,
    mapping: Mapping | str | os.PathLike | None = None,
    today: dt.date | None = None,
) -> nx.MultiDiGraph:
    """Read an HSDS 3.0 or 1.1 datapackage (a folder, a ``.zip`` or a ``datapackage.json``).

    Parameters
    ----------
    source : str or path
        The datapackage as published.
    strict : bool
        Refuse the whole import when anything could not be read (default: import what can be read).
    mapping : Mapping or path, optional
        Sectors and needs for organizations and taxonomy terms (``[sectors]``, ``[needs]``), which win
        over the built-in evidence (:mod:`stakeholder_graph.formats.mapping`).
    today : datetime.date, optional
        The reference date schedules are read at (their ``valid_from``, ``valid_to``, ``until``); default
        today.

    Returns
    -------
    networkx.MultiDiGraph
        With ``G.graph["warnings"]`` (one line per kind of problem), ``G.graph["problems"]`` (every
        :class:`~stakeholder_graph.errors.Problem`, for ``--problems FILE``), ``G.graph["hsds_version"]``
        and ``G.graph["directory"]`` (counts of what was read and left out).

    Raises
    ------
    DataError
        When the source is not a directory, a required table or column is missing, or (``strict``) any
        problem was found; every problem is listed.
    """
    problems = ImportProblems()
    package = open_package(source, problems)
    try:
        return _Reader(package, problems, as_mapping(mapping), today or dt.date.today()).read(strict)
    finally:
        package.close()


class _Reader:
    def __init__(self, package: Package, problems: ImportProblems, mapping: Mapping, today: dt.date):
        self.package, self.problems, self.mapping, self.today = package, problems, mapping, today

    def label(self, table: str) -> str:
        return self.package.label(self.package.where.get(table, f"{table}.csv"))

    def _required(self) -> tuple[list, list]:
        fatal = []
        for table in ("organizations", "services"):
            if table not in self.package.where:
                fatal.append(
                    Problem(
                        self.label(table),
                        None,
                        None,
                        "file not found: an HSDS directory needs organizations.csv and services.csv "
                        "(at the top, in a subfolder, or named in datapackage.json)",
                    )
                )
        before = len(self.problems)
        orgs = self.package.read("organizations", ("id", "name")) if not fatal else None
        services = self.package.read("services", ("id", "name")) if not fatal else None
        fatal += [p for group, p in self.problems.items[before:] if group.name == "unreadable_table"]
        if fatal or orgs is None or services is None:
            raise DataError(fatal or self.problems.problems)
        return orgs, services

    def _rows(self, rows: list, table: str, what: str) -> list[tuple[int, dict]]:
        """Rows with an id and a name, first of each id."""
        label, seen, kept = self.label(table), {}, []
        for number, row in rows:
            missing = [c for c in ("id", "name") if not row.get(c)]
            if missing:
                self.problems.add(EMPTY, Problem(label, number, missing[0], f"{missing[0]} is empty: {what} left out"))
                continue
            if row["id"] in seen:
                message = f"duplicate id {row['id']!r} (first on row {seen[row['id']]}): left out"
                self.problems.add(DUPLICATE, Problem(label, number, "id", message))
                continue
            seen[row["id"]] = number
            kept.append((number, row))
        return kept

    def read(self, strict: bool) -> nx.MultiDiGraph:
        raw_orgs, raw_services = self._required()
        orgs = self._rows(raw_orgs, "organizations", "organization")
        org_rows = {row["id"]: (number, row) for number, row in orgs}
        active, inactive, s_label = [], set(), self.label("services")
        has_org_column = any("organization_id" in row for _, row in raw_services[:1])
        for number, row in self._rows(raw_services, "services", "service"):
            if row.get("status", "").casefold() in _INACTIVE:
                self.problems.add(INACTIVE, Problem(s_label, number, "status", f"{row['status']}: left out"))
                inactive.add(row["id"])
                continue
            active.append((number, row))
            org = row.get("organization_id", "")
            if org and org not in org_rows:
                message = f"no organization has the id {org!r}: kept without a provider"
                self.problems.add(DANGLING, Problem(s_label, number, "organization_id", message), targets={org})
            elif not org:
                message = "organization_id is empty" if has_org_column else "the column organization_id is missing"
                self.problems.add(NO_ORGANIZATION, Problem(s_label, number, "organization_id", f"{message}: kept"))
        services = {row["id"]: row for _, row in active}
        sal, at_location = {}, defaultdict(list)
        for _, row in self.package.read("service_at_location") or []:
            sal[row.get("id", "")] = row.get("service_id", "")
            at_location[row.get("service_id", "")].append(row.get("location_id", ""))
        hours = read_schedules(
            self.package.read("schedules") or [],
            self.label("schedules"),
            set(services),
            inactive,
            sal,
            at_location,
            self.problems,
            self.today,
        )
        languages = self._languages(services, sal, at_location)
        terms = self._taxonomy(services, set(org_rows))
        G = self._graph(orgs, active, terms, hours, languages)
        self.problems.raise_if_strict(strict)
        G.graph["hsds_version"] = self.package.version()
        G.graph["warnings"] = self.problems.summary()
        G.graph["problems"] = self.problems.problems
        G.graph["directory"] = {
            "organizations": len(orgs),
            "services": len(active),
            "services_with_hours": len(hours),
            "problems": len(self.problems),
        }
        return G

    def _graph(self, orgs, active, terms, hours, languages) -> nx.MultiDiGraph:
        G = nx.MultiDiGraph()
        org_nodes: dict[str, str] = {}
        o_label = self.label("organizations")
        by_org: dict[str, list[str]] = defaultdict(list)
        for _, row in active:
            by_org[row.get("organization_id", "")].append(row["id"])
        for (number, row), node in zip(orgs, unique_ids([r["name"] for _, r in orgs], "org-")):
            org_terms = terms.get(row["id"], []) + [t for s in by_org.get(row["id"], []) for t in terms.get(s, [])]
            sector, source = infer_sector(
                row["name"], row.get("alternate_name", ""), row.get("description", ""), org_terms, self.mapping
            )
            if sector == "other":
                self.problems.add(
                    NO_SECTOR, Problem(o_label, number, "name", f"{row['name']}: no sector evidence, sector other")
                )
            attrs = {"name": row["name"], "kind": "organization", "sector": sector, "sector_source": source}
            attrs.update(_extras(row, ("description", "alternate_name", "email", "website", "url")))
            attrs["hsds_id"] = row["id"]
            G.add_node(node, **attrs)
            org_nodes[row["id"]] = node
        rows = [row for _, row in active]
        for row, node in zip(rows, unique_ids([r["name"] for r in rows], "svc-", set(G))):
            service = row["id"]
            attrs = {"name": row["name"], "kind": "service"}
            needs, source = term_needs(terms.get(service, []), self.mapping), "taxonomy"
            if not needs:
                needs, source = needs_from_text(row["name"], row.get("alternate_name", "")), "name"
            if not needs:
                needs, source = needs_from_text(row.get("description", "")), "description"
            if needs:
                attrs.update(needs=needs, needs_source=source)
            if hours.get(service):
                attrs["hours"] = hours[service]
            if languages.get(service):
                attrs["languages"] = languages[service]
            if terms.get(service):
                attrs["taxonomy"] = "|".join(t.label for t in terms[service])
            attrs.update(_extras(row, ("description", "alternate_name", "email", "url")))
            attrs["hsds_id"] = service
            G.add_node(node, **attrs)
            if row.get("organization_id") in org_nodes:
                G.add_edge(org_nodes[row["organization_id"]], node, key="provides", type="provides")
        name = self.package.title or f"{self.package.name} service directory"
        G.graph["program"] = Program(name=name, team=None)
        G.graph["name"] = name
        return G

    def _languages(self, services: dict, sal: dict, at_location: dict) -> dict[str, list[str]]:
        own, by_location = defaultdict(list), defaultdict(list)
        for _, row in self.package.read("languages") or []:
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
            found = own.get(service) or [lang for loc in at_location.get(service, []) for lang in by_location[loc]]
            if found:
                out[service] = list(dict.fromkeys(found))
        return out

    def _taxonomy(self, services: dict, organizations: set[str]) -> dict[str, list[Term]]:
        """HSDS service or organization id -> its taxonomy terms (3.0 attributes, 1.1 services_taxonomy)."""
        table: dict[str, Term] = {}
        for _, row in self.package.read("taxonomy_terms") or []:
            code = row.get("code", "")
            if not code and _AIRS_CODE.match(row.get("id", "").upper()):
                code = row["id"]  # 1.1 exports often use the AIRS code as the term's id
            table[row.get("id", "")] = Term(code.strip(), row.get("name", "").strip())
        links: list[tuple[str, str, tuple]] = []
        label = self.label("attributes")
        for number, row in self.package.read("attributes") or []:
            links.append((row.get("link_id", ""), row.get("taxonomy_term_id", ""), (label, number, "taxonomy_term_id")))
        label = self.label("service_taxonomy")
        for number, row in self.package.read("service_taxonomy") or []:
            links.append((row.get("service_id", ""), row.get("taxonomy_id", ""), (label, number, "taxonomy_id")))
        s_label = self.label("services")
        for sid, row in services.items():
            for term in filter(None, (t.strip() for t in re.split(r"[,|;]", row.get("taxonomy_ids", "")))):
                links.append((sid, term, (s_label, None, "taxonomy_ids")))
        found: dict[str, list[Term]] = defaultdict(list)
        for owner, term, (where, number, column) in links:
            if owner not in services and owner not in organizations:
                continue  # an attribute of a location or another entity
            if term in table:
                found[owner].append(table[term])
            elif _AIRS_CODE.match(term.upper()):
                found[owner].append(Term(term, ""))
            elif term:
                message = f"taxonomy term {term!r} is not in the taxonomy table: not used"
                self.problems.add(UNKNOWN_TERM, Problem(where, number, column, message))
        return {owner: list(dict.fromkeys(t)) for owner, t in found.items()}


def _extras(row: dict, columns: tuple[str, ...]) -> dict:
    """The kept HSDS text fields: ``description`` becomes ``notes``, ``website`` becomes ``url``."""
    out = {}
    for column in columns:
        value = clean(row.get(column, ""))
        if value:
            out[{"description": "notes", "website": "url"}.get(column, column)] = value
    return out
