"""Excel formulas as expression trees: one definition, two forms.

Every derived value in a sakip-xl workbook is an `Expr`. The same tree is
rendered to Excel formula text (`render`) and compiled to a Python function
(`compile_expr`) that computes what Excel computes from the same cells. The
cached values written next to the formulas therefore come from the formula
itself, not from a second implementation, and LibreOffice checks in the test
suite that the two agree.

The Python side implements Excel semantics for the functions the rules use:
empty cells (0 in arithmetic, "" in comparisons), numeric text coerced in
arithmetic, type order number < text < logical, case-insensitive text, error
values that propagate, half-away-from-zero ROUND on 15 significant digits,
array arithmetic inside SUMPRODUCT/LOOKUP/MAX, and SUMIFS/MATCH criteria with
wildcards. Only functions Excel 2010 and LibreOffice 7 both have are allowed.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence, TypeGuard, cast

# ---------------------------------------------------------------- values


class XLError:
    """An Excel error value (#DIV/0!, #VALUE!, #N/A, #REF!, #NUM!)."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code

    def __repr__(self) -> str:
        return self.code


DIV0 = XLError("#DIV/0!")
VALUE = XLError("#VALUE!")
NA = XLError("#N/A")
REF = XLError("#REF!")
NUM = XLError("#NUM!")  # a result beyond the largest double, as Excel gives for 1E+300*1E+300

Value = Any  # None (empty cell) | float | str | bool | XLError | list (array)


_POWERS_OF_TEN = [10.0**d for d in range(11)]  # exact doubles


def excel_round(x: float, digits: int) -> float:
    """ROUND as Excel computes it: 15 significant digits, halves away from zero.

    Any finite double: a 15-digit form with no digit past `digits` is returned as
    it is (quantizing 1E+26 to 0.01 would need 29 digits, more than the decimal
    context holds); otherwise the result has at most 16 digits. A result past the
    largest double is inf, which ROUND turns into #NUM!.
    """
    if x == 0 or not math.isfinite(x):
        return x
    if 0 <= digits <= 10:
        # |x| * 10^digits rounded as a double agrees with the 15-digit form rounded,
        # except near a half (a double and its 15-digit form differ by less than
        # 5.1e-15 of it) or where 15 digits do not reach `digits`: there, Decimal
        scale = _POWERS_OF_TEN[digits]
        y = abs(x) * scale
        if y < 1e14 and abs(y - math.floor(y) - 0.5) > y * 1e-14 + 1e-12:
            return math.copysign(math.floor(y + 0.5) / scale, x)
    from decimal import ROUND_HALF_UP, Decimal  # the rare case: not imported by every command

    d = Decimal(format(x, ".15g"))
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)  # x is finite: not 'n', 'N' or 'F'
    if exponent >= -digits:
        return float(d)
    return float(d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def number_to_text(x: float) -> str:
    """A number as Excel's General format turns it into text (e.g. in `&`).
    A non-finite value (never a cell value in Excel) reads as the error it stands for."""
    if not math.isfinite(x):
        return NUM.code
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    s = format(x, ".15g")
    if "e" in s:
        mantissa, exp = s.split("e")
        return f"{mantissa}E{int(exp):+03d}"
    return s


def finite(x: Value) -> Value:
    """A computed value, #NUM! in place of a number that overflowed (inf) or is undefined (NaN)."""
    return NUM if type(x) is float and not math.isfinite(x) else x


_NUMBER_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def text_to_number(s: str) -> float | XLError:
    """VALUE(): text as a number in an English-locale spreadsheet, or #VALUE!."""
    t = s.strip()
    percent = t.endswith("%")
    if percent:
        t = t[:-1].strip()
    if not _NUMBER_TEXT.match(t):
        return VALUE
    n = float(t)
    if not math.isfinite(n):  # `1e309`: beyond the largest double, text to Excel as well
        return VALUE
    return n / 100 if percent else n


def to_number(v: Value) -> float | XLError:
    """Coerce a scalar for arithmetic: empty is 0, numeric text is converted."""
    if type(v) is float:
        return v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, str):
        return text_to_number(v)
    if isinstance(v, XLError):
        return v
    return VALUE


def to_text(v: Value) -> str | XLError:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return number_to_text(float(v)) if math.isfinite(v) else NUM
    if isinstance(v, XLError):
        return v
    return VALUE


def is_number(v: Value) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _rank(v: Value) -> int:
    if isinstance(v, str):
        return 1
    if isinstance(v, bool):
        return 2
    return 0


def compare(a: Value, b: Value) -> int | XLError:
    """Excel's ordering: number < text < logical; text case-insensitive."""
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is float:
            return (a > b) - (a < b)
        if ta is str:
            a, b = a.casefold(), b.casefold()
            return (a > b) - (a < b)
    if isinstance(a, XLError):
        return a
    if isinstance(b, XLError):
        return b
    if a is None and b is None:
        return 0
    if a is None:
        a = "" if isinstance(b, str) else (False if isinstance(b, bool) else 0.0)
    if b is None:
        b = "" if isinstance(a, str) else (False if isinstance(a, bool) else 0.0)
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


# ---------------------------------------------------------------- expressions


