"""Reading workbooks as users' files really are (sakip_xl.read.source and sakip_xl.read.interpret).

Two kinds of files: standard workbooks written by `write_filled` (then typed into
with openpyxl, or saved again by LibreOffice as .xls, .ods, .xlsm), and workbooks
made by hand with xlsxwriter the way offices build their own: rows above the
header, columns in another order, columns of their own, blank rows, sheet names
in other case. Cell addresses are derived by hand from each sheet's rows below
(row 1 is the first list), written as literals.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from conftest import keep
from libreoffice import recalculate
from sakip_xl.errors import ContractError
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.checks.report import UNREADABLE
from sakip_xl.model.workbook import Workbook, check_file, check_workbook
from sakip_xl.commands.recompute import recompute

# ---------------------------------------------------------------- hand-made workbooks


class Pct:
    """A number written with a percent format: `Pct(0.79)` is `79%` typed in Excel."""

    def __init__(self, value: float) -> None:
        self.value = value


def write_sheets(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook made with xlsxwriter, rows from row 1; `Pct` and dates get their formats."""
    wb = xlsxwriter.Workbook(str(path))
    pct = wb.add_format({"num_format": "0%"})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, values in enumerate(rows):
            for c, v in enumerate(values):
                if isinstance(v, Pct):
                    ws.write_number(r, c, v.value, pct)
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, c, v, date)
                elif v is not None:
                    ws.write(r, c, v)
    wb.close()
    return path


def office_sheets() -> dict[str, list[list]]:
    """An office's own workbook: the contract's sheets with the required columns only,
    title in row 1, header in row 3, data from row 4, and no Skala sheet (the default
    scales are used). Indicators: 1 (Nilai), 1.1 (%), 1.2 (Desa)."""
    return {
        "Identitas": [["Identitas"], [], ["Uraian", "Isian"], ["Pemerintah Daerah", "Kabupaten Sumenep"],
                      ["Perangkat Daerah", "Kecamatan Bluto"], ["Tahun Kinerja", 2023],
                      ["Periode Renstra", "2021-2026"]],
        "IKU": [["IKU"], [], ["Kode", "Jenis", "Tujuan/Sasaran", "Indikator Kinerja", "Satuan"],
                ["1", "Tujuan", "Meningkatkan Pelayanan Publik", "Nilai IKM", "Nilai"],
                ["1.1", "Sasaran", "Meningkatkan Fasilitasi Desa", "Rasio Desa Terfasilitasi", "%"],
                ["1.2", "Sasaran", "Meningkatkan Fasilitasi Desa", "Jumlah Desa Terfasilitasi", "Desa"]],
        "PK": [["PK"], [], ["Kode", "Target"], ["1", 82], ["1.1", 100], ["1.2", 17]],
        "Realisasi": [["Realisasi"], [], ["Kode", "Realisasi"], ["1", 81], ["1.1", 100], ["1.2", 17]],
        "Anggaran": [["Anggaran"], [], ["Kode", "Jenis", "Uraian", "Kode Indikator", "Pagu", "Realisasi Anggaran"],
                     ["7.01.01", "Program", "Program Penunjang", "1.1", 3000000, 2790000]],
    }


def checked_sheets(tmp_path: Path, sheets: dict[str, list[list]], name: str = "kantor.xlsx") -> Workbook:
    return check_workbook(write_sheets(tmp_path / name, sheets))


def codes(checked: Workbook) -> list[tuple[str, str | None, str | None]]:
    """(code, sheet, cell) of every finding but the Skala default, in report order."""
    return [(i.code, i.sheet, i.cell) for i in checked.report.sorted_issues() if i.code != "skala-tidak-ada"]


def cell(checked: Workbook, table: str, kode: str, key: str):
    """The parsed input cell `key` of the row of `table` whose Kode is `kode`."""
    row = next(r for r in checked.data.rows[table] if r.text("kode") == kode)
    return row.get(key)


def derived(checked: Workbook, table: str, kode: str, key: str):
    """The value a derived column's formula gives on the row of `kode`."""
    tl = checked.data.layout.tables[table]
    row = next(r for r in checked.data.rows[table] if r.text("kode") == kode)
    return checked.book.value(tl.sheet, row.row, tl.columns[key])


def test_office_workbook_reads_clean(tmp_path):
    checked = checked_sheets(tmp_path, office_sheets())
    assert codes(checked) == []
    assert [r.text("kode") for r in checked.data.rows["iku"]] == ["1", "1.1", "1.2"]
    assert derived(checked, "realisasi", "1", "capaian") == 98.78  # 81 / 82 x 100 = 98.780..


