"""Writing a merge into an archive, and reading an archive back as merge entries.

A merge is written into a copy of the archive: the rows of that year and scope for
the offices (and files) merged are deleted, the new ones inserted, and the copy then
renamed over the archive. A process killed before the rename leaves the archive as
it was (tests/test_archive.py kills a writer with SIGKILL to verify it).
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UnreadableFile, UsageError, WriteError
from .schema import KABUPATEN, MIGRATIONS, PROVINSI, SCHEMA_VERSION, TABLES

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from ..commands.merge import Entry, MergeResult

CHUNK = 50_000  # rows inserted at once: the merging process never holds a whole table
MEMORY_LIMIT = "1GB"  # DuckDB's own memory in any archive operation (its default is 80% of the RAM)


def office_key(pemda: str, perangkat_daerah: str) -> str:
    """An office's identity across years: its Pemda and its name, as the merge compares
    them (spaces collapsed, case ignored)."""
    return " ".join(pemda.split()).casefold() + "|" + " ".join(perangkat_daerah.split()).casefold()


def _duckdb() -> Any:
    import duckdb

    return duckdb


def _errors() -> tuple[type[BaseException], ...]:
    duckdb = _duckdb()
    return (duckdb.Error, OSError)


def connect(path: str | Path, write: bool = False) -> duckdb.DuckDBPyConnection:
    """An archive opened for reading (it must exist) or for writing (made when missing),
    its schema checked: an archive of a newer schema is refused, an older one migrated
    when opened for writing. Every failure is an UnreadableFile or WriteError naming it."""
    path = Path(path)
    duckdb = _duckdb()
    if not write and not path.is_file():
        raise UnreadableFile(f"{path.name}: arsip tidak ditemukan.")
    if path.suffix.lower() != ".duckdb":
        raise UsageError(f"{path.name}: arsip harus berakhiran .duckdb.")
    try:
        conn = duckdb.connect(str(path), read_only=not write)
    except duckdb.Error as e:
        if "lock" in str(e).casefold():
            raise UnreadableFile(f"{path.name}: arsip sedang dipakai proses lain (mis. merge yang belum selesai); "
                                 "tunggu sampai selesai lalu ulangi.") from e
        raise UnreadableFile(f"{path.name}: arsip rusak atau bukan arsip DuckDB ({_first_line(e)}).") from e
    except OSError as e:
        raise UnreadableFile(f"{path.name}: arsip tidak dapat dibuka ({e.strerror}).") from e
    try:
        conn.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")  # beyond it DuckDB spills to disk
        version = schema_version(conn)
        if version is None and write:
            _migrate(conn, 0)
        elif version is None:
            raise UnreadableFile(f"{path.name}: bukan arsip sakip-xl (tidak ada tabel skema).")
        elif version > SCHEMA_VERSION:
            raise UnreadableFile(f"{path.name}: arsip berskema versi {version}, dibuat oleh sakip-xl yang lebih "
                                 f"baru (versi ini mengenal sampai {SCHEMA_VERSION}). Perbarui sakip-xl.")
        elif version < SCHEMA_VERSION:
            if not write:
                raise UnreadableFile(f"{path.name}: arsip berskema lama (versi {version}); gabungkan sekali "
                                     "dengan --arsip untuk memperbaruinya.")
            _migrate(conn, version)
    except BaseException:
        conn.close()
        raise
    return conn


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def schema_version(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The archive's schema version, None for an empty database."""
    duckdb = _duckdb()
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if "skema" not in tables:
            if tables:
                raise UnreadableFile("database ini bukan arsip sakip-xl (tidak ada tabel skema).")
            return None
        row = conn.execute("SELECT max(versi) FROM skema").fetchall()[0]
    except duckdb.Error as e:
        raise UnreadableFile(f"arsip rusak ({_first_line(e)}).") from e
    return int(row[0]) if row and row[0] is not None else 0