class Expr:
    """A formula expression. Operators build trees: `a / b * 100`."""

    def __add__(self, o: Any) -> Expr:
        return BinOp("+", self, lit(o))

    def __radd__(self, o: Any) -> Expr:
        return BinOp("+", lit(o), self)

    def __sub__(self, o: Any) -> Expr:
        return BinOp("-", self, lit(o))

    def __rsub__(self, o: Any) -> Expr:
        return BinOp("-", lit(o), self)

    def __mul__(self, o: Any) -> Expr:
        return BinOp("*", self, lit(o))

    def __rmul__(self, o: Any) -> Expr:
        return BinOp("*", lit(o), self)

    def __truediv__(self, o: Any) -> Expr:
        return BinOp("/", self, lit(o))

    def __rtruediv__(self, o: Any) -> Expr:
        return BinOp("/", lit(o), self)

    def __neg__(self) -> Expr:
        return Neg(self)


@dataclass(frozen=True, eq=False)
class Lit(Expr):
    value: Any


@dataclass(frozen=True, eq=False)
class Col(Expr):
    """The cell of column `col` in the current row of the current sheet."""

    col: str


@dataclass(frozen=True, eq=False)
class ColumnOf(Expr):
    """The data cells of column `col` of table `table` (a range, for lookups)."""

    table: str
    col: str


@dataclass(frozen=True, eq=False)
class Field(Expr):
    """The value cell of an Identitas field."""

    key: str


@dataclass(frozen=True, eq=False)
class Cell(Expr):
    """A concrete cell (0-based row and column) on a named sheet."""

    sheet: str
    row: int
    col: int


@dataclass(frozen=True, eq=False)
class Range(Expr):
    """A concrete single-column range; `row2=None` means the whole column."""

    sheet: str
    col: int
    row1: int | None = None
    row2: int | None = None


@dataclass(frozen=True, eq=False)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class BinOp(Expr):
    op: str
    a: Expr
    b: Expr


@dataclass(frozen=True, eq=False)
class Neg(Expr):
    a: Expr


def lit(v: Any) -> Expr:
    return v if isinstance(v, Expr) else Lit(v)


def fn(name: str, *args: Any) -> Expr:
    return Call(name, tuple(lit(a) for a in args))


def eq(a: Any, b: Any) -> Expr:
    return BinOp("=", lit(a), lit(b))


def ne(a: Any, b: Any) -> Expr:
    return BinOp("<>", lit(a), lit(b))


def lt(a: Any, b: Any) -> Expr:
    return BinOp("<", lit(a), lit(b))


def le(a: Any, b: Any) -> Expr:
    return BinOp("<=", lit(a), lit(b))


def gt(a: Any, b: Any) -> Expr:
    return BinOp(">", lit(a), lit(b))


def ge(a: Any, b: Any) -> Expr:
    return BinOp(">=", lit(a), lit(b))


def cat(a: Any, b: Any) -> Expr:
    return BinOp("&", lit(a), lit(b))


def IF(cond: Any, then: Any, other: Any) -> Expr:  # noqa: N802 - Excel's name
    return fn("IF", cond, then, other)


def blank(x: Any) -> Expr:
    """True when a cell is empty, holds "" or only spaces: TRIM(x&"")=""."""
    return eq(fn("TRIM", cat(x, "")), "")


# ---------------------------------------------------------------- resolution


class Resolver(Protocol):
    """Where the symbolic parts of an expression live in one workbook."""

    def column(self, table: str, col: str) -> tuple[str, int]:
        """Sheet name and 0-based column of a table column."""

    def rows(self, table: str) -> tuple[int, int] | None:
        """0-based first and last data row of a table; None = whole column."""

    def field(self, key: str) -> tuple[str, int, int]:
        """Sheet, row and column of an Identitas field's value cell."""


def resolve(e: Expr, res: Resolver, table: str) -> Expr:
    """Replace symbolic nodes by concrete cells and ranges (rows stay relative)."""
    if isinstance(e, Col):
        sheet, col = res.column(table, e.col)
        return RowCell(sheet, col)
    if isinstance(e, ColumnOf):
        sheet, col = res.column(e.table, e.col)
        rows = res.rows(e.table)
        if rows is None:
            return Range(sheet, col)
        return Range(sheet, col, rows[0], rows[1])
    if isinstance(e, Field):
        return Cell(*res.field(e.key))
    if isinstance(e, Call):
        return Call(e.name, tuple(resolve(a, res, table) for a in e.args))
    if isinstance(e, BinOp):
        return BinOp(e.op, resolve(e.a, res, table), resolve(e.b, res, table))
    if isinstance(e, Neg):
        return Neg(resolve(e.a, res, table))
    return e


@dataclass(frozen=True, eq=False)
class RowCell(Expr):
    """The cell of column `col` on `sheet` in the row being computed."""

    sheet: str
    col: int


@dataclass(frozen=True, eq=False)
class Mapped(Expr):
    """The cell of column `col` on `sheet` in the row the current row maps to
    (a generated table row pointing at its source row)."""

    sheet: str
    col: int


@dataclass(frozen=True, eq=False)
class Slot(Expr):
    """The `index`-th cell of a formula shape (`compile_shape`): many cells whose
    formulas differ only in the cells they read share one compiled shape."""

    index: int


