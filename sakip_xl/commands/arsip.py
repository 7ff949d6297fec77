"""`sakip-xl merge --arsip`, `merge` of archives and `sakip-xl arsip`: the library
functions the command line calls. duckdb is imported only when an archive is used.

- `merge_inputs`: `merge` whose inputs may also be archives (.duckdb): their offices
  come in as entries with the figures and rows their own merge stored, each row's
  Pemda kept; a province merges its kabupaten's archives this way.
- `oversized` and `move_oversized`: a detail table of the rekap longer than an Excel
  sheet goes to the archive and to Parquet beside the rekap, with a note.
- `archive_merge`, `write_trend`, `export_parquet`: store, trend workbook, export.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..archive.schema import KABUPATEN, PROVINSI
from ..files import find_inputs
from ..isolate import Limits
from .merge import MergeResult, _Store, _spill, choose, merge

ARCHIVE_SUFFIX = ".duckdb"
#: Rows of an Excel sheet below its header row (1,048,576 rows in all).
EXCEL_DATA_ROWS = 1_048_575
#: The rekap's detail sheets and their tables in the archive.
DETAIL_TABLES = {"Indikator": "indikator", "Anggaran": "anggaran", "Pemeriksaan": "pemeriksaan"}


def is_archive(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ARCHIVE_SUFFIX


def scope_of(inputs: Iterable[str | Path]) -> str:
    """`provinsi` when archives are merged, else `kabupaten/kota`."""
    return PROVINSI if any(is_archive(p) for p in inputs) else KABUPATEN


def merge_inputs(inputs: Iterable[str | Path], tahun: int | None = None, jobs: int | None = None,
                 progress: Callable[[int, int, str], None] | None = None, limits: Limits = Limits(),
                 cache: Path | None = None) -> MergeResult:
    """`merge` of workbooks and archives together. An archive's offices (of `tahun`, or
    of every year when it is not given) join the files read, and one office and year
    is chosen among all of them as `merge` chooses (the newest saved)."""
    from ..archive.store import read_entries

    paths = find_inputs(inputs)
    archives = [p for p in paths if is_archive(p)]
    books = [p for p in paths if not is_archive(p)]
    if not archives:
        return merge(books or paths, tahun=tahun, jobs=jobs, progress=progress, limits=limits, cache=cache)
    result = merge(books, tahun, jobs, progress, limits, cache) if books else MergeResult([], tahun, store=_Store())
    try:
        assert result.store is not None
        entries = list(result.entries)
        for archive in archives:
            for entry in read_entries(archive, tahun):
                entries.append(_spill(entry, result.store))
        for e in entries:  # choose again, among the files and the archives' offices
            if e.office is not None:
                e.used, e.note = True, None
        chosen = choose(entries, tahun)
        chosen.cache, chosen.from_cache, chosen.notes, chosen.store = (result.cache, result.from_cache,
                                                                       result.notes, result.store)
        return chosen
    except BaseException:
        result.close()
        raise


def detail_counts(result: MergeResult) -> dict[str, int]:
    """Rows of each detail sheet of the rekap."""
    return {"Indikator": sum(len(e.indicators) for e in result.used),
            "Anggaran": sum(len(e.budget) for e in result.used),
            "Pemeriksaan": sum(len(e.issues) for e in result.entries)}


def oversized(result: MergeResult, limit: int | None = None) -> dict[str, int]:
    """The detail sheets longer than an Excel sheet (`limit` rows, EXCEL_DATA_ROWS by
    default), with their row counts."""
    limit = EXCEL_DATA_ROWS if limit is None else limit
    return {sheet: n for sheet, n in detail_counts(result).items() if n > limit}


def archive_merge(archive: str | Path, result: MergeResult, lingkup: str = KABUPATEN):
    """Store the merge in the archive (see archive.store.write_merge)."""
    from ..archive.store import write_merge

    return write_merge(archive, result, lingkup)


def parquet_path(rekap: str | Path, table: str) -> Path:
    """Where a detail table too long for the rekap goes: `<rekap>.<table>.parquet` beside it."""
    rekap = Path(rekap)
    return rekap.with_name(f"{rekap.stem}.{table}.parquet")


@dataclass
class Moved:
    """A detail table left out of the rekap: where its rows are, and the note saying so."""

    sheet: str
    rows: int
    parquet: Path
    note: str


def move_oversized(result: MergeResult, rekap: str | Path, archive: str | Path | None, lingkup: str,
                   sheets: dict[str, int]) -> list[Moved]:
    """Write each oversized detail table of this merge to Parquet beside the rekap, from
    `archive` (already holding the merge) or, without one, from a temporary archive."""
    if not sheets:
        return []
    import pandas as pd

    from ..archive.export import export_query
    from ..archive.store import _entry_key, write_merge

    tmpdir = None
    if archive is None:
        tmpdir = tempfile.TemporaryDirectory(prefix="sakip-xl-arsip-")
        archive = Path(tmpdir.name) / "sementara.duckdb"
        write_merge(archive, result, lingkup)
    try:
        keys = pd.DataFrame({"kunci": pd.Series(sorted({k for e in result.entries if (k := _entry_key(e))}),
                                                dtype=object)})
        paths = pd.DataFrame({"berkas": pd.Series([e.path for e in result.entries], dtype=object)})
        assert result.tahun is not None
        where = f"tahun = {int(result.tahun)} AND lingkup = '{'provinsi' if lingkup == PROVINSI else KABUPATEN}'"
        moved = []
        for sheet, n in sheets.items():
            table = DETAIL_TABLES[sheet]
            target = parquet_path(rekap, table)
            own = ("berkas IN (SELECT berkas FROM _berkas)" if table == "pemeriksaan"
                   else "kunci IN (SELECT kunci FROM _kunci)")
            # In the order the rows were inserted, the rekap's (a sort would cost 1.2 GB for 3 million rows).
            export_query(archive, f"SELECT * FROM {table} WHERE {where} AND {own}", target,
                         {"_kunci": keys, "_berkas": paths})
            where_archive = f"di arsip {Path(archive).name} (tabel {table}) dan " if tmpdir is None else ""
            count = f"{n:,}".replace(",", ".")
            note = (f"Tabel {sheet} berisi {count} baris, melebihi batas Excel 1.048.576 baris per lembar, jadi "
                    f"tidak dimuat di buku kerja ini; semua barisnya ada {where_archive}di {target.name}.")
            moved.append(Moved(sheet, n, target, note))
        return moved
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()


def write_trend(archive: str | Path, output: str | Path, dari: int | None = None, sampai: int | None = None):
    """The trend workbook (see archive.trend.write_trend)."""
    from ..archive.trend import write_trend as run

    return run(archive, output, dari, sampai)


def export_parquet(archive: str | Path, folder: str | Path) -> list[Path]:
    """Every table of the archive as `folder/<table>.parquet`."""
    from ..archive.export import export_parquet as run

    return run(archive, folder)
