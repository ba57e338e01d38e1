"""Hostile and careless input, each probe of the red-team pass (issue 11): one located sentence and exit 2
(3 for a URI that cannot be a server), never a traceback; CSV cells a spreadsheet would run; HTML in
Markdown; standard output and devices; zip bombs; Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph._escape import from_spreadsheet_cell, spreadsheet_cell
from stakeholder_graph._files import atomic_write_text
from stakeholder_graph.cli import cli
from stakeholder_graph.dataset import read_dataset
from tests.conftest import MINIMAL_RELATIONSHIPS, MINIMAL_STAKEHOLDERS, write_folder

COMMAND = [sys.executable, "-m", "stakeholder_graph"]


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def refused(*args: str, code: int = 2) -> list[str]:
    """Run a command that must fail cleanly; its stderr lines."""
    result = run(*args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, (SystemExit, type(None)))
    return result.stderr.splitlines()


def node_link(tmp_path: Path, minimal: Path, change) -> Path:
    """A node-link JSON export of the minimal dataset, changed by ``change(data)``."""
    path = tmp_path / "export.json"
    assert run("export", minimal, path).exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------ item 6: no traceback


def test_cr_only_line_endings_are_read(tmp_path: Path):
    folder = write_folder(tmp_path / "cr", MINIMAL_STAKEHOLDERS.replace("\n", "\r"), MINIMAL_RELATIONSHIPS)
    assert read_dataset(folder).number_of_nodes() == 8


def test_stray_cr_in_the_header_is_located(tmp_path: Path):
    folder = write_folder(tmp_path / "cr", MINIMAL_STAKEHOLDERS.replace("name,kind", "name\r,kind", 1))
    lines = refused("validate", folder)
    assert lines[0].startswith(f"{folder / 'stakeholders.csv'}:1:kind: required column is missing")


def test_a_header_cell_over_the_csv_limit_is_located(tmp_path: Path):
    folder = write_folder(tmp_path / "long", MINIMAL_STAKEHOLDERS.replace("date\n", "date," + "x" * 140_000 + "\n", 1))
    assert refused("validate", folder)[0] == (
        f"{folder / 'stakeholders.csv'}:1: the header row cannot be read: a cell is over 131,072 characters"
    )


@pytest.mark.parametrize("where", ["program.toml", "mapping"])
def test_deeply_nested_toml(tmp_path: Path, minimal: Path, where: str):
    deep = "x = " + "[" * 3000 + "]" * 3000 + "\n"
    if where == "program.toml":
        (minimal / "program.toml").write_text(deep, encoding="utf-8")
        assert (
            refused("validate", minimal)[0]
            == f"{minimal / 'program.toml'}: is not valid TOML: it is nested too deeply to read"
        )
    else:
        mapping = tmp_path / "mapping.toml"
        mapping.write_text(deep, encoding="utf-8")
        workbook = tmp_path / "x.xlsx"
        assert run("export", minimal, workbook).exit_code == 0
        assert refused("validate", workbook, "--mapping", mapping)[0] == (
            f"{mapping}: is not a valid TOML file: it is nested too deeply"
        )


@pytest.mark.parametrize("kind", ["node-link", "blueprint", "datapackage"])
def test_deeply_nested_json(tmp_path: Path, kind: str):
    deep = "[" * 100_000 + "]" * 100_000
    if kind == "node-link":
        path = tmp_path / "deep.json"
        path.write_text('{"nodes": ' + deep + ', "links": []}', encoding="utf-8")
        args = ["validate", path, "--source-format", "json"]
    elif kind == "blueprint":
        path = tmp_path / "deep.json"
        path.write_text('{"elements": ' + deep + "}", encoding="utf-8")
        args = ["validate", path, "--source-format", "kumu"]
    else:
        path = tmp_path / "hsds"
        path.mkdir()
        (path / "datapackage.json").write_text('{"resources": ' + deep + "}", encoding="utf-8")
        (path / "organizations.csv").write_text("id,name\n1,Clinic\n", encoding="utf-8")
        (path / "services.csv").write_text("id,organization_id,name\n2,1,Hotline\n", encoding="utf-8")
        args = ["validate", path]
    assert refused(*args)[0] == f"{path}: cannot be read: it is nested too deeply"


def test_a_number_of_5000_digits(tmp_path: Path, minimal: Path):
    path = tmp_path / "export.json"
    assert run("export", minimal, path).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace('"Ann Lee"', "9" * 5000), encoding="utf-8")
    assert refused("validate", path, "--source-format", "json")[0] == (
        f"{path}: cannot be read: it holds a number of more than 4,300 digits"
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("program", 5, "[program]: program settings must be a table of names and values"),
        ("program", [1], "[program]: program settings must be a table of names and values"),
        ("survey", "{bad", "[survey]: is not valid JSON"),
        ("survey", {"invited": "x"}, "[survey]: must hold invited, responded, response_rate and non_respondents"),
    ],
)
def test_graph_attributes_of_the_wrong_type(tmp_path: Path, minimal: Path, key, value, message):
    path = node_link(tmp_path, minimal, lambda data: data["graph"].update({key: value}))
    assert refused("validate", path)[0].startswith(f"{path}{message}")


def test_graphml_program_is_validated(tmp_path: Path, minimal: Path):
    path = tmp_path / "x.graphml"
    assert run("export", minimal, path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert '"as_of": null' in text
    path.write_text(text.replace('"as_of": null', "&quot;as_of&quot;: &quot;garbage&quot;"), encoding="utf-8")
    assert refused("validate", path) == [
        f"{path}[program]: as_of: must be a date written YYYY-MM-DD",
        "1 problem found.",
    ]


def test_kumu_connections_that_are_not_a_list(tmp_path: Path):
    path = tmp_path / "blueprint.json"
    path.write_text(json.dumps({"elements": [{"label": "A"}], "connections": 5}), encoding="utf-8")
    assert f"{path}:connections: must be a list of objects" in refused("validate", path)


def test_negative_seed(tmp_path: Path):
    lines = refused("synth", "--stakeholders", "300", "--seed", "-1", tmp_path / "s")
    assert "'--seed': -1 is not in the range x>=0" in lines[-1]


def test_an_unexpected_error_is_one_sentence_not_a_traceback(monkeypatch, minimal: Path):
    monkeypatch.setattr("stakeholder_graph.summary.summarize", lambda G: {}["boom"])
    result = run("summary", minimal)
    assert result.exit_code == 1 and result.stderr.startswith("Error: unexpected KeyError: 'boom'. This is a bug")
    monkeypatch.setenv("STAKEHOLDER_GRAPH_DEBUG", "1")
    assert isinstance(run("summary", minimal).exception, KeyError)  # the traceback, for whoever fixes it


# ------------------------------------------------------------------------- item 7: program settings


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("expected_sectors", ["astrology"], "expected_sectors: unknown value(s) astrology; allowed: law_enforcement"),
        ("engagement_max_age_days", -5, "engagement_max_age_days: must be a whole number of days, 1 or more"),
        ("expected_needs", ["pizza"], "expected_needs: unknown value(s) pizza; allowed: mental_health_crisis"),
        ("as_of", "20260101", "as_of: must be a date written YYYY-MM-DD"),
        ("colour", "red", "colour: unknown key; known keys are"),
    ],
)
def test_program_settings_in_json_are_validated_as_program_toml(tmp_path: Path, minimal, setting, value, message):
    path = node_link(tmp_path, minimal, lambda data: data["graph"]["program"].update({setting: value}))
    lines = refused("report", path)
    assert lines[0].startswith(f"{path}[program]: {message}") and "--need" not in lines[0]
    (minimal / "program.toml").write_text(f"{setting} = {json.dumps(value)}\n", encoding="utf-8")
    assert refused("validate", minimal)[0].startswith(f"{minimal / 'program.toml'}: {message}")


def test_library_errors_name_parameters_and_the_cli_names_its_options(minimal: Path):
    from stakeholder_graph.errors import DataError
    from stakeholder_graph.referrals import referral_paths

    with pytest.raises(DataError) as info:
        referral_paths(read_dataset(minimal), "pizza")
    assert str(info.value).startswith("need: unknown need 'pizza'")
    assert refused("paths", minimal, "--need", "overdose", "--open-at", "25:99")[0].startswith("--open-at: ")


# ------------------------------------------------------------------------ item 8: formula injection


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+1 555 0100", "-Ana-", "@SUM(A1)", "\tx", "\rx", "'=1", "''+2", " =3", "plain", ""],
)
def test_spreadsheet_cells_round_trip(text: str):
    cell = spreadsheet_cell(text)
    assert not cell.lstrip(" '").startswith(("=", "+", "-", "@", "\t", "\r")) or cell.startswith("'")
    assert from_spreadsheet_cell(cell) == text


def _csv(rows: list[list[str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


HOSTILE_CELLS = {"p-1": "-Ana-", "org-1": '=HYPERLINK("http://evil.example","x")', "svc-1": "@SUM(1+1)"}


def _hostile_folder(folder: Path) -> Path:
    """The minimal dataset with names a spreadsheet would run and a phone column starting with +."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(MINIMAL_STAKEHOLDERS)))
    rows[0].append("phone")
    for row in rows[1:]:
        row[1] = HOSTILE_CELLS.get(row[0], row[1])
        row.append("+1 555 0100")
    return write_folder(folder, _csv(rows))


