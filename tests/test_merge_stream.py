"""A merge that streams: each file's rows are spilled to disk as its worker hands them
over, and written back in one order, so the rekap is the same for any --jobs and input
order; a re-merge takes unchanged files (same SHA-256) from the cache beside the rekap."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from click.testing import CliRunner
from test_merge import small

import sakip_xl
import sakip_xl.commands.merge as merge_module
from sakip_xl.cli import main
from sakip_xl.commands.merge import INDICATORS, Rows, cache_path, merge
from sakip_xl.model.fill import write_filled
import sakip_xl.sheets.rekap as rekap
from sakip_xl.sheets.rekap import write_csv, write_rekap
from sakip_xl.xlsx.forked import ForkedRows
from sakip_xl.synthetic import synthetic_filling


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> Path:
    """Workbooks of five offices, one of another year, one a duplicate, and a broken file."""
    d = tmp_path_factory.mktemp("asli")
    for i in range(3):
        write_filled(d / f"kec-{i}.xlsx", synthetic_filling(900 + i, 6, 30, office=f"Kecamatan Alir {i}"))
    write_filled(d / "dinas-a.xlsx", small("Dinas A"))
    write_filled(d / "dinas-b.xlsx", small("Dinas B", realisasi=70))
    write_filled(d / "dinas-b-lama.xlsx", small("Dinas B", realisasi=40))  # same office and year
    write_filled(d / "dinas-c-2022.xlsx", small("Dinas C", tahun=2022))  # another year: left out
    (d / "rusak.xlsx").write_bytes(b"PK\x03\x04 bukan zip")
    return d


@pytest.fixture
def inbox(originals, tmp_path) -> Path:
    d = tmp_path / "kiriman"
    shutil.copytree(originals, d)
    return d


@pytest.fixture
def reads(monkeypatch, tmp_path) -> Path:
    """A log of the files the workers read (they are forked, so they run this reader)."""
    log = tmp_path / "dibaca.log"
    log.touch()
    real = merge_module.read_entry

    def reader(path):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(Path(path).name + "\n")
        return real(path)

    monkeypatch.setattr(merge_module, "read_entry", reader)
    return log


def taken(log: Path) -> list[str]:
    """The files read since the last call."""
    names = sorted(log.read_text(encoding="utf-8").split())
    log.write_text("", encoding="utf-8")
    return names


def cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


def csv_texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8-sig") for p in sorted(folder.iterdir())}


ALL = ["dinas-a.xlsx", "dinas-b-lama.xlsx", "dinas-b.xlsx", "dinas-c-2022.xlsx", "kec-0.xlsx", "kec-1.xlsx",
       "kec-2.xlsx", "rusak.xlsx"]


def test_rows_wait_on_disk_and_the_rekap_is_the_same_for_any_jobs_and_order(inbox, tmp_path):
    files = sorted(str(p) for p in inbox.iterdir())
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    one, two = merge(files, jobs=1), merge(shuffled, jobs=2)
    assert sum(len(e.indicators) for e in one.used) == 3 * 6 + 2  # 6 IKU indicators per kecamatan, 1 per dinas
    assert [e.path for e in one.entries] == [e.path for e in two.entries]
    a, b = write_rekap(tmp_path / "a.xlsx", one), write_rekap(tmp_path / "b.xlsx", two)
    assert a.read_bytes() == b.read_bytes()
    write_csv(tmp_path / "csv-a", one)
    write_csv(tmp_path / "csv-b", two)
    assert csv_texts(tmp_path / "csv-a") == csv_texts(tmp_path / "csv-b")
    detached = pickle.loads(pickle.dumps(one.used[0]))  # a copy carries its rows
    one.close()
    two.close()
    assert list(detached.budget) and detached.galat == one.used[0].galat
    for e in one.used:  # the merging process held a summary per file: the rows were in the store, now gone
        assert isinstance(e.indicators, Rows) and isinstance(e.budget, Rows) and isinstance(e.issues, Rows)
        with pytest.raises(ValueError):
            list(e.budget)


def test_a_long_table_written_on_two_cores_is_the_same_workbook(inbox, tmp_path, monkeypatch):
    """The Anggaran rows after the middle office, written meanwhile by a forked process,
    give the same file as one process writing them all; a forked process that fails
    leaves its rows to the merging process."""
    result = merge(sorted(str(p) for p in inbox.iterdir()), jobs=1)
    monkeypatch.setattr(rekap, "FORK_ROWS", 10**9)
    alone = write_rekap(tmp_path / "satu.xlsx", result).read_bytes()
    real, started = ForkedRows.start, []

    def start(ws, first, write):
        started.append(first)
        return real(ws, first, write)

    monkeypatch.setattr(rekap, "FORK_ROWS", 10)  # the test's 92 budget rows count as long
    monkeypatch.setattr(ForkedRows, "start", start)
    assert write_rekap(tmp_path / "dua.xlsx", result).read_bytes() == alone
    # Offices by name: Dinas A and Dinas B with 1 budget row each, then three kecamatan with
    # 30 each: 92 rows. Half is 46; 32 rows lie before the second kecamatan (62 before the
    # third), so the forked process writes from sheet row 1 (below the header) + 32 = 33.
    assert [len(e.budget) for e in result.used] == [1, 1, 30, 30, 30]
    assert started == [33]
    monkeypatch.setattr(ForkedRows, "start", lambda ws, first, write: real(ws, first, lambda: 1 // 0))
    assert write_rekap(tmp_path / "gagal.xlsx", result).read_bytes() == alone
    if hasattr(os, "fork"):
        assert not list(tmp_path.glob("sakip-xl-baris-*"))


def test_a_re_merge_reads_only_the_changed_files_and_writes_the_same_rekap(inbox, reads, tmp_path):
    cache = cache_path(tmp_path / "rekap.xlsx")
    assert cache.name == ".rekap.xlsx.sakip-cache"
    fresh = merge([inbox], jobs=2, cache=cache)
    assert taken(reads) == ALL and fresh.from_cache == 0 and fresh.notes == []
    write_rekap(tmp_path / "segar.xlsx", fresh)
    with sqlite3.connect(cache) as conn:  # every file read to the end; not the one that failed
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (7,)

    again = merge([inbox], jobs=2, cache=cache)
    assert taken(reads) == ["rusak.xlsx"]  # a failure may be passing (a limit): it is tried again
    assert again.from_cache == 7 and again.notes == []
    write_rekap(tmp_path / "cache.xlsx", again)
    assert cells(tmp_path / "segar.xlsx") == cells(tmp_path / "cache.xlsx")
    assert (tmp_path / "segar.xlsx").read_bytes() == (tmp_path / "cache.xlsx").read_bytes()
    write_csv(tmp_path / "csv-segar", fresh)
    write_csv(tmp_path / "csv-cache", again)
    assert csv_texts(tmp_path / "csv-segar") == csv_texts(tmp_path / "csv-cache")

    write_filled(inbox / "dinas-a.xlsx", small("Dinas A", realisasi=45))  # changed content: read again
    changed = merge([inbox], jobs=1, cache=cache)
    assert taken(reads) == ["dinas-a.xlsx", "rusak.xlsx"] and changed.from_cache == 6
    (a,) = [e for e in changed.used if e.office.perangkat_daerah == "Dinas A"]
    assert a.office.average == 50  # 45 / 90
    shutil.copy(inbox / "kec-0.xlsx", inbox / "salinan.xlsx")  # a copy: the same content, its own path
    copied = merge([inbox], jobs=1, cache=cache)
    assert taken(reads) == ["rusak.xlsx"] and copied.from_cache == 8
    assert str(inbox / "salinan.xlsx") in {e.path for e in copied.entries}


@pytest.mark.parametrize("change", ["sakip-xl", "templat"])
def test_another_version_reads_every_file_again(inbox, reads, tmp_path, monkeypatch, change):
    cache = cache_path(tmp_path / "rekap.xlsx")
    merge([inbox], jobs=2, cache=cache)
    taken(reads)
    if change == "sakip-xl":
        monkeypatch.setattr(sakip_xl, "__version__", "99.0")
    else:
        monkeypatch.setattr(merge_module, "load_contract", lambda: SimpleNamespace(template_version="99.0"))
    result = merge([inbox], jobs=2, cache=cache)
    assert taken(reads) == ALL and result.from_cache == 0
    assert result.notes == [(f"cache {cache.name} dibuat oleh versi sakip-xl atau templat lain; diabaikan, "
                             "semua berkas dibaca ulang.")]
    again = merge([inbox], jobs=2, cache=cache)  # rewritten for this version
    assert taken(reads) == ["rusak.xlsx"] and again.from_cache == 7


@pytest.mark.parametrize("damage", ["sampah", "kosong", "baris"])
def test_a_damaged_cache_is_ignored_with_a_note(inbox, reads, tmp_path, damage):
    cache = cache_path(tmp_path / "rekap.xlsx")
    write_rekap(tmp_path / "segar.xlsx", merge([inbox], jobs=2, cache=cache))
    taken(reads)
    if damage == "sampah":
        cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    elif damage == "kosong":
        cache.write_bytes(b"")
    else:  # one file's indicator rows garbled, and another's summary
        with sqlite3.connect(cache) as conn:
            sha_a, sha_b = [r[0] for r in conn.execute("SELECT sha256 FROM entries ORDER BY sha256 LIMIT 2")]
            conn.execute("UPDATE entries SET indicators = ? WHERE sha256 = ?", (b"J" + b"\x78\x9c rusak", sha_a))
            conn.execute("UPDATE entries SET summary = ? WHERE sha256 = ?", ('{"office": 1}', sha_b))
        conn.close()
    result = merge([inbox], jobs=2, cache=cache)
    if damage == "baris":
        assert len(taken(reads)) == 3 and result.from_cache == 5
        assert result.notes == [f"sebagian isi cache {cache.name} rusak; berkas itu dibaca ulang."]
    else:
        assert taken(reads) == ALL and result.from_cache == 0
        assert len(result.notes) == 1 and result.notes[0].startswith(f"cache {cache.name} ")
        assert result.notes[0].endswith("diabaikan, semua berkas dibaca ulang.")
    write_rekap(tmp_path / "ulang.xlsx", result)
    assert (tmp_path / "segar.xlsx").read_bytes() == (tmp_path / "ulang.xlsx").read_bytes()
    assert merge([inbox], jobs=2, cache=cache).from_cache == 7  # written whole again


def test_a_cache_that_cannot_be_written_is_a_note_not_a_failure(inbox, tmp_path):
    cache = tmp_path / "tidak-ada" / ".rekap.xlsx.sakip-cache"
    result = merge([inbox], jobs=1, cache=cache)
    assert len(result.used) == 5 and len(result.notes) == 1
    assert result.notes[0].startswith("cache tidak ditulis, penggabungan berikutnya membaca ulang semua berkas.")
    cache = tmp_path / "folder.sakip-cache"
    cache.mkdir()  # a folder where the file would go
    result = merge([inbox], jobs=1, cache=cache)
    assert len(result.used) == 5 and result.notes[0] == f"cache {cache.name} tidak dapat dibuka; diabaikan, " \
                                                        "semua berkas dibaca ulang."
    assert len(result.notes) == 2 and "tidak ditulis" in result.notes[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.sakip-cache", "kiriman"]  # no temporary left


def test_an_office_named_after_its_file_keeps_the_name_of_each_copy(tmp_path):
    d = tmp_path / "kiriman"
    d.mkdir()
    unnamed = small("Dinas A")
    del unnamed.identity["Perangkat Daerah"]
    write_filled(d / "dinas-tanpa-nama.xlsx", unnamed)
    cache = cache_path(tmp_path / "rekap.xlsx")
    (first,) = merge([d], jobs=1, cache=cache).entries
    assert first.office.perangkat_daerah == "dinas-tanpa-nama" and first.office_from_file_name
    shutil.copy(d / "dinas-tanpa-nama.xlsx", d / "kecamatan-lain.xlsx")
    second = merge([d], jobs=1, cache=cache, tahun=2023)
    assert second.from_cache == 2
    assert sorted(e.office.perangkat_daerah for e in second.entries) == ["dinas-tanpa-nama", "kecamatan-lain"]


def test_rows_json_cannot_hold_are_kept_but_not_cached():
    rows = Rows.of(INDICATORS, [("1", object())])
    assert len(rows) == 1 and not rows.cacheable
    plain = Rows.of(INDICATORS, [("1", 2.5, None, True, 3)])
    assert plain.cacheable and list(plain) == [("1", 2.5, None, True, 3)]


def test_cli_writes_the_cache_beside_the_rekap_and_no_cache_refuses_it(inbox, tmp_path):
    runner = CliRunner()
    out = tmp_path / "hasil" / "rekap.xlsx"
    out.parent.mkdir()
    r = runner.invoke(main, ["merge", str(inbox), "-o", str(out), "--quiet", "--no-cache"])
    assert r.exit_code == 1, r.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["rekap.xlsx"]
    first = cells(out)

    r = runner.invoke(main, ["merge", str(inbox), "-o", str(out), "--quiet"])
    assert r.exit_code == 1, r.output
    assert sorted(p.name for p in out.parent.iterdir()) == [".rekap.xlsx.sakip-cache", "rekap.xlsx"]
    assert "dari cache" not in r.output
    r = runner.invoke(main, ["merge", str(inbox), "-o", str(out), "--quiet", "--jobs", "1"])
    assert r.exit_code == 1, r.output
    lines = r.output.splitlines()
    assert lines[1].startswith("Tahun 2023: 8 berkas, 5 digabung")
    assert lines[2] == (f"7 berkas tidak berubah sejak penggabungan sebelumnya: hasil bacanya diambil dari cache "
                        f"{out.parent / '.rekap.xlsx.sakip-cache'}.")
    assert cells(out) == first

    (out.parent / ".rekap.xlsx.sakip-cache").write_bytes(b"bukan cache")
    r = runner.invoke(main, ["merge", str(inbox), "-o", str(out), "--quiet", "--json"])
    assert r.exit_code == 1
    assert r.stderr == ("Catatan: cache .rekap.xlsx.sakip-cache rusak; diabaikan, semua berkas dibaca ulang.\n")
    summary = json.loads(r.stdout)
    assert summary["from_cache"] == 0 and summary["cache"] == str(out.parent / ".rekap.xlsx.sakip-cache")
    r = runner.invoke(main, ["merge", str(inbox), "-o", str(out), "--quiet", "--json", "--no-cache"])
    assert json.loads(r.stdout)["cache"] is None
    assert cells(out) == first


def test_a_workbook_read_for_a_merge_is_freed_without_the_cycle_collector(originals):
    """A merge worker reads file after file. A workbook whose cells sit in reference
    cycles (a budget node and its parent, a closure that calls itself) waits for the
    collector, which then scans every cell of it in the middle of the next file: that
    was 3.3 ms a file. With the collector off, none of the model's rows, cells, budget
    nodes or book may be left for it once the entry is made."""
    import gc

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        entry = merge_module.read_entry(originals / "kec-0.xlsx")
        assert entry.office is not None and len(entry.budget) > 20  # a whole workbook was read
        del entry
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not left & {"Row", "Cell", "Reading", "Node", "BudgetTree", "Book", "Sheet", "Workbook", "TableRow"}


def test_a_workbook_is_read_with_the_cycle_collector_paused_and_left_as_found(originals, monkeypatch):
    """Since the model holds no cycles, the collector is paused while a workbook is read
    and worked on (it scanned the growing model again and again, finding nothing), and
    put back as it was: on after a call that found it on, off when a caller had it off."""
    import gc

    import sakip_xl.model.workbook as workbook_module

    seen = []
    build = workbook_module.build_workbook

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(workbook_module, "build_workbook", watched)
    assert gc.isenabled()
    merge_module.read_entry(originals / "kec-0.xlsx")
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        workbook_module.check_workbook(originals / "kec-1.xlsx")
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()
