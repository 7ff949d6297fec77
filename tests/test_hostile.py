"""Hostile and broken files: refused within bounds, numbers that cannot be computed,
sheet names Excel refuses.

Hostile workbooks are the bundled example (paths.KALIANGET) with zip members
rewritten. Every one that could exhaust memory is read by `sakip-xl` in a child
process limited to 1.5 GiB of address space and 60 s, so a regression fails the
test instead of taking the machine down (calamine aborts the process, or takes
gigabytes, when asked for a huge range). Expected messages are written out by
hand from the limits in sakip_xl/reader.py.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import IO, Callable

import openpyxl
import pytest
from click.testing import CliRunner

from paths import KALIANGET
from test_checks import clean_filling, row, write
from sakip_xl.cli import main
from sakip_xl.model.contract import load_contract
from sakip_xl.rules.formula import NUM, VALUE, cat, compile_expr, excel_round, fn, lit, number_to_text, top_value
from sakip_xl.read.source import MAX_COLUMNS, MAX_ROWS, sniff
from sakip_xl.checks.report import format_number
from sakip_xl.model.workbook import check_workbook
from sakip_xl.commands.recompute import recompute

resource = pytest.importorskip("resource")  # the memory limit needs RLIMIT_AS (Linux, macOS)

MEMORY_LIMIT = 1536 << 20
SECONDS = 60
MIB = 1 << 20
SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# ---------------------------------------------------------------- building hostile files

Part = bytes | Callable[[IO[bytes]], None]  # a member's content, or a function writing it in pieces


def example_with(tmp_path: Path, name: str, parts: dict[str, Part]) -> Path:
    """The bundled example with `parts` replacing or adding zip members."""
    out = tmp_path / name
    with zipfile.ZipFile(KALIANGET) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info, src.read(info))
        for member, part in parts.items():
            if callable(part):
                with dst.open(member, "w") as fh:
                    part(fh)
            else:
                dst.writestr(member, part)
    return out


def example_part(member: str) -> bytes:
    with zipfile.ZipFile(KALIANGET) as z:
        return z.read(member)


# The example's sheets: sheet6.xml is Realisasi, sheet7.xml Anggaran (xl/workbook.xml).
REALISASI, ANGGARAN = "xl/worksheets/sheet6.xml", "xl/worksheets/sheet7.xml"


def with_row(member: str, r: int, cells: str) -> dict[str, Part]:
    """The example sheet `member` with one more row `r` (1-based) holding `cells` (XML)."""
    xml = example_part(member).replace(b"</sheetData>", f'<row r="{r}">{cells}</row></sheetData>'.encode())
    return {member: xml}


def with_staff_sheets(sheets: dict[str, str]) -> dict[str, Part]:
    """The example with sheets of the staff's own added after Anggaran: name -> rows (XML)."""
    workbook = example_part("xl/workbook.xml").decode()
    rels = example_part("xl/_rels/workbook.xml.rels").decode()
    types = example_part("[Content_Types].xml").decode()
    parts: dict[str, Part] = {}
    for n, (name, rows) in enumerate(sheets.items(), start=8):  # the example has sheet1..sheet7, rId1..rId10
        escaped = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        workbook = workbook.replace("</sheets>", f'<sheet name="{escaped}" sheetId="{n}" r:id="rId{n}9"/></sheets>')
        rels = rels.replace("</Relationships>", f'<Relationship Id="rId{n}9" Type="http://schemas.openxmlformats.org/'
                            f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                            "</Relationships>")
        types = types.replace("</Types>", f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        parts[f"xl/worksheets/sheet{n}.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET}">'
                                                f"<sheetData>{rows}</sheetData></worksheet>").encode()
    return parts | {"xl/workbook.xml": workbook.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                    "[Content_Types].xml": types.encode()}


def declare(path: Path, member: str, size: int, compressed: int | None = None) -> Path:
    """Make the local and central headers of `member` declare `size` bytes inflated (and
    `compressed` bytes compressed), whatever the member holds."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        fields = [z.getinfo(member).header_offset + 18]  # local header: compressed, then inflated size
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:  # central directory entries: sizes at 20, name length at 28, name at 46
        if data[at + 46 : at + 46 + int.from_bytes(data[at + 28 : at + 30], "little")] == name:
            fields.append(at + 20)
        at = data.find(b"PK\x01\x02", at + 4)
    for f in fields:
        if compressed is not None:
            data[f : f + 4] = compressed.to_bytes(4, "little")
        data[f + 4 : f + 8] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def repeated(chunk: bytes, total: int) -> Callable[[IO[bytes]], None]:
    """A writer of `total` bytes made of `chunk` (its length must divide `total`)."""

    def write_to(fh: IO[bytes]) -> None:
        for _ in range(total // len(chunk)):
            fh.write(chunk)

    return write_to


def ods(tmp_path: Path, tables: str) -> Path:
    """A minimal .ods whose content.xml body holds `tables` (XML)."""
    path = tmp_path / "kantor.ods"
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                   'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                   'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')  # calamine needs it
    return path


def sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of `size` bytes starting with `head`, the rest zeros (sparse on disk)."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def bounded_python(code: str, *args: str) -> subprocess.CompletedProcess:
    """`python -c CODE ARGS` in a child process with 1.5 GiB of address space and 60 s."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=SECONDS,
                          preexec_fn=_limit_memory)


