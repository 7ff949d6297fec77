"""Blank is never zero: a budget amount that is not there is summed from its sub-rows
or is "tidak dapat diukur", in every aggregate (Efisiensi, Rekap Anggaran, the merge's
Ringkasan and Anggaran, the CSV export and the pandas API). Figures worked out by hand.

The workbook: two indicators, each linked to a program whose Realisasi Anggaran is blank.
- Program P1 (indicator 1): kegiatan 90 + 150 = 240 spent of 100 + 200 = 300, so P1's
  realisasi is 240 (derived, and said so), penyerapan 240 / 300 = 80, and with capaian
  100 / 80 x 100 = 125 the Selisih efficiency is 125 - 80 = 45.
- Program P2 (indicator 2): kegiatan 180 spent and one kegiatan with nothing typed, so P2's
  realisasi cannot be measured: no penyerapan, efficiency "tidak dapat diukur", and the
  office's total realisasi cannot be measured either.
Before this rule the blank program realisasi counted as 0 (penyerapan 0, Selisih 125 and
100 "points of efficiency"), and P2 summed to 180 as if the empty kegiatan had spent 0.
"""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from conftest import keep
from sakip_xl import compute
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.commands.merge import merge
from sakip_xl.sheets.rekap import write_csv, write_rekap
from sakip_xl.commands.recompute import recompute

NOT_MEASURABLE = "tidak dapat diukur"