# ---------------------------------------------------------------- rendering

_PREC = {"=": 1, "<>": 1, "<": 1, "<=": 1, ">": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4}
_SIMPLE_SHEET = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^[A-Za-z]{1,3}\d+$")


def col_letter(col: int) -> str:
    """0-based column index to letters: 0 -> A, 27 -> AB."""
    s = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_prefix(sheet: str) -> str:
    if _SIMPLE_SHEET.match(sheet) and not _LOOKS_LIKE_CELL.match(sheet):
        return sheet + "!"
    return "'" + sheet.replace("'", "''") + "'!"


def _lit_text(v: Any) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return number_to_text(float(v))
    return '"' + str(v).replace('"', '""') + '"'


ROW_MARK = "\x00"  # stands for the current row number in a rendered template
MAP_MARK = "\x01"  # stands for the mapped source row number


def render(e: Expr, sheet: str, row: int | None = None) -> str:
    """Excel formula text (without "=") of a resolved expression.

    `sheet` is the sheet the formula is written on. With `row=None` the
    current row is left as `ROW_MARK`, so a column formula is rendered once
    and specialised per row with `str.replace`.
    """
    r = ROW_MARK if row is None else str(row + 1)

    def go(x: Expr, parent: int = 0, right: bool = False) -> str:
        if isinstance(x, Lit):
            return _lit_text(x.value)
        if isinstance(x, RowCell):
            pre = "" if x.sheet == sheet else sheet_prefix(x.sheet)
            return f"{pre}{col_letter(x.col)}{r}"
        if isinstance(x, Mapped):
            return f"{sheet_prefix(x.sheet)}${col_letter(x.col)}${MAP_MARK}"
        if isinstance(x, Cell):
            pre = "" if x.sheet == sheet else sheet_prefix(x.sheet)
            return f"{pre}${col_letter(x.col)}${x.row + 1}"
        if isinstance(x, Slot):
            return f"\x02{x.index}\x03"  # filled by `fill_shape`
        if isinstance(x, Range):
            pre = "" if x.sheet == sheet else sheet_prefix(x.sheet)
            c = col_letter(x.col)
            if x.row1 is None:
                return f"{pre}${c}:${c}"
            assert x.row2 is not None, "a range with a first row has a last row"
            return f"{pre}${c}${x.row1 + 1}:${c}${x.row2 + 1}"
        if isinstance(x, Call):
            if x.name not in SUPPORTED_FUNCTIONS:
                raise ValueError(f"{x.name} is not available in both Excel 2010 and LibreOffice 7")
            return x.name + "(" + ",".join(go(a) for a in x.args) + ")"
        if isinstance(x, Neg):
            return "-" + go(x.a, 5)
        if isinstance(x, BinOp):
            p = _PREC[x.op]
            text = go(x.a, p) + x.op + go(x.b, p, True)
            if p < parent or (p == parent and right):
                return "(" + text + ")"
            return text
        raise TypeError(f"cannot render unresolved node {x!r}")

    return go(e)


# ---------------------------------------------------------------- evaluation


class Book(Protocol):
    """Cell values the compiled functions read (formula cells computed lazily)."""

    memo: dict  # row-independent sub-expression values
    rowmap: dict[int, int]  # for the mapped formula being evaluated: row -> the source row it reads

    def value(self, sheet: str, row: int, col: int) -> Value: ...

    def column(self, sheet: str, col: int, row1: int | None, row2: int | None) -> list[Value]: ...

    def values_at(self, sheet: str, col: int, rows: Sequence[int]) -> list[Value]: ...

    def index(self, sheet: str, col: int, row1: int | None, row2: int | None) -> dict: ...

    def groups(self, sheet: str, col: int, row1: int | None, row2: int | None) -> dict: ...

    def numbers(self, sheet: str, col: int, row1: int | None, row2: int | None) -> list[float]: ...


Fn = Callable[[Book, int], Value]

_AGGREGATES = {"SUM", "COUNT", "COUNTA", "AVERAGE", "MAX", "MIN"}
_LOGICAL = {"AND", "OR"}  # references: empty cells and text are ignored


def compile_expr(e: Expr, memo: bool = True) -> Fn:
    """Compile a resolved expression to `f(book, row) -> value`.

    A `Mapped` reference reads, for each row, the source row `book.rowmap` gives
    (the book sets it for the mapped formula it evaluates), so a mapped formula
    compiles once for every workbook. With `memo`, sub-expressions that do not
    depend on the row are computed once per book (worth it for a formula
    evaluated on many rows).
    """
    return _Compiler(memo).compile(e)[0]


#: A compiled shape: `f(book, positions)`, positions[i] = (sheet, row, col) of slot i.
ShapeFn = Callable[[Book, tuple], Value]


_SLOT_MARK = re.compile("\x02(\\d+)\x03")


def fill_shape(text: str, positions: Sequence[tuple[str, int, int]], sheet: str) -> str:
    """The formula text of one cell of a shape: `text` is the shape rendered on
    `sheet` (`render`), its slots filled with the cells at `positions`."""
    cells = [render(Cell(*p), sheet) for p in positions]
    return _SLOT_MARK.sub(lambda m: cells[int(m.group(1))], text)