# ---------------------------------------------------------------- where things are


def test_sheet_names_case_and_spacing_tolerant(tmp_path):
    sheets = office_sheets()
    sheets["realisasi "] = sheets.pop("Realisasi")
    sheets["iku"] = sheets.pop("IKU")
    sheets["realisasi "][4][1] = "banyak"  # row 5, column B: indicator 1.1
    checked = checked_sheets(tmp_path, sheets)
    assert [r.text("kode") for r in checked.data.rows["iku"]] == ["1", "1.1", "1.2"]
    assert cell(checked, "realisasi", "1", "realisasi").number == 81
    assert codes(checked) == [("angka-tidak-terbaca", "realisasi ", "B5")]  # named as in the file


def test_header_found_below_inserted_rows(tmp_path):
    sheets = office_sheets()
    sheets["PK"] = [["PERJANJIAN KINERJA TAHUN 2023"], ["KECAMATAN BLUTO"], [], ["Kode", "Keterangan"],
                    ["Catatan: target sesudah perubahan"], ["Kode", "Target"],  # the header, row 6
                    ["1", 82], ["1.1", "100,5"], ["1.2", 17]]  # rows 7, 8, 9
    checked = checked_sheets(tmp_path, sheets)
    assert [r.row + 1 for r in checked.data.rows["pk"]] == [7, 8, 9]
    assert cell(checked, "pk", "1.1", "target").number == 100.5
    assert codes(checked) == [("teks-angka-diubah", "PK", "B8")]


def test_columns_in_another_order(tmp_path):
    sheets = office_sheets()
    sheets["PK"] = [["PK"], [], ["Target", "Kode"], [82, "1"], ["17 Desa", "1.1"], [17, "1.2"]]
    sheets["Realisasi"] = [["Realisasi"], [], ["Realisasi", "Analisis", "Kode"],
                           [81, "", "1"], [100, "tercapai", "1.1"], ["tujuh belas", "", "1.2"]]
    checked = checked_sheets(tmp_path, sheets)
    assert cell(checked, "pk", "1", "target").number == 82
    assert cell(checked, "realisasi", "1.1", "analisis").text == "tercapai"
    assert codes(checked) == [  # the galat first, then the peringatan
        ("angka-tidak-terbaca", "Realisasi", "A6"),  # Realisasi is column A, 1.2 is row 6
        ("satuan-tidak-sesuai", "PK", "A5"),  # Target is column A, 1.1 is row 5
    ]


def test_header_labels_in_other_case_and_spacing(tmp_path):
    sheets = office_sheets()
    sheets["PK"][2] = ["KODE", "  target "]
    sheets["Anggaran"][2] = ["kode", "jenis", "URAIAN", "Kode  Indikator", "Pagu", "Realisasi\nAnggaran"]
    checked = checked_sheets(tmp_path, sheets)
    assert codes(checked) == []
    assert cell(checked, "anggaran", "7.01.01", "realisasi_anggaran").number == 2790000


def test_identitas_labels_in_another_column(tmp_path):
    sheets = office_sheets()
    sheets["Identitas"] = [[None, *row] for row in sheets["Identitas"]]  # labels in B, values in C
    checked = checked_sheets(tmp_path, sheets)
    assert checked.data.identity["tahun"].a1 == "C6"  # 'Tahun Kinerja' is row 6
    assert checked.data.tahun == 2023
    assert codes(checked) == []


def test_extra_columns_are_reported_and_kept(tmp_path, produced):
    sheets = office_sheets()
    sheets["PK"] = [["PK"], [], ["Kode", "Penanggung Jawab", "Target"],
                    ["1", "Kasi Pelayanan", 82], ["1.1", "Kasi Pemerintahan", 100],
                    ["1.2", "Kepala Seksi Pemberdayaan Masyarakat Desa", 17]]
    path = write_sheets(tmp_path / "kantor.xlsx", sheets)
    checked = check_workbook(path)
    assert codes(checked) == [("kolom-tambahan", "PK", "B3")]
    assert cell(checked, "pk", "1.1", "target").number == 100  # Target still found in column C
    out = recompute(path, tmp_path / "hasil.xlsx", make_backup=False).output
    ws = openpyxl.load_workbook(out)["PK"]
    assert [ws["B3"].value, ws["B4"].value, ws["B6"].value] == ["Penanggung Jawab", "Kasi Pelayanan",
                                                               "Kepala Seksi Pemberdayaan Masyarakat Desa"]
    assert [ws["A3"].value, ws["C3"].value] == ["Kode", "Target"]  # the table's own headers stay in place
    # the staff's column wraps its text: 41 characters in a column 15 wide take 3 lines of 15 points
    assert ws["B6"].alignment.wrap_text and ws.row_dimensions[6].height >= 45
    keep(produced, out)


