"""The gap report: where to start, gaps, the outreach plan, credible messengers, brokers, referral paths and
scores, in four formats.

:func:`build_report` returns plain data (the JSON form, documented in ``docs/json-output.md``);
``render_text``, ``render_markdown`` and ``render_html`` turn it into text. Nothing here prints.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable
from string import Template

import networkx as nx

from ._bulk import paused_gc
from ._escape import markdown_text, terminal_text
from ._ties import tie_graph
from .allpaths import shared
from .bridges import bridges
from .directory import not_yet_connected, not_yet_connected_text
from .gaps import SEVERITIES, find_gaps, reference_date
from .messengers import messengers, people_text
from .plan import affects_text, build_plan, plan_markdown, start_here
from .referrals import referral_graph, referral_paths
from .scores import network_scores, node_scores, number_text
from .summary import summarize

__all__ = ["build_report", "render_text", "render_markdown", "render_html", "render"]

#: How many services per need the report lists, with their paths.
PROVIDERS_PER_NEED = 5


#: The steps of :func:`build_report`, in order, as its ``progress`` callback names them.
REPORT_STEPS = ("summary", "gaps", "plan", "referrals", "scores", "brokers")


def build_report(
    G: nx.MultiDiGraph,
    top: int = 10,
    k: int = 3,
    open_at: str | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    exact: bool | None = None,
) -> dict:
    """Everything a planner brings to the next stakeholder meeting, as data.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    top : int
        How many brokers to list.
    k : int
        Paths per service in the referral section.
    open_at : str, optional
        ``HH:MM``: mark which services are open then.
    progress : callable, optional
        Called with the name of each step of :data:`REPORT_STEPS` once it is done (for a progress bar).
    exact : bool, optional
        Betweenness and closeness exact (True), or exact up to the size that
        :data:`stakeholder_graph.allpaths.EXACT_BUDGET` allows and estimated with stated error bounds
        above it (None, the default). ``measures`` says which, with the bounds.

    Returns
    -------
    dict
        With the top-level keys ``summary``, ``start_here``, ``scores``, ``gaps``, ``not_yet_connected``
        (service-directory stakeholders with no tie to the program yet:
        :func:`stakeholder_graph.directory.not_yet_connected`), ``plan``, ``messengers``, ``brokers``,
        ``referrals`` and ``measures`` (:meth:`stakeholder_graph.allpaths.AllPaths.summary`: ``method``
        exact or estimate, ``sources``, ``confidence``, ``max_betweenness_error``, ``max_closeness_error``).
    """
    with paused_gc():  # millions of small dicts, none of them garbage: see _bulk
        return _build_report(G, top, k, open_at, progress or (lambda step: None), exact)


def _build_report(
    G: nx.MultiDiGraph, top: int, k: int, open_at: str | None, done: Callable[[str], None], exact: bool | None
) -> dict:
    program = G.graph.get("program")
    summary = summarize(G)
    summary["as_of"] = reference_date(G).isoformat()
    summary["anonymized"] = bool(G.graph.get("anonymized"))
    done("summary")
    gaps = find_gaps(G)
    summary["gaps"] = {severity: sum(g["severity"] == severity for g in gaps) for severity in SEVERITIES}
    waiting = not_yet_connected(G)  # a service directory's potential network, not gaps
    done("gaps")
    plan = build_plan(G, gaps)
    trust = messengers(G)
    done("plan")
    referrals = {}
    if program is not None and program.team:
        D = referral_graph(G)
        for need in program.expected_needs:
            referrals[need] = referral_paths(G, need, k=k, open_at=open_at, limit=PROVIDERS_PER_NEED, D=D)
    done("referrals")
    scores = {"network": network_scores(G), "stakeholders": node_scores(G, exact=exact)}
    done("scores")
    brokers = bridges(G, top=top, weighted=False, exact=exact)
    done("brokers")
    return {
        "summary": summary,
        "start_here": start_here(plan, gaps),
        "scores": scores,
        "gaps": gaps,
        "not_yet_connected": waiting,
        "plan": plan,
        "messengers": trust,
        "brokers": brokers,
        "referrals": referrals,
        "measures": shared(tie_graph(G), exact=exact).summary(),
    }


def measures_note(report: dict) -> str | None:
    """The sentence on estimated betweenness and closeness (None when they are exact)."""
    measures = report.get("measures") or {}
    if measures.get("method") != "estimate":
        return None
    return (
        f"Betweenness and closeness are estimated from {measures['sources']:,} shortest-path searches, each "
        f"from a stakeholder drawn at random among the {measures['stakeholders']:,}: each value is within "
        f"{measures['max_betweenness_error']:.4f} (betweenness) and {measures['max_closeness_error']:.4f} "
        f"(closeness) of the exact one, all at once with {measures['confidence']:.0%} confidence. Brokers marked ~ "
        "have betweenness the bounds cannot tell from another's: they share a rank. Exact values take longer "
        "(stakeholder-graph report --exact)."
    )


def _betweenness_text(b: dict) -> str:
    return ("~" if b.get("betweenness_tied") else "") + f"{b['betweenness']:.3f}"


#: What the report says of a need no service of which the team can reach.
NO_REFERRAL = "No service reachable by referral."


def _reachable(result: dict, names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, details, best path) of each service the team can reach, as the report lists them."""
    rows = []
    for p in result["providers"]:
        if not p["reachable"]:
            continue
        best = p["paths"][0]["path"] if p["paths"] else []
        detail = f"cost {p['cost']}, {p['disjoint_paths']} independent route(s)" + (
            f", {p['hours']}" if p["hours"] else ""
        )
        rows.append((p["name"], detail, _path_text(best, names)))
    return rows