def compile_shape(e: Expr) -> ShapeFn:
    """Compile an expression whose cells are `Slot`s: slot `i` is the value of the cell
    `positions[i]`. Cells whose formulas differ only in the cells they read (budget
    roll-ups) are compiled once. Each cell is read once, before the expression is
    evaluated (a roll-up's sub-rows are read by COUNT and again by SUM), whichever
    branch it then takes: a roll-up's cells (its own amount, its sub-rows' roll-ups)
    never read it, so reading one the branch does not need changes nothing. (The
    compiled nodes pass the values where they pass the row; a shape holds no
    reference that reads the row.)"""
    fn = _Compiler(False).compile(e)[0]

    def shape(b: Book, positions: tuple) -> Value:
        return fn(b, [b.value(*p) for p in positions])  # type: ignore[arg-type]

    return shape


class _Compiler:
    def __init__(self, memo: bool) -> None:
        self.memo = memo

    def compile(self, e: Expr) -> tuple[Fn, bool]:
        """The compiled function of a node, and whether it is the same for every row."""
        return _COMPILERS[type(e)](self, e)

    def _Lit(self, e: Lit) -> tuple[Fn, bool]:
        v = float(e.value) if isinstance(e.value, int) and not isinstance(e.value, bool) else e.value
        return (lambda b, r: v), True

    def _RowCell(self, e: RowCell) -> tuple[Fn, bool]:
        s, c = e.sheet, e.col
        return (lambda b, r: b.value(s, r, c)), False

    def _Mapped(self, e: Mapped) -> tuple[Fn, bool]:
        s, c = e.sheet, e.col
        return (lambda b, r: b.value(s, b.rowmap[r], c)), False

    def _Cell(self, e: Cell) -> tuple[Fn, bool]:
        s, rr, c = e.sheet, e.row, e.col
        return (lambda b, r: b.value(s, rr, c)), True

    def _Slot(self, e: Slot) -> tuple[Fn, bool]:
        i = e.index
        return (lambda b, values: values[i]), False

    def _Range(self, e: Range) -> tuple[Fn, bool]:
        s, c, r1, r2 = e.sheet, e.col, e.row1, e.row2
        return (lambda b, r: b.column(s, c, r1, r2)), True

    def _Neg(self, e: Neg) -> tuple[Fn, bool]:
        f, fixed = self.compile(e.a)
        return self._once(lambda b, r: _neg(f(b, r)), fixed), fixed

    def _BinOp(self, e: BinOp) -> tuple[Fn, bool]:
        (fa, ia), (fb, ib) = self.compile(e.a), self.compile(e.b)
        op = _BINOPS[e.op]
        return self._once(lambda b, r: _broadcast(op, fa(b, r), fb(b, r)), ia and ib), ia and ib

    def _Call(self, e: Call) -> tuple[Fn, bool]:
        # An aggregate of listed cells (budget roll-ups) reads them directly, as one range:
        # each is a one-cell range, and an aggregate treats a range's cells alike however grouped.
        if e.name in _AGGREGATES and all(type(a) is Cell for a in e.args):
            cells, impl = [(a.sheet, a.row, a.col) for a in e.args if isinstance(a, Cell)], _FUNCS[e.name]
            return self._once(lambda b, r: impl([[b.value(*ref) for ref in cells]]), True), True
        if e.name in _AGGREGATES and all(type(a) is Slot for a in e.args):
            slots, impl = [a.index for a in e.args if isinstance(a, Slot)], _FUNCS[e.name]
            return (lambda b, values: impl([[values[i] for i in slots]])), False
        compiled = [self.compile(a) for a in e.args]
        fixed = all(i for _f, i in compiled)
        return self._once(_compile_call(e, [f for f, _i in compiled]), fixed), fixed

    def _once(self, f: Fn, fixed: bool) -> Fn:
        return _once(f, fixed) if self.memo else f


_CompileMethod = Callable[[_Compiler, Expr], tuple[Fn, bool]]
_COMPILERS: dict[type[Expr], _CompileMethod] = {cls: getattr(_Compiler, "_" + cls.__name__) for cls in (Lit, RowCell, Mapped, Cell, Slot, Range, Neg, BinOp, Call)}


def _once(f: Fn, fixed: bool) -> Fn:
    """Compute a row-independent sub-expression once per book (e.g. TRIM of a
    fixed range inside a lookup evaluated for every row)."""
    if not fixed:
        return f
    key = object()

    def cached(b: Book, r: int) -> Value:
        memo = b.memo
        v = memo.get(key, _MISSING)
        if v is _MISSING:
            v = memo[key] = f(b, r)
        return v

    return cached


_MISSING = object()


def evaluate(e: Expr, book: Book, row: int = 0) -> Value:
    """Evaluate a resolved expression once; the top-level empty becomes 0 as in Excel."""
    return top_value(compile_expr(e)(book, row))


def top_value(v: Value) -> Value:
    """The value a cell shows: a reference to an empty cell displays 0."""
    if v is None:
        return 0.0
    if isinstance(v, list):
        return top_value(v[0]) if v else VALUE
    return v


def _neg(v: Value) -> Value:
    if isinstance(v, list):
        return [_neg(x) for x in v]
    n = to_number(v)
    return n if isinstance(n, XLError) else -n