def test_dataset_csv_neutralises_formulas_and_reads_them_back(tmp_path: Path):
    G = read_dataset(_hostile_folder(tmp_path / "in"))
    assert G.nodes["p-1"]["name"] == "-Ana-" and G.nodes["org-1"]["phone"] == "+1 555 0100"
    assert run("export", tmp_path / "in", tmp_path / "out").exit_code == 0
    written = (tmp_path / "out" / "stakeholders.csv").read_text(encoding="utf-8")
    assert "'-Ana-" in written and "'+1 555 0100" in written and "'@SUM(1+1)" in written
    assert '"\'=HYPERLINK(""http://evil.example"",""x"")"' in written
    H = read_dataset(tmp_path / "out")
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))


def test_merge_writes_through_the_same_cells(tmp_path: Path):
    directory = tmp_path / "hsds"
    directory.mkdir()
    (directory / "organizations.csv").write_text(
        _csv([["id", "name", "description"], ["o1", "=cmd|' /C calc'!A0", "Food pantry"]]), encoding="utf-8"
    )
    (directory / "services.csv").write_text(
        _csv([["id", "organization_id", "name", "description"], ["s1", "o1", "+Meals", "Hot meals"]]), encoding="utf-8"
    )
    result = run("merge", _hostile_folder(tmp_path / "in"), directory, tmp_path / "out")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out" / "stakeholders.csv").read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in written and "'+Meals" in written
    names = {a["name"] for _, a in read_dataset(tmp_path / "out").nodes(data=True)}
    assert {"=cmd|' /C calc'!A0", "+Meals", "-Ana-"} <= names