@pytest.mark.parametrize("blank", [None, "   "], ids=["empty", "spaces"])
def test_blank_rows_between_data_rows_are_ignored(tmp_path, blank):
    sheets = office_sheets()
    sheets["PK"] = [["PK"], [], ["Kode", "Target"], ["1", 82], [blank, blank], [blank, blank],
                    ["1.1", 100], [blank, blank], ["1.2", 17]]  # data in rows 4, 7 and 9
    checked = checked_sheets(tmp_path, sheets)
    assert [(r.row + 1, r.text("kode")) for r in checked.data.rows["pk"]] == [(4, "1"), (7, "1.1"), (9, "1.2")]
    assert codes(checked) == []  # no 'Kode wajib diisi' for the blank rows


def test_blank_rows_do_not_break_the_budget_hierarchy(tmp_path):
    sheets = office_sheets()
    sheets["Anggaran"] = sheets["Anggaran"][:3] + [
        ["7.01.01", "Program", "Program Penunjang", "1.1", 3000000, 2790000],  # row 4
        [],
        ["7.01.01.2.01", "Kegiatan", "Perencanaan", None, 3000000, 2790000],  # row 6
        [None, None, "   "],
        ["7.01.01.2.01.0001", "Sub Kegiatan", "Penyusunan Dokumen", None, 3000000, 2790000],  # row 8
    ]
    checked = checked_sheets(tmp_path, sheets)
    assert codes(checked) == []  # a broken chain would be 'induk-tidak-ada' or a sum mismatch
    parents = {n.row.row + 1: n.parent.row.row + 1 if n.parent else None for n in checked.tree.nodes}
    assert parents == {4: None, 6: 4, 8: 6}


def test_parent_sums_are_checked_across_blank_rows(tmp_path):
    sheets = office_sheets()
    sheets["Anggaran"] = sheets["Anggaran"][:3] + [
        ["7.01.01", "Program", "Program Penunjang", "1.1", 3000000, 2790000],  # row 4
        [],
        ["7.01.01.2.01", "Kegiatan", "Perencanaan", None, 3000000, 2790000],  # row 6
        [],
        ["7.01.01.2.01.0001", "Sub Kegiatan", "Penyusunan Dokumen", None, 3000000, 2700000],  # row 8
    ]
    checked = checked_sheets(tmp_path, sheets)
    # 2.700.000 below a kegiatan typed 2.790.000 (column F); the program agrees with its kegiatan,
    # so the one wrong figure is reported once, at the kegiatan
    assert codes(checked) == [("jumlah-induk-tidak-sesuai", "Anggaran", "F6")]


def test_hidden_sheet_is_read_as_hidden(tmp_path):
    path = tmp_path / "kantor.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in office_sheets().items():
        ws = wb.add_worksheet(name)
        for r, values in enumerate(rows):
            ws.write_row(r, 0, values)
    wb.add_worksheet("Lampiran").hide()
    wb.close()
    checked = check_workbook(path)
    assert {s.name: s.visible for s in checked.data.source.sheets} == {
        "Identitas": True, "IKU": True, "PK": True, "Realisasi": True, "Anggaran": True, "Lampiran": False}


# ---------------------------------------------------------------- a missing sheet or column


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda s: s.pop("Realisasi"), "Realisasi"),
        (lambda s: s["PK"][2].__setitem__(1, "Sasaran Kinerja"), "PK 'Target'"),  # header renamed
        (lambda s: s["IKU"][2].__setitem__(0, None), "IKU 'Kode'"),  # header deleted
    ],
    ids=["sheet", "renamed-column", "deleted-column"],
)
def test_missing_sheet_or_column_raises_and_recompute_writes_nothing(tmp_path, change, named):
    sheets = office_sheets()
    change(sheets)
    path = write_sheets(tmp_path / "kantor.xlsx", sheets)
    before = path.read_bytes()
    with pytest.raises(ContractError) as e:
        check_workbook(path)
    assert named in str(e.value)
    with pytest.raises(ContractError):
        recompute(path, tmp_path / "hasil.xlsx")
    with pytest.raises(ContractError):
        recompute(path)  # in place, with a backup by default
    assert not (tmp_path / "hasil.xlsx").exists()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kantor.xlsx"]  # no backup, no temporary file


