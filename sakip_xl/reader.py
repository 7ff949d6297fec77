"""Reading a workbook file: values with python-calamine, plus what values alone lose.

python-calamine reads .xlsx, .xlsm, .xls and .ods fast, but gives neither
number formats nor formulas. Two facts matter here and are read from the
file's XML: which cells are percent-formatted (`79%` typed in Excel is
stored as 0.79) and which cells hold formulas (a typed value where a
formula belongs was overwritten). Old .xls files give neither: their
percent cells are caught by the plausibility check instead.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import python_calamine

from .errors import UnreadableFile
from .formula import col_letter

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class SourceSheet:
    name: str
    cells: dict[tuple[int, int], object]  # non-empty cells, 0-based (row, col)
    percent: set[tuple[int, int]] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # cells known to hold a formula
    formulas_known: bool = False  # False for .xls: a value may or may not come from a formula
    lost: list[str] = field(default_factory=list)  # objects that cannot be carried (charts...)
    visible: bool = True
    n_cols: int = 0
    xml: str | None = field(default=None, repr=False)  # xlsx: the sheet's XML, scanned per row on demand
    _row_spans: dict[int, tuple[int, int]] | None = field(default=None, repr=False)
    _scanned: set[int] = field(default_factory=set, repr=False)

    def has_formula(self, row: int, col: int) -> bool:
        """Whether a cell holds a formula. An .xlsx sheet is scanned only in the rows
        asked about: a template's thousands of prepared formula rows are never read."""
        if self.xml is not None and row not in self._scanned:
            self._scan_row(row)
        return (row, col) in self.formulas

    def _scan_row(self, row: int) -> None:
        if self._row_spans is None:
            starts = [(int(m.group(1)) - 1, m.start()) for m in _ROW.finditer(self.xml)]
            ends = [start for _r, start in starts[1:]] + [len(self.xml)]
            self._row_spans = {r: (start, end) for (r, start), end in zip(starts, ends)}
        self._scanned.add(row)
        span = self._row_spans.get(row)
        if span is not None:
            for m in _FORMULA_CELL.finditer(self.xml, *span):
                self.formulas.add((int(m.group(2)) - 1, _col_index(m.group(1))))


@dataclass
class SourceWorkbook:
    path: Path
    format: str  # xlsx | xls | ods
    sheets: list[SourceSheet]
    saved_at: dt.datetime | None = None

    def sheet(self, name: str) -> SourceSheet | None:
        """A sheet by name, tolerant of case, spaces, `_` and `-`."""
        want = sheet_key(name)
        for s in self.sheets:
            if sheet_key(s.name) == want:
                return s
        return None


def sheet_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


