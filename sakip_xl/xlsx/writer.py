"""Writing workbooks with XlsxWriter: formulas with their computed values.

Every text and value comes from a `Book`; the `Layout` decides how each cell
looks (header, input, derived) and where the dropdowns, input messages,
protection and print set-up go. Formula cells are written with the value the
book computed as their cached value, so any reader sees numbers without
recalculating.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
import threading
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

import xlsxwriter
import xlsxwriter.workbook
import xlsxwriter.worksheet
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ..model.book import Book
from ..model.contract import Column, Contract
from ..rules.formula import ROW_MARK, Range, Value, XLError, render, sheet_prefix
from ..model.layout import Layout, TableLayout
from ..read.source import MARK_AUTHOR, cell_position
from ..checks.report import Report
from ..sheets.names import PEMERIKSAAN, PETUNJUK
from ..resources import petunjuk_text
from ..rules.sakip import RULES, Rule
from .fit import fitting_height, row_height, text_lines
from .styles import MARK_FILLS, cell_format

LAST_ROW = 1_048_575  # 0-based last row of a sheet
FROZEN_COLUMNS = {"iku": 1, "pk": 2, "realisasi": 2, "anggaran": 1}  # also repeated when printed wide
BLANK_PRINT_ROWS = 15  # rows a blank sheet prints below its header, to fill by hand


def _petunjuk_table(w: Writer, ws: Worksheet, r: int, title: str, header: str, labels: tuple[str, ...],
                    rows: list[tuple[str, str, str]]) -> int:
    """A titled three-column table of the Petunjuk sheet from row `r`; the next free row."""
    wrap = w.fmt("text")
    ws.write_string(r, 1, title, w.fmt("heading"))
    for h, label in enumerate(labels):
        ws.write_string(r + 1, 1 + h, label, w.fmt(header))
    r += 2
    for sheet_name, label, text in rows:
        ws.write_string(r, 1, sheet_name, wrap)
        ws.write_string(r, 2, label, wrap)
        ws.write_string(r, 3, text, wrap)
        fit_row(ws, r, [(sheet_name, 24), (label, 22), (text, 90)])
        r += 1
    return r



_ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
# What XlsxWriter's _escape_control_characters changes: control characters, the two
# non-characters and text that looks like its _xHHHH_ escape.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")


_Number, _String = xlsxwriter.worksheet.CellNumberTuple, xlsxwriter.worksheet.CellStringTuple
_Blank, _Formula = xlsxwriter.worksheet.CellBlankTuple, xlsxwriter.worksheet.CellFormulaTuple


class _SharedCell(NamedTuple):
    """A cell of a column formula, written as part of a shared formula (`element`: its
    `<f>` element, set by `_Worksheet._share_formulas` just before the sheet is written)."""
    element: str
    format: Any
    value: object


# XlsxWriter takes a chart's cached data from the cells, by their class name: a shared cell's
# value is then read as a formula's (another name would leave it out of the chart's cache)
_SharedCell.__name__ = "Formula"


_FAST_CELLS = frozenset((_Number, _String, _Formula, _Blank, _SharedCell))  # the cell types `_cell_xml` writes
_COLUMN_LETTERS = [xl_col_to_name(c) for c in range(256)]
_TEXT_BODIES = 20_000  # texts `row_writer` keeps rendered (names, kinds and notes repeat down a rekap)


def _letter(col: int) -> str:
    return _COLUMN_LETTERS[col] if col < 256 else xl_col_to_name(col)


def _ref(col: int, number: str) -> str:
    """The r= attribute of a cell in the row numbered `number` (1-based, as text)."""
    return f' r="{_letter(col)}{number}"'
#: A formula cell for `put_cells`: FormulaCell(formula text, format, cached value).
FormulaCell = _Formula


def _escape(text: str) -> str:
    """XML text as XlsxWriter escapes it: `&`, `<` and `>` (quotes and line breaks stay)."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