def bounded(*args: str) -> subprocess.CompletedProcess:
    """`sakip-xl ARGS`, bounded as above."""
    return bounded_python("import sys; from sakip_xl.cli import main; main(sys.argv[1:])", *args)


def refused(path: Path, reason: str, tmp_path: Path) -> None:
    """Both commands refuse `path` with exit 2 and the one-line `reason`, and write nothing."""
    checked = bounded("check", str(path))
    assert (checked.returncode, checked.stderr) == (2, ""), checked.stderr[-2000:]
    assert checked.stdout.splitlines()[:2] == [f"== {path}", f"   GAGAL DIBACA: {reason}"]
    out = tmp_path / "hasil.xlsx"
    recomputed = bounded("recompute", str(path), "-o", str(out))
    assert (recomputed.returncode, recomputed.stderr) == (2, f"Galat: {reason}\n")
    assert not out.exists()


FAR = ("jauh di luar tabel (sakip-xl membaca sampai baris 20.000 dan kolom GR). Hapus isian di luar tabel (Ctrl+End "
       "menunjukkan sel terakhir yang terpakai), simpan, lalu ulangi.")
BOMB = ("berkas ini tidak wajar untuk laporan LKjIP, mungkin rusak atau sengaja dibuat berbahaya (bom zip). Jangan "
        "buka berkas ini; minta kiriman berkas yang baru.")


# ---------------------------------------------------------------- the limits


def test_limits_leave_room_beyond_the_contract():
    contract = load_contract()
    widest = max(t.first_column - 1 + len(t.columns) for t in contract.tables)
    assert widest == 38  # Realisasi: A..AL
    assert MAX_COLUMNS - widest > 150  # Target Renstra years and the staff's own columns
    header = contract.header_row
    assert header + contract.capacities["budget_rows"] == 403  # the template's last prepared budget row
    assert MAX_ROWS > 9 * 2103  # templates up to 1.1.0 prepared 2,100 budget rows: their files still read


# ---------------------------------------------------------------- cells far outside the tables


@pytest.mark.parametrize(
    ("member", "sheet", "r", "cell"),
    [
        (REALISASI, "Realisasi", 1048576, '<c r="XFD1048576"><v>1</v></c>'),  # calamine: 17 billion cells, abort
        (REALISASI, "Realisasi", 5000, '<c r="XFD5000" t="inlineStr"><is><t>x</t></is></c>'),  # 3.2 GB
        (ANGGARAN, "Anggaran", 1048576, '<c r="A1048576"><v>1</v></c>'),  # a million budget rows: 52 s
        (ANGGARAN, "Anggaran", 20001, '<x:c s="3" r="GS20001"><x:v>1</x:v></x:c>'),  # prefixed, r= not first
    ],
    ids=["XFD1048576", "text-XFD5000", "A1048576", "prefixed-GS20001"],
)
def test_data_far_outside_the_tables_is_refused_before_calamine_reads_it(tmp_path, member, sheet, r, cell):
    path = example_with(tmp_path, "laporan.xlsx", with_row(member, r, cell))
    a1 = cell.split('r="')[1].split('"')[0]
    refused(path, f"laporan.xlsx: lembar '{sheet}' berisi isian di sel {a1}, {FAR}", tmp_path)


