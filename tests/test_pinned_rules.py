"""Pinned rules: fast value tests of today's behaviour, before the engine is rewritten.

Every expected value is worked out by hand from the rules in DOMAIN.md (and the
Permendagri 86/2017 scale in sakip_xl/rules/sakip.py), never copied from output:

- a code repeated in PK or Realisasi: the checks and the formulas (MATCH) both take
  the FIRST row;
- merge keeps, of two files for the same office and year, the one with the newer
  saved time inside the workbook (docProps/core.xml), whatever the file times say;
- Negatif capaian (2T - R) / T x 100 floored at 0; above a range target, U is T;
- kategori lower bounds (>= 91 Sangat Tinggi) on the capaian rounded to 2 decimals;
- Indeks efficiency capaian / penyerapan rounded to 2 decimals (Excel's ROUND);
- letter-grade capaian rank(R) / rank(T) x 100.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from sakip_xl import compute
from sakip_xl.checks.tables import effective_target
from sakip_xl.model.codes import code_index
from sakip_xl.checks.trust import flagged_indicators
from sakip_xl.commands.merge import Entry, Office, choose, merge
from sakip_xl.commands.recompute import recompute
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.model.workbook import check_workbook

IDENTITY = {"Pemerintah Daerah": "Kabupaten Sumenep", "Perangkat Daerah": "Kecamatan Uji", "Tahun Kinerja": 2023,
            "Periode Renstra": "2021-2026"}


def values(s: pd.Series) -> list:
    """A Series as a list, missing values (NaN in a numeric Series) as None."""
    return [None if pd.isna(v) else v for v in s]


def at(report, code: str) -> list[tuple[str | None, str | None]]:
    """The (sheet, cell) of every finding of `code`."""
    return sorted((i.sheet, i.cell) for i in report.issues if i.code == code)


# ---------------------------------------------------------------- 1. repeated codes: the first row


def repeated_codes(first_target: float, last_target: float, first_real: float, last_real: float,
                   first_original: float | None = None) -> Filling:
    """Indicator 1 (Positif, Nilai) twice in PK (rows 4 and 6) and twice in Realisasi
    (rows 4 and 6); indicator 1.1 (target 100, realisasi 100) in row 5 of both. With
    `first_original`, PK row 4 has that Target and `first_target` as Target Perubahan."""
    first = ({"Kode": "1", "Target": first_target} if first_original is None else
             {"Kode": "1", "Target": first_original, "Target Perubahan": first_target,
              "Keterangan Perubahan": "PK Perubahan"})
    return Filling(identity=dict(IDENTITY), tables={
        "iku": [
            {"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "Meningkatkan Pelayanan Publik",
             "Indikator Kinerja": "Nilai IKM", "Satuan": "Nilai", "Polaritas": "Positif", "IKU": "Ya"},
            {"Kode": "1.1", "Jenis": "Sasaran", "Tujuan/Sasaran": "Meningkatkan Fasilitasi Desa",
             "Indikator Kinerja": "Rasio Desa Terfasilitasi", "Satuan": "%", "Polaritas": "Positif", "IKU": "Ya"},
        ],
        "pk": [first, {"Kode": "1.1", "Target": 100},
               {"Kode": "1", "Target": last_target}],
        "realisasi": [{"Kode": "1", "Realisasi": first_real}, {"Kode": "1.1", "Realisasi": 100},
                      {"Kode": "1", "Realisasi": last_real}],
    })


def test_repeated_pk_and_realisasi_code_checks_use_the_first_row(tmp_path):
    # PK 1: row 4 (first) Target D4 = 85 revised to E4 = 82, row 6 (last) Target D6 = 8;
    # Realisasi 1: I4 = 81 (first), I6 = 800 (last).
    path = write_filled(tmp_path / "ganda.xlsx", repeated_codes(82, 8, 81, 800, first_original=85))
    checked = check_workbook(path)
    data, report = checked.data, checked.report
    pk = code_index(data, "pk")["1"]
    assert pk.get("kode").a1 == "A4"  # the first PK row of code 1, as MATCH finds it
    t = effective_target(pk)
    assert (t.a1, t.number) == ("E4", 82)  # the revised target of row 4 is in force, not its Target 85
    assert code_index(data, "realisasi")["1"].get("kode").a1 == "A4"
    # Against the first target 82: 81 / 82 = 0.99 and 800 / 82 = 9.76, both within 10 times.
    # (Against the last target 8: 81 / 8 = 10.1 and 800 / 8 = 100 would both be implausible.)
    assert at(report, "realisasi-tidak-wajar") == []
    # The repeats themselves are the galat, at the second occurrence.
    assert at(report, "kode-ganda") == [("PK", "A6"), ("Realisasi", "A6")]
    # The capaian rests on the first rows (PK A4/D4, Realisasi A4/I4...), none of them a galat.
    assert "1" not in flagged_indicators(data, report.issues)


def test_repeated_pk_code_implausible_first_target_is_found_at_its_realisasi(tmp_path):
    # Mirror image: PK 1 D4 = 8 (first, in force), D6 = 82 (last); Realisasi 1 only the first row counts.
    path = write_filled(tmp_path / "ganda.xlsx", repeated_codes(8, 82, 81, 80))
    report = check_workbook(path).report
    # Realisasi I4: 81 / 8 = 10.125 > 10: implausible against the first target 8.
    # Realisasi I6: 80 / 8 = 10 is not more than 10 times: no finding.
    assert at(report, "realisasi-tidak-wajar") == [("Realisasi", "I4")]
    found = next(i for i in report.issues if i.code == "realisasi-tidak-wajar")
    assert found.expected == "8"  # the first row's target, not 82


def test_repeated_codes_recomputed_values_come_from_the_first_row(tmp_path):
    out = recompute(write_filled(tmp_path / "ganda.xlsx", repeated_codes(82, 8, 81, 800, first_original=85)),
                    tmp_path / "hasil.xlsx", make_backup=False)
    wb = openpyxl.load_workbook(out.output, data_only=True)
    ws = wb["Realisasi"]  # J Realisasi Berlaku, K Target Berlaku, L Capaian (%), M Kategori
    assert (ws["K4"].value, ws["L4"].value, ws["M4"].value) == (
        82, 98.78, "Sangat Tinggi")  # MATCH finds PK row 4, Target Perubahan 82 in force (not 85):
    # 81 / 82 x 100 = 98.7805 -> 98.78 >= 91
    assert (ws["K6"].value, ws["L6"].value) == (
        82, 975.61)  # a second realisasi row of 1 still finds PK row 4: 800 / 82 x 100 = 975.6098 -> 975.61
    cap = wb["Capaian"]  # B Kode, H Target, I Realisasi, J Capaian, K Dihitung, L Kategori, N Catatan
    rows = {r[1]: r for r in cap.iter_rows(min_row=5, max_row=6, values_only=True)}
    assert rows["1"][7:12] == (82, 81, 98.78, 98.78, "Sangat Tinggi")  # the first Realisasi row of 1
    assert rows["1"][13] is None  # not left out: its first rows carry no galat
    assert rows["1.1"][7:12] == (100, 100, 100, 100, "Sangat Tinggi")  # 100 / 100 x 100
    average = next(r for r in cap.iter_rows(values_only=True) if r[3] == "Seluruh IKU")
    # 2 IKU, 2 with capaian, 0 left out; (98.78 + 100) / 2 = 99.39 -> Sangat Tinggi
    assert (average[4], average[5], average[6], average[9], average[11]) == (2, 2, 0, 99.39, "Sangat Tinggi")


# ---------------------------------------------------------------- 2. merge: saved time before file time


def one_indicator(realisasi: float) -> Filling:
    """Dinas A 2023, one Tujuan indicator with target 90."""
    return Filling(identity={**IDENTITY, "Perangkat Daerah": "Dinas A"}, tables={
        "iku": [{"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "T", "Indikator Kinerja": "Indeks",
                 "Satuan": "%"}],
        "pk": [{"Kode": "1", "Target": 90}],
        "realisasi": [{"Kode": "1", "Realisasi": realisasi}],
    })


def set_saved_time(path: Path, when: str) -> None:
    """Write `when` as the workbook's own saved time (docProps/core.xml dcterms:modified)."""
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                start = text.index("<dcterms:modified")
                end = text.index("</dcterms:modified>") + len("</dcterms:modified>")
                data = (text[:start] + f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
                        + text[end:]).encode("utf-8")
            z.writestr(info, data)


