"""The trend workbook: each office's course over the years of an archive.

Every figure is read from the archive as the engine computed it in that year's
merge; nothing is recomputed or retyped. The only arithmetic here is the change
from one year to the next (this year's value minus last year's, in the unit of the
value: percent points for capaian and penyerapan) and the flag of an office whose
average capaian or penyerapan fell two years in a row (three consecutive years,
each value lower than the one before).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from ..errors import UsageError
from ..files import atomic_write
from ..xlsx.writer import Writer, fit_row, print_setup
from .store import _first_line, connect

TREN_PD, TREN_INDIKATOR, TURUN, CAPAIAN_TAHUN, PENYERAPAN_TAHUN, KETERANGAN = (
    "Tren Perangkat Daerah", "Tren Indikator", "Turun Berturut-turut", "Capaian per Tahun", "Penyerapan per Tahun",
    "Keterangan")
EXCEL_DATA_ROWS = 1_048_575  # a sheet's rows below its header
SERIES_PER_CHART, MAX_CHARTS = 10, 20
FELL = "turun dua tahun berturut-turut"


@dataclass
class OfficeYear:
    pemda: str
    perangkat_daerah: str
    kode: str
    tahun: int
    average: float | None
    kategori: str
    pagu: float | None
    realisasi: float | None
    penyerapan: float | None
    efisiensi: float | str | None
    metode: str
    galat: int
    excluded: int


@dataclass
class Trend:
    """What the trend workbook shows, by office key and year."""

    offices: dict[str, dict[int, OfficeYear]]
    years: list[int]
    flags: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # (key, year) -> what fell

    def change(self, key: str, year: int, attr: str) -> float | None:
        """This year's value minus last year's; None unless both are numbers."""
        rows = self.offices[key]
        now, before = rows.get(year), rows.get(year - 1)
        if now is None or before is None:
            return None
        a, b = getattr(now, attr), getattr(before, attr)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return round(a - b, 10)
        return None


def _fell_twice(values: dict[int, Any], year: int) -> bool:
    v = [values.get(year - 2), values.get(year - 1), values.get(year)]
    return all(isinstance(x, (int, float)) for x in v) and v[0] > v[1] > v[2]  # type: ignore[operator]


def load_trend(archive: str | Path, dari: int | None = None, sampai: int | None = None) -> Trend:
    """The offices' figures of the years dari..sampai. Of an office archived twice for one
    year (by a kabupaten and by a province), the latest merge's row."""
    conn = connect(archive)
    try:
        rows = conn.execute(
            "SELECT kunci, pemda, perangkat_daerah, kode, tahun, rata_rata_capaian, kategori, pagu, "
            "realisasi_anggaran, penyerapan, coalesce(CAST(efisiensi AS VARCHAR), efisiensi_teks), efisiensi, "
            "metode_efisiensi, galat, indikator_dikecualikan_galat FROM perangkat_daerah "
            "WHERE tahun BETWEEN ? AND ? "
            "QUALIFY row_number() OVER (PARTITION BY kunci, tahun ORDER BY digabung DESC, lingkup) = 1 "
            "ORDER BY kunci, tahun", [dari or -1, sampai or 10_000]).fetchall()
    finally:
        conn.close()
    offices: dict[str, dict[int, OfficeYear]] = defaultdict(dict)
    for (key, pemda, name, kode, tahun, avg, kategori, pagu, real, penyerapan, eff_any, eff, metode, galat,
         excluded) in rows:
        offices[key][tahun] = OfficeYear(pemda, name, kode, tahun, avg, kategori, pagu, real, penyerapan,
                                         eff if eff is not None else eff_any, metode, galat, excluded)
    trend = Trend(dict(offices), sorted({r[4] for r in rows}))
    for key, by_year in trend.offices.items():
        for year in by_year:
            fell = [what for what, attr in (("rata-rata capaian", "average"), ("penyerapan", "penyerapan"))
                    if _fell_twice({y: getattr(o, attr) for y, o in by_year.items()}, year)]
            if fell:
                trend.flags[(key, year)] = fell
    return trend


@dataclass
class TrendWritten:
    path: Path
    years: list[int]
    offices: int
    indicators: int
    flagged: list[tuple[str, str, int, str]]  # pemda, office, year, what fell
    notes: list[str]


