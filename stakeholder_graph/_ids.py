"""Ids and names as readers of other tools' files make and compare them."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_key", "make_id", "unique_ids"]


def normalize_key(text: str) -> str:
    """How names are compared in a mapping: case-folded, ``_`` and ``-`` as spaces, spaces collapsed."""
    return " ".join(re.sub(r"[_\-/]+", " ", str(text)).casefold().split())


def make_id(text: str, prefix: str = "") -> str:
    """A valid stakeholder id made from a name: ``"St. Mary's Shelter"`` -> ``"st-mary-s-shelter"``."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return f"{prefix}{slug or 'x'}"


def unique_ids(names: list[str], prefix: str = "", taken: set[str] | None = None) -> list[str]:
    """One id per name (:func:`make_id`); repeats get ``-2``, ``-3``... in order of appearance."""
    used = set(taken or ())
    tried: dict[str, int] = {}  # the last suffix each base reached: a name repeated 1,000 times stays linear
    ids = []
    for name in names:
        base = make_id(name, prefix)
        n = tried.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        tried[base] = n
        used.add(candidate)
        ids.append(candidate)
    return ids
