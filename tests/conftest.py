"""Shared fixtures: small datasets written to temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

MINIMAL_STAKEHOLDERS = """id,name,kind,sector,community,lived_experience,decision_role,population_share,priority,needs,hours,method,date
team-a,Team A,team,mobile_crisis,,,,,,,,,
com-n,Northgate,community,,,,,0.4,true,,,,
com-w,Westfield,community,,,,,0.6,false,,,,
p-1,Ann Lee,person,lived_experience,com-n,true,,,,,,,
p-2,Bo Park,person,law_enforcement,com-w,false,board chair,,,,,,
org-1,Clinic,organization,behavioral_health,,,,,,,,,
svc-1,Hotline,service,,,,,,,overdose|medical,24/7,,
eng-1,Kickoff survey,engagement,,,,,,,,,survey,2026-03-01
"""
MINIMAL_RELATIONSHIPS = """source,target,type,strength,trust,since,until,notes
team-a,org-1,partners_with,3,3,2025-01-01,,
org-1,svc-1,provides,4,4,,,
team-a,svc-1,refers_to,3,3,,,
p-1,com-n,member_of,,,,,
p-2,org-1,member_of,2,2,,,
p-1,eng-1,participated_in,,,,,
p-2,eng-1,participated_in,,,,,
p-1,p-2,trusts,2,1,,,
"""


def write_folder(
    folder: Path,
    stakeholders: str = MINIMAL_STAKEHOLDERS,
    relationships: str = MINIMAL_RELATIONSHIPS,
    program: str | None = None,
) -> Path:
    """Write a dataset folder from CSV text (and optional program.toml text)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stakeholders.csv").write_text(stakeholders, encoding="utf-8")
    (folder / "relationships.csv").write_text(relationships, encoding="utf-8")
    if program is not None:
        (folder / "program.toml").write_text(program, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def anonymize_key(monkeypatch):
    """A fixed anonymisation key, so that no test makes a key file beside a dataset of the repository."""
    monkeypatch.setenv("STAKEHOLDER_GRAPH_ANONYMIZE_KEY", "test-key-" + "0" * 32)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A small valid dataset folder."""
    return write_folder(tmp_path / "minimal")


@pytest.fixture(scope="module")
def driver():
    """A driver to the Neo4j test server ($NEO4J_URI, see tests/_neo4j.py): skipped without one, failed under CI."""
    from tests._neo4j import open_driver

    driver = open_driver()
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through playwright (see tests/_browser.py), one per test module."""
    from playwright.sync_api import sync_playwright

    from tests._browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