def _migrate(conn: duckdb.DuckDBPyConnection, version: int) -> None:
    """Apply the migrations after `version`, all in one transaction."""
    conn.execute("BEGIN TRANSACTION")
    try:
        for m in MIGRATIONS:
            if m.versi <= version:
                continue
            for sql in m.sql:
                conn.execute(sql)
            conn.execute("INSERT INTO skema VALUES (?, ?, ?)", [m.versi, datetime.now(), m.keterangan])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# ---------------------------------------------------------------- writing a merge


@dataclass
class Written:
    """What one merge put into an archive."""

    path: Path
    tahun: int
    lingkup: str
    offices: int
    indicators: int
    budget_rows: int
    issues: int
    files: int


def _num(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _text(v: object) -> str | None:
    """Text of a value that is not a number: an error value by its code, a date in ISO form."""
    if v is None or v == "":
        return None
    code = getattr(v, "code", None)
    if isinstance(code, str):
        return code
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


def _split(v: object) -> tuple[float | None, str | None]:
    """A cell that may hold a number or a text: (number, None) or (None, text)."""
    n = _num(v)
    return (n, None) if n is not None else (None, _text(v))


def _naive(v: object) -> object:
    """A time with a zone as UTC without one (TIMESTAMP columns hold UTC for those)."""
    if isinstance(v, datetime) and v.tzinfo is not None:
        return v.astimezone(timezone.utc).replace(tzinfo=None)
    return v


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]


def _frame(columns: list[tuple[str, str]], rows: list[tuple]) -> pd.DataFrame:
    """A chunk of rows as a DataFrame of the table's types (NaN of a float column is NULL)."""
    import pandas as pd

    data: dict[str, pd.Series] = {}
    for i, (name, kind) in enumerate(columns):
        values = [r[i] for r in rows]
        if kind == "DOUBLE":
            data[name] = pd.Series(values, dtype="float64")
        elif kind in ("INTEGER", "BIGINT"):
            data[name] = pd.Series(values, dtype="Int64")
        elif kind == "BOOLEAN":
            data[name] = pd.Series(values, dtype="boolean")
        elif kind.startswith("TIMESTAMP"):
            data[name] = pd.Series(pd.to_datetime([_naive(v) for v in values]),  # type: ignore[arg-type]
                                   dtype="datetime64[us]")
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


def _insert(conn: duckdb.DuckDBPyConnection, table: str, rows: Iterable[tuple]) -> int:
    """Insert rows in chunks of CHUNK; the count."""
    columns = _columns(conn, table)
    n, chunk = 0, list[tuple]()

    def flush() -> None:
        frame = _frame(columns, chunk)  # noqa: F841 - read by DuckDB's replacement scan below
        conn.register("_chunk", frame)
        try:
            conn.execute(f"INSERT INTO {table} SELECT * FROM _chunk")
        finally:
            conn.unregister("_chunk")
        chunk.clear()

    for row in rows:
        chunk.append(row)
        n += 1
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return n


def _office_rows(result: MergeResult, tahun: int, lingkup: str, now: datetime) -> Iterator[tuple]:
    for e in result.used:
        o = e.office
        assert o is not None
        eff, eff_text = _split(o.efisiensi)
        yield (tahun, lingkup, office_key(o.pemda, o.perangkat_daerah), o.pemda, o.perangkat_daerah, o.kode,
               o.indicators, o.with_capaian, o.excluded, _num(o.average), o.cap, o.kategori, _num(o.pagu),
               _num(o.realisasi), _num(o.penyerapan), eff, eff_text, o.metode, e.galat, e.peringatan, e.status,
               e.path, e.sha256, e.template_version, now)


def _indicator_rows(result: MergeResult, tahun: int, lingkup: str) -> Iterator[tuple]:
    for e in result.used:
        assert e.office is not None
        key = office_key(e.office.pemda, e.office.perangkat_daerah)
        for i, (kode, jenis, ts, ind, satuan, iku, target, real, capaian, kategori, catatan) in enumerate(
                e.indicators):
            yield (tahun, lingkup, key, i + 1, _text(kode), _text(jenis), _text(ts), _text(ind), _text(satuan),
                   _text(iku), *_split(target), *_split(real), *_split(capaian), _text(kategori), _text(catatan))


