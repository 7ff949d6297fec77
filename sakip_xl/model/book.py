"""A workbook in memory: the cell values as they will be written, and formulas.

Formula cells are computed by their compiled expressions, so a formula's
cached value is exactly what the formula gives on the written cells. A column
formula (one expression for a block of rows) is rendered and compiled once and
evaluated for all its rows at once (`rules.columns`) the first time any of its
cells is needed; a cell's own formula (a budget roll-up, a total) is evaluated
alone. `compute` evaluates everything before a workbook is written. Any change
to a sheet whose values were already read forgets every computed value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from ..rules.columns import ColumnFn, compile_column
from ..rules.formula import MAP_MARK, REF, ROW_MARK, Expr, Fn, ShapeFn, Value, fill_shape, build_groups, build_index, build_numbers, compile_expr, render, top_value

_EPOCH = dt.datetime(1899, 12, 30)
#: (sheet, rendered text) -> a mapped formula, compiled on first use, for every workbook
_MAPPED: dict[tuple[str, str], Compiled] = {}
_MISSING = object()
_Built = TypeVar("_Built")  # what a range's lookup holds


def to_cell_value(v: object) -> Value:
    """A Python value as a spreadsheet holds it (dates are serial numbers)."""
    if v is None or isinstance(v, (str, bool, float)):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, dt.datetime):
        return (v - _EPOCH).total_seconds() / 86400
    if isinstance(v, dt.date):
        return float((v - _EPOCH.date()).days)
    if isinstance(v, dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second) / 86400
    if isinstance(v, dt.timedelta):
        return v.total_seconds() / 86400
    return str(v)


class Compiled:
    """An expression's cell function, column function and text, each made the first time
    it is needed and then kept: a check reads a few derived columns and writes none, so
    most of a workbook's rules are never compiled or rendered there."""

    __slots__ = ("_expr", "_sheet", "_fn", "_vfn", "_text")

    def __init__(self, expr: Expr, sheet: str, text: str | None = None) -> None:
        self._expr, self._sheet = expr, sheet
        self._fn: Fn | None = None
        self._vfn: ColumnFn | None = None
        self._text = text

    @property
    def fn(self) -> Fn:
        if self._fn is None:
            self._fn = compile_expr(self._expr)
        return self._fn

    @property
    def vfn(self) -> ColumnFn:
        if self._vfn is None:
            self._vfn = compile_column(self._expr)
        return self._vfn

    @property
    def text(self) -> str:
        """Rendered on its sheet with ROW_MARK for the row number (MAP_MARK for a mapped row)."""
        if self._text is None:
            self._text = render(self._expr, self._sheet)
        return self._text


@dataclass
class ColumnFormula:
    compiled: Compiled
    first: int
    last: int
    rows: dict[int, int] | None = None  # only these rows, each mapped to a source row

    @property
    def fn(self) -> Fn:
        """One cell (a row of this column read while the column itself is being evaluated)."""
        return self.compiled.fn

    @property
    def vfn(self) -> ColumnFn:
        """The whole column at once."""
        return self.compiled.vfn

    @property
    def text(self) -> str:
        return self.compiled.text

    def covers(self, r: int) -> bool:
        return r in self.rows if self.rows is not None else self.first <= r <= self.last

    def texts(self, rows: Sequence[int]) -> list[str]:
        """The formula's text in each of `rows`."""
        parts = self.text.split(ROW_MARK)
        if self.rows is None:
            return [str(r + 1).join(parts) for r in rows]
        return [str(r + 1).join(parts).replace(MAP_MARK, str(self.rows[r] + 1)) for r in rows]

    def row_range(self):
        return sorted(self.rows) if self.rows is not None else range(self.first, self.last + 1)


class CellFormula:
    """One cell's own formula: compiled now, rendered only if the cell is written."""

    __slots__ = ("fn", "_expr", "_sheet", "_row", "_text")

    def __init__(self, fn: Fn, expr: Expr | Callable[[], str], sheet: str, row: int) -> None:
        self.fn, self._sheet, self._row = fn, sheet, row
        self._expr: Expr | Callable[[], str] | None = expr  # the expression, or what renders it, until rendered
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            assert self._expr is not None  # kept until the text is rendered
            e = self._expr
            self._text = render(e, self._sheet, self._row) if isinstance(e, Expr) else e()
            self._expr = None
        return self._text


