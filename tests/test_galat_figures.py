"""Figures that rest on a galat do not lead: an indicator whose capaian rests on a value
flagged galat stays visible and marked, but is left out of averages, rankings and charts,
with the count and the reason next to the figure. Figures worked out by hand.

Dinas B has two IKU indicators: 45 of target 90 (capaian 50) and an IKM index whose
realisasi is a rupiah amount pasted into it, 14.671.200 against 87,15 (capaian
14.671.200 / 87,15 x 100 = 16.834.423,41, flagged realisasi-tidak-wajar). Its honest
average is 50 over one indicator; before this rule it was (50 + 16.834.423,41) / 2 =
8.417.236,71 and Dinas B led the ranking over Dinas A (81 of 90 = 90).
"""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from conftest import keep
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.commands.merge import merge
from sakip_xl.sheets.rekap import write_rekap
from sakip_xl.commands.recompute import recompute


def dinas(name: str, pasted: bool) -> Filling:
    f = Filling()
    f.identity = {"Pemerintah Daerah": "Kabupaten Uji", "Perangkat Daerah": name, "Tahun Kinerja": 2023,
                  "Periode Renstra": "2021-2026"}
    iku = [{"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "T1", "Indikator Kinerja": "Layanan", "Satuan": "%"}]
    pk = [{"Kode": "1", "Target": 90}]
    realisasi = [{"Kode": "1", "Realisasi": 45 if pasted else 81}]
    if pasted:
        iku.append({"Kode": "2", "Jenis": "Tujuan", "Tujuan/Sasaran": "T2", "Indikator Kinerja": "IKM",
                    "Satuan": "Nilai"})
        pk.append({"Kode": "2", "Target": 87.15})
        realisasi.append({"Kode": "2", "Realisasi": 14_671_200})
    f.tables = {"iku": iku, "pk": pk, "realisasi": realisasi,
                "anggaran": [{"Kode": "P1", "Jenis": "Program", "Uraian": "Program 1", "Kode Indikator": "1",
                              "Pagu": 1000, "Realisasi Anggaran": 800}]}
    return f


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("galat")
    write_filled(d / "a.xlsx", dinas("Dinas A", pasted=False))
    write_filled(d / "b.xlsx", dinas("Dinas B", pasted=True))
    return d


def test_capaian_sheet_marks_the_indicator_and_averages_without_it(folder, produced):
    out = recompute(folder / "b.xlsx", folder / "b-hasil.xlsx", make_backup=False).output
    keep(produced, out)
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb["Capaian"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, max_row=6, values_only=True)}
    assert rows["1"][9:11] == (50, 50)
    assert rows["2"][9] == 16834423.41  # the engine's honest value stays visible
    assert rows["2"][10] is None  # not averaged, not charted
    assert rows["2"][13].startswith("Tidak dirata-rata dan tidak digrafikkan: capaian bersandar pada galat "
                                    "(realisasi-tidak-wajar) di Realisasi!")
    iku = next(r for r in ws.iter_rows(values_only=True) if r[3] == "Seluruh IKU")
    # 2 IKU indicators, 1 with a trusted capaian, 1 left out; average 50
    assert (iku[4], iku[5], iku[6], iku[9], iku[11]) == (2, 1, 1, 50, "Sangat Rendah")
    assert iku[13].startswith("1 indikator IKU tidak dirata-rata")
    # the chart (its XML: openpyxl does not load charts) plots column K, Capaian Dihitung,
    # where the flagged row is empty
    assert any("Capaian!$K$5:$K$6" in t and "tanpa 1 indikator bergalat" in t for t in _charts(out))
    assert wb["Efisiensi"]["J6"].value.startswith("Efisiensi tidak dipercaya: capaian bersandar pada galat")


def _charts(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart")]


def test_ranking_and_chart_are_led_by_trustworthy_averages(folder, tmp_path, produced):
    result = merge([folder / "a.xlsx", folder / "b.xlsx"], jobs=1)
    out = write_rekap(tmp_path / "rekap.xlsx", result)
    keep(produced, out)
    ws = openpyxl.load_workbook(out, data_only=True)["Ringkasan"]
    header = [c.value for c in ws[4]]
    rows = {r[2]: dict(zip(header, r)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    a, b = rows["Dinas A"], rows["Dinas B"]
    assert (a["Rata-rata Capaian (%)"], a["Dikecualikan karena Galat"], a["Peringkat"]) == (90, 0, 1)
    assert (b["Rata-rata Capaian (%)"], b["Dikecualikan karena Galat"], b["Peringkat"]) == (50, 1, 2)
    assert (b["Status"], b["Indikator dengan Capaian"]) == ("ada galat", 1)
    total = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[2] == "JUMLAH / RATA-RATA")
    assert total[7:9] == (1, 70)  # 1 left out in all; (90 + 50) / 2
    (chart,) = _charts(out)
    assert "Ringkasan!$I$5:$I$6" in chart and "tanpa indikator bergalat" in chart
    indikator = {(r[0], r[2]): r for r in openpyxl.load_workbook(out)["Indikator"].iter_rows(min_row=2,
                                                                                            values_only=True)}
    assert indikator[("Dinas B", "2")][10] == 16834423.41
    assert indikator[("Dinas B", "2")][12].startswith("capaian bersandar pada galat (realisasi-tidak-wajar)")
    assert indikator[("Dinas A", "1")][12] is None