def test_merge_prefers_the_newer_saved_time_over_the_newer_file_time(tmp_path):
    d = tmp_path / "kiriman"
    d.mkdir()
    # baru.xlsx: saved in Excel on 2024-03-01, but copied long ago (file time 2020-09-13).
    # lama.xlsx: saved on 2024-01-15, but its file time was reset by an e-mail download (2023-11-14).
    write_filled(d / "baru.xlsx", one_indicator(81))
    write_filled(d / "lama.xlsx", one_indicator(60))
    set_saved_time(d / "baru.xlsx", "2024-03-01T10:00:00Z")
    set_saved_time(d / "lama.xlsx", "2024-01-15T10:00:00Z")
    os.utime(d / "baru.xlsx", (1_600_000_000, 1_600_000_000))
    os.utime(d / "lama.xlsx", (1_700_000_000, 1_700_000_000))
    result = merge([d], jobs=1)
    by_name = {Path(e.path).name: e for e in result.entries}
    assert by_name["baru.xlsx"].saved_at == dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC)
    assert by_name["baru.xlsx"].used and not by_name["lama.xlsx"].used
    assert "baru.xlsx" in by_name["lama.xlsx"].note
    assert [e.office.average for e in result.used] == [90]  # 81 / 90 x 100 = 90, the file saved last


