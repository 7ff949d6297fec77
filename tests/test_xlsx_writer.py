"""The fast cell writing of `xlsx.writer` against XlsxWriter's own: the same XML.

`_Worksheet` stores cells and writes their XML without XlsxWriter's per-call
conversions; what it writes must be what XlsxWriter would have written, byte
for byte, for every kind of value the writer meets.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sakip_xl.rules.formula import ROW_MARK
from sakip_xl.xlsx.writer import Writer

VALUES = [
    1.0, 0.1 + 0.2, -3.5e-12, 12345678901234567890.0, 75, "teks", " spasi di depan", "spasi di belakang\n",
    "a & b < c > d \"kutip\"", "baris\nbaru", "kontrol\x01\x1f", "_x0041_ mirip escape", "\ufffe", "<r>bukan rich</r>",
    "x" * 20000, True, None, "",
]
# (formula, cached value): numbers, text, an error code, TRUE, nothing
FORMULAS = [("A1*2", 2.0), ('IF(A1>0,"ya & <b>","")', "ya & <b>"), ("1/0", "#DIV/0!"), ("A1>0", True),
            ("A1", ""), ('"_x0041_"&A1', "_x0041_1")]


def _sheet_xml(path: Path, constant_memory: bool, ours: bool) -> bytes:
    w = Writer(path, constant_memory=constant_memory)
    fmt = w.fmt("plain", None, True)
    if ours:
        ws = w.add_sheet("S")
    else:
        ws = w.wb.add_worksheet("S")
    ws.set_column(3, 3, 12, w.fmt("input"))  # a column format: cells without their own take it
    ws.set_row(2, 30, w.fmt("derived"))  # so does a row format
    many = []  # ours, not constant_memory: the values stored at once (put_many)
    for r, v in enumerate(VALUES):
        for c, f in ((0, None), (1, fmt), (3, None)):
            row = r * 2 + (c == 3)
            if ours and not constant_memory:
                many.append((row, c, v, f))
            elif ours:
                w.put(ws, row, c, v, f)
            elif v is None or v == "":
                ws.write_blank(row, c, None, f)
            elif isinstance(v, bool):
                ws.write_boolean(row, c, v, f)
            elif isinstance(v, (int, float)):
                ws.write_number(row, c, v, f)
            else:
                ws.write_string(row, c, v, f)
    far = (len(VALUES) * 2 + len(FORMULAS) + 40, 7, 2.5)  # the sheet's last row and column
    if ours and not constant_memory:
        w.put_many(ws, [*many, (*far, None)])
    elif not constant_memory:  # (a constant_memory sheet takes its rows in order only)
        ws.write_number(*far)
    first = len(VALUES) * 2 + 1
    if ours and not constant_memory:  # a column formula's cells, stored a column at once
        ws.put_formulas(0, [(r, text, value) for r, (text, value) in enumerate(FORMULAS, start=first)], fmt)
    else:
        for r, (text, value) in enumerate(FORMULAS, start=first):
            ws.write_formula(r, 0, text, fmt, value)
    ws.write_comment(1, 5, "catatan")  # a comment widens its block's span of columns
    mixed = len(VALUES) * 2 + len(FORMULAS) + 2  # a logical between cells the fast path writes
    ws.write_number(mixed, 0, 1.0)
    ws.write_boolean(mixed, 1, False, fmt)
    ws.write_string(mixed, 2, "sesudah")
    w.close()
    with zipfile.ZipFile(path) as z:
        shared = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in z.namelist() else b""
        return z.read("xl/worksheets/sheet1.xml") + shared


@pytest.mark.parametrize("constant_memory", [False, True])
def test_cells_are_written_as_xlsxwriter_writes_them(tmp_path: Path, constant_memory: bool):
    ours = _sheet_xml(tmp_path / "ours.xlsx", constant_memory, True)
    theirs = _sheet_xml(tmp_path / "theirs.xlsx", constant_memory, False)
    assert b"<f>" in ours and b"_x005F_x0041_" in ours  # formulas and escapes were written at all
    assert ours == theirs


def _rows_xml(path: Path, whole_rows: bool) -> bytes:
    """A constant-memory sheet of mixed rows, written by `row_stream` or cell by cell."""
    from sakip_xl.xlsx.writer import FormulaCell, fitting_height

    w = Writer(path, constant_memory=True)
    ws = w.add_sheet("S")
    ws.write_string(0, 0, "Judul", w.fmt("header_derived"))
    ws.set_column(2, 2, 10, w.fmt("input"))  # column 2 takes this format when a cell has none
    wrap = w.fmt("plain", None, True)
    formats = [wrap, None, None, None, wrap]
    widths = {0: 8.0, 4: 4.0}  # rows 1, 2 or more lines tall by the text in column 0
    put = w.row_stream(ws, formats, (4, f"B{ROW_MARK}*2"), widths)
    for r, v in enumerate(VALUES, start=1):
        if whole_rows:
            put(r, [v, 1.5, v, None, 3.0 if r % 2 else None])
            continue
        cached = 3.0 if r % 2 else ""
        cells = [(0, v, wrap), (1, 1.5, None), (2, v, None), (3, None, None),
                 (4, FormulaCell(f"B{r + 1}*2", wrap, cached), wrap)]
        w.put_cells(ws, r, cells, fitting_height([(v, 8.0), (cached, 4.0)]))
    w.close()
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_a_row_written_at_once_is_written_as_xlsxwriter_writes_it(tmp_path: Path):
    ours, theirs = _rows_xml(tmp_path / "rows.xlsx", True), _rows_xml(tmp_path / "cells.xlsx", False)
    assert b'customHeight="1"' in ours and b"inlineStr" in ours  # heights and text were written at all
    assert ours == theirs


def test_parts_are_deflated_at_the_writers_level_and_xlsxwriter_is_left_as_it_was(tmp_path: Path):
    """Every part is stored as zlib deflates it at ZIP_LEVEL (raw deflate, as zip stores
    it), and XlsxWriter's own ZipFile is back in place after writing."""
    import struct
    import zlib

    import xlsxwriter.workbook

    from sakip_xl.xlsx.writer import ZIP_LEVEL

    before = xlsxwriter.workbook.ZipFile
    path = tmp_path / "a.xlsx"
    w = Writer(path)
    ws = w.add_sheet("S")
    for r in range(200):
        w.put(ws, r, 0, f"baris {r} " * 5)
        w.put(ws, r, 1, r * 1.5)
    w.close()
    assert xlsxwriter.workbook.ZipFile is before
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        for info in infos:
            name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
            start = info.header_offset + 30 + name_len + extra_len
            stored = raw[start:start + info.compress_size]
            deflate = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
            assert stored == deflate.compress(z.read(info)) + deflate.flush(), info.filename
    assert len(infos) > 5


