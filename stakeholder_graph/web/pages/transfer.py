"""Import and export: upload a Kumu workbook, HSDS directory or partner survey, preview, merge; download
the dataset, the HTML report, the map and a Kumu workbook (anonymised for roles below the privacy setting)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from starlette.responses import Response
from starlette.routing import Route

from ...dataset import write_dataset
from ...errors import DataError
from ...formats.kumu import write_kumu
from ...maps import build_map
from ...report import build_report, render
from ..http import Ctx, NotFound, page
from ..imports import IMPORT_FORMATS, discard, preview, read_upload, save_upload
from ..records import diff, validated

NAV = ("Import and export", "/transfer", "viewer")
#: Downloads: name -> (file name, content type, what).
DOWNLOADS = {
    "dataset": (
        "dataset.zip",
        "application/zip",
        "the dataset folder (stakeholders.csv, relationships.csv, program.toml), zipped",
    ),
    "report": ("report.html", "text/html; charset=utf-8", "the HTML report with its maps (opens offline)"),
    "map": ("map.html", "text/html; charset=utf-8", "the interactive map (opens offline)"),
    "kumu": ("kumu.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "a Kumu workbook"),
}


@page("viewer")
def transfer(ctx: Ctx):
    return ctx.render("transfer.html", downloads=DOWNLOADS, formats=IMPORT_FORMATS, problems=[])


def build_download(G, what: str) -> bytes:
    """A download of ``G`` (already as the person may see it): ``report``, ``map``, ``kumu`` or ``dataset``."""
    if what == "report":
        return render(build_report(G), "html", G).encode()
    if what == "map":
        return build_map(G).encode()
    with tempfile.TemporaryDirectory() as tmp:
        if what == "kumu":
            return write_kumu(G, Path(tmp) / "kumu.xlsx").read_bytes()
        folder = write_dataset(G, Path(tmp) / "dataset")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("stakeholders.csv", "relationships.csv", "program.toml"):
                archive.write(folder / name, f"dataset/{name}")
        return buffer.getvalue()


@page("viewer")
def download(ctx: Ctx):
    what = ctx.param("what")
    if what not in DOWNLOADS:
        raise NotFound("There is no such download.")
    filename, kind, _ = DOWNLOADS[what]
    view = ctx.view
    body = view.cached(("download", what), lambda: build_download(view.G, what))
    prefix = "anonymized-" if view.anonymized else ""
    return Response(
        body, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{prefix}{filename}"'}
    )


@page("admin")
def upload(ctx: Ctx):
    """Keep the upload and show what merging it would add, match and leave out."""
    file = ctx.upload("file")
    if file is None or not file.filename:
        return ctx.render(
            "transfer.html",
            status=400,
            downloads=DOWNLOADS,
            formats=IMPORT_FORMATS,
            problems=["Choose a file to upload."],
        )
    state_folder = ctx.workspace.state.folder
    try:
        token = save_upload(state_folder, file.filename, file.file, ctx.account.name)
    except DataError as exc:
        return ctx.render(
            "transfer.html",
            status=400,
            downloads=DOWNLOADS,
            formats=IMPORT_FORMATS,
            problems=[str(p) for p in exc.problems],
        )
    return ctx.redirect(f"/import/{token}")


def _prepare(ctx: Ctx, token: str):
    state_folder = ctx.workspace.state.folder
    incoming, fmt, meta = read_upload(state_folder, token, ctx.account.name)
    merged, shown = preview(ctx.workspace.graph(), incoming, fmt)
    return incoming, fmt, meta, merged, shown


@page("admin")
def preview_page(ctx: Ctx):
    token = ctx.param("token")
    problems, shown, meta, fmt, records = [], None, {"name": "the upload"}, None, []
    try:
        _, fmt, meta, merged, shown = _prepare(ctx, token)
        records = diff(ctx.workspace.graph(), validated(merged))
    except DataError as exc:
        problems = [str(p) for p in exc.problems]
    return ctx.render(
        "preview.html",
        status=400 if problems else 200,
        token=token,
        name=meta["name"],
        fmt=IMPORT_FORMATS.get(fmt, fmt),
        shown=shown,
        problems=problems,
        changes=len(records),
    )


@page("admin")
def merge(ctx: Ctx):
    token = ctx.param("token")
    _, _, meta, _, _ = _prepare(ctx, token)

    def prepare(G):
        incoming, fmt, _ = read_upload(ctx.workspace.state.folder, token, ctx.account.name)
        merged, _ = preview(G, incoming, fmt)
        H = validated(merged)
        return H, diff(G, H)

    n = ctx.workspace.change(ctx.account.name, "import", f"imported {meta['name']}", prepare)
    discard(ctx.workspace.state.folder, token)
    return ctx.redirect(
        "/history",
        f"Imported {meta['name']}." + (f" Change #{n} can be reverted here." if n else " It changed nothing."),
    )


routes = [
    Route("/transfer", transfer),
    Route("/download/{what}", download),
    Route("/import", upload, methods=["POST"]),
    Route("/import/{token}", preview_page),
    Route("/import/{token}/merge", merge, methods=["POST"]),
]
