"""Rule expressions evaluated over a whole column at once.

A derived column holds one expression for many rows. `compile_column` turns
that expression into `f(book, rows) -> values`, which evaluates each node of
the tree once for all the rows: a reference reads the referenced column's
values for those rows, an operator or function runs over the columns of its
arguments, `IF` and `IFERROR` evaluate each branch only on the rows that take
it, and a sub-expression that does not depend on the row (a lookup range, an
Identitas setting) is computed once. Every element is computed by the same
scalar operations `formula.compile_expr` uses, so a value is exactly what the
cell-by-cell evaluation (and Excel) gives; `tests/test_columns.py` compares
both on every rule, and LibreOffice checks the written values.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .formula import (
    _AGGREGATES,
    _BINOPS,
    NUMBER_OPS,
    _FUNCS,
    _LOGICAL,
    BinOp,
    Book,
    Call,
    Cell,
    Expr,
    Lit,
    Mapped,
    Neg,
    Range,
    RowCell,
    Value,
    XLError,
    _broadcast,
    _isnumber,
    excel_round,
    finite,
    _neg,
    _scalar,
    _truth,
    ifs_value,
    match_position,
    trim_text,
)

#: Values of one column formula for the given rows, in their order.
ColumnFn = Callable[[Book, Sequence[int]], list[Value]]
#: A row-independent value, computed once per book.
FixedFn = Callable[[Book], Value]


def compile_column(e: Expr) -> ColumnFn:
    """Compile a resolved expression to `f(book, rows) -> [value of each row]`.

    A `Mapped` reference reads, for each row, the source row `book.rowmap` gives.
    """
    node = _ColumnCompiler().compile(e)
    return node if not isinstance(node, _Fixed) else _broadcast_fixed(node)


class _Fixed:
    """A row-independent node: its value is computed once per book and memoised."""

    __slots__ = ("f", "key")

    def __init__(self, f: FixedFn) -> None:
        self.f, self.key = f, object()

    def __call__(self, b: Book) -> Value:
        memo = b.memo
        v = memo.get(self.key, _MISSING)
        if v is _MISSING:
            v = memo[self.key] = self.f(b)
        return v


_MISSING = object()
_Node = ColumnFn | _Fixed


def _broadcast_fixed(f: _Fixed) -> ColumnFn:
    return lambda b, rows: [f(b)] * len(rows)


def _column(node: _Node) -> ColumnFn:
    return _broadcast_fixed(node) if isinstance(node, _Fixed) else node


class _ColumnCompiler:
    def compile(self, e: Expr) -> _Node:
        return getattr(self, "_" + type(e).__name__)(e)

    def _Lit(self, e: Lit) -> _Node:
        v = float(e.value) if isinstance(e.value, int) and not isinstance(e.value, bool) else e.value
        return _Fixed(lambda b: v)

    def _Cell(self, e: Cell) -> _Node:
        s, rr, c = e.sheet, e.row, e.col
        return _Fixed(lambda b: b.value(s, rr, c))

    def _Range(self, e: Range) -> _Node:
        s, c, r1, r2 = e.sheet, e.col, e.row1, e.row2
        return _Fixed(lambda b: b.column(s, c, r1, r2))

    def _RowCell(self, e: RowCell) -> _Node:
        s, c = e.sheet, e.col
        return lambda b, rows: b.values_at(s, c, rows)

    def _Mapped(self, e: Mapped) -> _Node:
        s, c = e.sheet, e.col

        def f_mapped(b: Book, rows: Sequence[int]) -> list[Value]:
            m = b.rowmap
            return b.values_at(s, c, [m[r] for r in rows])

        return f_mapped

    def _Neg(self, e: Neg) -> _Node:
        a = self.compile(e.a)
        if isinstance(a, _Fixed):
            return _Fixed(lambda b: _neg(a(b)))
        return lambda b, rows: [_neg(x) for x in a(b, rows)]

    def _BinOp(self, e: BinOp) -> _Node:
        a, c = self.compile(e.a), self.compile(e.b)
        op = _BINOPS[e.op]
        if isinstance(a, _Fixed) and isinstance(c, _Fixed):
            return _Fixed(lambda b: _broadcast(op, a(b), c(b)))
        xs, ys = _column(a), _column(c)
        text = e.b.value if isinstance(e.b, Lit) and isinstance(e.b.value, str) else None
        if text is not None and e.op in ("=", "<>"):
            return _equals_text(xs, text, e.op == "<>", op)
        if text == "" and e.op == "&":  # x&"": a value as text
            return lambda b, rows: [x if type(x) is str else op(x, "") for x in xs(b, rows)]
        if e.op == "&":  # text & text, the common case, is joined directly
            return lambda b, rows: [x + y if type(x) is str and type(y) is str else _broadcast(op, x, y)
                                    for x, y in zip(xs(b, rows), ys(b, rows))]
        on_numbers = NUMBER_OPS.get(e.op)
        if on_numbers is None:
            return lambda b, rows: [_broadcast(op, x, y) for x, y in zip(xs(b, rows), ys(b, rows))]
        # number against number, by far the most common, skips the coercions
        return lambda b, rows: [on_numbers(x, y) if type(x) is float and type(y) is float else _broadcast(op, x, y)
                                for x, y in zip(xs(b, rows), ys(b, rows))]

    def _Call(self, e: Call) -> _Node:
        name = e.name
        if name == "IF":
            return self._if(e)
        if name == "IFERROR":
            return self._iferror(e)
        args = [self.compile(a) for a in e.args]
        if name in _AGGREGATES or name in _LOGICAL:
            # A single cell reference is a one-cell range: text in it is ignored.
            args = [_as_range(f) if isinstance(a, (Cell, RowCell, Mapped)) else f for f, a in zip(args, e.args)]
        impl = _impl(e)
        if all(isinstance(a, _Fixed) for a in args):
            fixed = [a for a in args if isinstance(a, _Fixed)]  # all of them
            return _Fixed(lambda b: impl(b, [f(b) for f in fixed]))
        if name == "TRIM":
            arg = _column(args[0])
            # text without leading, trailing or double spaces is its own TRIM
            return lambda b, rows: [(v if v[:1] != " " and v[-1:] != " " and "  " not in v else trim_text(v))
                                    if type(v) is str else impl(b, [v]) for v in arg(b, rows)]
        if name == "ISNUMBER":
            arg = _column(args[0])
            # a number is the common case; an array (a per-row range) goes to ISNUMBER itself
            return lambda b, rows: [True if type(v) is float else impl(b, [v]) if type(v) is list else _isnumber(v)
                                    for v in arg(b, rows)]
        if name in _LOGICAL and not any(isinstance(a, (Cell, RowCell, Mapped)) for a in e.args):
            return self._logical(all if name == "AND" else any, [_column(a) for a in args], impl)
        if name == "ROUND" and isinstance(args[1], _Fixed):
            return self._round(_column(args[0]), args[1], impl)
        columns = list(args)

        def call(b: Book, rows: Sequence[int]) -> list[Value]:
            n = len(rows)
            cols = [[f(b)] * n if isinstance(f, _Fixed) else f(b, rows) for f in columns]
            return [impl(b, list(vals)) for vals in zip(*cols)]

        return call

    def _logical(self, combine: Callable, args: list[ColumnFn], impl: Callable[[Book, list[Value]], Value]) -> _Node:
        """AND/OR of per-row tests: logical values combined directly, anything else by the function."""
        def f_logical(b: Book, rows: Sequence[int]) -> list[Value]:
            return [combine(vals) if all(type(v) is bool for v in vals) else impl(b, list(vals))
                    for vals in zip(*(f(b, rows) for f in args))]

        return f_logical

    def _round(self, arg: ColumnFn, digits: _Fixed, impl: Callable[[Book, list[Value]], Value]) -> _Node:
        def f_round(b: Book, rows: Sequence[int]) -> list[Value]:
            d = digits(b)
            if type(d) is not float:
                return [impl(b, [x, d]) for x in arg(b, rows)]
            k = int(d)
            return [finite(excel_round(x, k)) if type(x) is float else impl(b, [x, d]) for x in arg(b, rows)]

        return f_round

    def _if(self, e: Call) -> _Node:
        f_if = self._if_branches(e)
        test = e.args[0]
        if (len(e.args) == 3 and isinstance(test, BinOp) and test.op == "=" and _is_empty_text(test.b)
                and _is_empty_text(e.args[1]) and e.args[2] is test.a and isinstance(test.a, (RowCell, Mapped))):
            # IF(x="","",x), a reference shown blank when empty: x is read once, and is
            # itself unless it shows nothing (an error stays the error the test gives)
            x = _column(self.compile(test.a))

            def f_blank_or(b: Book, rows: Sequence[int]) -> list[Value]:
                vals = x(b, rows)
                if any(type(v) is list for v in vals):  # an array: Excel's own rules
                    return f_if(b, rows)
                return ["" if v is None or v == "" else v for v in vals]

            return f_blank_or
        return f_if

    def _if_branches(self, e: Call) -> ColumnFn:
        cond = _column(self.compile(e.args[0]))
        then = _column(self.compile(e.args[1]))
        other = _column(self.compile(e.args[2])) if len(e.args) > 2 else _column(_Fixed(lambda b: False))

        def f_if(b: Book, rows: Sequence[int]) -> list[Value]:
            tests = [v if type(v) is bool else _truth(_scalar(v)) for v in cond(b, rows)]
            if tests.count(True) == len(tests):  # one branch for every row: nothing to pick
                return then(b, rows)
            if tests.count(False) == len(tests):
                return other(b, rows)
            out: list[Value] = list(tests)  # errors stay where they are
            yes = [i for i, t in enumerate(tests) if t is True]
            no = [i for i, t in enumerate(tests) if t is False]
            for picked, branch in ((yes, then), (no, other)):
                if picked:
                    for i, v in zip(picked, branch(b, [rows[i] for i in picked])):
                        out[i] = v
            return out

        return f_if

    def _iferror(self, e: Call) -> _Node:
        value, fallback = (_column(self.compile(a)) for a in e.args)

        def f_iferror(b: Book, rows: Sequence[int]) -> list[Value]:
            out = value(b, rows)
            failed = [i for i, v in enumerate(out) if isinstance(v, XLError)]
            if failed:
                for i, v in zip(failed, fallback(b, [rows[i] for i in failed])):
                    out[i] = v
            return out

        return f_iferror


def _equals_text(xs: ColumnFn, text: str, negate: bool, op: Callable[[Value, Value], Value]) -> ColumnFn:
    """x = "text" (or <>) for a column: text compares case-insensitively, an empty cell
    equals "" only, a number never equals text; anything else (logical, error, array)
    goes through the operator."""
    key, empty = text.casefold(), (text == "") != negate

    def f_equals(b: Book, rows: Sequence[int]) -> list[Value]:
        return [(x.casefold() == key) != negate if type(x) is str else empty if x is None else negate
                if type(x) is float else _broadcast(op, x, text) for x in xs(b, rows)]

    return f_equals


def _is_empty_text(e: Expr) -> bool:
    return isinstance(e, Lit) and e.value == "" and type(e.value) is str


def _as_range(f: _Node) -> _Node:
    if isinstance(f, _Fixed):
        return _Fixed(lambda b: [f(b)])
    return lambda b, rows: [[v] for v in f(b, rows)]


def _impl(e: Call) -> Callable[[Book, list[Value]], Value]:
    """A function of the book and the evaluated arguments of one row."""
    if e.name == "MATCH":
        rng = e.args[1] if isinstance(e.args[1], Range) else None
        return lambda b, a: match_position(b, rng, a[0], a[1])
    if e.name in ("SUMIFS", "COUNTIFS"):
        return lambda b, a: ifs_value(b, e, a)
    f = _FUNCS[e.name]
    return lambda b, a: f(a)
