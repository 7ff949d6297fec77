"""`sakip-xl merge`: the rekap of many offices' workbooks, whatever state they are in.

Every file is read, checked and recomputed by the engine (stated derived
values are never trusted); one bad file never stops the merge. The result is
identical for any number of worker processes and any input order.

The merging process stays small whatever the number of files: each worker hands
back its file's rows (indicators, budget rows, issues) encoded, and they are
spilled to a temporary file as they arrive; the merge keeps a small summary per
file, chooses on those, and the rekap streams the rows back in the final order.

A re-merge skips the files it has read before: the cache beside the rekap
(`cache_path`) maps the SHA-256 of each readable file to its encoded result, for
one sakip-xl version and one template version. It is JSON (never pickle: it may
come from anyone who can write to the folder), verified when used, and written
whole or not at all; a cache that cannot be read or written is ignored with a note.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import tempfile
import weakref
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Self
from urllib.request import pathname2url

from ..sheets.chapter3 import REKAP, build_chapter3
from ..model.codes import code_index, code_key
from ..errors import ContractError, SakipError, UnreadableFile, UsageError
from ..files import atomic_write, find_inputs
from ..model.contract import load_contract
from ..rules.formula import Cell, XLError
from ..collector import collector_paused
from ..isolate import Failure, Limits, run_isolated
from ..checks.report import GALAT, PERINGATAN, Issue
from ..checks.trust import reason
from ..model.workbook import Workbook, check_workbook

LENGKAP, ADA_GALAT, BELUM_DIISI, GAGAL = "lengkap", "ada galat", "belum diisi", "gagal dibaca"


@dataclass
class Office:
    """The figures of one office's workbook, computed by the engine."""

    pemda: str
    perangkat_daerah: str
    kode: str
    tahun: int | None
    indicators: int
    with_capaian: int
    excluded: int  # IKU indicators left out of the average: their capaian rests on a galat
    average: float | None
    cap: str
    kategori: str
    pagu: float | None
    realisasi: float | None
    penyerapan: float | None
    efisiensi: float | str | None
    metode: str


@dataclass
class Entry:
    """One input file: what it is, whether it could be read, and what it holds."""

    path: str
    size: int
    sha256: str
    modified: float  # file time, seconds since the epoch
    saved_at: datetime | None = None  # the workbook's own saved time
    template_version: str | None = None
    status: str = GAGAL
    reason: str | None = None
    office: Office | None = None
    # Lists as read_entry makes them; in a merge's result, Rows read back from its store.
    indicators: Sequence[tuple] = field(default_factory=list)  # see INDICATOR_COLUMNS
    budget: Sequence[tuple] = field(default_factory=list)  # see BUDGET_COLUMNS
    issues: Sequence[Issue] = field(default_factory=list)
    used: bool = True
    note: str | None = None  # why an entry is left out
    detail: str = ""  # the traceback of an unexpected failure (shown with --debug)
    office_from_file_name: bool = False  # the workbook names no office: it is named after the file

    @property
    def merged(self) -> bool:
        """Read, and chosen for the rekap."""
        return self.used and self.office is not None

    @property
    def left_out(self) -> bool:
        """Read, but of another year or an older duplicate."""
        return self.office is not None and not self.used

    @property
    def galat(self) -> int:
        return _count(self.issues, GALAT)

    @property
    def peringatan(self) -> int:
        return _count(self.issues, PERINGATAN)

    @property
    def key(self) -> tuple:
        o = self.office
        if o is None:
            return ("~", self.path)
        return (" ".join(o.pemda.split()).casefold(), " ".join(o.perangkat_daerah.split()).casefold(), o.tahun)


INDICATOR_COLUMNS = ("kode", "jenis", "tujuan_sasaran", "indikator", "satuan", "iku", "target", "realisasi",
                     "capaian", "kategori", "catatan_galat")
BUDGET_COLUMNS = ("kode", "jenis", "uraian", "pagu_awal", "pagu", "realisasi", "penyerapan", "keterangan")


# ---------------------------------------------------------------- one file


