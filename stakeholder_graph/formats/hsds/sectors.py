"""Sectors and needs from evidence, strongest first, with the evidence kept.

An organization's sector comes from, in this order:

1. a ``--mapping`` file (``[sectors]``: its name, or one of its taxonomy terms' codes or names);
2. the taxonomy terms of the organization and its services, through ``taxonomy.csv`` (package data:
   AIRS/211 LA taxonomy codes, matched on the longest code prefix, and term names), when more than
   half of the terms that name a sector name the same one;
3. its name and alternate name (:data:`SECTOR_KEYWORDS`: ``Riverton Police Department``);
4. its description, only where it says what the organization *is* (``X is a faith-based nonprofit``,
   ``we are the county's mobile crisis team``: :data:`IDENTITY_NOUNS`), never from a passing mention
   (``advocates for legislative initiatives``, ``in partnership with the Sheriff's Office``,
   ``technicians are dispatched``);
5. nothing: ``other``, listed as a problem for the planner to settle.

``sector_source`` on the node says which (``taxonomy (RX Substance Use Disorder Services)``,
``name (police)``, ``description (is a faith-based nonprofit)``, ``mapping``, ``none``). A service's
needs come from its taxonomy terms, else its name, else its description (:data:`NEED_KEYWORDS`), with
``needs_source``.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ..._ids import normalize_key
from ..mapping import Mapping

__all__ = [
    "NEED_KEYWORDS",
    "SECTOR_KEYWORDS",
    "IDENTITY_NOUNS",
    "TaxonomyEntry",
    "taxonomy_table",
    "match_term",
    "clean",
    "needs_from_text",
    "sector_from_name",
    "sector_from_description",
    "sector_from_text",
    "infer_sector",
]

#: Words that mean a need, in a service's taxonomy terms, name or description (``*`` ends a word stem).
NEED_KEYWORDS: dict[str, tuple[str, ...]] = {
    "mental_health_crisis": (
        "mental health",
        "mental illness",
        "crisis line*",
        "crisis intervention",
        "crisis counsel*",
        "crisis stabili*",
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
        "older adults",
        "elderly",
        "seniors",
    ),
    "medical": (
        "medical",
        "health clinic*",
        "medical clinic*",
        "free clinic*",
        "urgent care",
        "primary care",
        "health care",
        "healthcare",
        "nurse*",
        "nursing",
        "doctor*",
        "hospital*",
        "dental",
        "disabilit*",
        "first aid",
    ),
    "food": ("food", "meal*", "lunch*", "kitchen*", "pantry", "pantries", "grocer*", "hunger", "nutrition"),
    "transportation": ("transport*", "bus", "buses", "ride*", "shuttle*"),
    "youth": ("youth", "young people", "teen*", "child*", "student*", "school*", "summer camp", "kids"),
    "domestic_violence": ("domestic violence", "domestic abuse", "intimate partner", "abuse"),
}
#: Words in an organization's *name* that place it in a sector, tried in this order.
SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "law_enforcement": ("police", "sheriff*", "law enforcement"),
    "dispatch_911": ("911", "dispatch center", "emergency communications"),
    "ems_fire": ("fire department", "fire rescue", "fire district", "ems", "ambulance*", "paramedic*"),
    "mobile_crisis": ("mobile crisis", "crisis team*", "crisis response"),
    "harm_reduction": ("harm reduction", "syringe*", "needle exchange", "naloxone"),
    "health_department": ("health department", "public health", "department of health"),
    "legislator": ("senator*", "council member*", "councilmember*", "state representative*", "assembly member*"),
    "local_government": ("city of", "county of", "town hall", "city council", "municipal*", "government"),
    "family_advocate": ("nami", "family advoca*", "families of"),
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
    "education": ("school*", "universit*", "college*"),
    "business": ("chamber of commerce", "business association"),
    "community_organization": ("senior center*", "community center*", "food bank*", "neighborhood association*"),
}
#: What an organization says it *is* in its description (``X is a ...``, ``we are the ...``), per sector.
IDENTITY_NOUNS: dict[str, tuple[str, ...]] = {
    "law_enforcement": (
        "police department",
        "police agency",
        "sheriff's office",
        "sheriff's department",
        "law enforcement agency",
    ),
    "dispatch_911": (
        "911 center",
        "911 dispatch center",
        "public safety answering point",
        "emergency communications center",
        "dispatch center",
    ),
    "ems_fire": ("fire department", "fire district", "fire and rescue", "ambulance service", "ems agency"),
    "mobile_crisis": ("mobile crisis team", "mobile crisis unit", "crisis response team"),
    "harm_reduction": ("harm reduction program", "harm reduction organization", "syringe services program"),
    "health_department": (
        "health department",
        "department of health",
        "public health department",
        "public health agency",
    ),
    "legislator": ("elected official", "state senator", "state representative", "legislator", "council member"),
    "local_government": (
        "city department",
        "county department",
        "department of the city",
        "department of the county",
        "city agency",
        "county agency",
        "town hall",
        "city government",
        "county government",
    ),
    "family_advocate": (
        "national alliance on mental illness",
        "family advocacy organization",
        "organization of families",
    ),
    "behavioral_health": (
        "mental health center",
        "mental health agency",
        "mental health provider",
        "mental health clinic",
        "mental health organization",
        "behavioral health center",
        "behavioral health agency",
        "behavioral health provider",
        "behavioral health organization",
        "addiction treatment center",
        "treatment center",
        "recovery center",
    ),
    "housing": (
        "homeless shelter",
        "emergency shelter",
        "housing authority",
        "housing agency",
        "housing provider",
        "housing nonprofit",
        "housing organization",
    ),
    "counseling": ("counseling center", "counseling practice", "counselling centre", "therapy practice"),
    "faith_based": (
        "church",
        "congregation",
        "parish",
        "mosque",
        "synagogue",
        "temple",
        "ministry",
        "faith-based organization",
        "faith-based nonprofit",
        "faith community",
    ),
    "education": ("school district", "school", "university", "college"),
    "community_organization": (
        "nonprofit",
        "non-profit",
        "community organization",
        "community center",
        "senior center",
        "neighborhood association",
        "charity",
        "food bank",
        "coalition",
        "community-based organization",
    ),
    "business": ("business", "company", "salon", "store", "shop", "firm"),
}

_STOP = r"(?:with|of|for|in|by|and|or|that|which|who|to|from|at|on|as|than|like|including)"
_VERB = r"(?:is|are|we're|we are|is part of|are part of|is one of|serves as)"


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) + r"\b" for w in words]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _identity(nouns: tuple[str, ...]) -> re.Pattern:
    noun = "|".join(
        re.escape(n).replace(r"\'", "'?").replace("'", "['’]?") for n in sorted(nouns, key=len, reverse=True)
    )
    return re.compile(
        rf"\b{_VERB}\s+(?:a|an|the|our|this|its)?\s*(?:(?!{_STOP}\b)[\w'’.-]+\s+){{0,4}}?(?:{noun})s?\b",
        re.IGNORECASE,
    )


_NEED_PATTERNS = {need: _pattern(words) for need, words in NEED_KEYWORDS.items()}
_SECTOR_PATTERNS = {sector: _pattern(words) for sector, words in SECTOR_KEYWORDS.items()}
_IDENTITY_PATTERNS = {sector: _identity(nouns) for sector, nouns in IDENTITY_NOUNS.items()}


def clean(text: str) -> str:
    """Text without HTML tags and runs of white space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text or "")).split())


