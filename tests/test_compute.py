"""Pure functions over pandas tables (issue 3, computation): figures worked out by hand."""

from __future__ import annotations


import pandas as pd

from paths import KALIANGET
from sakip_xl import compute



def values(s: pd.Series) -> list:
    """A Series as a list, missing values (NaN in a numeric Series) as None."""
    return [None if pd.isna(v) else v for v in s]


def test_capaian_for_every_kind_of_target():
    got = values(compute.capaian(
        pd.Series([82, 8, "80 - 90", "80 - 90", "BB", 0, 0, 50]),
        pd.Series([81, 9, 70, 85, "A", 0, 5, None]),
        polaritas=pd.Series(["Positif", "Negatif", "Positif", "Positif", "Positif", "Positif", "Positif", "Positif"]),
        satuan=pd.Series(["Nilai", "%", "%", "%", "Predikat SAKIP", "%", "%", "%"]),
    ))
    assert got == [
        98.78,  # 81 / 82 x 100 = 98.7805
        87.5,  # Negatif: (2 x 8 - 9) / 8 x 100
        87.5,  # below the range: 70 / 80 x 100
        100,  # inside the range
        120,  # rank A 6 / rank BB 5 x 100
        100,  # T = 0 and R = 0
        None,  # T = 0, R <> 0: not computable
        None,  # no realisasi yet
    ]


def test_penyerapan_kategori_efisiensi():
    assert values(compute.penyerapan(pd.Series([152_960_600, 0, None]), pd.Series([121_467_000, 5, 1]))) == [
        79.41, None, None]  # 121.467.000 / 152.960.600 = 79.411%; pagu 0 and no pagu: not computable
    assert values(compute.kategori(pd.Series([98.78, 90.995, 90.994, 50, None]))) == [
        "Sangat Tinggi", "Sangat Tinggi", "Tinggi", "Sangat Rendah", None]  # 90.995 rounds to 91.00
    assert list(compute.efisiensi(pd.Series([100, 62.5]), pd.Series([86.17, 100]))) == [13.83, -37.5]
    assert list(compute.efisiensi(pd.Series([100, 62.5]), pd.Series([80, 100]), metode="Indeks")) == [1.25, 0.63]
    assert list(compute.efisiensi(pd.Series([100, 62.5]), pd.Series([80, 100]), metode="Sisa Anggaran")) == [
        20, "tidak dapat diukur"]  # only when the target was met


def test_rata_rata_with_cap_and_count():
    values = pd.Series([125, 90, None, 80])
    assert compute.rata_rata(values) == (98.33, 3)  # (125 + 90 + 80) / 3 = 98.333
    assert compute.rata_rata(values, "120") == (96.67, 3)  # (120 + 90 + 80) / 3
    assert compute.rata_rata(values, "100") == (90, 3)  # (100 + 90 + 80) / 3
    assert compute.rata_rata(pd.Series([None]), "100") == (None, 0)


def test_derive_adds_the_derived_columns():
    tables = compute.derive({
        "iku": pd.DataFrame({"kode": ["1"], "jenis": ["Tujuan"], "pernyataan": ["T"], "indikator": ["IKM"],
                             "satuan": ["Nilai"], "target_renstra": [85], "standar_nasional": [87]}),
        "pk": pd.DataFrame({"kode": ["1"], "target": [86.15], "target_perubahan": [82]}),
        "realisasi": pd.DataFrame({"kode": ["1"], "realisasi": [81], "target_n1": [81], "realisasi_n1": [80]}),
        "anggaran": pd.DataFrame({"kode": ["7.01.05"], "jenis": ["Program"], "uraian": ["PUPU"],
                                  "kode_indikator": ["1"], "pagu": [152_960_600], "realisasi_anggaran": [121_467_000]}),
    })
    row = tables["realisasi"].iloc[0]
    assert (row["target_berlaku"], row["capaian"], row["kategori"], row["capaian_n1"], row["kemajuan_renstra"],
            row["capaian_standar"]) == (82, 98.78, "Sangat Tinggi", 98.77, 95.29, 93.10)
    assert row["efisiensi"] == 19.37  # Selisih: 98.78 - 79.41
    assert tables["anggaran"].iloc[0]["sisa"] == 31_493_600


def test_workbook_tables_of_the_kalianget_example():
    tables = compute.workbook_tables(KALIANGET)
    ikm = tables["realisasi"].set_index("kode").loc["1"]
    assert (ikm["capaian"], ikm["capaian_n1"], ikm["kemajuan_renstra"], ikm["capaian_standar"]) == (
        98.78, 98.77, 95.29, 93.10)
    assert ikm["baris"] == 4
    program = tables["anggaran"].set_index("kode").loc["7.01.05"]
    assert (program["pagu"], program["realisasi_anggaran"], program["penyerapan"]) == (152_960_600, 121_467_000, 79.41)


def test_own_scale_longer_than_the_prepared_rows():
    # 70 bands of one's own (the sheet prepares 60 scale rows, 5 of them the regulation's):
    # band i starts at i, so a capaian of 98.78 (81 / 82 x 100) falls in band 69, the last
    bands = pd.DataFrame({"skala": ["Skala Uji"] * 70, "batas_bawah": list(range(70)),
                          "kategori": [f"K{i}" for i in range(70)]})
    tables = compute.derive({
        "kategori": bands,
        "iku": pd.DataFrame({"kode": ["1"], "jenis": ["Tujuan"], "pernyataan": ["T"], "indikator": ["IKM"],
                             "satuan": ["Nilai"]}),
        "pk": pd.DataFrame({"kode": ["1"], "target": [82]}),
        "realisasi": pd.DataFrame({"kode": ["1"], "realisasi": [81]}),
    }, {"skala_kategori": "Skala Uji"})
    assert tables["realisasi"].iloc[0]["kategori"] == "K69"
    # 59.5 falls in band 59, the first beyond the prepared rows
    assert list(compute.derive({"kategori": bands, "iku": pd.DataFrame({"kode": ["1"], "satuan": ["%"]}),
                                "pk": pd.DataFrame({"kode": ["1"], "target": [100]}),
                                "realisasi": pd.DataFrame({"kode": ["1"], "realisasi": [59.5]})},
                               {"skala_kategori": "Skala Uji"})["realisasi"]["kategori"]) == ["K59"]