def test_a_column_formula_is_written_as_shared_formulas_over_its_runs_of_rows(tmp_path: Path):
    """Rows 5-13 (1-based) of column C hold `A<row>*2+$B$1`, less row 9 (not given) and
    row 7 (written over with a number afterwards). By hand, the runs of consecutive rows
    still holding the formula are 5-6, 8, 10-11 and 13: two shared formulas (si 0 and 1),
    their text in their first cell, and two ordinary formulas. Excel's reading of a shared
    formula (the master's relative references moved down, as openpyxl translates them)
    must give every cell its own row's formula, and every cached value stays."""
    import openpyxl

    path = tmp_path / "shared.xlsx"
    w = Writer(path)
    ws = w.add_sheet("S")
    rows = [4, 5, 6, 7, 9, 10, 12]  # 0-based
    ws.put_column_formula(2, f"A{ROW_MARK}*2+$B$1", [(r, float(r)) for r in rows], w.fmt("derived"))
    ws.put_number(6, 2, 99.0)
    w.close()
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    elements = [e for e in xml.split("<c ") if 'r="C' in e[:6]]
    assert [e[e.index("><") + 1:e.index("<v>")] for e in elements if "<f" in e] == [
        '<f t="shared" ref="C5:C6" si="0">A5*2+$B$1</f>', '<f t="shared" si="0"/>',
        "<f>A8*2+$B$1</f>",
        '<f t="shared" ref="C10:C11" si="1">A10*2+$B$1</f>', '<f t="shared" si="1"/>',
        "<f>A13*2+$B$1</f>"]
    sheet = openpyxl.load_workbook(path)["S"]
    assert {r: sheet.cell(r + 1, 3).value for r in [*rows, 8, 11]} == {
        4: "=A5*2+$B$1", 5: "=A6*2+$B$1", 6: 99, 7: "=A8*2+$B$1", 9: "=A10*2+$B$1", 10: "=A11*2+$B$1",
        12: "=A13*2+$B$1", 8: None, 11: None}
    cached = openpyxl.load_workbook(path, data_only=True)["S"]
    assert [cached.cell(r + 1, 3).value for r in rows] == [4, 5, 99, 7, 9, 10, 12]


def test_a_chart_over_a_shared_formula_column_caches_its_values(tmp_path: Path):
    """A chart keeps the values it shows (for readers that do not recalculate); over the
    cells of a column formula, rows 2-5 with cached values 2, 4, 6, 8, they are those."""
    import re

    path = tmp_path / "chart.xlsx"
    w = Writer(path)
    ws = w.add_sheet("S")
    ws.put_column_formula(1, f"A{ROW_MARK}*2", [(r, float(2 * r)) for r in range(1, 5)])
    chart = w.wb.add_chart({"type": "column"})
    chart.add_series({"values": "=S!$B$2:$B$5"})
    ws.insert_chart("D2", chart)
    w.close()
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/charts/chart1.xml").decode()
    points = re.findall(r"<c:pt idx=\"(\d)\"><c:v>([^<]*)</c:v>", xml)
    assert [(int(i), float(v)) for i, v in points] == [(0, 2.0), (1, 4.0), (2, 6.0), (3, 8.0)]
