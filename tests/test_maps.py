"""Interactive maps: the page's data and safety offline, and the maps themselves in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from stakeholder_graph import maps
from stakeholder_graph.cli import cli
from stakeholder_graph.errors import DataError
from stakeholder_graph.maps import SECTOR_COLORS, Atlas, build_map, layout_positions, map_view, write_map
from stakeholder_graph.report import build_report, render
from stakeholder_graph.sources import open_source
from stakeholder_graph.synth import synthesize
from stakeholder_graph.vocab import SECTORS
from tests._browser import accessibility_violations, open_page, requires_browser, wait_for_maps
from tests.conftest import DATA, MINIMAL_RELATIONSHIPS, MINIMAL_STAKEHOLDERS, write_folder

RIVERTON = DATA / "riverton"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_FLAG = "<img src=x onerror=window.__xss=1>"
HOSTILE_SCRIPT = "</script><script>window.__xss=2</script>"
HOSTILE_QUOTE = '"><svg onload=window.__xss=3>'
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The minimal dataset with hostile names, notes and tags (a person, an organization, a community)."""
    rows = _rows(MINIMAL_STAKEHOLDERS)
    for row in rows:
        row["tags"] = ""
        row["notes"] = ""
    named = {"p-1": HOSTILE, "org-1": HOSTILE_FLAG, "com-n": HOSTILE_QUOTE}
    for row in rows:
        if row["id"] in named:
            row["name"] = named[row["id"]]
            row["notes"] = HOSTILE_SCRIPT
            row["tags"] = HOSTILE_QUOTE + "|<b>bold</b>"
    return write_folder(tmp_path / "hostile", _csv(rows), MINIMAL_RELATIONSHIPS)


@pytest.fixture(scope="module")
def riverton():
    if not RIVERTON.exists():
        pytest.skip("data/riverton is not there")
    return open_source(RIVERTON)


@pytest.fixture(scope="module")
def riverton_map(riverton, tmp_path_factory) -> Path:
    return write_map(build_map(riverton), tmp_path_factory.mktemp("maps") / "riverton.html")


# ------------------------------------------------------------------------------------------ offline


def test_palette_is_fixed_and_follows_the_vocabulary():
    assert list(SECTOR_COLORS) == list(SECTORS)
    assert len(set(SECTOR_COLORS.values())) == len(SECTORS)
    assert SECTOR_COLORS["law_enforcement"] == "#0072B2"  # Okabe-Ito blue
    assert SECTOR_COLORS["faith_based"] == "#DDCC77"  # Tol muted sand
    G = synthesize(60, seed=1)
    legend = Atlas(G).data()["colors"]
    present = [c["value"] for c in legend if c["value"] is not None]
    assert present == [s for s in SECTORS if s in present]  # vocabulary order, whatever the node order
    assert all(c["color"] == SECTOR_COLORS[c["value"]] for c in legend if c["value"] is not None)
    reversed_graph = nx.MultiDiGraph()
    reversed_graph.add_nodes_from(reversed(list(G.nodes(data=True))))
    reversed_graph.add_edges_from(G.edges(keys=True, data=True))
    reversed_graph.graph.update(G.graph)
    assert [c["color"] for c in Atlas(reversed_graph).data()["colors"]] == [c["color"] for c in legend]


def test_page_is_self_contained(minimal: Path):
    page = build_map(open_source(minimal))
    assert not EXTERNAL.search(page), EXTERNAL.search(page).group(0)
    assert "@import" not in page and "url(http" not in page
    assert page.count("* vis-network") == 1  # the library inlined once
    assert 'createElement("style")' not in maps.vis_network_js()  # no CSS injected: works under a strict CSP too
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "bootstrap" not in page.lower()


def _graph_in_page(page: str) -> dict:
    """The graph's data a page carries, as Atlas.data() gives it (the page's compact form undone)."""
    data = json.loads(
        re.search(r'<script type="application/json" id="sg-graph-[0-9a-f]+">(.*?)</script>', page, re.S).group(1)
    )
    strings, columns = data.pop("strings"), data["nodes"]
    assert data.pop("packed") == 1
    text = lambda i: None if i < 0 else strings[i]  # noqa: E731
    data["nodes"] = [
        {
            **{field: columns[field][i] for field in columns},
            "kind": text(columns["kind"][i]),
            "sector": text(columns["sector"][i]),
            "info": _rows_of(columns["info"][i], strings),
        }
        for i in range(len(columns["id"]))
    ]
    data["edges"] = [[*e[:5], "\n".join(strings[x] for x in e[5])] for e in data["edges"]]
    return data