def _budget_rows(result: MergeResult, tahun: int, lingkup: str) -> Iterator[tuple]:
    for e in result.used:
        assert e.office is not None
        key = office_key(e.office.pemda, e.office.perangkat_daerah)
        for i, (kode, jenis, uraian, pagu_awal, pagu, real, penyerapan, ket) in enumerate(e.budget):
            yield (tahun, lingkup, key, i + 1, _text(kode), _text(jenis), _text(uraian), _num(pagu_awal), _num(pagu),
                   _num(real), _num(penyerapan), _text(ket))


def _entry_key(e: Entry) -> str | None:
    return office_key(e.office.pemda, e.office.perangkat_daerah) if e.merged and e.office else None


def _issue_rows(result: MergeResult, tahun: int, lingkup: str) -> Iterator[tuple]:
    for e in result.entries:
        key = _entry_key(e)
        for i, issue in enumerate(e.issues):
            yield (tahun, lingkup, e.path, i + 1, key, issue.severity, issue.code, issue.sheet, issue.cell,
                   _text(issue.value), _text(issue.expected), issue.message)


def _file_rows(result: MergeResult, tahun: int, lingkup: str) -> Iterator[tuple]:
    for e in result.entries:
        yield (tahun, lingkup, e.path, e.size, e.sha256, e.template_version, e.saved_at, e.status, e.merged,
               e.reason or e.note, _entry_key(e))


def write_merge(path: str | Path, result: MergeResult, lingkup: str = KABUPATEN,
                before_commit: Callable[[], None] | None = None) -> Written:
    """Store a merge in the archive at `path` (made when missing): the year's rows of the
    offices and files merged are replaced, other offices and other years kept.

    All or nothing: the merge is written into a copy of the archive beside it, which
    then replaces it by a rename (`files.atomic_write`), so a process killed at any
    point leaves the archive as it was. (One DuckDB transaction would be atomic too,
    but holds all its rows in memory until the commit: 1.2 GB for 3 million budget
    rows.) The archive stays open, and so locked against another writer, until the
    rename. `before_commit` is called just before it (tests kill the process there)."""
    from .. import __version__
    from ..files import atomic_write
    from ..model.contract import load_contract

    path = Path(path)
    if lingkup not in (KABUPATEN, PROVINSI):
        raise UsageError(f"lingkup '{lingkup}' tidak dikenal.")
    tahun = result.tahun
    if tahun is None:
        raise UsageError("tahun penggabungan tidak diketahui (tidak ada berkas yang menyebut tahunnya); "
                         "pakai --tahun untuk menyimpannya di arsip.")
    duckdb = _duckdb()
    now = datetime.now().replace(microsecond=0)
    counts: dict[str, int] = {}
    holder = None
    if path.exists():
        holder = connect(path, write=True)  # checked, migrated, and locked until the rename
        holder.execute("CHECKPOINT")  # everything in the file itself: the copy is the whole archive

    def write(tmp: Path) -> None:
        nonlocal holder
        if holder is None:
            tmp.unlink()
            conn = connect(tmp, write=True)
        else:
            shutil.copyfile(path, tmp)
            conn = duckdb.connect(str(tmp), config={"memory_limit": MEMORY_LIMIT})
        try:
            counts.update(_write_rows(conn, result, tahun, lingkup, now, __version__,
                                      load_contract().template_version))
            conn.execute("CHECKPOINT")
        finally:
            conn.close()
        if before_commit is not None:
            before_commit()
        if holder is not None:
            holder.close()
            holder = None

    try:
        atomic_write(path, write)
    except duckdb.Error as e:
        raise WriteError(f"{path.name}: arsip tidak dapat ditulis ({_first_line(e)}).") from e
    finally:
        if holder is not None:
            holder.close()
    return Written(path, tahun, lingkup, counts["perangkat_daerah"], counts["indikator"], counts["anggaran"],
                   counts["pemeriksaan"], counts["berkas"])


