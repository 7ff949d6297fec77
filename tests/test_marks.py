"""Problems shown where the clerk fixes them: in the workbook `recompute` writes, every input
cell with a galat or peringatan is coloured by severity and carries the message as a cell
comment, with a legend on the sheet; the marks go away once the cell is fixed and the
workbook recomputed."""

from __future__ import annotations

import shutil

import openpyxl

from paths import KALIANGET
from sakip_xl.xlsx.styles import INPUT_FILL, MARK_FILLS
from sakip_xl.commands.recompute import recompute



def _fill(cell) -> str:
    return cell.fill.fgColor.rgb


def test_kalianget_problem_cells_carry_their_mark_and_message(tmp_path):
    out = recompute(shutil.copy(KALIANGET, tmp_path / "k.xlsx"), tmp_path / "hasil.xlsx", make_backup=False)
    wb = openpyxl.load_workbook(out.output)
    red, orange = ("FF" + MARK_FILLS[s].lstrip("#").upper() for s in ("galat", "peringatan"))
    marked = {(ws.title, c.coordinate): c for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if c.comment is not None}
    report = out.checked.report
    sheets = {"Identitas", "Skala", "IKU", "PK", "Realisasi", "Anggaran"}
    for i in report.issues:  # every galat and peringatan on an input cell is marked, with its message
        if i.severity == "info" or i.sheet not in sheets or not i.cell or i.code == "rumus-tertimpa":
            continue  # (a value typed over a formula is set aside: the formula is back in that cell)
        cell = marked.get((i.sheet, i.cell))
        assert cell is not None, (i.code, i.sheet, i.cell)
        assert i.message in cell.comment.text
    # the rupiah pasted as the IKM realisasi (Realisasi!I9): a galat, red
    i9 = marked[("Realisasi", "I9")]
    assert _fill(i9) == red and "tidak wajar untuk target 87,15" in i9.comment.text
    # 17 Desa as the target of a % indicator (PK!D6): a peringatan, orange
    assert _fill(marked[("PK", "D6")]) == orange
    assert wb["Realisasi"]["L9"].comment is None  # a formula cell (typed over in the file): no mark
    assert "Sel merah: galat" in wb["Realisasi"]["E1"].value  # the legend, in the title row
    assert "merah = galat" in " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)


def test_marks_go_away_when_the_cell_is_fixed_and_recomputed(tmp_path):
    first = recompute(shutil.copy(KALIANGET, tmp_path / "k.xlsx"), tmp_path / "hasil.xlsx", make_backup=False)
    wb = openpyxl.load_workbook(first.output)
    wb["Realisasi"]["I9"] = 81  # the IKM realisasi as the report means it
    wb.save(tmp_path / "diperbaiki.xlsx")
    second = recompute(tmp_path / "diperbaiki.xlsx", tmp_path / "hasil-2.xlsx", make_backup=False)
    again = openpyxl.load_workbook(second.output)
    cell = again["Realisasi"]["I9"]
    assert cell.comment is None
    assert _fill(cell) == "FF" + INPUT_FILL.lstrip("#").upper()  # the input colour again
    assert again["PK"]["D6"].comment is not None  # what was not fixed keeps its mark
    assert not any(i.code == "objek-tidak-terbawa" for i in second.checked.report.issues)  # marks are ours