@collector_paused
def read_entry(path: str | Path) -> Entry:
    """Read, check and compute one workbook; never raises for the file's problems."""
    path = Path(path)
    try:
        data = path.read_bytes()
        stat = path.stat()
    except OSError as e:
        return Entry(str(path), 0, "", 0.0, reason=f"{path.name}: berkas tidak dapat dibuka ({e.strerror}).")
    entry = Entry(str(path), len(data), hashlib.sha256(data).hexdigest(), stat.st_mtime)
    try:
        checked = check_workbook(path, light=True)
    except (UnreadableFile, ContractError) as e:
        entry.reason = str(e)
        entry.issues = list(getattr(e, "issues", []))
        return entry
    data_ = checked.data
    entry.saved_at = data_.source.saved_at
    entry.template_version = data_.identity["versi_templat"].text
    entry.issues = checked.report.sorted_issues()
    if any(i.code == "belum-diisi" for i in entry.issues):
        entry.status = BELUM_DIISI
    else:
        entry.status = ADA_GALAT if checked.report.has_errors else LENGKAP
    _summarize(entry, checked)
    return entry


def _shown(book, cell: Cell):
    return book.filled(cell.sheet, cell.row, cell.col)


def _summarize(entry: Entry, checked: Workbook) -> None:
    """The office's figures, read from the cells the engine computed for chapter III."""
    data, book = checked.data, checked.book
    chapter3 = build_chapter3(data, book, checked.tree, checked.report.issues, full=False)
    summary, flagged = chapter3.summary, chapter3.flagged
    by_code = code_index(data, "realisasi")
    indicators: list[tuple] = []
    for ind in data.rows["iku"]:
        k = code_key(ind.get("kode"))
        if k is None:
            continue
        real = by_code.get(k)
        row = None if real is None else checked.row("realisasi", real)

        def rv(key: str) -> object:
            return None if row is None else row.value(key)

        indicators.append((ind.text("kode"), ind.text("jenis"), ind.text("pernyataan"), ind.text("indikator"),
                           ind.text("satuan"), ind.text("iku") or "Ya", rv("target_berlaku"),
                           rv("realisasi_berlaku"), rv("capaian"), rv("kategori"),
                           reason(flagged[k]) if k in flagged else None))
    budget: list[tuple] = []
    rows = [r for r in data.rows["anggaran"] if not r.is_total]
    at = [chapter3.budget_rows.get(r.row) for r in rows]  # each row's Rekap Anggaran row, if any
    placed = [n for n in at if n is not None]
    rekap = [dict(zip(placed, book.values_at(REKAP, c, placed))) for c in (3, 4, 5, 6, 8)]
    for r, rekap_row in zip(rows, at):
        if rekap_row is None:  # a rekening, or a row outside the hierarchy: its own amounts
            amounts = [_written(r, "pagu_awal"), _written(r, "pagu"), _written(r, "realisasi_anggaran"),
                       checked.row("anggaran", r).value("penyerapan"), None]
        else:  # as Rekap Anggaran rolls it up: a blank parent takes its sub-rows' sum, never 0
            amounts = [None if (v := column[rekap_row]) == "" else v for column in rekap]
        budget.append((r.text("kode"), r.text("jenis"), r.text("uraian"), *amounts))
    entry.indicators, entry.budget = indicators, budget
    named = data.field("perangkat_daerah")
    entry.office_from_file_name = not named
    entry.office = Office(
        pemda=str(data.field("pemda") or ""),
        perangkat_daerah=str(named or Path(entry.path).stem),
        kode=str(data.field("kode_pd") or ""),
        tahun=data.tahun,
        indicators=int(_shown(book, summary.iku_count) or 0),
        with_capaian=int(_shown(book, summary.iku_with_capaian) or 0),
        excluded=summary.iku_excluded,
        average=_shown(book, summary.iku_average),
        cap=str(_shown(book, summary.cap) or ""),
        kategori=str(_shown(book, summary.iku_kategori) or ""),
        pagu=_shown(book, summary.total_pagu),
        realisasi=_shown(book, summary.total_realisasi),
        penyerapan=_shown(book, summary.total_penyerapan),
        efisiensi=_shown(book, summary.efisiensi),
        metode=str(_shown(book, summary.metode) or ""),
    )


def _written(row, key: str) -> object:
    """A budget amount as written back: a number, or nothing (an unreadable text stays out)."""
    cell = row.get(key)
    v = None if cell is None else cell.written
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


# ---------------------------------------------------------------- rows kept on disk

#: What an entry's rows are: its indicator rows, budget rows and issues.
INDICATORS, BUDGET, ISSUES = "indicators", "budget", "issues"
_WIDTH = {INDICATORS: len(INDICATOR_COLUMNS), BUDGET: len(BUDGET_COLUMNS), ISSUES: 7}
_JSON, _PICKLE = b"J", b"P"  # the first byte of an encoded block of rows