def _rows_of(flat: list[int], strings: list[str]) -> list[list[str]]:
    rows, k = [], 0
    while k < len(flat):
        label, count = strings[flat[k]], flat[k + 1]
        rows.append([label, ", ".join(strings[x] for x in flat[k + 2 : k + 2 + count])])
        k += 2 + count
    return rows


def test_the_page_carries_the_graphs_data_compactly_and_whole(riverton):
    atlas = Atlas(riverton)
    page = atlas.fragment()
    assert _graph_in_page(page) == json.loads(json.dumps(atlas.data()))
    objects = len(json.dumps(atlas.data(), separators=(",", ":"), ensure_ascii=False))
    assert len(re.search(r'id="sg-graph-[0-9a-f]+">(.*?)</script>', page, re.S).group(1)) < 0.7 * objects


def test_every_user_string_is_escaped(hostile: Path):
    page = build_map(open_source(hostile), title=HOSTILE)
    data_and_markup = page.replace(maps.vis_network_js(), "").replace(maps.runtime_js(), "")
    assert data_and_markup.count("<script>") == 2  # vis-network and the maps' script; the data are JSON blocks
    for raw in ("<img", "<svg", "<b>", "</script><script>"):
        assert raw not in data_and_markup
    data = _graph_in_page(page)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["p-1"] == HOSTILE and labels["org-1"] == HOSTILE_FLAG and labels["com-n"] == HOSTILE_QUOTE
    assert f"<title>{HOSTILE.replace('<', '&lt;').replace('>', '&gt;')}</title>" in page


def test_anonymize_removes_every_person_name(riverton):
    page = build_map(riverton, anonymize=True)
    people = [a["name"] for _, a in riverton.nodes(data=True) if a.get("kind") == "person"]
    assert people
    leaked = [name for name in people if name in page or json.dumps(name)[1:-1] in page]
    assert leaked == []
    assert "Riverton Police Department" in page  # organizations keep their names
    assert "Person " in page
    again = build_map(riverton, anonymize=True)
    assert re.findall(r"Person [0-9A-F]{6}", page) == re.findall(r"Person [0-9A-F]{6}", again)  # stable


def test_anonymized_focus_takes_the_original_id(riverton):
    view = Atlas(riverton, anonymize=True).view(focus="p-luis-ferreira")
    assert view["mode"] == "focus" and view["counts"]["nodes"] > 1


def test_focus_view_is_the_ego_network(riverton):
    view = map_view(riverton, focus="p-luis-ferreira", depth=1)
    expected = set(nx.ego_graph(riverton.to_undirected(as_view=True), "p-luis-ferreira", radius=1))
    assert set(view["nodes"]) == expected
    assert all(u in expected and v in expected for u, v, _ in view["edges"])
    assert len(view["edges"]) == riverton.subgraph(expected).number_of_edges()
    deeper = map_view(riverton, focus="p-luis-ferreira", depth=2)
    assert set(deeper["nodes"]) > expected


def test_need_view_highlights_paths_over_the_whole_network(riverton):
    view = map_view(riverton, need="transportation")
    assert len(view["nodes"]) == riverton.number_of_nodes()
    assert view["view_marks"] == {"svc-medical-rides": ["unreachable"], "svc-transit-access-rides": ["unreachable"]}
    assert {"org-riverlink-transit", "org-medical-rides", "team-rcr"} <= set(view["highlight_nodes"])
    overdose = map_view(riverton, need="overdose")
    assert "team-rcr" in overdose["highlight_nodes"]
    assert any(kind == "refers_to" or kind == "partners_with" for _, _, kind in overdose["highlight_edges"])
    assert all(m == ["reachable"] for m in overdose["view_marks"].values())


def test_community_view_has_residents_trusted_ties_and_messengers(riverton):
    view = map_view(riverton, community="com-northgate", bridge_rows=maps._bridges(riverton))
    assert "com-northgate" in view["nodes"] and "p-keisha-morgan" in view["nodes"] and "team-rcr" in view["nodes"]
    assert "p-marcus-greene" in view["nodes"]  # a Northgate resident
    assert "com-eastbank" not in view["nodes"]
    assert "and 1 credible messenger " in view["caption"]  # Keisha Morgan, as in the report


