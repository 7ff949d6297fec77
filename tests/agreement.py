"""Comparing the cached values sakip-xl wrote with LibreOffice's own results."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def _cells(path: Path, data_only: bool) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out[(ws.title, cell.coordinate)] = cell.value
    wb.close()
    return out


def formula_cells(path: Path) -> dict[tuple[str, str], object]:
    """{(sheet, cell): cached value} of every formula cell of a workbook."""
    formulas = _cells(path, data_only=False)
    cached = _cells(path, data_only=True)
    return {k: cached.get(k) for k, v in formulas.items() if isinstance(v, str) and v.startswith("=")}


def _norm(v: object) -> object:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(f"{float(v):.9g}")  # equal after rounding to 9 significant digits
    return str(v)


def disagreements(ours: Path, libreoffice: Path) -> list[str]:
    """Formula cells whose LibreOffice value differs from our cached value."""
    mine = formula_cells(ours)
    theirs = _cells(libreoffice, data_only=True)
    bad = []
    for key, cached in mine.items():
        lo = theirs.get(key)
        if _norm(cached) != _norm(lo):
            bad.append(f"{ours.name} {key[0]}!{key[1]}: sakip-xl {cached!r}, LibreOffice {lo!r}")
    return bad