def _broadcast(op: Callable[[Value, Value], Value], a: Value, b: Value) -> Value:
    if type(a) is not list and type(b) is not list:
        return op(a, b)
    if not isinstance(a, list):
        a = [a] * len(b)
    elif not isinstance(b, list):
        b = [b] * len(a)
    elif len(a) != len(b):
        n = max(len(a), len(b))
        a = a + [NA] * (n - len(a))
        b = b + [NA] * (n - len(b))
    on_numbers = _ON_NUMBERS.get(op)
    if on_numbers is None:
        return [op(x, y) for x, y in zip(a, b)]
    # an empty cell is 0 to arithmetic and to a comparison with a number (a range's unused rows)
    return [on_numbers(x, y) if type(x) is float and type(y) is float else
            on_numbers(0.0, y) if x is None and type(y) is float else
            on_numbers(x, 0.0) if y is None and type(x) is float else op(x, y) for x, y in zip(a, b)]


def _arith(f: Callable[[float, float], float]) -> Callable[[Value, Value], Value]:
    def op(a: Value, b: Value) -> Value:
        x = to_number(a)
        if isinstance(x, XLError):
            return x
        y = to_number(b)
        if isinstance(y, XLError):
            return y
        return finite(f(x, y))

    return op


def _div(x: float, y: float) -> Value:
    return DIV0 if y == 0 else x / y


def _cmp(test: Callable[[int], bool]) -> Callable[[Value, Value], Value]:
    def op(a: Value, b: Value) -> Value:
        c = compare(a, b)
        return c if isinstance(c, XLError) else test(c)

    return op


def _concat(a: Value, b: Value) -> Value:
    x, y = to_text(a), to_text(b)
    if isinstance(x, XLError):
        return x
    if isinstance(y, XLError):
        return y
    return x + y


_ARITH: dict[str, Callable[[float, float], Value]] = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": _div,
}
_TESTS: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0,
    "<>": lambda c: c != 0,
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
}
_BINOPS: dict[str, Callable[[Value, Value], Value]] = {
    **{op: _arith(f) for op, f in _ARITH.items()},
    **{op: _cmp(test) for op, test in _TESTS.items()},
    "&": _concat,
}


def _on_numbers(op: str) -> Callable[[float, float], Value] | None:
    """An operator on two numbers, what `_BINOPS[op]` gives then without its
    coercions (the column engine's path for number against number)."""
    if op in _ARITH:
        f = _ARITH[op]
        return lambda x, y: finite(f(x, y))
    if op in _TESTS:
        test = _TESTS[op]
        return lambda x, y: test((x > y) - (x < y))
    return None


#: op -> the same operation on two numbers, where it has a shortcut
NUMBER_OPS = {op: f for op in _BINOPS if (f := _on_numbers(op)) is not None}
_ON_NUMBERS = {_BINOPS[op]: f for op, f in NUMBER_OPS.items()}  # the same, by operation (arrays)


def _truth(v: Value) -> bool | XLError:
    if type(v) is bool:
        return v
    if isinstance(v, XLError):
        return v
    if v is None:
        return False
    if isinstance(v, (int, float)):
        return v != 0
    if isinstance(v, str):
        u = v.strip().upper()
        if u in ("TRUE", "FALSE"):
            return u == "TRUE"
        return VALUE
    return VALUE


def _first_error(vals: Sequence[Value]) -> XLError | None:
    for v in vals:
        if isinstance(v, XLError):
            return v
    return None


def _compile_call(e: Call, args: list[Fn]) -> Fn:
    name = e.name
    if name == "IF":
        fc, ft = args[0], args[1]
        ff = args[2] if len(args) > 2 else (lambda b, r: False)

        def f_if(b: Book, r: int) -> Value:
            c = _truth(_scalar(fc(b, r)))
            if isinstance(c, XLError):
                return c
            return ft(b, r) if c else ff(b, r)

        return f_if
    if name == "IFERROR":
        fv, fe = args

        def f_iferror(b: Book, r: int) -> Value:
            v = fv(b, r)
            return fe(b, r) if isinstance(v, XLError) else v

        return f_iferror
    if name in _AGGREGATES or name in _LOGICAL:
        # A single cell reference is a one-cell range: text in it is ignored.
        wrapped = [
            (lambda f: (lambda b, r: [f(b, r)]))(f) if isinstance(a, (Cell, RowCell, Mapped)) else f
            for f, a in zip(args, e.args)
        ]
        impl = _FUNCS[name]
        return lambda b, r: impl([f(b, r) for f in wrapped])
    if name == "MATCH":
        return _compile_match(e, args)
    if name in ("SUMIFS", "COUNTIFS"):
        return lambda b, r: ifs_value(b, e, [f(b, r) for f in args])
    impl = _FUNCS[name]
    return lambda b, r: impl([f(b, r) for f in args])


def _scalar(v: Value) -> Value:
    return v[0] if isinstance(v, list) and v else v


def _vectorize(f: Callable[..., Value]) -> Callable[[list[Value]], Value]:
    """Apply a scalar function elementwise when an argument is an array."""

    def impl(a: list[Value]) -> Value:
        for x in a:  # a loop, not any(): this runs once per cell
            if isinstance(x, list):
                break
        else:
            return f(*a)
        n = max(len(x) for x in a if isinstance(x, list))
        cols = [x if isinstance(x, list) else [x] * n for x in a]
        return [f(*row) for row in zip(*cols)]

    return impl


