"""Office packages with one date throughout, so equal inputs give byte-identical files.

openpyxl and python-docx date every zip member and the document's created and modified
properties with the current time. Here they all get the export's "generated" time, which
honours ``SOURCE_DATE_EPOCH`` as ``jtai report`` does: an export kept in git or built in CI
changes only when the plan does.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

CORE = "docProps/core.xml"
_STAMPS = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The zip format cannot date a member earlier."""


def restamp(package: bytes, when: datetime) -> bytes:
    """``package`` with every member, and its created/modified properties, dated ``when``
    (UTC)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    t = when.timetuple()
    date_time = (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec) \
        if t.tm_year >= ZIP_EPOCH[0] else ZIP_EPOCH
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == CORE:
                body = _STAMPS.sub(lambda m: f"{m[1]}{stamp}{m[3]}",
                                   body.decode("utf-8")).encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, body)
    return out.getvalue()
