"""The Workbook model every command reads, built from a file or a Filling, and checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .book import Book
from ..collector import collector_paused
from ..checks.tables import run_checks
from .budget import BudgetTree, budget_tree
from .contract import load_contract
from ..errors import ContractError, UnreadableFile
from ..rules.install import install_rollups
from ..read.interpret import Data, Row, build_book, interpret
from ..isolate import Failure, Limits, run_isolated
from ..read.source import SourceWorkbook, read_source
from .codes import table_rows
from .layout import Layout
from .rows import TableRow
from ..checks.report import NOT_CONTRACT, UNREADABLE, Report, issue
from ..sheets.names import GENERATED_SHEETS, excel_sheet_name, sheet_name_ok

_GENERATED = frozenset(n.casefold() for n in GENERATED_SHEETS)


@dataclass
class Workbook:
    """One LKjIP workbook between reading and everything else: where everything is
    (`layout`), what staff typed (`data`), every cell's value and formula (`book`),
    the budget hierarchy (`tree`) and every finding (`report`).

    Built in one place, `build_workbook`, from what was read from a file or typed
    into a `Filling`. Checks, chapter III, merge, rollover, the pandas API and the
    document read its tables through `rows(table)` by column key; the writer
    writes its book.
    """

    path: Path
    data: Data
    book: Book
    tree: BudgetTree
    report: Report

    @property
    def layout(self) -> Layout:
        return self.data.layout

    def rows(self, table: str) -> list[TableRow]:
        """The rows of a table that hold something, total rows aside."""
        tl = self.layout.tables[table]
        return [TableRow(self.book, tl, r) for r in table_rows(self.data, table)]

    def all_rows(self) -> dict[str, list[TableRow]]:
        """Every table's rows, total rows included."""
        return {key: [TableRow(self.book, self.layout.tables[key], r) for r in rows]
                for key, rows in self.data.rows.items()}

    def row(self, table: str, row: Row) -> TableRow:
        """One interpreted row of a table, with its values."""
        return TableRow(self.book, self.layout.tables[table], row)


@collector_paused
def check_workbook(path: str | Path, *, prepare: bool = False, light: bool = False) -> Workbook:
    """Read and check one workbook. Raises UnreadableFile or ContractError.

    `prepare` keeps the template's prepared rows in the book (for writing).
    `light` reads only the contract's sheets and leaves out what only matters
    when writing back (the staff's own sheets, objects that cannot be carried):
    enough for a merge.
    """
    path = Path(path)
    contract = load_contract()
    only = {contract.identity_sheet, *(s.name for s in contract.sheets)} if light else None
    wb = build_workbook(read_source(path, only=only), prepare=prepare)
    if not light:
        wb.report.add(_carry_issues(wb.data))
    return wb


def build_workbook(source: SourceWorkbook, *, prepare: bool = False) -> Workbook:
    """The model of a workbook from what was read: its cells interpreted by the
    contract, its formulas installed, its budget rows rolled up, and checked."""
    data = interpret(source, load_contract())
    book = build_book(data, prepare=prepare)
    tree = budget_tree(data)
    install_rollups(book, data.layout, {n.row.row: [c.row.row for c in n.children] for n in tree.nodes if n.children})
    wb = Workbook(source.path, data, book, tree, Report(str(source.path)))
    wb.report.add(data.issues)
    wb.report.add(run_checks(wb))
    return wb


def check_file(path: str | Path) -> tuple[Report, Workbook | None]:
    """Check one file without raising for its problems: an unreadable file or a
    missing required sheet becomes a failed Report with the reason."""
    try:
        checked = check_workbook(path)
    except UnreadableFile as e:
        return Report(str(path), status=UNREADABLE, reason=str(e)), None
    except ContractError as e:
        report = Report(str(path), status=NOT_CONTRACT, reason=str(e))
        report.add(e.issues)
        return report, None
    return checked.report, checked


def check_report(path: str | Path) -> Report:
    """The Report of one file (the work of one `check_files` worker)."""
    return check_file(path)[0]


def check_files(paths: list[Path], jobs: int = 1, limits: Limits = Limits()) -> list[Report]:
    """Check many files, each in a worker process under `limits`; one Report per
    file, in the order given. One file checked alone is checked in this process
    (the reader's own bounds keep it in check)."""
    if len(paths) == 1:
        return [check_report(paths[0])]
    reports: list[Report | None] = [None] * len(paths)
    for i, outcome in run_isolated(check_report, paths, jobs, limits):
        if isinstance(outcome, Failure):
            outcome = Report(str(paths[i]), status=UNREADABLE, reason=f"{paths[i].name}: {outcome.reason}.",
                             detail=outcome.detail)
        reports[i] = outcome
    return [r for r in reports if r is not None]


def _carry_issues(data: Data):
    for s in data.source.sheets:
        if s.name.casefold() in _GENERATED:  # replaced by recompute, charts included
            continue
        for what in s.lost:
            yield issue("objek-tidak-terbawa", s.name, what=what)
    for s in data.extra_sheets:
        if s.name.casefold() not in _GENERATED:
            yield issue("lembar-tambahan", s.name)
    for old, new in staff_sheet_names(data).items():
        if new != old:
            yield issue("lembar-diganti-nama", old, value=old, expected=new)


def staff_sheet_names(data: Data) -> dict[str, str]:
    """The name each of the staff's own sheets gets in the recomputed workbook: its
    own when Excel accepts it, else one close to it that no other sheet there has."""
    layout = data.layout
    taken = {n.casefold() for n in (*GENERATED_SHEETS, layout.identity_sheet,
                                    *(t.sheet for t in layout.tables.values()))}
    staff = [s.name for s in data.extra_sheets if s.name.casefold() not in _GENERATED]
    names: dict[str, str] = {}
    for name in staff:
        if sheet_name_ok(name) and name.casefold() not in taken:
            names[name] = name
            taken.add(name.casefold())
    for name in staff:
        if name not in names:
            names[name] = excel_sheet_name(name, taken)
            taken.add(names[name].casefold())
    return names
