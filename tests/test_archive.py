"""The archive (issue "Years and scale"): merges kept year after year in DuckDB, the
trend workbook, merges of archives, detail tables past Excel's row limit."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from sakip_xl.archive import schema, store
from sakip_xl.archive.export import export_parquet
from sakip_xl.archive.store import connect, office_key, read_entries, write_merge
from sakip_xl.archive.trend import TREN_INDIKATOR, TREN_PD, TURUN, write_trend
from sakip_xl.commands.arsip import merge_inputs, move_oversized, oversized
from sakip_xl.commands.merge import merge
from sakip_xl.errors import UnreadableFile
from sakip_xl.model.fill import write_filled
from test_merge import small

duckdb = pytest.importorskip("duckdb")
ROOT = Path(__file__).resolve().parent.parent

# Three offices over three years, one indicator each (target 90, Positif) and one program
# of pagu 1,000,000, so that every figure follows by hand:
#   capaian = realisasi / 90 x 100; penyerapan = spent / 1,000,000 x 100;
#   efisiensi (Selisih, the default) = capaian - penyerapan.
# Satu: realisasi 81, 72, 63 -> capaian 90, 80, 70; spent 900k, 800k, 700k -> penyerapan 90, 80, 70:
#       both fall in 2023 and again in 2024, flagged in 2024 for both.
# Dua:  realisasi 90, 85.5, 81 -> capaian 100, 95, 90 (falls twice: flagged 2024, capaian only);
#       spent 500k, 600k, 550k -> penyerapan 50, 60, 55 (rises, then falls: not flagged).
# Tiga: only 2023 and 2024: realisasi 45, 54 -> capaian 50, 60; spent 1,000,000 both -> 100, 100.
PLAN = {
    "Kecamatan Satu": {2022: (81, 900_000), 2023: (72, 800_000), 2024: (63, 700_000)},
    "Kecamatan Dua": {2022: (90, 500_000), 2023: (85.5, 600_000), 2024: (81, 550_000)},
    "Kecamatan Tiga": {2023: (45, 1_000_000), 2024: (54, 1_000_000)},
}


def _write_year(folder: Path, year: int, offices=PLAN, override: dict | None = None) -> Path:
    d = folder / f"kiriman-{year}"
    d.mkdir(parents=True, exist_ok=True)
    for office, years in offices.items():
        if year in years:
            realisasi, spent = (override or {}).get(office, years[year])
            write_filled(d / f"{office.split()[-1].lower()}.xlsx",
                         small(office, tahun=year, spent=spent, realisasi=realisasi))
    return d


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("tahun")
    for year in (2022, 2023, 2024):
        _write_year(base, year)
    return base


def _archive(years: Path, target: Path) -> Path:
    for year in (2022, 2023, 2024):
        with merge([years / f"kiriman-{year}"], jobs=1) as result:
            write_merge(target, result)
    return target


@pytest.fixture(scope="module")
def archive(years, tmp_path_factory) -> Path:
    return _archive(years, tmp_path_factory.mktemp("arsip") / "arsip.duckdb")


def _snapshot(path: Path) -> dict[str, list]:
    conn = connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in schema.TABLES}
    finally:
        conn.close()


def _office(path: Path, name: str, year: int) -> dict:
    conn = connect(path)
    try:
        cur = conn.execute("SELECT * FROM perangkat_daerah WHERE perangkat_daerah = ? AND tahun = ?", [name, year])
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        conn.close()
    assert len(rows) == 1, rows
    return dict(zip(cols, rows[0]))


def test_three_years_in_one_archive(archive):
    conn = connect(archive)
    try:
        merges = conn.execute("SELECT tahun, lingkup, jumlah_perangkat_daerah FROM penggabungan "
                              "ORDER BY tahun").fetchall()
        assert merges == [(2022, "kabupaten/kota", 2), (2023, "kabupaten/kota", 3), (2024, "kabupaten/kota", 3)]
        assert conn.execute("SELECT count(*) FROM indikator").fetchall() == [(8,)]
        assert conn.execute("SELECT count(DISTINCT sha256) FROM berkas").fetchall() == [(8,)]
        assert conn.execute("SELECT max(versi) FROM skema").fetchall() == [(schema.SCHEMA_VERSION,)]
    finally:
        conn.close()
    satu = _office(archive, "Kecamatan Satu", 2023)
    assert satu["rata_rata_capaian"] == pytest.approx(80)  # 72 / 90
    assert satu["penyerapan"] == pytest.approx(80)  # 800,000 / 1,000,000
    assert satu["efisiensi"] == pytest.approx(0)  # Selisih: 80 - 80
    assert satu["kategori"] == "Tinggi"  # Permendagri 86/2017: 76 <= 80 < 91
    assert satu["pagu"] == 1_000_000 and satu["realisasi_anggaran"] == 800_000
    assert satu["kunci"] == office_key("Kabupaten  Sumenep", "kecamatan satu")
    assert len(satu["sha256"]) == 64 and satu["versi_templat"]


def _copy(archive: Path, tmp_path: Path) -> Path:
    target = tmp_path / "arsip.duckdb"
    shutil.copy(archive, target)
    return target


def test_remerging_a_year_replaces_its_offices_and_keeps_the_rest(archive, tmp_path):
    target = _copy(archive, tmp_path)
    before = _snapshot(target)
    # 2023 again, Kecamatan Satu only, realisasi now 75.6: capaian 84 (75.6 / 90)
    only = _write_year(tmp_path, 2023, {"Kecamatan Satu": PLAN["Kecamatan Satu"]},
                       override={"Kecamatan Satu": (75.6, 800_000)})
    with merge([only], jobs=1) as result:
        write_merge(target, result)
    after = _snapshot(target)
    assert _office(target, "Kecamatan Satu", 2023)["rata_rata_capaian"] == pytest.approx(84)
    assert _office(target, "Kecamatan Dua", 2023)["rata_rata_capaian"] == pytest.approx(95)  # kept
    for table in ("perangkat_daerah", "indikator", "anggaran"):
        assert [r for r in after[table] if r[0] != 2023] == [r for r in before[table] if r[0] != 2023]
        assert len([r for r in after[table] if r[0] == 2023]) == len([r for r in before[table] if r[0] == 2023])
    conn = connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM indikator i JOIN perangkat_daerah p USING (tahun, lingkup, kunci) "
                            "WHERE p.perangkat_daerah = 'Kecamatan Satu' AND tahun = 2023").fetchall() == [(1,)]
    finally:
        conn.close()


KILLED_WRITER = """
import sys, time
from sakip_xl.commands.merge import merge
from sakip_xl.archive.store import write_merge