class _Worksheet(Worksheet):
    """A worksheet that stores formulas as given and writes cells faster.

    XlsxWriter scans every formula with regular expressions for dynamic-array
    functions and for functions newer than Excel 2010, to prefix them. Our
    formulas can only contain `formula.SUPPORTED_FUNCTIONS` (Excel 2010 and
    LibreOffice 7; `render` refuses others), so the scans are skipped: they
    took most of the time of writing a workbook of 14,000 formulas.

    `put_*` store a cell as XlsxWriter's `write_*` do, without their argument
    conversion, and `_write_cell` writes the XML of the common cell types as
    XlsxWriter does, byte for byte, in one string (a test compares the two):
    writing a rekap of 200 offices spent most of its time in those calls.
    """

    def __init__(self) -> None:
        super().__init__()
        self._text_bodies: dict[str, str] = {}  # text -> its `row_writer` cell's XML after the attributes
        self._row_tags: dict[float | None, str] = {}  # height -> a `row_writer` row's tag after its number
        # column formulas stored by `put_column_formula`: (column, text with ROW_MARK, [(row, cell)])
        self._column_formulas: list[tuple[int, str, list[tuple[int, _SharedCell]]]] = []

    def _store(self, row: int, col: int, cell: tuple) -> None:
        if self._check_dimensions(row, col):
            return
        if self.constant_memory and row > self.previous_row:  # flush the previous row, as XlsxWriter does
            self._write_single_row(row)
        self.table[row][col] = cell

    def put_number(self, row: int, col: int, number: float, cell_format=None) -> None:
        self._store(row, col, _Number(number, cell_format))

    def put_string(self, row: int, col: int, text: str, cell_format=None) -> None:
        if len(text) > self.xls_strmax // 2:  # long text: XlsxWriter's own checks and truncation
            self._write_string(row, col, text, cell_format)
            return
        if not self.constant_memory:
            self._store(row, col, _String(self.str_table._get_shared_string_index(text), cell_format))
        else:
            self._store(row, col, _String(text, cell_format))

    def row_writer(self, formats: Sequence[Any], formula: tuple[int, str] | None = None
                   ) -> Callable[[int, Sequence[Any], float | None], bool]:
        """A function writing a whole row of a constant_memory sheet now, as XlsxWriter
        would write what `Writer.put` stores: the row's values one per column, column c
        in `formats[c]`; the `formula` column (its index, its text with ROW_MARK for the
        row number) holds that formula with the row's value there as its cached value.
        What surrounds each column's cells is worked out once, for tables of hundreds of
        thousands of rows. The function gives the row's height if not the default, and
        returns False, none of the row's cells written, when a value needs XlsxWriter's
        own handling (long or rich text, logical, date, inf): write the row cell by cell."""
        fcol, ftext = formula or (-1, "")
        fparts = _escape(ftext).split(ROW_MARK)  # the formula's element, joined by the row's number
        heads = [f'<c r="{_letter(c)}' for c in range(len(formats))]
        styles: list[str | None] = [None] * len(formats)  # a format's index is fixed at its first use
        limit = self.xls_strmax // 2
        bodies = self._text_bodies
        finite = math.isfinite

        def put(row: int, values: Sequence[Any], height: float | None) -> bool:
            # XlsxWriter's flush of the row before (as its own writing of this row would, so also
            # before a False): its cells take their format indices before this row's do
            self._write_single_row(row)
            number = str(row + 1)
            xml: list[str] = []
            first = last = -1
            for c, v in enumerate(values):
                style = styles[c]
                if style is None:  # the row has no format of its own: a cell's style depends on its column and format
                    style = styles[c] = self._style(row, c, formats[c])
                kind = type(v)
                if c == fcol:
                    if kind is float:  # (as `_cell_xml` writes a formula with a number)
                        body = f'{heads[c]}{number}"{style}><f>{number.join(fparts)}</f><v>{v}</v></c>'
                    else:
                        body = self._cell_xml(f'{heads[c][2:]}{number}"{style}',
                                              _Formula(ftext.replace(ROW_MARK, number), formats[c],
                                                       "" if v is None else v))
                elif kind is str and v:
                    text = bodies.get(v)
                    if text is None:
                        if len(v) > limit or v.startswith("<r>"):
                            return False
                        if len(bodies) >= _TEXT_BODIES:  # the texts of a few offices: memory stays bounded
                            bodies.clear()
                        text = bodies[v] = self._inline_body(v)
                    body = f'{heads[c]}{number}"{style}{text}'
                elif kind is float or kind is int:
                    if not finite(v):
                        return False
                    body = f'{heads[c]}{number}"{style}><v>{v:.16G}</v></c>'
                elif v is None or kind is str:
                    if formats[c] is None:
                        continue
                    body = f'{heads[c]}{number}"{style}/>'
                else:  # a logical, a date...: XlsxWriter's own handling
                    return False
                xml.append(body)
                if first < 0:
                    first = c
                last = c
            if first < 0:
                if height is not None:
                    self.set_row(row, height)
                    self._write_row(row, None, self.row_info.pop(row), empty_row=True)
                return True
            self._check_dimensions(row, first)
            self._check_dimensions(row, last)
            self.fh.write(self._row_tag(row, number, height) + "".join(xml) + "</row>")
            return True

        return put

    def _row_tag(self, row: int, number: str, height: float | None) -> str:
        """The <row> tag XlsxWriter writes for a row of this height (no span, no format),
        rendered by XlsxWriter once per height."""
        tags = self._row_tags
        rest = tags.get(height)
        if rest is None:
            info = None
            if height is not None:
                self.set_row(row, height)
                info = self.row_info.pop(row)
            fh = getattr(self, "fh")  # XlsxWriter's file, untyped
            self.fh = io.StringIO()
            try:
                self._write_row(row, None, info)
                tag = self.fh.getvalue()
            finally:
                self.fh = fh
            head = f'<row r="{number}"'
            assert tag.startswith(head), tag
            rest = tags[height] = tag[len(head):]
        return f'<row r="{number}"' + rest

    def _calculate_spans(self) -> None:
        """XlsxWriter's own (the columns each block of 16 rows uses), by min and max."""
        spans: dict[int, str] = {}
        low = high = None
        lowest, highest = self.dim_colmin, self.dim_colmax
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            for cols in (self.table.get(row), self.comments.get(row)):
                if cols:
                    a, b = min(cols), max(cols)
                    if a < lowest or b > highest:  # only columns inside the dimensions count
                        inside = [c for c in cols if lowest <= c <= highest]
                        if not inside:
                            continue
                        a, b = min(inside), max(inside)
                    low, high = (a, b) if low is None or high is None else (min(low, a), max(high, b))
            if (row + 1) % 16 == 0 or row == self.dim_rowmax:
                if low is not None and high is not None:
                    spans[row // 16] = f"{low + 1}:{high + 1}"
                    low = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        """XlsxWriter's own, each row's common cells written in one string."""
        self._share_formulas()
        self._calculate_spans()
        table, row_info, comments = self.table, self.row_info, self.comments
        styles: dict[Any, str] = {}  # format -> its s= attribute (indices are fixed by now)
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row)
            if not (cells or row in row_info or row in comments):
                continue
            span = self.row_spans.get(row // 16)
            if not cells:
                self._write_empty_row(row, span, row_info.get(row))
                continue
            self._write_row(row, span, row_info.get(row))
            number, xml = str(row + 1), []
            for col in sorted(cells):
                cell = cells[col]
                kind = type(cell)
                if kind in _FAST_CELLS:  # not constant_memory here: no inline rich text
                    fmt = cell.format
                    style = styles.get(fmt) if fmt else None
                    if style is None:
                        style = self._style(row, col, fmt)
                        if fmt:
                            styles[fmt] = style
                    xml.append(self._cell_xml(_ref(col, number) + style, cell))
                else:  # written by XlsxWriter, in its place
                    self.fh.write("".join(xml))
                    xml.clear()
                    super()._write_cell(row, col, cell)
            self.fh.write("".join(xml) + "</row>")

    def _write_cell(self, row: int, col: int, cell) -> None:
        if self._fast(cell):
            self.fh.write(self._cell_xml(_ref(col, str(row + 1)) + self._style(row, col, cell.format), cell))
        else:
            super()._write_cell(row, col, cell)

    def _fast(self, cell) -> bool:
        """Whether `_cell_xml` writes this cell (not a logical, a date or rich text)."""
        kind = type(cell)
        return kind in _FAST_CELLS and not (kind is _String and self.constant_memory and cell.string.startswith("<r>"))

    def _style(self, row: int, col: int, fmt) -> str:
        """The s= attribute of a cell: its format, else its row's, else its column's."""
        if fmt:
            return f' s="{fmt._get_xf_index()}"'
        info = self.row_info.get(row)
        if info is not None and info.row_format:
            return f' s="{info.row_format._get_xf_index()}"'
        if col in self.col_info and self.col_info[col].column_format is not None:
            return f' s="{self.col_info[col].column_format._get_xf_index()}"'
        return ""

    def _cell_xml(self, attr: str, cell) -> str:
        """The XML XlsxWriter writes for a Number, String, Formula or Blank cell with
        the attributes `attr`."""
        kind = type(cell)
        if kind is _Number:
            return f"<c{attr}><v>{cell.number:.16G}</v></c>"
        if kind is _String:
            if not self.constant_memory:
                return f'<c{attr} t="s"><v>{cell.string}</v></c>'
            return self._inline_text(attr, cell.string)
        if kind is _Formula or kind is _SharedCell:
            value = cell.value
            if isinstance(value, bool):
                attr += ' t="b"'
                value = 1 if value else 0
            elif isinstance(value, str):
                if value in _ERROR_CODES:
                    attr += ' t="e"'
                elif value:
                    attr += ' t="str"'
                value = _escape(value)
            element = cell.element if kind is _SharedCell else f"<f>{_escape(cell.formula)}</f>"
            return f"<c{attr}>{element}<v>{value}</v></c>"
        return f"<c{attr}/>"

    def _inline_text(self, attr: str, text: str) -> str:
        """A text cell of a constant_memory sheet as XlsxWriter writes it."""
        return f"<c{attr}{self._inline_body(text)}"

    def _inline_body(self, text: str) -> str:
        """What follows a constant_memory text cell's attributes."""
        if (not text.isprintable() or "_x" in text) and _CONTROL.search(text) is not None:
            text = self._escape_control_characters(text)
        # XlsxWriter's test (regular expressions ^\s and \s$): the same characters
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f' t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula

    def _write_formula(self, row: int, col: int, formula: str, cell_format=None, value=0) -> int:
        self.put_formula(row, col, formula, cell_format, value)
        return 0

    def put_formula(self, row: int, col: int, formula: str, cell_format=None, value: object = 0) -> None:
        self._store(row, col, _Formula(self._prepare_formula(formula), cell_format, value))

    def put_column_formula(self, col: int, text: str, cells: Sequence[tuple[int, object]], cell_format=None) -> None:
        """The cells of one column formula, (row, cached value) in row order; `text` is the
        formula with ROW_MARK for the row number, and no other reference relative to the
        row (as `formula.render` writes it). Each run of consecutive rows is written as
        one shared formula, as Excel writes a formula filled down: its text once, in the
        run's first cell (the template's sheets hold a third of the XML they would)."""
        if not cells:
            return
        assert not self.constant_memory, "rows of a constant_memory sheet are written one by one"
        if self._check_dimensions(cells[0][0], col) or self._check_dimensions(cells[-1][0], col):
            for row, value in cells:  # beyond the sheet's bounds: XlsxWriter ignores them cell by cell
                self.put_formula(row, col, text.replace(ROW_MARK, str(row + 1)), cell_format, value)
            return
        table, stored = self.table, []
        for row, value in cells:
            cell = table[row][col] = _SharedCell("", cell_format, value)
            stored.append((row, cell))
        self._column_formulas.append((col, text, stored))

    def _share_formulas(self) -> None:
        """Give the cells of each column formula their `<f>` element: the formula's text in
        the first cell of each run of consecutive rows still holding it (a cell written
        over since ends a run), `<f t="shared" si=.../>` in the others of the run."""
        table, index = self.table, itertools.count()
        for col, text, stored in self._column_formulas:
            kept = [(row, cell) for row, cell in stored if table[row].get(col) is cell]
            letter = _letter(col)
            for _, numbered in itertools.groupby(enumerate(kept), key=lambda x: x[1][0] - x[0]):
                run = [rc for _, rc in numbered]
                first, cell = run[0]
                formula = _escape(text.replace(ROW_MARK, str(first + 1)))
                if len(run) == 1:
                    table[first][col] = cell._replace(element=f"<f>{formula}</f>")
                    continue
                si, last = next(index), run[-1][0]
                table[first][col] = cell._replace(
                    element=f'<f t="shared" ref="{letter}{first + 1}:{letter}{last + 1}" si="{si}">{formula}</f>')
                element = f'<f t="shared" si="{si}"/>'
                for row, cell in run[1:]:
                    table[row][col] = cell._replace(element=element)
        self._column_formulas.clear()

    def put_formulas(self, col: int, cells: Sequence[tuple[int, str, object]], cell_format=None) -> None:
        """Formula cells of one column, (row, text without "=", cached value) in row order,
        as `put_formula` stores them (not in constant_memory mode)."""
        if not cells:
            return
        assert not self.constant_memory, "rows of a constant_memory sheet are written one by one"
        if self._check_dimensions(cells[0][0], col) or self._check_dimensions(cells[-1][0], col):
            for row, text, value in cells:  # beyond the sheet's bounds: XlsxWriter ignores them cell by cell
                self.put_formula(row, col, text, cell_format, value)
            return
        table = self.table
        for row, text, value in cells:
            table[row][col] = _Formula(text, cell_format, value)


#: The deflate level of written workbooks. zipfile's default, 6, took a tenth of a
#: large recompute's time (0.27 s for its 17 MB of XML, 2.05 MB written); level 2 takes
#: 0.09 s for 2.49 MB (a 200-office rekap: 0.61 s and 4.7 MB, 0.23 s and 5.8 MB).
ZIP_LEVEL = 2
_ZIP_SWAP = threading.Lock()  # held while XlsxWriter's ZipFile is swapped for `_LeveledZipFile`


class _LeveledZipFile(zipfile.ZipFile):
    """XlsxWriter's zip, deflated at ZIP_LEVEL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)


class Writer:
    """An XlsxWriter workbook with cached formats and typed cell writing."""

    def __init__(self, path: str | Path, constant_memory: bool = False) -> None:
        """`constant_memory`: rows go to disk as they are written (they must come in
        order), for workbooks too large to hold in memory, such as a national rekap."""
        self.constant_memory = constant_memory
        # The zip is built in memory and written by `close`, so a disk error is an
        # ordinary OSError there, and no half-closed zip is left to fail again later.
        # (XlsxWriter's in_memory option, parts assembled without temporary files, was
        # measured: no faster, and 30% more memory for a large recompute.)
        self.path, self.buffer = Path(path), io.BytesIO()
        self.wb = xlsxwriter.Workbook(
            self.buffer,
            {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
             "constant_memory": constant_memory},
        )
        self.wb.set_properties({"created": dt.datetime(2000, 1, 1), "author": "sakip-xl"})
        self._formats: dict[tuple, Any] = {}

    def add_sheet(self, name: str) -> _Worksheet:
        return self.wb.add_worksheet(name, worksheet_class=_Worksheet)

    def fmt(self, base: str, number_format: str | None = None, wrap: bool = False, indent: int = 0,
            mark: str | None = None):
        key = (base, number_format, wrap, indent, mark)
        f = self._formats.get(key)
        if f is None:
            props = cell_format(base, number_format, wrap, mark)
            if indent:
                props["indent"] = indent
            f = self._formats[key] = self.wb.add_format(props)
        return f

    def put(self, ws: _Worksheet, r: int, c: int, v: object, f=None) -> None:
        """Write one value with its own type; text is never turned into a formula."""
        if isinstance(v, str):
            if v:
                ws.put_string(r, c, v, f)
            elif f is not None:
                ws.write_blank(r, c, None, f)
        elif v is None:
            if f is not None:
                ws.write_blank(r, c, None, f)
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v, f)
        elif isinstance(v, (int, float)):
            if math.isfinite(v):
                ws.put_number(r, c, v, f)
            else:
                ws.put_string(r, c, str(v), f)
        elif isinstance(v, (dt.datetime, dt.date)):
            ws.write_datetime(r, c, v, self.fmt("plain", "dd/mm/yyyy") if f is None else f)
        else:
            ws.put_string(r, c, str(v), f)

    def put_many(self, ws: _Worksheet, cells: Sequence[tuple[int, int, object, Any]]) -> None:
        """`put` of each (row, col, value, format), in order. Short texts and finite numbers,
        nearly all of them, are stored without XlsxWriter's per-cell checks (the sheet's
        dimensions are taken from their extremes); not for a constant_memory sheet."""
        assert not self.constant_memory, "rows of a constant_memory sheet are written one by one"
        table, shared = ws.table, ws.str_table._get_shared_string_index
        limit = ws.xls_strmax // 2
        quick = [isinstance(v, str) and 0 < len(v) <= limit
                 or isinstance(v, (float, int)) and not isinstance(v, bool) and math.isfinite(v)
                 for _r, _c, v, _f in cells]
        rows = [cell[0] for cell, q in zip(cells, quick) if q]
        cols = [cell[1] for cell, q in zip(cells, quick) if q]
        if rows and (min(rows) < 0 or min(cols) < 0 or max(rows) >= ws.xls_rowmax or max(cols) >= ws.xls_colmax):
            quick = [False] * len(cells)  # a cell beyond the sheet: XlsxWriter decides, cell by cell
        elif rows:
            ws._check_dimensions(min(rows), min(cols))
            ws._check_dimensions(max(rows), max(cols))
        for (r, c, v, f), q in zip(cells, quick):
            if not q:
                self.put(ws, r, c, v, f)
            elif isinstance(v, str):
                table[r][c] = _String(shared(v), f)
            else:
                table[r][c] = _Number(v, f)

    def row_stream(self, ws: _Worksheet, formats: Sequence[Any], formula: tuple[int, str] | None = None,
                   wrap: dict[int, float] | None = None) -> Callable[[int, Sequence[object]], None]:
        """A function writing the rows of a long table to the constant_memory sheet `ws`
        in order, one value per column, as `_Worksheet.row_writer` (column c in
        `formats[c]`, the `formula` column's formula), else cell by cell; the `wrap`
        columns (column -> width) make each row as tall as their text needs."""
        fast = ws.row_writer(formats, formula)
        wrapped = list((wrap or {}).items())
        fcol, ftext = formula or (-1, "")

        def put(r: int, values: Sequence[object]) -> None:
            height = fitting_height([(values[c], width) for c, width in wrapped]) if wrapped else None
            if fast(r, values, height):
                return
            cells: list[tuple[int, object, Any]] = list(zip(range(len(formats)), values, formats, strict=True))
            if fcol >= 0:
                v = values[fcol]
                cells[fcol] = (fcol, FormulaCell(ftext.replace(ROW_MARK, str(r + 1)), formats[fcol],
                                                 "" if v is None else v), formats[fcol])
            self.put_cells(ws, r, cells, height)

        return put

    def put_cells(self, ws: _Worksheet, r: int, cells: Sequence[tuple[int, object, Any]],
                  height: float | None = None) -> None:
        """A row of (column, value, format) cells written one by one, `height` tall."""
        if height is not None:
            ws.set_row(r, height)
        for c, v, f in cells:
            if isinstance(v, FormulaCell):
                ws.write_formula(r, c, v.formula, f, v.value)
            else:
                self.put(ws, r, c, v, f)

    def close(self) -> None:
        # XlsxWriter has no option for the deflate level: its ZipFile is ours while it
        # writes (one workbook at a time, so threads never leave the swap in place). A
        # version that no longer imports ZipFile by name writes at its own level.
        module = xlsxwriter.workbook
        with _ZIP_SWAP:
            saved = vars(module).get("ZipFile")
            if saved is not None:
                module.ZipFile = _LeveledZipFile
            try:
                self.wb.close()
            finally:
                if saved is not None:
                    module.ZipFile = saved
        with open(self.path, "wb") as fh:
            fh.write(self.buffer.getbuffer())


# ---------------------------------------------------------------- standard sheets


def input_format(w: Writer, col: Column, mark: str | None = None):
    nf = {"kode": "teks", "rupiah": "rupiah", "tahun": "tahun"}.get(col.type)
    return w.fmt("input", nf, col.wrap, mark=mark)


#: Problems to mark on the input cells of one sheet: (row, col) -> (severity, message).
Marks = dict[tuple[int, int], tuple[str, str]]

MARK_LEGEND = ("Sel merah: galat, harus diperbaiki. Sel jingga: peringatan, periksa kembali. Arahkan penunjuk "
               "ke sel bertanda untuk membaca pesannya; daftar lengkapnya di lembar Pemeriksaan.")


def marks_by_sheet(report: Report) -> dict[str, Marks]:
    """The galat and peringatan of a report by sheet and cell, the most serious first."""
    out: dict[str, Marks] = {}
    for i in report.sorted_issues():
        key = cell_position(i.cell)
        if i.severity not in MARK_FILLS or not i.sheet or key is None:
            continue
        sheet = out.setdefault(i.sheet, {})
        if key in sheet:
            severity, text = sheet[key]
            sheet[key] = (severity, f"{text}\n\n{i.message}")
        else:
            sheet[key] = (i.severity, i.message)
    return out


def _mark_empty_cells(ws: Worksheet, book: Book, sheet: str, marks: Marks, style) -> None:
    """A marked cell that holds nothing (a required value left empty) still shows its mark."""
    values = book.sheets[sheet].values if sheet in book.sheets else {}
    for r, c in marks:
        if (r, c) not in values:
            ws.write_blank(r, c, None, style(r, c))


def _write_marks(w: Writer, ws: Worksheet, marks: Marks, widths: dict[int, float], start: int,
                 printed: Sequence[int], values: Mapping[tuple[int, int], object]) -> float | None:
    """The comment of every marked cell and, in the title row, the legend: wrapped over the
    columns from `start` to the last of the `printed` columns on the first page, so that it
    is read whole on paper, up to a title-row cell holding something (in the sheet's
    `values`). Returns the title row's height."""
    for (r, c), (severity, text) in marks.items():
        ws.write_comment(r, c, f"{severity.upper()}: {text}"[:2000],
                         {"author": MARK_AUTHOR, "x_scale": 3, "y_scale": 2.5})
    if not marks:
        return None
    span = [start]
    for c in printed:
        if c > start:
            if (0, c) in values:
                break
            span.append(c)
    width = sum(widths.get(c, 8.43) for c in span)
    if width < 40:  # too narrow to wrap into: on one line, as on screen
        ws.write_string(0, start, MARK_LEGEND, w.fmt("mark_legend"))
        return None
    if len(span) > 1:
        ws.merge_range(0, start, 0, span[-1], MARK_LEGEND, w.fmt("mark_legend", None, True))
    else:
        ws.write_string(0, start, MARK_LEGEND, w.fmt("mark_legend", None, True))
    return fitting_height([(MARK_LEGEND, width)])


def derived_format(w: Writer, col: Column):
    return w.fmt("derived", col.number_format, col.wrap)


def fit_row(ws: Worksheet, r: int, texts: Iterable[tuple[object, float]], fmt=None) -> None:
    """Give row `r` the height its wrapped texts need: `texts` are (value, column width)."""
    height = fitting_height(texts)
    if height is not None:
        ws.set_row(r, height, fmt)


def write_cells(w: Writer, ws: _Worksheet, book: Book, sheet: str, style, widths: dict[int, float]) -> None:
    """Write every value and formula of a book sheet, each row as tall as its wrapped text
    (`widths`: column widths); `style(r, c)` gives formats. A column formula's cells are
    stored a column at once."""
    s = book.sheets.get(sheet)
    if s is None:
        return
    wrapped: dict[int, list[tuple[object, float]]] = {}  # row -> (value, width) of its wrapped cells
    in_order: list[tuple] | None = [] if w.constant_memory else None  # constant memory: rows come in order

    def wraps(f, c: int, cells: Iterable[tuple]) -> None:
        if f is not None and f.text_wrap:
            width = widths.get(c, 8.43)
            for cell in cells:
                wrapped.setdefault(cell[0], []).append((cell[-1], width))

    by_row: dict[int, list[tuple[int, Value]]] = {}  # texts enter the shared strings row by row
    for (r, c), v in s.values.items():
        if s.shows_value(r, c):
            by_row.setdefault(r, []).append((c, s.originals.get((r, c), v)))
    plain: list[tuple[int, int, object, Any]] = []
    for r, values in by_row.items():
        for c, value in values:
            f = style(r, c)
            wraps(f, c, [(r, value)])
            if in_order is None:
                plain.append((r, c, value, f))
            else:
                in_order.append((r, c, None, value, f))
    if plain:
        w.put_many(ws, plain)
    for c, cf in s.column_formulas.items():
        f = style(cf.first, c)
        cells = _formula_column(book, s, c, cf)
        wraps(f, c, cells)
        if in_order is None and cf.rows is None:
            ws.put_column_formula(c, cf.text, [(r, _cached(value)) for r, value in cells], f)
            continue
        formulas = cf.texts([r for r, _v in cells])
        if in_order is not None:
            in_order.extend((r, c, text, value, f) for (r, value), text in zip(cells, formulas))
        else:  # each row maps to a source row of its own: not one formula filled down
            ws.put_formulas(c, [(r, text, _cached(value)) for (r, value), text in zip(cells, formulas)], f)
    for (r, c), cell_formula in s.cell_formulas.items():
        if (r, c) not in s.typed_over:
            f, value = style(r, c), book.value(sheet, r, c)
            wraps(f, c, [(r, value)])
            if in_order is None:
                ws.put_formula(r, c, cell_formula.text, f, _cached(value))
            else:
                in_order.append((r, c, cell_formula.text, value, f))
    if in_order is None:
        for r, texts in wrapped.items():
            fit_row(ws, r, texts)
        return
    in_order.sort(key=lambda cell: (cell[0], cell[1]))
    for r, row in itertools.groupby(in_order, key=lambda cell: cell[0]):
        fit_row(ws, r, wrapped.get(r, ()))
        for _r, c, text, value, f in row:
            if text is None:
                w.put(ws, r, c, value, f)
            else:
                ws.put_formula(r, c, text, f, _cached(value))


def _formula_column(book: Book, s, c: int, cf) -> list[tuple[int, object]]:
    """(row, value) of the cells of a column formula, in row order, without those holding
    their own formula or a typed value."""
    rows = s.column_rows(c, cf)
    return list(zip(rows, book.values_at(s.name, c, rows)))


def _cached(value: object) -> object:
    """A computed value as XlsxWriter stores it next to a formula: an error value by
    its code (stored as an error, read as 0 by a chart's cache), never inf or NaN."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, XLError):
        return value.code
    return value


def _validation(col: Column, source: str | list[str] | None) -> dict:
    opts: dict[str, Any] = {
        "input_title": col.label[:32],
        "input_message": col.help[:255],
    }
    if source is None:
        opts["validate"] = "any"
    else:
        opts.update(
            validate="list",
            source=source,
            error_type="warning",
            error_title="Nilai tidak dikenal",
            error_message=f"Pilih salah satu nilai dari daftar untuk kolom {col.label}."[:255],
        )
    return opts


def _list_source(layout: Layout, col: Column) -> str | list[str] | None:
    if col.choices:
        return list(col.choices)
    if col.references:
        table, key = col.references.split(".")
        tl = layout.tables[table]
        return "=" + render(Range(tl.sheet, tl.columns[key], tl.first_row, tl.last_row), "")
    return None


EXTRA_WIDTH = 15  # a column the staff added to a contract table


def write_table_sheet(w: Writer, layout: Layout, book: Book, sheet_key: str, password: str | None = None,
                      marks: Marks | None = None) -> None:
    """One contract sheet: its tables' cells, formats, dropdowns, protection and print set-up;
    input cells with a problem in `marks` are coloured and carry its message."""
    contract = layout.contract
    sdef = contract.sheet(sheet_key)
    tables = [layout.tables[t.key] for t in sdef.tables]
    name = tables[0].sheet
    ws = w.add_sheet(name)
    roles: dict[int, tuple[TableLayout, Column]] = {}
    for tl in tables:
        for col in tl.table.columns:
            if col.key in tl.columns:
                roles[tl.columns[col.key]] = (tl, col)
    header_row = tables[0].header_row
    first_row = min(t.first_row for t in tables)

    def style(r: int, c: int):
        role = roles.get(c)
        if role is None:
            if c in tables[0].pattern_columns:  # Target Renstra <year>: an input column
                if r == header_row:
                    return w.fmt("header_input")
                return w.fmt("input", mark=input_marks.get((r, c), (None,))[0]) if r >= first_row else None
            if r == header_row:
                return w.fmt("bold")
            return w.fmt("extra") if r >= first_row and c in tables[0].extra_columns else None
        tl, col = role
        if r == tl.header_row:
            return w.fmt("header_derived" if col.derived else "header_input")
        if r < tl.first_row:
            return None
        if col.derived:
            return derived_format(w, col)
        return input_format(w, col, input_marks[(r, c)][0] if (r, c) in input_marks else None)

    input_marks = {(r, c): m for (r, c), m in (marks or {}).items() if r >= first_row and (
        (c in roles and not roles[c][1].derived) or c in tables[0].pattern_columns)}
    widths = {c: col.width for c, (_tl, col) in roles.items()}
    widths.update((c, EXTRA_WIDTH) for c in tables[0].extra_columns)
    for c, (pkey, _year) in tables[0].pattern_columns.items():
        widths[c] = next(p.width for p in tables[0].table.patterns if p.key == pkey)
    write_cells(w, ws, book, name, style, widths)
    _mark_empty_cells(ws, book, name, input_marks, style)
    visible = sorted({*(c for c, (_tl, col) in roles.items() if not col.hidden), *tables[0].pattern_columns})
    on_first_page = print_setup(ws, header_row, [widths[c] for c in visible], FROZEN_COLUMNS.get(sheet_key, 0))
    title_height = _write_marks(w, ws, input_marks, widths, 4 if widths.get(0, 10) < 30 else 2,
                                visible[:on_first_page], book.sheet(name).values)
    # Column formats carry the input/derived look below the prepared rows, unlocked there:
    # staff add rows by copying the last formula row below it (Petunjuk, section 4).
    for c, (tl, col) in roles.items():
        f = w.fmt("derived_below", col.number_format, col.wrap) if col.derived else input_format(w, col)
        ws.set_column(c, c, col.width, f, {"hidden": col.hidden})
        if not col.derived:
            ws.data_validation(tl.first_row, c, LAST_ROW, c, _validation(col, _list_source(layout, col)))
    for c, (pkey, year) in tables[0].pattern_columns.items():
        pattern = next(p for p in tables[0].table.patterns if p.key == pkey)
        ws.set_column(c, c, pattern.width, w.fmt("input"))
        ws.data_validation(
            tables[0].first_row, c, LAST_ROW, c,
            {"validate": "any", "input_title": pattern.label.replace("{tahun}", str(year))[:32],
             "input_message": pattern.help[:255]},
        )
    for extra in tables[0].extra_columns:
        ws.set_column(extra, extra, EXTRA_WIDTH, w.fmt("extra"))
    for r in range(first_row):
        ws.set_row(r, 30 if r == header_row else title_height if r == 0 else None, w.fmt("plain"))
    ws.set_row(header_row, 45)
    last_col = max(roles)
    if len(tables) == 1:
        ws.autofilter(header_row, 0, tables[0].last_row, last_col)
    ws.freeze_panes(first_row, FROZEN_COLUMNS.get(sheet_key, 0))
    # A filled sheet prints its rows; a blank one its header and rows to fill by hand.
    filled = [r for (r, c) in book.sheet(name).values if r >= first_row and c in visible]
    ws.print_area(0, 0, max(filled) if filled else first_row + BLANK_PRINT_ROWS - 1, max(visible))
    _protect(ws, password)


def _protect(ws: Worksheet, password: str | None) -> None:
    ws.protect(
        password or "",
        {
            "insert_rows": True,
            "delete_rows": True,
            "format_columns": True,
            "format_rows": True,
            "autofilter": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )


#: Printing: A4 landscape, 0.4 inch side margins. A table wider than the page at a
#: readable size is printed across several pages, its first columns repeated.
PRINTABLE_WIDTH = (11.69 - 0.8) * 72  # points
MIN_PRINT_SCALE = 7 / 11  # of the 11-point font: at least 7 points on paper


def print_setup(ws: Worksheet, header_row: int | None, widths: Iterable[float] = (), repeat_columns: int = 0) -> int:
    """Page set-up; `widths` of the printed columns decide how many pages wide the sheet
    prints so its text stays readable, repeating the first `repeat_columns` columns.
    Returns how many of those columns print on the first page (a little to spare:
    applications place columns slightly differently)."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&RHalaman &P dari &N")
    if header_row is not None:
        ws.repeat_rows(header_row)
    points = [(w * 7 + 5) * 0.75 for w in widths]  # Excel: 7 pixels a character plus padding
    repeated = sum(points[:repeat_columns])
    pages = 1
    while pages < 4 and points and PRINTABLE_WIDTH * pages - repeated * (pages - 1) < MIN_PRINT_SCALE * sum(points):
        pages += 1
    ws.fit_to_pages(pages, 0)
    if pages > 1 and repeat_columns:
        ws.repeat_columns(0, repeat_columns - 1)
    scale = min(1.0, PRINTABLE_WIDTH * pages / (sum(points) + repeated * (pages - 1))) if points else 1.0
    room = 0.95 * PRINTABLE_WIDTH / scale
    return sum(1 for p in itertools.accumulate(points) if p <= room)


