"""The personal data guard: an improvement plan must never identify a child or family.

Each pattern is data: a name, a regular expression and, where one exists, a check that cuts
false alarms (the NHS number's modulus-11 digit, a phone number's digit count). A finding
names the pattern and where in the text it matched, never the value itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..findings import Path_, Severity
from .registry import Context, Hit, rule


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _phone_digit_count(text: str) -> bool:
    digits = _digits(text)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return len(digits) in (10, 11) and digits.startswith("0") and digits[1] != "0"


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    accept: Callable[[str], bool] = lambda _match: True


PATTERNS: tuple[Pattern, ...] = (
    Pattern("an NHS number", re.compile(r"(?<![\d.])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\.?\d)"),
            lambda m: nhs_number_valid(_digits(m))),
    Pattern("a National Insurance number", re.compile(
        r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?"
        r"[A-D]\b")),
    Pattern("a UK postcode", re.compile(
        r"\b(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?) ?[0-9][ABD-HJLNP-UW-Z]{2}\b")),
    Pattern("an email address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    Pattern("a UK phone number", re.compile(
        r"(?<![\w.])(?:\+44 ?(?:\(0\) ?)?|\(?0)\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}(?!\.?\w)"),
            _phone_digit_count),
    Pattern("a date of birth", re.compile(
        r"\b(?:d\.?o\.?b\b\.?|date of birth|born(?: on)?)[\s:,-]*\d{1,2}[./ -]"
        r"(?:\d{1,2}|[a-z]{3,9})[./ -]\d{2,4}", re.IGNORECASE)),
)




# What every match of some pattern contains, so that text without any of it is skipped at
# the cost of one search: six digits in two groups of three (NHS and phone numbers end so),
# two capitals and two digits (a National Insurance number), a digit and two capitals (a
# postcode's inward part), an @, or the words a date of birth follows. Dates, refs and
# counts, most of a plan's digits, have none. A property test holds it to the patterns;
# no part of it takes in a newline (Context.strings_matching needs that).
# Written for speed over a whole plan's text (half the time of the plain alternation): the
# branches share their first character, and the words' letters are spelt as the classes
# IGNORECASE gives them (an i also matches U+0130 and U+0131) without the flag's slow path.
_MAYBE_PERSONAL = re.compile(
    r"\d(?:\d\d[ -]?\d{3}|[A-Z]{2})|[A-Z][A-Z] ?\d\d|@"
    r"|[dD]\.?[oO]\.?[bB]|[bB](?:[iI\u0130\u0131][rR][tT][hH]|[oO][rR][nN])")


def scan(text: str) -> Iterator[tuple[Pattern, int]]:
    """Each pattern found in ``text`` with the 1-based character position of the match."""
    if _MAYBE_PERSONAL.search(text) is None:
        return
    for pattern in PATTERNS:

        for match in pattern.regex.finditer(text):
            if pattern.accept(match.group(0)):
                yield pattern, match.start() + 1
                break


@rule("JTAI301", "personal-data", Severity.ERROR,
      "Text looks like personal data that could identify a child or family")
def personal_data(ctx: Context) -> Iterable[Hit]:
    """Improvement plans are shared documents. Flags text that looks like an NHS number (10
    digits passing the modulus-11 check), a National Insurance number, a UK postcode, an
    email address, a UK phone number or a date of birth. The finding says which pattern
    matched and where, never the value. Remove the detail, or refer to the case by the
    agency's own case reference held outside the plan."""
    for path, text in ctx.strings_matching(_MAYBE_PERSONAL):
        for pattern, position in scan(text):
            yield Hit(path, f"{_field(path)} contains what looks like {pattern.name} (at "
                      f"character {position})", ctx.ref_at(path),
                      "remove it: plans are shared and must not identify a child or family")


def _field(path: Path_) -> str:
    names = [p for p in path if isinstance(p, str)]
    return f"'{names[-1]}'" if names else "the text"