class Unencodable(TypeError):
    """A value JSON cannot hold (the rows are then pickled, and the file not cached)."""


def _tag(v: object) -> object:
    """JSON for the values of cells that are neither text, number, truth value nor empty:
    an object of one `$` key (no field of a summary has one)."""
    if isinstance(v, XLError):
        return {"$e": v.code}
    if isinstance(v, datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, date):
        return {"$d": v.isoformat()}
    if isinstance(v, time):
        return {"$t": v.isoformat()}
    raise Unencodable(type(v).__name__)


_UNTAG: dict[str, Callable[[str], object]] = {"$e": XLError, "$dt": datetime.fromisoformat,
                                              "$d": date.fromisoformat, "$t": time.fromisoformat}


def _untag(d: dict) -> object:
    if len(d) == 1:
        (k, v), = d.items()
        if k in _UNTAG and isinstance(v, str):
            return _UNTAG[k](v)
    return d


def _dumps(obj: object) -> str:
    return json.dumps(obj, default=_tag, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str | bytes) -> Any:
    return json.loads(text, object_hook=_untag)


def _encode(kind: str, items: Sequence) -> bytes:
    """One kind of rows as bytes: compressed JSON, or a pickle when a value is not JSON."""
    rows = [(i.code, i.severity, i.sheet, i.cell, i.value, i.expected, i.message) for i in items] \
        if kind == ISSUES else list(items)
    try:
        return _JSON + zlib.compress(_dumps(rows).encode("utf-8"), 1)
    except (Unencodable, ValueError):
        return _PICKLE + zlib.compress(pickle.dumps(list(items), pickle.HIGHEST_PROTOCOL), 1)


def _decode(kind: str, blob: bytes, trusted: bool = True) -> list:
    """The rows of `_encode`; `trusted=False` for bytes from a cache: JSON only, and
    every row checked, so that a damaged or forged cache raises ValueError here and
    never fails the writing of the rekap later."""
    body = zlib.decompress(blob[1:])
    if blob[:1] == _PICKLE and trusted:
        return pickle.loads(body)
    if blob[:1] != _JSON:
        raise ValueError("unknown encoding")
    rows = _loads(body)
    if not trusted:
        scalar = (str, int, float, bool, XLError, datetime, date, time, type(None))
        if not isinstance(rows, list) or not all(
                isinstance(r, list) and len(r) == _WIDTH[kind] and all(isinstance(v, scalar) for v in r)
                for r in rows):
            raise ValueError("malformed rows")
        if kind == ISSUES and not all(isinstance(v, (str, type(None))) for r in rows for v in r):
            raise ValueError("malformed issue")
    if kind == ISSUES:
        return [Issue(*r) for r in rows]
    return [tuple(r) for r in rows]


class _Store:
    """An append-only temporary file holding the encoded rows of a merge's entries
    (removed when closed, or when the merge's result is collected).

    Unbuffered, and closed only by the process that made it: a worker forked while
    an earlier result is alive must never write a copied buffer into it."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="sakip-xl-gabung-", buffering=0)  # noqa: SIM115 - kept open
        self._end = 0
        self._closer = weakref.finalize(self, _close_in, os.getpid(), self._file)

    def put(self, blob: bytes) -> tuple[int, int]:
        self._file.seek(self._end)
        view = memoryview(blob)
        while view:
            view = view[self._file.write(view):]
        ref = (self._end, len(blob))
        self._end += len(blob)
        return ref

    def get(self, ref: tuple[int, int]) -> bytes:
        """The blob at `ref`; read without moving the file's position where the system
        allows (a forked process writing part of the rekap reads the store too)."""
        at, left = ref
        parts = []
        while left:
            if hasattr(os, "pread"):
                part = os.pread(self._file.fileno(), left, at)
            else:
                self._file.seek(at)
                part = self._file.read(left)
            if not part:
                raise ValueError("the store ended early")
            parts.append(part)
            left -= len(part)
            at += len(part)
        return b"".join(parts)

    def close(self) -> None:
        self._closer()


def _close_in(pid: int, file: Any) -> None:
    if os.getpid() == pid:
        file.close()


class Rows(Sequence):
    """One kind of rows of one entry, encoded: held as bytes while a worker hands them
    over, then in the merge's store and decoded each time they are iterated, so the
    merging process never holds the rows of all files at once."""

    def __init__(self, kind: str, blob: bytes | None, n: int, severities: dict[str, int] | None = None) -> None:
        self.kind, self._blob, self._n = kind, blob, n
        self.severities = severities or {}  # issues: how many of each severity
        self._store: _Store | None = None
        self._ref: tuple[int, int] | None = None

    @classmethod
    def of(cls, kind: str, items: Sequence) -> Rows:
        severities = dict(Counter(i.severity for i in items)) if kind == ISSUES else None
        return cls(kind, _encode(kind, items) if items else None, len(items), severities)

    def spill(self, store: _Store) -> None:
        if self._blob is not None:
            self._ref, self._store, self._blob = store.put(self._blob), store, None

    def encoded(self) -> bytes | None:
        if self._store is not None and self._ref is not None:
            return self._store.get(self._ref)
        return self._blob

    def __getstate__(self) -> dict:
        """A pickled copy carries its rows' bytes, not the store they are in."""
        return {**self.__dict__, "_blob": self.encoded(), "_store": None, "_ref": None}

    @property
    def cacheable(self) -> bool:
        blob = self.encoded()
        return blob is None or blob[:1] == _JSON

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator:
        blob = self.encoded()
        return iter(_decode(self.kind, blob) if blob else ())

    def __getitem__(self, i):
        return list(self)[i]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Rows({self.kind}, {self._n})"