def pause():
    print("DI-TENGAH", flush=True)
    time.sleep(120)

with merge([sys.argv[2]], jobs=1) as result:
    write_merge(sys.argv[1], result, before_commit=pause)
"""


def test_a_killed_merge_leaves_the_archive_as_it_was(archive, tmp_path):
    target = _copy(archive, tmp_path)
    before = _snapshot(target)
    # A whole year again, with other figures: every table gets deletes and inserts.
    changed = _write_year(tmp_path, 2024, override={o: (10, 100_000) for o in PLAN})
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target), str(changed)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "DI-TENGAH"  # all written to the copy, not yet renamed
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(target) == before
    with merge([changed], jobs=1) as result:  # and the archive still takes the next merge
        write_merge(target, result)
    assert _office(target, "Kecamatan Satu", 2024)["penyerapan"] == pytest.approx(10)  # 100,000 / 1,000,000


def _sheet_rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[3]
    return [dict(zip(header, r)) for r in rows[4:] if any(v is not None for v in r)]


def test_trend_workbook_figures_by_hand(archive, tmp_path):
    out = tmp_path / "tren.xlsx"
    written = write_trend(archive, out)
    assert written.years == [2022, 2023, 2024] and written.offices == 3
    rows = {(r["Perangkat Daerah"], r["Tahun"]): r for r in _sheet_rows(out, TREN_PD)}
    change_cap = "Perubahan Capaian dari Tahun Sebelumnya (poin)"
    change_pen = "Perubahan Penyerapan dari Tahun Sebelumnya (poin)"
    satu23 = rows[("Kecamatan Satu", 2023)]
    assert satu23["Rata-rata Capaian (%)"] == pytest.approx(80)  # 72 / 90
    assert satu23[change_cap] == pytest.approx(-10)  # 80 - 90
    assert satu23["Penyerapan (%)"] == pytest.approx(80) and satu23[change_pen] == pytest.approx(-10)
    assert satu23["Tanda"] is None  # fell once only
    assert satu23["Kategori"] == "Tinggi" and satu23["Pagu (Rp)"] == 1_000_000
    satu24 = rows[("Kecamatan Satu", 2024)]
    assert satu24["Rata-rata Capaian (%)"] == pytest.approx(70) and satu24["Kategori"] == "Sedang"  # 66 <= 70 < 76
    assert "rata-rata capaian" in satu24["Tanda"] and "penyerapan" in satu24["Tanda"]  # 90 > 80 > 70 both
    dua24 = rows[("Kecamatan Dua", 2024)]
    assert dua24["Rata-rata Capaian (%)"] == pytest.approx(90)  # 81 / 90
    assert dua24[change_cap] == pytest.approx(-5)  # 90 - 95
    assert dua24[change_pen] == pytest.approx(-5)  # 55 - 60
    assert dua24["Efisiensi"] == pytest.approx(35)  # Selisih: 90 - 55
    assert "rata-rata capaian" in dua24["Tanda"] and "penyerapan" not in dua24["Tanda"]  # 50 < 60 > 55
    tiga23 = rows[("Kecamatan Tiga", 2023)]
    assert tiga23["Rata-rata Capaian (%)"] == pytest.approx(50)  # 45 / 90
    assert tiga23[change_cap] is None  # no 2022
    assert rows[("Kecamatan Tiga", 2024)][change_cap] == pytest.approx(10)  # 60 - 50
    assert ("Kecamatan Tiga", 2022) not in rows
    flagged = {(r["Perangkat Daerah"], r["Tahun"]) for r in _sheet_rows(out, TURUN)}
    assert flagged == {("Kecamatan Satu", 2024), ("Kecamatan Dua", 2024)}
    series = {(r["Perangkat Daerah"], r["Tahun"]): r for r in _sheet_rows(out, TREN_INDIKATOR)}
    dua = series[("Kecamatan Dua", 2023)]
    assert dua["Kode Indikator"] == "1" and dua["Target"] == 90 and dua["Realisasi"] == pytest.approx(85.5)
    assert dua["Capaian (%)"] == pytest.approx(95)  # 85.5 / 90
    assert dua["Perubahan Realisasi dari Tahun Sebelumnya"] == pytest.approx(-4.5)  # 85.5 - 90
    assert dua["Perubahan Capaian dari Tahun Sebelumnya (poin)"] == pytest.approx(-5)  # 95 - 100
    narrow = {(r["Perangkat Daerah"], r["Tahun"]) for r in _sheet_rows(write_trend(archive, tmp_path / "t.xlsx",
                                                                                   dari=2023).path, TREN_PD)}
    assert {y for _o, y in narrow} == {2023, 2024}


def test_engine_values_come_back_unchanged(archive):
    """What the trend and a province merge carry from a year is that year's merge's values."""
    with merge_inputs([archive], tahun=2023) as again:
        by_name = {e.office.perangkat_daerah: e for e in again.used}
        assert set(by_name) == {"Kecamatan Satu", "Kecamatan Dua", "Kecamatan Tiga"}
        dua = by_name["Kecamatan Dua"]
        assert dua.office.average == pytest.approx(95) and dua.office.pemda == "Kabupaten Sumenep"
        (row,) = list(dua.indicators)
        assert row[6] == 90 and row[7] == pytest.approx(85.5) and row[8] == pytest.approx(95)


def test_a_province_merges_two_archives_and_keeps_each_pemda(archive, tmp_path):
    other = tmp_path / "pamekasan"
    other.mkdir()
    f = small("Kecamatan Satu", tahun=2023, realisasi=90)  # the same name, another Pemda
    f.identity["Pemerintah Daerah"] = "Kabupaten Pamekasan"
    write_filled(other / "satu.xlsx", f)
    second = tmp_path / "pamekasan.duckdb"
    with merge([other], jobs=1) as result:
        write_merge(second, result)
    with merge_inputs([archive, second], tahun=2023) as result:
        offices = sorted((e.office.pemda, e.office.perangkat_daerah, e.office.average) for e in result.used)
        assert offices == [("Kabupaten Pamekasan", "Kecamatan Satu", pytest.approx(100)),
                           ("Kabupaten Sumenep", "Kecamatan Dua", pytest.approx(95)),
                           ("Kabupaten Sumenep", "Kecamatan Satu", pytest.approx(80)),
                           ("Kabupaten Sumenep", "Kecamatan Tiga", pytest.approx(50))]
        assert all("#" in e.path for e in result.used)
        province = tmp_path / "provinsi.duckdb"
        written = write_merge(province, result, lingkup=schema.PROVINSI)
        assert (written.offices, written.indicators, written.lingkup) == (4, 4, "provinsi")


def test_an_oversized_detail_table_goes_to_parquet(archive, tmp_path):
    with merge_inputs([archive], tahun=2024) as result:
        big = oversized(result, limit=2)  # three budget rows and three indicators: "too many" for this test
        assert big == {"Indikator": 3, "Anggaran": 3}
        moved = move_oversized(result, tmp_path / "rekap.xlsx", None, schema.KABUPATEN, big)
    assert [m.parquet.name for m in moved] == ["rekap.indikator.parquet", "rekap.anggaran.parquet"]
    assert all("melebihi batas Excel" in m.note for m in moved)
    rows = duckdb.sql(f"SELECT perangkat_daerah_count FROM (SELECT count(*) AS perangkat_daerah_count "
                      f"FROM '{moved[1].parquet}')").fetchall()
    assert rows == [(3,)]


def test_parquet_export_of_every_table(archive, tmp_path):
    written = export_parquet(archive, tmp_path / "parquet")
    assert sorted(p.name for p in written) == sorted(f"{t}.parquet" for t in schema.TABLES)
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'parquet' / 'indikator.parquet'}'").fetchall() == [(8,)]


def test_missing_corrupt_and_newer_archives_are_refused(tmp_path, archive):
    with pytest.raises(UnreadableFile, match="tidak ditemukan"):
        connect(tmp_path / "tidak-ada.duckdb")
    bad = tmp_path / "rusak.duckdb"
    bad.write_bytes(b"bukan database" * 100)
    with pytest.raises(UnreadableFile, match="rusak.duckdb"):
        connect(bad)
    newer = tmp_path / "baru.duckdb"
    newer.write_bytes(archive.read_bytes())
    conn = duckdb.connect(str(newer))
    conn.execute("INSERT INTO skema VALUES (99, now(), 'dari masa depan')")
    conn.close()
    with pytest.raises(UnreadableFile, match="lebih baru"):
        connect(newer)


def test_migrations_run_once_when_an_archive_is_opened_for_writing(archive, tmp_path, monkeypatch):
    old = tmp_path / "lama.duckdb"
    old.write_bytes(archive.read_bytes())
    v2 = schema.Migration(2, "kolom percobaan", ("ALTER TABLE perangkat_daerah ADD COLUMN percobaan VARCHAR",))
    monkeypatch.setattr(store, "MIGRATIONS", (*schema.MIGRATIONS, v2))
    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    with pytest.raises(UnreadableFile, match="skema lama"):
        connect(old)  # reading never changes an archive
    connect(old, write=True).close()
    conn = connect(old, write=True)  # the second time: nothing to do
    try:
        assert [r[0] for r in conn.execute("SELECT versi FROM skema ORDER BY versi").fetchall()] == [1, 2]
        assert "percobaan" in [c[0] for c in conn.execute("DESCRIBE perangkat_daerah").fetchall()]
    finally:
        conn.close()


def _documented_tables() -> dict[str, list[tuple[str, str]]]:
    """docs/archive.md: each `### table` heading and the (column, type) rows of its table."""
    text = (ROOT / "docs" / "archive.md").read_text(encoding="utf-8")
    tables: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"### `(\w+)`", line)
        if m:
            current = tables.setdefault(m.group(1), [])
            continue
        m = re.match(r"\| `(\w+)` \| (\w+) \|", line)
        if m and current is not None:
            current.append((m.group(1), m.group(2)))
    return tables


def test_the_documented_schema_is_the_database(archive):
    documented = _documented_tables()
    conn = connect(archive)
    try:
        actual = {t: [(r[0], r[1]) for r in conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
            "AND table_name = ? ORDER BY ordinal_position", [t]).fetchall()] for t in schema.TABLES}
    finally:
        conn.close()
    assert documented == actual
    text = (ROOT / "docs" / "archive.md").read_text(encoding="utf-8")
    assert f"Schema version: **{schema.SCHEMA_VERSION}**" in text


# ---------------------------------------------------------------- the command line


def _run(*args: str):
    from click.testing import CliRunner

    from sakip_xl.cli import main

    return CliRunner().invoke(main, list(args), prog_name="sakip-xl")


def test_cli_merge_into_an_archive_then_trend_and_export(years, tmp_path):
    target = tmp_path / "arsip.duckdb"
    for year in (2022, 2023, 2024):
        r = _run("merge", str(years / f"kiriman-{year}"), "-o", str(tmp_path / f"rekap-{year}.xlsx"), "--arsip",
                 str(target), "--quiet")
        assert r.exit_code == 0, r.output
        assert f"Arsip: {target} (tahun {year}, kabupaten/kota" in r.output
    r = _run("arsip", "tren", str(target), "-o", str(tmp_path / "tren.xlsx"), "--dari", "2022", "--sampai", "2024")
    assert r.exit_code == 0, r.output
    assert "tahun 2022–2024, 3 perangkat daerah" in r.output
    assert "Kecamatan Satu (Kabupaten Sumenep), 2024: rata-rata capaian, penyerapan" in r.output
    r = _run("arsip", "tren", str(target), "-o", str(tmp_path / "tren.xlsx"))
    assert r.exit_code == 2 and "--force" in r.output  # never overwritten silently
    r = _run("arsip", "ekspor", str(target), str(tmp_path / "pq"))
    assert r.exit_code == 0 and len(list((tmp_path / "pq").glob("*.parquet"))) == len(schema.TABLES)


def test_cli_province_merge_of_two_archives(archive, tmp_path):
    other = tmp_path / "pamekasan"
    other.mkdir()
    f = small("Kecamatan Satu", tahun=2024, realisasi=90)
    f.identity["Pemerintah Daerah"] = "Kabupaten Pamekasan"
    write_filled(other / "satu.xlsx", f)
    second = tmp_path / "pamekasan.duckdb"
    assert _run("merge", str(other), "-o", str(tmp_path / "r.xlsx"), "--arsip", str(second)).exit_code == 0
    out = tmp_path / "provinsi.xlsx"
    r = _run("merge", str(archive), str(second), "-o", str(out), "--tahun", "2024", "--arsip",
             str(tmp_path / "provinsi.duckdb"))
    assert r.exit_code == 0, r.output
    assert "Arsip:" in r.output and "provinsi: 4 perangkat daerah" in r.output
    rows = list(openpyxl.load_workbook(out, read_only=True)["Ringkasan"].iter_rows(min_row=5, values_only=True))
    assert sorted((row[1], row[2]) for row in rows if row[0] is not None and isinstance(row[0], int)) == [
        ("Kabupaten Pamekasan", "Kecamatan Satu"), ("Kabupaten Sumenep", "Kecamatan Dua"),
        ("Kabupaten Sumenep", "Kecamatan Satu"), ("Kabupaten Sumenep", "Kecamatan Tiga")]


def test_cli_past_excel_limit_notes_and_parquet(archive, tmp_path, monkeypatch):
    import sakip_xl.commands.arsip as arsip

    monkeypatch.setattr(arsip, "EXCEL_DATA_ROWS", 2)  # three budget rows are "too many" here
    out = tmp_path / "rekap.xlsx"
    r = _run("merge", str(archive), "-o", str(out), "--tahun", "2024", "--arsip", str(tmp_path / "p.duckdb"))
    assert r.exit_code == 0, r.output
    assert "Catatan: Tabel Anggaran berisi 3 baris, melebihi batas Excel" in r.output  # stderr, mixed in
    assert (tmp_path / "rekap.anggaran.parquet").exists() and (tmp_path / "rekap.indikator.parquet").exists()
    wb = openpyxl.load_workbook(out, read_only=True)
    anggaran = list(wb["Anggaran"].iter_rows(values_only=True))
    assert len(anggaran) == 2 and "melebihi batas Excel" in anggaran[1][0] and "p.duckdb" in anggaran[1][0]
    assert "rekap.anggaran.parquet" in wb["Ringkasan"]["A3"].value
    assert len(list(wb["Pemeriksaan"].iter_rows(values_only=True))) >= 1  # not oversized: kept
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'rekap.anggaran.parquet'}'").fetchall() == [(3,)]


@pytest.mark.parametrize("content", [None, b"bukan database DuckDB" * 50])
def test_cli_missing_or_corrupt_archive_is_one_line_exit_2(tmp_path, content):
    path = tmp_path / "arsip.duckdb"
    if content is not None:
        path.write_bytes(content)
    for args in (("arsip", "tren", str(path), "-o", str(tmp_path / "t.xlsx")),
                 ("arsip", "ekspor", str(path), str(tmp_path / "pq"))):
        r = _run(*args)
        assert r.exit_code == 2, r.output
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Galat: arsip.duckdb") and "Traceback" not in r.output