# ---------------------------------------------------------------- what cells hold


def test_percent_formatted_cell_is_read_in_percent_points(tmp_path):
    sheets = office_sheets()
    sheets["Realisasi"][4][1] = Pct(0.79)  # row 5: indicator 1.1 (%), `79%` typed in Excel
    checked = checked_sheets(tmp_path, sheets)
    assert cell(checked, "realisasi", "1.1", "realisasi").number == 79
    assert derived(checked, "realisasi", "1.1", "capaian") == 79  # 79 / 100 x 100
    assert codes(checked) == [("persen-diubah", "Realisasi", "B5")]


def test_date_where_a_number_belongs_is_an_error_not_a_number(tmp_path, produced):
    sheets = office_sheets()
    sheets["Realisasi"][3][1] = dt.date(2023, 6, 5)  # row 4: Excel made a date of `5.6`
    path = write_sheets(tmp_path / "kantor.xlsx", sheets)
    keep(produced, recompute(path, tmp_path / "hasil.xlsx", make_backup=False).output)  # LibreOffice agrees
    checked = check_workbook(path)
    real = cell(checked, "realisasi", "1", "realisasi")
    assert real.number is None
    assert real.written == "05/06/2023"  # written back as text: a date is a serial number to formulas
    assert derived(checked, "realisasi", "1", "capaian") == ""  # not 45082 / 82 x 100
    assert ("tanggal-di-kolom-angka", "Realisasi", "B4") in codes(checked)
    assert next(i for i in checked.report.issues if i.code == "tanggal-di-kolom-angka").value == "05/06/2023"


@pytest.mark.parametrize(
    ("sheet", "r", "c", "text", "table", "kode", "key", "value"),
    [
        # Anggaran row 4 (program): column E Pagu, F Realisasi Anggaran 2.790.000
        ("Anggaran", 3, 4, "2.910.082.603,00", "anggaran", "7.01.01", "pagu", 2910082603),  # seed 002
        ("Anggaran", 3, 4, "Rp. 2.716.210.184,00", "anggaran", "7.01.01", "pagu", 2716210184),
        ("Anggaran", 3, 5, "1,393,000", "anggaran", "7.01.01", "realisasi_anggaran", 1393000),  # English style
        ("Realisasi", 4, 1, "99,92 %", "realisasi", "1.1", "realisasi", 99.92),  # Satuan %
        ("Realisasi", 5, 1, "17 Desa", "realisasi", "1.2", "realisasi", 17),  # Satuan Desa
        ("Realisasi", 3, 1, "81 Nilai", "realisasi", "1", "realisasi", 81),  # Satuan Nilai
        ("PK", 3, 1, "87,15", "pk", "1", "target", 87.15),
    ],
)
def test_text_numbers_are_read(tmp_path, sheet, r, c, text, table, kode, key, value):
    sheets = office_sheets()
    sheets[sheet][r][c] = text
    checked = checked_sheets(tmp_path, sheets)
    got = cell(checked, table, kode, key)
    assert got.number == value
    assert got.written == value  # written back as a number
    assert [x[0] for x in codes(checked)] == ["teks-angka-diubah"]


@pytest.mark.parametrize("marker", ["-", "", "   ", "n/a", "Belum ada penilaian"])
def test_no_value_markers_are_no_value_never_zero(tmp_path, marker):
    sheets = office_sheets()
    sheets["Realisasi"][3][1] = marker  # row 4: indicator 1
    checked = checked_sheets(tmp_path, sheets)
    real = cell(checked, "realisasi", "1", "realisasi")
    assert real.number is None and real.empty
    assert derived(checked, "realisasi", "1", "capaian") == ""  # never 0 / 82 = 0
    assert codes(checked) == [("realisasi-kosong", "Realisasi", "B4")]


def test_ambiguous_rupiah_is_reported_with_both_readings_and_not_read(tmp_path):
    sheets = office_sheets()
    sheets["Anggaran"][3][4] = "4.186,950"  # row 4, column E (Pagu); seed 002, meant 4.186.950
    checked = checked_sheets(tmp_path, sheets)
    pagu = cell(checked, "anggaran", "7.01.01", "pagu")
    assert pagu.number is None and pagu.written == "4.186,950"  # kept as typed
    assert derived(checked, "anggaran", "7.01.01", "penyerapan") == ""
    assert codes(checked) == [("angka-ambigu", "Anggaran", "E4")]
    issue = next(i for i in checked.report.issues if i.code == "angka-ambigu")
    assert "4.186,95 atau 4.186.950" in issue.message  # decimal comma, or a mistyped thousands dot


