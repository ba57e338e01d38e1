"""An Open Referral datapackage as published: a folder or a ``.zip``, its tables wherever they are.

The tables are found through ``datapackage.json``'s resources (their ``path``, in any folder; a
resource is known by its ``name`` or its file name, singular or plural, so 1.1's ``regular_schedule``
and 3.0's ``schedules`` both name the schedules). When the descriptor is missing or broken, or names
no table we read, the tables are found by their file names, at the top or in a subfolder such as
``data/``. A descriptor kept as a git symbolic link (a file holding only the path of its target, as git
writes one where links are not supported) is followed when its target is there. Paths never leave the
package: a resource path with ``..`` or an absolute path is refused.
"""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import zipfile
from pathlib import Path, PurePosixPath

from ...errors import DataError, Problem
from ..problems import Group, ImportProblems

__all__ = ["TABLES", "Package", "open_package", "hsds_version", "is_hsds"]

#: Our name of each table read -> the resource names and file stems that hold it (1.1 and 3.0).
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("organizations", "organization"),
    "services": ("services", "service"),
    "service_at_location": ("service_at_location", "services_at_location", "service_at_locations"),
    "schedules": ("schedules", "schedule", "regular_schedules", "regular_schedule"),
    "taxonomy_terms": ("taxonomy_terms", "taxonomy_term", "taxonomy", "taxonomies_terms"),
    "service_taxonomy": ("services_taxonomy", "service_taxonomy", "service_taxonomies"),
    "attributes": ("attributes", "attribute"),
    "languages": ("languages", "language"),
}
#: File names only HSDS 3.0 has, and only 1.1 has.
_NAMES_30 = {"service_at_location", "schedules", "taxonomy_terms", "attributes"}
_NAMES_11 = {"services_at_location", "regular_schedules", "taxonomy", "services_taxonomy"}
#: Largest table read from a zip (uncompressed): a guard against archives that expand without end.
MAX_MEMBER_BYTES = 2 * 1024**3

ENCODING = Group(
    "encoding",
    "{n} table(s) are not UTF-8 text and were read as Windows-1252 (accented letters may be wrong); "
    "save them as 'CSV UTF-8'",
    strict=False,
)
UNREADABLE = Group("unreadable_table", "{n} table(s) could not be read and were left out")
DESCRIPTOR = Group("descriptor", "{n} problem(s) with datapackage.json; tables were found by their file names", False)


def _json(data: bytes):
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _stem(name: str) -> str:
    return PurePosixPath(name).name.rsplit(".", 1)[0].casefold()