class Sheet:
    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[tuple[int, int], Value] = {}
        self.column_formulas: dict[int, ColumnFormula] = {}
        self.cell_formulas: dict[tuple[int, int], CellFormula] = {}
        self.cache: dict[int, dict[int, Value]] = {}  # computed formula cells: column -> row -> value
        self.typed_over: set[tuple[int, int]] = set()  # values typed where a formula belongs
        self.originals: dict[tuple[int, int], object] = {}  # dates, kept for writing
        self.evaluated: set[int] = set()  # column formulas whose rows are all in `cache`
        self.own_formula_columns: set[int] = set()  # columns with a cell of its own formula
        self.max_row = -1
        self._used: set[int] | None = None

    def computed(self, col: int) -> dict[int, Value]:
        """The computed cells of a column, row -> value (kept by column: a column
        formula's rows are read and stored together)."""
        got = self.cache.get(col)
        if got is None:
            got = self.cache[col] = {}
        return got

    def used_rows(self) -> set[int]:
        """Rows holding a value, a typed-over cell or a cell's own formula."""
        if self._used is None:
            self._used = {r for r, _c in self.values} | {r for r, _c in self.typed_over} | \
                {r for r, _c in self.cell_formulas}
        return self._used

    def column_rows(self, col: int, cf: ColumnFormula) -> list[int]:
        """The rows whose cell the column formula `cf` of `col` gives: its rows, less those
        with a cell's own formula or a typed value."""
        aside = {r for r, c in self.typed_over if c == col}
        if col in self.own_formula_columns:
            aside.update(r for r, c in self.cell_formulas if c == col)
        return [r for r in cf.row_range() if r not in aside] if aside else list(cf.row_range())

    def shows_value(self, r: int, c: int) -> bool:
        """Whether a cell of `values` is written as a value: typed over a formula, or
        where no formula is."""
        if (r, c) in self.typed_over:
            return True
        cf = self.column_formulas.get(c)
        return (r, c) not in self.cell_formulas and (cf is None or not cf.covers(r))


