"""The column-at-a-time reader: on valid tables it builds exactly the graph the row-by-row reader builds
(the reference, which also lists the problems of invalid tables); on a table with a problem it gives way
to the row-by-row reader, so the problems are the same as before."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stakeholder_graph import dataset
from stakeholder_graph._escape import from_spreadsheet_cell
from stakeholder_graph.dataset import graph_tables, read_dataset, write_dataset
from stakeholder_graph.errors import DataError
from stakeholder_graph.synth import synthesize

FOLDERS = ["data/riverton", "data/riverton-2027", "tests/fixtures/borgatti", "tests/fixtures/florentine"]


def _tables(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    problems = []
    s = dataset._read_table(Path(folder) / "stakeholders.csv", "s", dataset._REQUIRED_STAKEHOLDER, problems)
    r = dataset._read_table(Path(folder) / "relationships.csv", "r", dataset._REQUIRED_RELATIONSHIP, problems)
    assert problems == []
    return s, r


def _same(a, b) -> None:
    (G, a_roles), (H, b_roles) = a, b
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    assert list(G.in_edges(keys=True, data=True)) == list(H.in_edges(keys=True, data=True))  # predecessors' order
    assert all(G._succ[u][v] is G._pred[v][u] for u, v in G.edges())  # one dict of keys a pair, as add_edge makes
    assert a_roles == b_roles


@pytest.mark.parametrize("folder", FOLDERS)
def test_columns_equal_rows_on_the_datasets(folder):
    s, r = _tables(folder)
    fast = dataset._valid_graph(s, r)
    assert fast is not None
    _same(fast, dataset._graph_by_rows(s, r, ("s", "r"), problems := []))
    assert problems == []


@pytest.mark.parametrize("n, per", [(600, None), (900, 6)])
def test_columns_equal_rows_on_synthetic_networks(tmp_path: Path, n, per):
    folder = write_dataset(synthesize(n, seed=1, relationships_per_stakeholder=per), tmp_path / "synthetic")
    s, r = _tables(folder)
    fast = dataset._valid_graph(s, r)
    assert fast is not None
    _same(fast, dataset._graph_by_rows(s, r, ("s", "r"), []))


def test_every_column_kind_and_no_role_cells(tmp_path: Path):
    G = read_dataset("data/riverton")
    s, r = graph_tables(G)
    s["decision_role"] = s["decision_role"].where(s.index % 5 != 0, "N/A")
    s.loc[s.index[:3], "lived_experience"] = ["yes", "substance_use|family", "0"]
    r["notes"] = r["notes"].where(r.index % 7 != 0, "  kept as written  ")
    fast = dataset._valid_graph(s, r)
    assert fast is not None and fast[1]  # the no-role cells are found
    _same(fast, dataset._graph_by_rows(s, r, ("s", "r"), []))
    first, second = (fast[0].nodes[n].get("needs") for n in list(fast[0])[:2])
    if first is not None and second is not None:
        assert first is not second


def _broken(change) -> tuple[pd.DataFrame, pd.DataFrame]:
    s, r = graph_tables(read_dataset("data/riverton"))
    change(s, r)
    return s, r


@pytest.mark.parametrize(
    "change",
    [
        lambda s, r: s.__setitem__("sector", s["sector"].where(s.index != 3, "nowhere")),
        lambda s, r: s.__setitem__("id", s["id"].where(s.index != 4, s["id"].iloc[0])),
        lambda s, r: s.__setitem__("id", s["id"].where(s.index != 4, "bad id")),
        lambda s, r: s.__setitem__("hours", s["hours"].where(s["hours"] == "", "sometimes")),
        lambda s, r: s.__setitem__("community", s["community"].where(s["community"] == "", s["id"].iloc[-1])),
        lambda s, r: r.__setitem__("trust", r["trust"].where(r.index != 5, "5")),
        lambda s, r: r.__setitem__("target", r["target"].where(r.index != 5, "nobody")),
        lambda s, r: r.__setitem__("target", r["target"].where(r.index != 5, r["source"])),
        lambda s, r: r.__setitem__("since", r["since"].where(r.index != 6, "2020-13-01")),
        lambda s, r: r.__setitem__("type", r["type"].where(r.index != 6, "likes")),
    ],
)
def test_a_problem_gives_way_to_the_row_by_row_reader(change):
    s, r = _broken(change)
    assert dataset._valid_graph(s, r) is None
    with pytest.raises(DataError) as raised:
        dataset.graph_from_tables(s, r)
    problems = []
    dataset._graph_by_rows(s, r, ("stakeholders.csv", "relationships.csv"), problems)
    assert raised.value.problems[: len(problems)] == problems and problems


def test_cells_are_cleaned_as_one_by_one(tmp_path: Path):
    (tmp_path / "t.csv").write_text(
        'id,name,kind,sector,notes\n  a ,"\'=1+1",person, , x \n"b","\'-x ",team,mobile_crisis,"\'\'+"\nc,short\n',
        encoding="utf-8",
    )
    problems = []
    frame = dataset._read_table(tmp_path / "t.csv", "t", ("id",), problems)
    raw = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False, header=None).iloc[1:]
    expected = [[from_spreadsheet_cell(c.strip()) if isinstance(c, str) else "" for c in row] for row in raw.values]
    assert frame.values.tolist() == expected


def test_cells_with_spaces_before_a_formula_quote(tmp_path: Path):
    (tmp_path / "t.csv").write_text("id,name\n a,\" '=x\"\nb,\u00a0'-y\u2003\n", encoding="utf-8")
    frame = dataset._read_table(tmp_path / "t.csv", "t", ("id",), [])
    assert frame.values.tolist() == [["a", "=x"], ["b", "-y"]]


def test_cells_with_newlines_at_their_edges_and_columns_of_empty_cells(tmp_path: Path):
    """The whole-column search first (cells joined by NUL): a newline at a cell's edge is still taken off,
    and a column of empty cells is read as it is."""
    (tmp_path / "t.csv").write_text('id,name,notes,empty\na,"x\n",,\nb,"\ny",,\nc,"two\nlines",,\n', encoding="utf-8")
    frame = dataset._read_table(tmp_path / "t.csv", "t", ("id",), [])
    assert frame.values.tolist() == [["a", "x", "", ""], ["b", "y", "", ""], ["c", "two\nlines", "", ""]]