def test_garbled_number_is_reported_with_both_readings_and_not_read(tmp_path):
    sheets = office_sheets()
    sheets["PK"][3][1] = "87.1 5"  # row 4, column B (Target); seed 002, meant 87.15
    checked = checked_sheets(tmp_path, sheets)
    target = cell(checked, "pk", "1", "target")
    assert target.number is None and target.written == "87.1 5"
    assert derived(checked, "realisasi", "1", "capaian") == ""
    assert codes(checked) == [("angka-rusak", "PK", "B4")]
    found = next(i for i in checked.report.issues if i.code == "angka-rusak")
    assert "87,15 atau 87,1" in found.message  # without the space, or the part before it


def test_issues_point_at_the_cell_that_holds_the_value(tmp_path):
    sheets = office_sheets()
    sheets["Realisasi"] = [["REALISASI"], ["2023"], [], [],
                           ["Analisis", "Kode", "Catatan", "Realisasi"],  # header in row 5
                           ["", "1", "", 81], [], ["", "1.2", "", "14.671.200"]]  # rows 6 and 8
    sheets["PK"][5][1] = 87.15  # indicator 1.2, target 87.15: seed 002's rupiah against an index
    checked = checked_sheets(tmp_path, sheets)
    assert ("realisasi-tidak-wajar", "Realisasi", "D8") in codes(checked)
    assert ("kolom-tambahan", "Realisasi", "C5") in codes(checked)


# ---------------------------------------------------------------- files that cannot be read


