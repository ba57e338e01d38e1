"""Helpers for the partner survey tests: a workspace on Riverton with a fixed date, a round, its links."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from tests._web import make_app, post, riverton_copy, token

#: The server's date in these tests (a round's links work by date).
TODAY = dt.date(2027, 3, 10)
#: Three of Riverton's partner organizations, none of which rates another yet.
PARTNERS = {
    "org-rpd": "Riverton Police Department",
    "org-hrp": "Riverton Harm Reduction Project",
    "org-coc": "Riverton Continuum of Care",
}
#: The answers of the tests: Riverton Police Department rates both partners; the Harm Reduction Project
#: one of two (a partial answer); the Continuum of Care does not answer.
FULL = {
    "org-hrp": {
        "level": 3,
        "reliability": 4,
        "mission": 4,
        "openness": 3,
        "power": 3,
        "involvement": 2,
        "resources": 4,
    },
    "org-coc": {
        "level": 2,
        "reliability": 2,
        "mission": 3,
        "openness": 2,
        "power": 2,
        "involvement": 3,
        "resources": 1,
    },
}
PARTIAL = {
    "org-rpd": {
        "level": 4,
        "reliability": 4,
        "mission": 4,
        "openness": 4,
        "power": 4,
        "involvement": 4,
        "resources": 3,
    }
}


class Today:
    """The surveys' clock: a date tests move by hand."""

    def __init__(self, day: dt.date = TODAY):
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


def survey_app(source: Path | str | None, tmp_path: Path, today: Today | None = None):
    """A workspace app (Riverton copied unless ``source``) whose surveys' date is ``today``."""
    app = make_app(source or riverton_copy(tmp_path), tmp_path)
    app.state.workspace.surveys.today = today or Today()
    return app


def create_round(c, partners=PARTNERS, name: str = "Partner survey 2027", days: int = 20, **more) -> int:
    """Create a round open from yesterday for ``days`` days; its id."""
    today = TODAY
    data = {
        "name": name,
        "opens": (today - dt.timedelta(days=1)).isoformat(),
        "closes": (today + dt.timedelta(days=days)).isoformat(),
        "partners": list(partners),
        **more,
    }
    response = post(c, "/surveys", "/surveys", data)
    found = re.search(r"/surveys/(\d+)$", str(response.url))
    assert response.status_code == 200 and found, response.text[:2000]
    return int(found.group(1))


def issue_links(c, round_id: int, which: str = "missing") -> dict[str, str]:
    """Make links (the CSV for the mail merge); ``node -> path`` of each new link."""
    page = c.get(f"/surveys/{round_id}")
    response = c.post(f"/surveys/{round_id}/links", data={"csrf": token(page), "which": which})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    return {row["organization_id"]: "/" + row["link"].split("/", 3)[3] for row in rows}


def form_data(answers: dict[str, dict]) -> dict:
    """The partner form's fields for ``partner -> {level, ratings}``."""
    data: dict = {"shown": list(answers)}
    for partner, values in answers.items():
        for column, value in values.items():
            data[f"{column}:{partner}"] = str(value)
    return data
