"""A row of an input table together with what the engine computes for it.

`input(key)` is what staff typed, as read (`read.interpret`); `value(key)` is
the value the workbook shows in that column, typed or computed by its rule.
Code reads rows by column key through these instead of addressing the book by
sheet, row and column.
"""

from __future__ import annotations

from ..read.interpret import Cell, Row
from ..rules.formula import Cell as Ref
from ..rules.formula import Value
from .book import Book
from .layout import TableLayout


class TableRow:
    """One row of a table: its typed inputs and its values."""

    __slots__ = ("_book", "_tl", "row")

    def __init__(self, book: Book, tl: TableLayout, row: Row) -> None:
        self._book, self._tl, self.row = book, tl, row

    @property
    def number(self) -> int:
        """The row's 0-based row on its sheet."""
        return self.row.row

    def cell(self, key: str) -> Cell | None:
        """The input cell of a column, as typed and as understood."""
        return self.row.get(key)

    def input(self, key: str) -> object:
        """What staff typed in an input column, as written back (None when empty)."""
        c = self.row.get(key)
        return None if c is None else c.written

    def value(self, key: str) -> Value:
        """The value a column shows on this row (None when it shows nothing)."""
        col = self._tl.columns.get(key)
        return None if col is None else self._book.filled(self._tl.sheet, self.row.row, col)

    def result(self, key: str) -> Value:
        """The value of a column as computed, an error value or an empty text included."""
        col = self._tl.columns.get(key)
        return None if col is None else self._book.value(self._tl.sheet, self.row.row, col)

    def ref(self, key: str) -> Ref:
        """The cell of a column on this row, for a formula to refer to."""
        return Ref(self._tl.sheet, self.row.row, self._tl.columns[key])