IDENTITY_WIDTHS: dict[int, float] = {0: 28, 1: 42, 2: 90}  # label, value, help


def write_identity_sheet(w: Writer, layout: Layout, book: Book, password: str | None = None,
                         marks: Marks | None = None) -> None:
    """Identitas: labels, values with their dropdowns and input messages, locked version;
    values with a problem in `marks` coloured, carrying its message."""
    contract = layout.contract
    name = layout.identity_sheet
    ws = w.add_sheet(name)
    value_col = next(iter(layout.fields.values()))[1]
    by_row = {r: contract.field(k) for k, (r, _c) in layout.fields.items()}
    first = min(by_row)

    def style(r: int, c: int):
        f = by_row.get(r)
        if f is None:
            return w.fmt("header_input") if r == first - 1 else None
        if c == value_col:
            if f.generated:
                return w.fmt("derived")
            mark = input_marks.get((r, c), (None,))[0]
            return w.fmt("input", "teks" if f.type in ("kode", "periode") else None, mark=mark)
        if c == layout.identity_label_col:
            return w.fmt("top_bold")
        return w.fmt("subtitle", None, True)

    input_marks = {(r, c): m for (r, c), m in (marks or {}).items()
                   if c == value_col and r in by_row and not by_row[r].generated}
    write_cells(w, ws, book, name, style, IDENTITY_WIDTHS)
    title_height = _write_marks(w, ws, input_marks, IDENTITY_WIDTHS, 2, list(IDENTITY_WIDTHS),
                                book.sheet(name).values)
    if title_height:
        ws.set_row(0, title_height)
    for r, f in by_row.items():
        if f.generated:
            continue
        if (r, value_col) not in book.sheet(name).values:
            w.put(ws, r, value_col, None, style(r, value_col))
        opts_dv: dict[str, Any] = {"input_title": f.label[:32], "input_message": f.help[:255]}
        choices = list(f.choices) or (_scale_names(layout, book) if f.choices_from else [])
        if choices:
            opts_dv.update(validate="list", source=choices, error_type="warning",
                           error_title="Nilai tidak dikenal", error_message="Pilih nilai dari daftar.")
        elif f.type == "tahun":
            opts_dv.update(validate="integer", criteria="between", minimum=2000, maximum=2100,
                           error_type="warning", error_title="Tahun", error_message="Tulis tahun 4 angka.")
        else:
            opts_dv["validate"] = "any"
        ws.data_validation(r, value_col, r, value_col, opts_dv)
    for c, width in IDENTITY_WIDTHS.items():
        ws.set_column(c, c, width)
    ws.freeze_panes(first, 0)
    print_setup(ws, None)
    _protect(ws, password)


