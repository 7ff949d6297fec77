"""Column-wise evaluation (rules.columns) against cell-by-cell evaluation, and the
book's computed values kept true when cells change.

The column engine evaluates each node of a rule once for all rows; the scalar
engine (formula.compile_expr) evaluates one cell at a time. Both must give the
same value for every formula cell of every workbook, since the cell-by-cell
semantics are the ones tests/test_formula.py pins against Excel and
LibreOffice.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import openpyxl
import pytest

from paths import BLUTO, KALIANGET
from sakip_xl.model.book import Book
from sakip_xl.model.fill import write_filled
from sakip_xl.model.workbook import check_workbook
from sakip_xl.rules.formula import Cell, Range, RowCell, XLError, fn
from sakip_xl.synthetic import synthetic_filling
from sakip_xl.xlsx.writer import Writer


def _same(a: object, b: object) -> bool:
    if isinstance(a, XLError) or isinstance(b, XLError):
        return repr(a) == repr(b)
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and a == b


def _formula_cells(book: Book):
    for s in book.sheets.values():
        for c, cf in s.column_formulas.items():
            for r in cf.row_range():
                if (r, c) not in s.cell_formulas and (r, c) not in s.typed_over:
                    yield s.name, r, c


def _cell_by_cell(path: Path) -> Book:
    """The book of a workbook whose column formulas are evaluated one cell at a time:
    marking every column as being evaluated sends each cell to its scalar function."""
    book = check_workbook(path, prepare=True).book
    for s in book.sheets.values():
        s.cache.clear()
        s.evaluated.clear()
    book.memo.clear()
    book._columns.clear()
    book._evaluating.update((s.name, c) for s in book.sheets.values() for c in s.column_formulas)
    return book


def _workbooks():
    yield BLUTO
    yield KALIANGET
    folder = Path(tempfile.mkdtemp(prefix="sakip-columns-"))
    for seed in (3, 11, 29):
        path = folder / f"synthetic-{seed}.xlsx"
        write_filled(path, synthetic_filling(seed, 25, 120, messy=True))
        yield path


@pytest.mark.parametrize("path", list(_workbooks()), ids=lambda p: p.stem)
def test_every_formula_cell_equals_its_cell_by_cell_value(path):
    columns = check_workbook(path, prepare=True).book
    columns.compute()
    cells = _cell_by_cell(path)
    compared = 0
    for sheet, r, c in _formula_cells(columns):
        by_column = columns.sheets[sheet].cache[c][r]
        by_cell = cells.value(sheet, r, c)
        assert _same(by_column, by_cell), (sheet, r, c, by_column, by_cell)
        compared += 1
    assert compared > 3500  # every prepared row of every derived column, (3 + 27) x 50 + 6 x 400 = 3,900, less typed-over cells


def test_a_range_sum_follows_a_later_write():
    """A computed value is forgotten when a cell it read changes (it stayed stale before)."""
    book = Book()
    book.set("S", 0, 0, 1)
    book.set_formula("S", 0, 1, fn("SUM", Range("S", 0, None, None)))
    assert book.value("S", 0, 1) == 1.0
    book.set("S", 1, 0, 2)  # A2 = 2: SUM(A:A) is now 1 + 2 = 3
    assert book.value("S", 0, 1) == 3.0


def test_a_column_formula_follows_a_later_write():
    book = Book()
    for r in range(3):
        book.set("S", r, 0, r + 1)  # A1:A3 = 1, 2, 3
    book.set_column_formula("S", 1, RowCell("S", 0) * 10, 0, 2)  # B = A x 10
    book.set_formula("S", 3, 1, fn("SUM", Range("S", 1, 0, 2)))  # B4 = SUM(B1:B3) = 60
    assert book.value("S", 3, 1) == 60.0
    book.set("S", 1, 0, 5)  # A2 = 5: B2 = 50, B4 = 10 + 50 + 30 = 90
    assert book.value("S", 1, 1) == 50.0
    assert book.value("S", 3, 1) == 90.0


def test_writing_a_new_sheet_keeps_what_was_computed():
    """Output sheets are added after the tables are computed; they cannot change them."""
    book = Book()
    book.set("S", 0, 0, 4)
    book.set_formula("S", 0, 1, Cell("S", 0, 0) * 2)
    assert book.value("S", 0, 1) == 8.0
    book.set_formula("Out", 0, 0, Cell("S", 0, 1) + 1)
    assert book.sheets["S"].cache == {1: {0: 8.0}}  # column 1, row 0
    assert book.value("Out", 0, 0) == 9.0


def test_a_row_that_starts_with_a_formula_is_kept_in_constant_memory_mode(tmp_path):
    """XlsxWriter's constant-memory mode writes a row out when the next one starts;
    a formula that starts a row must do the same, or the row before it is lost."""
    path = tmp_path / "rekap.xlsx"
    w = Writer(path, constant_memory=True)
    ws = w.wb.add_worksheet("Rekap")
    ws.write_string(0, 0, "Kecamatan Bluto")
    ws.write_number(0, 1, 120)
    ws.write_formula(1, 0, "=B1*2", None, 240)  # row 2 starts with a formula
    ws.write_number(1, 1, 7)
    ws.write_formula(2, 0, "=B2+1", None, 8)
    w.close()
    rows = list(openpyxl.load_workbook(path)["Rekap"].iter_rows(values_only=True))
    assert rows == [("Kecamatan Bluto", 120), ("=B1*2", 7), ("=B2+1", None)]


def test_a_rollup_compiled_once_per_shape_gives_what_its_own_formula_gives():
    """A budget roll-up evaluated through its shared compiled shape equals the
    same roll-up compiled for its own cells, whatever its sub-rows hold. By the
    rule (rules.sakip.rollup): all sub-rows numbers -> their sum (own ignored);
    one blank or text sub-row -> the row's own amount if a number, else blank."""
    from sakip_xl.rules.formula import compile_expr, fill_shape, render, top_value
    from sakip_xl.rules.install import _rollup_shape
    from sakip_xl.rules.sakip import rollup

    cases = [  # (own, sub-rows, expected by the rule)
        (10.0, [1.0, 2.0, 3.0], 6.0),  # every sub-row has an amount: 1 + 2 + 3
        (10.0, [1.0, None, 3.0], 10.0),  # a blank sub-row: the own amount
        (None, [1.0, None], ""),  # a blank sub-row and no own amount: blank (""), never 1
        ("x", [4.0, "teks"], ""),  # text is no amount
        (None, [0.0, 0.0], 0.0),  # zeros are amounts: 0
    ]
    for own, kids, expected in cases:
        book = Book()
        book.set("A", 0, 0, own)
        for i, v in enumerate(kids, start=1):
            book.set("A", i, 1, v)
        cells = [Cell("A", i, 1) for i in range(1, len(kids) + 1)]
        direct = top_value(compile_expr(rollup(Cell("A", 0, 0), cells), memo=False)(book, 0))
        positions = (("A", 0, 0), *(("A", i, 1) for i in range(1, len(kids) + 1)))
        shape, text = _rollup_shape("A", len(kids))
        shaped = top_value(shape(book, positions))
        for on in ("A", "B"):  # its text, on its own sheet and on another
            assert fill_shape(text, positions, on) == render(rollup(Cell("A", 0, 0), cells), on)
        assert _same(shaped, direct), (own, kids, shaped, direct)
        assert _same(shaped, expected), (own, kids, shaped)