class Book:
    """Values and formulas of a workbook; computes formula cells when first needed."""

    def __init__(self) -> None:
        self.sheets: dict[str, Sheet] = {}
        self._columns: dict[tuple, list[Value]] = {}
        self._indexes: dict[tuple, dict] = {}
        self._groups: dict[tuple, dict] = {}
        self._numbers: dict[tuple, list[float]] = {}
        self._busy: set[tuple[str, int, int]] = set()
        self._evaluating: set[tuple[str, int]] = set()
        self._read: set[str] = set()  # sheets whose cells a computation has read
        self.memo: dict = {}
        self.rowmap: dict[int, int] = {}  # the row map of the mapped formula being evaluated

    def sheet(self, name: str) -> Sheet:
        s = self.sheets.get(name)
        if s is None:
            s = self.sheets[name] = Sheet(name)
        return s

    # -- building

    def _changing(self, sheet: str) -> None:
        """Forget every computed value when a sheet already read changes."""
        if sheet in self._read:
            self._read.clear()
            self._columns.clear()
            self._indexes.clear()
            self._groups.clear()
            self._numbers.clear()
            self.memo.clear()
            for s in self.sheets.values():
                s.cache.clear()
                s.evaluated.clear()

    def set(self, sheet: str, row: int, col: int, value: object) -> None:
        self.set_many(sheet, ((row, col, value),))

    def set_many(self, sheet: str, cells: Iterable[tuple[int, int, object]]) -> None:
        """Set cells of one sheet: (row, col, value); nothing (None or "") empties a cell."""
        self._changing(sheet)
        s = self.sheet(sheet)
        s._used = None
        values, originals, top = s.values, s.originals, s.max_row
        for row, col, value in cells:
            kind = type(value)  # numbers and texts (nearly all) skip the checks that cannot apply to them
            if kind is float or (kind is str and value):
                values[(row, col)] = value
            else:
                v = to_cell_value(value)
                if v is None or v == "":
                    values.pop((row, col), None)
                    originals.pop((row, col), None)
                    continue
                values[(row, col)] = v
                if isinstance(value, (dt.date, dt.time, dt.timedelta)):
                    originals[(row, col)] = value
            if row > top:
                top = row
        s.max_row = top

    def type_over(self, sheet: str, row: int, col: int, value: object) -> None:
        """A value typed into a cell where a column formula belongs."""
        self.set(sheet, row, col, value)
        s = self.sheet(sheet)
        s.typed_over.add((row, col))
        s._used = None

    def set_column_formula(self, sheet: str, col: int, expr: Expr, first: int, last: int) -> None:
        """One resolved expression for rows `first..last` of a column."""
        self.set_compiled_column(sheet, col, Compiled(expr, sheet), first, last)

    def set_compiled_column(self, sheet: str, col: int, compiled: Compiled, first: int, last: int) -> None:
        """A column formula whose compiled forms may be shared with other workbooks."""
        self._changing(sheet)
        s = self.sheet(sheet)
        s.column_formulas[col] = ColumnFormula(compiled, first, last)
        s.max_row = max(s.max_row, last)

    def set_mapped_formula(self, sheet: str, col: int, expr: Expr, rows: dict[int, int]) -> None:
        """One expression for the given rows of a column; `Mapped` references in it
        read, for each row, the source row it maps to."""
        if not rows:
            return
        self._changing(sheet)
        s = self.sheet(sheet)
        if col in s.column_formulas:
            raise ValueError(f"{sheet}: column {col} already has a column formula")
        text = render(expr, sheet)
        compiled = _MAPPED.get((sheet, text))
        if compiled is None:  # the text is the formula: equal texts, equal functions
            if len(_MAPPED) > 1000:
                _MAPPED.clear()
            compiled = _MAPPED[(sheet, text)] = Compiled(expr, sheet, text)
        s.column_formulas[col] = ColumnFormula(compiled, min(rows), max(rows), dict(rows))
        s.max_row = max(s.max_row, max(rows))

    def set_formula(self, sheet: str, row: int, col: int, expr: Expr) -> None:
        self._set_cell_formula(sheet, row, col, CellFormula(compile_expr(expr, memo=False), expr, sheet, row))

    def set_shaped_formula(self, sheet: str, row: int, col: int, shape: ShapeFn, text: str, positions: tuple) -> None:
        """A cell's own formula from a shape: compiled (`formula.compile_shape`) and
        rendered on `sheet` once, here given the cells its slots read."""
        self._set_cell_formula(sheet, row, col, CellFormula(lambda b, _r: shape(b, positions),
                                                            lambda: fill_shape(text, positions, sheet), sheet, row))

    def _set_cell_formula(self, sheet: str, row: int, col: int, formula: CellFormula) -> None:
        self._changing(sheet)
        s = self.sheet(sheet)
        s.cell_formulas[(row, col)] = formula
        s._used = None
        s.own_formula_columns.add(col)
        s.max_row = max(s.max_row, row)

    # -- reading (formula.Book protocol)

    def value(self, sheet: str, row: int, col: int) -> Value:
        s = self.sheets.get(sheet)
        if s is None:
            return None
        self._read.add(sheet)
        computed = s.cache.get(col)
        if computed is not None:
            got = computed.get(row, _MISSING)
            if got is not _MISSING:
                return got
        key = (row, col)
        if key in s.typed_over:
            return s.values.get(key)
        f = s.cell_formulas.get(key)
        rowmap = self.rowmap
        if f is not None:
            fn = f.fn
        else:
            cf = s.column_formulas.get(col)
            if cf is None or not cf.covers(row):
                return s.values.get(key)
            if (sheet, col) not in self._evaluating:
                self._evaluate_column(s, col, cf)
                return s.cache[col][row]
            fn = cf.fn  # read by its own column while that is being evaluated: this cell alone
            if cf.rows is not None:
                rowmap = cf.rows
        token = (sheet, row, col)
        if token in self._busy:  # circular reference
            return REF
        self._busy.add(token)
        saved, self.rowmap = self.rowmap, rowmap
        try:
            v = top_value(fn(self, row))
        finally:
            self._busy.discard(token)
            self.rowmap = saved
        s.computed(col)[row] = v
        return v

    def _evaluate_column(self, s: Sheet, col: int, cf: ColumnFormula) -> None:
        """Every row of a column formula at once (those with their own formula or a
        typed value aside)."""
        if col in s.evaluated:
            return
        cache = s.computed(col)
        # rows with their own formula or a typed value keep theirs; a row already computed
        # (read by its own column while that was evaluated) keeps its value below
        rows = s.column_rows(col, cf)
        empty: list[int] = []
        if cf.rows is None:
            # A column formula reads its own row and fixed cells: on the rows of the
            # sheet holding nothing (a template's prepared rows) it gives one value.
            used = s.used_rows()
            empty = [r for r in rows if r not in used]
            if len(empty) > 1:
                rows = [r for r in rows if r in used] + empty[:1]
        token = (s.name, col)
        self._evaluating.add(token)
        saved = self.rowmap
        if cf.rows is not None:
            self.rowmap = cf.rows
        try:
            values = cf.vfn(self, rows)
        finally:
            self._evaluating.discard(token)
            self.rowmap = saved
        for r, v in zip(rows, values):
            if r not in cache:
                cache[r] = v if v is not None and type(v) is not list else top_value(v)
        if len(empty) > 1:
            same = cache[empty[0]]
            for r in empty[1:]:
                cache.setdefault(r, same)
        s.evaluated.add(col)

    def values_at(self, sheet: str, col: int, rows: Sequence[int]) -> list[Value]:
        """The values of one column on the given rows (what a column formula reads)."""
        s = self.sheets.get(sheet)
        if s is None:
            return [None] * len(rows)
        self._read.add(sheet)
        cf = s.column_formulas.get(col)
        if cf is not None and col not in s.evaluated and (sheet, col) not in self._evaluating:
            self._evaluate_column(s, col, cf)
        if cf is None and col not in s.own_formula_columns:
            values = s.values
            return [values.get((r, col)) for r in rows]
        got = s.computed(col).get
        out = [got(r, _MISSING) for r in rows]
        if _MISSING in out:  # (compared by identity first: no value equals the marker)
            for i, v in enumerate(out):
                if v is _MISSING:
                    out[i] = self.value(sheet, rows[i], col)
        return out

    def compute(self) -> None:
        """Evaluate every formula cell now (before writing: writing only reads)."""
        for s in list(self.sheets.values()):
            for col, cf in s.column_formulas.items():
                self._evaluate_column(s, col, cf)
            for r, c in s.cell_formulas:
                self.value(s.name, r, c)

    def filled(self, sheet: str, row: int, col: int) -> Value:
        """A cell's value, None when it shows nothing (an empty cell or an empty text)."""
        v = self.value(sheet, row, col)
        return None if v in (None, "") else v

    def column(self, sheet: str, col: int, row1: int | None, row2: int | None) -> list[Value]:
        key = (sheet, col, row1, row2)
        got = self._columns.get(key)
        if got is None:
            s = self.sheets.get(sheet)
            last = (s.max_row if s else -1) if row2 is None else row2
            got = self._columns[key] = self.values_at(sheet, col, range(row1 or 0, last + 1))
        return got

    def index(self, sheet: str, col: int, row1: int | None, row2: int | None) -> dict:
        """First position of each value of a range (MATCH), built once."""
        return self._over_range(self._indexes, build_index, sheet, col, row1, row2)

    def groups(self, sheet: str, col: int, row1: int | None, row2: int | None) -> dict:
        """All positions of each value of a range (SUMIFS, COUNTIFS), built once."""
        return self._over_range(self._groups, build_groups, sheet, col, row1, row2)

    def numbers(self, sheet: str, col: int, row1: int | None, row2: int | None) -> list[float]:
        """The numbers of a range, ascending (COUNTIFS with an ordering criterion), built once."""
        return self._over_range(self._numbers, build_numbers, sheet, col, row1, row2)

    def _over_range(self, cache: dict[tuple, _Built], build: Callable[[list[Value]], _Built], sheet: str, col: int,
                    row1: int | None, row2: int | None) -> _Built:
        key = (sheet, col, row1, row2)
        got = cache.get(key)
        if got is None:
            got = cache[key] = build(self.column(sheet, col, row1, row2))
        return got

    def formula_cells(self, sheet: str) -> Iterator[tuple[int, int, str]]:
        """Every formula cell of a sheet: (row, col, text)."""
        s = self.sheets[sheet]
        for c, cf in s.column_formulas.items():
            rows = s.column_rows(c, cf)
            for r, text in zip(rows, cf.texts(rows)):
                yield r, c, text
        for (r, c), f in s.cell_formulas.items():
            yield r, c, f.text
