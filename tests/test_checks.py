"""Every issue code the checker emits, each triggered by its own small workbook.

Each test starts from `clean_filling()` (a valid workbook that yields no issue at
all), changes one thing as staff would type it, and asserts the code, the sheet and
the cell of the finding (and its severity, value and expected value where they say
something). The last test fails when a code of report.CATALOG has no test here.

Cell addresses are written by hand from the layout of the standard workbook
(docs/contract.md; header row 3, data from row 4, columns in contract order):

  Identitas  label in A, value in B: B4 Pemerintah Daerah, B5 Perangkat Daerah,
             B6 Kode Perangkat Daerah, B7 Tahun Kinerja, B8 Periode Renstra, B9 Nama
             Pimpinan, B10 NIP, B11 Jabatan, B12 Skala Kategori, B13 Batas Capaian,
             B14 Metode Efisiensi, B15 Versi Templat (rows 4..15: 12 fields)
  Skala      A Skala, B Batas Bawah, C Kategori, D Batas Atas | F Skala Predikat,
             G Predikat, H Peringkat. Pre-filled: 5 Permendagri bands in rows 4-8, so
             added bands start at row 9; 7 SAKIP + 4 Mutu + 4 BPK grades in rows 4-18,
             so added grades start at row 19.
  IKU        A Kode, B Jenis, C Tujuan/Sasaran, D Indikator Kinerja, E Satuan,
             F Polaritas, G IKU, H Agregasi Triwulan, I-K texts, L Target Akhir Renstra,
             M Standar Nasional
  PK         A Kode, B Indikator (formula), C Satuan (formula), D Target,
             E Target Perubahan, F Target Berlaku (formula), G Keterangan Perubahan
  Realisasi  A Kode, B-D lookups, E-H Realisasi TW I-IV, I Realisasi, J Realisasi
             Berlaku, K Target Berlaku, L Capaian (%), M Kategori, N Target N-1,
             O Realisasi N-1, P Capaian N-1 (%), Q Realisasi N-2, ...
  Anggaran   A Kode, B Jenis, C Uraian, D Kode Indikator, E Indikator Kinerja,
             F Satuan Kinerja, G Target Kinerja, H Realisasi Kinerja, I Capaian Kinerja,
             J Pagu Awal, K Pagu, L Realisasi Anggaran, M Penyerapan (%), N Sisa Anggaran

Rows of the clean filling: IKU/PK/Realisasi: indicator 1 in row 4, 1.1 in row 5,
1.2 in row 6. Anggaran: program row 4, kegiatan row 5, sub kegiatan 0001 row 6,
sub kegiatan 0002 row 7.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner

from conftest import keep
from sakip_xl.cli import main
from sakip_xl.model.contract import load_contract
from sakip_xl.errors import ContractError
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.checks.report import CATALOG, NOT_CONTRACT, UNREADABLE, Report
from sakip_xl.commands.template import write_template
from sakip_xl.model.workbook import check_file, check_workbook
from sakip_xl.commands.recompute import recompute

#: Codes some test below triggered and located; checked by the last test.
TRIGGERED: set[str] = set()


# ---------------------------------------------------------------- helpers


def clean_filling() -> Filling:
    """Three indicators and one budget branch, every value hand-chosen to be valid.

    Capaian: 1 (Positif) 81 / 82 x 100 = 98.78; 1.1 (Positif) 100 / 100 x 100 = 100;
    1.2 (Negatif) (2 x 8 - 9) / 8 x 100 = 87.5. Budget: sub kegiatan 1.800.000 +
    1.200.000 = 3.000.000 pagu and 1.790.000 + 1.000.000 = 2.790.000 realisasi, typed
    on the kegiatan and the program as offices do.
    """
    return Filling(
        identity={
            "Pemerintah Daerah": "Kabupaten Sumenep",
            "Perangkat Daerah": "Kecamatan Kalianget",
            "Tahun Kinerja": 2023,
            "Periode Renstra": "2021-2026",
        },
        tables={
            "iku": [
                {"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "Meningkatkan Pelayanan Publik di Kecamatan",
                 "Indikator Kinerja": "Nilai IKM Kecamatan", "Satuan": "Nilai", "Polaritas": "Positif", "IKU": "Ya"},
                {"Kode": "1.1", "Jenis": "Sasaran", "Tujuan/Sasaran": "Meningkatkan Fasilitasi dan Koordinasi Desa",
                 "Indikator Kinerja": "Rasio Jumlah Desa Yang Terfasilitasi", "Satuan": "%", "Polaritas": "Positif",
                 "IKU": "Ya"},
                {"Kode": "1.2", "Jenis": "Sasaran", "Tujuan/Sasaran": "Menurunnya Gangguan Ketertiban",
                 "Indikator Kinerja": "Jumlah Gangguan Ketertiban", "Satuan": "Kejadian", "Polaritas": "Negatif",
                 "IKU": "Ya"},
            ],
            "pk": [
                {"Kode": "1", "Target": 82},
                {"Kode": "1.1", "Target": 100},
                {"Kode": "1.2", "Target": 8},
            ],
            "realisasi": [
                {"Kode": "1", "Realisasi": 81},
                {"Kode": "1.1", "Realisasi": 100},
                {"Kode": "1.2", "Realisasi": 9},
            ],
            "anggaran": [
                {"Kode": "7.01.01", "Jenis": "Program", "Uraian": "Program Penunjang Urusan Pemerintahan",
                 "Kode Indikator": "1.1", "Pagu": 3000000, "Realisasi Anggaran": 2790000},
                {"Kode": "7.01.01.2.01", "Jenis": "Kegiatan", "Uraian": "Perencanaan",
                 "Pagu": 3000000, "Realisasi Anggaran": 2790000},
                {"Kode": "7.01.01.2.01.0001", "Jenis": "Sub Kegiatan", "Uraian": "Penyusunan Dokumen Perencanaan",
                 "Pagu": 1800000, "Realisasi Anggaran": 1790000},
                {"Kode": "7.01.01.2.01.0002", "Jenis": "Sub Kegiatan", "Uraian": "Evaluasi Kinerja",
                 "Pagu": 1200000, "Realisasi Anggaran": 1000000},
            ],
        },
    )


def row(filling: Filling, table: str, kode: str) -> dict:
    """The row of `table` whose Kode is `kode`, to change in place."""
    return next(r for r in filling.tables[table] if r.get("Kode") == kode)


def write(tmp_path: Path, filling: Filling | None = None, edit=None, name: str = "lkjip.xlsx") -> Path:
    """Write a standard workbook holding `filling`; `edit(wb)` then types into it with openpyxl."""
    path = tmp_path / name
    write_filled(path, filling or clean_filling())
    if edit is not None:
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
    return path


def check(tmp_path: Path, filling: Filling | None = None, edit=None) -> Report:
    return check_workbook(write(tmp_path, filling, edit)).report


def the_issue(report: Report, code: str, sheet: str | None, cell: str | None):
    """The one finding of `code`, which must be at (sheet, cell) and nowhere else."""
    found = [i for i in report.issues if i.code == code]
    listing = "\n".join(f"{i.code} {i.sheet} {i.cell} {i.value!r}" for i in report.sorted_issues())
    assert [(i.sheet, i.cell) for i in found] == [(sheet, cell)], listing
    TRIGGERED.add(code)
    return found[0]


def write_plain(path: Path, sheets: dict[str, list[list]], chart_on: str | None = None) -> Path:
    """A workbook made by hand with xlsxwriter (not from the template), rows from row 1;
    with `chart_on`, that sheet gets a column chart."""
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, values in enumerate(rows):
            for c, v in enumerate(values):
                if v is not None:
                    ws.write(r, c, v)
    if chart_on is not None:
        ws = wb.add_worksheet(chart_on)
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"name": "Realisasi", "values": "=Realisasi!$B$4:$B$4"})
        ws.insert_chart("B2", chart)
    wb.close()
    return path


def minimal_sheets() -> dict[str, list[list]]:
    """The contract sheets with only their required columns, header in row 3, no Skala."""
    return {
        "Identitas": [["Identitas"], [], ["Uraian", "Isian"], ["Pemerintah Daerah", "Kabupaten Sumenep"],
                      ["Perangkat Daerah", "Kecamatan Kalianget"], ["Tahun Kinerja", 2023],
                      ["Periode Renstra", "2021-2026"]],
        "IKU": [["IKU"], [], ["Kode", "Jenis", "Tujuan/Sasaran", "Indikator Kinerja", "Satuan"],
                ["1", "Tujuan", "Meningkatkan Pelayanan Publik", "Nilai IKM", "Nilai"]],
        "PK": [["PK"], [], ["Kode", "Target"], ["1", 82]],
        "Realisasi": [["Realisasi"], [], ["Kode", "Realisasi"], ["1", 81]],
        "Anggaran": [["Anggaran"], [], ["Kode", "Jenis", "Uraian", "Pagu", "Realisasi Anggaran"],
                     ["7.01.01", "Program", "Program Penunjang", 3000000, 2790000]],
    }


# ---------------------------------------------------------------- the clean workbook


def test_clean_workbook_has_no_issue_at_all(tmp_path, produced):
    path = write(tmp_path)
    checked = check_workbook(path)
    assert checked.report.issues == []
    assert checked.report.counts() == {"galat": 0, "peringatan": 0, "info": 0}
    tl = checked.data.layout.tables["realisasi"]
    capaian = [checked.book.value("Realisasi", r, tl.columns["capaian"]) for r in (3, 4, 5)]
    assert capaian == [98.78, 100, 87.5]  # 81/82x100 = 98.780..; 100/100x100; (2x8-9)/8x100
    keep(produced, path)


def test_clean_workbook_recomputed_has_no_issue(tmp_path, produced):
    out = recompute(write(tmp_path), tmp_path / "hasil.xlsx", make_backup=False)
    assert out.checked.report.issues == []
    keep(produced, out.output)


# ---------------------------------------------------------------- structure


def test_missing_required_sheet(tmp_path):
    path = write(tmp_path, edit=lambda wb: wb.remove(wb["PK"]))
    with pytest.raises(ContractError, match="PK"):
        check_workbook(path)
    report, checked = check_file(path)
    assert checked is None
    assert report.status == NOT_CONTRACT == "tidak sesuai templat"
    i = the_issue(report, "lembar-tidak-ada", "PK", None)  # a missing sheet has no cell
    assert i.severity == "galat"
    assert "Lembar 'PK' tidak ada" in i.message


@pytest.mark.parametrize(("sheet", "cell", "label"), [("PK", "D3", "Target"), ("Anggaran", "K3", "Pagu")])
def test_missing_required_column(tmp_path, sheet, cell, label):
    def edit(wb):
        wb[sheet][cell] = None  # the header cell of a required column cleared

    report, checked = check_file(write(tmp_path, edit=edit))
    assert checked is None and report.status == "tidak sesuai templat"
    i = the_issue(report, "kolom-tidak-ada", sheet, None)  # the column is nowhere: no cell
    assert i.severity == "galat"
    assert f"Kolom '{label}' tidak ditemukan" in i.message
    assert label in report.reason


def test_renamed_required_header_is_a_missing_column(tmp_path):
    report, _ = check_file(write(tmp_path, edit=lambda wb: wb["Anggaran"].__setitem__("K3", "Pagu Anggaran")))
    assert report.status == "tidak sesuai templat"
    assert "Anggaran 'Pagu'" in report.reason
    the_issue(report, "kolom-tidak-ada", "Anggaran", None)


def test_duplicate_header(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb["PK"].__setitem__("H3", "Target"))  # H: first column after G
    i = the_issue(report, "kolom-ganda", "PK", "H3")
    assert i.severity == "peringatan"
    assert "yang dipakai kolom D3" in i.message  # the first 'Target', as in the template


def test_missing_skala_sheet_uses_the_default_scales(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb.remove(wb["Skala"]))
    i = the_issue(report, "skala-tidak-ada", "Skala", None)
    assert i.severity == "peringatan"
    assert [x.code for x in report.issues] == ["skala-tidak-ada"]  # kategori still found: nothing else


def test_missing_identitas_label(tmp_path):
    def edit(wb):
        for c in ("A5", "B5", "C5"):  # the row of 'Perangkat Daerah' deleted
            wb["Identitas"][c] = None

    report = check(tmp_path, edit=edit)
    # Identitas fills rows 1-15; the label goes to the first free row, 16, in the label column A
    i = the_issue(report, "label-tidak-ada", "Identitas", "A16")
    assert i.severity == "peringatan"
    assert "'Perangkat Daerah'" in i.message and i.message.endswith("baris itu dibuat di sel A16).")
    the_issue(report, "isian-wajib-kosong", "Identitas", "B16")  # and its value is empty there


def test_missing_identitas_label_is_added_by_recompute(tmp_path):
    def edit(wb):
        for c in ("A5", "B5", "C5"):
            wb["Identitas"][c] = None

    out = recompute(write(tmp_path, edit=edit), tmp_path / "hasil.xlsx", make_backup=False).output
    assert openpyxl.load_workbook(out)["Identitas"]["A16"].value == "Perangkat Daerah"
    again = check_workbook(out).report
    assert [i.code for i in again.issues] == ["isian-wajib-kosong"]  # the label is there now; the value not
    the_issue(again, "isian-wajib-kosong", "Identitas", "B16")


def test_extra_column(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb["PK"].__setitem__("H3", "Catatan Staf"))
    i = the_issue(report, "kolom-tambahan", "PK", "H3")
    assert i.severity == "info"
    assert "'Catatan Staf'" in i.message


def test_extra_sheet(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb.create_sheet("Catatan Camat").__setitem__("A1", "rapat 12/1"))
    i = the_issue(report, "lembar-tambahan", "Catatan Camat", None)
    assert i.severity == "info"


def test_extra_sheet_name_excel_refuses(tmp_path):
    name = "Catatan Kepala Bidang Perencanaan 2023"  # 38 characters; Excel allows 31

    def edit(wb):
        with pytest.warns(UserWarning, match="more than 31 characters"):
            wb.create_sheet(name)

    i = the_issue(check(tmp_path, edit=edit), "lembar-diganti-nama", name, None)
    assert (i.severity, i.value, i.expected) == ("info", name, "Catatan Kepala Bidang Perencana")  # the first 31


def test_chart_cannot_be_carried(tmp_path):
    path = write_plain(tmp_path / "grafik.xlsx", minimal_sheets(), chart_on="Grafik")
    report = check_workbook(path).report
    i = the_issue(report, "objek-tidak-terbawa", "Grafik", None)
    assert i.severity == "peringatan"
    assert i.message.startswith("Grafik atau gambar di lembar Grafik")
    the_issue(report, "lembar-tambahan", "Grafik", None)
    the_issue(report, "skala-tidak-ada", "Skala", None)  # the hand-made workbook has no Skala
    assert len(report.issues) == 3


def test_other_template_version(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb["Identitas"].__setitem__("B15", "0.9.0"))
    i = the_issue(report, "versi-templat", "Identitas", "B15")
    assert (i.severity, i.value, i.expected) == ("info", "0.9.0", load_contract().template_version)


# ---------------------------------------------------------------- Identitas


def test_required_identitas_value_missing(tmp_path):
    f = clean_filling()
    del f.identity["Perangkat Daerah"]
    i = the_issue(check(tmp_path, f), "isian-wajib-kosong", "Identitas", "B5")
    assert i.severity == "galat"
    assert i.message == "Perangkat Daerah wajib diisi."


def test_tahun_not_a_year(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb["Identitas"].__setitem__("B7", "dua ribu dua puluh tiga"))
    i = the_issue(report, "tahun-tidak-valid", "Identitas", "B7")
    assert (i.severity, i.value) == ("galat", "dua ribu dua puluh tiga")


def test_periode_malformed(tmp_path):
    f = clean_filling()
    f.identity["Periode Renstra"] = "2021/2026"
    i = the_issue(check(tmp_path, f), "periode-tidak-valid", "Identitas", "B8")
    assert (i.severity, i.value) == ("galat", "2021/2026")


def test_tahun_outside_renstra(tmp_path):
    f = clean_filling()
    f.identity["Tahun Kinerja"] = 2027
    i = the_issue(check(tmp_path, f), "tahun-di-luar-renstra", "Identitas", "B7")
    assert (i.severity, i.value, i.expected) == ("galat", "2027", "2021-2026")


def test_unknown_identitas_choice(tmp_path):
    f = clean_filling()
    f.identity["Metode Efisiensi"] = "Rasio"
    i = the_issue(check(tmp_path, f), "pilihan-tidak-dikenal", "Identitas", "B14")
    assert (i.severity, i.value) == ("galat", "Rasio")
    assert "Selisih, Indeks, Sisa Anggaran" in i.message


def test_unknown_kategori_scale_name(tmp_path):
    f = clean_filling()
    f.identity["Skala Kategori"] = "Skala Lain"
    i = the_issue(check(tmp_path, f), "pilihan-tidak-dikenal", "Identitas", "B12")
    assert "Permendagri 86/2017" in i.message  # the only scale the workbook has


def test_text_year_is_read_and_reported(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb["Identitas"].__setitem__("B7", "2023"))
    i = the_issue(report, "teks-angka-diubah", "Identitas", "B7")
    assert (i.severity, i.value, i.expected) == ("info", "2023", "2023")


def test_header_year_contradicts_tahun(tmp_path):
    report = check(tmp_path, edit=lambda wb: wb["Realisasi"].__setitem__("N3", "Target N-1 (2021)"))
    i = the_issue(report, "tahun-kolom-tidak-sesuai", "Realisasi", "N3")
    assert (i.severity, i.value, i.expected) == ("peringatan", "2021", "2022")  # N-1 of 2023 is 2022


# ---------------------------------------------------------------- codes and required values


def test_required_value_missing(tmp_path):
    f = clean_filling()
    del row(f, "iku", "1.1")["Jenis"]
    i = the_issue(check(tmp_path, f), "isian-wajib-kosong", "IKU", "B5")
    assert (i.severity, i.message) == ("galat", "Jenis wajib diisi.")


def test_unknown_choice(tmp_path):
    f = clean_filling()
    row(f, "iku", "1")["Jenis"] = "Misi"
    i = the_issue(check(tmp_path, f), "pilihan-tidak-dikenal", "IKU", "B4")
    assert (i.severity, i.value) == ("galat", "Misi")
    assert "Tujuan, Sasaran" in i.message


@pytest.mark.parametrize(
    ("table", "sheet", "kode", "dup_of", "cell", "first"),
    [
        ("iku", "IKU", "1.1", "1", "A5", "A4"),
        ("pk", "PK", "1.2", "1.1", "A6", "A5"),
        ("realisasi", "Realisasi", "1.2", "1", "A6", "A4"),
        ("anggaran", "Anggaran", "7.01.01.2.01.0002", "7.01.01.2.01.0001", "A7", "A6"),
    ],
)
def test_duplicate_kode(tmp_path, table, sheet, kode, dup_of, cell, first):
    f = clean_filling()
    row(f, table, kode)["Kode"] = dup_of
    i = the_issue(check(tmp_path, f), "kode-ganda", sheet, cell)
    assert (i.severity, i.value) == ("galat", dup_of)
    assert f"(juga di {first})" in i.message


@pytest.mark.parametrize(
    ("table", "kode", "column", "sheet", "cell"),
    [
        ("pk", "1.1", "Kode", "PK", "A5"),
        ("realisasi", "1.1", "Kode", "Realisasi", "A5"),
        ("anggaran", "7.01.01", "Kode Indikator", "Anggaran", "D4"),
    ],
)
def test_kode_not_in_iku(tmp_path, table, kode, column, sheet, cell):
    f = clean_filling()
    row(f, table, kode)[column] = "1.9"
    i = the_issue(check(tmp_path, f), "kode-tidak-dikenal", sheet, cell)
    assert (i.severity, i.value) == ("galat", "1.9")


def test_kode_typed_as_number(tmp_path):
    f = clean_filling()
    row(f, "iku", "1.1")["Kode"] = 1.1  # Excel turned the code 1.1 into a number
    i = the_issue(check(tmp_path, f), "kode-berupa-angka", "IKU", "A5")
    assert (i.severity, i.expected) == ("peringatan", "1.1")


def test_iku_indicator_without_pk_target(tmp_path):
    f = clean_filling()
    f.tables["pk"] = [r for r in f.tables["pk"] if r["Kode"] != "1.2"]
    i = the_issue(check(tmp_path, f), "target-pk-tidak-ada", "IKU", "A6")
    assert (i.severity, i.value) == ("peringatan", "1.2")


def test_iku_indicator_without_realisasi_row(tmp_path):
    f = clean_filling()
    f.tables["realisasi"] = [r for r in f.tables["realisasi"] if r["Kode"] != "1.2"]
    i = the_issue(check(tmp_path, f), "realisasi-tidak-ada", "IKU", "A6")
    assert (i.severity, i.value) == ("info", "1.2")


def test_realisasi_not_filled(tmp_path):
    f = clean_filling()
    del row(f, "realisasi", "1")["Realisasi"]
    i = the_issue(check(tmp_path, f), "realisasi-kosong", "Realisasi", "I4")
    assert (i.severity, i.value) == ("info", "1")


def test_realisasi_marked_no_value(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1")["Realisasi"] = "Belum ada penilaian"  # no value, never zero
    i = the_issue(check(tmp_path, f), "realisasi-kosong", "Realisasi", "I4")
    assert i.value == "1"


# ---------------------------------------------------------------- numbers in cells


def test_text_that_is_no_number(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1")["Realisasi"] = "banyak"
    i = the_issue(check(tmp_path, f), "angka-tidak-terbaca", "Realisasi", "I4")
    assert (i.severity, i.value) == ("galat", "banyak")
    assert "sebagai angka" in i.message


def test_text_that_is_no_rupiah_amount(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01.0001")["Pagu"] = "satu juta delapan ratus ribu"
    i = the_issue(check(tmp_path, f), "angka-tidak-terbaca", "Anggaran", "K6")
    assert "sebagai jumlah rupiah" in i.message


def test_number_beyond_the_largest_double(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1.1")["Realisasi"] = "1" * 401  # 1,1E+400: no spreadsheet computes past ~1,8E+308
    i = the_issue(check(tmp_path, f), "angka-tidak-wajar", "Realisasi", "I5")
    assert (i.severity, i.value) == ("galat", f"{'1' * 20}...{'1' * 8} (401 karakter)")
    assert i.message.endswith("dianggap belum diisi. Ketik ulang angkanya.")


def test_ambiguous_number_in_rupiah_column(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01.0001")["Pagu"] = "4.186,950"  # seed 002, meant 4.186.950
    i = the_issue(check(tmp_path, f), "angka-ambigu", "Anggaran", "K6")
    assert (i.severity, i.value) == ("galat", "4.186,950")
    # both readings: `,` as decimal mark (4186.95) and as a mistyped thousands dot (4186950)
    assert "dapat berarti 4.186,95 atau 4.186.950" in i.message


def test_ambiguous_number_in_indicator_column(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1.2")["Realisasi"] = "1.393"  # one thousand three hundred ninety-three, or 1.393?
    i = the_issue(check(tmp_path, f), "angka-ambigu", "Realisasi", "I6")
    assert "dapat berarti 1.393 atau 1,393" in i.message  # 1393 and 1.393 written the Indonesian way
    assert i.message.endswith("Tulis ulang tanpa pemisah ribuan: 1393 atau 1,393.")  # each reading unmistakable


def test_garbled_number(tmp_path):
    f = clean_filling()
    row(f, "pk", "1")["Target"] = "87.1 5"  # seed 002, a stray space in 87.15
    i = the_issue(check(tmp_path, f), "angka-rusak", "PK", "D4")
    assert (i.severity, i.value) == ("galat", "87.1 5")
    assert "87,15 atau 87,1" in i.message  # without the space, or the part before it


def test_date_in_number_column(tmp_path):
    def edit(wb):
        cell = wb["Realisasi"]["I5"]
        cell.value = dt.datetime(2023, 5, 6)  # Excel made a date of `6.5`
        cell.number_format = "dd/mm/yyyy"

    i = the_issue(check(tmp_path, edit=edit), "tanggal-di-kolom-angka", "Realisasi", "I5")
    assert (i.severity, i.value) == ("galat", "06/05/2023")


def test_unit_contradicts_satuan(tmp_path):
    f = clean_filling()
    row(f, "pk", "1.1")["Target"] = "17 Desa"  # seed 002: `Desa` for a % indicator
    i = the_issue(check(tmp_path, f), "satuan-tidak-sesuai", "PK", "D5")
    assert (i.severity, i.value) == ("peringatan", "17 Desa")
    assert "('Desa')" in i.message and "('%')" in i.message


def test_text_number_is_read(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1")["Realisasi"] = "81,5"
    i = the_issue(check(tmp_path, f), "teks-angka-diubah", "Realisasi", "I4")
    assert (i.severity, i.value, i.expected) == ("info", "81,5", "81,5")  # 81.5 shown the Indonesian way


def test_percent_formatted_cell(tmp_path):
    def edit(wb):
        cell = wb["Realisasi"]["I5"]  # indicator 1.1, Satuan %
        cell.value = 0.79  # typed `79%` in Excel
        cell.number_format = "0%"

    i = the_issue(check(tmp_path, edit=edit), "persen-diubah", "Realisasi", "I5")
    assert (i.severity, i.value, i.expected) == ("info", "79%", "79")


def test_percent_format_on_rupiah_changes_nothing(tmp_path):
    def edit(wb):
        wb["Anggaran"]["K6"].number_format = "0%"  # the pagu 1.800.000 shown as a percentage

    report = check(tmp_path, edit=edit)
    assert report.issues == []  # rupiah are never percentages: read as 1.800.000, nothing to say


def test_mixed_number_styles(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01.0001")["Pagu"] = "1.800.000"
    row(f, "anggaran", "7.01.01.2.01.0002")["Pagu"] = "1,200,000"  # English style among Indonesian
    report = check(tmp_path, f)
    i = the_issue(report, "gaya-angka-campur", "Anggaran", "K7")
    assert (i.severity, i.value, i.expected) == ("peringatan", "1,200,000", "1.200.000")
    assert the_issue(report, "teks-angka-diubah", "Anggaran", "K6").expected == "1.800.000"


# ---------------------------------------------------------------- targets, grades, ranges


def test_grade_not_on_the_indicators_scale(tmp_path):
    f = clean_filling()
    row(f, "pk", "1.1")["Target"] = "BB"  # seed 002: a SAKIP grade as target of a % indicator
    i = the_issue(check(tmp_path, f), "predikat-tidak-dikenal", "PK", "D5")
    assert (i.severity, i.value) == ("galat", "BB")
    assert "skala '%'" in i.message


def test_grade_of_another_scale(tmp_path):
    f = clean_filling()
    row(f, "iku", "1")["Satuan"] = "Predikat SAKIP"
    row(f, "pk", "1")["Target"] = "BB"
    row(f, "realisasi", "1")["Realisasi"] = "WTP"  # a BPK opinion, not a SAKIP grade
    i = the_issue(check(tmp_path, f), "predikat-tidak-dikenal", "Realisasi", "I4")
    assert (i.value, "Predikat SAKIP" in i.message) == ("WTP", True)


def test_grade_on_no_scale_at_all(tmp_path):
    f = clean_filling()
    row(f, "iku", "1")["Satuan"] = "Predikat SAKIP"
    row(f, "pk", "1")["Target"] = "BB"
    row(f, "realisasi", "1")["Realisasi"] = "E"  # seed 002 prints an E grade the SAKIP scale has not
    i = the_issue(check(tmp_path, f), "predikat-tidak-dikenal", "Realisasi", "I4")
    assert (i.severity, i.value) == ("galat", "E")


def test_grade_target_on_negatif_indicator(tmp_path):
    f = clean_filling()
    row(f, "iku", "1.2")["Satuan"] = "Predikat SAKIP"  # 1.2 is Negatif
    row(f, "pk", "1.2")["Target"] = "BB"
    row(f, "realisasi", "1.2")["Realisasi"] = "BB"
    i = the_issue(check(tmp_path, f), "predikat-pada-negatif", "PK", "D6")
    assert (i.severity, i.value) == ("galat", "BB")


@pytest.mark.parametrize(
    ("table", "column", "raw", "sheet", "cell", "why"),
    [
        ("pk", "Target", "90 - 80", "PK", "D5", "batas bawah lebih besar dari batas atas"),
        ("pk", "Target", "80 -", "PK", "D5", "'80 -' tidak valid."),
        ("pk", "Target", "1.000 - 2.000", "PK", "D5", "ribuan atau desimal"),
        ("realisasi", "Realisasi", "80 - 90", "Realisasi", "I5", "'80 - 90' tidak valid."),  # no range achieved
    ],
)
def test_invalid_range(tmp_path, table, column, raw, sheet, cell, why):
    f = clean_filling()
    row(f, table, "1.1")[column] = raw
    i = the_issue(check(tmp_path, f), "rentang-tidak-valid", sheet, cell)
    assert (i.severity, i.value) == ("galat", raw)
    assert why in i.message


def test_rupiah_pasted_as_realisasi(tmp_path):
    f = clean_filling()
    row(f, "pk", "1")["Target"] = 87.15
    row(f, "realisasi", "1")["Realisasi"] = "14.671.200"  # seed 002, Tabel 3.2
    i = the_issue(check(tmp_path, f), "realisasi-tidak-wajar", "Realisasi", "I4")
    assert (i.severity, i.value, i.expected) == ("galat", "14.671.200", "87,15")
    assert "lebih dari 10 kali" in i.message  # 14671200 / 87.15 = 168344 > 10


def test_realisasi_tenth_of_target_is_implausible(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1.1")["Realisasi"] = 9.9  # target 100: 100 / 9.9 = 10.1 > 10
    the_issue(check(tmp_path, f), "realisasi-tidak-wajar", "Realisasi", "I5")


def test_target_zero(tmp_path):
    f = clean_filling()
    row(f, "pk", "1.1")["Target"] = 0
    i = the_issue(check(tmp_path, f), "target-nol", "PK", "D5")
    assert i.severity == "peringatan"


def test_target_zero_on_a_repeated_code_is_found_on_the_row_the_formulas_use(tmp_path):
    f = clean_filling()
    row(f, "pk", "1.1")["Target"] = 0  # row 5; MATCH finds this first row of code 1.1
    f.tables["pk"].append({"Kode": "1.1", "Target": 100})  # row 7, a second 1.1
    report = check(tmp_path, f)
    the_issue(report, "target-nol", "PK", "D5")
    the_issue(report, "kode-ganda", "PK", "A7")


def test_grade_in_a_target_renstra_column_of_a_negatif_indicator(tmp_path):
    f = clean_filling()
    row(f, "iku", "1.2").update({"Satuan": "Predikat SAKIP", "Target Renstra 2024": "BB"})  # 1.2 is Negatif
    row(f, "pk", "1.2")["Target"] = 8
    found = [(i.sheet, i.value) for i in check(tmp_path, f).issues if i.code == "predikat-pada-negatif"]
    assert found == [("IKU", "BB")]


def test_a_year_with_decimals_is_no_year(tmp_path):
    f = clean_filling()
    f.identity["Tahun Kinerja"] = 2023.5
    checked = check_workbook(write(tmp_path, f))
    assert checked.data.tahun is None  # the same rule as the finding below: not 2023
    assert any(i.code == "tahun-tidak-valid" for i in checked.report.issues)


# ---------------------------------------------------------------- budget


def test_a_short_lowest_level_is_reported_once_not_at_every_ancestor(tmp_path):
    f = clean_filling()
    sub = {"Kode": "7.01.01.2.01.0001.R01", "Jenis": "Rekening", "Uraian": "Belanja ATK", "Pagu": 1700000,
           "Realisasi Anggaran": 1790000}
    f.tables["anggaran"].insert(3, sub)  # the first sub kegiatan's one rekening line states 1.700.000
    report = check(tmp_path, f)
    # sub kegiatan 0001 (row 6) types 1.800.000 over its rekening's 1.700.000: reported there;
    # kegiatan (row 5) types 3.000.000 = 1.800.000 + 1.200.000 its sub kegiatan state: consistent;
    # kegiatan 0002 (row 8) has no children; program (row 4) agrees with its kegiatan.
    found = sorted(i.cell for i in report.issues if i.code == "jumlah-induk-tidak-sesuai")
    assert found == ["K6"]
    TRIGGERED.add("jumlah-induk-tidak-sesuai")


def test_parent_total_not_the_sum_of_its_children(tmp_path, produced):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01")["Pagu"] = 3100000
    path = write(tmp_path, f)
    keep(produced, path)
    i = the_issue(check_workbook(path).report, "jumlah-induk-tidak-sesuai", "Anggaran", "K5")
    # children: 1.800.000 + 1.200.000 = 3.000.000; 3.100.000 - 3.000.000 = 100.000
    assert (i.severity, i.value, i.expected) == ("galat", "3.100.000", "3.000.000")
    assert "tertulis 3.100.000" in i.message and "di bawahnya 3.000.000 (selisih 100.000)" in i.message


def test_parent_realisasi_not_the_sum_of_its_children(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01")["Realisasi Anggaran"] = 2700000
    i = the_issue(check(tmp_path, f), "jumlah-induk-tidak-sesuai", "Anggaran", "L4")
    # the program's child is the kegiatan: 2.790.000; 2.700.000 - 2.790.000 = -90.000
    assert (i.value, i.expected) == ("2.700.000", "2.790.000")
    assert "Realisasi Anggaran Program" in i.message and "selisih -90.000" in i.message


def test_typed_grand_total_wrong(tmp_path):
    f = clean_filling()
    f.tables["anggaran"].append({"Uraian": "JUMLAH", "Pagu": 3100000, "Realisasi Anggaran": 2790000})  # row 8
    i = the_issue(check(tmp_path, f), "jumlah-total-tidak-sesuai", "Anggaran", "K8")
    assert (i.severity, i.value, i.expected) == ("galat", "3.100.000", "3.000.000")  # one program: 3.000.000


def test_realisasi_above_pagu(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01.0002")["Realisasi Anggaran"] = 1300000
    i = the_issue(check(tmp_path, f), "realisasi-melebihi-pagu", "Anggaran", "L7")
    assert (i.severity, i.value, i.expected) == ("galat", "1.300.000", "1.200.000")


def test_negative_amount(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01.0002")["Pagu Awal"] = -1200000
    i = the_issue(check(tmp_path, f), "nilai-negatif", "Anggaran", "J7")
    assert (i.severity, i.value) == ("galat", "-1.200.000")
    assert i.message.startswith("Pagu Awal bernilai negatif")


def test_indicator_linked_at_two_levels(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01")["Kode Indikator"] = "1.1"  # the program (row 4) links 1.1 already
    i = the_issue(check(tmp_path, f), "indikator-dihitung-ganda", "Anggaran", "D5")
    assert (i.severity, i.value) == ("peringatan", "1.1")
    assert "Program 7.01.01 di baris 4" in i.message


def test_link_on_a_row_whose_money_is_only_in_its_children(tmp_path):
    f = clean_filling()
    program = row(f, "anggaran", "7.01.01")
    del program["Pagu"], program["Realisasi Anggaran"]  # the program's money is left to its kegiatan
    i = the_issue(check(tmp_path, f), "tautan-tanpa-pagu", "Anggaran", "D4")
    assert (i.severity, i.value, i.expected) == ("peringatan", "1.1", "3.000.000")  # 1.800.000 + 1.200.000


def test_row_without_parent(tmp_path):
    f = clean_filling()
    f.tables["anggaran"] = f.tables["anggaran"][1:]  # no program: the kegiatan is now row 4
    i = the_issue(check(tmp_path, f), "induk-tidak-ada", "Anggaran", "B4")
    assert i.severity == "galat"
    assert i.message.startswith("Kegiatan ini tidak punya program di atasnya")


def test_code_not_under_its_parents_code(tmp_path):
    f = clean_filling()
    row(f, "anggaran", "7.01.01.2.01.0001")["Kode"] = "7.01.02.2.01.0001"
    i = the_issue(check(tmp_path, f), "kode-tidak-sesuai-induk", "Anggaran", "A6")
    assert (i.severity, i.value, i.expected) == ("peringatan", "7.01.02.2.01.0001", "7.01.01.2.01")


# ---------------------------------------------------------------- formulas typed over


@pytest.mark.parametrize(
    ("table", "kode", "label", "typed", "sheet", "cell", "expected"),
    [
        ("realisasi", "1", "Capaian (%)", 99, "Realisasi", "L4", "98,78"),  # 81 / 82 x 100 = 98.780..
        ("realisasi", "1.2", "Kategori", "Sangat Tinggi", "Realisasi", "M6", "Tinggi"),  # 87.5: >= 76, < 91
        # seed 002 prints penyerapan 99,92% of an amount; 1.790.000 / 1.800.000 x 100 = 99.444..
        ("anggaran", "7.01.01.2.01.0001", "Penyerapan (%)", "99,92%", "Anggaran", "M6", "99,44"),
        ("pk", "1.1", "Target Berlaku", 25, "PK", "F5", "100"),  # seed 000: PK 100%, results table 25%
    ],
)
def test_formula_typed_over_with_another_value(tmp_path, produced, table, kode, label, typed, sheet, cell, expected):
    f = clean_filling()
    row(f, table, kode)[label] = typed
    path = write(tmp_path, f)
    i = the_issue(check_workbook(path).report, "rumus-tertimpa", sheet, cell)
    assert (i.severity, i.expected) == ("galat", expected)
    if table == "realisasi" and label == "Capaian (%)":
        keep(produced, path)


def test_formula_typed_over_with_its_own_value(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1")["Capaian (%)"] = 98.78  # what the formula gives
    i = the_issue(check(tmp_path, f), "rumus-dipulihkan", "Realisasi", "L4")
    assert i.severity == "info"


# ---------------------------------------------------------------- scales


def test_scale_with_duplicate_lower_bound(tmp_path):
    f = clean_filling()
    f.tables["kategori"] = [  # rows 9-11, below the 5 pre-filled bands
        {"Skala": "Skala Kecamatan", "Batas Bawah": 90, "Kategori": "Baik"},
        {"Skala": "Skala Kecamatan", "Batas Bawah": 90, "Kategori": "Cukup"},
        {"Skala": "Skala Kecamatan", "Batas Bawah": 0, "Kategori": "Kurang"},
    ]
    i = the_issue(check(tmp_path, f), "skala-tidak-valid", "Skala", "A9")  # the scale's first row
    assert (i.severity, i.value) == ("galat", "Skala Kecamatan")
    assert "batas bawah 90 dipakai lebih dari sekali" in i.message


def test_scale_with_duplicate_grade(tmp_path):
    f = clean_filling()
    f.tables["predikat"] = [  # rows 19-20, below the 15 pre-filled grades
        {"Skala Predikat": "Skala Desa", "Predikat": "A", "Peringkat": 1},
        {"Skala Predikat": "Skala Desa", "Predikat": "A", "Peringkat": 2},
    ]
    i = the_issue(check(tmp_path, f), "skala-tidak-valid", "Skala", "G20")  # the second A
    assert "predikat A tertulis lebih dari sekali" in i.message


def test_scale_gap_between_printed_bands(tmp_path):
    f = clean_filling()
    f.tables["kategori"] = [  # seed 000 style: printed bands leave 50..60 uncovered
        {"Skala": "Skala Kecamatan", "Batas Bawah": 60, "Kategori": "Baik", "Batas Atas": 100},  # row 9
        {"Skala": "Skala Kecamatan", "Batas Bawah": 0, "Kategori": "Kurang", "Batas Atas": 50},  # row 10
    ]
    i = the_issue(check(tmp_path, f), "skala-celah", "Skala", "D10")  # Batas Atas of the 0-50 band
    assert i.severity == "peringatan"
    assert "celah antara 50 dan 60" in i.message


def test_scale_overlapping_bands(tmp_path):
    f = clean_filling()
    f.tables["kategori"] = [
        {"Skala": "Skala Kecamatan", "Batas Bawah": 0, "Kategori": "Kurang", "Batas Atas": 70},  # row 9
        {"Skala": "Skala Kecamatan", "Batas Bawah": 60, "Kategori": "Baik", "Batas Atas": 100},  # row 10
    ]
    i = the_issue(check(tmp_path, f), "skala-celah", "Skala", "D9")
    assert "tumpang tindih (0-70 dan mulai 60)" in i.message


def test_scale_without_a_lowest_band(tmp_path):
    f = clean_filling()
    f.tables["kategori"] = [
        {"Skala": "Skala Kecamatan", "Batas Bawah": 60, "Kategori": "Baik"},
        {"Skala": "Skala Kecamatan", "Batas Bawah": 10, "Kategori": "Kurang"},
    ]
    i = the_issue(check(tmp_path, f), "skala-celah", "Skala", "A9")
    assert "celah di bawah 10" in i.message  # a capaian of 5 has no kategori


# ---------------------------------------------------------------- the command line


def test_cli_check_clean_workbook_exits_0(tmp_path):
    path = write(tmp_path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [f"== {path}", "   0 galat, 0 peringatan, 0 info"]


def test_cli_check_workbook_with_galat_exits_1(tmp_path):
    f = clean_filling()
    row(f, "realisasi", "1")["Realisasi"] = "banyak"
    path = write(tmp_path, f)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1] == "   1 galat, 0 peringatan, 0 info"
    assert lines[2] == "-- galat"
    assert lines[3].split()[:3] == ["Realisasi", "I4", "angka-tidak-terbaca"]


def test_check_lists_the_most_serious_first_in_filling_order_one_line_per_cause(tmp_path):
    f = clean_filling()
    for kode in ("1", "1.1"):  # one cause in two cells: a letter grade where % is the unit
        row(f, "iku", kode)["Satuan"] = "%"
        row(f, "pk", kode)["Target"] = "BB"
    row(f, "realisasi", "1")["Realisasi"] = "81 Nilai"  # another unit than the indicator's %: a peringatan
    row(f, "iku", "1")["Polaritas"] = "Naik"  # not a choice: a galat on IKU, filled before PK
    report = check(tmp_path, f)
    lines = [(g.first.severity, g.first.sheet, g.cells, g.first.code) for g in report.grouped()
             if g.first.severity != "info"]
    assert lines[:2] == [("galat", "IKU", ("F4",), "pilihan-tidak-dikenal"),
                         ("galat", "PK", ("D4", "D5"), "predikat-tidak-dikenal")]
    assert lines[2:] == [("peringatan", "Realisasi", ("I4",), "satuan-tidak-sesuai")]


def test_cli_check_missing_sheet_exits_1(tmp_path):
    path = write(tmp_path, edit=lambda wb: wb.remove(wb["Anggaran"]))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "   TIDAK SESUAI TEMPLAT: lkjip.xlsx: lembar wajib tidak ada: Anggaran. Pakai buku kerja dari sakip-xl template."
    )


UNREADABLE_LINE = ("   GAGAL DIBACA: {name}: berkas rusak atau bukan buku kerja Excel/LibreOffice. "
                   "Buka dan simpan ulang di Excel, atau minta kiriman berkas yang baru.")


@pytest.mark.parametrize("kind", ["text", "corrupt-zip"])
def test_cli_check_unreadable_file_exits_2(tmp_path, kind):
    path = tmp_path / "laporan.xlsx"
    if kind == "text":
        path.write_text("Laporan Kinerja 2023\n", encoding="utf-8")
    else:
        good = write(tmp_path, name="baik.xlsx").read_bytes()
        path.write_bytes(good[: len(good) // 2])  # a download cut in the middle
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.output.splitlines()[:2] == [f"== {path}", UNREADABLE_LINE.format(name="laporan.xlsx")]


def test_cli_recompute_unreadable_file_exits_2_with_one_line(tmp_path):
    path = tmp_path / "laporan.xlsx"
    path.write_text("bukan buku kerja", encoding="utf-8")
    result = CliRunner().invoke(main, ["recompute", str(path), "-o", str(tmp_path / "hasil.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Galat: laporan.xlsx: berkas rusak atau bukan buku kerja Excel/LibreOffice. Buka dan simpan ulang di "
        "Excel, atau minta kiriman berkas yang baru."
    ]
    assert not (tmp_path / "hasil.xlsx").exists()


def test_cli_check_json(tmp_path):
    f = clean_filling()
    row(f, "pk", "1.1")["Target"] = "17 Desa"
    path = write(tmp_path, f)
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    assert result.exit_code == 0  # a peringatan is no galat
    data = json.loads(result.output)
    assert data["counts"] == {"galat": 0, "peringatan": 1, "info": 0}
    (only,) = data["files"]
    assert (only["file"], only["status"]) == (str(path), "ok")
    (found,) = only["issues"]
    assert (found["code"], found["severity"], found["sheet"], found["cell"], found["value"]) == (
        "satuan-tidak-sesuai", "peringatan", "PK", "D5", "17 Desa")


def test_a_result_past_the_largest_double_is_a_galat_at_its_cell(tmp_path):
    f = clean_filling()
    row(f, "iku", "1")["Agregasi Triwulan"] = "Jumlah"
    row(f, "realisasi", "1").update({"Realisasi": None, "Realisasi TW I": 1.7e308, "Realisasi TW II": 1.7e308})
    # 1,7E+308 + 1,7E+308 passes the largest double (1,797E+308): Realisasi Berlaku (J4) is #NUM!
    found = the_issue(check(tmp_path, f), "hasil-melampaui-batas", "Realisasi", "J4")
    assert "Realisasi Berlaku" in found.message


def test_workbook_without_any_realisasi_is_not_filled(tmp_path):
    f = clean_filling()
    f.tables["realisasi"] = [{"Kode": r["Kode"]} for r in f.tables["realisasi"]]  # codes, no value at all
    found = the_issue(check(tmp_path, f), "belum-diisi", "Realisasi", "A4")
    assert found.severity == "galat" and "belum ada satu pun realisasi" in found.message


def test_blank_template_is_not_filled_and_check_says_what_is_missing(tmp_path):
    path = tmp_path / "kosong.xlsx"
    write_template(path, pemda="Kabupaten Sumenep", perangkat_daerah="Kecamatan Bluto", tahun=2024,
                   renstra="2021-2026")
    report = check_workbook(path).report
    missing = {(i.sheet, i.cell): i.message for i in report.issues if i.code == "belum-diisi"}
    assert sorted(missing) == [("IKU", "A4"), ("PK", "A4"), ("Realisasi", "A4")]
    assert "belum ada satu pun indikator" in missing[("IKU", "A4")]
    assert "belum ada satu pun target Perjanjian Kinerja" in missing[("PK", "A4")]
    # only these three: identity is filled, so nothing else is wrong with the file
    assert [i.code for i in report.issues if i.severity == "galat"] == ["belum-diisi"] * 3
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output


def test_cli_check_json_of_an_unreadable_file(tmp_path):
    path = tmp_path / "laporan.xlsx"
    path.write_text("bukan buku kerja", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    assert result.exit_code == 2
    (only,) = json.loads(result.output)["files"]
    assert only["status"] == UNREADABLE == "gagal dibaca"
    assert only["reason"].startswith("laporan.xlsx: berkas rusak")


# ---------------------------------------------------------------- every code has a test


def test_every_catalog_code_is_triggered_by_a_test_above(request):
    """A new code in report.CATALOG needs its own test in this file."""
    module = sys.modules[__name__]
    defined = {n for n in dir(module) if n.startswith("test_")}
    ran = {item.originalname for item in request.session.items if getattr(item, "module", None) is module}
    if ran != defined:
        pytest.skip("only part of test_checks.py was selected")
    assert sorted(set(CATALOG) - TRIGGERED) == []
    assert TRIGGERED <= set(CATALOG)