class Package:
    """The files of a datapackage folder or zip, and where each table is.

    Parameters
    ----------
    source : path
        A folder, a ``.zip`` file, or a ``datapackage.json`` file (its folder is the package).
    problems : ImportProblems
        Where problems reading the package are recorded.
    """

    def __init__(self, source: Path, problems: ImportProblems):
        self.source = source
        self.problems = problems
        self.zip: zipfile.ZipFile | None = None
        if source.is_file() and zipfile.is_zipfile(source):
            self.zip = zipfile.ZipFile(source)
            self.files = [n for n in self.zip.namelist() if not n.endswith("/") and "__MACOSX" not in n]
        else:
            root = source.parent if source.is_file() else source
            self.root_path = root
            self.files = sorted(
                p.relative_to(root).as_posix()
                for depth in ("*", "*/*", "*/*/*")
                for p in root.glob(depth)
                if (p.is_file() or p.is_symlink()) and not any(part.startswith(".") for part in p.parts[-3:])
            )
        self.files.sort(key=lambda n: (n.count("/"), n))
        self.descriptor: dict | None = None
        self.descriptor_name: str | None = None
        self.base = ""  # folder of datapackage.json inside the package ("" at the top)
        self.where: dict[str, str] = {}
        self._texts: dict[str, str | None] = {}
        self._read_descriptor()
        self._locate()

    # -- files ------------------------------------------------------------------------------------------
    def label(self, name: str) -> str:
        """How a problem names a file of the package: ``FOLDER/data/services.csv`` or ``FILE.zip/data/...``."""
        if self.zip is not None:
            return f"{self.source}/{name}"
        return str(self.root_path / name)

    def _bytes(self, name: str) -> bytes | None:
        """The bytes of a member; None when it is missing (a broken link, a missing zip member)."""
        if self.zip is not None:
            try:
                info = self.zip.getinfo(name)
            except KeyError:
                return None
            if info.file_size > MAX_MEMBER_BYTES:
                self.problems.add(UNREADABLE, Problem(self.label(name), None, None, "is larger than 2 GB unpacked"))
                return None
            return self.zip.read(info)
        path = self.root_path / name
        return path.read_bytes() if path.is_file() else None

    def _follow_text_link(self, name: str, data: bytes) -> tuple[str, bytes] | None:
        """A git symbolic link stored as a file: the member it names, and its bytes, when it is here."""
        text = data.decode("utf-8", "replace").strip()
        if not text or "\n" in text or text.startswith(("{", "[")) or len(text) > 300:
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), text))
        if self.zip is not None:
            found = self._bytes(target) if not target.startswith("..") else None
            return (target, found) if found is not None else None
        path = (self.root_path / posixpath.dirname(name) / text).resolve()
        return (target, path.read_bytes()) if path.is_file() else None

    def _read_descriptor(self) -> None:
        names = [n for n in self.files if PurePosixPath(n).name.casefold() == "datapackage.json"]
        if not names:
            return
        name = names[0]
        self.descriptor_name = name
        self.base = posixpath.dirname(name)
        label = self.label(name)
        data = self._bytes(name)
        if data is None:
            link = (
                os.readlink(self.root_path / name) if self.zip is None and (self.root_path / name).is_symlink() else ""
            )
            self.problems.add(
                DESCRIPTOR,
                Problem(label, None, None, f"is a symbolic link to {link!r}, which is not there: it was ignored"),
            )
            return
        parsed = _json(data)
        if parsed is None:
            followed = self._follow_text_link(name, data)
            parsed = _json(followed[1]) if followed else None
            if parsed is None:
                text = data.decode("utf-8", "replace").strip()
                if text and "\n" not in text and not text.startswith(("{", "[")) and len(text) <= 300:
                    why = (
                        f"holds only the text {text[:80]!r}: a symbolic link as git stores one, whose target is "
                        "not in the package (or not JSON); it was ignored"
                    )
                else:
                    why = "is not valid JSON and was ignored"
                self.problems.add(DESCRIPTOR, Problem(label, None, None, why))
                return
        if not isinstance(parsed, dict):
            self.problems.add(DESCRIPTOR, Problem(label, None, None, "is not a JSON object and was ignored"))
            return
        self.descriptor = parsed

    def _locate(self) -> None:
        """Fill :attr:`where`: our table name -> member name, from the resources, else the file names."""
        known = {alias: table for table, aliases in TABLES.items() for alias in aliases}
        resources = self.descriptor.get("resources") if self.descriptor else None
        label = self.label(self.descriptor_name or "datapackage.json")
        for i, resource in enumerate(resources if isinstance(resources, list) else []):
            if not isinstance(resource, dict):
                continue
            path = resource.get("path")
            paths = path if isinstance(path, list) else [path]
            if not paths or not all(isinstance(p, str) and p for p in paths):
                continue
            table = known.get(str(resource.get("name", "")).casefold()) or known.get(_stem(paths[0]))
            if table is None or table in self.where:
                continue
            relative = paths[0]
            where = f"resources[{i}]: path {relative!r}"
            if "://" in relative:
                self.problems.add(
                    DESCRIPTOR, Problem(label, None, None, f"{where} is on the web, which is not fetched")
                )
                continue
            if relative.startswith("/") or ".." in PurePosixPath(relative).parts:
                self.problems.add(
                    DESCRIPTOR, Problem(label, None, None, f"{where} leaves the package and was not read")
                )
                continue
            member = posixpath.normpath(posixpath.join(self.base, relative))
            if member in self.files:
                self.where[table] = member
            else:
                self.problems.add(DESCRIPTOR, Problem(label, None, None, f"{where} is not in the package"))
        for name in self.files:  # shallowest first: the file names fill in what the resources did not say
            if name.casefold().endswith(".csv") and (table := known.get(_stem(name))) and table not in self.where:
                self.where[table] = name

    @property
    def title(self) -> str | None:
        """The descriptor's ``title`` (else its ``name``), when there is one."""
        if self.descriptor:
            for key in ("title", "name"):
                if isinstance(self.descriptor.get(key), str) and self.descriptor[key].strip():
                    return self.descriptor[key].strip()
        return None

    @property
    def name(self) -> str:
        """The package's folder or file name, without ``.zip``."""
        path = self.source.resolve()
        path = path.parent if path.is_file() and not self.zip else path
        return path.name[:-4] if path.name.casefold().endswith(".zip") else path.name

    def version(self) -> str:
        """``"3.0"`` or ``"1.1"``, told from the tables' names, else from the organizations' columns."""
        stems = {_stem(n) for n in self.files}
        stems |= {
            str(r.get("name", "")).casefold()
            for r in (self.descriptor or {}).get("resources", []) or []
            if isinstance(r, dict)
        }
        if stems & _NAMES_30 and not ({"regular_schedules", "services_at_location"} & stems):
            return "3.0"
        if stems & (_NAMES_11 | {"regular_schedule", "service_taxonomy"}):
            return "1.1"
        header = self.header("organizations")
        return "1.1" if "url" in header and "website" not in header else "3.0"

    # -- tables -----------------------------------------------------------------------------------------
    def _text(self, table: str) -> str | None:
        if table not in self._texts:
            self._texts[table] = self._decode(table)
        return self._texts[table]

    def _decode(self, table: str) -> str | None:
        name = self.where.get(table)
        data = self._bytes(name) if name else None
        if data is None:
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.problems.add(
                ENCODING, Problem(self.label(name), None, None, "is not UTF-8 text: read as Windows-1252")
            )
            return data.decode("cp1252", "replace")

    def header(self, table: str) -> list[str]:
        text = self._text(table) if table in self.where else None
        return [h.strip().lower() for h in next(csv.reader(io.StringIO(text or "")), [])]

    def read(self, table: str, required: tuple[str, ...] = ()) -> list[tuple[int, dict[str, str]]] | None:
        """The table's rows as (row number, {column: text}); [] when the package has no such table.

        None when a ``required`` column is missing (recorded as a problem; the caller decides whether
        that stops the import). Row numbers are as a spreadsheet shows them: the header is row 1, and a
        cell spanning several lines counts once.
        """
        text = self._texts.pop(table, None) or self._decode(table)  # read once, then let the text go
        if text is None:
            return []
        label = self.label(self.where[table])
        reader = csv.reader(io.StringIO(text))
        try:
            header = [h.strip().lower() for h in next(reader, [])]
            missing = [c for c in required if c not in header]
            if missing:
                for column in missing:
                    self.problems.add(
                        UNREADABLE, Problem(label, 1, column, "required column is missing from the header")
                    )
                return None
            rows, number = [], 2
            for cells in reader:
                record = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
                if any(record.values()):
                    rows.append((number, record))
                number = reader.line_num + 1
        except csv.Error as exc:
            self.problems.add(UNREADABLE, Problem(label, reader.line_num, None, f"is not a readable CSV file: {exc}"))
            return None
        return rows

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def open_package(source: str | os.PathLike, problems: ImportProblems) -> Package:
    """The :class:`Package` at ``source`` (a folder, a ``.zip``, or a ``datapackage.json``).

    Raises
    ------
    DataError
        When ``source`` is none of those.
    """
    path = Path(source)
    if path.is_dir() or (path.is_file() and (zipfile.is_zipfile(path) or path.name.casefold() == "datapackage.json")):
        return Package(path, problems)
    if path.is_file() and path.suffix.casefold() == ".zip":
        raise DataError(Problem(str(path), None, None, "is not a readable zip file (damaged or incomplete download?)"))
    raise DataError(
        Problem(str(path), None, None, "is not an HSDS directory (a folder or .zip of CSVs with datapackage.json)")
    )