def _text_fn(f: Callable[..., Value]) -> Callable[..., Value]:
    def g(*a: Value) -> Value:
        err = _first_error(a)
        return err if err else f(*a)

    return g


def trim_text(t: str) -> str:
    """Excel's TRIM of a text: no leading or trailing spaces, single spaces inside."""
    return " ".join(p for p in t.split(" ") if p)


@_text_fn
def _trim(s: Value) -> Value:
    t = to_text(s)
    return t if isinstance(t, XLError) else trim_text(t)


@_text_fn
def _lower(s: Value) -> Value:
    t = to_text(s)
    return t if isinstance(t, XLError) else t.lower()


@_text_fn
def _substitute(s: Value, old: Value, new: Value) -> Value:
    # _text_fn returned any error argument: the rest are scalars, whose text is a str
    t, o, n = cast(str, to_text(s)), cast(str, to_text(old)), cast(str, to_text(new))
    return t.replace(o, n) if o else t


@_text_fn
def _find(needle: Value, hay: Value) -> Value:
    i = cast(str, to_text(hay)).find(cast(str, to_text(needle)))
    return VALUE if i < 0 else float(i + 1)


@_text_fn
def _left(s: Value, n: Value = 1.0) -> Value:
    k = to_number(n)
    if isinstance(k, XLError):
        return k
    if k < 0:
        return VALUE
    return cast(str, to_text(s))[: int(k)]


@_text_fn
def _mid(s: Value, start: Value, n: Value) -> Value:
    a, k = to_number(start), to_number(n)
    if isinstance(a, XLError):
        return a
    if isinstance(k, XLError):
        return k
    if a < 1 or k < 0:
        return VALUE
    i = int(a) - 1
    return cast(str, to_text(s))[i : i + int(k)]


@_text_fn
def _value(s: Value) -> Value:
    if is_number(s):
        return float(s)
    if s is None:
        return 0.0
    t = cast(str, to_text(s))
    return text_to_number(t)


def _isnumber(v: Value) -> Value:
    return is_number(v)


def _round(x: Value, d: Value) -> Value:
    n, k = to_number(x), to_number(d)
    if isinstance(n, XLError):
        return n
    if isinstance(k, XLError):
        return k
    return finite(excel_round(n, int(k)))


def _numbers(args: list[Value]) -> list[float] | XLError:
    """Numbers of aggregate arguments: arrays skip text/empty, scalars coerce."""
    out: list[float] = []
    for a in args:
        if isinstance(a, list):
            for v in a:
                if isinstance(v, XLError):
                    return v
                if is_number(v):
                    out.append(float(v))
        else:
            if a is None:
                continue
            n = to_number(a)
            if isinstance(n, XLError):
                return n
            out.append(n)
    return out


def _sum(a: list[Value]) -> Value:
    n = _numbers(a)
    if isinstance(n, XLError):
        return n
    try:
        return finite(math.fsum(n))
    except OverflowError:  # fsum raises where a partial sum passes the largest double
        return NUM


def _max(a: list[Value]) -> Value:
    n = _numbers(a)
    return n if isinstance(n, XLError) else (max(n) if n else 0.0)


def _min(a: list[Value]) -> Value:
    n = _numbers(a)
    return n if isinstance(n, XLError) else (min(n) if n else 0.0)


def _average(a: list[Value]) -> Value:
    n = _numbers(a)
    if isinstance(n, XLError):
        return n
    return finite(sum(n) / len(n)) if n else DIV0


def _count(a: list[Value]) -> Value:
    return float(sum(1 for x in a for v in (x if isinstance(x, list) else [x]) if is_number(v)))


def _counta(a: list[Value]) -> Value:
    return float(sum(1 for x in a for v in (x if isinstance(x, list) else [x]) if v is not None))


def _logicals(a: list[Value]) -> list[bool | XLError] | XLError:
    """Truth values of AND/OR arguments: in references (arrays) empty cells and
    text are ignored; with no logical value left the result is #VALUE!."""
    vals = [_truth(v) for x in a
            for v in (x if isinstance(x, list) else [x])
            if not (isinstance(x, list) and (v is None or isinstance(v, str)))]
    return _first_error(vals) or (vals if vals else VALUE)


def _and(a: list[Value]) -> Value:
    vals = _logicals(a)
    return vals if isinstance(vals, XLError) else all(vals)


def _or(a: list[Value]) -> Value:
    vals = _logicals(a)
    return vals if isinstance(vals, XLError) else any(vals)


def _not(a: list[Value]) -> Value:
    t = _truth(_scalar(a[0]))
    return t if isinstance(t, XLError) else not t


def _sumproduct(a: list[Value]) -> Value:
    arrays = [x if isinstance(x, list) else [x] for x in a]
    n = len(arrays[0])
    if any(len(x) != n for x in arrays):
        return VALUE
    total = 0.0
    for row in zip(*arrays):
        p = 1.0
        for v in row:
            if isinstance(v, XLError):
                return v
            p *= float(v) if is_number(v) else (1.0 if v is True else 0.0) if isinstance(v, bool) else 0.0
        total += p
    return finite(total)