def sniff(data: bytes) -> str | None:
    """The real format of file content, whatever its extension says."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                mimetype = z.read("mimetype") if "mimetype" in names else b""
                if "content.xml" in names and b"spreadsheet" in mimetype:
                    return "ods"
                if "word/document.xml" in names:
                    return "docx"
        except zipfile.BadZipFile:
            return "zip-rusak"
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "terenkripsi" if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data[:8192 * 8] else "xls"
    return None


def read_source(path: str | Path, *, only: set[str] | None = None) -> SourceWorkbook:
    """Read a workbook file. Raises UnreadableFile with the reason in Bahasa.

    `only` names the sheets whose cells are read; the others are listed, empty
    (a merge writes nothing back, so the staff's own sheets do not matter).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise UnreadableFile(f"{path.name}: berkas tidak ditemukan.") from e
    except IsADirectoryError as e:
        raise UnreadableFile(f"{path.name}: ini folder, bukan berkas.") from e
    except PermissionError as e:
        raise UnreadableFile(f"{path.name}: tidak ada izin membaca berkas ini.") from e
    except OSError as e:
        raise UnreadableFile(f"{path.name}: berkas tidak dapat dibuka.") from e
    kind = sniff(data)
    if kind == "terenkripsi":
        raise UnreadableFile(f"{path.name}: berkas dikunci dengan kata sandi. Buka di Excel, hapus kata sandinya "
                             "(File > Info > Protect Workbook), simpan, lalu ulangi.")
    if kind in ("zip-rusak",) or (kind is None and path.suffix.lower() in WORKBOOK_SUFFIXES):
        raise UnreadableFile(f"{path.name}: berkas rusak atau bukan buku kerja Excel/LibreOffice. Buka dan simpan "
                             "ulang di Excel, atau minta kiriman berkas yang baru.")
    if kind in ("docx", "zip", None):
        raise UnreadableFile(f"{path.name}: bukan buku kerja (.xlsx, .xlsm, .xls atau .ods).")
    try:
        wb = python_calamine.load_workbook(io.BytesIO(data))
    except python_calamine.PasswordError as e:
        raise UnreadableFile(f"{path.name}: berkas dikunci dengan kata sandi.") from e
    except Exception as e:  # calamine raises several error types for broken content
        raise UnreadableFile(f"{path.name}: isi berkas rusak dan tidak dapat dibaca ({type(e).__name__}).") from e
    sheets = []
    wanted = None if only is None else {sheet_key(n) for n in only}
    for meta in wb.sheets_metadata:
        if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
            continue
        visible = meta.visible == python_calamine.SheetVisibleEnum.Visible  # str() of Hidden says 'Visible' too
        if wanted is not None and sheet_key(meta.name) not in wanted:
            sheets.append(SourceSheet(meta.name, {}, visible=visible))
            continue
        try:
            rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        except Exception as e:
            raise UnreadableFile(f"{path.name}: lembar '{meta.name}' tidak dapat dibaca ({type(e).__name__}).") from e
        cells = {}
        n_cols = 0
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v != "" and v is not None:
                    cells[(r, c)] = v
                    n_cols = max(n_cols, c + 1)
        sheets.append(SourceSheet(meta.name, cells, visible=visible, n_cols=n_cols))
    source = SourceWorkbook(path, kind, sheets)
    try:
        if kind == "xlsx":
            _xlsx_facts(data, source)
        elif kind == "ods":
            _ods_facts(data, source)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError) as e:
        raise UnreadableFile(f"{path.name}: struktur berkas rusak ({type(e).__name__}).") from e
    return source


# ---------------------------------------------------------------- xlsx

_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
# Excel, LibreOffice, XlsxWriter and openpyxl all write r= first in <c> and <row>.
_FORMULA_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f\b')
_ROW = re.compile(r'<row r="(\d+)"')
_BUILTIN_PERCENT = {9, 10}


def _attrs(text: str) -> dict[str, str]:
    return {k.split(":")[-1]: html.unescape(v) for k, v in _ATTR.findall(text)}


def _relationships(rels: str, folder: str) -> list[dict[str, str]]:
    """The relationships of a part (attributes), each with `path`: its target inside the zip."""
    out = []
    for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
        a = _attrs(m.group(1))
        t = a.get("Target", "")
        a["path"] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(f"{folder}/{t}")
        out.append(a)
    return out


