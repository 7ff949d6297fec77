"""Reading a workbook file: values with python-calamine, plus what values alone lose.

python-calamine reads .xlsx, .xlsm, .xls and .ods fast, but gives neither
number formats nor formulas. Two facts matter here and are read from the
file's XML: which cells are percent-formatted (`79%` typed in Excel is
stored as 0.79) and which cells hold formulas (a typed value where a
formula belongs was overwritten). Old .xls files give neither: their
percent cells are caught by the plausibility check instead.

Limits. A hostile or broken file is refused (`UnreadableFile`, one Bahasa
line) before the work that would exhaust memory or time:

- size on disk: at most 50 MiB for .xlsx/.xlsm/.ods, 30 MiB for .xls (a .xls
  cannot be checked part by part; a 90 MB one took 40 s and 2 GB);
- zip parts, by the sizes their headers declare, before anything is inflated:
  at most 64 MiB per part and 256 MiB for the whole archive, and no part over
  1 MiB compressed more than 200 times (zeros, the stuff of zip bombs,
  compress ~1000 times; worksheet XML 5 to 30 times). A part holding more than
  it declares fails its CRC check when read here and is refused as broken;
- data of every sheet calamine reads: up to row 20,000 and column 200 (GR).
  calamine allocates the whole rectangle up to the last cell holding data (one
  value at XFD1048576 asks for 17 billion cells and aborts the process), so the
  XML is scanned first: every `<c r=...>` holding a value (.xlsx), every
  repeated row and cell holding a value (.ods, whose sheets calamine reads all
  at once). For .xls only the range calamine found can be checked, before it
  becomes Python objects (a .xls sheet spans at most 65,536 x 256 cells: ~1 GB
  at worst). Cells holding only a format do not count (calamine skips
  them), nor does the `<dimension>` element (calamine only sizes a buffer by it,
  capped). The widest contract table (Realisasi) spans 38 columns, the template
  prepares 2,100 budget rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from ..errors import UnreadableFile
from ..rules.formula import col_letter

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

MIB = 1 << 20
MAX_FILE_BYTES = 50 * MIB  # .xlsx, .xlsm, .ods on disk
MAX_XLS_BYTES = 30 * MIB
MAX_PART_BYTES = 64 * MIB  # one zip part, inflated
MAX_ARCHIVE_BYTES = 256 * MIB  # all zip parts, inflated
MAX_RATIO = 200  # inflated / compressed, for parts above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1 * MIB
MAX_ROWS = 20_000  # last row (1-based) that may hold data
MAX_COLUMNS = 200  # last column (1-based) that may hold data: GR


@dataclass
class SourceSheet:
    name: str
    rows: dict[int, dict[int, object]]  # non-empty cells by 0-based row, then column, both ascending
    percent: set[tuple[int, int]] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # .ods, a Filling: the cells holding a formula
    formulas_known: bool = False  # False for .xls: a value may or may not come from a formula
    lost: list[str] = field(default_factory=list)  # objects that cannot be carried (charts...)
    visible: bool = True
    n_cols: int = 0
    xml: str | None = field(default=None, repr=False)  # xlsx: the sheet's XML, searched for typed-over cells
    xml_prefix: str = ""  # the namespace prefix of its elements (`x:` from the .NET OpenXML SDK), if any

    @functools.cached_property
    def cells(self) -> dict[tuple[int, int], object]:
        """The non-empty cells by 0-based (row, col), row by row (made when first asked for:
        the tables are read row by row)."""
        return {(r, c): v for r, row in self.rows.items() for c, v in row.items()}

    def typed_cells(self, cols: Collection[int]) -> set[tuple[int, int]]:
        """The cells of columns `cols` holding a value no formula gave: typed over a
        formula, or, in a .xls (whose formulas cannot be told), every value there."""
        if not cols:
            return set()
        if self.xml is not None:
            return _typed_in_xml(self.xml, self.xml_prefix, cols)
        return {(r, c) for r, row in self.rows.items() for c in row
                if c in cols and not (self.formulas_known and (r, c) in self.formulas)}


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


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = tuple(n.encode("utf-16-le") + b"\0\0" for n in ("EncryptedPackage", "EncryptionInfo"))


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
        except (zipfile.BadZipFile, zlib.error):
            return "zip-rusak"
        return "zip"
    if data[:8] == _OLE_MAGIC:
        return "terenkripsi" if _ole_encrypted(data) else "xls"
    return None


def _ole_encrypted(data: bytes) -> bool:
    """Whether an OLE compound file names a stream of a password-protected Office
    file. The names sit in the file's directory, which may be anywhere (past 8 MB
    in a large file), so all of it is searched: its size is bounded. A .xls stores
    cell text once per string, never as these null-terminated UTF-16 names."""
    return any(name in data for name in _ENCRYPTED_STREAMS)


def read_source(path: str | Path, *, only: set[str] | None = None) -> SourceWorkbook:
    """Read a workbook file. Raises UnreadableFile with the reason in Bahasa.

    `only` names the sheets whose cells are read; the others are listed, empty
    (a merge writes nothing back, so the staff's own sheets do not matter).
    """
    path = Path(path)
    data = _read_file(path)
    kind = _workbook_kind(path.name, path.suffix, data)
    wanted = None if only is None else {sheet_key(n) for n in only}
    if kind == "xls":
        return SourceWorkbook(path, kind, _read_sheets(path.name, data, wanted, checked=None))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            _check_parts(z, path.name)
            if kind == "xlsx":
                parts = _xlsx_sheet_parts(z)
                xml = _xlsx_sheet_xml(z, path.name, parts, wanted)
                _verify_parts(z, path.name, skip={target for _name, target in parts})
            else:
                content = z.read("content.xml")
                ods = _ods_tables(content)
                for name, table in ods.items():
                    _refuse_far_cell(path.name, name, table.far)
                _verify_parts(z, path.name, skip={"content.xml"})
            checked = set(xml) if kind == "xlsx" else set(ods)
            source = SourceWorkbook(path, kind, _read_sheets(path.name, data, wanted, checked))
            if kind == "xlsx":
                _xlsx_facts(z, source, parts, xml)
            else:
                _ods_facts(source, ods)
    # (SyntaxError: xml.etree's ParseError, from an .ods content.xml)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, SyntaxError, ValueError) as e:
        raise UnreadableFile(f"{path.name}: struktur berkas rusak (ada bagian di dalamnya yang tidak utuh). Buka "
                             "di Excel atau LibreOffice lalu simpan ulang, atau minta kiriman berkas yang baru.") from e
    return source


def _read_file(path: Path) -> bytes:
    """The bytes of a file no larger than MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.is_file():
            raise _too_large(path.name, size, MAX_FILE_BYTES)
        return path.read_bytes()
    except FileNotFoundError as e:
        raise UnreadableFile(f"{path.name}: berkas tidak ditemukan.") from e
    except IsADirectoryError as e:
        raise UnreadableFile(f"{path.name}: ini folder, bukan berkas.") from e
    except PermissionError as e:
        raise UnreadableFile(f"{path.name}: tidak ada izin membaca berkas ini.") from e
    except OSError as e:
        raise UnreadableFile(f"{path.name}: berkas tidak dapat dibuka.") from e


def _workbook_kind(file: str, suffix: str, data: bytes) -> str:
    """xlsx, ods or xls; any other content is refused with the reason."""
    kind = sniff(data)
    if kind == "terenkripsi":
        raise UnreadableFile(f"{file}: berkas dikunci dengan kata sandi. Buka di Excel, hapus kata sandinya "
                             "(File > Info > Protect Workbook), simpan, lalu ulangi.")
    if kind in ("zip-rusak",) or (kind is None and suffix.lower() in WORKBOOK_SUFFIXES):
        raise UnreadableFile(f"{file}: berkas rusak atau bukan buku kerja Excel/LibreOffice. Buka dan simpan "
                             "ulang di Excel, atau minta kiriman berkas yang baru.")
    if kind in ("docx", "zip", None):
        raise UnreadableFile(f"{file}: bukan buku kerja (.xlsx, .xlsm, .xls atau .ods).")
    if kind == "xls" and len(data) > MAX_XLS_BYTES:
        raise _too_large(file, len(data), MAX_XLS_BYTES, " Buka di Excel dan simpan sebagai .xlsx (lebih ringkas), "
                                                         "lalu ulangi dengan berkas .xlsx itu.")
    return kind


def _mb(n: int) -> str:
    return f"{n / MIB:.1f}".replace(".", ",") + " MB"


def _too_large(file: str, size: int, limit: int, advice: str = "") -> UnreadableFile:
    return UnreadableFile(
        f"{file}: berkas terlalu besar ({_mb(size)}; batas {limit // MIB} MB)."
        + (advice or " Hapus lembar, gambar atau baris yang tidak diperlukan, simpan, lalu ulangi.")
    )


_BOMB = ("berkas ini tidak wajar untuk laporan LKjIP, mungkin rusak atau sengaja dibuat berbahaya (bom zip). "
         "Jangan buka berkas ini; minta kiriman berkas yang baru.")


def _check_parts(z: zipfile.ZipFile, file: str) -> None:
    """Refuse an archive whose parts declare more than the limits, before inflating any."""
    infos = z.infolist()
    for i in infos:
        if i.file_size > MAX_PART_BYTES:
            raise UnreadableFile(f"{file}: bagian '{i.filename}' berukuran {_mb(i.file_size)} bila dibuka (batas "
                                 f"{MAX_PART_BYTES // MIB} MB per bagian): {_BOMB}")
        if i.file_size > RATIO_FLOOR_BYTES and i.file_size > MAX_RATIO * i.compress_size:
            raise UnreadableFile(f"{file}: bagian '{i.filename}' dimampatkan {i.file_size // max(i.compress_size, 1)} "
                                 f"kali (batas {MAX_RATIO} kali): {_BOMB}")
    total = sum(i.file_size for i in infos)
    if total > MAX_ARCHIVE_BYTES:
        raise UnreadableFile(f"{file}: isi berkas berukuran {_mb(total)} bila dibuka (batas "
                             f"{MAX_ARCHIVE_BYTES // MIB} MB): {_BOMB}")


def _verify_parts(z: zipfile.ZipFile, file: str, skip: set[str]) -> None:
    """Inflate every part but `skip` in small pieces, so one that holds more than its
    header declares fails its CRC check here, not in calamine (which would inflate
    all of it)."""
    for info in z.infolist():
        if info.filename in skip or info.is_dir():
            continue
        try:
            with z.open(info) as part:
                while part.read(MIB):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise UnreadableFile(f"{file}: bagian '{info.filename}' di dalam berkas rusak (isinya tidak sesuai "
                                 "dengan ukuran yang tercatat). Buka di Excel atau LibreOffice lalu simpan ulang, "
                                 "atau minta kiriman berkas yang baru.") from e


def _refuse_far_cell(file: str, sheet: str, cell: str | None, found: str = "berisi isian di sel") -> None:
    """Refuse a sheet with data at `cell` (A1), beyond MAX_ROWS or MAX_COLUMNS; None: nothing there."""
    if cell is not None:
        rows = f"{MAX_ROWS:,}".replace(",", ".")
        raise UnreadableFile(
            f"{file}: lembar '{sheet}' {found} {cell}, jauh di luar tabel (sakip-xl membaca sampai baris {rows} "
            f"dan kolom {col_letter(MAX_COLUMNS - 1)}). Hapus isian di luar tabel (Ctrl+End menunjukkan sel terakhir "
            "yang terpakai), simpan, lalu ulangi."
        )


def _beyond(row: int, col: int) -> bool:
    """Whether a 0-based cell lies outside the rows and columns a sheet may use."""
    return row >= MAX_ROWS or col >= MAX_COLUMNS


def _read_sheets(file: str, data: bytes, wanted: set[str] | None, checked: set[str] | None) -> list[SourceSheet]:
    """The sheets as calamine reads them; those not `wanted` listed without cells.

    `checked`: the sheets whose data was found within bounds in the XML; calamine
    reads no other. None (.xls): the range calamine found is checked instead."""
    try:
        wb = python_calamine.load_workbook(io.BytesIO(data))
    except python_calamine.PasswordError as e:
        raise UnreadableFile(f"{file}: berkas dikunci dengan kata sandi.") from e
    except Exception as e:  # calamine raises several error types for broken content
        raise UnreadableFile(f"{file}: isi berkas rusak dan tidak dapat dibaca. Buka di Excel atau LibreOffice lalu "
                             "simpan ulang, atau minta kiriman berkas yang baru.") from e
    seen: set[str] = set()
    for meta in wb.sheets_metadata:  # Excel refuses two sheets of one name; a broken file may hold them
        if meta.name.casefold() in seen:
            raise UnreadableFile(f"{file}: berkas rusak: ada dua lembar bernama '{meta.name}', yang tidak diizinkan "
                                 "Excel. Buka di LibreOffice, ganti nama salah satunya, simpan, lalu ulangi.")
        seen.add(meta.name.casefold())
    sheets = []
    for meta in wb.sheets_metadata:
        if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
            continue
        visible = meta.visible == python_calamine.SheetVisibleEnum.Visible  # str() of Hidden says 'Visible' too
        if wanted is not None and sheet_key(meta.name) not in wanted:
            sheets.append(SourceSheet(meta.name, {}, visible=visible))
            continue
        if checked is not None and meta.name not in checked:
            raise UnreadableFile(f"{file}: lembar '{meta.name}' tidak dapat dibaca: bagiannya di dalam berkas tidak "
                                 "ditemukan. Buka di Excel atau LibreOffice lalu simpan ulang, atau minta kiriman "
                                 "berkas yang baru.")
        try:
            sheet = wb.get_sheet_by_name(meta.name)
        except Exception as e:
            raise UnreadableFile(f"{file}: lembar '{meta.name}' tidak dapat dibaca: isinya rusak. Buka berkas di "
                                 "Excel atau LibreOffice, periksa lembar itu, simpan ulang, lalu ulangi.") from e
        if sheet.end is not None and _beyond(*sheet.end):  # .xls: the XML was not scanned
            _refuse_far_cell(file, meta.name, cell_name(*sheet.end), "terpakai sampai sel")
        rows, n_cols = _rows(sheet.to_python(skip_empty_area=False))
        sheets.append(SourceSheet(meta.name, rows, visible=visible, n_cols=n_cols))
    return sheets


def _rows(rows: Sequence[Sequence[object]]) -> tuple[dict[int, dict[int, object]], int]:
    """The non-empty cells of a sheet's rows, {row: {col: value}} 0-based, and the
    number of columns up to the last one holding data. Hot: every cell of every sheet
    read passes here, so an empty row is skipped in one call and a truthy value (most
    are) is kept without comparing it to "" (a float compared to a str is slow)."""
    out: dict[int, dict[int, object]] = {}
    n_cols = 0
    for r, row in enumerate(rows):
        if row.count("") == len(row):
            continue
        kept = {c: v for c, v in enumerate(row) if v or (v is not None and v != "")}
        if kept:
            out[r] = kept
            last = next(reversed(kept)) + 1  # (kept in column order)
            if last > n_cols:
                n_cols = last
    return out, n_cols


# ---------------------------------------------------------------- xlsx

_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
# Excel, LibreOffice, XlsxWriter, openpyxl and the .NET OpenXML SDK all write r= first in
# <c> and <row>; the SDK writes its elements with a prefix (`<x:c r=...>`).
_ROOT_PREFIX = re.compile(r"\s*(?:<\?xml[^>]*\?>\s*)?<(\w+:)?\w")
# A cell that holds something (not `<c .../>`, a format only), r= anywhere, any namespace prefix.
_FILLED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]+)(\d+)"[^>]*(?<!/)>')
# A cell reference beyond column GR (200) or row 20,000 (MAX_COLUMNS, MAX_ROWS): three
# letters, two letters after GR, or a row of six digits or of five above 20000.
_FAR_REFERENCE = rb'(?:[A-Z]{3,}\d+|(?:[H-Z][A-Z]|G[S-Z])\d+|[A-Z]{1,2}(?:[1-9]\d{5,}|[3-9]\d{4}|2(?!0000")\d{4}))'
_FAR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="(' + _FAR_REFERENCE + rb')"[^>]*(?<!/)>')
# Part of every `_FAR_CELL` match; its literal start makes the search about 4 times faster.
_FAR_HINT = re.compile(rb'r="' + _FAR_REFERENCE + rb'"')
_BUILTIN_PERCENT = {9, 10}


