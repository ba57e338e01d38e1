"""Importing into the workspace: an uploaded Kumu workbook, Open Referral (HSDS) directory (zip) or partner
survey, read by the project's own readers, matched against the live network, previewed, then merged.

An upload is kept in the state folder (``uploads/TOKEN/``) between the preview and the merge, so the merge
reads the same file again, never anything the browser sends back; uploads older than a day are removed.
HSDS directories merge with :func:`stakeholder_graph.formats.hsds.merge_directory`; other sources with
:func:`merge_graph`: a stakeholder is matched by id, else by kind and name (compared as HSDS merging
compares names); one match fills in what the network lacks (the network's values win), no match adds
it, several leave it out, with its relationships, until the names are told apart.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import shutil
import time
import zipfile
from collections import defaultdict
from pathlib import Path

import networkx as nx

from .._ids import unique_ids
from ..errors import DataError, Problem
from ..formats.hsds import merge_directory, normalize_name
from ..sources import detect_format, open_source

__all__ = ["IMPORT_FORMATS", "save_upload", "read_upload", "merge_graph", "preview", "discard"]

#: What can be imported, by what the upload is.
IMPORT_FORMATS = {
    "kumu": "a Kumu workbook or blueprint",
    "hsds": "an Open Referral (HSDS) directory",
    "survey": "a partner survey",
}
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_MEMBERS = 2000
KEEP_SECONDS = 24 * 3600
_SUFFIXES = (".xlsx", ".xlsm", ".json", ".csv", ".zip")


def _uploads(state_folder: Path) -> Path:
    folder = state_folder / "uploads"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        if old.is_dir() and time.time() - old.stat().st_mtime > KEEP_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def _safe_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip() or "upload"
    cleaned = "".join(c if c.isalnum() or c in "._- " else "_" for c in base)[:100]
    return cleaned if not cleaned.startswith(".") else "_" + cleaned


def save_upload(state_folder: Path, filename: str, data, account: str) -> str:
    """Keep an uploaded file (a file object) for preview and merge; its token."""
    name = _safe_name(filename)
    if not name.casefold().endswith(_SUFFIXES):
        raise DataError(
            Problem(
                name,
                None,
                None,
                "upload a Kumu workbook (.xlsx) or blueprint (.json), an HSDS directory as a .zip, or a partner survey (.csv)",
            )
        )
    token = secrets.token_urlsafe(18)
    folder = _uploads(state_folder) / token
    folder.mkdir()
    target = folder / name
    with open(target, "wb") as out:
        shutil.copyfileobj(data, out, length=1024 * 1024)
    (folder / "upload.json").write_text(json.dumps({"name": name, "account": account, "at": time.time()}))
    if name.casefold().endswith(".zip"):
        _unzip(target, folder / "unzipped")
    return token


def _unzip(path: Path, into: Path) -> None:
    """Extract a zip safely: no paths outside ``into``, no links, bounded size and count."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise DataError(Problem(path.name, None, None, "the zip is too large to import"))
            into.mkdir()
            root = into.resolve()
            for member in members:
                target = (into / member.filename).resolve()
                if root not in target.parents or (member.external_attr >> 16) & 0o170000 == 0o120000:
                    raise DataError(
                        Problem(path.name, None, None, f"{member.filename!r} would be written outside the upload")
                    )
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
    except zipfile.BadZipFile:
        raise DataError(Problem(path.name, None, None, "is not a zip file that can be read")) from None


def _upload(state_folder: Path, token: str) -> tuple[Path, dict]:
    folder = state_folder / "uploads" / token
    if not token.replace("-", "").replace("_", "").isalnum() or not (folder / "upload.json").is_file():
        raise DataError(
            Problem("upload", None, None, "this upload is gone (uploads are kept for a day): upload it again")
        )
    return folder, json.loads((folder / "upload.json").read_text())


