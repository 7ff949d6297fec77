"""Golden tests on the two examples transcribed from the seed reports.

- the committed examples/*.xlsx are what scripts/build.py writes from their CSVs;
- the figures the reports print that follow from their own inputs come out of
  `recompute`, read as cached values at cells located by hand;
- every inconsistency the NOTES.md tables list with a check code is reported
  by `check_workbook` with that code at that cell.

Cell addresses: header row 3, CSV data row i is sheet row 4 + i; columns in
docs/contract.md order (IKU: Kode A ... Target Akhir Renstra L, Standar
Nasional M, then the Target Renstra years from N; PK: Target D, Target
Perubahan E, Target Berlaku F; Realisasi: Realisasi I, Target Berlaku K,
Capaian L, Kategori M, Target N-1 N, Realisasi N-1 O, Capaian N-1 P,
Kemajuan Renstra S, Capaian Standar Nasional U, Efisiensi Y; Anggaran: Target
Kinerja G, Pagu Awal J, Pagu K, Realisasi Anggaran L, Penyerapan M).
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from paths import EXAMPLE_SOURCES, EXAMPLES
from sakip_xl.model.fill import read_csv_folder, write_filled
from sakip_xl.model.workbook import check_workbook
from sakip_xl.commands.recompute import recompute

NAMES = ("bluto-2020", "kalianget-2023")


# ---------------------------------------------------------------- committed files


@pytest.mark.parametrize("name", NAMES)
def test_committed_example_is_up_to_date_with_its_csv(name, tmp_path):
    """sakip_xl/examples/<name>.xlsx is what the CSVs give now. Regenerate with `python scripts/build.py`."""
    fresh = write_filled(tmp_path / f"{name}.xlsx", read_csv_folder(EXAMPLE_SOURCES / name))
    committed = EXAMPLES / f"{name}.xlsx"
    with zipfile.ZipFile(committed) as a, zipfile.ZipFile(fresh) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for part in a.namelist():
            assert a.read(part) == b.read(part), f"{name}.xlsx: {part} differs: run python scripts/build.py"


# ---------------------------------------------------------------- printed figures


@pytest.fixture(scope="module")
def recomputed(tmp_path_factory):
    """{name: (values workbook, formulas workbook)} of each example recomputed."""
    out = {}
    folder = tmp_path_factory.mktemp("examples")
    for name in NAMES:
        path = recompute(EXAMPLES / f"{name}.xlsx", folder / f"{name}-hasil.xlsx", make_backup=False).output
        out[name] = (openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path))
    return out


def test_kalianget_ikm_capaian_and_comparisons(recomputed):
    values, formulas = recomputed["kalianget-2023"]
    r = values["Realisasi"]
    assert r["A4"].value == "1" and r["B4"].value == "Nilai IKM Kecamatan"  # CSV row 0: indicator 1
    assert r["K4"].value == 82  # Target Berlaku: PK Target 82 (no Target Perubahan)
    assert r["L4"].value == 98.78  # 81 / 82 x 100 = 98.7805 -> 98.78
    assert r["M4"].value == "Sangat Tinggi"  # 98.78 >= 91 (Permendagri 86/2017, the default scale)
    assert r["P4"].value == 98.77  # Capaian N-1: 80 / 81 x 100 = 98.7654 -> 98.77
    assert r["S4"].value == 95.29  # Kemajuan Renstra: 81 / 85 x 100 = 95.2941 -> 95.29
    assert r["U4"].value == 93.10  # Capaian Standar Nasional: 81 / 87 x 100 = 93.1034 -> 93.10
    # The report's "98,78%" typed in the capaian cell is replaced by the formula.
    for a1 in ("K4", "L4", "M4", "P4", "S4", "U4"):
        assert str(formulas["Realisasi"][a1].value).startswith("="), a1
    c = values["Capaian"]  # first indicator row of the Capaian table: row 5
    assert (c["B5"].value, c["J5"].value, c["L5"].value) == ("1", 98.78, "Sangat Tinggi")
    p = values["Perbandingan"]
    assert (p["B5"].value, p["G5"].value, p["J5"].value) == ("1", 98.77, 98.78)
    assert p["K5"].value == 0.01  # Perubahan capaian: 98.78 - 98.77
    assert (p["N5"].value, p["P5"].value) == (95.29, 93.10)


def test_kalianget_indicator_1_1_uses_the_target_in_force(recomputed):
    values, _ = recomputed["kalianget-2023"]
    r = values["Realisasi"]
    assert r["A5"].value == "1.1"
    assert r["K5"].value == 87  # PK Target Perubahan 87 is in force (the report types 82 Nilai)
    assert r["L5"].value == 93.10  # 81 / 87 x 100 = 93.1034 -> 93.10, not the printed 98,78


def test_kalianget_budget_rows_and_rekap_anggaran(recomputed):
    values, _ = recomputed["kalianget-2023"]
    a = values["Anggaran"]
    # Program Penyelenggaraan Urusan Pemerintahan Umum as the report prints it (CSV row 119 -> row 123):
    assert a["A123"].value == "7.01.05"
    assert (a["K123"].value, a["L123"].value) == (152960600, 121467000)  # "152.960.600" typed as text
    assert a["M123"].value == 79.41  # 121.467.000 / 152.960.600 x 100 = 79.4113 -> 79.41
    assert a["N123"].value == 31493600  # 152.960.600 - 121.467.000
    rk = values["Rekap Anggaran"]
    # Rekap rows (header row 4): programs, kegiatan and sub kegiatan in order, money rolled up
    # from the lowest level that has it.
    # Counted from Anggaran.csv without its Rekening lines: 7.01.01 has 1 + (1+4) + (1+1) + (1+1)
    # + (1+6) + (1+2) + (1+2) + (1+3) = 27 rows (5..31), 7.01.02 5 rows (32..36), 7.01.03 7 (37..43),
    # 7.01.04 4 (44..47), 7.01.05 3 (48..50), 7.01.06 3 (51..53), JUMLAH on row 54.
    assert [rk[f"A{n}"].value for n in (5, 32, 37, 44, 48, 51)] == [
        "7.01.01", "7.01.02", "7.01.03", "7.01.04", "7.01.05", "7.01.06"]
    # 7.01.04: sub kegiatan 0001 = 1.488.000 + 3.120.000 + 9.000.000 = 13.608.000;
    # 0002 = 698.360 + 109.000 + 262.400 + 382.000 + 2.800.000 + 400.000 + 350.000 + 2.560.000 = 7.561.760
    assert rk["E44"].value == 21169760  # 13.608.000 + 7.561.760
    # realisasi 13.608.000 + (651.000 + 100.000 + 260.000 + 380.000 + 2.800.000 + 400.000 + 350.000
    # + 2.560.000 = 7.501.000)
    assert rk["F44"].value == 21109000
    assert rk["G44"].value == 99.71  # 21.109.000 / 21.169.760 x 100 = 99.7130 -> 99.71 (printed 99,71 %)
    assert rk["H44"].value == 60760  # 21.169.760 - 21.109.000
    # 7.01.06: rekening 44,100 + 95,600 + 494,700 + 1,500,000 + 6,720,000 = 8.854.400;
    # realisasi 44,000 + 95,000 + 494,000 + 1,500,000 + 6,720,000 = 8.853.000
    assert (rk["E51"].value, rk["F51"].value) == (8854400, 8853000)
    assert rk["G51"].value == 99.98  # 8.853.000 / 8.854.400 x 100 = 99.9842 (printed 96,98 %)
    # 7.01.03: the PPKM kegiatan has no pagu awal, so the kegiatan's pagu awal do not add up to the
    # program's (blank is not zero: 9.878.000 + 20.010.520 = 29.888.520 would leave it out); the
    # program's own typed pagu awal, 34.208.520 (Tabel 2.7), is used. Pagu 9.878.000 + 4.320.000
    # + 20.010.520 = 34.208.520; realisasi of the leaves the same
    assert (rk["D37"].value, rk["E37"].value, rk["F37"].value) == (34208520, 34208520, 34208520)
    assert rk["G37"].value == 100  # 34.208.520 / 34.208.520 (the report prints 34.166.000, 99,89 %)
    # 7.01.05: the only lines under it are those of sub kegiatan 7.01.05.2.01.0001, 388.800 + 952.000
    # + 1.014.400 = 2.355.200 and 365.000 + 950.000 + 1.012.000 = 2.327.000. The printed 152.960.600 /
    # 121.467.000 (79,41 %, reproduced on the Anggaran sheet above) are not backed by lines (reported
    # jumlah-induk-tidak-sesuai at K123/L123); the Rekap rolls up the lines, as for every parent.
    assert (rk["E48"].value, rk["F48"].value) == (2355200, 2327000)
    assert rk["G48"].value == 98.8  # 2.327.000 / 2.355.200 x 100 = 98.8026 -> 98.80
    assert rk["D48"].value == 152960600  # no line has a Pagu Awal: the program's own amount
    # Penyerapan per Program (chart data) below the JUMLAH row 54: programs on rows 58..63
    assert [rk[f"A{n}"].value for n in range(58, 64)] == [
        "7.01.01", "7.01.02", "7.01.03", "7.01.04", "7.01.05", "7.01.06"]
    assert (rk["G61"].value, rk["G63"].value) == (99.71, 99.98)


def test_bluto_musrenbangcam(recomputed):
    values, _ = recomputed["bluto-2020"]
    r = values["Realisasi"]
    assert r["A7"].value == "3.1"  # CSV row 3: Persentase hasil musrenbangcam
    assert r["L7"].value == 62.50  # 50 / 80 x 100 = 62.5
    assert r["M7"].value == "Cukup Berhasil"  # the report's own scale: 50 <= 62.5 < 80
    assert r["S7"].value == 50  # Kemajuan Renstra 50 / 100 x 100 (the report prints 62,5%)
    assert r["V7"].value == 5470000  # Pagu Terkait: kegiatan 3.10 (Musrenbangcam) is linked to 3.1
    assert r["X7"].value == 100  # 5.470.000 / 5.470.000
    assert r["Y7"].value == -37.5  # Selisih: 62.5 - 100 (the report prints 37,5%)
    c = values["Capaian"]  # indicators T1, 1.1, 2.1, 3.1: row 8
    assert (c["B8"].value, c["J8"].value) == ("3.1", 62.5)


# ---------------------------------------------------------------- inconsistencies of NOTES.md

# (sheet, cell, check code, Kode of the row). Agreed with the NOTES.md tables
# "Inconsistencies in the report", row by row; the rows the checker reports
# differently are in DISPUTED below.
KALIANGET = [
    ("IKU", "O5", "angka-rusak", "1.1"),  # Target Renstra 2023: 87.1 5
    ("IKU", "P5", "angka-rusak", "1.1"),  # Target Renstra 2024: 87.3 0
    ("IKU", "Q5", "angka-rusak", "1.1"),  # Target Renstra 2025: 87.4 5
    ("IKU", "A7", "target-pk-tidak-ada", "2"),  # IKU indicator 2 has no PK row (reported at its IKU Kode)
    # indicator 2: SAKIP grades under Satuan `Nilai`, which names no grade scale
    ("IKU", "L7", "predikat-tidak-dikenal", "2"),  # Target Akhir Renstra: A Nilai
    ("IKU", "M7", "predikat-tidak-dikenal", "2"),  # Standar Nasional: A Nilai
    ("IKU", "N7", "predikat-tidak-dikenal", "2"),  # Target Renstra 2022: BB
    ("IKU", "O7", "predikat-tidak-dikenal", "2"),  # Target Renstra 2023: BB
    ("IKU", "P7", "predikat-tidak-dikenal", "2"),  # Target Renstra 2024: A
    ("IKU", "Q7", "predikat-tidak-dikenal", "2"),  # Target Renstra 2025: A
    ("IKU", "R7", "predikat-tidak-dikenal", "2"),  # Target Renstra 2026: A
    ("Realisasi", "I7", "predikat-tidak-dikenal", "2"),  # Realisasi: BB Nilai
    ("Realisasi", "N7", "predikat-tidak-dikenal", "2"),  # Target N-1: BB Nilai
    ("Realisasi", "O7", "predikat-tidak-dikenal", "2"),  # Realisasi N-1: BB Nilai
    ("Realisasi", "K5", "rumus-tertimpa", "1.1"),  # Target Berlaku: 82 Nilai
    ("PK", "D6", "satuan-tidak-sesuai", "1.2"),  # Target: 17 Desa
    ("PK", "D7", "predikat-tidak-dikenal", "2.1"),  # Target: BB
    ("Realisasi", "L7", "rumus-tertimpa", "2"),  # Capaian (%): Belum ada penilaian
    ("Realisasi", "P7", "rumus-tertimpa", "2"),  # Capaian N-1 (%): 75,25
    ("Realisasi", "S7", "rumus-tertimpa", "2"),  # Kemajuan Renstra (%): Belum ada penilaian
    ("Realisasi", "U7", "rumus-tertimpa", "2"),  # Capaian Standar Nasional (%): Belum ada penilaian
    ("Realisasi", "I9", "realisasi-tidak-wajar", "3.2-1"),  # Realisasi: 14.671.200
    ("Realisasi", "L9", "rumus-tertimpa", "3.2-1"),  # Capaian (%): 99,93 %
    ("Realisasi", "I10", "realisasi-tidak-wajar", "3.2-2"),  # Realisasi: 12.600.000
    ("Realisasi", "L10", "rumus-tertimpa", "3.2-2"),  # Capaian (%): 99,30 %
    ("Anggaran", "G125", "satuan-tidak-sesuai", "7.01.05.2.01.0001"),  # Target Kinerja: 1 kgiatan
    ("Anggaran", "L4", "jumlah-induk-tidak-sesuai", "7.01.01"),  # Realisasi Anggaran: 1.961.049.864
    ("Anggaran", "K5", "angka-ambigu", "7.01.01.2.01"),  # Pagu: 4.186,950
    ("Anggaran", "M8", "rumus-tertimpa", "7.01.01.2.01.0001.R02"),  # Penyerapan (%): 99,97 %
    ("Anggaran", "K8", "gaya-angka-campur", "7.01.01.2.01.0001.R02"),  # Pagu: `36,800`, `36,000`
    ("Anggaran", "L8", "gaya-angka-campur", "7.01.01.2.01.0001.R02"),  # Realisasi Anggaran: `36,800`, `36,000`
    ("Anggaran", "M12", "rumus-tertimpa", "7.01.01.2.01.0002.R01"),  # Penyerapan (%): 99,95 %
    ("Anggaran", "M13", "rumus-tertimpa", "7.01.01.2.01.0002.R02"),  # Penyerapan (%): 99,97%
    ("Anggaran", "M16", "rumus-tertimpa", "7.01.01.2.01.0003.R01"),  # Penyerapan (%): 98,57 %
    ("Anggaran", "M17", "rumus-tertimpa", "7.01.01.2.01.0003.R02"),  # Penyerapan (%): 99,97 %
    ("Anggaran", "M20", "rumus-tertimpa", "7.01.01.2.01.0004.R01"),  # Penyerapan (%): 99,91 %
    ("Anggaran", "K24", "gaya-angka-campur", "7.01.01.2.02"),  # Pagu: `2,077,687,761`, `1,468,864,519`
    ("Anggaran", "L24", "gaya-angka-campur", "7.01.01.2.02"),  # Realisasi Anggaran: `2,077,687,761`, `1,468,864,519`
    ("Anggaran", "K25", "jumlah-induk-tidak-sesuai", "7.01.01.2.02.0001"),  # Pagu: 1,319,322,016
    ("Anggaran", "L25", "jumlah-induk-tidak-sesuai", "7.01.01.2.02.0001"),  # Realisasi Anggaran: 1,024,817,790
    ("Anggaran", "K25", "gaya-angka-campur", "7.01.01.2.02.0001"),  # Pagu: `1,319,322,016`, `1,024,817,790`
    ("Anggaran", "L25", "gaya-angka-campur", "7.01.01.2.02.0001"),  # Realisasi: `1,319,322,016`, `1,024,817,790`
    ("Anggaran", "K26", "gaya-angka-campur", "7.01.01.2.02.0001.R01"),  # Pagu: `1,056,313,216`, `795,385,736`
    ("Anggaran", "L26", "gaya-angka-campur", "7.01.01.2.02.0001.R01"),  # Realisasi: `1,056,313,216`, `795,385,736`
    ("Anggaran", "K27", "gaya-angka-campur", "7.01.01.2.02.0001.R02"),  # Pagu: `97,088,283`, `90,750,100`
    ("Anggaran", "L27", "gaya-angka-campur", "7.01.01.2.02.0001.R02"),  # Realisasi Anggaran: `97,088,283`, `90,750,100`
    ("Anggaran", "K28", "gaya-angka-campur", "7.01.01.2.02.0001.R03"),  # Pagu: `66,871,000`, `59,580,000`
    ("Anggaran", "L28", "gaya-angka-campur", "7.01.01.2.02.0001.R03"),  # Realisasi Anggaran: `66,871,000`, `59,580,000`
    ("Anggaran", "K29", "gaya-angka-campur", "7.01.01.2.02.0001.R04"),  # Pagu: `33,937,750`, `23,530,000`
    ("Anggaran", "L29", "gaya-angka-campur", "7.01.01.2.02.0001.R04"),  # Realisasi Anggaran: `33,937,750`, `23,530,000`
    ("Anggaran", "K30", "gaya-angka-campur", "7.01.01.2.02.0001.R05"),  # Pagu: `63,392,847`, `55,473,720`
    ("Anggaran", "L30", "gaya-angka-campur", "7.01.01.2.02.0001.R05"),  # Realisasi Anggaran: `63,392,847`, `55,473,720`
    ("Anggaran", "K31", "gaya-angka-campur", "7.01.01.2.02.0001.R06"),  # Pagu: `1,704,735`, `85,130`
    ("Anggaran", "L31", "gaya-angka-campur", "7.01.01.2.02.0001.R06"),  # Realisasi Anggaran: `1,704,735`, `85,130`
    ("Anggaran", "K32", "gaya-angka-campur", "7.01.01.2.02.0001.R07"),  # Pagu: `14,185`, `13,104`
    ("Anggaran", "L32", "gaya-angka-campur", "7.01.01.2.02.0001.R07"),  # Realisasi Anggaran: `14,185`, `13,104`
    ("Anggaran", "L33", "gaya-angka-campur", "7.01.01.2.02.0001.R08"),  # Realisasi Anggaran: `420,421,729`
    ("Anggaran", "M38", "rumus-tertimpa", "7.01.01.2.03.0001.R02"),  # Penyerapan (%): 99,88 %
    ("Anggaran", "L39", "jumlah-induk-tidak-sesuai", "7.01.01.2.04"),  # Realisasi Anggaran: 156.696.200
    ("Anggaran", "M40", "rumus-tertimpa", "7.01.01.2.04.0001"),  # Penyerapan (%): 99,93 %
    ("Anggaran", "M41", "rumus-tertimpa", "7.01.01.2.04.0001.R01"),  # Penyerapan (%): 99,99 %
    ("Anggaran", "K45", "jumlah-induk-tidak-sesuai", "7.01.01.2.04.0003"),  # Pagu: 57.973.200
    ("Anggaran", "L45", "jumlah-induk-tidak-sesuai", "7.01.01.2.04.0003"),  # Realisasi Anggaran: 57.973.200
    ("Anggaran", "M61", "rumus-tertimpa", "7.01.01.2.05.0002"),  # Penyerapan (%): 99,98 %
    ("Anggaran", "M63", "rumus-tertimpa", "7.01.01.2.05.0002.R02"),  # Penyerapan (%): 99,96 %
    ("Anggaran", "M64", "rumus-tertimpa", "7.01.01.2.05.0002.R03"),  # Penyerapan (%): 99,89 %
    ("Anggaran", "M66", "rumus-tertimpa", "7.01.01.2.06.0001"),  # Penyerapan (%): 99,97 %
    ("Anggaran", "L70", "jumlah-induk-tidak-sesuai", "7.01.01.2.06.0002"),  # Realisasi Anggaran: 20.164.623
    ("Anggaran", "M72", "rumus-tertimpa", "7.01.01.2.06.0002.R02"),  # Penyerapan (%): 99,98 %
    ("Anggaran", "M73", "rumus-tertimpa", "7.01.01.2.06.0002.R03"),  # Penyerapan (%): 99,78 %
    ("Anggaran", "L89", "jumlah-induk-tidak-sesuai", "7.01.03"),  # Realisasi Anggaran: 34.166.000
    ("Anggaran", "J89", "jumlah-induk-tidak-sesuai", "7.01.03"),  # Pagu Awal: 34.208.520
    ("Anggaran", "M89", "rumus-tertimpa", "7.01.03"),  # Penyerapan (%): 99,89 %
    ("Anggaran", "K92", "gaya-angka-campur", "7.01.03.2.01.0001.R01"),  # Pagu: `1,393,000`
    ("Anggaran", "K93", "gaya-angka-campur", "7.01.03.2.01.0001.R02"),  # Pagu: `94,000`
    ("Anggaran", "K94", "gaya-angka-campur", "7.01.03.2.01.0001.R03"),  # Pagu: `501,000`
    ("Anggaran", "K95", "gaya-angka-campur", "7.01.03.2.01.0001.R04"),  # Pagu: `50,000`
    ("Anggaran", "K96", "gaya-angka-campur", "7.01.03.2.01.0001.R05"),  # Pagu: `7,840,000`
    ("Anggaran", "M114", "rumus-tertimpa", "7.01.04.2.01.0002"),  # Penyerapan (%): 99,92 %
    ("Anggaran", "M115", "rumus-tertimpa", "7.01.04.2.01.0002.R01"),  # Penyerapan (%): 98,82 %
    ("Anggaran", "M116", "rumus-tertimpa", "7.01.04.2.01.0002.R02"),  # Penyerapan (%): 99,74 %
    ("Anggaran", "M117", "rumus-tertimpa", "7.01.04.2.01.0002.R03"),  # Penyerapan (%): 99,80 %
    ("Anggaran", "M118", "rumus-tertimpa", "7.01.04.2.01.0002.R04"),  # Penyerapan (%): 99,87 %
    ("Anggaran", "K124", "jumlah-induk-tidak-sesuai", "7.01.05.2.01"),  # Pagu: 152.960.600
    ("Anggaran", "L124", "jumlah-induk-tidak-sesuai", "7.01.05.2.01"),  # Realisasi Anggaran: 121.467.000
    ("Anggaran", "M124", "rumus-tertimpa", "7.01.05.2.01"),  # Penyerapan (%): 99,97 %
    ("Anggaran", "M125", "rumus-tertimpa", "7.01.05.2.01.0001"),  # Penyerapan (%): 99,97 %
    ("Anggaran", "M126", "rumus-tertimpa", "7.01.05.2.01.0001.R01"),  # Penyerapan (%): 96,73 %
    ("Anggaran", "M127", "rumus-tertimpa", "7.01.05.2.01.0001.R02"),  # Penyerapan (%): 99,73 %
    ("Anggaran", "M128", "rumus-tertimpa", "7.01.05.2.01.0001.R03"),  # Penyerapan (%): 98,99 %
    ("Anggaran", "M129", "rumus-tertimpa", "7.01.06"),  # Penyerapan (%): 96,98 %
    ("Anggaran", "K129", "gaya-angka-campur", "7.01.06"),  # Pagu: `8,854,400`, `8,853,000`
    ("Anggaran", "L129", "gaya-angka-campur", "7.01.06"),  # Realisasi Anggaran: `8,854,400`, `8,853,000`
    ("Anggaran", "M130", "rumus-tertimpa", "7.01.06.2.01"),  # Penyerapan (%): 96,98 %
    ("Anggaran", "K130", "gaya-angka-campur", "7.01.06.2.01"),  # Pagu: `8,854,400`, `8,853,000`
    ("Anggaran", "L130", "gaya-angka-campur", "7.01.06.2.01"),  # Realisasi Anggaran: `8,854,400`, `8,853,000`
    ("Anggaran", "M131", "rumus-tertimpa", "7.01.06.2.01.0001"),  # Penyerapan (%): 96,98 %
    ("Anggaran", "K131", "gaya-angka-campur", "7.01.06.2.01.0001"),  # Pagu: `8,854,400`, `8,853,000`
    ("Anggaran", "L131", "gaya-angka-campur", "7.01.06.2.01.0001"),  # Realisasi Anggaran: `8,854,400`, `8,853,000`
    ("Anggaran", "K132", "gaya-angka-campur", "7.01.06.2.01.0001.R01"),  # Pagu: `44,100`, `44,000`
    ("Anggaran", "L132", "gaya-angka-campur", "7.01.06.2.01.0001.R01"),  # Realisasi Anggaran: `44,100`, `44,000`
    ("Anggaran", "K133", "gaya-angka-campur", "7.01.06.2.01.0001.R02"),  # Pagu: `95,600`, `95,000`
    ("Anggaran", "L133", "gaya-angka-campur", "7.01.06.2.01.0001.R02"),  # Realisasi Anggaran: `95,600`, `95,000`
    ("Anggaran", "K134", "gaya-angka-campur", "7.01.06.2.01.0001.R03"),  # Pagu: `494,700`, `494,000`
    ("Anggaran", "L134", "gaya-angka-campur", "7.01.06.2.01.0001.R03"),  # Realisasi Anggaran: `494,700`, `494,000`
    ("Anggaran", "K135", "gaya-angka-campur", "7.01.06.2.01.0001.R04"),  # Pagu: `1,500,000`, `1,500,000`
    ("Anggaran", "L135", "gaya-angka-campur", "7.01.06.2.01.0001.R04"),  # Realisasi Anggaran: `1,500,000`, `1,500,000`
    ("Anggaran", "K136", "gaya-angka-campur", "7.01.06.2.01.0001.R05"),  # Pagu: `6,720,000`, `6,720,000`
    ("Anggaran", "L136", "gaya-angka-campur", "7.01.06.2.01.0001.R05"),  # Realisasi Anggaran: `6,720,000`, `6,720,000`
    ("Anggaran", "M137", "rumus-tertimpa", "JUMLAH"),  # Penyerapan (%): 86,17 %
    ("Anggaran", "K137", "jumlah-total-tidak-sesuai", "JUMLAH"),  # Pagu: 2.702.337.210
    ("Anggaran", "J137", "jumlah-total-tidak-sesuai", "JUMLAH"),  # Pagu Awal: 2.702.336.572
]

BLUTO = [
    # Skala.csv row 1 (Berhasil 80-85) follows the five pre-filled Permendagri rows 4..8: row 10.
    # the gap 85..95 of the printed scale
    ("Skala", "D10", "skala-celah", "Skala LKjIP Bluto 2020"),
    ("IKU", "L5", "predikat-tidak-dikenal", "1.1"),  # Target Akhir Renstra B under Satuan Indeks
    ("PK", "D4", "predikat-tidak-dikenal", "1.1"),  # PK Target B
    ("Realisasi", "I13", "predikat-tidak-dikenal", "3.1-2"),  # Realisasi B under Satuan Predikat
    ("IKU", "A12", "target-pk-tidak-ada", "3.1-1"),  # no PK row (reported at the IKU Kode)
    ("IKU", "A13", "target-pk-tidak-ada", "3.1-2"),
    ("IKU", "A14", "target-pk-tidak-ada", "3.1-3"),
    ("IKU", "A15", "target-pk-tidak-ada", "3.1-4"),
    ("Realisasi", "L12", "rumus-tertimpa", "3.1-1"),  # Capaian (%): 75.95 %
    ("Realisasi", "L13", "rumus-tertimpa", "3.1-2"),  # Capaian (%): Berhasil
    ("Realisasi", "K10", "rumus-tertimpa", "5.1"),  # Target Berlaku: 25%
    ("Realisasi", "K11", "rumus-tertimpa", "5.2"),  # Target Berlaku: 80%
    ("Realisasi", "S6", "rumus-tertimpa", "2.1"),  # Kemajuan Renstra (%): 100%
    ("Realisasi", "S7", "rumus-tertimpa", "3.1"),  # Kemajuan Renstra (%): 62,5%
    ("Realisasi", "S8", "rumus-tertimpa", "4.1"),  # Kemajuan Renstra (%): 80%
    ("Realisasi", "S9", "rumus-tertimpa", "4.2"),  # Kemajuan Renstra (%): 100%
    ("Realisasi", "S10", "rumus-tertimpa", "5.1"),  # Kemajuan Renstra (%): 100%
    ("Realisasi", "S11", "rumus-tertimpa", "5.2"),  # Kemajuan Renstra (%): 100%
    ("Realisasi", "Y7", "rumus-tertimpa", "3.1"),  # Efisiensi: 37,5%
    ("Realisasi", "Y8", "rumus-tertimpa", "4.1"),  # Efisiensi: 20%
    ("Anggaran", "L4", "jumlah-induk-tidak-sesuai", "1"),  # Realisasi Anggaran: 223.414.185
    ("Anggaran", "K19", "jumlah-induk-tidak-sesuai", "3"),  # Pagu: 205.428.515
    ("Anggaran", "L19", "jumlah-induk-tidak-sesuai", "3"),  # Realisasi Anggaran: 205.428.515
    ("Anggaran", "M19", "rumus-tertimpa", "3"),  # Penyerapan (%): 99,92%
]

EXPECTED = [("kalianget-2023", *e) for e in KALIANGET] + [("bluto-2020", *e) for e in BLUTO]

# NOTES.md rows the checker reports with another code or at another cell, and why:
# (example, sheet, cell, code in NOTES, Kode of the row, codes reported at that cell instead).
_LEAF_SUMS = ("NOTES compares 7.01.01.2.02 with the printed amount of its only child 7.01.01.2.02.0001. A "
              "parent is consistent when it agrees with what its direct children state or with what the "
              "lowest rows add up to; 7.01.01.2.02's nine rekening lines add up to 2.077.687.761 and "
              "1.468.864.519, exactly its printed figures, so the gap is reported once, at the sub kegiatan "
              "whose figures disagree with its own lines (K25/L25).")
DISPUTED = [
    ("kalianget-2023", "Anggaran", "K24", "jumlah-induk-tidak-sesuai", "7.01.01.2.02", {"gaya-angka-campur"},
     _LEAF_SUMS),
    ("kalianget-2023", "Anggaran", "L24", "jumlah-induk-tidak-sesuai", "7.01.01.2.02", {"gaya-angka-campur"},
     _LEAF_SUMS),
]


@pytest.fixture(scope="module")
def issues():
    """{name: {(sheet, cell): {codes}}} of each example as committed."""
    out = {}
    for name in NAMES:
        found: dict[tuple[str, str], set[str]] = {}
        for i in check_workbook(EXAMPLES / f"{name}.xlsx").report.issues:
            found.setdefault((i.sheet, i.cell), set()).add(i.code)
        out[name] = found
    return out


@pytest.fixture(scope="module")
def inputs():
    return {name: openpyxl.load_workbook(EXAMPLES / f"{name}.xlsx", read_only=False) for name in NAMES}


def _row_key(wb, sheet: str, cell: str) -> str:
    """The Kode of the row a cell is on (Uraian for the JUMLAH row, scale name on Skala)."""
    row = "".join(ch for ch in cell if ch.isdigit())
    ws = wb[sheet]
    kode = ws[f"A{row}"].value
    if sheet == "Anggaran" and kode is None:
        return ws[f"C{row}"].value
    return kode


@pytest.mark.parametrize("name, sheet, cell, code, kode", EXPECTED,
                         ids=[f"{e[0][:3]}-{e[1]}!{e[2]}-{e[3]}" for e in EXPECTED])
def test_every_listed_inconsistency_is_reported_at_its_cell(name, sheet, cell, code, kode, issues, inputs):
    assert _row_key(inputs[name], sheet, cell) == kode, "the table's cell is not on the row of this Kode"
    found = issues[name].get((sheet, cell), set())
    assert code in found, f"{name} {sheet}!{cell} ({kode}): expected {code}, reported {sorted(found) or 'nothing'}"


@pytest.mark.parametrize("name, sheet, cell, code, kode, instead, why", DISPUTED,
                         ids=[f"{d[0][:3]}-{d[1]}!{d[2]}-{d[3]}" for d in DISPUTED])
def test_disputed_notes_rows_are_still_flagged(name, sheet, cell, code, kode, instead, why, issues, inputs):
    """The cell of every disputed NOTES row is flagged, with the codes the checker uses for it."""
    assert _row_key(inputs[name], sheet, cell) == kode
    assert instead <= issues[name].get((sheet, cell), set()), why


def _notes_rows(name: str) -> list[tuple[str, str]]:
    """(Kode, check code) of every row of a NOTES table "Inconsistencies in the report" naming a code."""
    text = (EXAMPLE_SOURCES / name / "NOTES.md").read_text(encoding="utf-8")
    table = text.split("## Inconsistencies in the report")[1].split("## Inconsistencies seen but not placed")[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("CSV", "---") or not re.fullmatch(r"[a-z]+(-[a-z]+)+", cells[5]):
            continue
        for kode in cells[1].split(", "):
            rows.append((kode, cells[5]))
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_every_coded_notes_row_has_a_decision_here(name):
    """Each NOTES row naming a check code is in EXPECTED (same Kode and code) or in DISPUTED
    (same Kode and the NOTES code), so a new NOTES row cannot go unnoticed."""
    decided = {(e[4], e[3]) for e in EXPECTED if e[0] == name} | {(d[4], d[3]) for d in DISPUTED if d[0] == name}
    rows = _notes_rows(name)
    assert len(rows) > 15
    missing = [r for r in rows if r not in decided]
    assert not missing, f"NOTES rows without an expectation: {missing}"