def test_map_counts_equal_the_reports(riverton):
    """The map marks as credible messengers exactly the people the report lists, by their residents' trust."""
    from stakeholder_graph.report import build_report

    report = build_report(riverton)
    listed = {p["id"] for entry in report["messengers"] for p in entry["messengers"]}
    marks = {n["id"]: set(n["marks"]) for n in Atlas(riverton).data()["nodes"]}
    assert {n for n, m in marks.items() if "messenger" in m} == listed == {"p-keisha-morgan"}
    for entry in report["messengers"]:
        view = map_view(riverton, community=entry["community"], bridge_rows=maps._bridges(riverton))
        n = len(entry["messengers"])
        assert f"and {n} credible messenger{'s' if n != 1 else ''} " in view["caption"]
    # Luis Ferreira links Eastbank (a broker, the single point of failure), but is not its messenger
    assert "messenger" not in marks["p-luis-ferreira"] and "spof" in marks["p-luis-ferreira"]
    tips = {n["id"]: dict(n["info"]) for n in Atlas(riverton).data()["nodes"]}
    assert "credible messenger" not in tips["p-luis-ferreira"]["scores"]
    assert "credible messenger of Northgate (trusted by 10 of its 19 residents)" in tips["p-keisha-morgan"]["scores"]
    legend = {m["key"]: m["label"] for m in Atlas(riverton).data()["marks"]}
    assert legend["messenger"].startswith("credible messenger (trusted by") and legend["broker"].startswith("broker")


@pytest.mark.parametrize(
    "kwargs, option",
    [
        ({"focus": "nobody"}, "focus"),
        ({"community": "org-rpd"}, "community"),
        ({"need": "teleportation"}, "need"),
        ({"focus": "team-rcr", "need": "overdose"}, "need"),
    ],
)
def test_bad_views_are_data_errors(riverton, kwargs, option):
    with pytest.raises(DataError) as caught:
        map_view(riverton, **kwargs)
    assert caught.value.problems[0].file == option


def test_marks_point_at_the_planted_problems(riverton):
    data = Atlas(riverton).data()
    marks = {n["id"]: set(n["marks"]) for n in data["nodes"]}
    assert "spof" in marks["p-luis-ferreira"] and "spof" in marks["p-keisha-morgan"]
    assert "messenger" in marks["p-keisha-morgan"]
    for node in (
        "com-eastbank",
        "com-northgate",
        "org-riverton-tenants-union",
        "org-first-methodist",
        "svc-dv-hotline",
        "svc-night-shelter",
        "svc-medical-rides",
        "eng-2024-town-hall",
        "p-linda-park",
    ):
        assert "gap" in marks[node], node
    assert data["missing"] == [{"label": "faith based", "count": 14}]


def test_aggregation_threshold(monkeypatch):
    G = synthesize(400, seed=2)
    nodes = list(G)
    assert maps._aggregate_mode(G, nodes, None) == "none"
    assert maps._aggregate_mode(G, nodes, "sector") == "sector"
    monkeypatch.setattr(maps, "AGGREGATE_THRESHOLD", 100)
    assert maps._aggregate_mode(G, nodes, None) == "organization"  # 400 folded into its organizations fits
    monkeypatch.setattr(maps, "ORGANIZATION_FOLD_MAX", 50)
    assert maps._aggregate_mode(G, nodes, "auto") == "sector"
    assert maps._aggregate_mode(G, nodes, "none") == "none"
    with pytest.raises(DataError):
        maps._aggregate_mode(G, nodes, "galaxy")


def test_aggregated_view_covers_every_stakeholder_once():
    G = synthesize(300, seed=3)
    atlas = Atlas(G)
    for mode in ("organization", "sector"):
        view = atlas.view(aggregate=mode)
        members = [i for c in view["clusters"] for i in c["members"]]
        assert len(members) == len(set(members))
        assert view["counts"] == {"nodes": 300, "edges": G.number_of_edges()}
        assert len(view["pos"]) == 300


def _discs(view: dict) -> list[tuple[float, float, float]]:
    """Each cluster's disc (centre, radius out to its farthest member) and each stakeholder drawn on its own."""
    pos = view["pos"]
    folded = {i for c in view["clusters"] for i in c["members"]}
    discs = []
    for c in view["clusters"]:
        radius = max(math.dist((c["x"], c["y"]), pos[i]) for i in c["members"])
        discs.append((c["x"], c["y"], max(radius, c["size"])))
    discs += [(x, y, 1.0) for i, (x, y) in enumerate(pos) if i not in folded]
    return discs


