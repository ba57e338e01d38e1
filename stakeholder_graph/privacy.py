"""Anonymised output: an allow-list of what may leave, and keyed pseudonyms for people.

:func:`anonymize` returns a copy of a stakeholder graph that every output (reports, maps, exports,
comparisons, scores, paths, bridges, plans) can be made from without showing anything personal:

- **People**: the id becomes ``person-`` and 16 hex digits, the name ``Person`` and the same digits,
  from HMAC-SHA256 of the id under a secret key (RFC 2104): stable for one key, not reversible by
  hashing guessed ids without it. Only the columns the analyses need are kept (:data:`PERSON_COLUMNS`);
  ``decision_role`` becomes ``true`` (or is left out when it says no role). Everything else (email,
  phone, address, notes, tags, any extra column) is left out.
- **Other stakeholders** (organizations, communities, services, the team, engagements) keep their ids
  and names, scrubbed of every person's name (see :func:`Anonymizer.scrub`), and only the columns of
  :data:`OTHER_COLUMNS`: their notes, tags and extra columns are left out too.
- **Relationships** keep only :data:`RELATIONSHIP_COLUMNS` (no notes, no extra columns).
- **The graph** keeps its program (names scrubbed) and a partner survey's response counts.

Two people given one pseudonym, or any two stakeholders given one id, is an error
(:class:`~stakeholder_graph.errors.DataError`), never a silent merge.

The key: :func:`key_file_for` names the file beside a source that holds its key (``SOURCE.anonymize-key``,
outside any folder an output is written to), :func:`load_key` reads or creates such a file, and
:data:`KEY_ENVIRONMENT` names the environment variable that can hold the key instead. See
``docs/privacy.md`` for what an anonymised output contains.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

import networkx as nx

from .errors import DataError, Problem
from .scores import TRUST_DIMENSIONS, VALUE_DIMENSIONS

__all__ = [
    "PERSON_COLUMNS",
    "OTHER_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "KEY_ENVIRONMENT",
    "KEY_SUFFIX",
    "MIN_KEY_LENGTH",
    "Anonymizer",
    "anonymize",
    "pseudonym",
    "new_key",
    "key_file_for",
    "check_key",
    "load_key",
]

#: What an anonymised person keeps besides the pseudonymous id and name: what the analyses need.
PERSON_COLUMNS = (
    "kind",
    "sector",
    "community",
    "lived_experience",
    "decision_role",
    "race_ethnicity",
    "language",
    "age_group",
)
#: What other stakeholders keep besides their id (names are scrubbed of people's names).
OTHER_COLUMNS = (
    "name",
    "kind",
    "sector",
    "community",
    "population_share",
    "priority",
    "needs",
    "hours",
    "languages",
    "method",
    "date",
    "hsds_id",
    "sector_source",
)
#: What relationships keep: the type, the ratings and the dates.
RELATIONSHIP_COLUMNS = ("type", "strength", "trust", "since", "until") + TRUST_DIMENSIONS + VALUE_DIMENSIONS
#: The environment variable that can hold the key (at least :data:`MIN_KEY_LENGTH` characters).
KEY_ENVIRONMENT = "STAKEHOLDER_GRAPH_ANONYMIZE_KEY"
#: The key file of a source is the source's path with this added (``data/riverton.anonymize-key``).
KEY_SUFFIX = ".anonymize-key"
#: The shortest key accepted: 32 characters (a new key is 64 hex digits, 256 bits).
MIN_KEY_LENGTH = 32
#: Hex digits in a pseudonym: 64 bits, so that even a million people all but never collide (and a
#: collision is an error).
DIGITS = 16

_FALSE_WORDS = {"", "false", "no", "n", "none", "0", "n/a", "na"}
# Without a key, pseudonyms are stable within one process only.
_PROCESS_KEY = secrets.token_bytes(32)


def new_key() -> str:
    """A new random key: 64 hex digits (256 bits)."""
    return secrets.token_hex(32)


def _key_bytes(key: bytes | str | None) -> bytes:
    if key is None:
        return _PROCESS_KEY
    return key if isinstance(key, bytes) else key.encode("utf-8")


def pseudonym(node_id: str, key: bytes | str | None = None, digits: int = DIGITS) -> str:
    """A person's pseudonymous name, ``Person`` and hex digits of HMAC-SHA256(key, id).

    Without a key, a random key made once per process is used: stable within the process only.
    """
    digest = hmac.new(_key_bytes(key), str(node_id).encode("utf-8"), hashlib.sha256).hexdigest()[:digits]
    return f"Person {digest.upper()}"


def _tokens(text: str) -> list[re.Match]:
    return list(re.finditer(r"[^\W_]+", text))


@functools.lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """A word as names are compared: accents dropped, case folded."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Anonymizer:
    """Anonymises stakeholder graphs under one key (see the module's documentation).

    Parameters
    ----------
    key : bytes or str, optional
        The secret key. Without one, a random key made once per process: pseudonyms are then stable
        within the process only.
    digits : int
        Hex digits of a pseudonym (:data:`DIGITS`).

    Attributes
    ----------
    ids : dict
        Original id -> id in the anonymised graphs made so far, for stakeholders whose id changed:
        for looking up an id a user gave (``--focus``, ``--from``) in an anonymised graph.
    """

    def __init__(self, key: bytes | str | None = None, digits: int = DIGITS):
        self.key = _key_bytes(key)
        self.digits = digits
        self.ids: dict[str, str] = {}
        self._names: dict[tuple[str, ...], str] = {}
        self._lengths: list[int] = []
        self._hmac = hmac.new(self.key, digestmod=hashlib.sha256)
        self._pseudonyms: dict[str, str] = {}
        self._learned: tuple | None = None

    def pseudonym(self, node_id: str) -> str:
        """The pseudonymous name of the person with this id (``Person 3F2A9C01B7D4E5A6``)."""
        found = self._pseudonyms.get(node_id)
        if found is None:
            digest = self._hmac.copy()
            digest.update(str(node_id).encode("utf-8"))
            found = self._pseudonyms[node_id] = f"Person {digest.hexdigest()[: self.digits].upper()}"
        return found

    def pseudonymous_id(self, node_id: str) -> str:
        """The pseudonymous id of the person with this id (``person-3f2a9c01b7d4e5a6``)."""
        return "person-" + self.pseudonym(node_id).split()[-1].lower()

    def translate(self, node_id: str | None) -> str | None:
        """The id that the stakeholder with this original id has in the anonymised graphs."""
        return self.ids.get(node_id, node_id) if node_id is not None else None

    def scrub(self, text: str, separator: str = " ") -> str:
        """``text`` with every known person's name replaced by their pseudonym.

        Names are matched as whole words, in any case, with or without accents, and also as the words
        of an id (``eng-coffee-with-luis-ferreira``); the longest name wins. A person's name of one
        word replaces that word wherever it stands.
        """
        if not self._names or not isinstance(text, str):
            return text
        tokens = _tokens(text)
        folded = [_fold(t.group()) for t in tokens]
        out, last, i = [], 0, 0
        while i < len(tokens):
            for n in self._lengths:
                replacement = self._names.get(tuple(folded[i : i + n])) if i + n <= len(tokens) else None
                if replacement is not None:
                    out += [text[last : tokens[i].start()], replacement.replace(" ", separator)]
                    last = tokens[i + n - 1].end()
                    i += n
                    break
            else:
                i += 1
        return "".join(out) + text[last:]

    def anonymize(self, G: nx.MultiDiGraph, people: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
        """A copy of ``G`` that shows nothing personal (see the module's documentation).

        ``people``: the graph whose people's names are scrubbed from other names (default ``G``): a part
        of a network (one record of its history) is anonymised as the whole network is.

        Raises
        ------
        DataError
            When two people would share a pseudonym, or two stakeholders an id.
        """
        self._learn(G if people is None else people)
        ids = {}
        for node, kind in G.nodes(data="kind"):
            if kind == "person":
                ids[node] = self.pseudonymous_id(node)
            else:
                scrubbed = self.scrub(str(node), "-")
                ids[node] = scrubbed.lower() if scrubbed != str(node) else node
        self._check(G, ids)
        H = nx.MultiDiGraph()
        for node, attrs in G.nodes(data=True):
            H.add_node(ids[node], **self._node(node, attrs, ids))
        for u, v, key, attrs in G.edges(keys=True, data=True):
            kept = {k: value for k, value in attrs.items() if k in RELATIONSHIP_COLUMNS}
            H.add_edge(ids[u], ids[v], key=key, **kept)
        H.graph.update(self._graph(G.graph, ids))
        self.ids.update({old: new for old, new in ids.items() if old != new})
        return H

    def _learn(self, G: nx.MultiDiGraph) -> None:
        """The people's names to scrub, from ``G`` (kept while ``G`` is the same graph, unchanged in size)."""
        mark = (id(G), G.number_of_nodes())
        if self._learned == mark:
            return
        names: dict[tuple[str, ...], str] = {}
        for node, attrs in G.nodes(data=True):
            name = attrs.get("name") if attrs.get("kind") == "person" else None
            words = tuple(_fold(t.group()) for t in _tokens(str(name))) if name else ()
            if words and not (len(words) == 1 and len(words[0]) < 2):
                names.setdefault(words, self.pseudonym(node))
        self._names = names
        self._lengths = sorted({len(words) for words in names}, reverse=True)
        self._learned = mark

    def _check(self, G: nx.MultiDiGraph, ids: dict) -> None:
        if len(set(ids.values())) == len(ids):
            return
        first: dict[str, str] = {}
        problems = []
        for node, new in ids.items():
            if new in first:
                problems.append(
                    Problem(
                        "anonymize",
                        None,
                        None,
                        f"{first[new]!r} and {node!r} would both be {new!r} in the anonymised output: "
                        "choose another key",
                    )
                )
            first.setdefault(new, node)
        raise DataError(problems)

    def _node(self, node: str, attrs: dict, ids: dict) -> dict:
        if attrs.get("kind") == "person":
            kept = {k: v for k, v in attrs.items() if k in PERSON_COLUMNS}
            kept["name"] = self.pseudonym(node)
            if "decision_role" in kept:  # yes or no: the role's name may say who holds it
                if kept["decision_role"] is True or str(kept["decision_role"]).strip().casefold() not in _FALSE_WORDS:
                    kept["decision_role"] = True
                else:
                    del kept["decision_role"]
        else:
            kept = {k: self.scrub(v) for k, v in attrs.items() if k in OTHER_COLUMNS}
            if attrs.get("kind") == "engagement" and attrs.get("invited"):  # a partner survey round: whom it invited
                from .formats.survey import invited_ids

                kept["invited"] = "|".join(ids.get(n, n) for n in invited_ids(attrs["invited"]))
        if isinstance(kept.get("community"), str):
            kept["community"] = ids.get(kept["community"], kept["community"])
        return kept

    def _graph(self, graph: dict, ids: dict) -> dict:
        out: dict = {"anonymized": True}
        program = graph.get("program")
        if program is not None:
            out["program"] = program.replace(
                name=self.scrub(program.name),
                team=ids.get(program.team, program.team),
                priority_communities=tuple(ids.get(c, c) for c in program.priority_communities),
            )
        if graph.get("name"):
            out["name"] = self.scrub(str(graph["name"]))
        survey = graph.get("survey")
        if isinstance(survey, dict):
            out["survey"] = {k: survey[k] for k in ("invited", "responded", "response_rate") if k in survey}
            out["survey"]["non_respondents"] = [ids.get(n, n) for n in survey.get("non_respondents", [])]
        return out


def anonymize(G: nx.MultiDiGraph, key: bytes | str | None = None) -> nx.MultiDiGraph:
    """A copy of ``G`` that shows nothing personal, under ``key`` (see :class:`Anonymizer`)."""
    if G.graph.get("anonymized"):
        return G
    return Anonymizer(key).anonymize(G)


def key_file_for(source: str | os.PathLike) -> Path | None:
    """The key file of a source: beside it, its path with :data:`KEY_SUFFIX` added; None for a database.

    ``data/riverton`` has ``data/riverton.anonymize-key``: outside the dataset folder and outside any
    output, so sharing an output never shares the key.
    """
    from .neo4j_store.store import is_neo4j_uri

    if is_neo4j_uri(str(source)):
        return None
    path = Path(source).resolve()
    if path.parent == path:
        return None
    return path.with_name(path.name + KEY_SUFFIX)


def check_key(key: str, where: str) -> str:
    """``key`` when it is long enough; a DataError naming ``where`` it came from otherwise."""
    key = key.strip()
    if len(key) < MIN_KEY_LENGTH:
        raise DataError(
            Problem(
                where,
                None,
                None,
                f"the anonymisation key is {len(key)} characters long; it needs at least {MIN_KEY_LENGTH} "
                "(a new key file is made for you when you name one that does not exist)",
            )
        )
    return key


def load_key(path: str | os.PathLike, create: bool = True) -> tuple[str, bool]:
    """The key in the file ``path``, made (readable by its owner only) when it does not exist.

    Returns
    -------
    (str, bool)
        The key, and whether the file was made now.
    """
    path = Path(path)
    if create and not path.exists():
        key = new_key()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_key(path, create=False)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        return key, True
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(Problem(str(path), None, None, "is not a key file (not UTF-8 text)")) from None
    return check_key(text, str(path)), False
