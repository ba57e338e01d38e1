"""Accounts, passwords, sessions, CSRF tokens and the login throttle.

- Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, 3 passes) and never stored or
  logged as text; an unknown account name costs the same time as a wrong password.
- A session is a random id kept server-side (so signing out, a new password or a disabled account end it
  at once) and sent as a cookie signed with itsdangerous, ``HttpOnly``, ``SameSite=Lax``, and ``Secure``
  when the request came over https (directly or through a reverse proxy).
- Each session has its own CSRF token, which every form carries; the login form carries one tied to a
  signed cookie (there is no session yet).
- After :data:`FREE_ATTEMPTS` wrong passwords for an account name, or from one address, each further
  attempt must wait: 30 seconds, doubling with each failure, at most 15 minutes; a success clears it.
"""

from __future__ import annotations

import hmac
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..errors import DataError, Problem
from .state import ROLES, Account, State

__all__ = [
    "FREE_ATTEMPTS",
    "SESSION_COOKIE",
    "LOGIN_COOKIE",
    "SESSION_MAX_AGE",
    "SESSION_IDLE",
    "Auth",
    "LoginRefused",
    "Session",
    "new_password",
    "check_account_name",
    "check_password",
]

#: Wrong passwords allowed before attempts are slowed down.
FREE_ATTEMPTS = 5
#: The first wait after :data:`FREE_ATTEMPTS` failures, in seconds (then doubling).
FIRST_WAIT = 30
#: The longest wait, in seconds.
LONGEST_WAIT = 15 * 60
#: Failures older than this are forgotten, in seconds.
FORGET_AFTER = 60 * 60
SESSION_COOKIE = "sg_session"
LOGIN_COOKIE = "sg_login"
#: A session ends this long after sign-in (seconds), or after this long unused.
SESSION_MAX_AGE = 12 * 3600
SESSION_IDLE = 4 * 3600
MIN_PASSWORD = 10


class LoginRefused(Exception):
    """Wrong name or password (``wait`` is None), or too many attempts: try again in ``wait`` seconds."""

    def __init__(self, wait: int | None = None):
        self.wait = wait
        super().__init__("too many attempts" if wait else "wrong name or password")


@dataclass(frozen=True)
class Session:
    """A signed-in person: their account, session id and CSRF token."""

    account: Account
    id: str
    csrf: str


def new_password() -> str:
    """A random password people can type: 16 letters and digits in groups of four."""
    alphabet = string.ascii_letters + string.digits
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def check_account_name(name: str) -> str:
    """The account name, or DataError: 1 to 40 letters, digits, '.', '_', '-' or '@'."""
    name = name.strip()
    if not name or len(name) > 40 or any(not (c.isalnum() or c in "._-@") for c in name):
        raise DataError(Problem("name", None, None, "use 1 to 40 letters, digits, '.', '_', '-' or '@'"))
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise DataError(Problem("password", None, None, f"use at least {MIN_PASSWORD} characters"))
    if len(password) > 1024:
        raise DataError(Problem("password", None, None, "use at most 1024 characters"))
    return password


