"""Partner survey rounds as the workspace keeps them (in :class:`~.state.State`): rounds, their partners and
contacts, private links, answers, free-text answers and partners' suggestions of organizations that are
missing.

A round surveys organizations of the network (PARTNER's relational survey): each rates its collaboration
with every other partner (level 0-4), and, where they work together, trust (reliability, mission, openness)
and value (power, involvement, resources), each 1-4. Each partner answers through a private link:

- a link is ``secrets.token_urlsafe(24)`` (192 random bits), shown once (in the CSV for the mail merge, or
  on the page when one partner gets a new one) and kept only as its SHA-256, so the database cannot give
  it back; a new link for a partner revokes the old one, and a link can be revoked on its own;
- a link opens its own round's form for its own partner only, and only from the round's opening date to its
  closing date (server's local dates, both included) until the round is closed. :meth:`Surveys.invitation`
  answers None for every other case alike (wrong, revoked, expired, not yet open, closed), so a page can
  refuse them all with the same words.

Nothing here changes the network: closing a round (:mod:`.survey_results`) does, through
:meth:`~.workspace.Workspace.change`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..formats.survey import RATINGS
from ..vocab import SECTORS
from .records import FormErrors
from .state import State, now

__all__ = [
    "ANSWER_COLUMNS",
    "MIN_PARTNERS",
    "Round",
    "Partner",
    "Proposal",
    "Surveys",
    "link_hash",
    "TOKEN_BYTES",
]

#: Random bytes in a link's token (192 bits; URL-safe base64, 32 characters).
TOKEN_BYTES = 24
#: An answer's columns: the level of collaboration, then the six ratings.
ANSWER_COLUMNS = ("level",) + RATINGS
#: A relational survey needs at least two partners.
MIN_PARTNERS = 2
MAX_QUESTIONS = 10
MAX_TEXT = 4000
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def link_hash(token: str) -> str:
    """What the database keeps of a link: the SHA-256 of its token (hex)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class Round:
    """A survey round: its questions, dates and, once closed, the wave and engagement it became."""

    id: int
    name: str
    opens: str
    closes: str
    intro: str
    questions: tuple[str, ...]
    created_at: str
    account: str
    engagement: str | None = None
    change: int | None = None
    wave: str | None = None
    closed_at: str | None = None
    closed_by: str | None = None

    def status(self, today: dt.date) -> str:
        """``scheduled`` (before its opening date), ``open``, ``ended`` (past its closing date, not yet
        closed by the team: no more answers) or ``closed`` (its answers are a wave)."""
        if self.closed_at:
            return "closed"
        day = today.isoformat()
        if day < self.opens:
            return "scheduled"
        return "open" if day <= self.closes else "ended"

    def day(self, today: dt.date) -> str:
        """The round's date, the reference date of its wave: its closing date, or today when it closes early."""
        return min(self.closes, today.isoformat())


@dataclass(frozen=True)
class Partner:
    """An organization invited to a round, with its contact for the mail merge and what it did."""

    round: int
    node: str
    name: str
    contact: str
    email: str
    added_at: str
    opened_at: str | None
    finished_at: str | None
    link_issued_at: str | None  # of its live link, None when it has none
    links: int  # links issued so far


@dataclass(frozen=True)
class Proposal:
    """An organization a partner says is missing from the list, for the team to review."""

    id: int
    round: int
    respondent: str
    name: str
    sector: str
    level: int | None
    note: str
    created_at: str
    status: str  # pending, added, matched, dismissed
    node: str | None
    reviewed_by: str | None


def _date(value: str, field: str, errors: dict) -> str:
    value = value.strip()
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        errors.setdefault(field, []).append(f"{value!r} is not a date written YYYY-MM-DD" if value else "give a date")
    return value


