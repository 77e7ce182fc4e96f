"""Opening a user's office file safely: the right kind, not encrypted, not a zip bomb.

Every import and every return passes through here first, so a bad file gets one clear
message (exit 2) before openpyxl or python-docx sees it, and never a traceback or a hang.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CannotRun

if TYPE_CHECKING:
    from docx.document import Document
    from openpyxl import Workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Old binary .doc/.xls files, and password-protected .docx/.xlsx (an encrypted container)."""

MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""No real plan's sheet or document body comes near this uncompressed; an 80 MB sheet or a
zip bomb does."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
"""Compression ratio beyond which a member is a bomb, not a spreadsheet (real ones: 5-20)."""

SAVE_AS = {".xls": ".xlsx", ".doc": ".docx", ".xlsm": ".xlsx", ".xltx": ".xlsx",
           ".xltm": ".xlsx", ".dotx": ".docx", ".dotm": ".docx", ".docm": ".docx"}


@dataclass(frozen=True)
class OfficeFile:
    path: Path
    suffix: str
    """Lower-case, with the dot: ``.xlsx``."""


def check_office_file(path: Path, expected: tuple[str, ...]) -> OfficeFile:
    """Refuse, with a message saying what to do, anything that is not a safe ``expected`` file."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise CannotRun(f"{path}: no such file")
    if path.is_dir():
        raise CannotRun(f"{path}: is a folder, not a file")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise CannotRun(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if head == OLE_MAGIC:
        if suffix in (".xls", ".doc"):
            raise CannotRun(
                f"{path}: an old binary {suffix} file, which jtai cannot read",
                hint=f"open it in Word or Excel and save it as {SAVE_AS[suffix]}")
        raise CannotRun(
            f"{path}: password-protected (encrypted), so jtai cannot read it",
            hint="open it, remove the password (File > Info > Protect), save, and try again")
    if suffix in SAVE_AS:
        raise CannotRun(
            f"{path}: a {suffix} file (macro-enabled or a template), which jtai does not read",
            hint=f"save a copy as {SAVE_AS[suffix]} without macros, and import that")
    if suffix not in expected:
        raise CannotRun(
            f"{path}: jtai reads {', '.join(expected)} here, not '{suffix or path.name}'")
    if suffix in (".xlsx", ".docx"):
        _check_zip(path, suffix)
    return OfficeFile(path, suffix)


def _check_zip(path: Path, suffix: str) -> None:
    kind = "workbook" if suffix == ".xlsx" else "Word document"
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise CannotRun(f"{path}: not a readable {kind} (the file is damaged or not {suffix})",
                        hint=f"open it in {'Excel' if suffix == '.xlsx' else 'Word'} and "
                             f"save it again as {suffix}") from None
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or (member.file_size > 1_000_000
                                                   and ratio > MAX_RATIO):
            raise CannotRun(
                f"{path}: part '{member.filename}' would unpack to "
                f"{member.file_size // (1024 * 1024)} MB, far more than any plan needs; "
                f"refused to protect this machine",
                hint="remove unused sheets, images or blank formatted rows and save again")
    if total > MAX_TOTAL_BYTES:
        raise CannotRun(f"{path}: would unpack to {total // (1024 * 1024)} MB; refused",
                        hint="remove unused sheets or images and save again")
    names = {m.filename for m in members}
    wanted = "xl/workbook.xml" if suffix == ".xlsx" else "word/document.xml"
    if wanted not in names:
        raise CannotRun(f"{path}: not a {kind} (it is a zip file without {wanted})")
    if suffix == ".xlsx" and "xl/vbaProject.bin" in names:
        raise CannotRun(f"{path}: holds macros, which jtai does not read",
                        hint="save a copy as .xlsx without macros, and import that")


def open_workbook(path: Path, *, read_only: bool = True, data_only: bool = True) -> Workbook:
    """A checked workbook, cached values only: formulas are never evaluated (``data_only``
    False gives a formula's text instead, to tell a missing cached value from an empty
    cell)."""
    check_office_file(path, (".xlsx",))
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=read_only, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise CannotRun(f"{path}: Excel workbook could not be read ({type(exc).__name__}: "
                        f"{exc})", hint="open it in Excel and save it again") from None


def sheets_with_formulas(path: Path) -> set[str]:
    """The sheet parts of a (checked) workbook that hold a formula
    (``xl/worksheets/sheet1.xml``): only those are worth a second, formula-text read."""
    import re

    with zipfile.ZipFile(path) as archive:
        return {info.filename for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                and re.search(rb"<f[ >]", archive.read(info))}


def open_document(path: Path) -> Document:
    check_office_file(path, (".docx",))
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged file
        raise CannotRun(f"{path}: Word document could not be read ({type(exc).__name__}: "
                        f"{exc})", hint="open it in Word and save it again") from None


def saved_at(path: Path) -> datetime | None:
    """When a (checked) office file says it was last saved (``dcterms:modified`` in
    docProps/core.xml), or None when it does not say.

    openpyxl's own ``properties.modified`` cannot tell: it fills a missing record with the
    time of reading, which would date a return today.
    """
    import re

    with zipfile.ZipFile(path) as archive:
        try:
            core = archive.read("docProps/core.xml")
        except KeyError:
            return None
    # The namespace prefix is the writer's choice; the element's local name is not.
    found = re.search(rb"<(?:[\w.-]+:)?modified\b[^>]*>\s*([^<]*?)\s*<", core)
    if found is None:
        return None
    try:
        stamp = datetime.fromisoformat(found.group(1).decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