def _count(issues: Sequence[Issue], severity: str) -> int:
    if isinstance(issues, Rows):
        return issues.severities.get(severity, 0)
    return sum(1 for i in issues if i.severity == severity)


def _read_packed(path: Path) -> Entry:
    """read_entry in a worker, its rows encoded for the trip to the merging process."""
    entry = read_entry(path)
    entry.indicators = Rows.of(INDICATORS, entry.indicators)
    entry.budget = Rows.of(BUDGET, entry.budget)
    entry.issues = Rows.of(ISSUES, entry.issues)
    return entry


def _spill(entry: Entry, store: _Store) -> Entry:
    for kind in (INDICATORS, BUDGET, ISSUES):
        rows = getattr(entry, kind)
        if not isinstance(rows, Rows):
            rows = Rows.of(kind, rows)
            setattr(entry, kind, rows)
        rows.spill(store)
    return entry


# ---------------------------------------------------------------- the cache

#: The layout of a cache file; bump when what it holds changes.
CACHE_FORMAT = "1"


def cache_path(output: str | Path) -> Path:
    """The cache of the rekap `output`: `.<name>.sakip-cache` beside it (`rekap.xlsx`:
    `.rekap.xlsx.sakip-cache`), a hidden file no search for workbooks picks up."""
    output = Path(output)
    return output.with_name(f".{output.name}.sakip-cache")


def _versions() -> dict[str, str]:
    """What a cached result is valid for: the cache layout, this sakip-xl and its template."""
    from .. import __version__

    return {"format": CACHE_FORMAT, "sakip_xl": __version__, "templat": load_contract().template_version}


def _cacheable(e: Entry) -> bool:
    """A file read to the end (one that failed may have failed on a limit or by chance)."""
    return (e.status != GAGAL and e.office is not None and bool(e.sha256)
            and all(isinstance(getattr(e, k), Rows) and getattr(e, k).cacheable for k in (INDICATORS, BUDGET, ISSUES)))


