"""How RAG ratings look in office files, as data: fills written out and fills read back.

Exports and packs write these fills; the importer reads a RAG from a cell's fill when the
cell has no text (trackers often only colour it). The word is always written too: fills are
lost in print and by colour-blind readers.
"""

from __future__ import annotations

import math

from ..plan.model import RAG

# Fill and text colours (RGB hex) for each rating: light tints with dark text, as the HTML
# report uses, so the word stays readable (WCAG AA) on screen and in print.
RAG_FILL: dict[RAG, str] = {
    RAG.BLUE: "9DC3E6",
    RAG.GREEN: "A9D08E",
    RAG.AMBER: "FFD966",
    RAG.RED: "F4B084",
}
RAG_TEXT: dict[RAG, str] = {
    RAG.BLUE: "1F3864",
    RAG.GREEN: "375623",
    RAG.AMBER: "7F6000",
    RAG.RED: "843C0C",
}
HEADER_FILL = "D9E1F2"

# Reference colours a fill is matched against: ours, Office's standard palette and the
# saturated colours people pick by hand. Nearest wins, within MAX_DISTANCE.
_REFERENCE: tuple[tuple[str, RAG], ...] = (
    *((hex_, rag) for rag, hex_ in RAG_FILL.items()),
    ("0070C0", RAG.BLUE), ("00B0F0", RAG.BLUE), ("0000FF", RAG.BLUE), ("5B9BD5", RAG.BLUE),
    ("4472C4", RAG.BLUE), ("BDD7EE", RAG.BLUE), ("DDEBF7", RAG.BLUE),
    ("00B050", RAG.GREEN), ("92D050", RAG.GREEN), ("00FF00", RAG.GREEN), ("70AD47", RAG.GREEN),
    ("C6EFCE", RAG.GREEN), ("008000", RAG.GREEN), ("E2EFDA", RAG.GREEN),
    ("FFC000", RAG.AMBER), ("FFBF00", RAG.AMBER), ("FFFF00", RAG.AMBER), ("FFEB9C", RAG.AMBER),
    ("ED7D31", RAG.AMBER), ("F4B183", RAG.AMBER), ("FFE699", RAG.AMBER),
    ("FF0000", RAG.RED), ("C00000", RAG.RED), ("FFC7CE", RAG.RED), ("E06666", RAG.RED),
)
MAX_DISTANCE = 90.0
"""Euclidean distance in RGB: close enough to be meant as that colour."""



def rag_from_fill(rgb: str | None) -> RAG | None:
    """The rating a fill colour means (``FFC000`` or ARGB ``FFFFC000``), or None for no
    fill, white, or a colour that means no rating."""
    if not rgb or not isinstance(rgb, str):
        return None
    hex_ = rgb.strip().upper()[-6:]
    if len(hex_) != 6 or any(c not in "0123456789ABCDEF" for c in hex_):
        return None
    if rgb.strip().upper() in ("00000000",) or hex_ in ("FFFFFF", "000000"):
        return None
    for rag, own in RAG_FILL.items():
        if own == hex_:
            return rag  # our own red tint lies near Office's orange: exact match first
    target = _rgb(hex_)
    if max(target) - min(target) < 40:
        return None  # greys carry no rating
    best = min(_REFERENCE, key=lambda ref: _distance(_rgb(ref[0]), target))
    return best[1] if _distance(_rgb(best[0]), target) <= MAX_DISTANCE else None


def _rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16)


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    return math.dist(a, b)
