"""`sakip-xl merge`: the rekap of many offices' workbooks (issue 4)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner

from conftest import keep
from paths import BLUTO, KALIANGET
from sakip_xl.cli import main
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.commands.merge import merge
from sakip_xl.sheets.rekap import write_rekap
from sakip_xl.synthetic import synthetic_filling
from sakip_xl.commands.template import write_template



def small(office: str, tahun: int = 2023, pagu: float = 1_000_000, spent: float = 800_000, uraian: str = "Program A",
          realisasi: float = 81) -> Filling:
    """One Tujuan indicator (target 90) and one program: figures easy to check by hand."""
    f = Filling()
    f.identity = {"Pemerintah Daerah": "Kabupaten Sumenep", "Perangkat Daerah": office, "Tahun Kinerja": tahun,
                  "Periode Renstra": "2021-2026"}
    f.tables = {
        "iku": [{"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "T", "Indikator Kinerja": "Indeks", "Satuan": "%"}],
        "pk": [{"Kode": "1", "Target": 90}],
        "realisasi": [{"Kode": "1", "Realisasi": realisasi}],
        "anggaran": [{"Kode": "7.01.01", "Jenis": "Program", "Uraian": uraian, "Kode Indikator": "1",
                      "Pagu": pagu, "Realisasi Anggaran": spent}],
    }
    return f


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """What a Bagian Organisasi receives: good workbooks and every kind of broken file."""
    d = tmp_path_factory.mktemp("kiriman")
    shutil.copy(KALIANGET, d / "kalianget-2023.xlsx")
    shutil.copy(BLUTO, d / "bluto-2020.xlsx")  # another year: left out
    sub = d / "kecamatan"
    sub.mkdir()
    for i in range(3):
        write_filled(sub / f"kec-{i}.xlsx", synthetic_filling(500 + i, 8, 40, office=f"Kecamatan Uji {i}"))
    write_filled(d / "dinas-a.xlsx", small("Dinas A"))
    (d / "rusak.xlsx").write_bytes(b"PK\x03\x04bukan zip")
    (d / "catatan.xlsx").write_text("ini bukan buku kerja", encoding="utf-8")
    with zipfile.ZipFile(d / "laporan.xlsx", "w") as z:  # a Word document renamed
        z.writestr("word/document.xml", "<w:document/>")
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le")
    (d / "terkunci.xlsx").write_bytes(cfb + b"\x00" * 2000)  # an encrypted (password) workbook's container
    wb = xlsxwriter.Workbook(str(d / "format-lain.xlsx"))  # a workbook of the office's own design
    wb.add_worksheet("Sheet1").write_row(0, 0, ["No", "Indikator", "Target", "Realisasi"])
    wb.close()
    return d


@pytest.fixture(scope="module")
def merged(inbox):
    return merge([inbox], jobs=2)


def test_every_file_is_listed_and_broken_ones_with_their_reason(merged):
    by_name = {Path(e.path).name: e for e in merged.entries}
    assert len(by_name) == 11
    reasons = {name: by_name[name].reason for name in
               ("rusak.xlsx", "catatan.xlsx", "laporan.xlsx", "terkunci.xlsx", "format-lain.xlsx")}
    assert "rusak" in reasons["rusak.xlsx"]
    assert "rusak atau bukan buku kerja" in reasons["catatan.xlsx"]
    assert "bukan buku kerja" in reasons["laporan.xlsx"]
    assert "kata sandi" in reasons["terkunci.xlsx"]
    assert "lembar wajib tidak ada" in reasons["format-lain.xlsx"]
    for name in reasons:
        assert by_name[name].status == "gagal dibaca"
    assert by_name["bluto-2020.xlsx"].used is False and "tahun 2020" in by_name["bluto-2020.xlsx"].note
    assert merged.tahun == 2023  # 5 of the 6 readable files report 2023


def test_rekap_sheets_and_ringkasan_figures(merged, tmp_path, produced):
    out = write_rekap(tmp_path / "rekap.xlsx", merged)
    keep(produced, out)
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == ["Ringkasan", "Indikator", "Anggaran", "Pemeriksaan", "Berkas"]
    ws = wb["Ringkasan"]
    header = [c.value for c in ws[4]]
    rows = {r[2]: dict(zip(header, r)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    a = rows["Dinas A"]
    assert a["Rata-rata Capaian (%)"] == 90  # 81 / 90 x 100
    assert a["Kategori"] == "Tinggi"  # 76 <= 90 < 91
    assert a["Pagu (Rp)"] == 1_000_000 and a["Realisasi Anggaran (Rp)"] == 800_000
    assert a["Penyerapan (%)"] == 80  # 800.000 / 1.000.000
    assert a["Efisiensi"] == 10  # Selisih: 90 - 80
    assert a["Status"] == "lengkap"
    assert rows["Kecamatan Kalianget"]["Status"] == "ada galat"
    failed = [r for r in rows.values() if r["Status"] == "gagal dibaca"]
    assert len(failed) == 5
    total = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[2] == "JUMLAH / RATA-RATA")
    # Money is totalled over the offices whose pagu and realisasi are both known: Kalianget's
    # program 7.01.02 has no realisasi at any level, so its total realisasi is not measurable
    # and the office is left out of the money total (blank is not zero).
    assert rows["Kecamatan Kalianget"]["Realisasi Anggaran (Rp)"] is None
    offices = [r for r in rows.values() if isinstance(r["Realisasi Anggaran (Rp)"], (int, float))]
    assert len(offices) == 4  # Dinas A and the three synthetic kecamatan
    assert total[11] == sum(r["Pagu (Rp)"] for r in offices)
    assert total[12] == sum(r["Realisasi Anggaran (Rp)"] for r in offices)
    berkas = [r for r in wb["Berkas"].iter_rows(min_row=2, values_only=True)]
    assert len(berkas) == 11
    assert all(len(r[2]) == 64 for r in berkas if r[1])  # SHA-256 of every readable file
    assert wb["Indikator"].max_row - 1 == sum(len(e.indicators) for e in merged.used)


def test_rank_by_average_capaian(merged, tmp_path):
    out = write_rekap(tmp_path / "rekap.xlsx", merged)
    ws = openpyxl.load_workbook(out, data_only=True)["Ringkasan"]
    ranked = sorted((r[19], r[8]) for r in ws.iter_rows(min_row=5, values_only=True)
                    if r[0] and isinstance(r[8], (int, float)))
    averages = [avg for _rank, avg in ranked]
    assert averages == sorted(averages, reverse=True)  # rank 1 has the highest average
    assert ranked[0][0] == 1



def test_ringkasan_rank_and_penyerapan_worked_by_hand():
    """Peringkat = 1 + the number of offices with a higher average (ties share a rank, an
    office without an average has none); penyerapan = ROUND(realisasi / pagu * 100, 2),
    blank when the pagu is 0 or unknown."""
    from sakip_xl.model.book import Book
    from sakip_xl.sheets.rekap import RINGKASAN, _ringkasan

    def office(average, pagu, spent):
        return ("Kab", "PD", "", 2023, 1, 1, 0, average, "", "", pagu, spent, None, None, "", 0, 0, "lengkap", "x")

    book = Book()
    spec = _ringkasan(book, [office(90.0, 200.0, 150.0), office(80.0, 0.0, 5.0), office(90.0, None, 5.0),
                             office(None, 300.0, 100.0), office(85.5, 3.0, 2.0)])
    rows = range(spec.first_data_row, spec.first_data_row + 5)
    # averages 90, 80, 90, -, 85.5: higher than 90 none (1), than 80 three (4), than 85.5 two (3)
    assert [book.value(RINGKASAN, r, 19) for r in rows] == [1.0, 4.0, 1.0, "", 3.0]
    # 150/200 = 75%; pagu 0 and pagu unknown: blank; 100/300 = 33.333..% -> 33.33; 2/3 -> 66.67
    assert [book.value(RINGKASAN, r, 13) for r in rows] == [75.0, "", "", 33.33, 66.67]

def test_a_blank_template_is_belum_diisi_not_lengkap(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_template(d / "kosong.xlsx", pemda="Kabupaten Sumenep", perangkat_daerah="Dinas Kosong", tahun=2023,
                   renstra="2021-2026")
    write_filled(d / "a.xlsx", small("Dinas A"))
    result = merge([d], jobs=1)
    status = {e.office.perangkat_daerah: e.status for e in result.used}
    assert status == {"Dinas Kosong": "belum diisi", "Dinas A": "lengkap"}
    assert result.counts()["belum diisi"] == 1


def test_text_from_workbooks_never_becomes_a_formula(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_filled(d / "x.xlsx", small("Dinas X", uraian="=1+1"))
    write_filled(d / "y.xlsx", small("Dinas Y", uraian="@SUM(A1)"))
    out = write_rekap(tmp_path / "rekap.xlsx", merge([d], jobs=1))
    ws = openpyxl.load_workbook(out)["Anggaran"]
    cells = {row[0].value: row[4] for row in ws.iter_rows(min_row=2)}
    assert {k: c.value for k, c in cells.items()} == {"Dinas X": "=1+1", "Dinas Y": "@SUM(A1)"}
    assert {c.data_type for c in cells.values()} == {"s"}  # text cells; a formula would be "f"


def test_newer_duplicate_is_used_and_the_choice_stated(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_filled(d / "lama.xlsx", small("Dinas A", realisasi=60))
    write_filled(d / "baru.xlsx", small("Dinas A", realisasi=81))
    os.utime(d / "lama.xlsx", (1_600_000_000, 1_600_000_000))  # same saved time inside: file time decides
    os.utime(d / "baru.xlsx", (1_700_000_000, 1_700_000_000))
    result = merge([d], jobs=1)
    by_name = {Path(e.path).name: e for e in result.entries}
    assert by_name["baru.xlsx"].used and "versi terbaru" in by_name["baru.xlsx"].note
    assert not by_name["lama.xlsx"].used and "baru.xlsx" in by_name["lama.xlsx"].note
    assert [e.office.average for e in result.used] == [90]  # 81 / 90, the newer file


def test_tahun_option_selects_the_year(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_filled(d / "a.xlsx", small("Dinas A", tahun=2022))
    write_filled(d / "b.xlsx", small("Dinas B", tahun=2023))
    write_filled(d / "c.xlsx", small("Dinas C", tahun=2023))
    assert [e.office.perangkat_daerah for e in merge([d], jobs=1).used] == ["Dinas B", "Dinas C"]
    assert [e.office.perangkat_daerah for e in merge([d], tahun=2022, jobs=1).used] == ["Dinas A"]
    (d / "c.xlsx").unlink()  # one file each for 2022 and 2023: the later year is this round's
    assert [e.office.perangkat_daerah for e in merge([d], jobs=1).used] == ["Dinas B"]


def test_result_is_identical_for_any_jobs_and_input_order(inbox, tmp_path):
    files = sorted(str(p) for p in inbox.rglob("*.xlsx"))
    a = write_rekap(tmp_path / "a.xlsx", merge(files, jobs=1))
    b = write_rekap(tmp_path / "b.xlsx", merge(list(reversed(files)), jobs=2))
    c = write_rekap(tmp_path / "c.xlsx", merge([inbox], jobs=3))
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()


def test_cli_merge_csv_json_and_exit_codes(inbox, tmp_path):
    runner = CliRunner()
    out, csv_dir = tmp_path / "rekap.xlsx", tmp_path / "csv"
    r = runner.invoke(main, ["merge", str(inbox), "-o", str(out), "--csv", str(csv_dir), "--json"])
    assert r.exit_code == 1, r.output  # some files failed or had galat
    summary = json.loads(r.output)
    assert summary["counts"]["gagal dibaca"] == 5 and summary["tahun"] == 2023
    assert out.exists()
    with open(csv_dir / "ringkasan.csv", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert header == ["pemda", "perangkat_daerah", "kode", "tahun", "indikator_iku", "indikator_dengan_capaian",
                      "indikator_dikecualikan_galat", "rata_rata_capaian", "batas_capaian", "kategori", "pagu", "realisasi_anggaran", "penyerapan",
                      "efisiensi", "metode_efisiensi", "galat", "peringatan", "status", "berkas"]
    for name, first in (("indikator.csv", "perangkat_daerah"), ("anggaran.csv", "perangkat_daerah"),
                        ("pemeriksaan.csv", "berkas")):
        with open(csv_dir / name, encoding="utf-8-sig") as fh:
            assert next(csv.reader(fh))[0] == first
    clean = tmp_path / "clean"
    clean.mkdir()
    write_filled(clean / "a.xlsx", small("Dinas A"))
    r = runner.invoke(main, ["merge", str(clean), "-o", str(tmp_path / "r2.xlsx"), "--quiet"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1].startswith("Tahun 2023: 1 berkas, 1 digabung (1 lengkap, 0 ada galat, 0 belum diisi)")
    r = runner.invoke(main, ["merge", str(tmp_path / "tidak-ada"), "-o", str(tmp_path / "r3.xlsx")])
    assert r.exit_code == 2
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "rusak.xlsx").write_bytes(b"PK\x03\x04x")
    r = runner.invoke(main, ["merge", str(broken), "-o", str(tmp_path / "r4.xlsx")])
    assert r.exit_code == 2 and not (tmp_path / "r4.xlsx").exists()