def _lookup(a: list[Value]) -> Value:
    """LOOKUP(x, array, result): the last numeric entry <= x (the 1/(...) idiom)."""
    x, arr, res = _scalar(a[0]), a[1], a[2]
    if not isinstance(arr, list):
        arr = [arr]
    if not isinstance(res, list):
        res = [res]
    found = -1
    if is_number(x):
        for i, v in enumerate(arr):
            if is_number(v) and v <= x:
                found = i
    if found < 0 or found >= len(res):
        return NA
    return res[found]


def _index(a: list[Value]) -> Value:
    arr, n = a[0], to_number(_scalar(a[1]))
    if isinstance(n, XLError):
        return n
    if not isinstance(arr, list):
        arr = [arr]
    i = int(n)
    if i < 1 or i > len(arr):
        return REF
    return arr[i - 1]


def _wildcard(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.S | re.I)


def match_key(v: Value) -> tuple | None:
    """Key of a cell value in an exact-match index (case-insensitive text)."""
    if isinstance(v, str):
        return ("s", v.casefold())
    if isinstance(v, bool):
        return ("b", v)
    if is_number(v):
        return ("n", float(v))
    return None


def build_index(values: list[Value]) -> dict:
    """First position of each value (MATCH)."""
    idx: dict = {}
    for i, v in enumerate(values):
        k = match_key(v)
        if k is not None and k not in idx:
            idx[k] = i
    return idx


def build_groups(values: list[Value]) -> dict:
    """All positions of each value (SUMIFS/COUNTIFS with a plain criterion)."""
    idx: dict = {}
    for i, v in enumerate(values):
        k = match_key(v)
        if k is not None:
            idx.setdefault(k, []).append(i)
    return idx


def build_numbers(values: list[Value]) -> list[float]:
    """The numbers of a range in ascending order (COUNTIFS with one ordering criterion)."""
    return sorted(float(v) for v in values if is_number(v))


def _ordered_count(numbers: list[float], c: Value) -> float | None:
    """COUNTIFS(range, c) for a criterion `<x`, `<=x`, `>x` or `>=x` with a number x, by
    bisecting the range's sorted numbers: as `criterion` finds, only numbers compare
    with a number (a ranking over N rows is then N log N, not N squared). None for any
    other criterion."""
    if not isinstance(c, str) or c[:1] not in ("<", ">") or c[:2] == "<>":
        return None
    op, _rest, x = _criterion_parts(c)
    if isinstance(x, XLError):
        return None
    if op == "<":
        return float(bisect.bisect_left(numbers, x))
    if op == "<=":
        return float(bisect.bisect_right(numbers, x))
    if op == ">":
        return float(len(numbers) - bisect.bisect_right(numbers, x))
    return float(len(numbers) - bisect.bisect_left(numbers, x))


def _plain_positions(groups: dict, c: Value) -> list[int] | None:
    """Positions matching a criterion without operators or wildcards, as `criterion`
    would find them; None when the criterion needs the general path."""
    if is_number(c):
        return groups.get(("n", float(c)), [])
    if not isinstance(c, str) or not c or c[0] in "<>=" or any(ch in c for ch in "*?~"):
        return None
    hits = list(groups.get(("s", c.casefold()), []))
    n = text_to_number(c)
    if not isinstance(n, XLError):
        hits = sorted(set(hits) | set(groups.get(("n", n), [])))
    return hits


def match_position(b: Book, rng: Range | None, x: Value, values: Value) -> Value:
    """MATCH(x, values, 0): through the book's index of `rng` when the values are a sheet range."""
    x = _scalar(x)
    if isinstance(x, XLError):
        return x
    if isinstance(x, str) and any(c in x for c in "*?~"):
        pat = _wildcard(x)
        for i, v in enumerate(values if isinstance(values, list) else [values]):
            if isinstance(v, str) and pat.fullmatch(v):
                return float(i + 1)
        return NA
    k = match_key(x)
    if k is None:
        return NA
    if rng is not None:
        idx = b.index(rng.sheet, rng.col, rng.row1, rng.row2)
    else:
        idx = build_index(values if isinstance(values, list) else [values])
    pos = idx.get(k)
    return NA if pos is None else float(pos + 1)


def _compile_match(e: Call, args: list[Fn]) -> Fn:
    fx, frange = args[0], args[1]
    rng = e.args[1] if isinstance(e.args[1], Range) else None

    def f_match(b: Book, r: int) -> Value:
        x = fx(b, r)  # a sheet range is read only for a wildcard, through its index otherwise
        return match_position(b, rng, x, frange(b, r) if rng is None or _wild(x) else None)

    return f_match


def _wild(x: Value) -> bool:
    x = _scalar(x)
    return isinstance(x, str) and any(c in x for c in "*?~")