@pytest.mark.parametrize("mode", ["organization", "sector"])
def test_aggregated_layout_places_every_stakeholder_and_no_cluster_overlaps_another(mode):
    G = synthesize(600, seed=5)
    view = Atlas(G).view(aggregate=mode)
    assert len(view["pos"]) == 600 and all(math.isfinite(x) and math.isfinite(y) for x, y in view["pos"])
    assert len({tuple(p) for p in view["pos"]}) == 600  # no two stakeholders on the same spot
    for c in view["clusters"]:  # the members around their cluster (where they appear when it opens)
        assert all(
            math.dist((c["x"], c["y"]), view["pos"][i]) < 40 + 15 * math.sqrt(len(c["members"])) for i in c["members"]
        )
    discs = _discs(view)
    for a in range(len(discs)):
        for b in range(a + 1, len(discs)):
            (xa, ya, ra), (xb, yb, rb) = discs[a], discs[b]
            assert math.dist((xa, ya), (xb, yb)) >= ra + rb, (discs[a], discs[b])


def test_aggregated_layout_is_deterministic_across_processes(tmp_path: Path):
    script = (
        "import json, sys; from stakeholder_graph.maps import Atlas; from stakeholder_graph.synth import synthesize\n"
        "v = Atlas(synthesize(400, seed=7)).view(aggregate=sys.argv[1])\n"
        "print(json.dumps([v['pos'], [(c['key'], c['x'], c['y']) for c in v['clusters']]]))"
    )
    for mode in ("organization", "sector"):
        outs = {
            subprocess.run(
                [sys.executable, "-c", script, mode],
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for seed in ("1", "2")
        }
        assert len(outs) == 1, mode


def test_separate_moves_discs_apart_and_keeps_them_near():
    import numpy as np

    from stakeholder_graph.maps.layout import _separate

    rng = np.random.default_rng(0)
    centres, radii = rng.normal(0, 50, (80, 2)), rng.uniform(5, 120, 80)
    centres[3] = centres[4]  # two on the same spot
    placed = _separate(centres, radii, gap=10.0)
    assert (placed == _separate(centres, radii, gap=10.0)).all()
    d = np.sqrt(((placed[:, None] - placed[None]) ** 2).sum(-1))
    need = radii[:, None] + radii[None, :] + 10.0 - 1e-6
    assert (d[~np.eye(80, dtype=bool)] >= need[~np.eye(80, dtype=bool)]).all()
    apart = _separate([[0, 0], [1000, 0]], [10, 10])  # already apart: left alone
    assert apart.tolist() == [[0, 0], [1000, 0]]


def test_layout_is_deterministic_and_finite():
    G = synthesize(120, seed=4)
    first, second = layout_positions(G), layout_positions(G)
    assert first == second and set(first) == set(G)
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in first.values())
    assert len({p for p in first.values()}) == len(first)


def test_given_positions_are_used(minimal: Path):
    G = open_source(minimal)
    layout = {n: (i * 10.0, -i * 10.0) for i, n in enumerate(G)}
    view = Atlas(G).view(layout=layout)
    assert view["pos"] == [[i * 10.0, -i * 10.0] for i in range(len(layout))] and view["physics"] is False
    assert Atlas(G).view(layout="physics")["physics"] is True