def _scale_names(layout: Layout, book: Book) -> list[str]:
    tl = layout.tables["kategori"]
    col = tl.columns["skala"]
    names: list[str] = []
    for r in range(tl.first_row, tl.last_row + 1):
        v = book.value(tl.sheet, r, col)
        if isinstance(v, str) and v.strip() and v.strip() not in names:
            names.append(v.strip())
    return names


# ---------------------------------------------------------------- Petunjuk


def _rule_of(col: Column) -> Rule:
    """The rule of a derived column."""
    assert col.rule is not None, f"derived column {col.key} has a rule (checked when the contract loads)"
    return RULES[col.rule]


def write_petunjuk(w: Writer, contract: Contract) -> None:
    text = petunjuk_text()
    ws = w.add_sheet(PETUNJUK)
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 3, 90)
    wrap = w.fmt("text")
    r = 0
    ws.write_string(r, 1, text["judul"], w.fmt("title"))
    r += 1
    ws.write_string(r, 1, f"Kontrak buku kerja v{contract.version}, templat {contract.template_version}",
                    w.fmt("subtitle"))
    r += 2
    ws.merge_range(r, 1, r, 3, text["pengantar"], wrap)
    fit_row(ws, r, [(text["pengantar"], 24 + 22 + 90)])
    r += 2
    for section in text["bagian"]:
        ws.write_string(r, 1, section["judul"], w.fmt("heading"))
        r += 1
        for i, item in enumerate(section["butir"], 1):
            item = item.format(**{k: f"{v:,}".replace(",", ".") for k, v in contract.capacities.items()})
            ws.write_string(r, 0, f"{i}.", w.fmt("top"))
            ws.merge_range(r, 1, r, 3, item, wrap)
            fit_row(ws, r, [(item, 24 + 22 + 90)])
            r += 1
        r += 1
    ws.write_string(r, 1, "7. Isi setiap lembar", w.fmt("heading"))
    r += 1
    for sheet_name, purpose in text["lembar"].items():
        ws.write_string(r, 1, sheet_name, w.fmt("top_bold"))
        ws.merge_range(r, 2, r, 3, purpose, wrap)
        fit_row(ws, r, [(purpose, 22 + 90)])
        r += 1
    formulas = [
        (sheet.name, col.label, f"{_rule_of(col).explanation} Dasar: {_rule_of(col).source}.")
        for sheet in contract.sheets for t in sheet.tables for col in t.columns if col.derived and not col.hidden
    ]
    r = _petunjuk_table(w, ws, r + 1, "8. Rumus yang dipakai", "header_derived",
                        ("Lembar", "Kolom", "Cara menghitung dan dasar"), formulas)
    fields = [(contract.identity_sheet, f.label, f.required, f.choices, f.help) for f in contract.fields
              if not f.generated]
    fields += [(sheet.name, c.label, c.required, c.choices, c.help)
               for sheet in contract.sheets for t in sheet.tables for c in t.inputs]
    inputs = [(name, label, ("Wajib. " if required else "") + helptext
               + (" Pilihan: " + ", ".join(choices) + "." if choices else ""))
              for name, label, required, choices, helptext in fields]
    _petunjuk_table(w, ws, r + 1, "9. Daftar kolom isian", "header_input",
                    ("Lembar", "Kolom", "Keterangan (wajib / pilihan)"), inputs)
    print_setup(ws, None)
    ws.set_portrait()
    ws.activate()