def _indicator_rows(archive: str | Path, years: list[int]) -> Any:
    """A cursor over every indicator of those years, by office, code and year, with
    last year's row of the same office and code beside it."""
    conn = connect(archive)
    sql = """
        WITH ind AS (
            SELECT i.*, p.pemda, p.perangkat_daerah
            FROM indikator i JOIN perangkat_daerah p USING (tahun, lingkup, kunci)
            WHERE i.tahun BETWEEN ? AND ?
            QUALIFY row_number() OVER (PARTITION BY i.kunci, i.tahun, i.kode ORDER BY p.digabung DESC,
                                       i.lingkup, i.urutan) = 1)
        SELECT a.pemda, a.perangkat_daerah, a.kode, a.indikator, a.satuan, a.tahun,
               coalesce(CAST(a.target AS VARCHAR), a.target_teks), a.target,
               coalesce(CAST(a.realisasi AS VARCHAR), a.realisasi_teks), a.realisasi,
               a.capaian, a.capaian_teks, a.realisasi - b.realisasi, a.capaian - b.capaian, a.kategori,
               a.catatan_galat
        FROM ind a LEFT JOIN ind b ON b.kunci = a.kunci AND b.kode = a.kode AND b.tahun = a.tahun - 1
        ORDER BY a.kunci, a.kode, a.tahun"""
    return conn, conn.execute(sql, [years[0], years[-1]])


def write_trend(archive: str | Path, output: str | Path, dari: int | None = None,
                sampai: int | None = None) -> TrendWritten:
    """The trend workbook of `archive`, years dari..sampai (all by default)."""
    import duckdb

    archive, output = Path(archive), Path(output)
    if dari is not None and sampai is not None and dari > sampai:
        raise UsageError(f"--dari {dari} lebih besar dari --sampai {sampai}.")
    try:
        trend = load_trend(archive, dari, sampai)
    except duckdb.Error as e:
        raise UsageError(f"{archive.name}: arsip tidak dapat dibaca ({_first_line(e)}).") from e
    if not trend.years:
        span = f" tahun {dari or '...'}–{sampai or '...'}" if dari or sampai else ""
        raise UsageError(f"{archive.name}: arsip tidak memuat penggabungan{span}.")
    notes: list[str] = []
    counted = {"indicators": 0}
    keys = sorted(trend.offices, key=lambda k: (next(iter(trend.offices[k].values())).pemda.casefold(),
                                                next(iter(trend.offices[k].values())).perangkat_daerah.casefold()))
    flagged = [(o.pemda, o.perangkat_daerah, y, ", ".join(what)) for (k, y), what in sorted(
        trend.flags.items(), key=lambda kv: (keys.index(kv[0][0]), kv[0][1])) for o in [trend.offices[k][y]]]

    def write(tmp: Path) -> None:
        w = Writer(tmp, constant_memory=True)
        _office_sheet(w, trend, keys)
        counted["indicators"] = _indicator_sheet(w, archive, trend, notes)
        _flag_sheet(w, flagged)
        for name, attr, title in ((CAPAIAN_TAHUN, "average", "Rata-rata Capaian (%)"),
                                  (PENYERAPAN_TAHUN, "penyerapan", "Penyerapan Anggaran (%)")):
            _wide_sheet(w, name, attr, title, trend, keys, notes)
        _notes_sheet(w, archive, trend, notes)
        w.close()

    atomic_write(output, write)
    return TrendWritten(output, trend.years, len(trend.offices), counted["indicators"], flagged, notes)


def _header(w: Writer, name: str, title: str, subtitle: str, headers: Sequence[tuple[str, float]]) -> Any:
    ws = w.add_sheet(name)
    ws.write_string(0, 0, title, w.fmt("title"))
    ws.write_string(1, 0, subtitle, w.fmt("subtitle"))
    header_fmt = w.fmt("header_derived")
    for c, (h, width) in enumerate(headers):
        ws.write_string(3, c, h, header_fmt)
        ws.set_column(c, c, width)
    ws.set_row(3, 62)
    ws.freeze_panes(4, 0)
    print_setup(ws, 3, [width for _h, width in headers], 3)
    return ws


OFFICE_HEADERS = [("No", 5), ("Pemerintah Daerah", 20), ("Perangkat Daerah", 30), ("Kode", 10), ("Tahun", 7),
                  ("Rata-rata Capaian (%)", 11), ("Perubahan Capaian dari Tahun Sebelumnya (poin)", 13),
                  ("Kategori", 14), ("Pagu (Rp)", 18), ("Realisasi Anggaran (Rp)", 18), ("Penyerapan (%)", 11),
                  ("Perubahan Penyerapan dari Tahun Sebelumnya (poin)", 13), ("Efisiensi", 17),
                  ("Metode Efisiensi", 13), ("Galat", 7), ("Indikator Dikecualikan karena Galat", 12),
                  ("Tanda", 42)]