def test_cli_map(tmp_path: Path, minimal: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["map", str(minimal), "-o", "m.html", "--size-by", "trust"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (tmp_path / "lib").exists()
    bad = runner.invoke(cli, ["map", str(minimal), "-o", "x.html", "--focus", "p-99"])
    assert bad.exit_code == 2 and "--focus: no stakeholder has the id 'p-99'" in bad.stderr
    bad = runner.invoke(cli, ["map", str(minimal), "-o", "x.html", "--community", "com-zz"])
    assert bad.exit_code == 2 and "is not the id of a community" in bad.stderr
    assert not (tmp_path / "x.html").exists()
    missing = runner.invoke(cli, ["map", str(minimal)])
    assert missing.exit_code == 2 and "--output" in missing.output


def test_report_html_embeds_the_maps_with_the_library_once(riverton):
    page = render(build_report(riverton), "html", riverton)
    ids = re.findall(r'class="sgmap" id="([^"]+)"', page)
    program = riverton.graph["program"]
    assert ids[0] == "map-network"
    assert {f"map-need-{need}" for need in program.expected_needs} <= set(ids)
    assert {"map-community-com-eastbank", "map-community-com-northgate"} <= set(ids)
    assert len(ids) == len(set(ids))
    assert page.count("* vis-network") == 1
    assert len(re.findall(r'id="sg-graph-', page)) == 1  # the graph's data once for all the maps
    assert not EXTERNAL.search(page)


# ------------------------------------------------------------------------------------------ browser


def _state(page, expression: str, map_id: str | None = None):
    target = f"window.__stakeholderMaps[{json.dumps(map_id)}]" if map_id else "window.__stakeholderMap"
    return page.evaluate(f"() => {{ const S = {target}; return {expression}; }}")


@requires_browser
def test_riverton_map_in_the_browser(browser, riverton, riverton_map):
    page, log = open_page(browser, riverton_map)
    assert _state(page, "S.network instanceof vis.Network && S.stabilized")
    counts = _state(page, "S.counts()")
    assert counts["nodes"] == counts["visibleNodes"] == riverton.number_of_nodes()
    assert counts["edges"] == counts["visibleEdges"] == riverton.number_of_edges()
    legend = set(page.eval_on_selector_all(".sgmap-colors li[data-sector]", "els => els.map(e => e.dataset.sector)"))
    assert legend == {s for _, s in riverton.nodes(data="sector") if s}
    assert page.locator(".sgmap-kinds li").count() == len({k for _, k in riverton.nodes(data="kind")})
    assert "faith based" in page.inner_text(".sgmap-missing")
    assert _state(page, "S.nodes.get('p-luis-ferreira').label").startswith("\u26a1")  # single point of failure
    log.assert_clean()
    page.close()


@requires_browser
def test_filters_and_mark_toggles_change_what_is_visible(browser, riverton, riverton_map):
    page, log = open_page(browser, riverton_map)
    police = sum(1 for _, s in riverton.nodes(data="sector") if s == "law_enforcement")
    before = _state(page, "S.counts()")
    page.click("details[data-dimension=sector] summary")
    page.uncheck("input[data-filter=sector][data-key=law_enforcement]")
    after = _state(page, "S.counts()")
    assert after["visibleNodes"] == before["visibleNodes"] - police
    assert after["visibleEdges"] < before["visibleEdges"]
    assert _state(page, "S.nodes.get('p-luis-ferreira').hidden") is True
    page.check("input[data-filter=sector][data-key=law_enforcement]")
    assert _state(page, "S.counts()") == before
    trusts = sum(1 for *_, k in riverton.edges(keys=True) if k == "trusts")
    page.click("details[data-dimension=edge] summary")
    page.uncheck(f"input[data-filter=edge][data-key='{maps.EDGE_TYPES.index('trusts')}']")
    assert _state(page, "S.counts().visibleEdges") == before["visibleEdges"] - trusts
    page.uncheck("input[data-mark=spof]")
    assert not _state(page, "S.nodes.get('p-luis-ferreira').label").startswith("\u26a1")
    page.check("input[data-mark=spof]")
    assert _state(page, "S.nodes.get('p-luis-ferreira').label").startswith("\u26a1")
    log.assert_clean()
    page.close()


@requires_browser
@pytest.mark.parametrize("width, height", [(1400, 900), (390, 844)])
def test_map_is_accessible_at_desktop_and_phone_size(browser, riverton_map, width, height):
    page, log = open_page(browser, riverton_map, width=width, height=height)
    assert accessibility_violations(page) == []
    canvas = page.locator(".sgmap-canvas").bounding_box()
    side = page.locator(".sgmap-side").bounding_box()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    if width < 700:  # a phone: the map at full width, the panel below it
        assert canvas["width"] >= 350 and canvas["height"] >= 350
        assert side["y"] >= canvas["y"] + canvas["height"] - 1 and side["width"] >= 350
    else:
        assert side["x"] >= canvas["x"] + canvas["width"] - 1
    assert page.locator("main").count() == 1 and page.locator("aside.sgmap-side[aria-label]").count() == 1
    log.assert_clean()
    page.close()


@requires_browser
def test_keyboard_and_screen_reader_reach_the_details(browser, riverton, riverton_map):
    page, log = open_page(browser, riverton_map)
    page.keyboard.press("Tab")  # the first Tab stop is the map itself, named and described
    focused = page.evaluate(
        """() => { const e = document.activeElement; return {role: e.getAttribute("role"),
            label: e.getAttribute("aria-label"), described: e.getAttribute("aria-describedby")}; }"""
    )
    assert focused["role"] == "application" and focused["label"].startswith("Stakeholder map: The whole network")
    for idref in focused["described"].split():
        assert page.locator(f"#{idref}").count() == 1
    live = page.locator(".sgmap-details")
    assert live.get_attribute("aria-live") == "polite" and "Nothing selected" in live.inner_text()
    names = sorted((a.get("name", n) for n, a in riverton.nodes(data=True)), key=str)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    third = _state(page, "S.network.getSelectedNodes()")
    assert len(third) == 1 and riverton.nodes[third[0]]["name"] == page.evaluate(
        "(ns) => ns.slice().sort((a, b) => a.localeCompare(b))[2]", names
    )
    assert riverton.nodes[third[0]]["name"] in live.inner_text()
    page.keyboard.press("End")
    page.keyboard.press("ArrowDown")  # wraps round to the first
    first = _state(page, "S.network.getSelectedNodes()")[0]
    page.keyboard.press("Home")
    assert _state(page, "S.network.getSelectedNodes()")[0] == first
    # find by name: the details of Luis Ferreira, with the gaps that concern him and his marks
    page.fill(".sgmap-search", "Luis Ferreira")
    page.press(".sgmap-search", "Enter")
    text = live.inner_text()
    assert "Luis Ferreira" in text and "single point of failure" in text and "[high]" in text
    assert page.locator(".sgmap-find [role=status]").inner_text() == "1 found and selected"
    page.locator(".vis-network").focus()
    page.keyboard.press("Escape")
    assert "Nothing selected" in live.inner_text() and _state(page, "S.network.getSelectedNodes()") == []
    log.assert_clean()
    page.close()


@requires_browser
def test_hostile_names_render_as_text_and_run_nothing(browser, hostile: Path, tmp_path: Path):
    G = open_source(hostile)
    files = [
        write_map(build_map(G, title=HOSTILE), tmp_path / "whole.html"),
        write_map(build_map(G, color_by="community"), tmp_path / "community.html"),
        write_map(render(build_report(G), "html", G), tmp_path / "report.html"),
    ]
    for path in files:
        page, log = open_page(browser, path)
        assert page.evaluate("() => window.__xss") is None
        assert page.locator("img").count() == 0 and page.locator("svg[onload]").count() == 0
        assert page.locator("script:not([type])").count() == 2  # vis-network and the maps' script, nothing else
        if path.name == "community.html":
            assert HOSTILE_QUOTE in page.inner_text(".sgmap-colors")  # a community's name in the legend
        if path.name == "whole.html":
            assert page.title() == HOSTILE
            assert _state(page, "S.nodes.get('p-1').label").endswith(HOSTILE)
            # hover the hostile person: the tooltip shows the name as text
            x, y = page.evaluate("""() => { const S = window.__stakeholderMap;
                const p = S.network.canvasToDOM(S.network.getPosition('p-1'));
                const r = document.querySelector('.sgmap-canvas').getBoundingClientRect();
                return [r.left + p.x, r.top + p.y]; }""")
            page.mouse.move(x, y)
            tooltip = page.locator("div.vis-tooltip")
            tooltip.wait_for(state="visible", timeout=5000)
            assert HOSTILE in tooltip.inner_text() and HOSTILE_SCRIPT in tooltip.inner_text()
            assert "<b>bold</b>" in tooltip.inner_text()  # a tag in the tags column, shown as text
            assert tooltip.locator("img, script, svg, b b, dd b").count() == 0
        assert page.evaluate("() => window.__xss") is None
        log.assert_clean()
        page.close()


@requires_browser
def test_views_draw_what_they_select(browser, riverton, tmp_path: Path):
    for kwargs in ({"focus": "p-luis-ferreira", "depth": 2}, {"community": "com-eastbank"}, {"need": "overdose"}):
        path = write_map(build_map(riverton, **kwargs), tmp_path / "view.html")
        view = map_view(riverton, bridge_rows=maps._bridges(riverton), **kwargs)
        page, log = open_page(browser, path)
        counts = _state(page, "S.counts()")
        assert (counts["nodes"], counts["edges"]) == (len(view["nodes"]), len(view["edges"])), kwargs
        if "need" in kwargs:
            assert _state(page, "S.nodes.get('team-rcr').color.background") == maps.SECTOR_COLORS["mobile_crisis"]
            faded = _state(page, "S.nodes.get('org-riverton-tenants-union').color.background")
            assert faded.startswith("rgba(") and faded.endswith(",0.16)")
        log.assert_clean()
        page.close()


@requires_browser
def test_aggregated_map_opens_a_cluster(browser, tmp_path: Path):
    G = synthesize(600, seed=5)
    path = write_map(build_map(G, aggregate="sector"), tmp_path / "clusters.html")
    page, log = open_page(browser, path)
    counts = _state(page, "S.counts()")
    clusters = _state(page, "S.view.clusters.map(c => c.members.length)")
    assert counts["clusters"] == len(clusters) > 5
    assert counts["viewNodes"] == G.number_of_nodes() and counts["viewEdges"] == G.number_of_edges()
    assert counts["nodes"] == G.number_of_nodes() - sum(clusters) + len(clusters)
    # double-click the largest cluster: it opens into its members
    x, y = page.evaluate("""() => { const S = window.__stakeholderMap;
        const p = S.network.canvasToDOM(S.network.getPosition('#cluster-0'));
        const r = document.querySelector('.sgmap-canvas').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.dblclick(x, y)
    page.wait_for_function(f"() => window.__stakeholderMap.counts().nodes === {counts['nodes'] - 1 + clusters[0]}")
    opened = _state(page, "S.counts()")
    assert opened["edges"] > counts["edges"]
    page.click("text=Fold all clusters")
    assert _state(page, "S.counts().nodes") == counts["nodes"]
    # by keyboard: a cluster selected and read out, Enter opens it and selects its first member
    assert _state(page, "S.select('#cluster-1')")
    assert f"{clusters[1]} stakeholders folded in" in page.inner_text(".sgmap-details")
    page.locator(".vis-network").focus()
    page.keyboard.press("Enter")
    assert _state(page, "S.counts().nodes") == counts["nodes"] - 1 + clusters[1]
    selected = _state(page, "S.network.getSelectedNodes()")
    assert len(selected) == 1 and G.nodes[selected[0]]["name"] in page.inner_text(".sgmap-details")
    log.assert_clean()
    page.close()


@requires_browser
@pytest.mark.parametrize("aggregate", ["auto", "sector"])
def test_aggregated_need_map_opens_the_clusters_on_its_paths(browser, tmp_path: Path, monkeypatch, aggregate):
    from stakeholder_graph.referrals import referral_paths

    monkeypatch.setattr(maps, "AGGREGATE_THRESHOLD", 100)  # 400 stakeholders: aggregated, and quick
    G = synthesize(400, seed=6)
    need = "overdose"
    providers = [p for p in referral_paths(G, need)["providers"] if p["reachable"]]
    assert providers
    best = providers[0]["paths"][0]["path"]
    path = write_map(build_map(G, need=need, aggregate=aggregate), tmp_path / "need.html")
    page, log = open_page(browser, path)
    clusters = _state(page, "S.view.clusters.map(c => c.members.map(i => S.graph.nodes[i].id))")
    assert len(clusters) > 5
    folded = {m for c in clusters for m in c}
    assert folded & set(best[1:]), "the best path would be hidden in a cluster"
    shown = _state(page, "S.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert set(best) <= set(shown)  # drawn as themselves, not folded into a closed cluster
    counts = _state(page, "S.counts()")
    assert counts["clusters"] == len(clusters) and counts["nodes"] < G.number_of_nodes()  # the rest stays folded
    page.click("text=Fold all clusters")
    assert not set(best[1:]) & set(_state(page, "S.nodes.getIds()"))
    log.assert_clean()
    page.close()


@requires_browser
def test_several_fragments_on_one_page(browser, minimal: Path, tmp_path: Path):
    G = open_source(minimal)
    first = maps.map_fragment(G, title="The network")
    second = maps.map_fragment(G, focus="p-1", title="Ann's ties")
    body = first + second
    ids = re.findall(r'class="sgmap" id="([^"]+)"', body)
    assert len(ids) == len(set(ids)) == 2
    page_html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{Atlas.head()}</head><body>'
        f"{body}{Atlas.scripts()}</body></html>"
    )
    page, log = open_page(browser, write_map(page_html, tmp_path / "two.html"))
    focus = map_view(G, focus="p-1")
    assert _state(page, "S.counts().nodes", ids[0]) == G.number_of_nodes()
    assert _state(page, "S.counts().nodes", ids[1]) == len(focus["nodes"])
    log.assert_clean()
    page.close()


@requires_browser
def test_physics_layout_stops_once_stable(browser, minimal: Path, tmp_path: Path):
    path = write_map(build_map(open_source(minimal), layout="physics"), tmp_path / "physics.html")
    page, log = open_page(browser, path)
    assert _state(page, "S.view.physics") is True
    assert _state(page, "S.network.physics.physicsEnabled") is False
    log.assert_clean()
    page.close()


@requires_browser
def test_report_in_the_browser(browser, riverton, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report", str(RIVERTON), "--format", "html", "-o", "report.html"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "lib").exists()
    page, log = open_page(browser, tmp_path / "report.html", width=1100, wait=False)
    page.locator("#map-network").scroll_into_view_if_needed()  # below "Start here", which opens the report
    page.wait_for_function("() => !!(window.__stakeholderMaps || {})['map-network']")
    started = page.evaluate("() => Object.keys(window.__stakeholderMaps)")
    assert "map-need-domestic_violence" not in started  # maps further down start when scrolled to
    wait_for_maps(page)
    ids = page.evaluate("() => Object.keys(window.__stakeholderMaps)")
    needs = len(riverton.graph["program"].expected_needs)
    assert len(ids) == page.locator(".sgmap").count() == 1 + needs + 2  # network, needs, priority communities
    assert _state(page, "S.counts().nodes", "map-network") == riverton.number_of_nodes()
    assert page.locator("nav a").count() >= 5
    log.assert_clean()
    page.close()


@requires_browser
@pytest.mark.parametrize("width, height", [(1400, 900), (390, 844)])
def test_report_is_accessible_at_desktop_and_phone_size(browser, minimal: Path, tmp_path: Path, width, height):
    G = open_source(minimal)  # every section and every kind of map of the report, quick to draw
    path = write_map(render(build_report(G), "html", G), tmp_path / "report.html")
    page, log = open_page(browser, path, width=width, height=height)
    assert accessibility_violations(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no table pushes the page wider
    assert page.locator("header h1").count() == 1 and page.locator("main section").count() >= 5
    assert page.locator("nav[aria-label=Contents] a").count() >= 5
    widths = page.eval_on_selector_all(".sgmap-canvas", "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and min(widths) >= 350
    cells = page.eval_on_selector_all("#gaps td", "els => els.map(e => [e.dataset.label, getComputedStyle(e).display])")
    assert {label for label, _ in cells} == {"severity", "kind", "gap", "recommendation"}
    assert {display for _, display in cells} == ({"block"} if width < 700 else {"table-cell"})  # cards on a phone
    log.assert_clean()
    page.close()


@requires_browser
def test_map_object_draws_inline_as_a_notebook_shows_it(browser, hostile: Path, tmp_path: Path):
    from stakeholder_graph.maps import Map

    m = Map(open_source(hostile), title=HOSTILE)
    assert m.save(tmp_path / "saved.html").read_text(encoding="utf-8") == m.html
    # a notebook puts _repr_html_ into its own page: the map must draw there, in its sandboxed frame
    cell = m._repr_html_()
    assert cell.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in cell and "<script" not in cell
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body><h1>Notebook</h1>{cell}</body></html>", encoding="utf-8")
    page, log = open_page(browser, host, wait=False)
    frame = page.frame_locator("iframe").first
    frame.locator(".sgmap-canvas canvas").wait_for(timeout=30_000)
    inner = page.frames[1]
    inner.wait_for_function("() => window.__stakeholderMap && window.__stakeholderMap.stabilized", timeout=30_000)
    assert inner.evaluate("() => window.__stakeholderMap.counts().visibleNodes") == 8
    assert inner.evaluate("() => window.__xss") is None and page.evaluate("() => window.__xss") is None
    assert page.frames[1].evaluate(
        "() => { try { return parent.document.title; } catch (e) { return 'blocked'; } }"
    ) == ("blocked")
    log.assert_clean()
    page.close()


def test_fold_count_is_the_number_of_fold_targets():
    """How auto aggregation chooses organization or sector clusters: counted without choosing each
    stakeholder's organization, the same count."""
    from stakeholder_graph.maps.aggregation import _fold_count, _fold_targets

    for G in (open_source(RIVERTON), synthesize(2000, seed=7)):
        nodes = list(G)
        for drawn in (set(nodes), set(nodes[::3]), set(nodes[1::2])):
            assert _fold_count(G, drawn) == len(_fold_targets(G, drawn))