class Surveys:
    """The survey rounds of one workspace. ``today`` gives the server's date (tests give their own)."""

    def __init__(self, state: State, today: Callable[[], dt.date] = dt.date.today):
        self.state = state
        self.today = today

    # ------------------------------------------------------------------------------------------ rounds
    @staticmethod
    def _round(row) -> Round:
        return Round(
            row["id"],
            row["name"],
            row["opens"],
            row["closes"],
            row["intro"],
            tuple(json.loads(row["questions"])),
            row["created_at"],
            row["account"],
            row["engagement"],
            row["change"],
            row["wave"],
            row["closed_at"],
            row["closed_by"],
        )

    def rounds(self) -> list[Round]:
        return [self._round(r) for r in self.state.read("SELECT * FROM survey_rounds ORDER BY opens DESC, id DESC")]

    def round(self, round_id: int) -> Round | None:
        rows = self.state.read("SELECT * FROM survey_rounds WHERE id = ?", (round_id,))
        return self._round(rows[0]) if rows else None

    def check_round(
        self, name: str, opens: str, closes: str, intro: str, questions: str, *, new: bool = True
    ) -> tuple[dict, dict]:
        """The round's values from form text and the problems by field (``name``, ``opens``...)."""
        errors: dict[str, list[str]] = {}
        name = " ".join(name.split())
        if not name or len(name) > 60:
            errors["name"] = ["give the round a name of 1 to 60 characters (it names the wave it becomes)"]
        opens, closes = _date(opens, "opens", errors), _date(closes, "closes", errors)
        if "opens" not in errors and "closes" not in errors:
            if closes < opens:
                errors["closes"] = ["the round cannot close before it opens"]
            elif closes < self.today().isoformat():
                errors["closes"] = [f"this date has passed (today is {self.today().isoformat()})"]
        if len(intro) > MAX_TEXT:
            errors["intro"] = [f"write at most {MAX_TEXT} characters"]
        listed = [" ".join(line.split()) for line in questions.splitlines() if line.strip()]
        if len(listed) > MAX_QUESTIONS or any(len(q) > 300 for q in listed):
            errors["questions"] = [f"at most {MAX_QUESTIONS} questions, one a line, each at most 300 characters"]
        return {"name": name, "opens": opens, "closes": closes, "intro": intro.strip(), "questions": listed}, errors

    def create(self, account: str, values: dict, partners: list[tuple[str, str]]) -> Round:
        """A new round (values from :meth:`check_round`) with its partners, ``(node, name)`` each."""
        if len(dict(partners)) < MIN_PARTNERS:
            raise FormErrors({"partners": [f"choose at least {MIN_PARTNERS} organizations to survey"]}, [])
        stamp = now()
        round_row = (
            "INSERT INTO survey_rounds(name, opens, closes, intro, questions, created_at, account) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                values["name"],
                values["opens"],
                values["closes"],
                values["intro"],
                json.dumps(values["questions"]),
                stamp,
                account,
            ),
        )
        # one transaction: the write lock is held throughout, so the newest round is this one
        partner_rows = [
            (
                "INSERT INTO survey_partners(round, node, name, added_at) "
                "VALUES ((SELECT max(id) FROM survey_rounds), ?, ?, ?)",
                (node, name, stamp),
            )
            for node, name in dict(partners).items()
        ]
        round_id = self.state.write([round_row, *partner_rows])[0]
        self.note(account, f"created partner survey round {values['name']!r} with {len(dict(partners))} partners")
        return self.round(round_id)

    def update(self, account: str, round_id: int, values: dict) -> None:
        """Change a round's name, dates, introduction or questions (questions only before any answer)."""
        current = self.round(round_id)
        if current.questions != tuple(values["questions"]) and self.state.read(
            "SELECT 1 FROM survey_texts WHERE round = ? LIMIT 1", (round_id,)
        ):
            raise FormErrors({"questions": ["partners have answered the questions: they can no longer change"]}, [])
        self.state.write(
            [
                (
                    "UPDATE survey_rounds SET name = ?, opens = ?, closes = ?, intro = ?, questions = ? WHERE id = ?",
                    (
                        values["name"],
                        values["opens"],
                        values["closes"],
                        values["intro"],
                        json.dumps(values["questions"]),
                        round_id,
                    ),
                )
            ]
        )
        self.note(
            account, f"changed partner survey round {values['name']!r} (open {values['opens']} to {values['closes']})"
        )

    def mark_applied(self, round_id: int, engagement: str, change: int | None) -> None:
        """Remember that the round's answers are in the network (closing, first step)."""
        self.state.write(
            [("UPDATE survey_rounds SET engagement = ?, change = ? WHERE id = ?", (engagement, change, round_id))]
        )

    def mark_closed(self, round_id: int, account: str, wave: str) -> None:
        self.state.write(
            [
                (
                    "UPDATE survey_rounds SET wave = ?, closed_at = ?, closed_by = ? WHERE id = ?",
                    (wave, now(), account, round_id),
                ),
                ("UPDATE survey_links SET revoked_at = ? WHERE round = ? AND revoked_at IS NULL", (now(), round_id)),
            ]
        )

    def note(self, account: str, summary: str) -> None:
        """A line in the workspace's history (no records: the network did not change)."""
        self.state.record(account, "survey", summary, [], {}, status="note")

    # ------------------------------------------------------------------------------------------ partners
    def partners(self, round_id: int) -> list[Partner]:
        rows = self.state.read(
            "SELECT p.*, (SELECT max(issued_at) FROM survey_links l WHERE l.round = p.round AND l.node = p.node "
            "AND l.revoked_at IS NULL) AS live, (SELECT count(*) FROM survey_links l WHERE l.round = p.round "
            "AND l.node = p.node) AS links FROM survey_partners p WHERE p.round = ? ORDER BY p.name COLLATE NOCASE",
            (round_id,),
        )
        return [
            Partner(
                r["round"],
                r["node"],
                r["name"],
                r["contact"],
                r["email"],
                r["added_at"],
                r["opened_at"],
                r["finished_at"],
                r["live"],
                r["links"],
            )
            for r in rows
        ]

    def partner(self, round_id: int, node: str) -> Partner | None:
        return next((p for p in self.partners(round_id) if p.node == node), None)

    def add_partners(self, account: str, round_id: int, partners: list[tuple[str, str]]) -> int:
        """Invite more organizations to a round; how many were new."""
        known = {p.node for p in self.partners(round_id)}
        new = [(node, name) for node, name in dict(partners).items() if node not in known]
        stamp = now()
        if new:
            self.state.write(
                [
                    (
                        "INSERT INTO survey_partners(round, node, name, added_at) VALUES (?, ?, ?, ?)",
                        (round_id, n, name, stamp),
                    )
                    for n, name in new
                ]
            )
            self.note(account, f"invited {len(new)} more partner(s) to survey round #{round_id}")
        return len(new)

    def set_contacts(self, account: str, round_id: int, contacts: dict[str, tuple[str, str]]) -> None:
        """Each partner's contact ``(name, email)`` for the mail merge; FormErrors by ``contact:NODE``."""
        errors: dict[str, list[str]] = {}
        for node, (name, email) in contacts.items():
            if len(name) > 120:
                errors[f"contact:{node}"] = ["write at most 120 characters"]
            if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
                errors[f"email:{node}"] = [f"{email!r} is not an email address"]
        if errors:
            raise FormErrors(errors, [])
        self.state.write(
            [
                (
                    "UPDATE survey_partners SET contact = ?, email = ? WHERE round = ? AND node = ?",
                    (n, e, round_id, node),
                )
                for node, (n, e) in contacts.items()
            ]
        )
        self.note(account, f"updated the contacts of survey round #{round_id}")

    # ------------------------------------------------------------------------------------------ links
    def issue_links(self, account: str, round_id: int, nodes: Iterable[str]) -> dict[str, str]:
        """A new private link (token) for each partner; any link they had stops working. Tokens are
        returned once and kept only hashed."""
        known = {p.node for p in self.partners(round_id)}
        tokens = {node: secrets.token_urlsafe(TOKEN_BYTES) for node in dict.fromkeys(nodes) if node in known}
        stamp = now()
        statements = []
        for node, token in tokens.items():
            statements.append(
                (
                    "UPDATE survey_links SET revoked_at = ? WHERE round = ? AND node = ? AND revoked_at IS NULL",
                    (stamp, round_id, node),
                )
            )
            statements.append(
                (
                    "INSERT INTO survey_links(hash, round, node, issued_at, account) VALUES (?, ?, ?, ?, ?)",
                    (link_hash(token), round_id, node, stamp, account),
                )
            )
        if statements:
            self.state.write(statements)
            self.note(account, f"issued {len(tokens)} private link(s) for survey round #{round_id}")
        return tokens

    def revoke(self, account: str, round_id: int, node: str) -> bool:
        """Stop a partner's link; True when it had one."""
        live = self.state.read(
            "SELECT hash FROM survey_links WHERE round = ? AND node = ? AND revoked_at IS NULL", (round_id, node)
        )
        if not live:
            return False
        self.state.write(
            [
                (
                    "UPDATE survey_links SET revoked_at = ? WHERE round = ? AND node = ? AND revoked_at IS NULL",
                    (now(), round_id, node),
                )
            ]
        )
        self.note(account, f"revoked the private link of {node} for survey round #{round_id}")
        return True

    def invitation(self, token: str) -> tuple[Round, Partner] | None:
        """The round and partner of a live link that is valid today, else None (whatever the reason)."""
        if not _TOKEN.fullmatch(token or ""):
            return None
        rows = self.state.read(
            "SELECT round, node FROM survey_links WHERE hash = ? AND revoked_at IS NULL", (link_hash(token),)
        )
        if not rows:
            return None
        found = self.round(rows[0]["round"])
        partner = self.partner(rows[0]["round"], rows[0]["node"])
        if found is None or partner is None or found.status(self.today()) != "open":
            return None
        return found, partner

    def opened(self, round_id: int, node: str) -> None:
        """Note when a partner first opened their form."""
        self.state.write(
            [
                (
                    "UPDATE survey_partners SET opened_at = ? WHERE round = ? AND node = ? AND opened_at IS NULL",
                    (now(), round_id, node),
                )
            ]
        )

    # ------------------------------------------------------------------------------------------ answers
    def answers(self, round_id: int, respondent: str | None = None) -> dict[tuple[str, str], dict]:
        """``(respondent, partner) -> {"level", ratings..., "saved_at"}`` (one respondent's when given)."""
        sql, params = "SELECT * FROM survey_answers WHERE round = ?", [round_id]
        if respondent is not None:
            sql, params = sql + " AND respondent = ?", params + [respondent]
        return {
            (r["respondent"], r["partner"]): {c: r[c] for c in ANSWER_COLUMNS + ("saved_at",)}
            for r in self.state.read(sql, params)
        }

    def texts(self, round_id: int, respondent: str | None = None) -> dict[tuple[str, int], str]:
        """``(respondent, question number) -> answer`` for the free-text questions."""
        sql, params = "SELECT * FROM survey_texts WHERE round = ?", [round_id]
        if respondent is not None:
            sql, params = sql + " AND respondent = ?", params + [respondent]
        return {(r["respondent"], r["question"]): r["answer"] for r in self.state.read(sql, params)}

    def save(
        self,
        round_id: int,
        respondent: str,
        answers: dict[str, dict[str, int | None]],
        texts: dict[int, str] | None = None,
    ) -> None:
        """Save one respondent's answers: ``partner -> {column: value}`` with only the columns given changed
        (``None`` clears one); a level of 0 (no collaboration) clears the ratings. One transaction."""
        stamp = now()
        statements = []
        for partner, values in answers.items():
            values = {c: v for c, v in values.items() if c in ANSWER_COLUMNS}
            if values.get("level") == 0:
                values.update(dict.fromkeys(RATINGS))
            if not values:
                continue
            columns = list(values)  # names from ANSWER_COLUMNS only, never from input
            statements.append(
                (
                    f"INSERT INTO survey_answers(round, respondent, partner, {', '.join(columns)}, saved_at) "
                    f"VALUES (?, ?, ?, {', '.join('?' * len(columns))}, ?) ON CONFLICT(round, respondent, partner) "
                    f"DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in columns)}, saved_at = excluded.saved_at",
                    (round_id, respondent, partner, *values.values(), stamp),
                )
            )
        for number, text in (texts or {}).items():
            if text:
                statements.append(
                    (
                        "INSERT INTO survey_texts(round, respondent, question, answer, saved_at) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT(round, respondent, question) DO UPDATE SET answer = excluded.answer, "
                        "saved_at = excluded.saved_at",
                        (round_id, respondent, number, text[:MAX_TEXT], stamp),
                    )
                )
            else:
                statements.append(
                    (
                        "DELETE FROM survey_texts WHERE round = ? AND respondent = ? AND question = ?",
                        (round_id, respondent, number),
                    )
                )
        if statements:
            self.state.write(statements)

    def finish(self, round_id: int, respondent: str) -> None:
        """A partner says they are done (they may still change their answers while the round is open)."""
        self.state.write(
            [
                (
                    "UPDATE survey_partners SET finished_at = ? WHERE round = ? AND node = ?",
                    (now(), round_id, respondent),
                )
            ]
        )

    # ------------------------------------------------------------------------------------------ suggestions
    @staticmethod
    def _proposal(row) -> Proposal:
        return Proposal(
            row["id"],
            row["round"],
            row["respondent"],
            row["name"],
            row["sector"],
            row["level"],
            row["note"],
            row["created_at"],
            row["status"],
            row["node"],
            row["reviewed_by"],
        )

    def propose(self, round_id: int, respondent: str, name: str, sector: str, level: int | None, note: str) -> None:
        """A partner suggests an organization missing from the list (the team reviews it)."""
        errors: dict[str, list[str]] = {}
        name = " ".join(name.split())
        if not 2 <= len(name) <= 120:
            errors["propose_name"] = ["write the organization's name (2 to 120 characters)"]
        if sector and sector not in SECTORS:
            errors["propose_sector"] = ["choose a sector from the list"]
        if len(note) > 1000:
            errors["propose_note"] = ["write at most 1000 characters"]
        if errors:
            raise FormErrors(errors, [])
        self.state.write(
            [
                (
                    "INSERT INTO survey_proposals(round, respondent, name, sector, level, note, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (round_id, respondent, name, sector, level, note.strip(), now()),
                )
            ]
        )

    def proposals(self, round_id: int, respondent: str | None = None) -> list[Proposal]:
        sql, params = "SELECT * FROM survey_proposals WHERE round = ?", [round_id]
        if respondent is not None:
            sql, params = sql + " AND respondent = ?", params + [respondent]
        return [self._proposal(r) for r in self.state.read(sql + " ORDER BY id", params)]

    def proposal(self, round_id: int, proposal_id: int) -> Proposal | None:
        return next((p for p in self.proposals(round_id) if p.id == proposal_id), None)

    def review(self, account: str, proposal: Proposal, status: str, node: str | None = None) -> None:
        """Record the team's decision on a suggestion: ``added`` or ``matched`` (to ``node``: the proposer's
        level becomes their answer for it) or ``dismissed``."""
        statements = [
            (
                "UPDATE survey_proposals SET status = ?, node = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                (status, node, account, now(), proposal.id),
            )
        ]
        if node and proposal.level is not None:
            statements.append(
                (
                    "INSERT INTO survey_answers(round, respondent, partner, level, saved_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(round, respondent, partner) DO NOTHING",
                    (proposal.round, proposal.respondent, node, proposal.level, now()),
                )
            )
        self.state.write(statements)
        self.note(account, f"suggested organization {proposal.name!r} {status}" + (f" as {node}" if node else ""))