def _waiting(report: dict) -> str | None:
    """The one line on a service directory's not-yet-connected stakeholders (None when there are none)."""
    return not_yet_connected_text(report["not_yet_connected"]) if report.get("not_yet_connected") else None


def _path_text(path: list[str], names: dict[str, str]) -> str:
    return " -> ".join(names.get(node, node) for node in path)


def _title(report: dict) -> str:
    return f"{report['summary']['program'] or 'Stakeholder network'}: stakeholder network report"


def _start_lines(report: dict) -> list[tuple[dict, str]]:
    """Each "Start here" item with what it concerns, as text."""
    return [(item, affects_text(item["affects"])) for item in report["start_here"]]


def _community_line(entry: dict, names: dict[str, str]) -> str:
    """A priority community's trusted routes in one sentence."""
    share = "-" if entry["share"] is None else f"{entry['share']:.0%}"
    line = f"{len(entry['reached'])} of {entry['residents']} residents ({share}) have a trusted route to the team"
    if entry["depends_on"]:
        top = entry["depends_on"][0]
        line += f"; {top['residents']} of them depend on {top['name']}"
    return line + "."


#: The columns of a community's credible messengers in the Markdown and HTML reports.
MESSENGER_COLUMNS = ("person", "trusted by residents", "average trust", "reaches", "score", "why")


def _messenger_cells(p: dict) -> list[str]:
    """A credible messenger's cells, as :data:`MESSENGER_COLUMNS` (plain text, to escape)."""
    reaches = ", ".join((["the team"] if p["team"] else []) + [x.replace("_", " ") for x in p["sectors"]])
    trusted = f"{len(p['trusted_by'])} of {p['residents']}"
    return [p["name"], trusted, f"{p['mean_trust']:.1f}", reaches, str(p["score"]), p["why"]]


def _not_trusted(entry: dict) -> str:
    return ", ".join(f"{p['name']} (average trust {p['mean_trust']:.1f})" for p in entry["not_trusted"][:5])


