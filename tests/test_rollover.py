"""Next year's workbook from this year's: `sakip-xl template OUTPUT --dari LAST.xlsx` (issue 4)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import keep
from sakip_xl.cli import main
from sakip_xl.errors import UsageError
from sakip_xl.model.fill import Filling, write_filled
from sakip_xl.read.interpret import pattern_key
from sakip_xl.commands.rollover import roll_over
from sakip_xl.model.workbook import check_workbook
from sakip_xl.commands.recompute import recompute


def year_2023() -> Filling:
    f = Filling()
    f.identity = {"Pemerintah Daerah": "Kabupaten Sumenep", "Perangkat Daerah": "Kecamatan Uji",
                  "Kode Perangkat Daerah": "7.01.09", "Tahun Kinerja": 2023, "Periode Renstra": "2021-2026",
                  "Nama Pimpinan": "Camat Uji", "Metode Efisiensi": "Indeks"}
    f.tables = {
        "iku": [
            {"Kode": "1", "Jenis": "Tujuan", "Tujuan/Sasaran": "Pelayanan", "Indikator Kinerja": "IKM",
             "Satuan": "Nilai", "Target Akhir Renstra": 85, "Target Renstra 2023": 82, "Target Renstra 2024": 83},
            {"Kode": "1.1", "Jenis": "Sasaran", "Tujuan/Sasaran": "Desa", "Indikator Kinerja": "Laporan desa",
             "Satuan": "Laporan", "Agregasi Triwulan": "Jumlah", "Polaritas": "Positif", "IKU": "Tidak"},
            {"Kode": "2.1", "Jenis": "Sasaran", "Tujuan/Sasaran": "Akuntabilitas", "Indikator Kinerja": "SAKIP",
             "Satuan": "Predikat SAKIP"},
        ],
        "pk": [
            {"Kode": "1", "Target": 80, "Target Perubahan": 82},  # the revised target is the one in force
            {"Kode": "1.1", "Target": 12},
            {"Kode": "2.1", "Target": "BB"},
        ],
        "realisasi": [
            # a value typed over the Target Berlaku formula must not be carried: the computed 82 is
            {"Kode": "1", "Realisasi": 81, "Realisasi N-1": 80, "Target Berlaku": 70},
            {"Kode": "1.1", "Realisasi TW I": 2, "Realisasi TW II": 3, "Realisasi TW III": 3,
             "Realisasi TW IV": 4, "Realisasi N-1": 11},
            {"Kode": "2.1", "Realisasi": "A", "Realisasi N-1": "BB"},
        ],
        "anggaran": [
            {"Kode": "7.01.01", "Jenis": "Program", "Uraian": "Program Penunjang", "Kode Indikator": "2.1",
             "Pagu": 100_000_000, "Realisasi Anggaran": 90_000_000},
            {"Kode": "7.01.01.2.01", "Jenis": "Kegiatan", "Uraian": "Perencanaan", "Indikator Kinerja": "Dokumen",
             "Satuan Kinerja": "Dokumen", "Target Kinerja": 6, "Realisasi Kinerja": 6, "Pagu": 100_000_000,
             "Realisasi Anggaran": 90_000_000},
        ],
        "kategori": [{"Skala": "Skala Uji", "Batas Bawah": 0, "Kategori": "Semua"}],
    }
    return f


@pytest.fixture(scope="module")
def rolled(tmp_path_factory):
    d = tmp_path_factory.mktemp("year")
    filled = write_filled(d / "lkjip-2023.xlsx", year_2023())
    recomputed = recompute(filled, d / "lkjip-2023-hasil.xlsx", make_backup=False).output
    result = roll_over(recomputed, d / "lkjip-2024.xlsx")
    return result, check_workbook(result.output)


def test_identity_carried_with_the_year_advanced(rolled):
    result, checked = rolled
    assert result.tahun == 2024
    d = checked.data
    assert d.tahun == 2024
    for key, want in (("pemda", "Kabupaten Sumenep"), ("perangkat_daerah", "Kecamatan Uji"), ("kode_pd", "7.01.09"),
                      ("periode_renstra", "2021-2026"), ("nama_pimpinan", "Camat Uji"),
                      ("metode_efisiensi", "Indeks")):
        assert d.field(key) == want, key


def test_iku_sheet_carried_whole(rolled):
    _result, checked = rolled
    iku = checked.data.rows["iku"]
    assert [r.text("kode") for r in iku] == ["1", "1.1", "2.1"]
    assert [r.text("satuan") for r in iku] == ["Nilai", "Laporan", "Predikat SAKIP"]
    assert (iku[1].text("agregasi"), iku[1].text("polaritas"), iku[1].text("iku")) == ("Jumlah", "Positif", "Tidak")
    assert iku[0].number("target_renstra") == 85
    renstra = checked.data.layout.tables["iku"].pattern_columns
    assert {year: iku[0].cells[pattern_key(col)].raw for col, (_k, year) in renstra.items()} == {2023: 82, 2024: 83}


def test_pk_targets_empty_or_the_renstra_target_for_the_new_year(rolled):
    _result, checked = rolled
    pk = {r.text("kode"): r for r in checked.data.rows["pk"]}
    assert pk["1"].get("target").raw == 83  # Target Renstra 2024 of indicator 1
    assert pk["1.1"].get("target").raw is None
    assert pk["2.1"].get("target").raw is None
    assert all(r.get("target_perubahan").raw is None for r in pk.values())


def test_previous_years_shifted_from_computed_values(rolled):
    _result, checked = rolled
    real = {r.text("kode"): r for r in checked.data.rows["realisasi"]}
    got = {k: (r.get("target_n1").raw, r.get("realisasi_n1").raw, r.get("realisasi_n2").raw,
               r.get("realisasi").raw) for k, r in real.items()}
    assert got == {
        "1": (82, 81, 80, None),  # target in force is the PK Perubahan 82, not the 70 typed over it
        "1.1": (12, 12, 11, None),  # realisasi from the quarters, Jumlah: 2 + 3 + 3 + 4 = 12
        "2.1": ("BB", "A", "BB", None),
    }


def test_header_years_follow_the_new_year(rolled):
    _result, checked = rolled
    headers = checked.data.layout.tables["realisasi"].header_text
    assert headers["target_n1"] == "Target N-1 (2023)"
    assert headers["realisasi_n2"] == "Realisasi N-2 (2022)"


def test_budget_rows_keep_codes_and_names_but_no_amounts(rolled):
    _result, checked = rolled
    rows = checked.data.rows["anggaran"]
    assert [(r.text("kode"), r.text("jenis"), r.text("uraian"), r.text("kode_indikator")) for r in rows] == [
        ("7.01.01", "Program", "Program Penunjang", "2.1"),
        ("7.01.01.2.01", "Kegiatan", "Perencanaan", None),
    ]
    assert rows[1].text("indikator") == "Dokumen" and rows[1].text("satuan") == "Dokumen"
    for r in rows:
        for key in ("pagu_awal", "pagu", "realisasi_anggaran", "target", "realisasi_kinerja"):
            assert r.get(key).raw is None, (r.text("kode"), key)


def test_own_scale_carried_without_duplicating_the_regulation_scales(rolled):
    _result, checked = rolled
    names = [r.text("skala") for r in checked.data.rows["kategori"]]
    assert names.count("Permendagri 86/2017") == 5 and names.count("Skala Uji") == 1
    assert not [i for i in checked.report.issues if i.code == "skala-tidak-valid"]


def test_new_workbook_is_formula_checked(rolled, produced):
    result, _checked = rolled
    keep(produced, result.output)


def test_cli_dari_and_refusing_to_overwrite(rolled, tmp_path):
    result, _checked = rolled
    source = result.output
    runner = CliRunner()
    out = tmp_path / "lkjip-2025.xlsx"
    r = runner.invoke(main, ["template", str(out), "--dari", str(source)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"Ditulis: {out} (tahun 2025, dari {source.name}: 3 indikator, 2 baris anggaran)")
    r = runner.invoke(main, ["template", str(out), "--dari", str(source)])
    assert r.exit_code == 2 and "sudah ada" in r.output
    with pytest.raises(UsageError):
        roll_over(source, tmp_path / "x.xls")