def test_data_at_the_last_allowed_cell_is_read(tmp_path):
    path = example_with(tmp_path, "laporan.xlsx", with_row(ANGGARAN, 20000, '<c r="GR20000"><v>7</v></c>'))
    run = bounded_python(f"from sakip_xl.read.source import read_source; s = read_source({str(path)!r}); "
                         "print(s.sheet('Anggaran').cells[(19999, 199)])")
    assert (run.returncode, run.stdout) == (0, "7.0\n"), run.stderr[-2000:]


def test_format_only_far_cells_and_a_lying_dimension_are_read(tmp_path):
    """calamine skips cells without a value and only sizes a buffer by <dimension>, capped."""
    xml = example_part(REALISASI).replace(b'<dimension ref="A1:AL253"/>', b'<dimension ref="A1:XFD1048576"/>')
    xml = xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="3"/></row></sheetData>')
    path = example_with(tmp_path, "laporan.xlsx", {REALISASI: xml})
    run = bounded_python(f"from sakip_xl.read.source import read_source; a, b = (read_source(p).sheet('Realisasi') "
                         f"for p in ({str(path)!r}, {str(KALIANGET)!r})); print(a.cells == b.cells, a.n_cols)")
    assert (run.returncode, run.stdout) == (0, "True 38\n"), run.stderr[-2000:]  # A..AL, as in the example


def test_a_sheet_not_needed_in_light_mode_is_not_read(tmp_path):
    parts = with_staff_sheets({"Catatan": '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'})
    path = example_with(tmp_path, "laporan.xlsx", parts)
    run = bounded_python(f"from sakip_xl.model.workbook import check_workbook; "
                         f"c = check_workbook({str(path)!r}, light=True); print(c.data.source.sheet('Catatan').cells)")
    assert (run.returncode, run.stdout) == (0, "{}\n"), run.stderr[-2000:]
    refused(path, f"laporan.xlsx: lembar 'Catatan' berisi isian di sel XFD1048576, {FAR}", tmp_path)


@pytest.mark.parametrize(
    ("row_xml", "cell"),
    [
        # one budget row with a value, repeated to the last row: calamine materialises each
        ('<table:table-row table:number-rows-repeated="1048570"><table:table-cell office:value-type="float" '
         'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>', "A20001"),
        # one value repeated across 16,000 columns of row 2
        ('<table:table-row><table:table-cell/></table:table-row><table:table-row><table:table-cell '
         'table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p></table:table-cell>'
         "</table:table-row>", "GS2"),
    ],
    ids=["rows-repeated", "columns-repeated"],
)
def test_ods_data_repeated_far_out_is_refused(tmp_path, row_xml, cell):
    path = ods(tmp_path, f'<table:table table:name="Anggaran">{row_xml}</table:table>')
    refused(path, f"kantor.ods: lembar 'Anggaran' berisi isian di sel {cell}, {FAR}", tmp_path)


def test_ods_whose_content_is_not_well_formed_is_refused_as_broken(tmp_path):
    """content.xml cut off inside a row: xml.etree's ParseError becomes the broken-file reason."""
    path = ods(tmp_path, '<table:table table:name="Anggaran"><table:table-row><table:table-cell>')
    refused(path, "kantor.ods: struktur berkas rusak (ada bagian di dalamnya yang tidak utuh). Buka di Excel atau "
                  "LibreOffice lalu simpan ulang, atau minta kiriman berkas yang baru.", tmp_path)


def test_ods_empty_rows_repeated_to_the_end_are_no_data(tmp_path):
    """LibreOffice ends every sheet so: a million rows of empty cells."""
    path = ods(tmp_path, '<table:table table:name="Catatan"><table:table-row><table:table-cell office:value-type='
                         '"string"><text:p>isi</text:p></table:table-cell></table:table-row><table:table-row '
                         'table:number-rows-repeated="1048575"><table:table-cell '
                         'table:number-columns-repeated="16384"/></table:table-row></table:table>')
    run = bounded_python(f"from sakip_xl.read.source import read_source; print(read_source({str(path)!r}).sheets[0].cells)")
    assert (run.returncode, run.stdout) == (0, "{(0, 0): 'isi'}\n"), run.stderr[-2000:]