def is_hsds(source: str | os.PathLike) -> bool:
    """True for a folder or zip holding ``datapackage.json`` or both ``organizations.csv`` and ``services.csv``
    (at the top or in a subfolder), or a ``datapackage.json`` file."""
    path = Path(source)
    if path.is_file() and path.name.casefold() == "datapackage.json":
        return True
    if path.is_file() and path.suffix.casefold() == ".zip":
        if not zipfile.is_zipfile(path):
            return True  # a damaged zip: the HSDS reader says so
        with zipfile.ZipFile(path) as archive:
            stems = {_stem(n) for n in archive.namelist() if n.count("/") <= 2}
            names = {PurePosixPath(n).name.casefold() for n in archive.namelist() if n.count("/") <= 2}
    elif path.is_dir():
        found = [p for depth in ("*", "*/*") for p in path.glob(depth)]
        stems = {_stem(p.name) for p in found}
        names = {p.name.casefold() for p in found}
    else:
        return False
    if "stakeholders.csv" in names:
        return False
    return "datapackage.json" in names or ({"organizations", "services"} <= stems)


def hsds_version(source: str | os.PathLike) -> str:
    """``"3.0"`` or ``"1.1"`` of a folder or zip, told from the tables present (3.0 renamed several)."""
    package = Package(Path(source), ImportProblems())
    try:
        return package.version()
    finally:
        package.close()