def test_a_reference_shown_blank_when_empty_is_itself_otherwise():
    """IF(x="","",x) over a column (chapter III's copies of the input tables): an empty
    cell or an empty text shows "", anything else is itself. By Excel's rules for x="":
    TRUE only for an empty cell and ""; spaces, text, numbers (0 included) and logical
    values are not "", and an error in x is the error of the test, so of the IF."""
    from sakip_xl.rules.formula import DIV0, Mapped
    from sakip_xl.sheets.chapter3 import blank_or

    source = [None, "", "  ", "teks", 0.0, 5.5, True, DIV0]
    expected = ["", "", "  ", "teks", 0.0, 5.5, True, DIV0]
    book = Book()
    for r, v in enumerate(source):
        if isinstance(v, XLError):
            book.set_formula("Src", r, 0, fn("ROUND", 1 / Cell("Src", 99, 0), 0))  # 1/0: #DIV/0!
        else:
            book.set("Src", r, 0, v)
    book.set("Src", 99, 0, 0)
    book.set_mapped_formula("Out", 1, blank_or(Mapped("Src", 0)), {10 + r: r for r in range(len(source))})
    by_column = [book.value("Out", 10 + r, 1) for r in range(len(source))]
    assert all(_same(a, b) for a, b in zip(by_column, expected)), by_column
    book.sheets["Out"].cache.clear()
    book.sheets["Out"].evaluated.clear()
    book._evaluating.add(("Out", 1))  # each cell by its scalar function
    by_cell = [book.value("Out", 10 + r, 1) for r in range(len(source))]
    assert all(_same(a, b) for a, b in zip(by_cell, expected)), by_cell