def read_upload(state_folder: Path, token: str, account: str) -> tuple[nx.MultiDiGraph, str, dict]:
    """Read a kept upload with the project's readers: ``(graph, format, metadata)``.

    Raises DataError with the reader's problems, named by the uploaded file's name (not the server's path).
    """
    folder, meta = _upload(state_folder, token)
    if meta["account"] != account:
        raise DataError(Problem("upload", None, None, "this upload belongs to another account"))
    path = folder / meta["name"]
    if (folder / "unzipped").is_dir():
        path = folder / "unzipped"
        entries = [p for p in path.iterdir() if not p.name.startswith((".", "__MACOSX"))]
        if len(entries) == 1 and entries[0].is_dir():
            path = entries[0]  # a zip of the directory itself
    try:
        fmt = detect_format(path)
        if fmt not in IMPORT_FORMATS:
            raise DataError(
                Problem(
                    meta["name"],
                    None,
                    None,
                    f"reads as {fmt}, which is not imported here; import a Kumu workbook, an HSDS directory (zip) or a partner survey",
                )
            )
        G = open_source(path, fmt)
    except DataError as exc:
        prefix = str(path)
        raise DataError(
            [Problem(p.file.replace(prefix, meta["name"]), p.row, p.column, p.message) for p in exc.problems]
        ) from None
    return G, fmt, meta


def discard(state_folder: Path, token: str) -> None:
    shutil.rmtree(state_folder / "uploads" / token, ignore_errors=True)


def _fill(attrs: dict, new: dict) -> list[str]:
    filled = []
    for key, value in new.items():
        if key not in attrs and value not in (None, "", []):
            attrs[key] = copy.deepcopy(value)
            filled.append(key)
    return filled


def merge_graph(base: nx.MultiDiGraph, incoming: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict]:
    """Merge any stakeholder graph into ``base`` (see the module's docstring); ``(merged, report)``."""
    G = copy.deepcopy(base)
    index: dict[tuple, list[str]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        index[(attrs.get("kind"), normalize_name(str(attrs.get("name", node))))].append(node)
    report = {"matched": [], "added": [], "ambiguous": []}
    where: dict[str, str | None] = {}
    for node, attrs in incoming.nodes(data=True):
        entry = {"name": str(attrs.get("name", node)), "kind": attrs.get("kind")}
        if node in G and G.nodes[node].get("kind") == attrs.get("kind"):
            found = [node]
        else:
            found = index.get((attrs.get("kind"), normalize_name(entry["name"])), [])
        if len(found) == 1:
            where[node] = found[0]
            report["matched"].append({**entry, "id": found[0], "filled": _fill(G.nodes[found[0]], attrs)})
        elif found:
            where[node] = None
            report["ambiguous"].append({**entry, "candidates": sorted(found)})
        else:
            new = unique_ids([node], taken=set(G))[0] if node in G else node
            G.add_node(new, **copy.deepcopy(attrs))
            where[node] = new
            report["added"].append({**entry, "id": new})
    ties = {"added": 0, "matched": 0, "left_out": []}
    for u, v, kind, attrs in incoming.edges(keys=True, data=True):
        a, b = where.get(u), where.get(v)
        if a is None or b is None:
            ties["left_out"].append(f"{incoming.nodes[u].get('name', u)} {kind} {incoming.nodes[v].get('name', v)}")
            continue
        if G.has_edge(a, b, kind):
            _fill(G.edges[a, b, kind], attrs)
            ties["matched"] += 1
        else:
            G.add_edge(a, b, key=kind, **copy.deepcopy(attrs))
            ties["added"] += 1
    report["relationships"] = ties
    return G, report


def preview(base: nx.MultiDiGraph, incoming: nx.MultiDiGraph, fmt: str) -> tuple[nx.MultiDiGraph, dict]:
    """The merged network and what a person sees before merging: ``groups`` (title, matched, added,
    ambiguous), ``relationships`` counts, the reader's ``warnings`` and, for a survey, its response rate."""
    if fmt == "hsds":
        merged, report = merge_directory(base, incoming)
        groups = [(title, report[key]) for key, title in (("organizations", "Organizations"), ("services", "Services"))]
        added = merged.number_of_edges() - base.number_of_edges()
        relationships = {"added": added, "matched": 0, "left_out": []}
    else:
        merged, report = merge_graph(base, incoming)
        groups = [("Stakeholders", report)]
        relationships = report["relationships"]
    return merged, {
        "groups": [
            {"title": t, "matched": g["matched"], "added": g["added"], "ambiguous": g["ambiguous"]} for t, g in groups
        ],
        "relationships": relationships,
        "warnings": list(incoming.graph.get("warnings") or []),
        "survey": incoming.graph.get("survey"),
    }
