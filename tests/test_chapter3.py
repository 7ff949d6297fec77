"""The chapter-III sheets recompute writes: structure and figures worked out by hand."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import keep
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.commands.merge import merge
from sakip_xl.commands.recompute import recompute


def workbook() -> Filling:
    f = Filling()
    f.identity = {"Pemerintah Daerah": "Kabupaten Uji", "Perangkat Daerah": "Dinas Uji", "Tahun Kinerja": 2023,
                  "Periode Renstra": "2021-2026", "Batas Capaian": "120"}
    f.tables = {
        "iku": [
            {"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "T1", "Indikator Kinerja": "A", "Satuan": "%"},
            {"Kode": "1.1", "Jenis": "Sasaran", "Tujuan/Sasaran": "S1", "Indikator Kinerja": "B", "Satuan": "%"},
            {"Kode": "1.2", "Jenis": "Sasaran", "Tujuan/Sasaran": "S1", "Indikator Kinerja": "C", "Satuan": "%",
             "Polaritas": "Negatif"},
            {"Kode": "2.1", "Jenis": "Sasaran", "Tujuan/Sasaran": "S2", "Indikator Kinerja": "D", "Satuan": "%",
             "IKU": "Tidak"},
        ],
        "pk": [{"Kode": "1", "Target": 80}, {"Kode": "1.1", "Target": 90}, {"Kode": "1.2", "Target": 10},
               {"Kode": "2.1", "Target": 50}],
        "realisasi": [{"Kode": "1", "Realisasi": 100}, {"Kode": "1.1", "Realisasi": 81},
                      {"Kode": "1.2", "Realisasi": 12}, {"Kode": "2.1", "Realisasi": 50}],
        "anggaran": [
            {"Kode": "P1", "Jenis": "Program", "Uraian": "Program 1", "Kode Indikator": "1", "Pagu": 300,
             "Realisasi Anggaran": 250},
            {"Kode": "P1.K1", "Jenis": "Kegiatan", "Uraian": "Kegiatan 1", "Pagu": 100, "Realisasi Anggaran": 90},
            {"Kode": "P1.K1.S1", "Jenis": "Sub Kegiatan", "Uraian": "Sub 1", "Pagu": 60, "Realisasi Anggaran": 50},
            {"Kode": "P1.K1.S2", "Jenis": "Sub Kegiatan", "Uraian": "Sub 2", "Pagu": 40, "Realisasi Anggaran": 40},
            {"Kode": "P1.K2", "Jenis": "Kegiatan", "Uraian": "Kegiatan 2"},
            {"Kode": "P1.K2.S1", "Jenis": "Sub Kegiatan", "Uraian": "Sub 3", "Pagu": 200,
             "Realisasi Anggaran": 150},
        ],
    }
    return f


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("ch3")
    return recompute(write_filled(d / "in.xlsx", workbook()), d / "out.xlsx", make_backup=False).output


@pytest.fixture(scope="module")
def values(out):
    return openpyxl.load_workbook(out, data_only=True)


@pytest.fixture(scope="module")
def formulas(out):
    return openpyxl.load_workbook(out)


def _rows(ws, first: int, last: int):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_row=last)]


def test_capaian_per_indicator_and_cap(values):
    rows = _rows(values["Capaian"], 5, 8)
    # Kode, capaian, capped, kategori
    assert [(r[1], r[9], r[10], r[11]) for r in rows] == [
        ("1", 125, 120, "Sangat Tinggi"),  # 100 / 80 x 100 = 125; capped at 120 for averaging
        ("1.1", 90, 90, "Tinggi"),  # 81 / 90 x 100
        ("1.2", 80, 80, "Tinggi"),  # Negatif: (2 x 10 - 12) / 10 x 100
        ("2.1", 100, 100, "Sangat Tinggi"),
    ]


def test_group_and_iku_averages(values):
    ws = values["Capaian"]
    cells = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    groups = {(r[1], r[3]): (r[4], r[5], r[9], r[11]) for r in cells if r[1] in ("Tujuan", "Sasaran")
              and isinstance(r[4], (int, float)) and r[0] is not None and r[2] is None}
    assert groups == {
        ("Tujuan", "T1"): (1, 1, 120, "Sangat Tinggi"),  # capped 120
        ("Sasaran", "S1"): (2, 2, 85, "Tinggi"),  # (90 + 80) / 2
        ("Sasaran", "S2"): (1, 1, 100, "Sangat Tinggi"),
    }
    iku = next(r for r in cells if r[3] == "Seluruh IKU")
    assert (iku[4], iku[5], iku[9], iku[11]) == (3, 3, 96.67, "Sangat Tinggi")  # (120 + 90 + 80) / 3 = 96.667


def test_rekap_rolls_money_up_from_the_lowest_level(values):
    rows = _rows(values["Rekap Anggaran"], 5, 10)
    assert [(r[0], r[4], r[5], r[6], r[7]) for r in rows] == [
        ("P1", 300, 240, 80, 60),  # kegiatan 100 + 200, 90 + 150; the typed 250 is reported, not used
        ("P1.K1", 100, 90, 90, 10),
        ("P1.K1.S1", 60, 50, 83.33, 10),  # 50 / 60 = 83.333
        ("P1.K1.S2", 40, 40, 100, 0),
        ("P1.K2", 200, 150, 75, 50),  # no amounts typed: its sub kegiatan's
        ("P1.K2.S1", 200, 150, 75, 50),
    ]
    total = next(r for r in values["Rekap Anggaran"].iter_rows(values_only=True) if r[2] == "JUMLAH")
    assert total[4:8] == (300, 240, 80, 60)


def test_rekap_notes_say_where_each_amount_comes_from(values):
    notes = {r[0]: r[8] for r in _rows(values["Rekap Anggaran"], 5, 10)}
    # P1: pagu 300 typed = 100 + 200, no note; realisasi 250 typed, its kegiatan 90 + 150 = 240
    assert notes["P1"] == "Realisasi yang diisi berbeda dari jumlah rinciannya; dipakai jumlah rincian."
    # P1.K1: 100 = 60 + 40 and 90 = 50 + 40 typed and equal; a sub kegiatan has only its own cells
    assert notes["P1.K1"] is None and notes["P1.K1.S1"] is None
    # P1.K2: nothing typed, both amounts from its sub kegiatan: two notes, one space between
    assert notes["P1.K2"] == "Pagu dijumlah dari rinciannya. Realisasi dijumlah dari rinciannya."


def test_efisiensi_per_indicator_and_overall(values):
    ws = values["Efisiensi"]
    first = [c.value for c in ws[5]]
    # indicator 1 is linked to Program 1. Its typed realisasi 250 disagrees with its kegiatan,
    # 90 + 150 = 240 (a galat); the money used is the rolled-up one, as in Rekap Anggaran:
    # pagu 100 + 200 = 300, realisasi 240 -> 240 / 300 = 80; Selisih 125 - 80 = 45
    assert first[1:9] == ["1", "A", 125, 300, 240, 80, 45, "Selisih"]
    assert first[9] == ("Realisasi P1 yang diisi (250) berbeda dari jumlah rinciannya; dipakai jumlah rincian "
                        "(240).")
    overall = [c.value for c in ws[9]]
    # IKU average 96.67 against all money 240 / 300 = 80 -> 16.67
    assert overall[3:9] == [96.67, 300, 240, 80, 16.67, "Selisih"]


def test_every_row_of_every_table_carries_its_formulas(formulas, out, produced):
    keep(produced, out)

    def is_formula(v) -> bool:
        return isinstance(v, str) and v.startswith("=")

    cap = formulas["Capaian"]
    for r in range(5, 9):
        assert all(is_formula(cap.cell(r, c).value) for c in range(2, 13)), r
    per = formulas["Perbandingan"]
    for r in range(5, 9):
        assert all(is_formula(per.cell(r, c).value) for c in range(2, 17)), r
    eff = formulas["Efisiensi"]
    for r in range(5, 10):
        assert all(is_formula(eff.cell(r, c).value) for c in range(4, 10)), r
    rek = formulas["Rekap Anggaran"]
    for r in range(5, 12):  # six budget rows and JUMLAH
        assert all(is_formula(rek.cell(r, c).value) for c in range(4, 9)), r


def test_more_indicators_than_a_function_takes_arguments(tmp_path, produced):
    """Excel takes at most 255 arguments: 260 IKU indicators are counted and averaged in groups."""
    f = Filling()
    f.identity = {"Pemerintah Daerah": "K", "Perangkat Daerah": "Dinas Besar", "Tahun Kinerja": 2023,
                  "Periode Renstra": "2021-2026"}
    kode = [f"I{i:03d}" for i in range(260)]
    f.tables = {
        "iku": [{"Kode": k, "Jenis": "Sasaran", "Tujuan/Sasaran": "S", "Indikator Kinerja": k, "Satuan": "%"}
                for k in kode],
        "pk": [{"Kode": k, "Target": 100} for k in kode],
        "realisasi": [{"Kode": k, "Realisasi": 0 if i == 0 else 100} for i, k in enumerate(kode)],
        "anggaran": [],
    }
    out = recompute(write_filled(tmp_path / "in.xlsx", f), tmp_path / "out.xlsx", make_backup=False).output
    keep(produced, out)
    ws = openpyxl.load_workbook(out, data_only=True)["Capaian"]
    iku = next(r for r in ws.iter_rows(values_only=True) if r[3] == "Seluruh IKU")
    assert (iku[4], iku[5], iku[9]) == (260, 260, 99.62)  # 259 x 100 / 260 = 99.615 -> 99.62


def test_headline_figures_a_merge_reads(out):
    office = merge([out], jobs=1).used[0].office
    assert office.cap == "120"  # the Batas Capaian setting in force, as typed in Identitas
    assert office.indicators == 3 and office.with_capaian == 3  # 2.1 is not an IKU
    assert office.average == 96.67  # IKU capaian capped at 120: (120 + 90 + 80) / 3 = 96.666...
    assert office.kategori == "Sangat Tinggi"  # 96.67 >= 91
    # budget of the lowest level: 60 + 40 + 200 = 300 pagu, 50 + 40 + 150 = 240 realisasi
    assert (office.pagu, office.realisasi, office.penyerapan) == (300, 240, 80)
