"""Rows by code, as the formulas find them (MATCH: exact text, case-insensitive, the first)."""

from __future__ import annotations

from ..read.interpret import Cell, Data, Row


def code_key(cell: Cell | None) -> str | None:
    """A code as Excel's MATCH compares it: exact text, case-insensitive."""
    if cell is None or not isinstance(cell.written, str) or not cell.written.strip():
        return None
    return cell.written.casefold()


def table_rows(data: Data, table: str) -> list[Row]:
    """The rows of a table, its total rows aside."""
    return [r for r in data.rows.get(table, []) if not r.is_total]


def code_index(data: Data, table: str) -> dict[str, Row]:
    """The rows of a table by code; of a repeated code the first, as MATCH finds it."""
    out: dict[str, Row] = {}
    for r in table_rows(data, table):
        k = code_key(r.get("kode"))
        if k is not None:
            out.setdefault(k, r)
    return out
