"""The workspace: one network (a :class:`~.storage.Store`), its database (:class:`~.state.State`) and the
rules every change follows, whichever page or import it comes from.

A change is prepared from the live network by a function that returns the new, validated network and its
records (:mod:`.records`); it is applied only when every record is still at the version the person saw,
and each change, applied or refused, goes into the history with who, when, and every record before and
after. A change can be reverted the same way. Pages never write to the store or the database themselves.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from ..errors import DataError, Problem
from .records import apply_records, inverse
from .state import ROLES, HistoryEntry, State
from .storage import Conflict, Store, default_state_folder, open_store
from .surveys import Surveys
from .views import View, ViewCache

__all__ = ["Workspace", "SHOW_NAMES", "PARTNERS_SEE", "ChangeConflict", "open_workspace"]

#: "Show residents' names to": the lowest role that sees people's real names, and how pages say it.
SHOW_NAMES = {"admin": "admins only", "editor": "editors and admins", "viewer": "everyone (viewers too)"}
#: The default: viewers see pseudonyms.
DEFAULT_SHOW_NAMES = "editor"
#: What partners answering a survey see of everyone's answers (a program setting; ``nothing`` by default).
PARTNERS_SEE = {
    "nothing": "only their own answers",
    "aggregates": "their own answers and totals of everyone's (each shown only when 3 or more partners gave it)",
}


class ChangeConflict(Exception):
    """A change was refused because others saved first: ``theirs`` are their history entries, oldest
    first; ``n`` is the history entry that keeps the refused attempt."""

    def __init__(self, conflict: Conflict, theirs: list[HistoryEntry], n: int):
        self.conflict = conflict
        self.theirs = theirs
        self.n = n
        super().__init__(str(conflict))


class Workspace:
    """A network served to a team: its store, its database, its settings and its views."""

    def __init__(self, store: Store, state: State):
        self.store = store
        self.state = state
        self.views = ViewCache()
        self.salt = state.secret("pseudonym_salt")
        self.surveys = Surveys(state)

    # ------------------------------------------------------------------------------------ settings
    def _choice(self, key: str, choices: dict[str, str], default: str) -> str:
        value = self.state.setting(key, default)
        return value if value in choices else default

    def _set_choice(self, account: str, key: str, value: str, choices: dict[str, str], default: str, what: str):
        """Set a setting to one of ``choices``; the history notes the change as ``what: before -> after``."""
        if value not in choices:
            raise DataError(Problem(key, None, None, f"choose one of {', '.join(choices)}"))
        before = self._choice(key, choices, default)
        self.state.set_setting(key, value)
        if before != value:
            self.state.record(
                account, "settings", f"{what}: {choices[before]} -> {choices[value]}", [], {}, status="note"
            )

    @property
    def show_names_to(self) -> str:
        return self._choice("show_names_to", SHOW_NAMES, DEFAULT_SHOW_NAMES)

    def set_show_names_to(self, account: str, role: str) -> None:
        self._set_choice(account, "show_names_to", role, SHOW_NAMES, DEFAULT_SHOW_NAMES, "show residents' names to")

    def sees_names(self, role: str) -> bool:
        return ROLES.index(role) >= ROLES.index(self.show_names_to)

    # ------------------------------------------------------------------------------------ reading
    def view(self, role: str) -> View:
        """The network as an account of ``role`` may see it, with its cached analyses."""
        G = self.store.graph()
        return self.views.get(G, self.store.revision(), not self.sees_names(role), self.salt)

    def graph(self) -> nx.MultiDiGraph:
        """The live network (never shown as it is to a role below the privacy setting)."""
        return self.store.graph()

    def partner_view(self) -> View:
        """The network as partners answering a survey see it: people always as pseudonyms."""
        return self.views.get(self.store.graph(), self.store.revision(), True, self.salt)

    @property
    def partners_see(self) -> str:
        """What partners answering a survey see of the answers: ``nothing`` or ``aggregates``."""
        return self._choice("survey_partners_see", PARTNERS_SEE, "nothing")

    def set_partners_see(self, account: str, value: str) -> None:
        self._set_choice(
            account, "survey_partners_see", value, PARTNERS_SEE, "nothing", "partners answering a survey see"
        )

    # ------------------------------------------------------------------------------------ changing
    def change(
        self,
        account: str,
        action: str,
        summary: str,
        prepare: Callable[[nx.MultiDiGraph], tuple[nx.MultiDiGraph, list[dict]]],
        based_on: dict[str, int] | None = None,
        reverts: int | None = None,
    ) -> int | None:
        """Prepare a change from the live network and apply it; the history entry's number (None when
        the change changes nothing).

        ``based_on`` gives the version of each record the person saw (hidden in the form); records not in
        it are checked against the version they had when the change was prepared.

        Raises
        ------
        FormErrors, DataError
            The validation refused the change (nothing changed).
        ChangeConflict
            A record moved on since the person saw it (nothing changed; the attempt is in the history).
        """
        G = self.store.graph()
        new, records = prepare(G)
        if not records:
            return None
        keys = [r["key"] for r in records]
        expected = self.store.versions(keys)
        expected.update({k: v for k, v in (based_on or {}).items() if k in expected})
        entry: list[int] = []

        def on_commit(versions: dict[str, int]) -> None:
            entry.append(
                self.state.record(
                    account,
                    action,
                    summary,
                    records,
                    versions,
                    reverts=reverts,
                    bump_versions=self.store.kind == "folder",
                )
            )

        try:
            self.store.commit(new, records, expected, on_commit)
        except Conflict as conflict:
            n = self.state.record(account, action, summary, records, expected, status="conflict", reverts=reverts)
            theirs: list[HistoryEntry] = []
            for key, (version, _) in conflict.keys.items():
                theirs += [e for e in self.state.changes_since(key, version) if e.n not in {t.n for t in theirs}]
            raise ChangeConflict(conflict, sorted(theirs, key=lambda e: e.n), n) from None
        return entry[0]

    def revert(self, account: str, n: int) -> int | None:
        """Undo history entry ``n``: every record back to its state before it, if none moved on since."""
        entry = self.state.entry(n)
        if entry is None or entry.status != "applied" or not entry.records:
            raise DataError(
                Problem(f"change #{n}", None, None, "there is no applied change with this number to revert")
            )
        if entry.reverted_by:
            raise DataError(Problem(f"change #{n}", None, None, f"was already reverted by change #{entry.reverted_by}"))
        return self.change(
            account,
            "revert",
            f"reverted #{n}: {entry.summary}",
            lambda G: (apply_records(G, entry.records, side="before"), inverse(entry.records)),
            based_on=dict(entry.versions),
            reverts=n,
        )

    # ------------------------------------------------------------------------------------ waves
    def waves(self) -> list[dict]:
        return self.state.waves()

    def check_wave_name(self, name: str) -> str:
        """The wave name as kept (spaces collapsed), or DataError when it is empty, too long or taken."""
        name = " ".join(name.split())
        if not name or len(name) > 60:
            raise DataError(Problem("name", None, None, "give the wave a name of 1 to 60 characters"))
        if any(w["name"].casefold() == name.casefold() for w in self.state.waves()):
            raise DataError(Problem("name", None, None, f"there is a wave named {name!r} already"))
        return name

    def snapshot(self, account: str, name: str, note: str = "", as_of: str | None = None) -> dict:
        """Keep the live network as the wave ``name``; ``as_of`` (``YYYY-MM-DD``) is the wave's reference
        date (a partner survey round's date), else the program's."""
        name = self.check_wave_name(name)
        G = self.store.graph()
        if as_of:
            G = G.copy()
            G.graph["program"] = G.graph["program"].replace(as_of=as_of)
        location = self.store.snapshot(name, G)
        self.state.add_wave(name, location, account, G.number_of_nodes(), G.number_of_edges(), note)
        self.state.record(account, "wave", f"snapshot of the network as wave {name!r}", [], {}, status="note")
        return {"name": name, "location": location}

    def wave_graph(self, name: str) -> nx.MultiDiGraph:
        for wave in self.state.waves():
            if wave["name"] == name:
                return self.store.wave(wave["location"])
        raise DataError(Problem("wave", None, None, f"no wave named {name!r}"))

    def close(self) -> None:
        self.store.close()
        self.state.close()


def open_workspace(source: str, state_folder: str | os.PathLike | None = None) -> Workspace:
    """Open (or create) the workspace for a dataset folder or Neo4j wave.

    On the first start the live network is kept as the first wave, named for the program's ``as_of`` date
    (else today), so later waves have something to compare with.
    """
    state = State(Path(state_folder) if state_folder else default_state_folder(source))
    try:
        store = open_store(source, state)
    except BaseException:
        state.close()
        raise
    workspace = Workspace(store, state)
    if not state.waves():
        program = store.graph().graph.get("program")
        day = getattr(program, "as_of", None) or dt.date.today().isoformat()
        workspace.snapshot("system", f"{day} (first start)", note="the network as the workspace first opened it")
    return workspace