def test_text_joined_and_trimmed_over_a_column_as_excel_does():
    """x&y and TRIM(x) over a column (Rekap Anggaran's notes): two texts are joined as
    they are; otherwise by Excel's rules an empty cell is "", a number its shortest
    text, a logical TRUE/FALSE, and an error in either is the result. TRIM leaves no
    leading, trailing or double spaces. Each case worked out by hand, and the column
    engine and the cell-by-cell one both give it."""
    from sakip_xl.rules.formula import DIV0, cat

    rows = [  # x, y, x&y, TRIM(x)
        ("Pagu ", "dijumlah.", "Pagu dijumlah.", "Pagu"),
        ("  a   b ", "", "  a   b ", "a b"),
        ("", " ", " ", ""),
        (None, "teks", "teks", ""),
        ("x", None, "x", "x"),
        (2.5, "%", "2.5%", "2.5"),
        (True, "!", "TRUE!", "TRUE"),
        (DIV0, "x", DIV0, DIV0),
        ("x", DIV0, DIV0, "x"),
    ]
    book = Book()
    for r, (x, y, _joined, _trimmed) in enumerate(rows):
        for c, v in ((0, x), (1, y)):
            if isinstance(v, XLError):
                book.set_formula("S", r, c, fn("ROUND", 1 / Cell("S", 99, 0), 0))  # 1/0: #DIV/0!
            else:
                book.set("S", r, c, v)
    book.set("S", 99, 0, 0)
    last = len(rows) - 1
    book.set_column_formula("S", 2, cat(RowCell("S", 0), RowCell("S", 1)), 0, last)
    book.set_column_formula("S", 3, fn("TRIM", RowCell("S", 0)), 0, last)
    expected = [(joined, trimmed) for _x, _y, joined, trimmed in rows]
    by_column = [(book.value("S", r, 2), book.value("S", r, 3)) for r in range(len(rows))]
    assert all(_same(a, b) and _same(c, d) for (a, c), (b, d) in zip(by_column, expected)), by_column
    s = book.sheets["S"]
    s.cache.clear()
    s.evaluated.clear()
    book._evaluating.update({("S", 2), ("S", 3)})  # each cell by its scalar function
    by_cell = [(book.value("S", r, 2), book.value("S", r, 3)) for r in range(len(rows))]
    assert all(_same(a, b) and _same(c, d) for (a, c), (b, d) in zip(by_cell, expected)), by_cell


def test_a_column_rule_is_compiled_and_rendered_only_when_first_needed():
    """A check evaluates a few derived columns and writes none: a rule's column function
    is made when its column is first read, its text when first written, each once."""
    book = Book()
    book.set("S", 0, 0, 4.0)
    book.set_column_formula("S", 1, RowCell("S", 0) * 2, 0, 0)
    cf = book.sheets["S"].column_formulas[1]
    made = cf.compiled
    assert (made._fn, made._vfn, made._text) == (None, None, None)
    assert book.value("S", 0, 1) == 8.0  # 4 x 2
    assert made._vfn is not None and made._text is None
    vfn = made._vfn
    assert cf.texts([0]) == ["A1*2"]
    assert made._vfn is vfn