class Auth:
    """Accounts and sessions of one workspace; ``clock`` gives the time (seconds) for the throttle; ``hasher``
    is argon2-cffi's default PasswordHasher unless given (tests give a fast one)."""

    def __init__(self, state: State, clock: Callable[[], float] = time.time, hasher: PasswordHasher | None = None):
        self.state = state
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        secret = state.secret("cookie_secret")
        self._sessions = URLSafeTimedSerializer(secret, salt="stakeholder-graph session")
        self._logins = URLSafeTimedSerializer(secret, salt="stakeholder-graph login form")
        self._flash = URLSafeTimedSerializer(secret, salt="stakeholder-graph flash")
        self._dummy = self.hasher.hash(secrets.token_hex(16))

    # ------------------------------------------------------------------------------------ accounts
    def create_account(self, name: str, password: str, role: str, must_change: bool = False) -> Account:
        name = check_account_name(name)
        if role not in ROLES:
            raise DataError(Problem("role", None, None, f"choose one of {', '.join(ROLES)}"))
        if self.state.account(name) is not None:
            raise DataError(Problem("name", None, None, f"there is an account named {name!r} already"))
        self.state.add_account(name, self.hasher.hash(check_password(password)), role, must_change)
        return self.state.account(name)

    def set_password(self, name: str, password: str, must_change: bool = False) -> None:
        self.state.update_account(
            name, password_hash=self.hasher.hash(check_password(password)), must_change=must_change
        )

    def ensure_admin(self, password: str | None = None) -> str | None:
        """Create the first admin account (``admin``) when there is no account yet.

        Returns the one-time password when one was made up (it must be changed at first sign-in), else
        None (an account exists, or ``password`` was given).
        """
        if self.state.accounts():
            return None
        if password is not None:
            self.create_account("admin", password, "admin")
            return None
        made = new_password()
        self.create_account("admin", made, "admin", must_change=True)
        return made

    # ------------------------------------------------------------------------------------ signing in
    def _throttle_keys(self, name: str, client: str) -> list[str]:
        return [f"account:{name.strip().casefold()}", f"client:{client}"]

    def wait_needed(self, name: str, client: str) -> int:
        """Seconds before another attempt for this name from this address is allowed (0: now)."""
        return self.throttle_wait(self._throttle_keys(name, client))

    def throttle_wait(self, keys: list[str]) -> int:
        """Seconds before another attempt is allowed for any of ``keys`` (0: now): after
        :data:`FREE_ATTEMPTS` failures, 30 seconds doubling with each, at most 15 minutes. The sign-in and
        the partner survey links (``survey-link:ADDRESS``) share this rule."""
        current = self.clock()
        longest = 0.0
        for key in keys:
            count, last = self.state.failures(key)
            if count and current - last > FORGET_AFTER:
                self.state.clear_failures(key)
                continue
            if count >= FREE_ATTEMPTS:
                wait = min(FIRST_WAIT * 2 ** (count - FREE_ATTEMPTS), LONGEST_WAIT)
                longest = max(longest, last + wait - current)
        return max(0, int(longest + 0.999))

    def throttle_failed(self, keys: list[str]) -> None:
        """Count one failed attempt for each of ``keys``."""
        for key in keys:
            self.state.add_failure(key, self.clock())

    def login(self, name: str, password: str, client: str) -> Session:
        """Check a name and password and start a session.

        Raises
        ------
        LoginRefused
            Wrong name or password, or too many attempts (then the password is not even checked).
        """
        wait = self.wait_needed(name, client)
        if wait:
            raise LoginRefused(wait)
        stored = self.state.password_hash(name.strip()) if name.strip() else None
        try:
            self.hasher.verify(stored or self._dummy, password)
            ok = stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        keys = self._throttle_keys(name, client)
        if not ok:
            self.throttle_failed(keys)
            raise LoginRefused()
        for key in keys:
            self.state.clear_failures(key)
        account = self.state.account(name.strip())
        if stored is not None and self.hasher.check_needs_rehash(stored):
            self.state.update_account(account.name, password_hash=self.hasher.hash(password))
        session, csrf = self.state.new_session(account.name)
        return Session(account, session, csrf)

    def verify_password(self, name: str, password: str) -> bool:
        stored = self.state.password_hash(name)
        try:
            return stored is not None and self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def logout(self, session: Session) -> None:
        self.state.end_session(session.id)

    # ------------------------------------------------------------------------------------ cookies
    def session_cookie(self, session: Session) -> str:
        return self._sessions.dumps(session.id)

    def session_from_cookie(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            session = self._sessions.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        found = self.state.session(session, SESSION_MAX_AGE, SESSION_IDLE)
        if found is None:
            return None
        account, csrf = found
        return Session(account, session, csrf)

    def login_token(self) -> tuple[str, str]:
        """A token for the login form and the signed cookie that goes with it."""
        token = secrets.token_urlsafe(24)
        return token, self._logins.dumps(token)

    def login_token_ok(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token:
            return False
        try:
            expected = self._logins.loads(cookie, max_age=SESSION_IDLE)
        except BadSignature:
            return False
        return hmac.compare_digest(str(expected), str(token))

    def flash_cookie(self, message: str) -> str:
        return self._flash.dumps(message)

    def flash_from_cookie(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return str(self._flash.loads(value, max_age=120))
        except BadSignature:
            return None


def csrf_ok(session: Session | None, token: str | None) -> bool:
    """True when a form's token is its session's."""
    return session is not None and bool(token) and hmac.compare_digest(session.csrf, str(token))