def entry(name: str, saved: dt.datetime | None, mtime: float) -> Entry:
    office = Office("Kabupaten Sumenep", "Dinas A", "", 2023, 1, 1, 0, 90.0, "Tanpa Batas", "Tinggi",
                    None, None, None, None, "Selisih")
    return Entry(name, 1, "0" * 64, mtime, saved_at=saved, status="lengkap", office=office)


def test_choose_orders_duplicates_by_saved_time_then_file_time():
    utc = dt.UTC
    newer_saved = entry("/kiriman/a.xlsx", dt.datetime(2024, 3, 1, tzinfo=utc), 1_600_000_000)
    newer_mtime = entry("/kiriman/b.xlsx", dt.datetime(2024, 1, 15, tzinfo=utc), 1_700_000_000)
    used = [e.path for e in choose([newer_mtime, newer_saved], None).used]
    assert used == ["/kiriman/a.xlsx"]  # saved 2024-03-01 > 2024-01-15, whatever the file times
    # Equal saved times: the file time decides (1.7e9 > 1.6e9).
    same = dt.datetime(2024, 1, 15, tzinfo=utc)
    older = entry("/kiriman/c.xlsx", same, 1_600_000_000)
    newer = entry("/kiriman/d.xlsx", same, 1_700_000_000)
    assert [e.path for e in choose([newer, older], None).used] == ["/kiriman/d.xlsx"]


# ---------------------------------------------------------------- 3. Negatif floor and range above


def test_negatif_capaian_is_floored_at_zero():
    got = values(compute.capaian(pd.Series([50, 50, 50, 50, 8]), pd.Series([120, 100, 110, 40, 9]),
                                 polaritas="Negatif"))
    assert got == [
        0,  # (2 x 50 - 120) / 50 x 100 = -40 -> floored at 0
        0,  # (2 x 50 - 100) / 50 x 100 = 0
        0,  # (2 x 50 - 110) / 50 x 100 = -20 -> floored at 0
        120,  # (2 x 50 - 40) / 50 x 100 = 120 (no cap on a single capaian)
        87.5,  # (2 x 8 - 9) / 8 x 100 = 87.5 (PermenPANRB 8/2021 example)
    ]


def test_realisasi_above_a_range_target_uses_the_upper_bound():
    got = values(compute.capaian(
        pd.Series(["80 - 90", "80 - 90", "80 - 90", "80 - 90", "80 - 90"]),
        pd.Series([99, 95, 90, 70, 99]),
        polaritas=pd.Series(["Positif", "Positif", "Positif", "Positif", "Negatif"]),
    ))
    assert got == [
        110,  # above the range: T = U = 90; 99 / 90 x 100 = 110
        105.56,  # 95 / 90 x 100 = 105.5556 -> 105.56
        100,  # 90 is inside 80..90
        87.5,  # below the range: T = L = 80; 70 / 80 x 100 = 87.5 (PermenPANRB 8/2021 example)
        90,  # Negatif above the range: T = 90; (2 x 90 - 99) / 90 x 100 = 81 / 90 x 100 = 90
    ]


