"""Spreadsheet cell names (``H7``, ``AA1``), without importing openpyxl for them."""

from __future__ import annotations


def column_letter(number: int) -> str:
    """The 1-based column ``number`` as its letters: 1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
