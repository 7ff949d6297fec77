"""One LKjIP workbook: check it, or recompute it into a formula-checked workbook."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .book import Book
from .chapter3 import CAPAIAN, EFISIENSI, PERBANDINGAN, REKAP, Chapter3, build_chapter3
from .checks import BudgetTree, budget_tree, run_checks
from .contract import load_contract
from .errors import ContractError, UnreadableFile
from .files import atomic_write, backup, check_output
from .engine import install_rollups
from .interpret import Data, build_book, interpret
from .isolate import Failure, Limits, run_isolated
from .reader import read_source
from .report import NOT_CONTRACT, UNREADABLE, Report, issue
from .writer import (
    PEMERIKSAAN,
    PETUNJUK,
    Writer,
    excel_sheet_name,
    marks_by_sheet,
    sheet_name_ok,
    write_extra_sheet,
    write_identity_sheet,
    write_output_sheet,
    write_pemeriksaan,
    write_petunjuk,
    write_table_sheet,
)

#: Sheets sakip-xl writes itself; a sheet of the same name in the input is replaced.
GENERATED_SHEETS = (PETUNJUK, CAPAIAN, PERBANDINGAN, EFISIENSI, REKAP, PEMERIKSAAN)
_GENERATED = frozenset(n.casefold() for n in GENERATED_SHEETS)


@dataclass
class Checked:
    """A workbook read, interpreted, computed and checked."""

    path: Path
    data: Data
    book: Book
    tree: BudgetTree
    report: Report


def check_workbook(path: str | Path, *, prepare: bool = False, light: bool = False) -> Checked:
    """Read and check one workbook. Raises UnreadableFile or ContractError.

    `prepare` keeps the template's prepared rows in the book (for writing).
    `light` reads only the contract's sheets and leaves out what only matters
    when writing back (the staff's own sheets, objects that cannot be carried):
    enough for a merge.
    """
    path = Path(path)
    contract = load_contract()
    only = {contract.identity_sheet, *(s.name for s in contract.sheets)} if light else None
    data = interpret(read_source(path, only=only), contract)
    book = build_book(data, prepare=prepare)
    tree = budget_tree(data)
    install_rollups(book, data.layout, {n.row.row: [c.row.row for c in n.children] for n in tree.nodes if n.children})
    report = Report(str(path))
    report.add(data.issues)
    report.add(run_checks(data, book, tree))
    if not light:
        report.add(_carry_issues(data))
    return Checked(path, data, book, tree, report)


def check_file(path: str | Path) -> tuple[Report, Checked | None]:
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


@dataclass
class Recomputed:
    checked: Checked
    output: Path
    backup: Path | None


def output_path(path: Path, output: str | Path | None) -> Path:
    """Where recompute writes: `-o`, else in place; .xls/.ods become a new .xlsx beside them."""
    if output is not None:
        return Path(output)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return path
    return path.with_suffix(".xlsx")


def recompute(path: str | Path, output: str | Path | None = None, *, make_backup: bool = True,
              password: str | None = None) -> Recomputed:
    """Check a workbook and write it again with every derived cell as a formula and
    its computed value, the chapter-III sheets, and the Pemeriksaan sheet.

    Nothing is written when the file cannot be read or lacks a required sheet.
    The original is kept as a backup unless `make_backup` is False.
    """
    path = Path(path)
    target = check_output(output_path(path, output), "hasil", suffixes=(".xlsx", ".xlsm"), inputs=[path],
                          may_replace_input=True)
    checked = check_workbook(path, prepare=True)
    chapter3 = build_chapter3(checked.data, checked.book, checked.tree, checked.report.issues)
    vba = _vba_project(path) if target.suffix.lower() == ".xlsm" else None

    def write(tmp: Path) -> None:
        write_recomputed(tmp, checked, chapter3, password=password, vba=vba)

    saved = None
    if make_backup and target.exists():
        saved = backup(target)
    try:
        atomic_write(target, write)
    except BaseException:
        if saved is not None:
            saved.unlink(missing_ok=True)
        raise
    return Recomputed(checked, target, saved)


def _vba_project(path: Path) -> bytes | None:
    try:
        with zipfile.ZipFile(path) as z:
            return z.read("xl/vbaProject.bin") if "xl/vbaProject.bin" in z.namelist() else None
    except zipfile.BadZipFile:
        return None


def write_recomputed(path: Path, checked: Checked, chapter3: Chapter3, *, password: str | None = None,
                     vba: bytes | None = None) -> None:
    """Write the recomputed workbook: the staff's sheets in their order, then the generated ones."""
    w = Writer(path)
    if vba is not None:  # keep the macros of an .xlsm
        w.wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    _write_sheets(w, checked, chapter3, password)
    w.close()


def _write_sheets(w: Writer, checked: Checked, chapter3: Chapter3, password: str | None) -> None:
    data, book = checked.data, checked.book
    layout = data.layout
    write_petunjuk(w, layout.contract)
    sheet_keys = {layout.tables[s.tables[0].key].sheet: s.key for s in layout.contract.sheets}
    order = [s.name for s in data.source.sheets if s.name.casefold() not in _GENERATED]
    if data.skala_missing:
        at = order.index(layout.identity_sheet) + 1 if layout.identity_sheet in order else 0
        order.insert(at, layout.tables["kategori"].sheet)
    extra = {s.name: s for s in data.extra_sheets}
    renamed = staff_sheet_names(data)
    marks = marks_by_sheet(checked.report)
    for name in order:
        if name == layout.identity_sheet:
            write_identity_sheet(w, layout, book, password, marks.get(name))
        elif name in sheet_keys:
            write_table_sheet(w, layout, book, sheet_keys[name], password, marks.get(name))
        elif name in extra:
            write_extra_sheet(w, extra[name], renamed[name])
    for spec in chapter3.sheets:
        write_output_sheet(w, book, spec, password)
    names = {renamed.get(n, n) for n in order} | {s.name for s in chapter3.sheets}
    write_pemeriksaan(w, checked.report, names)
