"""Anonymised output hides everything personal: personal values planted in every column and in free text
of Riverton never reach any output; pseudonyms are keyed, long and never merge two people."""

from __future__ import annotations

import csv
import html
import json
import re
import stat
import unicodedata
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from stakeholder_graph import privacy
from stakeholder_graph.cli import cli
from stakeholder_graph.dataset import read_dataset, write_dataset
from stakeholder_graph.errors import DataError
from stakeholder_graph.privacy import Anonymizer, anonymize, pseudonym
from tests.conftest import DATA, FIXTURES, write_folder

#: Every output an anonymised command writes: (name, arguments). {src} and {src2} are two waves, {out} a
#: folder for files. Adding a command that writes for people is one line here.
OUTPUTS = [
    ("report text", ["report", "{src}", "--format", "text"]),
    ("report markdown", ["report", "{src}", "--format", "markdown"]),
    ("report html", ["report", "{src}", "--format", "html", "-o", "{out}/report.html"]),
    ("report json", ["report", "{src}", "--format", "json"]),
    ("map", ["map", "{src}", "-o", "{out}/map.html"]),
    ("map focus", ["map", "{src}", "--focus", "p-luis-ferreira", "-o", "{out}/map.html"]),
    ("map community", ["map", "{src}", "--community", "com-eastbank", "-o", "{out}/map.html"]),
    ("export folder", ["export", "{src}", "{out}/folder"]),
    ("export kumu", ["export", "{src}", "{out}/export.xlsx"]),
    ("export gexf", ["export", "{src}", "{out}/export.gexf"]),
    ("export graphml", ["export", "{src}", "{out}/export.graphml"]),
    ("export json", ["export", "{src}", "{out}/export.json"]),
    ("compare text", ["compare", "{src}", "{src2}"]),
    ("compare markdown", ["compare", "{src}", "{src2}", "--format", "markdown"]),
    ("compare json", ["compare", "{src}", "{src2}", "--format", "json"]),
    ("scores text", ["scores", "{src}", "--top", "300"]),
    ("scores json", ["scores", "{src}", "--format", "json"]),
    ("paths text", ["paths", "{src}", "--need", "overdose"]),
    (
        "paths json from a person",
        ["paths", "{src}", "--need", "housing", "--from", "p-luis-ferreira", "--format", "json"],
    ),
    ("bridges text", ["bridges", "{src}"]),
    ("bridges json", ["bridges", "{src}", "--format", "json"]),
    ("gaps text", ["gaps", "{src}"]),
    ("gaps json", ["gaps", "{src}", "--format", "json"]),
    ("summary text", ["summary", "{src}"]),
    ("summary json", ["summary", "{src}", "--format", "json"]),
    ("plan text", ["plan", "{src}"]),
    ("plan markdown", ["plan", "{src}", "--format", "markdown"]),
    ("plan csv", ["plan", "{src}", "--format", "csv", "-o", "{out}/plan.csv"]),
    ("plan json", ["plan", "{src}", "--format", "json"]),
    ("plan introductions", ["plan", "{src}", "--introductions", "p-keisha-morgan", "--format", "csv"]),
]

#: Extra personal columns planted for every person (value made from the row number).
PERSONAL_COLUMNS = {
    "mobile": "+1-555-01{:03d}",
    "home_address": "{} Plantation Row",
    "email": "resident{}@plant.example",
    "phone": '=HYPERLINK("http://plant.example/{}")',
    "date_of_birth": "plantdob-{}",
    "case_notes": "plantcase {} confidential",
}
#: Free text planted everywhere else; each names a person (added at the end: see _plant).
MARKERS = ("plantnote", "planttag", "plantboard", "plantorg", "plantrel", "plantcontact")


