"""Reading one cell's value as the plan means it: refs, dates, RAG ratings, owners, text.

Each reader returns the value and, when it had to guess, a note saying what it guessed; a
value that cannot be read raises :class:`Unreadable` with a message for the person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

from ...plan.dates import BadDate, looks_like_date, parse_date, parse_month
from ...plan.model import RAG
from ...plan.textpolicy import normalise_breaks, trim
from ..styles import rag_from_fill
from .grid import Cell


class Unreadable(ValueError):
    """A value that could not be read; the message says what was expected."""


_REF = re.compile(r"(\d{1,6})\.(\d{1,6})\Z")
_MULTI_AGENCY = re.compile("[ \t\xa0]*multi[ \t\xa0-]*agency[ \t\xa0]*:[ \t\xa0]*", re.IGNORECASE)


def ref_of(cell: Cell) -> tuple[str, bool]:
    """``"2.1"``, kept as text, and whether Excel had stored it as a number (so that 2.10
    may have become 2.1: the caller warns when the objective runs past .9)."""
    if isinstance(cell.value, float) and not isinstance(cell.value, bool):
        text = repr(cell.value)
        if not _REF.match(text):
            raise Unreadable(f"'{cell.text}' is not a ref such as 2.1")
        return text, True
    text = cell.text.strip().rstrip(".")
    if not _REF.match(text):
        raise Unreadable(f"'{cell.text}' is not a ref such as 2.1")
    return text, False


def looks_like_ref(cell: Cell) -> bool:
    try:
        ref_of(cell)
    except Unreadable:
        return False
    return True


_RAG_WORDS: dict[str, RAG] = {
    "blue": RAG.BLUE, "b": RAG.BLUE, "complete": RAG.BLUE, "completed": RAG.BLUE,
    "green": RAG.GREEN, "g": RAG.GREEN,
    "amber": RAG.AMBER, "a": RAG.AMBER,
    "red": RAG.RED, "r": RAG.RED,
}


def rag_of(cell: Cell) -> tuple[RAG | None, str | None]:
    """The rating a cell gives by its word, letter, or (when empty) its fill colour."""
    word = " ".join(cell.text.split()).casefold().rstrip(".")
    if word:
        if word in _RAG_WORDS:
            return _RAG_WORDS[word], None
        raise Unreadable(f"'{cell.text}' is not a RAG rating: use Blue, Green, Amber or Red "
                         "(or B, G, A, R, or Completed)")
    if cell.formula_without_value:
        raise Unreadable("a formula with no saved result: open the file in Excel, let it "
                         "calculate, save, and import again")
    if cell.fill and cell.fill.startswith("theme"):
        raise Unreadable("no text, and its fill is one of the workbook's theme colours, which "
                         "jtai does not guess: type the rating (Blue, Green, Amber, Red)")
    rag = rag_from_fill(cell.fill)
    if rag is not None:
        return rag, f"no text; read {rag.value} from the cell's fill colour"
    if cell.fill and rag_from_fill(cell.fill) is None and cell.fill.upper()[-6:] not in (
            "FFFFFF", "000000"):
        raise Unreadable(f"no text, and its fill colour {cell.fill[-6:]} is not a RAG colour")
    return None, None


@dataclass(frozen=True)
class CompleteBy:
    value: date | str | None
    note: str | None = None
    written: str | None = None
    """The wording, when a month alone was read as its last day."""


def complete_by_of(cell: Cell) -> CompleteBy:
    """A date (any day-first form or an Excel date), a month alone as its last day, or a
    status word such as "In place" kept as written."""
    if isinstance(cell.value, datetime):
        return CompleteBy(cell.value.date())
    if isinstance(cell.value, date):
        return CompleteBy(cell.value)
    if cell.formula_without_value:
        raise Unreadable("a formula with no saved result: open the file in Excel, let it "
                         "calculate, save, and import again")
    text = " ".join(cell.text.split())
    if not text:
        return CompleteBy(None)
    if looks_like_date(text):
        try:
            return CompleteBy(parse_date(text, "complete-by"))
        except BadDate as exc:
            raise Unreadable(str(exc)) from None
    month = parse_month(text)
    if month is not None:
        return CompleteBy(month, f"'{text}' read as the month's last day, {month.isoformat()}",
                          text)
    if re.fullmatch(r"[\d\s./-]+", text):
        raise Unreadable(f"complete-by '{text}' is neither a date nor a word")
    return CompleteBy(text)


def multi_agency_of(text: str) -> tuple[bool, str]:
    """``MULTI-AGENCY: Do X`` -> ``(True, "Do X")``; any case."""
    match = _MULTI_AGENCY.match(text)
    return (True, trim(text[match.end():])) if match else (False, trim(text))


_YES = frozenset(("yes", "y", "true", "x", "1", "multi-agency", "multi agency"))
_NO = frozenset(("no", "n", "false", "0", "-", "single agency", "single-agency"))


def flag_of(cell: Cell) -> bool | None:
    """A Multi-agency column's cell: True, False, or None when empty."""
    if isinstance(cell.value, bool):
        return cell.value
    word = " ".join(cell.text.split()).casefold().rstrip(".")
    if not word:
        return None
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise Unreadable(f"'{cell.text}' is not a multi-agency answer: use Yes or No")


