"""`recompute`: a workbook written again with every derived cell as a formula and its value."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..collector import collector_paused
from ..files import atomic_write, backup, check_output
from ..model.workbook import _GENERATED, Workbook, check_workbook, staff_sheet_names
from ..sheets.chapter3 import Chapter3, build_chapter3
from ..xlsx.writer import (
    Writer,
    marks_by_sheet,
    write_extra_sheet,
    write_identity_sheet,
    write_output_sheet,
    write_pemeriksaan,
    write_petunjuk,
    write_table_sheet,
)


@dataclass
class Recomputed:
    checked: Workbook
    output: Path
    backup: Path | None


def output_path(path: Path, output: str | Path | None) -> Path:
    """Where recompute writes: `-o`, else in place; .xls/.ods become a new .xlsx beside them."""
    if output is not None:
        return Path(output)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return path
    return path.with_suffix(".xlsx")


@collector_paused
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
    checked.book.compute()  # every value now: writing only reads them
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


def write_recomputed(path: Path, checked: Workbook, chapter3: Chapter3, *, password: str | None = None,
                     vba: bytes | None = None) -> None:
    """Write the recomputed workbook: the staff's sheets in their order, then the generated ones."""
    w = Writer(path)
    if vba is not None:  # keep the macros of an .xlsm
        w.wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    _write_sheets(w, checked, chapter3, password)
    w.close()


def _write_sheets(w: Writer, checked: Workbook, chapter3: Chapter3, password: str | None) -> None:
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