# ---------------------------------------------------------------- zip bombs and oversized files


def test_part_declaring_4_gib_is_refused_before_inflating(tmp_path):
    path = declare(example_with(tmp_path, "laporan.xlsx", {}), REALISASI, (4 << 30) - 1)
    refused(path, f"laporan.xlsx: bagian '{REALISASI}' berukuran 4096,0 MB bila dibuka (batas 64 MB per bagian): "
                  f"{BOMB}", tmp_path)


def test_sheet_of_100_mib_of_zeros_is_refused(tmp_path):
    path = example_with(tmp_path, "laporan.xlsx", {REALISASI: repeated(b"\0" * MIB, 100 * MIB)})
    assert path.stat().st_size < 2 * MIB  # what arrives by e-mail is small
    refused(path, f"laporan.xlsx: bagian '{REALISASI}' berukuran 100,0 MB bila dibuka (batas 64 MB per bagian): "
                  f"{BOMB}", tmp_path)


def test_part_compressed_beyond_the_ratio_is_refused(tmp_path):
    path = example_with(tmp_path, "laporan.xlsx", {REALISASI: repeated(b"\0" * MIB, 8 * MIB)})
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(REALISASI)
    ratio = info.file_size // info.compress_size  # zeros deflate about 1000 times
    assert ratio > 200
    refused(path, f"laporan.xlsx: bagian '{REALISASI}' dimampatkan {ratio} kali (batas 200 kali): {BOMB}", tmp_path)


def test_huge_shared_strings_are_refused(tmp_path):
    strings = repeated(b"<si><t>Penyusunan Dokumen Perencanaan</t></si>" * 1000, 48 * 1_500_000)  # 68,7 MB
    path = example_with(tmp_path, "laporan.xlsx", {"xl/sharedStrings.xml": strings})
    refused(path, "laporan.xlsx: bagian 'xl/sharedStrings.xml' berukuran 68,7 MB bila dibuka (batas 64 MB per "
                  f"bagian): {BOMB}", tmp_path)


def test_parts_together_beyond_the_archive_limit_are_refused(tmp_path):
    extra = {f"xl/media/image{i}.png": b"x" for i in range(1, 6)}
    path = example_with(tmp_path, "laporan.xlsx", extra)
    for member in extra:  # each declares 60 MiB deflated to 1 MiB: no bomb alone, 300 MiB together
        declare(path, member, 60 * MIB, MIB)
    with zipfile.ZipFile(KALIANGET) as z:
        total = 300 * MIB + sum(i.file_size for i in z.infolist())  # the example inflates to 3,8 MB
    mb = f"{total / MIB:.1f}".replace(".", ",")
    refused(path, f"laporan.xlsx: isi berkas berukuran {mb} MB bila dibuka (batas 256 MB): {BOMB}", tmp_path)


def test_part_holding_more_than_it_declares_is_refused_as_broken(tmp_path):
    """Python's zipfile stops at the declared size and fails the CRC; calamine would inflate it all."""
    strings = repeated(b"<si><t>x</t></si>" * 1024, 4 * MIB)
    path = example_with(tmp_path, "laporan.xlsx", {"xl/sharedStrings.xml": strings})
    declare(path, "xl/sharedStrings.xml", 1024)
    refused(path, "laporan.xlsx: bagian 'xl/sharedStrings.xml' di dalam berkas rusak (isinya tidak sesuai dengan "
                  "ukuran yang tercatat). Buka di Excel atau LibreOffice lalu simpan ulang, atau minta kiriman berkas "
                  "yang baru.", tmp_path)


