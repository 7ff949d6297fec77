"""Where the contract's tables, columns and Identitas fields sit in one workbook.

The generated workbook has a standard layout; a filled workbook may have
rows inserted above a header, columns reordered, extra columns of the
staff's own. A `Layout` records the positions actually found (or chosen)
and resolves the symbolic references of rule expressions against them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .contract import Contract, Table, load_contract

#: Tables looked up through bounded ranges; the others through whole columns,
#: so rows added beyond the prepared ones are still found.
BOUNDED_TABLES = frozenset({"kategori", "predikat"})


@dataclass
class TableLayout:
    table: Table
    sheet: str  # actual sheet name
    header_row: int  # 0-based
    columns: dict[str, int]  # column key -> 0-based column
    first_row: int  # 0-based first data row
    last_row: int  # 0-based last row that gets formulas (>= last data row)
    data_rows: list[int] = field(default_factory=list)  # rows holding data
    extra_columns: dict[int, str] = field(default_factory=dict)  # staff's own columns
    pattern_columns: dict[int, tuple[str, int]] = field(default_factory=dict)  # col -> (key, year)
    header_text: dict[str, str] = field(default_factory=dict)  # key -> header as written

    @property
    def key(self) -> str:
        return self.table.key


@dataclass
class Layout:
    """Positions of everything the rules refer to; a `formula.Resolver`."""

    contract: Contract
    tables: dict[str, TableLayout]
    identity_sheet: str
    fields: dict[str, tuple[int, int]]  # field key -> (row, col) of its value cell
    identity_label_col: int = 0

    def column(self, table: str, col: str) -> tuple[str, int]:
        t = self.tables[table]
        return t.sheet, t.columns[col]

    def rows(self, table: str) -> tuple[int, int] | None:
        if table in BOUNDED_TABLES:
            t = self.tables[table]
            return t.first_row, t.last_row
        return None

    def field(self, key: str) -> tuple[str, int, int]:
        r, c = self.fields[key]
        return self.identity_sheet, r, c


def standard_layout(contract: Contract | None = None, renstra_years: tuple[int, ...] = ()) -> Layout:
    """The layout of a workbook written by `sakip-xl template`.

    `renstra_years` adds one `Target Renstra <year>` column per year to IKU.
    """
    contract = contract or load_contract()
    header = contract.header_row - 1
    first = contract.first_data_row - 1
    tables: dict[str, TableLayout] = {}
    for sheet in contract.sheets:
        last = first + contract.capacity(sheet) - 1
        for t in sheet.tables:
            cols = {c.key: t.first_column - 1 + i for i, c in enumerate(_ordered(t))}
            tl = TableLayout(t, sheet.name, header, cols, first, last)
            if t.key == "iku" and renstra_years:
                pattern = t.patterns[0]
                start = max(cols.values()) + 1
                for i, y in enumerate(renstra_years):
                    tl.pattern_columns[start + i] = (pattern.key, y)
            tables[t.key] = tl
    fields = {f.key: (first + i, 1) for i, f in enumerate(contract.fields)}
    return Layout(contract, tables, contract.identity_sheet, fields)


def _ordered(t: Table):
    """Visible columns in contract order, then hidden helpers at the far right."""
    return [c for c in t.columns if not c.hidden] + [c for c in t.columns if c.hidden]