def _office_sheet(w: Writer, trend: Trend, keys: list[str]) -> None:
    ws = _header(w, TREN_PD, "Tren Kinerja Perangkat Daerah per Tahun",
                 "Angka setiap tahun adalah hasil mesin sakip-xl pada penggabungan tahun itu, diambil dari arsip "
                 "tanpa diketik ulang. Perubahan = nilai tahun ini dikurangi nilai tahun sebelumnya.",
                 OFFICE_HEADERS)
    fmts = {5: w.fmt("plain", "persen"), 6: w.fmt("plain", "0.00;-0.00;0.00"), 8: w.fmt("plain", "rupiah"),
            9: w.fmt("plain", "rupiah"), 10: w.fmt("plain", "persen"), 11: w.fmt("plain", "0.00;-0.00;0.00"),
            12: w.fmt("plain", "desimal"), 2: w.fmt("plain", None, True)}
    flag_fmt = w.fmt("galat")
    r, n = 4, 0
    for key in keys:
        n += 1
        for year in trend.years:
            o = trend.offices[key].get(year)
            if o is None:
                continue
            flag = trend.flags.get((key, year))
            row = (n, o.pemda, o.perangkat_daerah, o.kode, year, o.average, trend.change(key, year, "average"),
                   o.kategori, o.pagu, o.realisasi, o.penyerapan, trend.change(key, year, "penyerapan"),
                   o.efisiensi, o.metode, o.galat, o.excluded,
                   ("; ".join(f"{what} {FELL}" for what in flag)) if flag else None)
            fit_row(ws, r, ((o.perangkat_daerah, 30),))
            for c, v in enumerate(row):
                w.put(ws, r, c, v, flag_fmt if c == 16 and v else fmts.get(c))
            r += 1
    ws.autofilter(3, 0, max(r - 1, 4), len(OFFICE_HEADERS) - 1)


INDICATOR_HEADERS = [("Pemerintah Daerah", 18), ("Perangkat Daerah", 26), ("Kode Indikator", 9),
                     ("Indikator Kinerja", 34), ("Satuan", 10), ("Tahun", 7), ("Target", 10), ("Realisasi", 10),
                     ("Capaian (%)", 10), ("Perubahan Realisasi dari Tahun Sebelumnya", 13),
                     ("Perubahan Capaian dari Tahun Sebelumnya (poin)", 13), ("Kategori", 14),
                     ("Catatan Galat", 36)]


def _indicator_sheet(w: Writer, archive: Path, trend: Trend, notes: list[str]) -> int:
    """One row per office, indicator code and year; the count of rows written."""
    ws = _header(w, TREN_INDIKATOR, "Deret Target, Realisasi dan Capaian per Indikator",
                 "Indikator dikenali antartahun dari kodenya dalam perangkat daerah yang sama. Perubahan hanya "
                 "dihitung bila tahun sebelumnya ada dan keduanya berupa angka.", INDICATOR_HEADERS)
    fmts = {8: w.fmt("plain", "persen"), 9: w.fmt("plain", "0.00;-0.00;0.00"), 10: w.fmt("plain", "0.00;-0.00;0.00"),
            3: w.fmt("plain", None, True), 12: w.fmt("plain", None, True)}
    conn, cur = _indicator_rows(archive, trend.years)
    r, written, skipped = 4, 0, 0
    try:
        while True:
            batch = cur.fetchmany(10_000)
            if not batch:
                break
            for (pemda, name, kode, ind, satuan, tahun, target_any, target, real_any, real, capaian, capaian_text,
                 d_real, d_cap, kategori, catatan) in batch:
                if written >= EXCEL_DATA_ROWS - 4:
                    skipped += 1
                    continue
                row = (pemda, name, kode, ind, satuan, tahun, target if target is not None else target_any,
                       real if real is not None else real_any, capaian if capaian is not None else capaian_text,
                       d_real, d_cap, kategori, catatan)
                fit_row(ws, r, ((ind, 34), (catatan, 36)))
                for c, v in enumerate(row):
                    w.put(ws, r, c, v, fmts.get(c))
                r += 1
                written += 1
    finally:
        conn.close()
    ws.autofilter(3, 0, max(r - 1, 4), len(INDICATOR_HEADERS) - 1)
    if skipped:
        shown, rest = f"{written:,}".replace(",", "."), f"{skipped:,}".replace(",", ".")
        note = (f"Lembar {TREN_INDIKATOR} memuat {shown} baris pertama; {rest} baris lainnya melebihi "
                "batas baris Excel. Semua baris ada di arsip (tabel indikator): sakip-xl arsip ekspor.")
        ws.write_string(2, 0, note, w.fmt("galat"))
        notes.append(note)
    return written


