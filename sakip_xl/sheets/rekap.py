"""Writing the rekap workbook of a merge, and its CSV export.

Ringkasan is built in a Book, so its live formulas (penyerapan, totals,
ranking) carry values the engine computed from the same rules. The long
Indikator and Anggaran sheets are streamed: their penyerapan formula is the
same rule each office's engine already evaluated on the same numbers, so that
value is its cached value. Text from the workbooks is always written as text.

The rows of the offices come one office at a time, in the result's order, from
the merge's store (`commands.merge.Rows`): writing never holds them all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Set as AbstractSet

import csv
import itertools
from pathlib import Path

from ..model.book import Book
from .chapter3 import Chart, OutputSheet
from ..files import atomic_write
from ..rules.formula import IF, Cell, Range, RowCell, cat, eq, fn, render
from ..commands.merge import BUDGET_COLUMNS, INDICATOR_COLUMNS, Entry, MergeResult
from ..rules.sakip import average_of, penyerapan_of
from ..xlsx.forked import ForkedRows
from ..xlsx.writer import PEMERIKSAAN, Writer, print_setup, write_output_sheet

RINGKASAN, INDIKATOR, ANGGARAN, BERKAS = "Ringkasan", "Indikator", "Anggaran", "Berkas"
MAX_ROWS = 1_000_000  # a sheet holds 1,048,576 rows; longer tables continue on a next sheet

RINGKASAN_HEADERS = [
    ("No", 5, None), ("Pemerintah Daerah", 20, None), ("Perangkat Daerah", 30, None), ("Kode", 10, None),
    ("Tahun", 7, None), ("Jumlah Indikator IKU", 10, None), ("Indikator dengan Capaian", 10, None),
    ("Dikecualikan karena Galat", 11, None), ("Rata-rata Capaian (%)", 11, "persen"), ("Batas Capaian", 11, None),
    ("Kategori", 14, None),
    ("Pagu (Rp)", 18, "rupiah"), ("Realisasi Anggaran (Rp)", 18, "rupiah"), ("Penyerapan (%)", 11, "persen"),
    ("Efisiensi", 11, "desimal"), ("Metode Efisiensi", 13, None), ("Galat", 7, None), ("Peringatan", 10, None),
    ("Status", 12, None), ("Peringkat", 9, None), ("Berkas", 40, None),
]
CSV_RINGKASAN = ("pemda", "perangkat_daerah", "kode", "tahun", "indikator_iku", "indikator_dengan_capaian",
                 "indikator_dikecualikan_galat", "rata_rata_capaian", "batas_capaian", "kategori", "pagu",
                 "realisasi_anggaran", "penyerapan", "efisiensi", "metode_efisiensi", "galat", "peringatan", "status", "berkas")


def _ringkasan_rows(result: MergeResult) -> list[tuple]:
    rows: list[tuple] = []
    for e in result.entries:
        if e.left_out:
            continue
        o = e.office
        if o is None:
            rows.append(("", Path(e.path).stem, "", None, None, None, None, None, "", "", None, None, None, None,
                         "", e.galat, e.peringatan, e.status, e.path))
            continue
        rows.append((o.pemda, o.perangkat_daerah, o.kode, o.tahun, o.indicators, o.with_capaian, o.excluded,
                     o.average, o.cap, o.kategori, o.pagu, o.realisasi, o.penyerapan, o.efisiensi, o.metode,
                     e.galat, e.peringatan, e.status, e.path))
    return rows


def _ringkasan(book: Book, rows: list[tuple], note: str | None = None) -> OutputSheet:
    spec = OutputSheet(RINGKASAN, [w for _h, w, _f in RINGKASAN_HEADERS],
                       number_formats={c: f for c, (_h, _w, f) in enumerate(RINGKASAN_HEADERS) if f},
                       wrap={2, 14, 20})  # 14: an efficiency may be "tidak dapat diukur"
    s = RINGKASAN
    book.set(s, 0, 0, "Rekap Laporan Kinerja Perangkat Daerah")
    spec.titles.append(0)
    book.set(s, 1, 0, "Dihitung ulang oleh sakip-xl dari setiap buku kerja; angka yang tertulis di berkas tidak "
                      "dipercaya begitu saja. Rata-rata capaian, peringkat dan grafik hanya memakai indikator yang "
                      "capaiannya tidak bersandar pada galat (lihat kolom Dikecualikan karena Galat).")
    if note:  # detail tables left out of the workbook: where their rows are
        book.set(s, 2, 0, note)
    header = 3
    spec.headers.append(header)
    for c, (h, _w, _f) in enumerate(RINGKASAN_HEADERS):
        book.set(s, header, c, h)
    first = spec.first_data_row = header + 1
    if not rows:
        return spec
    last = first + len(rows) - 1
    for i, row in enumerate(rows):
        r = first + i
        book.set(s, r, 0, i + 1)
        # columns 1-12 then 14-18 and 20 hold values; 13 (penyerapan) and 19 (rank) are formulas
        for c, v in zip([*range(1, 13), 14, 15, 16, 17, 18, 20], [*row[:12], *row[13:]]):
            book.set(s, r, c, v)
    book.set_column_formula(s, 13, penyerapan_of(RowCell(s, 11), RowCell(s, 12)), first, last)
    # rank by the trustworthy average capaian: 1 + the number of offices with a higher one
    avg = RowCell(s, 8)
    book.set_column_formula(s, 19, IF(fn("ISNUMBER", avg), fn("COUNTIFS", Range(s, 8, first, last), cat(">", avg))
                                      + 1, ""), first, last)
    total = last + 1
    book.set(s, total, 2, "JUMLAH / RATA-RATA")
    for c in (5, 6, 7, 16, 17):
        book.set_formula(s, total, c, fn("SUM", Range(s, c, first, last)))
    book.set_formula(s, total, 8, average_of([Range(s, 8, first, last)]))
    # Blank is not zero: money is totalled over the offices whose pagu and realisasi are
    # both known (amounts are never negative), so the total penyerapan is a real one.
    pagu, spent = Range(s, 11, first, last), Range(s, 12, first, last)
    known = fn("COUNTIFS", pagu, ">=0", spent, ">=0")
    book.set_formula(s, total, 11, IF(eq(known, 0), "", fn("SUMIFS", pagu, spent, ">=0")))
    book.set_formula(s, total, 12, IF(eq(known, 0), "", fn("SUMIFS", spent, pagu, ">=0")))
    book.set_formula(s, total, 13, penyerapan_of(Cell(s, total, 11), Cell(s, total, 12)))
    book.set_formula(s, total + 1, 2, cat(cat("Jumlah anggaran dari ", known),
                                          f" dari {len(rows)} perangkat daerah: yang pagu atau realisasinya tidak "
                                          "dapat diukur tidak dijumlah."))
    spec.totals.append(total)
    spec.charts.append(Chart("Rata-rata Capaian per Perangkat Daerah (%), tanpa indikator bergalat", (2, first, last),
                             [("Rata-rata Capaian (%)", 8, first, last, "bar")], (total + 3, 1)))
    return spec


def _office_rows(entries: Sequence[Entry], table: str, with_path: bool = False):
    """The rows of `table` (`indicators` or `budget`) of the used entries, each after its office and year."""
    for e in entries:
        office = e.office
        assert office is not None  # `used` entries were read
        for row in getattr(e, table):
            yield (office.perangkat_daerah, office.tahun, *row, *((e.path,) if with_path else ()))


def _issue_rows(result: MergeResult):
    for e in result.entries:
        for i in e.issues:
            yield (e.path, e.office.perangkat_daerah if e.office else "", i.severity, i.code, i.sheet, i.cell,
                   i.value, i.expected, i.message)


def write_rekap(path: str | Path, result: MergeResult, omit: dict[str, str] | None = None) -> Path:
    """The rekap workbook: Ringkasan, Indikator, Anggaran, Pemeriksaan, Berkas. `omit` maps
    a detail sheet (Indikator, Anggaran, Pemeriksaan) whose rows are left out, because
    they do not fit in a sheet, to the note put there and on Ringkasan instead."""
    path = Path(path)
    omit = omit or {}

    def rows(sheet: str, gen):
        return iter(()) if sheet in omit else gen

    def write(tmp: Path) -> None:
        w = Writer(tmp, constant_memory=True)  # a national rekap holds millions of cells
        book = Book()
        spec = _ringkasan(book, _ringkasan_rows(result), " ".join(omit.values()) or None)
        write_output_sheet(w, book, spec, password=None)
        # One row per indicator and per budget row of every office; the office names the
        # source file (Ringkasan and Berkas list it), which would be 600,000 more cells.
        _stream(w, INDIKATOR, ["Perangkat Daerah", "Tahun", "Kode", "Jenis", "Tujuan/Sasaran", "Indikator Kinerja",
                               "Satuan", "IKU", "Target", "Realisasi", "Capaian (%)", "Kategori", "Catatan Galat"],
                [22, 7, 9, 9, 34, 34, 10, 6, 10, 10, 11, 14, 40],
                rows(INDIKATOR, _office_rows(result.used, "indicators")), {10: "persen"}, wrap={0, 4, 5, 6, 12},
                centred={1}, note=omit.get(INDIKATOR))
        pagu_col, real_col = 6, 7
        formula = render(penyerapan_of(RowCell(ANGGARAN, pagu_col), RowCell(ANGGARAN, real_col)), ANGGARAN)
        head, tail = _in_halves(result.used, "budget")
        _stream(w, ANGGARAN, ["Perangkat Daerah", "Tahun", "Kode", "Jenis", "Uraian", "Pagu Awal (Rp)", "Pagu (Rp)",
                              "Realisasi (Rp)", "Penyerapan (%)", "Keterangan"],
                [22, 7, 20, 12, 40, 17, 17, 17, 11, 40],
                rows(ANGGARAN, head), {5: "rupiah", 6: "rupiah", 7: "rupiah", 8: "persen"},
                formula_col=(8, formula), wrap={0, 4, 9}, centred={1}, note=omit.get(ANGGARAN),
                tail=None if ANGGARAN in omit else tail)
        _stream(w, PEMERIKSAAN, ["Berkas", "Perangkat Daerah", "Tingkat", "Kode Masalah", "Lembar", "Sel",
                                 "Nilai Ditemukan", "Nilai Acuan", "Pesan"],
                [30, 22, 11, 24, 14, 7, 20, 20, 80],
                rows(PEMERIKSAAN, _issue_rows(result)), {}, wrap={0, 1, 6, 7, 8}, note=omit.get(PEMERIKSAAN))
        _stream(w, BERKAS, ["Berkas", "Ukuran (bita)", "SHA-256", "Versi Templat", "Disimpan", "Status", "Dipakai",
                            "Keterangan"],
                [40, 12, 66, 10, 26, 12, 8, 70],
                ((e.path, e.size, e.sha256, e.template_version, e.saved_at.isoformat() if e.saved_at else None,
                  e.status, "Ya" if e.merged else "Tidak", e.reason or e.note)
                 for e in result.entries), {}, wrap={0, 7})
        w.close()

    atomic_write(path, write)
    return path


#: A table longer than this is written on two cores where a process can be forked
#: (`xlsx.forked`): below it, starting a process costs more than it saves.
FORK_ROWS = 20_000


def _in_halves(entries: Sequence[Entry], table: str) -> tuple[Iterable, tuple[int, int, Callable[[], Iterable]]]:
    """The entries' rows of `table` split at the office where the rows before come closest
    to half of them: the first part's rows, and what `_stream` takes as its `tail` (how
    many rows the first part has, how many the second, a function giving the second's)."""
    before = list(itertools.accumulate((len(getattr(e, table)) for e in entries), initial=0))
    i = min(range(len(before)), key=lambda k: abs(2 * before[k] - before[-1]))
    return (_office_rows(entries[:i], table),
            (before[i], before[-1] - before[i], lambda: _office_rows(entries[i:], table)))