def test_query_csv_neutralises_formulas(monkeypatch):
    import stakeholder_graph.neo4j_store.queries as queries

    class Driver:
        def close(self):
            pass

    monkeypatch.setattr("stakeholder_graph.cli.database._connect", lambda uri, user: Driver())
    rows = [{"name": "=cmd|' /C calc'!A0", "phone": "+1 555", "n": -3, "tags": ["@x", "y"]}]
    monkeypatch.setattr(queries, "run_query", lambda *a, **k: (["name", "phone", "n", "tags"], rows))
    result = run("query", "stakeholders-by-sector", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "'=cmd|' /C calc'!A0,'+1 555,-3,'@x|y"


# ----------------------------------------------------------------------------- item 9: Markdown


@pytest.mark.parametrize(
    "hostile",
    [
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        '<iframe srcdoc="<script>alert(1)</script>">',
        "[click](javascript:alert(1))",
        "a | b ** c",
    ],
)
def test_markdown_outputs_escape_html(tmp_path: Path, hostile: str):
    from markdown_it import MarkdownIt

    render = MarkdownIt("commonmark").enable("table").render  # raw HTML on, as CommonMark renders it
    quoted = '"' + hostile.replace('"', '""') + '"'
    stakeholders = (
        MINIMAL_STAKEHOLDERS.replace("Bo Park", quoted).replace("Clinic", quoted).replace("Westfield", quoted)
    )
    old = write_folder(tmp_path / "old", stakeholders)
    new = write_folder(
        tmp_path / "new",
        stakeholders.replace("p-2,", "p-3,").replace("\np-1", "\np-1"),
        MINIMAL_RELATIONSHIPS.replace("p-2", "p-3"),
    )
    for args in (
        ["report", old, "--format", "markdown"],
        ["compare", old, new, "--format", "markdown"],
        ["plan", old, "--format", "markdown"],
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
        page = render(result.stdout)
        for tag in ("<img", "<svg", "<iframe", "<script", 'href="javascript'):
            assert tag not in page
        assert hostile.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")[:12] in page


def test_text_output_shows_direction_overrides(tmp_path: Path):
    folder = write_folder(tmp_path / "bidi", MINIMAL_STAKEHOLDERS.replace("Bo Park", "Bo \u202eevil\u202c Park"))
    for args in (["bridges", folder], ["report", folder], ["summary", folder, "--format", "text"], ["gaps", folder]):
        result = run(*args)
        assert result.exit_code == 0 and "\u202e" not in result.stdout
    assert "Bo <U+202E>evil<U+202C> Park" in run("bridges", folder).stdout
    rows = json.loads(run("bridges", folder, "--format", "json").stdout)["bridges"]
    assert next(b["name"] for b in rows if b["id"] == "p-2") == "Bo \u202eevil\u202c Park"  # data stays data


# ---------------------------------------------------------------------- item 10: stdout and devices


def test_stdout_on_a_full_disk_is_exit_2_with_a_sentence(minimal: Path):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*COMMAND, "report", str(minimal), "--format", "html"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 2 and done.stderr == "Error: No space left on device: standard output\n"


def test_a_closed_pipe_is_quiet(minimal: Path):
    process = subprocess.Popen(
        [*COMMAND, "report", str(minimal), "--format", "html"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.read(10)
    process.stdout.close()
    assert process.wait() == 2 and process.stderr.read() == b""


def test_devices_are_written_not_replaced(tmp_path: Path, minimal: Path):
    for args in (["report", minimal, "-o", "/dev/full"], ["export", minimal, "/dev/full", "--format", "json"]):
        assert refused(*args) == ["Error: No space left on device: /dev/full"]
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert run("report", minimal, "-o", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_named_pipe_is_written_through(tmp_path: Path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    atomic_write_text(fifo, "through the pipe\n")
    assert reader.communicate(timeout=10)[0] == b"through the pipe\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_to_standard_output(minimal: Path):
    result = run("export", minimal, "-", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["nodes"]
    assert refused("export", minimal, "-") == [
        "OUT: a dataset folder cannot go to standard output: name a folder",
        "1 problem found.",
    ]


# ------------------------------------------------------------------------------ item 11: zip bombs


def test_a_workbook_that_unpacks_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch):
    from stakeholder_graph.formats import kumu

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w") as part:  # 600 MB of zeros, under 1 MB on disk
            chunk = b"0" * (1 << 20)
            for _ in range(600):
                part.write(chunk)
    assert bomb.stat().st_size < 1_000_000
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("the workbook was read"))
    (line,) = refused("validate", bomb)[:-1]
    assert line.startswith(
        f"{bomb}: unpacks to 629,145,608 bytes in 2 parts, over the limit of {kumu.MAX_WORKBOOK_UNPACKED:,}"
    )


def test_a_cell_over_excels_limit_is_refused(tmp_path: Path):
    from tests.test_kumu import CONNECTIONS, ELEMENTS, make_workbook

    elements = [list(row) for row in ELEMENTS]
    elements[2][2] = "LONGCELL"
    written = make_workbook(tmp_path / "written.xlsx", elements, CONNECTIONS)
    path = tmp_path / "long.xlsx"  # openpyxl cuts long cells when it writes: put one in by hand
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for part in source.infolist():
            target.writestr(part, source.read(part).replace(b"LONGCELL", b"x" * 40_000))
    assert refused("validate", path)[0] == f"{path}[Elements]:C3: holds 40,000 characters, over Excel's limit of 32,767"


# ------------------------------------------------------------------------------ item 12: the smaller ones


def test_trailing_comma_in_the_header_is_ignored_and_a_value_under_it_located(tmp_path: Path):
    trailing = MINIMAL_STAKEHOLDERS.replace("\n", ",\n")
    assert read_dataset(write_folder(tmp_path / "ok", trailing)).number_of_nodes() == 8
    lines = trailing.splitlines()
    lines[4] += "oops"  # row 5, under the unnamed 14th column
    folder = write_folder(tmp_path / "stray", "\n".join(lines) + "\n")
    assert refused("validate", folder) == [
        f"{folder / 'stakeholders.csv'}:5: column 14 has no name in the header: name it or delete it",
        "1 problem found.",
    ]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\ufffe"])
def test_control_characters_in_names_are_located(tmp_path: Path, character: str):
    folder = write_folder(tmp_path / "ctl", MINIMAL_STAKEHOLDERS.replace("Bo Park", f"Bo{character}Park"))
    assert refused("validate", folder)[0] == (
        f"{folder / 'stakeholders.csv'}:6:name: holds the control character U+{ord(character):04X}, "
        "which exports cannot hold: delete it"
    )


def test_population_share_with_an_underscore(tmp_path: Path):
    folder = write_folder(tmp_path / "share", MINIMAL_STAKEHOLDERS.replace("0.4", "0.1_5"))
    assert refused("validate", folder)[0] == (
        f"{folder / 'stakeholders.csv'}:3:population_share: '0.1_5' is not a share between 0 and 1 (write 0.15 for 15%)"
    )


def test_as_of_without_dashes(minimal: Path):
    (minimal / "program.toml").write_text('as_of = "20260101"\n', encoding="utf-8")
    assert refused("validate", minimal)[0] == f"{minimal / 'program.toml'}: as_of: must be a date written YYYY-MM-DD"


def test_node_link_id_null(tmp_path: Path, minimal: Path):
    path = node_link(tmp_path, minimal, lambda data: data["nodes"][0].update({"id": None}))
    assert refused("validate", path) == [
        f"{path}:nodes[0]: must be an object with an id (text or a number)",
        "1 problem found.",
    ]


# ----------------------------------------------------------------------------------------- Ctrl-C


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path, minimal: Path):
    """A real SIGINT while a report is being made: "Interrupted.", exit 130, no file and no temporary file."""
    out = tmp_path / "out"
    out.mkdir()
    code = (
        "import sys, time\n"
        "from stakeholder_graph import cli, report\n"
        "def slow(*args, **kwargs):\n"
        "    print('ready', file=sys.stderr, flush=True)\n"
        "    time.sleep(60)\n"
        "report.build_report = slow\n"
        "cli.main()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, "report", str(minimal), "-o", str(out / "r.html"), "--format", "html"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr.readline() == "ready\n"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130
    assert process.stderr.read().strip() == "Interrupted."
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", ["export", "synth"])
def test_ctrl_c_while_writing_leaves_nothing_behind(tmp_path: Path, minimal: Path, monkeypatch, command: str):
    import stakeholder_graph.dataset as dataset

    def interrupted(program):
        raise KeyboardInterrupt  # after both CSV files were written to the staging folder

    monkeypatch.setattr(dataset, "program_to_toml", interrupted)
    args = (
        ["export", minimal, tmp_path / "out"]
        if command == "export"
        else ["synth", "--stakeholders", "300", tmp_path / "out"]
    )
    result = run(*args)
    assert result.exit_code == 130 and result.stderr.strip() == "Interrupted."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal"]
