"""The CSV export: the "Actions" columns, one row per action, for Excel and for scripts.

UTF-8 with a byte-order mark, because Excel reads a CSV without one in the machine's code
page and mangles "–" and "é"; CRLF line ends; every cell formula-safe (text starting with
=, +, - or @ gets a leading apostrophe, as ``jtai status --format csv`` does). Dates are
ISO (2025-06-30), which Excel reads as a date in any locale. With several plans a Plan
column (the plan's id) comes first.
"""

from __future__ import annotations

import csv
import io

from ...views.formats import csv_cell
from .rows import ACTION_COLUMNS, ExportTable, values

BOM = "\ufeff"


def write(table: ExportTable) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    columns = table.columns(ACTION_COLUMNS)
    writer.writerow([column.header for column in columns])
    for action in table.actions:
        writer.writerow([csv_cell(value) for value in values(action, columns)])
    return out.getvalue().encode("utf-8")