def render_text(report: dict, width: int = 80, names: dict[str, str] | None = None) -> str:
    """The report as plain text for a terminal ``width`` columns wide."""
    from .plan import plan_text

    names = names or {}
    s, net = report["summary"], report["scores"]["network"]
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    item_wrap = textwrap.TextWrapper(width=width, initial_indent="     ", subsequent_indent="       ")
    out = [_title(report), "=" * min(width, len(_title(report))), "", "Start here"]
    if not report["start_here"]:
        out.append("  No gaps found.")
    for item, affects in _start_lines(report):
        out += wrap.wrap(
            f"  {item['priority']}. [{item['severity'].upper()}] {item['title']}" + (f": {affects}" if affects else "")
        )
        for message in item["gaps"]:
            out += item_wrap.wrap(f"- {message}")
        out += item_wrap.wrap(f"-> {item['action']} (plan, action {item['priority']})")
    out.append("")
    out += wrap.wrap(
        f"As of {s['as_of']}: {s['stakeholders']} stakeholders, {s['relationships']} relationships"
        + (f" ({s['ended_relationships']} ended, left out)" if s.get("ended_relationships") else "")
        + f", {s['components']} component(s). Responder team: {names.get(s['team'], s['team']) or 'none'}."
    )
    out += ["", "Scores"]
    for label, value in (
        ("density", net["density"]),
        ("average degree", net["average_degree"]),
        ("degree centralization", net["degree_centralization"]),
        ("reciprocity", net["reciprocity"]),
        ("trust (1-4)", net["trust"]["mean"]),
        ("value (1-4)", net["value"]["mean"]),
    ):
        out.append(f"  {label:<24}{number_text(value)}")
    counts = ", ".join(f"{n} {sev}" for sev, n in s["gaps"].items())
    out += ["", f"Gaps ({counts})"]
    for gap in report["gaps"]:
        out += wrap.wrap(f"  [{gap['severity'].upper()}] {gap['kind']}: {gap['message']}")
        out += wrap.wrap(f"    -> {gap['recommendation']}")
    if waiting := _waiting(report):
        out += [""] + wrap.wrap(waiting)
    out += ["", *plan_text(report["plan"], width=width).rstrip("\n").splitlines()]
    out += ["", "Credible messengers (trusted by the residents of each priority community)"]
    if not report["messengers"]:
        out.append("  (no priority community)")
    for entry in report["messengers"]:
        out += ["", f"  {entry['name']}"]
        out += item_wrap.wrap(_community_line(entry, names))
        out += item_wrap.wrap("Messengers: " + people_text(entry["messengers"]))
        out += item_wrap.wrap("Trusted, not yet tied to the team: " + people_text(entry["trusted_voices"]))
        if entry["not_trusted"]:
            out += item_wrap.wrap("Not trusted by residents: " + _not_trusted(entry))
    out += ["", "Brokers (who connects parts of the network; not a measure of trust)"]
    if note := measures_note(report):
        out += wrap.wrap("  " + note)
    out.append(f"  {'id':<22}{'name':<24}{'score':>7}{'betw.':>8}{'constr.':>8}  msgr")
    for b in report["brokers"]:
        out.append(
            f"  {b['id'][:21]:<22}{b['name'][:23]:<24}{b['score']:>7.3f}{_betweenness_text(b):>8}"
            f"{b['constraint'] if b['constraint'] is not None else float('nan'):>8.3f}  "
            f"{'yes' if b['credible_messenger'] else ''}"
        )
    out += ["", "Referral paths"]
    for need, result in report["referrals"].items():
        out.append(f"  {need}:")
        rows = _reachable(result, names)
        out += wrap.wrap(f"    {NO_REFERRAL}") if not rows else []
        for name, detail, path in rows:
            out += wrap.wrap(f"    {name} ({detail}): {path}")
    return terminal_text("\n".join(line[:width] if len(line) > width else line for line in out) + "\n")


_md = markdown_text


