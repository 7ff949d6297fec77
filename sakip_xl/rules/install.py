"""Building the in-memory workbook: standard content and the contract's formulas."""

from __future__ import annotations

from ..model.book import Book, Compiled
from ..model.contract import Contract
from .formula import ShapeFn, Slot, compile_shape, render, resolve
from ..model.layout import Layout, TableLayout
from .sakip import BUDGET_MONEY, GRADE_SCALES, KATEGORI_SCALES, build_rule, rollup
from ..resources import petunjuk_text


#: (layout signature, table, column) -> the rule's expression, compiled and rendered on first use
_COMPILED: dict[tuple, Compiled] = {}


def _signature(layout: Layout) -> tuple:
    """Every position a rule expression can resolve to: equal signatures, equal formulas."""
    tables = tuple(
        (key, tl.sheet, tuple(sorted(tl.columns.items())), layout.rows(key))
        for key, tl in sorted(layout.tables.items())
    )
    return tables, layout.identity_sheet, tuple(sorted(layout.fields.items()))


def install_formulas(book: Book, layout: Layout) -> None:
    """Put every derived column's formula on its table's rows.

    Workbooks made from one template share their layout, so a merge of hundreds
    of them compiles each formula once, and only the formulas it evaluates.
    """
    signature = _signature(layout)
    for tl in layout.tables.values():
        for col in tl.table.derived:
            if col.key not in tl.columns:
                continue
            key = (signature, tl.key, col.key)
            compiled = _COMPILED.get(key)
            if compiled is None:
                assert col.rule is not None, "the contract gives every derived column a rule"
                expr = resolve(build_rule(col.rule, col.param), layout, tl.key)
                if len(_COMPILED) > 1000:
                    _COMPILED.clear()
                compiled = _COMPILED[key] = Compiled(expr, tl.sheet)
            book.set_compiled_column(tl.sheet, tl.columns[col.key], compiled, tl.first_row, tl.last_row)


#: (sheet, number of sub-rows) -> the roll-up of a row with that many, compiled and rendered
_ROLLUP_SHAPES: dict[tuple[str, int], tuple[ShapeFn, str]] = {}
#: Larger roll-ups are compiled for their workbook only: a merge worker reads file after
#: file, and one odd budget tree must not leave it holding thousands of huge shapes.
_KEPT_SUB_ROWS = 100


def _rollup_shape(sheet: str, n: int) -> tuple[ShapeFn, str]:
    """The roll-up of a row with `n` sub-rows on `sheet`, compiled and rendered once:
    slot 0 is the row's own amount, slots 1..n its sub-rows' rolled-up amounts."""
    shape = _ROLLUP_SHAPES.get((sheet, n))
    if shape is None:
        expr = rollup(Slot(0), [Slot(i) for i in range(1, n + 1)])
        shape = (compile_shape(expr), render(expr, sheet))
        if n <= _KEPT_SUB_ROWS:
            if len(_ROLLUP_SHAPES) > 1000:  # sheet names vary between files
                _ROLLUP_SHAPES.clear()
            _ROLLUP_SHAPES[(sheet, n)] = shape
    return shape


def install_rollups(book: Book, layout: Layout, children: dict[int, list[int]]) -> None:
    """Give each Anggaran row that has sub-rows (sheet row -> its sub-rows) the
    rollup of its own amount and theirs in the money helper columns; the other
    rows keep the column formula (their own amount, or nothing)."""
    tl = layout.tables["anggaran"]
    sheet = tl.sheet
    for own_key, helper_key in BUDGET_MONEY.items():
        if helper_key not in tl.columns:
            continue
        own, helper = tl.columns[own_key], tl.columns[helper_key]
        for row, kids in children.items():
            positions = ((sheet, row, own), *((sheet, k, helper) for k in kids))
            book.set_shaped_formula(sheet, row, helper, *_rollup_shape(sheet, len(kids)), positions)


def header_label(col_label: str, year_offset: int | None, tahun: int | None) -> str:
    """A header, with the actual year after it when the column is about a past year."""
    if year_offset is not None and tahun is not None:
        return f"{col_label} ({tahun + year_offset})"
    return col_label


def write_standard_text(book: Book, layout: Layout, tahun: int | None = None) -> None:
    """Titles, hints, headers and Identitas labels of the generated workbook."""
    contract = layout.contract
    hints = petunjuk_text()["lembar"]
    for sheet in contract.sheets:
        tables = [layout.tables[t.key] for t in sheet.tables]
        name = tables[0].sheet
        book.set(name, 0, 0, sheet.title)
        book.set(name, 1, 0, hints.get(sheet.name, ""))
        for tl in tables:
            for col in tl.table.columns:
                book.set(name, tl.header_row, tl.columns[col.key], header_label(col.label, col.year_offset, tahun))
            for c, (pkey, year) in tl.pattern_columns.items():
                pattern = next(p for p in tl.table.patterns if p.key == pkey)
                book.set(name, tl.header_row, c, pattern.label.replace("{tahun}", str(year)))
    ident = layout.identity_sheet
    book.set(ident, 0, 0, contract.identity_title)
    book.set(ident, 1, 0, hints.get(ident, ""))
    first = min(r for r, _c in layout.fields.values())
    for c, label in enumerate(("Uraian", "Isian", "Keterangan")):
        book.set(ident, first - 1, c, label)
    for f in contract.fields:
        r, c = layout.fields[f.key]
        book.set(ident, r, layout.identity_label_col, f.label)
        book.set(ident, r, c + 1, f.help)


def write_identity_values(book: Book, layout: Layout, values: dict[str, object]) -> None:
    """Identitas values: the given ones, the defaults, and the template version."""
    contract: Contract = layout.contract
    for f in contract.fields:
        r, c = layout.fields[f.key]
        v = values.get(f.key)
        if f.generated:
            v = contract.template_version
        elif v is None:
            v = f.default
        book.set(layout.identity_sheet, r, c, v)


#: The Skala tables' pre-filled rows, the regulation's scales (rules.py): columns, rows.
DEFAULT_SCALES: dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]] = {
    "kategori": (("skala", "batas_bawah", "kategori"),
                 [(name, lower, k) for name, bands in KATEGORI_SCALES.items() for lower, k in bands]),
    "predikat": (("skala_predikat", "predikat", "peringkat"),
                 [(name, grade, rank) for name, grades in GRADE_SCALES.items() for grade, rank in grades]),
}


def write_default_scales(book: Book, layout: Layout) -> None:
    """The Skala tables pre-filled with the regulation's scales."""
    for key, (columns, rows) in DEFAULT_SCALES.items():
        tl = layout.tables[key]
        for r, values in enumerate(rows, start=tl.first_row):
            for col, v in zip(columns, values):
                book.set(tl.sheet, r, tl.columns[col], v)


def first_own_row(tl: TableLayout) -> int:
    """The first row of a table of the generated workbook that the template leaves empty."""
    return tl.first_row + len(DEFAULT_SCALES.get(tl.key, ((), []))[1])