class _Cache:
    """The cache of a previous merge, opened read-only; `get` gives the entry of a file
    whose content it holds, or None."""

    def __init__(self, path: Path, notes: list[str]) -> None:
        self.path, self.notes, self.conn = path, notes, None
        self.damaged = False
        if not path.exists():
            return  # the first merge: nothing to say
        try:
            conn = sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro&immutable=1", uri=True)
        except (sqlite3.Error, OSError, ValueError):
            self._ignore("tidak dapat dibuka")
            return
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        except (sqlite3.Error, ValueError):
            conn.close()
            self._ignore("rusak")
            return
        if meta != _versions():
            conn.close()
            notes.append(f"cache {path.name} dibuat oleh versi sakip-xl atau templat lain; diabaikan, "
                         "semua berkas dibaca ulang.")
            return
        self.conn = conn

    def _ignore(self, what: str) -> None:
        self.notes.append(f"cache {self.path.name} {what}; diabaikan, semua berkas dibaca ulang.")

    def get(self, path: Path) -> Entry | None:
        if self.conn is None:
            return None
        try:
            with open(path, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            stat = path.stat()
        except OSError:
            return None  # the worker says why
        try:
            row = self.conn.execute("SELECT summary, indicators, budget, issues FROM entries WHERE sha256 = ?",
                                    (digest,)).fetchone()
        except sqlite3.Error:
            self.close()
            self._ignore("rusak")
            return None
        if row is None:
            return None
        try:
            return _cached_entry(path, stat.st_size, digest, stat.st_mtime, row)
        except Exception:  # noqa: BLE001 - a damaged row of a cache is a file to read again
            if not self.damaged:
                self.damaged = True
                self.notes.append(f"sebagian isi cache {self.path.name} rusak; berkas itu dibaca ulang.")
            return None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _cached_entry(path: Path, size: int, digest: str, modified: float, row: tuple) -> Entry:
    """The entry of `path` from a cache row (checked: a damaged row raises)."""
    summary = _loads(row[0])
    office = dict(summary["office"])
    if summary["office_from_file_name"]:
        office["perangkat_daerah"] = path.stem
    saved_at = summary["saved_at"]
    if not (saved_at is None or isinstance(saved_at, datetime)) or summary["status"] not in (LENGKAP, ADA_GALAT,
                                                                                          BELUM_DIISI):
        raise ValueError("malformed summary")
    rows = {}
    for kind, blob in zip((INDICATORS, BUDGET, ISSUES), row[1:]):
        if blob is None:
            rows[kind] = Rows(kind, None, 0, {})
            continue
        blob = bytes(blob)
        items = _decode(kind, blob, trusted=False)
        severities = dict(Counter(i.severity for i in items)) if kind == ISSUES else None
        rows[kind] = Rows(kind, blob if items else None, len(items), severities)
    return Entry(str(path), size, digest, modified, saved_at=saved_at, template_version=summary["template_version"],
                 status=summary["status"], office=Office(**office),
                 office_from_file_name=summary["office_from_file_name"],
                 indicators=rows[INDICATORS], budget=rows[BUDGET], issues=rows[ISSUES])


def _summary(e: Entry) -> str:
    assert e.office is not None
    office = asdict(e.office)
    if e.office_from_file_name:
        office["perangkat_daerah"] = None  # named after whichever file holds this content
    return _dumps({"saved_at": e.saved_at, "template_version": e.template_version, "status": e.status,
                   "office": office, "office_from_file_name": e.office_from_file_name})


def _write_cache(path: Path, entries: list[Entry], notes: list[str]) -> None:
    """Every file read to the end, by its SHA-256: written whole or not at all."""

    def write(tmp: Path) -> None:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute("CREATE TABLE entries (sha256 TEXT PRIMARY KEY, summary TEXT NOT NULL, "
                         "indicators BLOB, budget BLOB, issues BLOB)")
            conn.executemany("INSERT INTO meta VALUES (?, ?)", _versions().items())
            conn.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
                             ((e.sha256, _summary(e), *(getattr(e, k).encoded() for k in (INDICATORS, BUDGET, ISSUES)))
                              for e in entries if _cacheable(e)))
            conn.commit()
        finally:
            conn.close()

    try:
        atomic_write(path, write)
    except (SakipError, sqlite3.Error, OSError) as e:
        why = str(e) if isinstance(e, SakipError) else f"{path.name}: {getattr(e, 'strerror', None) or e}."
        notes.append(f"cache tidak ditulis, penggabungan berikutnya membaca ulang semua berkas. {why}")



# ---------------------------------------------------------------- many files