# ---------------------------------------------------------------- 4. kategori, Indeks, letter grades


def test_kategori_boundary_at_exactly_91():
    got = values(compute.kategori(pd.Series([91.0, 90.99, 100, 76, 75.99, 66, 51, 50.99, 0])))
    assert got == [
        "Sangat Tinggi",  # 91.00 >= 91: the lower bound belongs to the band
        "Tinggi",  # 90.99 < 91, >= 76
        "Sangat Tinggi",  # 100 >= 91
        "Tinggi",  # 76 >= 76
        "Sedang",  # 75.99 < 76, >= 66
        "Sedang",  # 66 >= 66
        "Rendah",  # 51 >= 51
        "Sangat Rendah",  # 50.99 < 51, >= 0
        "Sangat Rendah",  # 0 >= 0
    ]


def test_kategori_is_taken_on_the_rounded_capaian():
    got = values(compute.kategori(pd.Series([90.996, 90.994, 75.996, 75.994])))
    assert got == [
        "Sangat Tinggi",  # 90.996 rounds to 91.00 >= 91
        "Tinggi",  # 90.994 rounds to 90.99 < 91
        "Tinggi",  # 75.996 rounds to 76.00 >= 76
        "Sedang",  # 75.994 rounds to 75.99 < 76
    ]
    # Through a whole workbook: T 250, R 227.49 -> 227.49 / 250 x 100 = 90.996 -> capaian 91.00
    tables = compute.derive({
        "iku": pd.DataFrame({"kode": ["1"], "jenis": ["Sasaran"], "pernyataan": ["S"], "indikator": ["I"],
                             "satuan": ["Nilai"]}),
        "pk": pd.DataFrame({"kode": ["1"], "target": [250]}),
        "realisasi": pd.DataFrame({"kode": ["1"], "realisasi": [227.49]}),
    })
    row = tables["realisasi"].iloc[0]
    assert (row["capaian"], row["kategori"]) == (91, "Sangat Tinggi")


def test_indeks_efficiency_is_capaian_over_penyerapan_rounded():
    got = list(compute.efisiensi(pd.Series([100, 100, 90, 98.78, 50]), pd.Series([80, 75, 80, 79.41, 0]),
                                 metode="Indeks"))
    assert got == [
        1.25,  # 100 / 80 = 1.25 (efficient: >= 1)
        1.33,  # 100 / 75 = 1.3333 -> 1.33
        1.13,  # 90 / 80 = 1.125 exactly -> 1.13 (Excel rounds halves away from zero)
        1.24,  # 98.78 / 79.41 = 1.2439 -> 1.24
        "tidak dapat diukur",  # penyerapan 0: no ratio
    ]


def test_letter_grade_capaian_is_rank_ratio():
    got = values(compute.capaian(
        pd.Series(["A", "BB", "B", "BB", "B", "WTP"]),
        pd.Series(["BB", "A", "AA", "BB", "A", "WDP"]),
        satuan=pd.Series(["Predikat SAKIP", "Predikat SAKIP", "Predikat SAKIP", "Predikat SAKIP",
                          "Mutu Pelayanan", "Opini BPK"]),
    ))
    assert got == [
        83.33,  # SAKIP: rank BB 5 / rank A 6 x 100 = 83.333 -> 83.33
        120,  # SAKIP: rank A 6 / rank BB 5 x 100 = 120
        175,  # SAKIP: rank AA 7 / rank B 4 x 100 = 175
        100,  # the target grade itself
        133.33,  # IKM mutu: rank A 4 / rank B 3 x 100 = 133.333 -> 133.33
        75,  # BPK: rank WDP 3 / rank WTP 4 x 100 = 75
    ]
    assert values(compute.kategori(pd.Series([83.33]))) == ["Tinggi"]  # 76 <= 83.33 < 91