def office(name: str, p2_k2_spent: float | None = None) -> Filling:
    f = Filling()
    f.identity = {"Pemerintah Daerah": "Kabupaten Uji", "Perangkat Daerah": name, "Tahun Kinerja": 2023,
                  "Periode Renstra": "2021-2026"}
    f.tables = {
        "iku": [{"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "T1", "Indikator Kinerja": "A", "Satuan": "%"},
                {"Kode": "2", "Jenis": "Tujuan", "Tujuan/Sasaran": "T2", "Indikator Kinerja": "B", "Satuan": "%"}],
        "pk": [{"Kode": "1", "Target": 80}, {"Kode": "2", "Target": 50}],
        "realisasi": [{"Kode": "1", "Realisasi": 100}, {"Kode": "2", "Realisasi": 50}],
        "anggaran": [
            {"Kode": "P1", "Jenis": "Program", "Uraian": "Program 1", "Kode Indikator": "1", "Pagu": 300},
            {"Kode": "P1.K1", "Jenis": "Kegiatan", "Uraian": "Kegiatan 1", "Pagu": 100, "Realisasi Anggaran": 90},
            {"Kode": "P1.K2", "Jenis": "Kegiatan", "Uraian": "Kegiatan 2", "Pagu": 200, "Realisasi Anggaran": 150},
            {"Kode": "P2", "Jenis": "Program", "Uraian": "Program 2", "Kode Indikator": "2", "Pagu": 500},
            {"Kode": "P2.K1", "Jenis": "Kegiatan", "Uraian": "Kegiatan 3", "Pagu": 200, "Realisasi Anggaran": 180},
            {"Kode": "P2.K2", "Jenis": "Kegiatan", "Uraian": "Kegiatan 4", "Pagu": 300,
             "Realisasi Anggaran": p2_k2_spent},
        ],
    }
    return f


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("kosong-bukan-nol")
    write_filled(d / "dinas-kosong.xlsx", office("Dinas Kosong"))
    write_filled(d / "dinas-lengkap.xlsx", office("Dinas Lengkap", p2_k2_spent=270))
    return d


@pytest.fixture(scope="module")
def recomputed(folder, produced):
    out = recompute(folder / "dinas-kosong.xlsx", folder / "hasil.xlsx", make_backup=False).output
    keep(produced, out)
    return openpyxl.load_workbook(out, data_only=True)


def test_efisiensi_sums_the_kegiatan_of_a_blank_program_and_never_takes_blank_as_zero(recomputed):
    ws = recomputed["Efisiensi"]
    one, two = ([c.value for c in ws[r]] for r in (5, 6))
    assert one[1:9] == ["1", "A", 125, 300, 240, 80, 45, "Selisih"]
    assert one[9] == "Realisasi P1 dijumlah dari rinciannya (240)."
    assert two[1:9] == ["2", "B", 100, 500, None, None, NOT_MEASURABLE, "Selisih"]
    assert two[9] == "Realisasi P2 tidak dapat diukur (kosong)."
    overall = next(r for r in ws.iter_rows(values_only=True) if r[2] and str(r[2]).startswith("Keseluruhan"))
    # IKU average (125 + 100) / 2 = 112.5 against a total realisasi that cannot be measured
    assert overall[3:8] == (112.5, 800, None, None, NOT_MEASURABLE)


def test_rekap_anggaran_states_derived_amounts_and_leaves_unknown_totals_blank(recomputed):
    rows = {r[0]: r for r in recomputed["Rekap Anggaran"].iter_rows(min_row=5, values_only=True) if r[1]}
    assert rows["P1"][4:7] == (300, 240, 80)
    assert rows["P1"][8] == "Realisasi dijumlah dari rinciannya."
    assert rows["P2"][4:7] == (500, None, None)  # 180 + nothing is not 180
    assert rows["P2"][8] == "Realisasi tidak dapat diukur (kosong)."
    assert rows["P2.K2"][5] is None and rows["P2.K2"][8] == "Realisasi tidak dapat diukur (kosong)."
    total = next(r for r in recomputed["Rekap Anggaran"].iter_rows(values_only=True) if r[2] == "JUMLAH")
    assert total[4:7] == (800, None, None)
    assert total[8] == "Jumlah tidak dihitung: ada program yang anggarannya tidak dapat diukur."


def test_merge_ringkasan_anggaran_and_csv_never_count_blank_as_zero(folder, tmp_path):
    result = merge([folder], jobs=1)
    out = write_rekap(tmp_path / "rekap.xlsx", result)
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb["Ringkasan"]
    header = [c.value for c in ws[4]]
    rows = {r[2]: dict(zip(header, r)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    kosong, lengkap = rows["Dinas Kosong"], rows["Dinas Lengkap"]
    assert (kosong["Pagu (Rp)"], kosong["Realisasi Anggaran (Rp)"], kosong["Penyerapan (%)"]) == (800, None, None)
    assert kosong["Efisiensi"] == NOT_MEASURABLE
    # Dinas Lengkap: 90 + 150 + 180 + 270 = 690 of 800 -> 86.25; (125 + 100) / 2 - 86.25 = 26.25
    assert (lengkap["Realisasi Anggaran (Rp)"], lengkap["Penyerapan (%)"], lengkap["Efisiensi"]) == (690, 86.25,
                                                                                                     26.25)
    total = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[2] == "JUMLAH / RATA-RATA")
    assert total[11:14] == (800, 690, 86.25)  # Dinas Kosong's money is left out, not added as 0
    note = next(r[2] for r in ws.iter_rows(min_row=5, values_only=True) if r[2] and "Jumlah anggaran" in r[2])
    assert note.startswith("Jumlah anggaran dari 1 dari 2 perangkat daerah")
    budget = {(r[0], r[2]): r for r in wb["Anggaran"].iter_rows(min_row=2, values_only=True)}
    assert budget[("Dinas Kosong", "P1")][6:10] == (300, 240, 80, "Realisasi dijumlah dari rinciannya.")
    assert budget[("Dinas Kosong", "P2")][7:9] == (None, None)
    written = write_csv(tmp_path / "csv", result)
    with open(next(p for p in written if p.name == "anggaran.csv"), encoding="utf-8-sig") as fh:
        csv_rows = {(r["perangkat_daerah"], r["kode"]): r for r in csv.DictReader(fh)}
    assert csv_rows[("Dinas Kosong", "P1")]["realisasi"] == "240"
    assert csv_rows[("Dinas Kosong", "P2")]["realisasi"] == ""


def test_pandas_api_links_rolled_up_money_and_never_blank_as_zero():
    f = office("Dinas Kosong")
    frames = {key: pd.DataFrame([{k.lower().replace(" ", "_"): v for k, v in row.items()} for row in rows])
              for key, rows in f.tables.items()}
    frames["iku"] = frames["iku"].rename(columns={"tujuan/sasaran": "pernyataan", "indikator_kinerja": "indikator"})
    frames["anggaran"] = frames["anggaran"].rename(columns={"realisasi_anggaran": "realisasi_anggaran",
                                                            "kode_indikator": "kode_indikator"})
    real = compute.derive(frames)["realisasi"]
    assert list(real["pagu_terkait"]) == [300, 500]
    assert real["realisasi_anggaran_terkait"][0] == 240 and pd.isna(real["realisasi_anggaran_terkait"][1])
    assert list(real["efisiensi"]) == [45, NOT_MEASURABLE]