def _encrypted_lookalike(path: Path) -> Path:
    """The container Excel writes for a password-protected .xlsx: an OLE2 compound file
    whose directory holds the streams EncryptionInfo and EncryptedPackage (names in
    UTF-16). Crafted by hand: msoffcrypto is not installed and LibreOffice 7.4's
    --convert-to ignores a password."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file signature
    header[24:34] = b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"  # minor/major version, byte order, 512-byte sectors
    directory = bytearray()
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if name == "Root Entry" else 2  # storage type: root / stream
        directory += entry
    path.write_bytes(bytes(header) + bytes(directory) + bytes(512 - len(directory) % 512))
    return path


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return path


def _truncated(path: Path) -> Path:
    good = write_sheets(path.with_name("utuh.xlsx"), office_sheets()).read_bytes()
    path.write_bytes(good[: len(good) // 2])  # a download cut in the middle
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_encrypted_lookalike, "laporan.xlsx: berkas dikunci dengan kata sandi."),
        (_truncated, "laporan.xlsx: berkas rusak atau bukan buku kerja Excel/LibreOffice."),
        (_docx, "laporan.xlsx: bukan buku kerja (.xlsx, .xlsm, .xls atau .ods)."),
        (lambda p: p.write_text("Laporan Kinerja\n"), "laporan.xlsx: berkas rusak atau bukan buku kerja"),
        (lambda p: None, "laporan.xlsx: berkas tidak ditemukan."),  # never written
    ],
    ids=["password", "corrupt-zip", "docx-renamed", "text-renamed", "missing"],
)
def test_unreadable_file_gives_a_failed_report_not_an_exception(tmp_path, make, reason):
    path = tmp_path / "laporan.xlsx"
    make(path)
    report, checked = check_file(path)
    assert checked is None
    assert report.status == UNREADABLE == "gagal dibaca"
    assert report.reason.startswith(reason)
    assert report.has_errors


def test_broken_sheet_inside_a_good_zip(tmp_path):
    good = write_sheets(tmp_path / "utuh.xlsx", office_sheets())
    path = tmp_path / "laporan.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, b"<worksheet><sheetData><row r=" if item.filename.endswith("sheet3.xml") else data)
    report, checked = check_file(path)
    assert checked is None and report.status == "gagal dibaca"
    assert report.reason.startswith("laporan.xlsx: lembar 'PK' tidak dapat dibaca")  # sheet3 is PK


# ---------------------------------------------------------------- recomputed files read back


def _filled_with_problems() -> Filling:
    """A standard workbook as staff fill it: text numbers, a unit, a garbled target,
    one formula typed over with its own value and one with another value."""
    return Filling(
        identity={"Pemerintah Daerah": "Kabupaten Sumenep", "Perangkat Daerah": "Kecamatan Kalianget",
                  "Tahun Kinerja": 2023, "Periode Renstra": "2021-2026"},
        tables={
            "iku": [
                {"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "Meningkatkan Pelayanan Publik",
                 "Indikator Kinerja": "Nilai IKM", "Satuan": "Nilai"},
                {"Kode": "1.1", "Jenis": "Sasaran", "Tujuan/Sasaran": "Meningkatkan Fasilitasi Desa",
                 "Indikator Kinerja": "Rasio Desa Terfasilitasi", "Satuan": "%"},
                {"Kode": "1.2", "Jenis": "Sasaran", "Tujuan/Sasaran": "Menurunnya Gangguan Ketertiban",
                 "Indikator Kinerja": "Jumlah Gangguan", "Satuan": "Kejadian", "Polaritas": "Negatif"},
            ],
            "pk": [{"Kode": "1", "Target": "87.1 5"}, {"Kode": "1.1", "Target": 100},
                   {"Kode": "1.2", "Target": "8 Kejadian"}],
            "realisasi": [
                {"Kode": "1", "Realisasi": "81,5", "Kategori": "Sangat Rendah"},  # typed over: formula gives ""
                {"Kode": "1.1", "Realisasi": 100},
                {"Kode": "1.2", "Realisasi": 9, "Capaian (%)": 87.5},  # (2 x 8 - 9) / 8 x 100: the formula's own
            ],
            "anggaran": [
                {"Kode": "7.01.01", "Jenis": "Program", "Uraian": "Program Penunjang", "Kode Indikator": "1.1",
                 "Pagu": 3000000, "Realisasi Anggaran": 2790000},
                {"Kode": "7.01.01.2.01", "Jenis": "Kegiatan", "Uraian": "Perencanaan",
                 "Pagu": "3.000.000", "Realisasi Anggaran": "2.790.000"},
            ],
        },
    )


def inputs(checked: Workbook) -> dict[tuple[str, int, str], object]:
    """Every input cell as it will be written back, by (table, 0-based row, column key)."""
    return {(t, r.row, k): c.written for t, rows in checked.data.rows.items() for r in rows
            for k, c in r.cells.items()}


def found(checked: Workbook) -> set[tuple]:
    return {(i.code, i.sheet, i.cell, i.value, i.expected) for i in checked.report.issues}


def test_recomputed_workbook_reads_back_with_the_same_inputs(tmp_path, produced):
    path = tmp_path / "lkjip.xlsx"
    write_filled(path, _filled_with_problems())
    first = check_workbook(path)
    out = recompute(path, tmp_path / "hasil.xlsx", make_backup=False).output
    keep(produced, out)
    again = check_workbook(out)
    assert inputs(again) == inputs(first)  # headers, rows and columns found again where they were
    assert cell(again, "pk", "1.2", "target").raw == 8  # `8 Kejadian` was written back as the number 8
    problems = {(code, sheet, c) for code, sheet, c, _v, _e in found(again)}
    # what recompute resolved is gone (text numbers, typed-over formulas), the rest stays;
    # the charts of its own Capaian and Rekap Anggaran sheets are no objects lost
    assert problems == {("angka-rusak", "PK", "D4")}


# ---------------------------------------------------------------- .xlsx, .xlsm, .xls and .ods alike


@pytest.fixture(scope="module")
def problem_xlsx(tmp_path_factory) -> Path:
    """The problem workbook, with a percent-formatted realisasi typed in."""
    path = tmp_path_factory.mktemp("problem") / "lkjip.xlsx"
    write_filled(path, _filled_with_problems())
    wb = openpyxl.load_workbook(path)
    wb["Realisasi"]["I5"].value = 0.79  # indicator 1.1 (%): `79%` typed in Excel
    wb["Realisasi"]["I5"].number_format = "0%"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def formats(libreoffice, problem_xlsx, tmp_path_factory) -> dict[str, Path]:
    """The problem workbook as .xlsx, and as LibreOffice saves it as .xlsm, .xls and .ods."""
    folder = tmp_path_factory.mktemp("formats")
    out = {"xlsx": problem_xlsx}
    for fmt in ("xlsm", "xls", "ods"):
        (out[fmt],) = recalculate([problem_xlsx], folder / fmt, fmt=fmt)
    return out


def test_xlsx_findings_of_the_problem_workbook(problem_xlsx):
    # the reference the other formats are compared with, checked by hand first
    assert {(c, s, x) for c, s, x, _v, _e in found(check_workbook(problem_xlsx))} == {
        ("angka-rusak", "PK", "D4"),  # 87.1 5
        ("teks-angka-diubah", "PK", "D6"),  # 8 Kejadian, the indicator's own unit
        ("teks-angka-diubah", "Realisasi", "I4"),  # 81,5
        ("persen-diubah", "Realisasi", "I5"),  # 79%
        ("rumus-tertimpa", "Realisasi", "M4"),  # Sangat Rendah where the formula gives nothing (target unread)
        ("rumus-dipulihkan", "Realisasi", "L6"),  # 87.5, the formula's own value
        ("teks-angka-diubah", "Anggaran", "K5"),  # 3.000.000
        ("teks-angka-diubah", "Anggaran", "L5"),  # 2.790.000
    }


@pytest.mark.parametrize("fmt", ["xlsm", "ods"])
def test_xlsm_and_ods_read_like_xlsx(formats, fmt):
    reference, other = check_workbook(formats["xlsx"]), check_workbook(formats[fmt])
    assert other.data.source.format == ("ods" if fmt == "ods" else "xlsx")
    assert inputs(other) == inputs(reference)
    assert found(other) == found(reference)  # LibreOffice's empty drawing parts are no lost objects


def _with_prefixed_elements(path: Path, out: Path) -> Path:
    """The workbook as the .NET OpenXML SDK writes its parts: every element of the sheets
    and of styles.xml named with the prefix `x:`, declared on the root (xmlns:x) instead
    of as the default namespace. To an XML reader it is the same document."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if re.fullmatch(r"xl/(worksheets/sheet\d+|styles)\.xml", info.filename):
                text = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s>/])", r"<\1x:\2", data.decode("utf-8"))
                assert main in text
                data = text.replace(main, main.replace("xmlns=", "xmlns:x="), 1).encode("utf-8")
            zout.writestr(info, data)
    return out


