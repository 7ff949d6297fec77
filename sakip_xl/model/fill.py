"""Writing a standard workbook pre-filled with values, as staff would type them.

Values are given per sheet as rows keyed by header label (exactly the labels
of the contract). A value under a derived column's label is typed over its
formula, as staff sometimes do: the example workbooks use this to carry the
figures the seed reports print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .book import Book
from ..read.source import SourceSheet, SourceWorkbook
from .workbook import Workbook, build_workbook
from .contract import Contract, load_contract, normalize_label
from ..errors import UsageError
from ..rules.install import first_own_row, install_rollups
from .layout import Layout, standard_layout
from ..rules.sakip import BUDGET_LEVELS, budget_parents
from ..commands.template import template_book, write_book

_RENSTRA_YEAR = re.compile(r"^target renstra (\d{4})$")


@dataclass
class Filling:
    """What to type into a new standard workbook."""

    identity: dict[str, object] = field(default_factory=dict)  # Identitas label -> value
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # table key -> rows by label

    def renstra_years(self) -> tuple[int, ...]:
        years: set[int] = set()
        for row in self.tables.get("iku", []):
            for label in row:
                m = _RENSTRA_YEAR.match(normalize_label(label))
                if m:
                    years.add(int(m.group(1)))
        return tuple(sorted(years))


def filled_book(filling: Filling, contract: Contract | None = None) -> tuple[Layout, Book]:
    """The layout and book of a standard workbook holding `filling`."""
    contract = contract or load_contract()
    layout = standard_layout(contract, filling.renstra_years())
    labels = {normalize_label(f.label): f.key for f in contract.fields}
    identity = {}
    for label, v in filling.identity.items():
        key = labels.get(normalize_label(label))
        if key is None:
            raise UsageError(f"Identitas: label '{label}' tidak dikenal.")
        identity[key] = v
    # Rows go below what the template pre-fills (a workbook's own scales follow the
    # regulation's, as staff would add them). More rows than prepared: the layout
    # grows before the formulas are made, so they and every range over them follow.
    for key, rows in filling.tables.items():
        tl = layout.tables[key]
        tl.last_row = max(tl.last_row, first_own_row(tl) + len(rows) - 1)
    book = template_book(identity, layout)
    for key, rows in filling.tables.items():
        tl = layout.tables[key]
        by_label = {normalize_label(c.label): c for c in tl.table.columns}
        patterns = {year: col for col, (_k, year) in tl.pattern_columns.items()}
        start = first_own_row(tl)
        for i, row in enumerate(rows):
            r = start + i
            for label, v in row.items():
                if v is None or v == "":
                    continue
                norm = normalize_label(label)
                col = by_label.get(norm)
                if col is not None:
                    if col.derived:
                        book.type_over(tl.sheet, r, tl.columns[col.key], v)
                    else:
                        book.set(tl.sheet, r, tl.columns[col.key], v)
                    continue
                m = _RENSTRA_YEAR.match(norm)
                if m and int(m.group(1)) in patterns:
                    book.set(tl.sheet, r, patterns[int(m.group(1))], v)
                    continue
                raise UsageError(f"{tl.sheet}: kolom '{label}' tidak dikenal.")
    _install_rollups(book, layout, filling.tables.get("anggaran", []))
    return layout, book


def _install_rollups(book: Book, layout: Layout, rows: list[dict[str, object]]) -> None:
    """The budget rollups of the filled rows, by their Jenis in row order."""
    levels = [BUDGET_LEVELS.get(" ".join(str(r.get("Jenis") or "").split()).casefold()) for r in rows]
    start = first_own_row(layout.tables["anggaran"])
    children: dict[int, list[int]] = {}
    for i, parent in enumerate(budget_parents(levels)):
        if parent is not None:
            children.setdefault(start + parent, []).append(start + i)
    install_rollups(book, layout, children)


def filled_workbook(filling: Filling) -> Workbook:
    """The model of a standard workbook holding `filling`, as if it had been written
    with `write_filled` and read back: the same interpretation, checks and values."""
    layout, book = filled_book(filling)
    sheets = []
    for s in book.sheets.values():
        formulas = {(r, c) for c, cf in s.column_formulas.items() for r in cf.row_range()}
        formulas = (formulas | s.cell_formulas.keys()) - s.typed_over
        rows: dict[int, dict[int, object]] = {}
        for (r, c), v in sorted(s.values.items()):
            rows.setdefault(r, {})[c] = v
        n_cols = max((c for _r, c in s.values), default=0) + 1
        sheets.append(SourceSheet(s.name, rows, formulas=formulas, formulas_known=True, n_cols=n_cols))
    return build_workbook(SourceWorkbook(Path("isian.xlsx"), "xlsx", sheets))


def write_filled(path: str | Path, filling: Filling, password: str | None = None) -> Path:
    """Write a standard workbook holding `filling` (formulas with computed values)."""
    layout, book = filled_book(filling)
    write_book(Path(path), layout, book, password)
    return Path(path)


_NUMBER = re.compile(r"^-?\d+(\.\d{1,2})?$")
_SHEET_FILES = {"IKU": "iku", "PK": "pk", "Realisasi": "realisasi", "Anggaran": "anggaran"}


def read_csv_folder(folder: str | Path, contract: Contract | None = None) -> Filling:
    """A Filling from one CSV per sheet (Identitas.csv with Label,Isian; IKU.csv, PK.csv,
    Realisasi.csv, Anggaran.csv and optionally Skala.csv with header labels).

    A value that is a plain number (`82`, `87.15`) is typed as a number; anything
    else (`2.485.143.930`, `98,78%`, `17 Desa`) as text, the way it arrives when
    pasted from a Word report. Codes are always text.
    """
    import csv

    contract = contract or load_contract()
    folder = Path(folder)
    text_labels = {normalize_label(c.label) for t in contract.tables for c in t.columns if c.type == "kode"}

    def typed(label: str, v: str) -> object:
        if v == "":
            return None
        if normalize_label(label) in text_labels or not _NUMBER.match(v):
            return v
        return float(v) if "." in v else int(v)

    def rows(name: str) -> list[dict[str, object]]:
        with open(folder / name, newline="", encoding="utf-8") as fh:
            return [{k: typed(k, v) for k, v in row.items()} for row in csv.DictReader(fh)]

    filling = Filling()
    filling.identity = {str(r["Label"]): r["Isian"] for r in rows("Identitas.csv")}
    tahun = filling.identity.get("Tahun Kinerja")
    if isinstance(tahun, str) and tahun.isdigit():
        filling.identity["Tahun Kinerja"] = int(tahun)
    for name, key in _SHEET_FILES.items():
        filling.tables[key] = rows(f"{name}.csv")
    if (folder / "Skala.csv").exists():
        filling.tables["kategori"] = rows("Skala.csv")
    return filling
