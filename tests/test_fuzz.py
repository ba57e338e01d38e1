"""Fuzzing every reader: damaged, hostile and random versions of small valid files (hypothesis) give
exit 0 or 2 and one sentence per problem, never a traceback.

Readers: the dataset folder, program.toml, Kumu (workbook, CSV pair, JSON blueprint, mapping TOML),
HSDS folders, partner survey CSVs, GEXF, GraphML and node-link JSON. Each gets ``FUZZ_EXAMPLES``
examples (default 25, derandomized so that CI is repeatable; set ``FUZZ_EXAMPLES=2000`` and
``FUZZ_RANDOM=1`` for a longer hunt).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakeholder_graph.cli import cli
from tests.conftest import DATA, MINIMAL_RELATIONSHIPS, MINIMAL_STAKEHOLDERS, write_folder

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Bytes that break readers: line endings, separators, quotes, formulas, controls, bidi, BOMs, invalid
#: UTF-8, nesting, long numbers and cells, the spreadsheet habits of issue 11.
NASTY = [
    b"\r",
    b"\r\n",
    b"\n",
    b"\x00",
    b"\x1b",
    b",",
    b",,",
    b";",
    b'"',
    b"'",
    b"|",
    b"\t",
    b"=SUM(1)",
    b"+1 555",
    b"-",
    b"@",
    "\u202e".encode(),
    "\ufeff".encode(),
    "\ufffe".encode(),
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"[" * 3000,
    b"{" * 3000,
    b"9" * 5000,
    b"1e999",
    b"NaN",
    b"-1",
    b"0.1_5",
    b"20260101",
    b"null",
    b"true",
    b"<",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"&a;",
    b"x" * 140_000,
    b"person",
    b"community",
    b"trusts",
    b"2026-02-30",
    b"9:00am",
]

payloads = st.one_of(st.sampled_from(NASTY), st.binary(max_size=12), st.text(max_size=12).map(str.encode))
#: One edit: (where, as a fraction of the length; what; the payload)
edits = st.tuples(st.floats(0, 1), st.sampled_from(["insert", "replace", "delete", "truncate", "repeat"]), payloads)


def mutate(data: bytes, changes: list[tuple[float, str, bytes]]) -> bytes:
    for where, how, payload in changes:
        i = int(where * len(data))
        if how == "insert":
            data = data[:i] + payload + data[i:]
        elif how == "replace":
            data = data[:i] + payload + data[i + len(payload) :]
        elif how == "delete":
            data = data[:i] + data[i + 1 + len(payload) :]
        elif how == "truncate":
            data = data[:i]
        else:
            data = data[:i] + data[i : i + 40] * 3 + data[i:]
    return data


#: Any JSON value, nested a little.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def replace_somewhere(data, path: list[int], value):
    """``data`` with the value reached by following ``path`` (indices taken modulo) replaced by ``value``."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)]
    data[key] = replace_somewhere(data[key], path[1:], value)
    return data


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, Path]:
    """Small valid files of every format, made once: what the examples damage."""
    root = tmp_path_factory.mktemp("seeds")
    folder = write_folder(
        root / "folder", program='name = "Fuzz"\nexpected_needs = ["overdose"]\nas_of = "2026-06-01"\n'
    )
    runner = CliRunner()
    for name in ("export.xlsx", "export.gexf", "export.graphml", "export.json"):
        assert runner.invoke(cli, ["export", str(folder), str(root / name)]).exit_code == 0
    kumu = root / "kumu"
    kumu.mkdir()
    (kumu / "elements.csv").write_text(
        "Label,Type,Sector,Tags\nCrisis Team,Program,Mobile crisis,\nAna Ruiz,Person,peer,a|b\nClinic,Agency,,health\n",
        encoding="utf-8",
    )
    (kumu / "connections.csv").write_text(
        "From,To,Type,Direction,Strength\nCrisis Team,Clinic,Partnership,undirected,3\nAna Ruiz,Clinic,Member,,2\n",
        encoding="utf-8",
    )
    blueprint = {
        "elements": [{"label": "Team", "type": "Program"}, {"label": "Ana", "attributes": {"element type": "Person"}}],
        "connections": [{"from": "Ana", "to": "Team", "type": "Member", "strength": 2}],
        "program": 'name = "Fuzz"\n',
    }
    (root / "blueprint.json").write_text(json.dumps(blueprint), encoding="utf-8")
    (root / "mapping.toml").write_text(
        '[kinds]\n"Agency" = "organization"\n[sectors]\n"peer" = "lived_experience"\ndefault_kind = "person"\n',
        encoding="utf-8",
    )
    hsds = root / "hsds"
    hsds.mkdir()
    (hsds / "organizations.csv").write_text("id,name,description\no1,Harbor Clinic,Mental health\n", encoding="utf-8")
    (hsds / "services.csv").write_text(
        "id,organization_id,name,description,status\ns1,o1,Crisis line,24/7 crisis counseling,active\n",
        encoding="utf-8",
    )
    (hsds / "schedules.csv").write_text(
        "id,service_id,byday,opens_at,closes_at,freq\nh1,s1,MO,09:00,17:00,WEEKLY\n", encoding="utf-8"
    )
    (hsds / "datapackage.json").write_text(json.dumps({"name": "fuzz", "resources": []}), encoding="utf-8")
    survey = root / "survey.csv"
    lines = (DATA / "partner-survey.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    survey.write_text("".join(lines[:12]), encoding="utf-8")
    return {"root": root, "folder": folder, "kumu": kumu, "hsds": hsds, "survey": survey}


def check(args: list[str]) -> None:
    """The command ends with exit 0 or 2 and no traceback; a dataset that reads is also reported on."""
    result = CliRunner(env={"STAKEHOLDER_GRAPH_DEBUG": "1"}).invoke(cli, args)  # a bug raises, with its traceback
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # hypothesis shows the input and the traceback
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "Error: unexpected" not in result.output
    if result.exit_code == 0 and args[0] == "validate":
        check(["report", *args[1:], "--format", "json"])


def scratch(seeds: dict) -> Path:
    return Path(tempfile.mkdtemp(dir=seeds["root"]))


@FUZZ
@given(
    table=st.sampled_from(["stakeholders.csv", "relationships.csv"]), changes=st.lists(edits, min_size=1, max_size=3)
)
def test_dataset_folder(seeds, table, changes):
    folder = write_folder(scratch(seeds) / "d", MINIMAL_STAKEHOLDERS, MINIMAL_RELATIONSHIPS)
    (folder / table).write_bytes(mutate((folder / table).read_bytes(), changes))
    check(["validate", str(folder)])


@FUZZ
@given(changes=st.lists(edits, min_size=1, max_size=3))
def test_program_toml(seeds, changes):
    folder = write_folder(scratch(seeds) / "d", program="")
    text = (seeds["folder"] / "program.toml").read_bytes()
    (folder / "program.toml").write_bytes(mutate(text, changes))
    check(["validate", str(folder)])


@FUZZ
@given(
    file=st.sampled_from(["export.gexf", "export.graphml", "export.json", "blueprint.json", "survey.csv"]),
    changes=st.lists(edits, min_size=1, max_size=3),
)
def test_other_tools_files(seeds, file, changes):
    path = scratch(seeds) / file
    path.write_bytes(mutate((seeds["root"] / file).read_bytes(), changes))
    fmt = {"blueprint.json": "kumu", "survey.csv": "survey", "export.json": "json"}.get(file)
    check(["validate", str(path), *(["--source-format", fmt] if fmt else [])])


@FUZZ
@given(
    file=st.sampled_from(["export.json", "blueprint.json"]),
    path=st.lists(st.integers(0, 50), max_size=5),
    value=json_values,
)
def test_json_values_anywhere(seeds, file, path, value):
    data = replace_somewhere(json.loads((seeds["root"] / file).read_text(encoding="utf-8")), path, value)
    target = scratch(seeds) / file
    target.write_text(json.dumps(data), encoding="utf-8")
    check(["validate", str(target), "--source-format", "json" if file == "export.json" else "kumu"])


cells = st.one_of(
    st.none(),
    st.text(max_size=15),
    st.integers(-5, 10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.sampled_from(["Label", "From", "To", "Type", "ID", "Person", "Program", "=1+1", "Ana", "Team"]),
)


@FUZZ
@given(
    elements=st.lists(st.lists(cells, min_size=1, max_size=5), max_size=5),
    connections=st.lists(st.lists(cells, min_size=1, max_size=5), max_size=5),
    headers=st.booleans(),
)
def test_kumu_workbook(seeds, elements, connections, headers):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tests.test_kumu import make_workbook

    def clean(rows):
        return [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row] for row in rows]

    if headers:
        elements = [["Label", "Type", "Sector"], *elements]
        connections = [["From", "To", "Type", "Strength"], *connections]
    path = make_workbook(scratch(seeds) / "k.xlsx", clean(elements), clean(connections))
    check(["validate", str(path)])


@FUZZ
@given(changes=st.lists(edits, min_size=1, max_size=3), part=st.sampled_from(["xml", "zip"]))
def test_kumu_workbook_bytes(seeds, changes, part):
    import zipfile

    path = scratch(seeds) / "k.xlsx"
    if part == "zip":
        path.write_bytes(mutate((seeds["root"] / "export.xlsx").read_bytes(), changes))
    else:
        with zipfile.ZipFile(seeds["root"] / "export.xlsx") as source, zipfile.ZipFile(path, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                target.writestr(info, mutate(data, changes) if info.filename.startswith("xl/worksheets") else data)
    check(["validate", str(path)])


@FUZZ
@given(file=st.sampled_from(["elements.csv", "connections.csv"]), changes=st.lists(edits, min_size=1, max_size=3))
def test_kumu_csv_pair(seeds, file, changes):
    folder = scratch(seeds) / "kumu"
    folder.mkdir()
    for name in ("elements.csv", "connections.csv"):
        data = (seeds["kumu"] / name).read_bytes()
        (folder / name).write_bytes(mutate(data, changes) if name == file else data)
    check(["validate", str(folder)])


@FUZZ
@given(changes=st.lists(edits, min_size=1, max_size=3))
def test_mapping_toml(seeds, changes):
    mapping = scratch(seeds) / "mapping.toml"
    mapping.write_bytes(mutate((seeds["root"] / "mapping.toml").read_bytes(), changes))
    check(["validate", str(seeds["kumu"]), "--mapping", str(mapping)])


@FUZZ
@given(
    file=st.sampled_from(["organizations.csv", "services.csv", "schedules.csv", "datapackage.json"]),
    changes=st.lists(edits, min_size=1, max_size=3),
)
def test_hsds_folder(seeds, file, changes):
    folder = scratch(seeds) / "hsds"
    folder.mkdir()
    for source in seeds["hsds"].iterdir():
        data = source.read_bytes()
        (folder / source.name).write_bytes(mutate(data, changes) if source.name == file else data)
    check(["validate", str(folder), "--source-format", "hsds"])