def _plant(source: Path, target: Path) -> dict[str, list[str]]:
    """Copy a dataset with personal values in every person column and in every kind of free text.

    Returns the values that must not appear in any anonymised output: planted values, every person's
    name and id.
    """
    with open(source / "stakeholders.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(source / "relationships.csv", encoding="utf-8", newline="") as handle:
        ties = list(csv.DictReader(handle))
    people = [r for r in rows if r["kind"] == "person"]
    names = [p["name"] for p in people]
    secret: dict[str, list[str]] = {"names": names, "ids": [p["id"] for p in people], "planted": list(MARKERS)}
    for i, row in enumerate(rows):
        someone = names[i % len(names)]
        for column, pattern in PERSONAL_COLUMNS.items():
            row[column] = pattern.format(i) if row["kind"] == "person" else ""
        row["contact_person"] = "" if row["kind"] == "person" else f"{someone} plantcontact"
        if row["kind"] == "person":
            row["notes"] = f"{row['notes']} plantnote {i}".strip()
            row["tags"] = f"planttag-{i}|{row['tags']}".strip("|")
            if i % 7 == 0:
                row["decision_role"] = f"Chair of the plantboard {i}"
        else:
            row["notes"] = f"Introduced by {someone}; plantorg {i}"
            row["tags"] = f"{row['tags']}|{someone}".strip("|")
    secret["planted"] += [p.format(i) for i in range(len(rows)) for p in PERSONAL_COLUMNS.values()]
    secret["planted"] += [p.format(i).split("(")[-1] for i in range(len(rows)) for p in [PERSONAL_COLUMNS["phone"]]]
    # an engagement named after a person, and an organization whose id and name spell one
    first = people[0]
    rows.append(
        {
            "id": "eng-coffee-with-" + first["id"][2:],
            "name": f"Coffee with {first['name'].upper()}",
            "kind": "engagement",
            "method": "focus_group",
            "date": "2026-03-03",
        }
    )
    rows.append(
        {
            "id": "org-" + first["id"][2:] + "-foundation",
            "name": f"The {first['name']} Foundation",
            "kind": "organization",
            "sector": "community_organization",
        }
    )
    ties.append({"source": first["id"], "target": rows[-2]["id"], "type": "participated_in"})
    ties.append({"source": first["id"], "target": rows[-1]["id"], "type": "member_of", "strength": "3", "trust": "3"})
    for j, tie in enumerate(ties):
        tie["notes"] = f"plantrel {j}: {names[j % len(names)]} said so"
        tie["witness"] = names[(j + 1) % len(names)]
    target.mkdir(parents=True)
    for name, table in (("stakeholders.csv", rows), ("relationships.csv", ties)):
        columns = list(dict.fromkeys(key for row in table for key in row))
        with open(target / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns, restval="")
            writer.writeheader()
            writer.writerows(table)
    (target / "program.toml").write_text((source / "program.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return secret


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _readable(path: Path) -> str:
    """Everything a file or folder says, as text a person would read (entities, escapes and cells undone)."""
    if path.is_dir():
        return "\n".join(_readable(p) for p in sorted(path.rglob("*")) if p.is_file())
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
        book.close()
        return "\n".join(cells)
    return path.read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    """The words of a text, folded: values are looked for as runs of words, whatever stands between them."""
    return re.findall(r"[^\W_]+", _fold(text))


def _normalised(text: str) -> str:
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(html.unescape(text)).replace("\\", "")
    return _fold(text)


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("planted")
    secret = _plant(DATA / "riverton", root / "riverton")
    second = _plant(DATA / "riverton-2027", root / "riverton-2027")
    for key in secret:
        secret[key] = sorted(set(secret[key]) | set(second[key]))
    return root / "riverton", root / "riverton-2027", secret


@pytest.mark.parametrize("args", [a for _, a in OUTPUTS], ids=[n for n, _ in OUTPUTS])
def test_anonymised_outputs_hold_no_personal_value(planted, tmp_path: Path, args: list[str]):
    src, src2, secret = planted
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.format(src=src, src2=src2, out=out) for a in args] + ["--anonymize"]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    text = _normalised(result.stdout + "\n" + _readable(out))
    assert len(text) > 100  # there is an output (test_plain_outputs_show_the_planted_values: the check can fail)
    words = _words(text)
    grams = {tuple(words[i : i + n]) for n in range(1, 7) for i in range(len(words) - n + 1)}
    leaks = [value for value in secret["names"] + secret["ids"] + secret["planted"] if tuple(_words(value)) in grams]
    assert leaks == []


def test_plain_outputs_show_the_planted_values(planted, tmp_path: Path):
    """The check above can fail: without --anonymize the same outputs show the names and planted values."""
    src, _, secret = planted
    result = CliRunner().invoke(cli, ["export", str(src), str(tmp_path / "x.json")])
    assert result.exit_code == 0, result.output
    text = _normalised(_readable(tmp_path / "x.json"))
    for value in ("Luis Ferreira", "p-luis-ferreira", "7 Plantation Row", "plantorg", "plantrel", "plantcontact"):
        assert _fold(value) in text


def test_anonymised_export_keeps_the_analysis_columns_and_the_network(planted, tmp_path: Path):
    src, _, _ = planted
    result = CliRunner().invoke(cli, ["export", str(src), str(tmp_path / "anon"), "--anonymize"])
    assert result.exit_code == 0, result.output
    G, H = read_dataset(src), read_dataset(tmp_path / "anon")
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    with open(tmp_path / "anon" / "stakeholders.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    filled = {column for row in rows for column, value in row.items() if value}
    assert filled <= set(privacy.PERSON_COLUMNS) | set(privacy.OTHER_COLUMNS) | {"id"}
    person = next(a for n, a in H.nodes(data=True) if a["kind"] == "person" and a.get("community"))
    assert re.fullmatch(r"Person [0-9A-F]{16}", person["name"])
    assert H.nodes[person["community"]]["kind"] == "community"  # communities keep their ids
    roles = [row["decision_role"] for row in rows if row["kind"] == "person"]
    assert set(roles) == {"", "true"} and roles.count("true") >= 11  # yes or no, never the role's name
    assert "Riverton Police Department" in {a["name"] for _, a in H.nodes(data=True)}  # organizations stay named
    before = sorted(a.get("sector", "") for _, a in G.nodes(data=True))
    assert sorted(a.get("sector", "") for _, a in H.nodes(data=True)) == before
    assert H.graph["program"].team == G.graph["program"].team


def test_anonymised_report_has_the_same_findings():
    from stakeholder_graph.report import build_report
    from stakeholder_graph.sources import open_source

    for G in (read_dataset(DATA / "riverton"), open_source(FIXTURES / "hsds" / "riverlands-211.zip")):
        plain, anonymous = build_report(G), build_report(anonymize(G, "k" * 32))
        assert anonymous["summary"]["anonymized"] is True
        assert [g["id"].split("/")[:2] for g in plain["gaps"]] == [g["id"].split("/")[:2] for g in anonymous["gaps"]]
        assert plain["scores"]["network"] == anonymous["scores"]["network"]
        assert plain["not_yet_connected"]["count"] == anonymous["not_yet_connected"]["count"]


def test_pseudonyms_are_keyed_hmac_sha256():
    import hashlib
    import hmac

    expected = hmac.new(b"k" * 32, b"p-luis-ferreira", hashlib.sha256).hexdigest()[:16].upper()
    assert pseudonym("p-luis-ferreira", "k" * 32) == f"Person {expected}"
    assert pseudonym("p-luis-ferreira", "k" * 32) != pseudonym("p-luis-ferreira", "j" * 32)
    unkeyed = hashlib.sha256(b"p-luis-ferreira").hexdigest()  # a guess without the key finds nothing
    assert expected.lower() not in unkeyed


def test_a_collision_is_an_error_not_a_merge():
    G = nx.MultiDiGraph()
    for i in range(40):
        G.add_node(f"p-{i}", name=f"P {i}", kind="person")
    with pytest.raises(DataError) as info:
        Anonymizer("k" * 32, digits=1).anonymize(G)  # 40 people, 16 one-digit pseudonyms
    assert "would both be" in str(info.value) and "choose another key" in str(info.value)


def test_100000_anonymised_stakeholders_export_as_100000(tmp_path: Path):
    """The red team's case: 100,000 stakeholders (99,000 people) once came out as 99,814."""
    G = nx.MultiDiGraph()
    G.add_node("team", name="Crisis Team", kind="team", sector="mobile_crisis")
    for j in range(999):
        G.add_node(f"org-{j}", name=f"Organization {j}", kind="organization", sector="housing")
    for i in range(99_000):
        G.add_node(f"p-{i}", name=f"Resident {i}", kind="person", phone=f"555-{i:05d}")
        G.add_edge(f"p-{i}", f"org-{i % 999}", key="member_of", type="member_of")
    H = anonymize(G, "k" * 32)
    assert (H.number_of_nodes(), H.number_of_edges()) == (100_000, 99_000)
    write_dataset(H, tmp_path / "anon")
    with open(tmp_path / "anon" / "stakeholders.csv", encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert len(ids) == len(set(ids)) == 100_000


def test_names_are_scrubbed_in_any_case_with_or_without_accents():
    G = nx.MultiDiGraph()
    G.add_node("p-1", name="Efraín Solís", kind="person")
    G.add_node("p-2", name="Ana", kind="person")
    G.add_node("eng-1", name="Coffee with EFRAIN SOLIS and ana", kind="engagement")
    G.add_node("org-efrain-solis-ministries", name="Solís Ministries", kind="organization")
    G.add_edge("p-1", "org-efrain-solis-ministries", key="member_of", type="member_of", notes="Efraín's church")
    anonymizer = Anonymizer("k" * 32)
    H = anonymizer.anonymize(G)
    p1, p2 = anonymizer.pseudonym("p-1"), anonymizer.pseudonym("p-2")
    assert H.nodes["eng-1"]["name"] == f"Coffee with {p1} and {p2}"
    org = anonymizer.translate("org-efrain-solis-ministries")
    assert org == "org-" + p1.lower().replace(" ", "-") + "-ministries"
    assert H.nodes[org]["name"] == "Solís Ministries"  # a surname alone is not a person's name
    assert dict(H[anonymizer.translate("p-1")][org]["member_of"]) == {"type": "member_of"}


def test_key_file_is_made_beside_the_source_private_and_reused(tmp_path: Path, minimal: Path, monkeypatch):
    monkeypatch.delenv(privacy.KEY_ENVIRONMENT)
    runner = CliRunner()
    first = runner.invoke(cli, ["summary", str(minimal), "--format", "json", "--anonymize"])
    assert first.exit_code == 0, first.output
    key_file = tmp_path / "minimal.anonymize-key"
    assert key_file.is_file() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "keep it private" in first.stderr and not (minimal / key_file.name).exists()
    again = runner.invoke(cli, ["summary", str(minimal), "--format", "json", "--anonymize"])
    assert again.stdout == first.stdout and "made the" not in again.stderr
    key = key_file.read_text(encoding="utf-8").strip()
    export = tmp_path / "anon"
    assert runner.invoke(cli, ["export", str(minimal), str(export), "--anonymize"]).exit_code == 0
    assert key not in _readable(export) and not list(export.glob("*key*"))


def test_key_from_option_or_environment(tmp_path: Path, minimal: Path, monkeypatch):
    runner = CliRunner()
    key_file = tmp_path / "keys" / "city.key"
    by_file = runner.invoke(cli, ["bridges", str(minimal), "--format", "json", "--anonymize-key", str(key_file)])
    assert by_file.exit_code == 0, by_file.output  # --anonymize-key implies --anonymize and makes the file
    assert "Person " in by_file.stdout and key_file.is_file()
    monkeypatch.setenv(privacy.KEY_ENVIRONMENT, key_file.read_text(encoding="utf-8"))
    by_environment = runner.invoke(cli, ["bridges", str(minimal), "--format", "json", "--anonymize"])
    assert by_environment.stdout == by_file.stdout
    monkeypatch.setenv(privacy.KEY_ENVIRONMENT, "short")
    short = runner.invoke(cli, ["bridges", str(minimal), "--anonymize"])
    assert short.exit_code == 2 and "at least 32" in short.stderr


def test_compare_anonymises_both_waves_with_one_key(tmp_path: Path, minimal: Path):
    later = write_folder(tmp_path / "later")
    result = CliRunner().invoke(cli, ["compare", str(minimal), str(later), "--format", "json", "--anonymize"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stakeholders"]["gained"] == [] and data["stakeholders"]["lost"] == []


def test_ids_given_on_the_command_line_find_the_pseudonymised_person(minimal: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["paths", str(minimal), "--need", "overdose", "--from", "p-2", "--anonymize"])
    assert result.exit_code == 0, result.output
    assert "Bo Park" not in result.stdout and "Person " in result.stdout
    page = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", str(minimal), "--focus", "p-1", "-o", str(page), "--anonymize"])
    assert result.exit_code == 0, result.output
    assert "Ann Lee" not in page.read_text(encoding="utf-8")


def test_without_anonymize_a_key_changes_nothing(minimal: Path):
    result = CliRunner().invoke(cli, ["bridges", str(minimal)])
    assert "Bo Park" in result.stdout and "Person " not in result.stdout