def _write_rows(conn: duckdb.DuckDBPyConnection, result: MergeResult, tahun: int, lingkup: str, now: datetime,
                version: str, template_version: str) -> dict[str, int]:
    """Delete the year's rows of the offices and files merged, insert the new ones
    (in chunks, each committed: atomicity comes from the copy); the counts by table."""
    import pandas as pd

    keys = pd.DataFrame({"kunci": pd.Series(sorted({k for e in result.entries if (k := _entry_key(e))}),
                                            dtype=object)})
    paths = pd.DataFrame({"berkas": pd.Series([e.path for e in result.entries], dtype=object)})
    conn.register("_kunci", keys)
    conn.register("_berkas", paths)
    where = "tahun = ? AND lingkup = ?"
    for table in ("perangkat_daerah", "indikator", "anggaran"):
        conn.execute(f"DELETE FROM {table} WHERE {where} AND kunci IN (SELECT kunci FROM _kunci)", [tahun, lingkup])
    for table in ("pemeriksaan", "berkas"):
        conn.execute(f"DELETE FROM {table} WHERE {where} AND (kunci IN (SELECT kunci FROM _kunci) "
                     "OR berkas IN (SELECT berkas FROM _berkas))", [tahun, lingkup])
    counts = {
        "perangkat_daerah": _insert(conn, "perangkat_daerah", _office_rows(result, tahun, lingkup, now)),
        "indikator": _insert(conn, "indikator", _indicator_rows(result, tahun, lingkup)),
        "anggaran": _insert(conn, "anggaran", _budget_rows(result, tahun, lingkup)),
        "pemeriksaan": _insert(conn, "pemeriksaan", _issue_rows(result, tahun, lingkup)),
        "berkas": _insert(conn, "berkas", _file_rows(result, tahun, lingkup)),
    }
    conn.execute("DELETE FROM penggabungan WHERE " + where, [tahun, lingkup])
    conn.execute("INSERT INTO penggabungan SELECT ?, ?, ?, ?, ?, "
                 "(SELECT count(*) FROM berkas WHERE tahun = ? AND lingkup = ?), "
                 "(SELECT count(*) FROM perangkat_daerah WHERE tahun = ? AND lingkup = ?)",
                 [tahun, lingkup, now, version, template_version, tahun, lingkup, tahun, lingkup])
    conn.unregister("_kunci")
    conn.unregister("_berkas")
    return counts


# ---------------------------------------------------------------- reading an archive back


def _grouped(cursor: Any, width: int) -> Iterator[tuple[tuple, list[tuple]]]:
    """Rows ordered by their first `width` columns, grouped by them."""
    key: tuple | None = None
    group: list[tuple] = []
    while True:
        batch = cursor.fetchmany(CHUNK)
        if not batch:
            break
        for row in batch:
            k = tuple(row[:width])
            if k != key:
                if key is not None:
                    yield key, group
                key, group = k, []
            group.append(tuple(row[width:]))
    if key is not None:
        yield key, group