def _stream(w: Writer, name: str, headers: list[str], widths: list[float], rows, formats: dict[int, str],
            formula_col: tuple[int, str] | None = None, wrap: AbstractSet[int] = frozenset(),
            centred: AbstractSet[int] = frozenset(), note: str | None = None,
            tail: tuple[int, int, Callable[[], Iterable]] | None = None) -> None:
    """A long table of values, header frozen, filtered, continued on `<name> 2` past a sheet's
    rows; cells are aligned to the top of their row, the `wrap` columns wrap their text, each
    row as tall as it needs, and the `centred` ones (the year, between the office and a code)
    are centred. A `note` (the table left out: where its rows are) takes the first row,
    across the columns. `tail` (how many `rows` there are, how many more rows after them, and
    a function giving those) is written meanwhile by a forked process when the table is long
    and fits one sheet."""
    part, ws, r = 0, None, 0
    header_fmt = w.fmt("header_derived")
    fmts = [w.fmt("top_centred" if c in centred else "top", formats.get(c), c in wrap)
            for c in range(len(headers))]

    def new_part():
        nonlocal part
        part += 1
        ws = w.add_sheet(name if part == 1 else f"{name} {part}")
        for c, (h, width) in enumerate(zip(headers, widths)):
            ws.write_string(0, c, h, header_fmt)
            ws.set_column(c, c, width)
        ws.set_row(0, 30)
        ws.freeze_panes(1, 0)
        print_setup(ws, 0, widths, 1)
        return ws

    forgotten = 0
    put = None

    def write(row) -> None:
        nonlocal ws, r, forgotten, put
        if ws is None or r > MAX_ROWS:
            if ws is not None:
                ws.autofilter(0, 0, r - 1, len(headers) - 1)
            ws, r, forgotten = new_part(), 1, 0
            put = w.row_stream(ws, fmts, formula_col, {c: widths[c] for c in wrap})
        assert put is not None and len(row) == len(headers)  # every row as wide as the headers
        put(r, row)
        if r % 1024 == 0:
            forgotten = _forget_written_rows(ws, forgotten)
        r += 1

    n_head, n_tail, more = tail if tail is not None else (0, 0, lambda: ())
    first_of_tail = 1 + n_head

    def write_tail() -> int:  # in the forked process: its own copy of this state
        nonlocal r, forgotten
        r = forgotten = first_of_tail
        for row in more():
            write(row)
        return r

    forked = None
    try:
        for row in rows:
            write(row)
            if r == 2 and n_tail and FORK_ROWS <= n_head + n_tail <= MAX_ROWS:
                for f in fmts:  # every column's style numbered here first, in column order
                    f._get_xf_index()
                forked = ForkedRows.start(ws, first_of_tail, write_tail)
        end = None if forked is None else forked.join()
        forked = None
        if end is None:
            for row in more():
                write(row)
        else:
            r = end
    finally:
        if forked is not None:
            forked.abandon()
    if ws is None:
        ws, r = new_part(), 1
    if note:
        ws.merge_range(1, 0, 1, len(headers) - 1, note, w.fmt("galat", None, True))
        ws.set_row(1, 45)
        return
    ws.autofilter(0, 0, max(r - 1, 1), len(headers) - 1)


