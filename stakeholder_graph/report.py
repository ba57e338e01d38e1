"""The gap report: summary, scores, gaps, bridging messengers and referral paths, in four formats.

:func:`build_report` returns plain data (the JSON form, documented in ``docs/json-output.md``);
``render_text``, ``render_markdown`` and ``render_html`` turn it into text. Nothing here prints.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable

import networkx as nx

from ._escape import markdown_text, terminal_text
from .bridges import bridges
from .directory import not_yet_connected, not_yet_connected_text
from .gaps import SEVERITIES, find_gaps, reference_date
from .referrals import referral_graph, referral_paths
from .scores import network_scores, node_scores, number_text
from .summary import summarize

__all__ = ["build_report", "render_text", "render_markdown", "render_html", "render"]

#: How many services per need the report lists, with their paths.
PROVIDERS_PER_NEED = 5


#: The steps of :func:`build_report`, in order, as its ``progress`` callback names them.
REPORT_STEPS = ("summary", "gaps", "referrals", "scores", "bridges")


def build_report(
    G: nx.MultiDiGraph,
    top: int = 10,
    k: int = 3,
    open_at: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Everything a planner brings to the next stakeholder meeting, as data.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    top : int
        How many bridging messengers to list.
    k : int
        Paths per service in the referral section.
    open_at : str, optional
        ``HH:MM``: mark which services are open then.
    progress : callable, optional
        Called with the name of each step of :data:`REPORT_STEPS` once it is done (for a progress bar).

    Returns
    -------
    dict
        With the top-level keys ``summary``, ``scores``, ``gaps``, ``not_yet_connected`` (service-directory
        stakeholders with no tie to the program yet: :func:`stakeholder_graph.directory.not_yet_connected`),
        ``bridges`` and ``referrals``.
    """
    done = progress or (lambda step: None)
    program = G.graph.get("program")
    summary = summarize(G)
    summary["as_of"] = reference_date(G).isoformat()
    summary["anonymized"] = bool(G.graph.get("anonymized"))
    done("summary")
    gaps = find_gaps(G)
    summary["gaps"] = {severity: sum(g["severity"] == severity for g in gaps) for severity in SEVERITIES}
    waiting = not_yet_connected(G)  # a service directory's potential network, not gaps
    done("gaps")
    referrals = {}
    if program is not None and program.team:
        D = referral_graph(G)
        for need in program.expected_needs:
            referrals[need] = referral_paths(G, need, k=k, open_at=open_at, limit=PROVIDERS_PER_NEED, D=D)
    done("referrals")
    scores = {"network": network_scores(G), "stakeholders": node_scores(G)}
    done("scores")
    top_bridges = bridges(G, top=top, weighted=False)
    done("bridges")
    return {
        "summary": summary,
        "scores": scores,
        "gaps": gaps,
        "not_yet_connected": waiting,
        "bridges": top_bridges,
        "referrals": referrals,
    }


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


