"""Which agency's return a history entry came from, said in the entry's ``by``.

``jtai apply`` writes ``Thames Valley Police (return)``, or with ``--by "Insp. A Smith"``
``Insp. A Smith (Thames Valley Police return)``, so that ``jtai remind --chase`` can tell
which agencies have replied since a date, whoever keyed the return in.
"""

from __future__ import annotations

import re

from ...plan.agencies import AgencyIndex

_LABEL = re.compile(r"(?:(?P<name>.+) \(return\)|.+ \((?P<of>.+) return\))")


def return_label(agency_name: str, by: str | None) -> str:
    return f"{by} ({agency_name} return)" if by else f"{agency_name} (return)"


def returned_agency(by: str, index: AgencyIndex) -> str | None:
    """The agency code a history entry's ``by`` names as the return's, else None."""
    match = _LABEL.fullmatch(by.strip())
    if match is None:
        return None
    return index.resolve(match.group("name") or match.group("of"))