@dataclass
class MergeResult:
    entries: list[Entry]  # every input file, sorted
    tahun: int | None  # the year merged
    cache: Path | None = None  # the cache used and written, if any
    from_cache: int = 0  # files unchanged since the cached merge, not read again
    notes: list[str] = field(default_factory=list)  # one line each: what the user should know (Bahasa)
    store: _Store | None = field(default=None, repr=False, compare=False)  # where the entries' rows are kept

    @property
    def used(self) -> list[Entry]:
        return [e for e in self.entries if e.merged]

    def counts(self) -> dict[str, int]:
        """Files found; merged ones by status; unreadable ones; readable ones left out."""
        merged = Counter(e.status for e in self.used)
        return {
            "berkas": len(self.entries),
            "dipakai": len(self.used),
            LENGKAP: merged[LENGKAP],
            ADA_GALAT: merged[ADA_GALAT],
            BELUM_DIISI: merged[BELUM_DIISI],
            GAGAL: sum(1 for e in self.entries if e.status == GAGAL),
            "tidak dipakai": sum(1 for e in self.entries if e.left_out),
        }

    def close(self) -> None:
        """Remove the temporary file of the rows (done anyway when the result is collected);
        the entries' rows cannot be read after."""
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def merge(inputs: Iterable[str | Path], tahun: int | None = None, jobs: int | None = None,
          progress: Callable[[int, int, str], None] | None = None, limits: Limits = Limits(),
          cache: Path | None = None) -> MergeResult:
    """Read every workbook, each in a worker process under `limits` (`jobs` of them
    at once), and pick one per office and year. A file whose reading fails in any
    way is listed as `gagal dibaca` with the reason; the others are merged.

    Each file's rows go to a temporary file as the file is read; the result reads
    them back (close it, or let it go, to remove that file). With `cache` (see
    `cache_path`), a file whose SHA-256 the cache holds is not read again, and the
    cache is replaced by one of this merge's readable files (when any is merged)."""
    paths = find_inputs(inputs)
    if not paths:
        raise UsageError("Tidak ada buku kerja (.xlsx, .xlsm, .xls, .ods) yang ditemukan.")
    jobs = max(1, jobs or os.cpu_count() or 1)
    store = _Store()
    notes: list[str] = []
    entries: list[Entry] = []
    try:
        todo = paths
        if cache is not None:
            cache = Path(cache)
            old = _Cache(cache, notes)
            todo = []
            try:
                for path in paths:
                    hit = old.get(path)
                    if hit is None:
                        todo.append(path)
                        continue
                    entries.append(_spill(hit, store))
                    if progress:
                        progress(len(entries), len(paths), str(path))
            finally:
                old.close()
        from_cache = len(entries)
        for i, outcome in run_isolated(_read_packed, todo, jobs, limits):
            entry = failed_entry(todo[i], outcome) if isinstance(outcome, Failure) else outcome
            entries.append(_spill(entry, store))
            if progress:
                progress(len(entries), len(paths), str(todo[i]))
        result = choose(entries, tahun)
        result.cache, result.from_cache, result.notes, result.store = cache, from_cache, notes, store
        if cache is not None and result.used:
            _write_cache(cache, result.entries, notes)
        return result
    except BaseException:
        store.close()
        raise


def failed_entry(path: Path, failure: Failure) -> Entry:
    """The entry of a file whose reading did not finish, with what can be said of it."""
    try:
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        stat = path.stat()
        size, modified = stat.st_size, stat.st_mtime
    except OSError:
        digest, size, modified = "", 0, 0.0
    return Entry(str(path), size, digest, modified, reason=f"{path.name}: {failure.reason}.", detail=failure.detail)


def choose(entries: list[Entry], tahun: int | None) -> MergeResult:
    """Leave out other years and older duplicates, saying why; sort deterministically."""
    offices = [(e, e.office) for e in entries if e.office is not None]
    readable = [e for e, _o in offices]
    if tahun is None:
        years = Counter(o.tahun for _e, o in offices if o.tahun is not None)
        tahun = max(years, key=lambda y: (years[y], y)) if years else None  # a tie: the later year
    for e, o in offices:
        if tahun is not None and o.tahun != tahun:
            e.used = False
            e.note = f"tahun {o.tahun}, bukan {tahun}: tidak digabung"
    groups: dict[tuple, list[Entry]] = {}
    for e in readable:
        if e.used:
            groups.setdefault(e.key, []).append(e)
    for same in groups.values():
        if len(same) < 2:
            continue
        same.sort(key=_newness, reverse=True)
        keep = same[0]
        keep.note = f"dipakai: versi terbaru dari {len(same)} berkas untuk perangkat daerah dan tahun yang sama"
        for other in same[1:]:
            other.used = False
            other.note = f"tidak dipakai: ada versi yang lebih baru ({Path(keep.path).name})"
    entries = sorted(entries, key=lambda e: (e.key, e.path))
    return MergeResult(entries, tahun)


def _newness(e: Entry) -> tuple:
    """The workbook's own saved time, then the file time (for equal or missing saved
    times), then the path: the largest is the newest."""
    saved = e.saved_at.timestamp() if e.saved_at else float("-inf")
    return (saved, e.modified, e.path)