def render_text(report: dict, width: int = 80, names: dict[str, str] | None = None) -> str:
    """The report as plain text for a terminal ``width`` columns wide."""
    names = names or {}
    s, net = report["summary"], report["scores"]["network"]
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    out = [_title(report), "=" * min(width, len(_title(report))), ""]
    out += wrap.wrap(
        f"As of {s['as_of']}: {s['stakeholders']} stakeholders, {s['relationships']} relationships, "
        f"{s['components']} component(s). Responder team: {names.get(s['team'], s['team']) or 'none'}."
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
    out += ["", "Bridging messengers"]
    out.append(f"  {'id':<22}{'name':<24}{'score':>7}{'betw.':>8}{'constr.':>8}  msgr")
    for b in report["bridges"]:
        out.append(
            f"  {b['id'][:21]:<22}{b['name'][:23]:<24}{b['score']:>7.3f}{b['betweenness']:>8.3f}"
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
    out = [
        f"# {_md(_title(report))}",
        "",
        f"As of {s['as_of']}: **{s['stakeholders']}** stakeholders, **{s['relationships']}** relationships, "
        f"{s['components']} component(s). Gaps: " + ", ".join(f"{n} {sev}" for sev, n in s["gaps"].items()) + ".",
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
    out += [
        "",
        "## Bridging messengers",
        "",
        "| stakeholder | sector | score | betweenness | constraint | credible messenger |",
        "|---|---|---|---|---|---|",
    ]
    for b in report["bridges"]:
        out.append(
            f"| {_md(b['name'])} | {_md(b.get('sector') or '')} | {b['score']:.3f} | {b['betweenness']:.3f} | "
            f"{b['constraint'] if b['constraint'] is not None else '-'} | {'yes' if b['credible_messenger'] else ''} |"
        )
    out += ["", "## Referral paths"]
    for need, result in report["referrals"].items():
        out += ["", f"### {_md(need.replace('_', ' '))}", ""]
        rows = _reachable(result, names)
        out += [NO_REFERRAL] if not rows else []
        out += [f"- **{_md(name)}** ({_md(detail)}): {_md(path)}" for name, detail, path in rows]
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.8rem;border-bottom:3px solid #0072B2;padding-bottom:.3rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}.sev-high{color:#fff;background:#D55E00}.sev-medium{background:#E69F00}.sev-low{background:#F0E442}
.sev{font-weight:bold;padding:.1rem .4rem;border-radius:.2rem;white-space:nowrap}nav ol{columns:2}
@media print{@page{size:A4;margin:18mm}body{max-width:none;margin:0;font-size:10.5pt}h2{break-after:avoid}tr,li{break-inside:avoid}.map{break-inside:avoid}}
"""


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
        ("summary", "Summary"),
        ("scores", "Scores"),
        ("gaps", "Gaps"),
        ("bridges", "Bridging messengers"),
        ("referrals", "Referral paths"),
    ]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(_title(report))}</title>{head}<style>{_CSS}</style></head><body>",
        f"<h1>{e(_title(report))}</h1>",
        "<nav><h2>Contents</h2><ol>"
        + "".join(f'<li><a href="#{i}">{e(t)}</a></li>' for i, t in sections)
        + "</ol></nav>",
        '<section id="summary"><h2>Summary</h2>',
        f"<p>As of {e(s['as_of'])}: <strong>{s['stakeholders']}</strong> stakeholders, <strong>{s['relationships']}</strong> "
        f"relationships, {s['components']} component(s). Responder team: {e(str(names.get(s['team'], s['team']) or 'none'))}.</p>",
        "<p>Gaps: "
        + ", ".join(f'<span class="sev sev-{sev}">{n} {sev}</span>' for sev, n in s["gaps"].items())
        + "</p>",
        maps.get("summary", ""),
        "</section>",
        '<section id="scores"><h2>Scores</h2><table><tr><th>measure</th><th>value</th></tr>',
    ]
    for key in ("density", "average_degree", "degree_centralization", "reciprocity"):
        out.append(f"<tr><td>{key.replace('_', ' ')}</td><td>{number_text(net[key])}</td></tr>")
    out.append(
        f"<tr><td>trust (1-4)</td><td>{number_text(net['trust']['mean'])}</td></tr>"
        f"<tr><td>value (1-4)</td><td>{number_text(net['value']['mean'])}</td></tr></table></section>"
    )
    out.append(
        '<section id="gaps"><h2>Gaps</h2><table><tr><th>severity</th><th>kind</th><th>gap</th><th>recommendation</th></tr>'
    )
    for gap in report["gaps"]:
        out.append(
            f'<tr><td><span class="sev sev-{gap["severity"]}">{gap["severity"]}</span></td><td>{e(gap["kind"])}</td>'
            f"<td>{e(gap['message'])}</td><td>{e(gap['recommendation'])}</td></tr>"
        )
    waiting = _waiting(report)
    out.append("</table>" + (f"<p>{e(waiting)}</p>" if waiting else "") + maps.get("gaps", "") + "</section>")
    out.append(
        '<section id="bridges"><h2>Bridging messengers</h2><table><tr><th>stakeholder</th><th>sector</th><th>score</th>'
        "<th>betweenness</th><th>constraint</th><th>credible messenger</th></tr>"
    )
    for b in report["bridges"]:
        out.append(
            f"<tr><td>{e(b['name'])}</td><td>{e(b.get('sector') or '')}</td><td>{b['score']:.3f}</td>"
            f"<td>{b['betweenness']:.3f}</td><td>{b['constraint'] if b['constraint'] is not None else '-'}</td>"
            f"<td>{'yes' if b['credible_messenger'] else ''}</td></tr>"
        )
    out.append("</table>" + maps.get("bridges", "") + "</section>")
    out.append('<section id="referrals"><h2>Referral paths</h2>')
    for need, result in report["referrals"].items():
        out.append(f'<h3 id="need-{e(need)}">{e(need.replace("_", " "))}</h3><ul>')
        rows = _reachable(result, names)
        out += [f"<li>{NO_REFERRAL}</li>"] if not rows else []
        out += [f"<li><strong>{e(name)}</strong> ({e(detail)}): {e(path)}</li>" for name, detail, path in rows]
        out.append("</ul>" + maps.get(f"need-{need}", ""))
    out.append("</section>" + scripts + "</body></html>")
    return "\n".join(out) + "\n"


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