def test_xlsx_with_prefixed_elements_reads_like_xlsx(problem_xlsx, tmp_path):
    """Formula cells (typed-over ones found) and percent formats (79% read as 79) are
    found whatever the prefix of the elements; before, none were in such a file."""
    reference = check_workbook(problem_xlsx)
    other = check_workbook(_with_prefixed_elements(problem_xlsx, tmp_path / "sdk.xlsx"))
    assert other.data.source.sheet("Realisasi").xml_prefix == "x:"
    assert inputs(other) == inputs(reference)
    assert found(other) == found(reference)


def _with_sheet_xml_changed(path: Path, out: Path, change, member: str = r"xl/worksheets/sheet\d+") -> Path:
    """The workbook with `change` applied to the XML text of the sheets whose part matches
    `member` (sheet6 is Realisasi: sheets are written in the template's order)."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if re.fullmatch(member + r"\.xml", info.filename):
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return out


def test_a_value_typed_over_a_formula_is_found_whatever_the_order_of_the_attributes(problem_xlsx, tmp_path):
    """The typed-over cells (M4 and L6 of Realisasi) are found, and the 79% in I5 read as 79,
    in an .xlsx whose cells carry their reference after their style (<c s="3" r="L6">)."""
    def style_first(xml: str) -> str:
        changed = re.sub(r'<c r="([A-Z]+\d+)"((?: [\w:]+="[^"]*")+)', r'<c\2 r="\1"', xml)
        assert changed != xml
        return changed

    reference = check_workbook(problem_xlsx)
    other = check_workbook(_with_sheet_xml_changed(problem_xlsx, tmp_path / "style-first.xlsx", style_first))
    assert inputs(other) == inputs(reference)
    assert found(other) == found(reference)
    assert {("rumus-tertimpa", "Realisasi", "M4"), ("rumus-dipulihkan", "Realisasi", "L6")} <= {
        (c, s, x) for c, s, x, _v, _e in found(other)}


@pytest.mark.parametrize("cells, prefix, expected", [
    ('<c r="M4" s="1"><v>5</v></c>', "", {(3, 12)}),  # a value where M's formula belongs
    ('<c r="M4"><is><t>x</t></is></c>', "", {(3, 12)}),  # an inline text
    ('<c s="1" r="M4">\n  <v>5</v></c>', "", {(3, 12)}),  # r= after the style, the value on its own line
    ('<x:c r="M4"><x:v>5</x:v></x:c>', "x:", {(3, 12)}),  # the .NET SDK's prefix
    ('<c r="M4"><f>K4*2</f><v>10</v></c>', "", set()),  # the formula itself
    ('<c r="M4" s="1"/>', "", set()),  # a format only
    ('<c r="L4"><v>5</v></c>', "", set()),  # another column
    # the reference inside a formula's text (a name `r` compared with "M4"), not a cell's
    ('<c r="A4"><f>IF(r="M4",1,0)</f><v>0</v></c>', "", set()),
    ('<c r="A4" xr="M4"><v>5</v></c>', "", set()),  # another attribute ending in r
])
def test_typed_cells_are_found_by_their_reference_in_a_cell_element(cells, prefix, expected):
    """The search for values typed where formulas belong starts at a cell reference and
    keeps it only when it is a `<c>` element's own `r`."""
    from sakip_xl.read.source import _typed_in_xml

    p = prefix  # (short, for the line below)
    xml = f'<{p}worksheet><{p}sheetData><{p}row r="4">{cells}</{p}row></{p}sheetData></{p}worksheet>'
    assert _typed_in_xml(xml, prefix, {12}) == expected