def _flag_sheet(w: Writer, flagged: list[tuple[str, str, int, str]]) -> None:
    ws = _header(w, TURUN, "Perangkat Daerah yang Kinerjanya Turun Dua Tahun Berturut-turut",
                 "Rata-rata capaian atau penyerapan anggaran yang lebih rendah dari tahun sebelumnya, dua tahun "
                 "berturut-turut (tiga tahun berurutan, masing-masing lebih rendah).",
                 [("Pemerintah Daerah", 20), ("Perangkat Daerah", 32), ("Tahun", 7), ("Yang Turun", 40)])
    if not flagged:
        ws.write_string(4, 0, "Tidak ada perangkat daerah yang turun dua tahun berturut-turut.")
    for i, row in enumerate(flagged):
        for c, v in enumerate(row):
            w.put(ws, 4 + i, c, v)


def _wide_sheet(w: Writer, name: str, attr: str, title: str, trend: Trend, keys: list[str],
                notes: list[str]) -> None:
    """Offices down, years across, and line charts of the series (SERIES_PER_CHART offices each)."""
    headers: list[tuple[str, float]] = [("Pemerintah Daerah", 20), ("Perangkat Daerah", 30)]
    headers += [(str(y), 10) for y in trend.years]
    ws = _header(w, name, f"{title} per Perangkat Daerah dan Tahun",
                 "Dari lembar " + TREN_PD + "; sel kosong: tidak ada penggabungan atau nilai tahun itu.", headers)
    fmt = w.fmt("plain", "persen")
    first = 4
    for i, key in enumerate(keys):
        by_year = trend.offices[key]
        any_row = next(iter(by_year.values()))
        w.put(ws, first + i, 0, any_row.pemda)
        w.put(ws, first + i, 1, any_row.perangkat_daerah)
        for j, year in enumerate(trend.years):
            o = by_year.get(year)
            w.put(ws, first + i, 2 + j, getattr(o, attr) if o else None, fmt)
    last_col = 1 + len(trend.years)
    charts = 0
    anchor = first + len(keys) + 2
    for start in range(0, len(keys), SERIES_PER_CHART):
        if charts == MAX_CHARTS:
            notes.append(f"Lembar {name}: grafik dibuat untuk {MAX_CHARTS * SERIES_PER_CHART} perangkat daerah "
                         f"pertama dari {len(keys)}; angka semuanya ada di tabel.")
            break
        chart = w.wb.add_chart({"type": "line"})
        for i in range(start, min(start + SERIES_PER_CHART, len(keys))):
            chart.add_series({"name": [name, first + i, 1], "categories": [name, 3, 2, 3, last_col],
                              "values": [name, first + i, 2, first + i, last_col], "marker": {"type": "circle"}})
        chart.set_title({"name": f"{title}, perangkat daerah {start + 1}–{min(start + SERIES_PER_CHART, len(keys))}"})
        chart.set_x_axis({"name": "Tahun"})
        chart.set_y_axis({"name": title})
        chart.set_legend({"position": "right"})
        ws.insert_chart(anchor + charts * 22, 1, chart, {"x_scale": 1.8, "y_scale": 1.4})
        charts += 1


def _notes_sheet(w: Writer, archive: Path, trend: Trend, notes: list[str]) -> None:
    ws = w.add_sheet(KETERANGAN)
    ws.set_column(0, 0, 110)
    lines = [
        ("title", "Keterangan Buku Kerja Tren"),
        ("plain", f"Arsip: {archive.name}. Tahun: {trend.years[0]}–{trend.years[-1]}. "
                  f"Perangkat daerah: {len(trend.offices)}."),
        ("plain", "Setiap angka adalah nilai yang dihitung mesin sakip-xl saat buku kerja tahun itu digabung "
                  "(sakip-xl merge --arsip), disimpan di arsip dan diambil apa adanya, tidak diketik ulang."),
        ("plain", "Perangkat daerah dikenali antartahun dari nama Pemerintah Daerah dan nama perangkat daerahnya "
                  "(tanpa membedakan huruf besar-kecil dan spasi ganda)."),
        ("plain", "Perubahan = nilai tahun ini dikurangi nilai tahun sebelumnya, hanya bila kedua tahun ada dan "
                  "berupa angka; capaian dan penyerapan dalam poin persen."),
        ("plain", f"Tanda '{FELL}': rata-rata capaian atau penyerapan tahun ini lebih rendah dari tahun lalu, dan "
                  "tahun lalu lebih rendah dari dua tahun lalu."),
        *(("galat", n) for n in notes),
    ]
    for r, (style, text) in enumerate(lines):
        ws.write_string(r, 0, text, w.fmt("text") if style == "plain" else w.fmt(style))
    print_setup(ws, None, [110])