def _forget_written_rows(ws, start: int) -> int:
    """Drop the heights XlsxWriter keeps of the rows it has already written to disk
    (in constant_memory mode it writes a row when the next one begins, and never
    reads them again on a sheet without images): ~150 bytes a row, which would
    grow with the number of offices. Returns the first row not yet dropped."""
    done = getattr(ws, "previous_row", 0) if getattr(ws, "constant_memory", False) else 0
    info, sizes = getattr(ws, "row_info", {}), getattr(ws, "row_sizes", {})
    for r in range(start, done):
        info.pop(r, None)
        sizes.pop(r, None)
    return max(start, done)


#: CSV styles: field separator and decimal mark. `standar` is for other programs;
#: `excel-id` opens in columns in Excel set to Indonesian (list separator `;`, decimal `,`).
CSV_STYLES = {"standar": (",", "."), "excel-id": (";", ",")}


def write_csv(folder: str | Path, result: MergeResult, style: str = "standar") -> list[Path]:
    """Ringkasan, Indikator, Anggaran and Pemeriksaan as CSV with stable column names, in
    UTF-8 with a BOM (so Excel reads it as UTF-8) and the separators of a CSV_STYLES style."""
    separator, decimal = CSV_STYLES[style]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "ringkasan.csv": (CSV_RINGKASAN, _ringkasan_rows(result)),
        "indikator.csv": (("perangkat_daerah", "tahun", *INDICATOR_COLUMNS, "berkas"),
                          _office_rows(result.used, "indicators", with_path=True)),
        "anggaran.csv": (("perangkat_daerah", "tahun", *BUDGET_COLUMNS, "berkas"),
                         _office_rows(result.used, "budget", with_path=True)),
        "pemeriksaan.csv": (("berkas", "perangkat_daerah", "tingkat", "kode", "lembar", "sel", "nilai",
                             "seharusnya", "pesan"), _issue_rows(result)),
    }
    written = []
    for name, (columns, rows) in tables.items():
        target = folder / name

        def write(tmp: Path, columns=columns, rows=rows) -> None:
            with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
                out = csv.writer(fh, delimiter=separator)
                out.writerow(columns)
                out.writerows([_csv_value(v, decimal) for v in row] for row in rows)

        atomic_write(target, write)
        written.append(target)
    return written


#: A cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(v: object, decimal: str) -> object:
    """Empty for no value; whole numbers without a trailing .0 and others with the
    `decimal` mark, never a thousands separator; text that a spreadsheet would run
    as a formula behind a `'` (OWASP, CSV injection)."""
    if v is None:
        return ""
    if isinstance(v, float):
        return int(v) if v.is_integer() else repr(v).replace(".", decimal)
    if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS):
        return "'" + v
    return v