def test_a_repeated_row_is_read_from_its_last_element_formulas_included(problem_xlsx, tmp_path):
    """Realisasi row 6 repeated, its second element holding a formula in L6 where the
    first holds the typed 87.5: calamine keeps the last element's cells, so L6 is a
    formula cell and no longer `rumus-dipulihkan`; nothing else changes."""
    def repeat_row_6(xml: str) -> str:
        row = re.search(r'<row r="6"[ >].*?</row>', xml, re.S).group(0)
        with_formula = re.sub(r'(<c r="L6"[^>]*>)(<v>)', r'\1<f>87.5</f>\2', row)
        assert with_formula != row
        return xml.replace(row, row + with_formula)

    reference = check_workbook(problem_xlsx)
    other = check_workbook(_with_sheet_xml_changed(problem_xlsx, tmp_path / "repeated.xlsx", repeat_row_6,
                                                   member="xl/worksheets/sheet6"))
    assert inputs(other) == inputs(reference)
    assert found(other) == found(reference) - {i for i in found(reference) if i[:3] == ("rumus-dipulihkan", "Realisasi", "L6")}
    assert any(i[:3] == ("rumus-dipulihkan", "Realisasi", "L6") for i in found(reference))


def test_xls_reads_like_xlsx_but_without_formula_and_format_knowledge(formats):
    reference, xls = check_workbook(formats["xlsx"]), check_workbook(formats["xls"])
    assert xls.data.source.format == "xls"
    # .xls gives neither formulas nor number formats (reader.py): the percent cell is the
    # stored 0.79, and a value typed over a formula that equals its result cannot be told
    # from the formula's own cached value
    expected_inputs = inputs(reference) | {("realisasi", 4, "realisasi"): 0.79}
    assert inputs(xls) == expected_inputs
    knowledge = {"persen-diubah", "rumus-dipulihkan"}
    assert {i for i in found(xls)} == {i for i in found(reference) if i[0] not in knowledge} | {
        # instead the plausibility check catches the percent cell: 100 / 0.79 = 126.6 > 10
        ("realisasi-tidak-wajar", "Realisasi", "I5", "0,79", "100"),
    }


@pytest.mark.parametrize("col", [1, 26, 27, 199, 200, 201, 202, 300, 702, 703, 16384])
@pytest.mark.parametrize("row", [1, 19_999, 20_000, 20_001, 20_010, 29_999, 30_000, 99_999, 100_000, 1_048_576])
def test_the_far_cell_search_refuses_exactly_what_the_bounds_refuse(col, row):
    """The one-pass search of a sheet's XML agrees with `_beyond` on every boundary."""
    from openpyxl.utils import get_column_letter

    from sakip_xl.read.source import _beyond, _far_cell

    ref = f"{get_column_letter(col)}{row}"
    for cell in (f'<c r="{ref}" t="s"><v>1</v></c>', f'<x:c s="1" r="{ref}"><v>1</v></x:c>'):
        xml = f'<row r="1"><c r="A1"><v>1</v></c>{cell}</row>'.encode()
        assert _far_cell(xml) == (ref if _beyond(row - 1, col - 1) else None)
    assert _far_cell(f'<c r="{ref}"/>'.encode()) is None  # an empty cell holds nothing
