"""The Excel export writes its rows itself (``office/export/sheetrows.py``), not through
openpyxl's cells: the text must be what openpyxl would write for the same cells, byte for
byte, or Excel, LibreOffice and ``jtai import`` could see something else.

Checked twice: cell by cell against openpyxl's own cell writer over every kind of value,
and whole workbooks, which openpyxl reads and writes back unchanged.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from lxml.etree import xmlfile
from openpyxl.cell._writer import write_cell
from openpyxl.styles import Alignment
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError

from conftest import REAL_PLAN, Invoke
from helpers_plans import make_plan_with_counts
from jtaiplan.office.cellref import column_letter
from jtaiplan.office.export.package import SheetBody, fill_package
from jtaiplan.office.export.sheetrows import (
    IllegalText,
    cell_xml,
    excel_serial,
    rows_xml,
)
from jtaiplan.plan.model import RAG

VALUES: list[object] = [
    None, "", "plain", "1.10", "  leading and trailing  ", "trailing\n", "\tTab",
    "a & b < c > d \"quoted\" 'single'", "line one\nline two\r\nline three\rend",
    "en dash – pound £ é ü ß", "emoji 😀 and 𝔸 astral", "中文 text", "&amp; already escaped",
    "=1+1", "+44 118", "-5 days", "@partners", "=", "#N/A", "#REF!", "#n/a",
    "x" * 40000, 0, 7, -3, 12345678901234, 2.5, 0.1, 1e20, True, False,
    date(2025, 6, 30), date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1),
    date(1899, 12, 31), date(2099, 12, 31), RAG.BLUE, RAG.RED,
]


def openpyxl_writes(value: object, quote: bool) -> tuple[str, int]:
    """What openpyxl writes for ``value`` set on a styled cell, as the export set its cells
    before (text starting like a formula kept text; empty text never set), and the style
    id it gave the cell."""
    book = openpyxl.Workbook()
    cell = book.active.cell(row=41, column=28)
    cell.alignment = Alignment(vertical="top")
    if value is not None and value != "":
        cell.value = value.value if isinstance(value, RAG) else value
    if quote:
        cell.data_type = "s"
    out = io.BytesIO()
    with xmlfile(out) as xf:
        write_cell(xf, book.active, cell, styled=True)
    return out.getvalue().decode("ascii"), int(cell.style_id)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: repr(v)[:30])
def test_a_cell_is_written_as_openpyxl_writes_it(value: object) -> None:
    quote = isinstance(value, str) and value.startswith(("=", "+", "-", "@"))
    expected, style = openpyxl_writes(value, quote)
    assert cell_xml("AB41", style, value) == expected


@pytest.mark.parametrize("text", ["bell \x07", "escape \x1b[31m", "form feed \x0c", "\x00"])
def test_control_characters_are_refused_as_openpyxl_refuses_them(text: str) -> None:
    with pytest.raises(IllegalCharacterError):
        openpyxl.Workbook().active["A1"] = text
    with pytest.raises(IllegalText):
        cell_xml("A1", 0, text)


@pytest.mark.parametrize(("text", "named"), [
    ("noncharacter \ufffe", "U+FFFE (noncharacter)"), ("\uffff", "U+FFFF (noncharacter)"),
    ("lone \ud800", "U+D800 (lone surrogate)"), ("tab\x0b", "U+000B (vertical tab)")])
def test_what_xml_cannot_hold_is_refused_never_written_as_a_reference(text: str,
                                                                       named: str) -> None:
    # openpyxl writes U+FFFE as &#65534;, which no reader accepts: sheetrows refuses it.
    with pytest.raises(IllegalText, match=f"contains {re.escape(named)}, which no workbook"):
        cell_xml("A1", 0, text)


def test_what_xml_can_hold_is_written() -> None:
    xml = cell_xml("A1", 0, "tab\there\nline \U0001f600 \u202bRTL \U0001fffe \ufffd")
    assert "&#128512;" in xml and "&#131070;" in xml and "&#65533;" in xml


def test_values_no_cell_can_hold_are_refused() -> None:
    with pytest.raises(TypeError):
        cell_xml("A1", 0, object())


@pytest.mark.parametrize("day", [date(1899, 12, 30), date(1900, 1, 1), date(1900, 2, 28),
                                 date(1900, 3, 1), date(2025, 7, 1), date(9999, 12, 31)])
def test_a_date_is_excels_day_number(day: date) -> None:
    assert excel_serial(day) == to_excel(day)


@pytest.mark.parametrize("number", [1, 26, 27, 52, 53, 702, 703, 16384])
def test_column_letters(number: int) -> None:
    from openpyxl.utils import get_column_letter

    assert column_letter(number) == get_column_letter(number)


def test_rows_carry_their_number_and_height() -> None:
    written = list(rows_xml(iter([(["a", None], 18.0), ([3, "b"], 409.0)]),
                            [lambda _v: 1, lambda _v: 2], first=5))
    assert written == [
        '<row r="5" ht="18" customHeight="1"><c r="A5" s="1" t="inlineStr"><is><t>a</t>'
        '</is></c><c r="B5" s="2" t="n"></c></row>',
        '<row r="6" ht="409" customHeight="1"><c r="A6" s="1" t="n"><v>3</v></c>'
        '<c r="B6" s="2" t="inlineStr"><is><t>b</t></is></c></row>']


def test_a_sheet_openpyxl_did_not_write_is_an_error() -> None:
    book = openpyxl.Workbook()
    skeleton = io.BytesIO()
    book.save(skeleton)
    with pytest.raises(RuntimeError, match=r"no xl/worksheets/sheet9\.xml"):
        fill_package(skeleton.getvalue(), {"xl/worksheets/sheet9.xml": SheetBody("A1:A1", b"")})


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith("xl/worksheets/") or name == "xl/styles.xml"}


@pytest.mark.parametrize("several", [False, True])
def test_openpyxl_reads_an_export_and_writes_it_back_unchanged(
        jtai: Invoke, tmp_path: Path, several: bool) -> None:
    """Every cell's value, type and style, every row's height and every sheet's range
    survive openpyxl's own reading and writing to the byte."""
    plan = tmp_path / "counts.yaml"  # its id, from the file name: not the real plan's
    plan.write_text(make_plan_with_counts([12, 3, 11], seed=7), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    plans = ["--plan", str(plan)] + (["--plan", str(REAL_PLAN)] if several else [])
    result = jtai("export", *plans, "--as-of", "2025-07-01", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    again = tmp_path / "again.xlsx"
    book = openpyxl.load_workbook(out)
    actions = 26 + (20 if several else 0)
    assert book["Actions"].dimensions == ("A1:U" if several else "A1:T") + str(actions + 1)
    book.save(again)
    assert _parts(again) == _parts(out)


def test_the_exported_package_is_deflated(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", "2025-07-01", "-o",
                str(out)).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}


def test_row_heights_follow_the_wrapped_text(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", "2025-07-01", "-o",
                str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Actions"]
    heights = [sheet.row_dimensions[n].height for n in range(1, 7)]
    assert heights == [33, 48, 63, 48, 78, 78]  # as the export wrote them before issue 15
    assert all(sheet.row_dimensions[n].customHeight for n in range(1, 22))
    assert sheet["N2"].value is None and sheet["N2"].alignment.wrap_text  # styled, empty
