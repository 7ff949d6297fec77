"""`sakip-xl merge`: the rekap of many offices' workbooks, whatever state they are in.

Every file is read, checked and recomputed by the engine (stated derived
values are never trusted); one bad file never stops the merge. The result is
identical for any number of worker processes and any input order.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from ..sheets.chapter3 import REKAP, build_chapter3
from ..checks.tables import code_index, code_key
from ..errors import ContractError, UnreadableFile, UsageError
from ..files import find_inputs
from ..rules.formula import Cell
from ..isolate import Failure, Limits, run_isolated
from ..checks.report import GALAT, PERINGATAN, Issue
from ..checks.trust import reason
from ..model.workbook import check_workbook

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
    indicators: list[tuple] = field(default_factory=list)  # see INDICATOR_COLUMNS
    budget: list[tuple] = field(default_factory=list)  # see BUDGET_COLUMNS
    issues: list[Issue] = field(default_factory=list)
    used: bool = True
    note: str | None = None  # why an entry is left out
    detail: str = ""  # the traceback of an unexpected failure (shown with --debug)

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
        return sum(1 for i in self.issues if i.severity == GALAT)

    @property
    def peringatan(self) -> int:
        return sum(1 for i in self.issues if i.severity == PERINGATAN)

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


def _summarize(entry: Entry, checked) -> None:
    """The office's figures, read from the cells the engine computed for chapter III."""
    data, book = checked.data, checked.book
    chapter3 = build_chapter3(data, book, checked.tree, checked.report.issues, full=False)
    summary, flagged = chapter3.summary, chapter3.flagged
    layout = data.layout
    rt = layout.tables["realisasi"]
    by_code = code_index(data, "realisasi")
    for ind in data.rows["iku"]:
        k = code_key(ind.get("kode"))
        if k is None:
            continue
        real = by_code.get(k)

        def rv(key: str):
            return None if real is None else book.filled(rt.sheet, real.row, rt.columns[key])

        entry.indicators.append((ind.text("kode"), ind.text("jenis"), ind.text("pernyataan"), ind.text("indikator"),
                                 ind.text("satuan"), ind.text("iku") or "Ya", rv("target_berlaku"),
                                 rv("realisasi_berlaku"), rv("capaian"), rv("kategori"),
                                 reason(flagged[k]) if k in flagged else None))
    at = layout.tables["anggaran"]
    for r in data.rows["anggaran"]:
        if r.is_total:
            continue
        rekap_row = chapter3.budget_rows.get(r.row)
        if rekap_row is None:  # a rekening, or a row outside the hierarchy: its own amounts
            amounts = [_written(r, "pagu_awal"), _written(r, "pagu"), _written(r, "realisasi_anggaran"),
                       book.filled(at.sheet, r.row, at.columns["penyerapan"]), None]
        else:  # as Rekap Anggaran rolls it up: a blank parent takes its sub-rows' sum, never 0
            amounts = [book.filled(REKAP, rekap_row, c) for c in (3, 4, 5, 6, 8)]
        entry.budget.append((r.text("kode"), r.text("jenis"), r.text("uraian"), *amounts))
    entry.office = Office(
        pemda=str(data.field("pemda") or ""),
        perangkat_daerah=str(data.field("perangkat_daerah") or Path(entry.path).stem),
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


# ---------------------------------------------------------------- many files


@dataclass
class MergeResult:
    entries: list[Entry]  # every input file, sorted
    tahun: int | None  # the year merged

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


def merge(inputs: Iterable[str | Path], tahun: int | None = None, jobs: int | None = None,
          progress: Callable[[int, int, str], None] | None = None, limits: Limits = Limits()) -> MergeResult:
    """Read every workbook, each in a worker process under `limits` (`jobs` of them
    at once), and pick one per office and year. A file whose reading fails in any
    way is listed as `gagal dibaca` with the reason; the others are merged."""
    paths = find_inputs(inputs)
    if not paths:
        raise UsageError("Tidak ada buku kerja (.xlsx, .xlsm, .xls, .ods) yang ditemukan.")
    jobs = max(1, jobs or os.cpu_count() or 1)
    entries: list[Entry] = []
    for done, (i, outcome) in enumerate(run_isolated(read_entry, paths, jobs, limits), 1):
        entries.append(failed_entry(paths[i], outcome) if isinstance(outcome, Failure) else outcome)
        if progress:
            progress(done, len(paths), str(paths[i]))
    return choose(entries, tahun)


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
    readable = [e for e in entries if e.office is not None]
    if tahun is None:
        years = Counter(e.office.tahun for e in readable if e.office.tahun is not None)
        tahun = max(years, key=lambda y: (years[y], y)) if years else None  # a tie: the later year
    for e in readable:
        if tahun is not None and e.office.tahun != tahun:
            e.used = False
            e.note = f"tahun {e.office.tahun}, bukan {tahun}: tidak digabung"
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