def needs_from_text(*texts: str) -> list[str]:
    """The needs whose keywords (:data:`NEED_KEYWORDS`) appear in the texts, in vocabulary order."""
    joined = " ".join(clean(t) for t in texts)
    return [need for need, pattern in _NEED_PATTERNS.items() if pattern.search(joined)]


def sector_from_name(*names: str) -> tuple[str, str] | None:
    """(sector, the word found) for the first sector of :data:`SECTOR_KEYWORDS` a name has; else None."""
    joined = " ".join(clean(t) for t in names)
    for sector, pattern in _SECTOR_PATTERNS.items():
        if found := pattern.search(joined):
            return sector, found[0]
    return None


def sector_from_description(text: str) -> tuple[str, str] | None:
    """(sector, the phrase) when the first two sentences of a description say what the organization is."""
    sentences = re.split(r"(?<=[.!?])\s+", clean(text))
    head = " ".join(sentences[:2])
    best = None
    for sector, pattern in _IDENTITY_PATTERNS.items():
        found = pattern.search(head)
        if found and (best is None or found.start() < best[2]):
            best = (sector, found[0], found.start())
    return (best[0], best[1]) if best else None


def sector_from_text(name: str, description: str = "") -> str:
    """The sector a name, else a description's identity statement, gives; ``other`` when neither does."""
    found = sector_from_name(name) or sector_from_description(description)
    return found[0] if found else "other"