@functools.lru_cache(maxsize=32)
def _typed_patterns(prefix: str, cols: tuple[int, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The <row> elements of a sheet whose elements carry `prefix`, and the references to
    a cell of the given columns whose first child is a value (`<v>`, `<is>`), not a formula
    (`<f>`; an empty `<c/>` has no child, and `<v>` occurs only in `<c>`). The reference's
    literal start makes the search fast (about twice as fast as from `<c`); `_typed_in_xml`
    checks that a `<c>` element carries it."""
    p, letters = re.escape(prefix), "|".join(col_letter(c) for c in cols)
    return (re.compile(rf'<{p}row r="(\d+)"'),
            re.compile(rf'r="({letters})(\d+)"[^>]*>\s*<{p}(?:v|is)\b'))


def _typed_in_xml(xml: str, prefix: str, cols: Collection[int]) -> set[tuple[int, int]]:
    """`SourceSheet.typed_cells` of a sheet's XML, r= first (as every application writes
    it) or anywhere. A row given by more than one `<row>` element counts its last one, the
    one calamine keeps."""
    row_element, typed_ref = _typed_patterns(prefix, tuple(sorted(cols)))
    opening = f"<{prefix}c"
    found = []
    for m in typed_ref.finditer(xml):  # (nearly always none)
        at = m.start()
        tag = xml.rfind("<", 0, at)  # the start tag holding the attribute: `<` cannot occur in one
        if xml.startswith(opening, tag) and xml[tag + len(opening)].isspace() and xml[at - 1].isspace():
            found.append((at, int(m.group(2)) - 1, _col_index(m.group(1))))
    if not found:
        return set()
    elements = [(m.start(), int(m.group(1))) for m in row_element.finditer(xml)]
    starts = [start for start, _row in elements]
    last = {row: i for i, (_start, row) in enumerate(elements)}  # each row's last element
    return {(row, col) for at, row, col in found
            if (i := bisect.bisect(starts, at) - 1) < 0 or last[elements[i][1]] == i}  # i: the cell's element


def _xml_prefix(xml: str) -> str:
    """The namespace prefix of a part's root element (`x:`), or ""."""
    m = _ROOT_PREFIX.match(xml)
    return (m.group(1) or "") if m else ""


def _attrs(text: str) -> dict[str, str]:
    return {k.split(":")[-1]: html.unescape(v) for k, v in _ATTR.findall(text)}


def _relationships(rels: str, folder: str) -> list[dict[str, str]]:
    """The relationships of a part (attributes), each with `path`: its target inside the zip."""
    out = []
    for m in re.finditer(r"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
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


def _xlsx_sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, zip path) of every sheet of the workbook whose part exists."""
    names = set(z.namelist())
    wb_xml = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {a.get("Id"): a["path"] for a in _relationships(rels, "xl")}
    parts = []
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", wb_xml):
        a = _attrs(m.group(1))
        target = targets.get(a.get("id"))
        if target in names:
            parts.append((a.get("name", ""), target))
    return parts


def _xlsx_sheet_xml(z: zipfile.ZipFile, file: str, parts: list[tuple[str, str]],
                    wanted: set[str] | None) -> dict[str, bytes]:
    """The XML of every sheet calamine will read, by name, each refused if it has data too far out."""
    xml = {}
    for name, target in parts:
        if wanted is None or sheet_key(name) in wanted:
            xml[name] = z.read(target)
            _refuse_far_cell(file, name, _far_cell(xml[name]))
    return xml


def _far_cell(xml: bytes) -> str | None:
    """The first cell of a sheet's XML holding something beyond MAX_ROWS or MAX_COLUMNS, as A1.

    One regular-expression search finds it: the cell references it matches are
    those `_beyond` refuses (a test holds the two together). A sheet without even a far
    `r="..."` (nearly every one) is cleared by the cheaper `_FAR_HINT` alone.
    """
    if _FAR_HINT.search(xml) is None:
        return None
    m = _FAR_CELL.search(xml)
    return None if m is None else m.group(1).decode()


def _xlsx_facts(z: zipfile.ZipFile, source: SourceWorkbook, parts: list[tuple[str, str]],
                xml: dict[str, bytes]) -> None:
    """Percent formats, formulas, objects that cannot be carried, and when the file was saved."""
    names = set(z.namelist())
    percent_xf: set[int] = set()
    if "xl/styles.xml" in names:
        styles = z.read("xl/styles.xml").decode("utf-8")
        custom = {int(a["numFmtId"]): a.get("formatCode", "")
                  for a in map(_attrs, re.findall(r"<(?:\w+:)?numFmt\b([^>]*)/?>", styles))}
        xfs = re.search(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.S)
        if xfs:
            for i, m in enumerate(re.finditer(r"<(?:\w+:)?xf\b([^>]*?)(?:/>|>)", xfs.group(1))):
                fid = int(_attrs(m.group(1)).get("numFmtId", "0"))
                if fid in _BUILTIN_PERCENT or (fid in custom and _is_percent_format(custom[fid])):
                    percent_xf.add(i)
    core = z.read("docProps/core.xml").decode("utf-8") if "docProps/core.xml" in names else ""
    modified = re.search(r"<dcterms:modified[^>]*>([^<]+)<", core)
    if modified:
        try:
            source.saved_at = dt.datetime.fromisoformat(modified.group(1).replace("Z", "+00:00"))
        except ValueError:
            pass
    for name, target in parts:
        sheet = next((s for s in source.sheets if s.name == name), None)
        if sheet is None:
            continue
        sheet.formulas_known = True
        if sheet.rows:  # (a sheet not read, or empty, has no formula or percent to find)
            text = xml[name].decode("utf-8")
            sheet.xml, sheet.xml_prefix = text, _xml_prefix(text)
            _scan_percent(text, sheet, percent_xf)
        rel_name = target.rsplit("/", 1)
        rel_path = f"{rel_name[0]}/_rels/{rel_name[1]}.rels"
        if rel_path in names:
            sheet.lost += _lost_objects(z.read(rel_path).decode("utf-8"), z, rel_name[0])


def _scan_percent(xml: str, sheet: SourceSheet, percent_xf: set[int]) -> None:
    """Record the percent-formatted cells of a sheet's XML (only if such a format exists);
    r= first (as every application writes it), or anywhere."""
    if percent_xf:
        p, styles = re.escape(sheet.xml_prefix), "|".join(str(i) for i in sorted(percent_xf))
        style = rf's="(?:{styles})"'
        pattern = rf'<{p}c r="([A-Z]+)(\d+)"[^>]*?\s{style}|<{p}c (?!r=)(?=(?:[^>]*?\s)?{style})[^>]*?\sr="([A-Z]+)(\d+)"'
        for l1, d1, l2, d2 in re.findall(pattern, xml):
            sheet.percent.add((int(d1 or d2) - 1, _col_index(l1 or l2)))


_LOST = {
    "drawing": "Grafik atau gambar",
    "comments": "Komentar sel",
    "pivotTable": "Tabel pivot",
    "table": "Tabel Excel (format tabel)",
}


MARK_AUTHOR = "sakip-xl"  # the author of the problem marks recompute writes as cell comments

_ANCHOR = re.compile(r"<(?:\w+:)?(?:twoCellAnchor|oneCellAnchor|absoluteAnchor)\b")


def _lost_objects(rels: str, z: zipfile.ZipFile, folder: str) -> list[str]:
    found = []
    for a in _relationships(rels, folder):
        kind = re.search(r"/relationships/(\w+)$", a.get("Type", ""))
        rel_type = kind.group(1) if kind else ""
        what = _LOST.get(rel_type)
        if not what or what in found:
            continue
        if rel_type == "drawing" and not _has_anchor(z, a["path"]):
            continue  # LibreOffice writes an empty drawing part for every sheet
        if rel_type == "comments" and _only_our_comments(z, a["path"]):
            continue  # the problem marks of a recomputed workbook, written anew on every recompute
        found.append(what)
    return found


def _only_our_comments(z: zipfile.ZipFile, path: str) -> bool:
    """Whether every comment of a comments part is sakip-xl's own problem mark."""
    try:
        authors = set(re.findall(r"<(?:\w+:)?author>([^<]*)</(?:\w+:)?author>",
                                 z.read(path).decode("utf-8", "replace")))
    except KeyError:
        return False
    return authors == {MARK_AUTHOR}


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


@dataclass
class _OdsTable:
    """What content.xml says of one table beyond its values."""

    percent: set[tuple[int, int]] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    far: str | None = None  # the first cell holding something beyond MAX_ROWS or MAX_COLUMNS, as A1


def _ods_tables(content: bytes) -> dict[str, _OdsTable]:
    """Every table of content.xml by name: percent and formula cells, and any data too
    far out (a row or cell holding a value may be repeated a million times)."""
    from xml.etree import ElementTree as ET  # .ods only: not imported for every command

    t, o = "{%s}" % _NS["table"], "{%s}" % _NS["office"]
    tables: dict[str, _OdsTable] = {}
    table = _OdsTable()
    row = col = 0
    rows_repeated = 1
    for event, el in ET.iterparse(io.BytesIO(content), events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == t + "table":
                table = tables.setdefault(el.get(t + "name", ""), _OdsTable())
                row = 0
            elif tag == t + "table-row":
                col = 0
                rows_repeated = int(el.get(t + "number-rows-repeated", "1"))
            continue
        if tag == t + "table-row":
            row += rows_repeated
            el.clear()
        elif tag in (t + "table-cell", t + "covered-table-cell"):
            repeat = int(el.get(t + "number-columns-repeated", "1"))
            filled = el.get(o + "value-type") is not None or len(el) > 0
            if filled and table.far is None and _beyond(row + rows_repeated - 1, col + repeat - 1):
                table.far = cell_name(_first_beyond(row, rows_repeated, MAX_ROWS),
                                      _first_beyond(col, repeat, MAX_COLUMNS))
            if repeat == 1:
                if el.get(o + "value-type") == "percentage":
                    table.percent.add((row, col))
                if el.get(t + "formula"):
                    table.formulas.add((row, col))
            col += repeat
    return tables


def _first_beyond(start: int, count: int, limit: int) -> int:
    """The first of `count` indices from `start` at or past `limit`; `start` when none is."""
    return max(start, limit) if start + count > limit else start


def _ods_facts(source: SourceWorkbook, tables: dict[str, _OdsTable]) -> None:
    for sheet in source.sheets:
        table = tables.get(sheet.name)
        if table is not None:
            sheet.formulas_known = True
            sheet.percent, sheet.formulas = table.percent, table.formulas


def cell_name(row: int, col: int) -> str:
    return f"{col_letter(col)}{row + 1}"


_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")


def cell_position(a1: str | None) -> tuple[int, int] | None:
    """The 0-based (row, col) of an A1 address, the inverse of `cell_name`; None if it is none."""
    m = _A1.match(a1 or "")
    return None if m is None else (int(m.group(2)) - 1, _col_index(m.group(1)))