def _col_index(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1


def _is_percent_format(code: str) -> bool:
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
    return "%" in plain


def _xlsx_facts(data: bytes, source: SourceWorkbook) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        wb_xml = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        targets = {a.get("Id"): a["path"] for a in _relationships(rels, "xl")}
        percent_xf: set[int] = set()
        if "xl/styles.xml" in names:
            styles = z.read("xl/styles.xml").decode("utf-8")
            custom = {int(a["numFmtId"]): a.get("formatCode", "")
                      for a in map(_attrs, re.findall(r"<numFmt\b([^>]*)/?>", styles))}
            xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
            if xfs:
                for i, m in enumerate(re.finditer(r"<xf\b([^>]*?)(?:/>|>)", xfs.group(1))):
                    fid = int(_attrs(m.group(1)).get("numFmtId", "0"))
                    if fid in _BUILTIN_PERCENT or (fid in custom and _is_percent_format(custom[fid])):
                        percent_xf.add(i)
        core = z.read("docProps/core.xml").decode("utf-8") if "docProps/core.xml" in names else ""
        m = re.search(r"<dcterms:modified[^>]*>([^<]+)<", core)
        if m:
            try:
                source.saved_at = dt.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
            except ValueError:
                pass
        for m in re.finditer(r"<sheet\b([^>]*)/?>", wb_xml):
            a = _attrs(m.group(1))
            sheet = next((s for s in source.sheets if s.name == a.get("name")), None)
            target = targets.get(a.get("id"))
            if sheet is None or target not in names:
                continue
            sheet.formulas_known = True
            if sheet.cells:  # (a sheet not read, or empty, has no formula or percent to find)
                xml = z.read(target).decode("utf-8")
                _scan_percent(xml, sheet, percent_xf)
                sheet.xml = xml
            rel_name = target.rsplit("/", 1)
            rel_path = f"{rel_name[0]}/_rels/{rel_name[1]}.rels"
            if rel_path in names:
                sheet.lost += _lost_objects(z.read(rel_path).decode("utf-8"), z, rel_name[0])


def _scan_percent(xml: str, sheet: SourceSheet, percent_xf: set[int]) -> None:
    """Record the percent-formatted cells of a sheet's XML (only if such a format exists)."""
    if percent_xf:
        styles = "|".join(str(i) for i in sorted(percent_xf))
        for m in re.finditer(rf'<c r="([A-Z]+)(\d+)"[^>]*?\ss="(?:{styles})"', xml):
            sheet.percent.add((int(m.group(2)) - 1, _col_index(m.group(1))))


_LOST = {
    "drawing": "Grafik atau gambar",
    "comments": "Komentar sel",
    "pivotTable": "Tabel pivot",
    "table": "Tabel Excel (format tabel)",
}


_ANCHOR = re.compile(r"<(?:\w+:)?(?:twoCellAnchor|oneCellAnchor|absoluteAnchor)\b")


def _lost_objects(rels: str, z: zipfile.ZipFile, folder: str) -> list[str]:
    found = []
    for a in _relationships(rels, folder):
        kind = re.search(r"/relationships/(\w+)$", a.get("Type", ""))
        what = _LOST.get(kind.group(1)) if kind else None
        if not what or what in found:
            continue
        if kind.group(1) == "drawing" and not _has_anchor(z, a["path"]):
            continue  # LibreOffice writes an empty drawing part for every sheet
        found.append(what)
    return found


def _has_anchor(z: zipfile.ZipFile, path: str) -> bool:
    """Whether a drawing part holds any chart, picture or shape."""
    try:
        return bool(_ANCHOR.search(z.read(path).decode("utf-8", "replace")))
    except KeyError:
        return False


# ---------------------------------------------------------------- ods

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def _ods_facts(data: bytes, source: SourceWorkbook) -> None:
    t, o = "{%s}" % _NS["table"], "{%s}" % _NS["office"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        content = z.read("content.xml")
    sheet = None
    row = col = 0
    for event, el in ET.iterparse(io.BytesIO(content), events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == t + "table":
                sheet = next((s for s in source.sheets if s.name == el.get(t + "name")), None)
                if sheet is not None:
                    sheet.formulas_known = True
                row = 0
            elif tag == t + "table-row":
                col = 0
            continue
        if tag == t + "table-row":
            row += int(el.get(t + "number-rows-repeated", "1"))
            el.clear()
        elif tag in (t + "table-cell", t + "covered-table-cell"):
            repeat = int(el.get(t + "number-columns-repeated", "1"))
            if sheet is not None and repeat == 1:
                if el.get(o + "value-type") == "percentage":
                    sheet.percent.add((row, col))
                if el.get(t + "formula"):
                    sheet.formulas.add((row, col))
            col += repeat
        elif tag == t + "table":
            sheet = None


def cell_name(row: int, col: int) -> str:
    return f"{col_letter(col)}{row + 1}"