def write_standard(w: Writer, layout: Layout, book: Book, password: str | None = None) -> None:
    """Petunjuk, Identitas and every contract sheet in the standard order, protected."""
    write_petunjuk(w, layout.contract)
    write_identity_sheet(w, layout, book, password)
    for sheet in layout.contract.sheets:
        write_table_sheet(w, layout, book, sheet.key, password)


# ---------------------------------------------------------------- generated sheets


def write_output_sheet(w: Writer, book: Book, spec, password: str | None = None) -> None:
    """A chapter-III sheet (see chapter3.OutputSheet): formulas with cached values."""
    ws = w.add_sheet(spec.name)
    headers, titles, totals = set(spec.headers), set(spec.titles), set(spec.totals)

    def style(r: int, c: int):
        if r in titles:
            return w.fmt("heading") if r else w.fmt("title")
        if r in headers:
            return w.fmt("header_derived")
        if r < spec.first_data_row:
            return None
        base = "total" if r in totals else "derived"
        if c == spec.text_col and r in spec.indent:
            return w.fmt(base, None, True, spec.indent[r])
        return w.fmt(base, spec.number_formats.get(c), c in spec.wrap)

    write_cells(w, ws, book, spec.name, style, dict(enumerate(spec.widths)))
    for c, width in enumerate(spec.widths):
        ws.set_column(c, c, width)
    for r in spec.headers:  # headers wrap in narrow columns: at least two lines
        labels = book.sheets[spec.name].values
        lines = max(2, *(text_lines(str(labels.get((r, c), "")), width) for c, width in enumerate(spec.widths)))
        ws.set_row(r, row_height(lines))
    ws.freeze_panes(spec.first_data_row, 0)
    for chart in spec.charts:
        _insert_chart(w, ws, spec.name, chart)
    # One table per page block: a page break before every section and chart after the
    # first; the header repeats on every page only where the sheet holds one table.
    breaks = sorted({t for t in spec.titles if t > spec.first_data_row} | {c.anchor[0] for c in spec.charts})
    if breaks:
        ws.set_h_pagebreaks(breaks)
    print_setup(ws, spec.headers[0] if len(spec.headers) == 1 else None, spec.widths, 2)
    _protect(ws, password)