@dataclass(frozen=True)
class TaxonomyEntry:
    """A row of ``taxonomy.csv``: a taxonomy code (or only a term name) and the sector and needs it means."""

    code: str
    name: str
    sector: str | None
    needs: tuple[str, ...]


@cache
def taxonomy_table() -> tuple[dict[str, TaxonomyEntry], dict[str, TaxonomyEntry]]:
    """``taxonomy.csv`` (package data) as {code: entry} and {normalized name: entry}."""
    text = resources.files(__package__).joinpath("taxonomy.csv").read_text(encoding="utf-8")
    by_code, by_name = {}, {}
    for row in csv.DictReader(io.StringIO(text)):
        entry = TaxonomyEntry(
            row["code"].strip().upper(),
            row["name"].strip(),
            row["sector"].strip() or None,
            tuple(n for n in row["needs"].split("|") if n),
        )
        if entry.code:
            by_code[entry.code] = entry
        by_name[normalize_key(entry.name)] = entry
    return by_code, by_name


def _codes(code: str):
    """A code and the codes that begin it, longest first (``RP-1500.1400-800``, ``RP-1500.1400``, ``RP-1500``,
    ``RP``); each part of ``RF-2500 * YG-8000`` (a service and a target group) in turn."""
    for part in re.split(r"\s*\*\s*", code.strip().upper()):
        while part:
            yield part
            cut = max(part.rfind("-"), part.rfind("."))
            part = part[:cut] if cut > 0 else ""


@lru_cache(maxsize=8192)
def match_term(code: str, name: str) -> TaxonomyEntry | None:
    """The entry for a taxonomy term: its code or the longest code that begins it, else its name."""
    by_code, by_name = taxonomy_table()
    for part in _codes(code):
        if part in by_code:
            return by_code[part]
    return by_name.get(normalize_key(name)) if name else None


def _mapped(table: dict[str, str], term: Term) -> str | None:
    """A ``--mapping`` entry for a term: its code, a code that begins it, or its name."""
    if not table:
        return None
    for part in _codes(term.code):
        if normalize_key(part) in table:
            return table[normalize_key(part)]
    return table.get(normalize_key(term.name)) if term.name else None


@dataclass(frozen=True)
class Term:
    """A taxonomy term as a directory gives it."""

    code: str
    name: str

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.code, self.name) if p)


def term_needs(terms: list[Term], mapping: Mapping) -> list[str]:
    """The needs a service's taxonomy terms give (``--mapping [needs]`` first, then ``taxonomy.csv``)."""
    found = []
    for term in terms:
        mapped = _mapped(mapping.needs, term)
        if mapped:
            found.append(mapped)
            continue
        entry = match_term(term.code, term.name)
        if entry:
            found.extend(entry.needs)
    return list(dict.fromkeys(found))


def infer_sector(name: str, alternate: str, description: str, terms: list[Term], mapping: Mapping) -> tuple[str, str]:
    """(sector, sector_source) for an organization, from the evidence in the order of this module's doc."""
    own = mapping.own_sectors
    if own.get(normalize_key(name)):
        return own[normalize_key(name)], "mapping"
    votes: Counter = Counter()
    labels: dict[str, str] = {}
    for term in terms:
        sector = _mapped(own, term)
        if not sector:
            entry = match_term(term.code, term.name)
            sector = entry.sector if entry else None
            if entry and sector:
                labels.setdefault(sector, " ".join(p for p in (entry.code, entry.name) if p))
        else:
            labels.setdefault(sector, f"{term.label}, mapping")
        if sector:
            votes[sector] += 1
    if votes:
        sector, count = votes.most_common(1)[0]
        if count * 2 > sum(votes.values()):
            return sector, f"taxonomy ({labels[sector]})"
    if found := sector_from_name(name, alternate):
        return found[0], f"name ({found[1]})"
    if found := sector_from_description(description):
        return found[0], f"description ({found[1]})"
    return "other", "none"