def render_markdown(report: dict, names: dict[str, str] | None = None) -> str:
    """The report as Markdown, to paste into a meeting document."""
    names = names or {}
    s, net = report["summary"], report["scores"]["network"]
    out = [f"# {_md(_title(report))}", "", "## Start here", ""]
    out += ["No gaps found."] if not report["start_here"] else []
    for item, affects in _start_lines(report):
        out.append(
            f"{item['priority']}. **{_md(item['title'])}** ({item['severity']}"
            + (f"; {_md(affects)}" if affects else "")
            + "): "
            + " ".join(_md(m) for m in item["gaps"])
            + f" **Next:** {_md(item['action'])}"
        )
    out += [
        "",
        "## Summary",
        "",
        f"As of {s['as_of']}: **{s['stakeholders']}** stakeholders, **{s['relationships']}** relationships"
        + (f" ({s['ended_relationships']} ended, left out)" if s.get("ended_relationships") else "")
        + f", {s['components']} component(s). Gaps: "
        + ", ".join(f"{n} {sev}" for sev, n in s["gaps"].items())
        + ".",
        "",
        "## Scores",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    for key in ("density", "average_degree", "degree_centralization", "reciprocity"):
        out.append(f"| {key.replace('_', ' ')} | {number_text(net[key])} |")
    out.append(f"| trust (1-4) | {number_text(net['trust']['mean'])} |")
    out.append(f"| value (1-4) | {number_text(net['value']['mean'])} |")
    out += ["", "## Gaps", "", "| severity | kind | gap | recommendation |", "|---|---|---|---|"]
    for gap in report["gaps"]:
        out.append(
            f"| {_md(gap['severity'])} | {_md(gap['kind'])} | {_md(gap['message'])} | {_md(gap['recommendation'])} |"
        )
    if waiting := _waiting(report):
        out += ["", _md(waiting)]
    out += ["", plan_markdown(report["plan"], level=2).rstrip("\n")]
    out += ["", "## Credible messengers", ""]
    out += ["No priority community."] if not report["messengers"] else []
    for entry in report["messengers"]:
        out += [
            f"### {_md(entry['name'])}",
            "",
            _md(_community_line(entry, names)),
            "",
            "| " + " | ".join(MESSENGER_COLUMNS) + " |",
            "|---" * len(MESSENGER_COLUMNS) + "|",
        ]
        out += ["| " + " | ".join(_md(c) for c in _messenger_cells(p)) + " |" for p in entry["messengers"]]
        if not entry["messengers"]:
            out.append("| (none) | | | | | |")
        out += ["", f"Trusted, not yet tied to the team: {_md(people_text(entry['trusted_voices']))}."]
        if entry["not_trusted"]:
            out.append(f"Not trusted by residents: {_md(_not_trusted(entry))}.")
        out.append("")
    out += [
        "## Brokers",
        "",
        "Who connects parts of the network that would otherwise not meet (structure, not trust).",
        "",
        *([note, ""] if (note := measures_note(report)) else []),
        "| stakeholder | sector | score | betweenness | constraint | credible messenger |",
        "|---|---|---|---|---|---|",
    ]
    for b in report["brokers"]:
        out.append(
            f"| {_md(b['name'])} | {_md(b.get('sector') or '')} | {b['score']:.3f} | {_md(_betweenness_text(b))} | "
            f"{b['constraint'] if b['constraint'] is not None else '-'} | {'yes' if b['credible_messenger'] else ''} |"
        )
    out += ["", "## Referral paths"]
    for need, result in report["referrals"].items():
        out += ["", f"### {_md(need.replace('_', ' '))}", ""]
        rows = _reachable(result, names)
        out += [NO_REFERRAL] if not rows else []
        out += [f"- **{_md(name)}** ({_md(detail)}): {_md(path)}" for name, detail, path in rows]
    return "\n".join(out) + "\n"


def _asset(name: str) -> str:
    """A file of ``stakeholder_graph/assets`` (the HTML report's template and styles), as text."""
    from importlib.resources import files

    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table of ``rows`` (cells already HTML); every cell is labelled with its column
    (``data-label``), so that a narrow screen shows each row as a card (``assets/report.css``)."""
    e = html.escape
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{e(h)}">{cell}</td>' for h, cell in zip(headers, row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _severity(severity: str) -> str:
    return f'<span class="sev sev-{html.escape(severity)}">{html.escape(severity)}</span>'


def render_html(
    report: dict,
    names: dict[str, str] | None = None,
    maps: dict[str, str] | None = None,
    head: str = "",
    scripts: str = "",
) -> str:
    """The report as one self-contained HTML page (no external resource); every string is escaped.

    ``maps`` optionally maps a section id to an HTML fragment (an embedded map) placed in that section;
    ``head`` and ``scripts`` are what the maps need in ``<head>`` and once before ``</body>``
    (``maps.report_maps`` gives all three).
    """
    names = names or {}
    maps = maps or {}
    e = html.escape
    s, net = report["summary"], report["scores"]["network"]
    sections = [
        ("start-here", "Start here"),
        ("summary", "Summary"),
        ("scores", "Scores"),
        ("gaps", "Gaps"),
        ("plan", "Outreach plan"),
        ("messengers", "Credible messengers"),
        ("brokers", "Brokers"),
        ("referrals", "Referral paths"),
    ]
    out = [
        '<section id="start-here"><h2>Start here</h2><ol class="start">',
    ]
    out += ["<li>No gaps found.</li>"] if not report["start_here"] else []
    for item, affects in _start_lines(report):
        out.append(
            f'<li value="{item["priority"]}"><strong>{e(item["title"])}</strong> '
            + _severity(item["severity"])
            + (f" {e(affects)}" if affects else "")
            + "<ul>"
            + "".join(f"<li>{e(m)}</li>" for m in item["gaps"])
            + f'</ul><p><strong>Next:</strong> {e(item["action"])} (<a href="#plan">plan</a>)</p></li>'
        )
    out += [
        "</ol></section>",
        '<section id="summary"><h2>Summary</h2>',
        f"<p>As of {e(s['as_of'])}: <strong>{s['stakeholders']}</strong> stakeholders, <strong>{s['relationships']}</strong> "
        f"relationships"
        + (f" ({s['ended_relationships']} ended, left out)" if s.get("ended_relationships") else "")
        + f", {s['components']} component(s). Responder team: {e(str(names.get(s['team'], s['team']) or 'none'))}.</p>",
        "<p>Gaps: "
        + ", ".join(f'<span class="sev sev-{e(sev)}">{n} {e(sev)}</span>' for sev, n in s["gaps"].items())
        + "</p>",
        maps.get("summary", ""),
        "</section>",
    ]
    scores = [
        [key.replace("_", " "), number_text(net[key])]
        for key in ("density", "average_degree", "degree_centralization", "reciprocity")
    ]
    scores += [["trust (1-4)", number_text(net["trust"]["mean"])], ["value (1-4)", number_text(net["value"]["mean"])]]
    out.append('<section id="scores"><h2>Scores</h2>' + _table(["measure", "value"], scores) + "</section>")
    gap_rows = [
        [_severity(g["severity"]), e(g["kind"]), e(g["message"]), e(g["recommendation"])] for g in report["gaps"]
    ]
    waiting = _waiting(report)
    out.append(
        '<section id="gaps"><h2>Gaps</h2>'
        + _table(["severity", "kind", "gap", "recommendation"], gap_rows)
        + (f"<p>{e(waiting)}</p>" if waiting else "")
        + maps.get("gaps", "")
        + "</section>"
    )
    out.append('<section id="plan"><h2>Outreach plan</h2>')
    out += ["<p>No gaps found: nothing to plan.</p>"] if not report["plan"] else []
    for a in report["plan"]:
        people = {
            key: "<ul>"
            + (
                "".join(
                    f"<li>{e(p['name'])}" + (f" <small>({e(p['why'])})</small>" if p.get("why") else "") + "</li>"
                    for p in a[key]
                )
                or "<li>-</li>"
            )
            + "</ul>"
            for key in ("invite", "through", "avoid")
        }
        out.append(
            f'<article class="action"><h3>{a["priority"]}. {e(a["title"])} {_severity(a["severity"])}</h3>'
            f"<p>{e(a['action'])}</p>"
            + _table(["invite", "through", "not through"], [[people["invite"], people["through"], people["avoid"]]])
            + f"<p>Method: {e((a['method'] or '').replace('_', ' '))}. Owner: ________ Due: ________</p></article>"
        )
    out.append("</section>")
    out.append('<section id="messengers"><h2>Credible messengers</h2>')
    out += ["<p>No priority community.</p>"] if not report["messengers"] else []
    for entry in report["messengers"]:
        out.append(f"<h3>{e(entry['name'])}</h3><p>{e(_community_line(entry, names))}</p>")
        rows = [[e(c) for c in _messenger_cells(p)] for p in entry["messengers"]]
        out.append(_table(list(MESSENGER_COLUMNS), rows) if rows else "<p>Credible messengers: none.</p>")
        out.append(f"<p>Trusted, not yet tied to the team: {e(people_text(entry['trusted_voices']))}.</p>")
        if entry["not_trusted"]:
            out.append(f"<p>Not trusted by residents: {e(_not_trusted(entry))}.</p>")
    out.append("</section>")
    broker_rows = [
        [
            e(b["name"]),
            e(b.get("sector") or ""),
            f"{b['score']:.3f}",
            e(_betweenness_text(b)),
            str(b["constraint"]) if b["constraint"] is not None else "-",
            "yes" if b["credible_messenger"] else "",
        ]
        for b in report["brokers"]
    ]
    headers = ["stakeholder", "sector", "score", "betweenness", "constraint", "credible messenger"]
    out.append(
        '<section id="brokers"><h2>Brokers</h2><p>Who connects parts of the network that would otherwise not '
        "meet (structure, not trust).</p>"
        + (f"<p>{e(note)}</p>" if (note := measures_note(report)) else "")
        + _table(headers, broker_rows)
        + maps.get("bridges", "")
        + maps.get("brokers", "")
        + "</section>"
    )
    out.append('<section id="referrals"><h2>Referral paths</h2>')
    for need, result in report["referrals"].items():
        out.append(f'<h3 id="need-{e(need)}">{e(need.replace("_", " "))}</h3><ul>')
        rows = _reachable(result, names)
        out += [f"<li>{NO_REFERRAL}</li>"] if not rows else []
        out += [f"<li><strong>{e(name)}</strong> ({e(detail)}): {e(path)}</li>" for name, detail, path in rows]
        out.append("</ul>" + maps.get(f"need-{need}", ""))
    out.append("</section>")
    return Template(_asset("report.html")).substitute(
        title=e(_title(report)),
        head=head,
        style=_asset("report.css"),
        contents="".join(f'<li><a href="#{i}">{e(t)}</a></li>' for i, t in sections),
        body="\n".join(out),
        scripts=scripts,
    )


def render(report: dict, fmt: str, G: nx.MultiDiGraph | None = None) -> str:
    """Render a report in ``text``, ``markdown``, ``html`` or ``json``."""
    import json

    names = {n: a.get("name", n) for n, a in G.nodes(data=True)} if G is not None else {}
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(report, names)
    if fmt == "html":
        if G is None:
            return render_html(report, names)
        from .maps import report_maps

        maps, head, scripts = report_maps(G, report)
        return render_html(report, names, maps=maps, head=head, scripts=scripts)
    return render_text(report, names=names)