def _insert_chart(w: Writer, ws: Worksheet, sheet: str, chart) -> None:
    main = None
    for name, col, first, last, kind in chart.values:
        c = w.wb.add_chart({"type": kind})
        c.add_series({
            "name": name,
            "categories": [sheet, chart.categories[1], chart.categories[0], chart.categories[2], chart.categories[0]],
            "values": [sheet, first, col, last, col],
            "data_labels": {"value": kind != "line"},
        })
        if main is None:
            main = c
        else:
            main.combine(c)
    assert main is not None, "a chart has at least one series"
    main.set_title({"name": chart.title})
    main.set_legend({"position": "bottom"})
    main.set_y_axis({"name": chart.y_title})
    ws.insert_chart(chart.anchor[0], chart.anchor[1], main, {"x_scale": 1.6, "y_scale": 1.3})




PEMERIKSAAN_COLUMNS = (("No", 5), ("Tingkat", 11), ("Kode Masalah", 22), ("Lembar", 12), ("Sel", 8),
                       ("Sel Lain", 16), ("Nilai Ditemukan", 20), ("Nilai Acuan", 18), ("Pesan", 70))


def write_pemeriksaan(w: Writer, report: Report, sheet_names: set[str]) -> None:
    """Every problem, the most serious first, one line per cause with a link to its
    (first) cell."""
    ws = w.add_sheet(PEMERIKSAAN)
    groups, counts = report.grouped(), report.counts()
    ws.write_string(0, 0, "Hasil Pemeriksaan sakip-xl", w.fmt("title"))
    ws.write_string(1, 0, f"{counts['galat']} galat, {counts['peringatan']} peringatan, {counts['info']} info, "
                          "yang paling serius di atas. Klik alamat sel untuk menuju sel tersebut; sel bermasalah "
                          "di lembar isian diberi warna dan komentar berisi pesannya.", w.fmt("subtitle"))
    widths = dict(enumerate(width for _h, width in PEMERIKSAAN_COLUMNS))
    for c, (h, width) in enumerate(PEMERIKSAAN_COLUMNS):
        ws.write_string(3, c, h, w.fmt("header_derived"))
        ws.set_column(c, c, width)
    wrap, top = w.fmt("text"), w.fmt("top")  # a row's cells start at its top, by its message's first line
    for n, g in enumerate(groups, 1):
        r, i = 3 + n, g.first
        others = ", ".join(g.cells[1:]) or None
        fit_row(ws, r, ((v, widths[c]) for c, v in ((5, others), (6, i.value), (7, i.expected), (8, i.message))))
        ws.write_number(r, 0, n, top)
        ws.write_string(r, 1, i.severity, w.fmt(i.severity))
        ws.write_string(r, 2, i.code, top)
        w.put(ws, r, 3, i.sheet, top)
        if i.sheet in sheet_names and g.cells:
            ws.write_url(r, 4, f"internal:{sheet_prefix(i.sheet)}{g.cells[0]}", w.fmt("link"), string=g.cells[0])
        else:
            w.put(ws, r, 4, g.cells[0] if g.cells else None, top)
        w.put(ws, r, 5, others, wrap)
        w.put(ws, r, 6, i.value, wrap)
        w.put(ws, r, 7, i.expected, wrap)
        ws.write_string(r, 8, i.message, wrap)
    ws.autofilter(3, 0, 3 + max(len(groups), 1), len(PEMERIKSAAN_COLUMNS) - 1)
    ws.freeze_panes(4, 0)
    print_setup(ws, 3)


def write_extra_sheet(w: Writer, sheet, name: str) -> None:
    """A sheet of the staff's own, carried as values, under `name` (see excel_sheet_name)."""
    ws = w.add_sheet(name)
    for r, row in sheet.rows.items():
        for c, v in row.items():
            w.put(ws, r, c, v)
    if not sheet.visible:
        ws.hide()