_OWNER_SPLIT = re.compile(
    r"\s*(?:\bwith support from\b|\bsupported by\b|\bwith\b|\band\b|/|&|,|;|\+|\n)\s*",
    re.IGNORECASE)
_NOT_AGENCIES = {"partners", "all partners", "other partners", "others", "etc", "support"}


def split_owners(text: str) -> list[str]:
    """"TVP with support from BFfC" -> ["TVP", "BFfC"]; "BFFC with partners" -> ["BFFC"]."""
    parts = [" ".join(p.split()) for p in _OWNER_SPLIT.split(text)]
    return [p for p in parts if p and p.casefold() not in _NOT_AGENCIES]


class _Text(HTMLParser):
    BLOCKS = frozenset({"p", "div", "li", "ol", "ul", "br", "tr", "h1", "h2", "h3", "h4"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.BLOCKS:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        self.blocks[-1].append(data)


def html_blocks(text: str) -> list[str]:
    """The text of an HTML fragment (the seed's ``<p>``, ``<ol>``, ``<i>``), one item per
    block, whitespace collapsed; text without tags is one block."""
    if "<" not in text:
        return [" ".join(text.split())] if text.strip() else []
    parser = _Text()
    parser.feed(text)
    parser.close()
    blocks = (" ".join("".join(parts).split()) for parts in parser.blocks)
    return [b for b in blocks if b]


_FRAGMENT = re.compile(r"\s*<(?:p|ol|ul|div|h[1-6]|table|blockquote)\b[^>]*>", re.IGNORECASE)


def is_fragment(text: str) -> bool:
    """Whether a cell is an HTML fragment (it starts with a block element, as the seed's
    summary and characteristics do): only such a cell is read as HTML."""
    return _FRAGMENT.match(text) is not None


def plain(text: str) -> str:
    """A cell's text as the plan holds it: an HTML fragment as one line of its text, tags
    dropped; any other text exactly as written (``<``, ``&``, line breaks and runs of
    spaces kept), only the blank space around it trimmed."""
    if is_fragment(text):
        return " ".join(html_blocks(text))
    return trim(normalise_breaks(text))


def numbered_items(text: str) -> list[str]:
    """"1. A. 2. B." -> ["A.", "B."]: items numbered 1, 2, 3... in one run of text."""
    items = []
    position, number = 0, 1
    starts = []
    while True:
        match = re.compile(rf"(?:^|\s){number}\.\s").search(text, position)
        if not match:
            break
        starts.append((match.start(), match.end()))
        position, number = match.end(), number + 1
    for k, (_start, end) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        items.append(text[end:stop].strip())
    return [i for i in items if i]
