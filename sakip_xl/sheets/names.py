"""The names of the sheets sakip-xl writes, and sheet names Excel accepts."""

from __future__ import annotations

import re

PETUNJUK = "Petunjuk"
CAPAIAN, PERBANDINGAN, EFISIENSI, REKAP = "Capaian", "Perbandingan", "Efisiensi", "Rekap Anggaran"
PEMERIKSAAN = "Pemeriksaan"
#: Sheets sakip-xl writes itself; a sheet of the same name in the input is replaced.
GENERATED_SHEETS = (PETUNJUK, CAPAIAN, PERBANDINGAN, EFISIENSI, REKAP, PEMERIKSAAN)

SHEET_NAME_LIMIT = 31  # UTF-16 code units, as Excel counts them
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def sheet_name_ok(name: str) -> bool:
    """Whether Excel accepts `name` for a sheet (uniqueness aside). An .ods, or a file
    saved by LibreOffice, may carry names it does not: XlsxWriter refuses to write them."""
    return (0 < _utf16_units(name) <= SHEET_NAME_LIMIT and not _SHEET_NAME_FORBIDDEN.search(name)
            and not name.startswith("'") and not name.endswith("'") and name.casefold() != "history")


def excel_sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts, close to `name`, not in `taken` (casefolded names): forbidden
    characters and apostrophes at either end become `_`, the name is cut to 31 units,
    and a ` (2)`, ` (3)`... suffix makes it unique."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", name) or "Lembar"
    n = 1
    while True:
        suffix = f" ({n})" if n > 1 else ""
        head = base[: SHEET_NAME_LIMIT - len(suffix)]
        while _utf16_units(head) > SHEET_NAME_LIMIT - len(suffix):
            head = head[:-1]
        candidate = re.sub(r"^'|'$", "_", head + suffix)
        if sheet_name_ok(candidate) and candidate.casefold() not in taken:
            return candidate
        n += 1