class _Follower:
    """The next group of rows of an ordered query for a given key (keys asked in order)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, sql: str, params: list, width: int) -> None:
        self._it = _grouped(conn.cursor().execute(sql, params), width)
        self._next: tuple[tuple, list[tuple]] | None = next(self._it, None)

    def take(self, key: tuple) -> list[tuple]:
        while self._next is not None and self._next[0] < key:
            self._next = next(self._it, None)
        if self._next is not None and self._next[0] == key:
            rows = self._next[1]
            self._next = next(self._it, None)
            return rows
        return []


def _value(n: Any, t: Any) -> Any:
    return n if n is not None else t


def read_entries(path: str | Path, tahun: int | None = None) -> Iterator[Entry]:
    """Every office of the archive (of year `tahun`, or of every year) as a merge entry,
    its figures and rows the engine's values stored by the merge that archived them;
    the entry's path is `ARCHIVE#SOURCE-FILE`."""
    from ..checks.report import Issue
    from ..commands.merge import Entry, Office

    path = Path(path)
    duckdb = _duckdb()
    conn = connect(path)
    try:
        cond, params = ("WHERE tahun = ?", [tahun]) if tahun is not None else ("", [])
        order = "ORDER BY tahun, lingkup, kunci"
        offices = conn.execute(
            "SELECT p.tahun, p.lingkup, p.kunci, pemda, perangkat_daerah, kode, indikator_iku, "
            "indikator_dengan_capaian, indikator_dikecualikan_galat, rata_rata_capaian, batas_capaian, p.kategori, "
            "pagu, realisasi_anggaran, penyerapan, efisiensi, efisiensi_teks, metode_efisiensi, p.status, p.berkas, "
            "p.sha256, p.versi_templat, b.ukuran, b.disimpan FROM perangkat_daerah p LEFT JOIN berkas b "
            "ON b.tahun = p.tahun AND b.lingkup = p.lingkup AND b.berkas = p.berkas "
            + cond.replace("tahun", "p.tahun") + " ORDER BY p.tahun, p.lingkup, p.kunci", params)
        indicators = _Follower(conn, "SELECT tahun, lingkup, kunci, kode, jenis, tujuan_sasaran, indikator, satuan, "
                               "iku, target, target_teks, realisasi, realisasi_teks, capaian, capaian_teks, kategori, "
                               f"catatan_galat FROM indikator {cond} {order}, urutan", params, 3)
        budget = _Follower(conn, "SELECT tahun, lingkup, kunci, kode, jenis, uraian, pagu_awal, pagu, realisasi, "
                           f"penyerapan, keterangan FROM anggaran {cond} {order}, urutan", params, 3)
        issues = _Follower(conn, "SELECT tahun, lingkup, kunci, kode, tingkat, lembar, sel, nilai, seharusnya, pesan "
                           f"FROM pemeriksaan {cond} {'AND' if cond else 'WHERE'} kunci IS NOT NULL {order}, urutan",
                           params, 3)
        while True:
            batch = offices.fetchmany(1000)
            if not batch:
                break
            for (year, lingkup, kunci, pemda, name, kode, n_iku, n_cap, n_excl, avg, cap, kategori, pagu, real,
                 penyerapan, eff, eff_text, metode, status, berkas, sha, versi, size, saved) in batch:
                key = (year, lingkup, kunci)
                office = Office(pemda, name, kode, year, n_iku, n_cap, n_excl, avg, cap, kategori, pagu, real,
                                penyerapan, _value(eff, eff_text), metode)
                ind = [(k, j, ts, i, s, iku, _value(t, tt), _value(r, rt), _value(c, ct), kat, cat)
                       for (k, j, ts, i, s, iku, t, tt, r, rt, c, ct, kat, cat) in indicators.take(key)]
                yield Entry(f"{path}#{berkas}", int(size or 0), sha, 0.0, saved_at=saved, template_version=versi,
                            status=status, office=office, indicators=ind, budget=budget.take(key),
                            issues=[Issue(*r) for r in issues.take(key)])
    except duckdb.Error as e:
        raise UnreadableFile(f"{path.name}: arsip rusak ({_first_line(e)}).") from e
    finally:
        conn.close()


def years(path: str | Path) -> list[tuple[int, str, datetime, int]]:
    """The merges an archive holds: year, scope, time, number of offices."""
    conn = connect(path)
    try:
        return [tuple(r) for r in conn.execute(
            "SELECT tahun, lingkup, waktu, jumlah_perangkat_daerah FROM penggabungan ORDER BY tahun, lingkup"
        ).fetchall()]
    finally:
        conn.close()


def table_names() -> tuple[str, ...]:
    return TABLES


def file_size(path: str | Path) -> int:
    """The archive's size on disk, its write-ahead log included."""
    p = Path(path)
    wal = p.with_name(p.name + ".wal")
    return os.path.getsize(p) + (os.path.getsize(wal) if wal.exists() else 0)