def test_big_xls_is_refused_by_its_size_before_parsing(tmp_path):
    path = sparse(tmp_path / "laporan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 31 * MIB)
    refused(path, "laporan.xls: berkas terlalu besar (31,0 MB; batas 30 MB). Buka di Excel dan simpan sebagai .xlsx "
                  "(lebih ringkas), lalu ulangi dengan berkas .xlsx itu.", tmp_path)


def test_file_beyond_50_mib_is_refused_before_it_is_read(tmp_path):
    path = sparse(tmp_path / "laporan.xlsx", b"PK\x03\x04", 51 * MIB)
    refused(path, "laporan.xlsx: berkas terlalu besar (51,0 MB; batas 50 MB). Hapus lembar, gambar atau baris yang "
                  "tidak diperlukan, simpan, lalu ulangi.", tmp_path)


# ---------------------------------------------------------------- encrypted files


def ole_with_directory_at(offset: int, names: tuple[str, ...]) -> bytes:
    """An OLE2 compound file whose directory sector (128-byte entries) starts at `offset`."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"  # version 3, little-endian, 512-byte sectors
    directory = bytearray()
    for name in names:
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if name == "Root Entry" else 2
        directory += entry
    return bytes(header) + bytes(offset - 512) + bytes(directory) + bytes(512 - len(directory))


def test_encrypted_workbook_with_its_directory_past_8_mb_is_called_encrypted(tmp_path):
    offset = 512 * (1 + 9 * 2048)  # sector 18432: 9 MiB + 512 bytes in
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(ole_with_directory_at(offset, ("Root Entry", "EncryptionInfo", "EncryptedPackage")))
    refused(path, "laporan.xlsx: berkas dikunci dengan kata sandi. Buka di Excel, hapus kata sandinya (File > Info > "
                  "Protect Workbook), simpan, lalu ulangi.", tmp_path)


def test_compound_file_without_the_encryption_streams_is_an_xls():
    assert sniff(ole_with_directory_at(1024, ("Root Entry", "Workbook"))) == "xls"
    assert sniff(ole_with_directory_at(1024, ("Root Entry", "EncryptedPackage"))) == "terenkripsi"
    assert sniff(ole_with_directory_at(1024, ("Root Entry", "EncryptionInfoX"))) == "xls"  # another stream's name


# ---------------------------------------------------------------- plain reasons


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        ({REALISASI: b"<worksheet><sheetData><row r="}, "laporan.xlsx: lembar 'Realisasi' tidak dapat dibaca: isinya "
         "rusak. Buka berkas di Excel atau LibreOffice, periksa lembar itu, simpan ulang, lalu ulangi."),
        ({"xl/workbook.xml": b"<workbook><sheets><sheet name="}, "laporan.xlsx: isi berkas rusak dan tidak dapat "
         "dibaca. Buka di Excel atau LibreOffice lalu simpan ulang, atau minta kiriman berkas yang baru."),
    ],
    ids=["sheet", "workbook-xml"],
)
def test_refusals_give_plain_reasons_without_exception_names(tmp_path, parts, reason):
    path = example_with(tmp_path, "laporan.xlsx", parts)
    refused(path, reason, tmp_path)


# ---------------------------------------------------------------- numbers no spreadsheet computes


def with_value_xml(tmp_path: Path, marker: float, text: str) -> Path:
    """A clean workbook whose Realisasi of indicator 1 (I4) is stored as `<v>text</v>`:
    inf and NaN cannot be typed in Excel, but a file can hold them."""
    f = clean_filling()
    row(f, "realisasi", "1")["Realisasi"] = marker
    path = write(tmp_path, f)
    tagged = tmp_path / "lkjip-v.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tagged, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info).replace(f"<v>{marker:g}</v>".encode(), f"<v>{text}</v>".encode()))
    return tagged


def filled(tmp_path: Path, changes: list[tuple[str, str, str, object]]) -> Path:
    f = clean_filling()
    for table, kode, label, value in changes:
        row(f, table, kode)[label] = value
    return write(tmp_path, f)


def found(result) -> set[tuple[str, str, str]]:
    data = json.loads(result.output)
    issues = data["files"][0]["issues"] if "files" in data else data["issues"]
    return {(i["code"], i["sheet"], i["cell"]) for i in issues if i["severity"] == "galat"}


@pytest.mark.parametrize(
    ("make", "galat"),
    [
        (lambda p: with_value_xml(p, 424242, "NaN"), ("angka-tidak-wajar", "Realisasi", "I4")),
        (lambda p: with_value_xml(p, 424242, "INF"), ("angka-tidak-wajar", "Realisasi", "I4")),
        (lambda p: filled(p, [("realisasi", "1", "Realisasi", "1e309")]), ("angka-tidak-terbaca", "Realisasi", "I4")),
        (lambda p: filled(p, [("realisasi", "1", "Realisasi", "1" * 401)]), ("angka-tidak-wajar", "Realisasi", "I4")),
        # capaian 1E+20 / 1E-300 x 100 overflows: #NUM!, and the realisasi is implausible for its target
        (lambda p: filled(p, [("pk", "1", "Target", 1e-300), ("realisasi", "1", "Realisasi", 1e20)]),
         ("realisasi-tidak-wajar", "Realisasi", "I4")),
        # ROUND(1E+30 - 1.790.000, 2) for the sisa; the kegiatan's 3.000.000 is not the sum of 1E+30 and 1.200.000
        (lambda p: filled(p, [("anggaran", "7.01.01.2.01.0001", "Pagu", 1e30)]),
         ("jumlah-induk-tidak-sesuai", "Anggaran", "K5")),
        # 1,7E+308 + 1,7E+308 passes the largest double: the kegiatan's rolled-up pagu is #NUM!
        (lambda p: filled(p, [("anggaran", "7.01.01.2.01.0001", "Pagu", 1.7e308),
                              ("anggaran", "7.01.01.2.01.0002", "Pagu", 1.7e308)]),
         ("jumlah-induk-tidak-sesuai", "Anggaran", "K5")),
    ],
    ids=["NaN-in-v", "INF-in-v", "1e309-text", "401-digits", "ratio-overflow", "round-1e30", "sum-overflow"],
)
def test_numbers_beyond_any_spreadsheet_are_galat_at_their_cell_never_a_crash(tmp_path, make, galat):
    path = make(tmp_path)
    checked = CliRunner().invoke(main, ["check", "--json", str(path)])
    assert checked.exit_code == 1, checked.output
    assert galat in found(checked)
    out = tmp_path / "hasil.xlsx"
    recomputed = CliRunner().invoke(main, ["recompute", "--json", str(path), "-o", str(out)])
    assert recomputed.exit_code == 1, recomputed.output
    assert galat in found(recomputed)
    assert out.exists()


def test_inf_stored_in_a_cell_is_written_back_as_an_error_and_found_again(tmp_path):
    path = with_value_xml(tmp_path, 424242, "-INF")
    checked = check_workbook(path)
    (i,) = [i for i in checked.report.issues if i.code == "angka-tidak-wajar"]
    assert (i.sheet, i.cell, i.value) == ("Realisasi", "I4", "minus tak terhingga")
    assert i.message.startswith("'minus tak terhingga' bukan angka yang dapat dihitung")
    out = recompute(path, tmp_path / "hasil.xlsx", make_backup=False).output
    assert openpyxl.load_workbook(out)["Realisasi"]["I4"].value == "#NUM!"  # never computed with
    again = check_workbook(out).report
    assert ("angka-tidak-terbaca", "Realisasi", "I4") in {(i.code, i.sheet, i.cell) for i in again.issues}


def test_capaian_that_overflows_is_written_as_num_error(tmp_path):
    path = filled(tmp_path, [("pk", "1", "Target", 1e-300), ("realisasi", "1", "Realisasi", 1e20)])
    out = recompute(path, tmp_path / "hasil.xlsx", make_backup=False)
    capaian = out.checked.data.layout.tables["realisasi"].columns["capaian"]
    assert out.checked.book.value("Realisasi", 3, capaian) is NUM
    with zipfile.ZipFile(out.output) as z:  # Realisasi is the sixth sheet: Petunjuk, Identitas, Skala, IKU, PK
        xml = z.read(REALISASI).decode()
    cell = xml.split('<c r="L4"')[1].split("</c>")[0]  # L: Capaian (%)
    assert ' t="e"' in cell and cell.endswith("<v>#NUM!</v>")


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (1e26, 2, 1e26),  # decimal.InvalidOperation before: 29 digits in the default 28-digit context
        (-1e30, 2, -1e30),
        (123456789012345678901234567.0, 2, 1.23456789012346e26),  # 15 significant digits, as Excel
        (1.25e300, -299, 1.3e300),  # 12.5 x 1E+299 rounds half away from zero to 13 x 1E+299
        (1e-300, 2, 0.0),
        (2.675, 2, 2.68),  # the 15-digit semantics of ordinary values are kept
    ],
)
def test_round_works_for_any_finite_double(x, digits, expected):
    assert excel_round(x, digits) == expected


def ev(e: object) -> object:
    """The value of an expression of literals only."""
    return top_value(compile_expr(lit(e), memo=False)(None, 0))


def test_results_beyond_the_largest_double_are_num_errors():
    assert ev(lit(1e20) / 1e-300) is NUM
    assert ev(lit(1.7e308) * 10) is NUM
    assert ev(fn("SUM", 1.7e308, 1.7e308)) is NUM  # math.fsum raised OverflowError
    assert ev(fn("AVERAGE", 1.7e308, 1.7e308)) is NUM
    assert ev(fn("ROUND", 1.7976931348623157e308, -308)) is NUM  # 2E+308
    assert ev(fn("VALUE", "1e309")) is VALUE  # text beyond the largest double is no number
    assert ev(cat(lit(1e20) / 1e-300, "")) is NUM


def test_non_finite_numbers_have_a_text():
    assert [number_to_text(x) for x in (math.inf, -math.inf, math.nan)] == ["#NUM!"] * 3
    assert [format_number(x) for x in (math.inf, -math.inf, math.nan)] == ["tak terhingga", "minus tak terhingga",
                                                                          "NaN"]
    assert [format_number(x) for x in (1e20, -1.5e20, 1e-300, 2910082603.0, 98.78)] == [
        "1E+20", "-1,5E+20", "1E-300", "2.910.082.603", "98,78"]


# ---------------------------------------------------------------- sheet names Excel refuses


def test_staff_sheets_with_names_excel_refuses_are_renamed_in_the_output(tmp_path):
    long = "Catatan Kepala Bidang Perencanaan Tahun 2023"  # 44 characters
    parts = with_staff_sheets({
        long: '<row r="1"><c r="A1" t="inlineStr"><is><t>catatan</t></is></c></row>',
        "Catatan Kepala Bidang Perencanaan Tahun 2024": "",  # the same first 31 characters
        "Data _lama_": "",  # valid: keeps its name
        "Data [lama]": '<row r="2"><c r="B2"><v>5</v></c></row>',  # becomes Data _lama_, taken: (2)
        "Rekap: 2023/2024": "",
        "Pemeriksaan?": "",  # Pemeriksaan_, not the generated Pemeriksaan
    })
    path = example_with(tmp_path, "laporan.xlsx", parts)
    out = tmp_path / "hasil.xlsx"
    result = CliRunner().invoke(main, ["recompute", "--json", str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output  # the example's own galat
    renamed = {(i["value"], i["expected"]) for i in json.loads(result.output)["issues"]
               if i["code"] == "lembar-diganti-nama"}
    assert renamed == {
        (long, "Catatan Kepala Bidang Perencana"),  # cut to 31
        ("Catatan Kepala Bidang Perencanaan Tahun 2024", "Catatan Kepala Bidang Peren (2)"),  # 27 + ' (2)'
        ("Data [lama]", "Data _lama_ (2)"),
        ("Rekap: 2023/2024", "Rekap_ 2023_2024"),
        ("Pemeriksaan?", "Pemeriksaan_"),
    }
    wb = openpyxl.load_workbook(out)
    staff = wb.sheetnames[wb.sheetnames.index("Anggaran") + 1 : wb.sheetnames.index("Capaian")]
    assert staff == ["Catatan Kepala Bidang Perencana", "Catatan Kepala Bidang Peren (2)", "Data _lama_",
                     "Data _lama_ (2)", "Rekap_ 2023_2024", "Pemeriksaan_"]
    assert wb.sheetnames[-1] == "Pemeriksaan"
    assert wb["Catatan Kepala Bidang Perencana"]["A1"].value == "catatan"
    assert wb["Data _lama_ (2)"]["B2"].value == 5


def test_two_sheets_of_one_name_are_refused_as_broken(tmp_path):
    """Excel never writes two sheets of one name; a broken or hand-made file may. Writing it
    back would fail (a fuzzed file found it), so it is refused before any work."""
    sheet = with_staff_sheets({"identitas": '<row r="1"><c r="A1"><v>1</v></c></row>'})
    path = example_with(tmp_path, "laporan.xlsx", sheet)
    refused(path, "laporan.xlsx: berkas rusak: ada dua lembar bernama 'identitas', yang tidak diizinkan Excel. Buka "
                  "di LibreOffice, ganti nama salah satunya, simpan, lalu ulangi.", tmp_path)
