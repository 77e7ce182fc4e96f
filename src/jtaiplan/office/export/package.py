"""Rows put into a workbook that openpyxl wrote with empty sheets.

openpyxl writes the workbook's every part but the cells (style sheet, column widths,
drop-downs, page setup, properties) with empty ``<sheetData></sheetData>``; :mod:`.sheetrows`
writes the rows far faster than openpyxl's cells would. Here each sheet gets its rows, and
the size of its used range (``<dimension>``), which openpyxl computed from no cells.
"""

from __future__ import annotations

import io
import zipfile
from typing import NamedTuple

EMPTY_ROWS = b"<sheetData></sheetData>"
EMPTY_RANGE = b'<dimension ref="A1:A1"/>'


class SheetBody(NamedTuple):
    dimension: str
    """The used range: ``A1:T10001``."""
    rows: bytes
    """The ``<row>`` elements."""


def fill_package(skeleton: bytes, bodies: dict[str, SheetBody]) -> bytes:
    """``skeleton`` with each member named in ``bodies`` (``xl/worksheets/sheet1.xml``)
    given its rows and range. Members are stored, not deflated: the caller re-packs them
    anyway (:func:`.stamp.restamp`), and deflating twice would cost a tenth of the export."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(skeleton)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        left = dict(bodies)
        for info in source.infolist():
            data = source.read(info)
            body = left.pop(info.filename, None)
            if body is not None:
                data = _splice(_splice(data, EMPTY_RANGE,
                                       b'<dimension ref="%s"/>' % body.dimension.encode()),
                               EMPTY_ROWS, b"<sheetData>" + body.rows + b"</sheetData>")
            target.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), data)
    if left:
        raise RuntimeError(f"openpyxl wrote no {', '.join(left)}")
    return out.getvalue()


def _splice(data: bytes, empty: bytes, full: bytes) -> bytes:
    # Exactly one place: user text inside a sheet is escaped, so it cannot hold the markup.
    if data.count(empty) != 1:
        raise RuntimeError(f"openpyxl's sheet has not one {empty.decode()}")
    return data.replace(empty, full)