def ifs_value(b: Book, e: Call, a: list[Value]) -> Value:
    """SUMIFS/COUNTIFS of evaluated arguments `a`. When the first criterion range is a
    sheet range and its criterion plain, the candidates come from the book's index of
    that range and only they are tested against the other criteria."""
    sumifs = e.name == "SUMIFS"
    first = 1 if sumifs else 0
    rng = e.args[first] if len(e.args) > first else None
    hits = None
    if isinstance(rng, Range) and not sumifs and len(a) == 2:
        counted = _ordered_count(b.numbers(rng.sheet, rng.col, rng.row1, rng.row2), _scalar(a[1]))
        if counted is not None:
            return counted
    if isinstance(rng, Range):
        hits = _plain_positions(b.groups(rng.sheet, rng.col, rng.row1, rng.row2), _scalar(a[first + 1]))
    if hits is None:
        return _FUNCS[e.name](a)
    rest = a[first + 2:]
    for other, c in zip(rest[0::2], rest[1::2]):
        other = other if isinstance(other, list) else [other]
        pred = criterion(_scalar(c))
        hits = [i for i in hits if i < len(other) and pred(other[i])]
    if not sumifs:
        return float(len(hits))
    values = a[0] if isinstance(a[0], list) else [a[0]]
    total = 0.0
    for i in hits:
        v = values[i] if i < len(values) else None
        if isinstance(v, XLError):
            return v
        if is_number(v):
            total += float(v)
    return finite(total)


_CRITERION_OP = re.compile(r"^(<=|>=|<>|<|>|=)?(.*)$", re.S)


def _criterion_parts(text: str) -> tuple[str, str, float | XLError]:
    """A text criterion's operator (= when none), the rest, and the rest as a number
    (an error when it is none)."""
    m = _CRITERION_OP.match(text)
    assert m is not None  # every text matches (both groups are optional)
    op, rest = m.groups()
    return op or "=", rest, text_to_number(rest) if rest.strip() else VALUE


def criterion(c: Value) -> Callable[[Value], bool]:
    """A SUMIFS/COUNTIFS criterion as a predicate on cell values."""
    if is_number(c) or isinstance(c, bool):
        return lambda v: is_number(v) and float(v) == float(c)
    text = to_text(c)
    if isinstance(text, XLError):
        return lambda v: False
    op, rest, num = _criterion_parts(text)
    if not isinstance(num, XLError):
        cmp = {"=": lambda d: d == 0, "<>": lambda d: d != 0, "<": lambda d: d < 0,
               "<=": lambda d: d <= 0, ">": lambda d: d > 0, ">=": lambda d: d >= 0}[op]
        folded = rest.casefold()

        def pred_num(v: Value) -> bool:
            if is_number(v):
                return cmp((float(v) > num) - (float(v) < num))
            if op in ("=", "<>") and isinstance(v, str):
                return (v.casefold() == folded) == (op == "=")
            return op == "<>"

        return pred_num
    if op in ("=", "<>"):
        if rest == "":
            empty = op == "="
            return lambda v: ((v is None or v == "") == empty)
        pat = _wildcard(rest)
        want = op == "="
        return lambda v: (isinstance(v, str) and bool(pat.fullmatch(v))) == want
    folded = rest.casefold()
    cmp = {"<": lambda a: a < folded, "<=": lambda a: a <= folded,
           ">": lambda a: a > folded, ">=": lambda a: a >= folded}[op]
    return lambda v: isinstance(v, str) and cmp(v.casefold())


def _matching(n: int, pairs: list[Value]) -> list[bool]:
    """For positions 0..n-1: whether every (range, criterion) pair matches there."""
    keep = [True] * n
    for rng, c in zip(pairs[0::2], pairs[1::2]):
        rng = rng if isinstance(rng, list) else [rng]
        pred = criterion(_scalar(c))
        for i in range(n):
            if keep[i] and not (i < len(rng) and pred(rng[i])):
                keep[i] = False
    return keep


def _sumifs(a: list[Value]) -> Value:
    target = a[0] if isinstance(a[0], list) else [a[0]]
    keep = _matching(len(target), a[1:])
    total = 0.0
    for k, v in zip(keep, target):
        if k:
            if isinstance(v, XLError):
                return v
            if is_number(v):
                total += float(v)
    return finite(total)


def _countifs(a: list[Value]) -> Value:
    return float(sum(_matching(len(a[0]) if isinstance(a[0], list) else 1, a)))


_FUNCS: dict[str, Callable[[list[Value]], Value]] = {
    "TRIM": _vectorize(_trim),
    "LOWER": _vectorize(_lower),
    "SUBSTITUTE": _vectorize(_substitute),
    "FIND": _vectorize(_find),
    "LEFT": _vectorize(_left),
    "MID": _vectorize(_mid),
    "VALUE": _vectorize(_value),
    "ISNUMBER": _vectorize(_isnumber),
    "ROUND": _vectorize(_round),
    "SUM": _sum,
    "MAX": _max,
    "MIN": _min,
    "AVERAGE": _average,
    "COUNT": _count,
    "COUNTA": _counta,
    "AND": _and,
    "OR": _or,
    "NOT": _not,
    "SUMPRODUCT": _sumproduct,
    "LOOKUP": _lookup,
    "INDEX": _index,
    "SUMIFS": _sumifs,
    "COUNTIFS": _countifs,
}

#: Functions a rule may use: all exist in Excel 2010 and LibreOffice 7.
SUPPORTED_FUNCTIONS = frozenset(_FUNCS) | {"IF", "IFERROR", "MATCH"}
