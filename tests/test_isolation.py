"""One bad file never stops a batch: each file is read in a worker process under a memory
and a time limit, and any failure of that file (an exception, a reader that aborts, a
limit passed, a hostile file refused) is that file's `gagal dibaca`, with `--jobs 1` as
with many."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import sakip_xl.commands.merge as merge_module
from paths import BLUTO, KALIANGET
from sakip_xl.cli import main
from sakip_xl.model.fill import write_filled
from sakip_xl.isolate import Failure, Limits, run_isolated
from sakip_xl.synthetic import synthetic_filling
from test_hostile import REALISASI, declare, example_with, ole_with_directory_at, repeated, with_row

MIB = 1 << 20


def misbehave(item: str) -> str:
    """A worker's job that fails in every way a reader can."""
    if item == "raise":
        raise ValueError("rusak")
    if item == "abort":
        os.abort()
    if item == "memory":
        return str(len(bytearray(8 << 30)))  # 8 GiB: far past the limit
    if item == "sleep":
        time.sleep(60)
    return item.upper()


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_failure_of_one_item_is_that_items_alone(jobs):
    items = ["a", "raise", "b", "abort", "c", "memory", "d", "sleep", "e"]
    started = time.monotonic()
    results = dict(run_isolated(misbehave, items, jobs, Limits(memory_mb=512, seconds=3)))
    assert time.monotonic() - started < 40
    assert [results[i] for i in (0, 2, 4, 6, 8)] == ["A", "B", "C", "D", "E"]
    failures = {items[i]: r.reason for i, r in results.items() if isinstance(r, Failure)}
    assert failures["raise"] == "galat tak terduga saat dibaca (ValueError)"
    assert "SIGABRT" in failures["abort"]
    assert failures["memory"] == "melebihi batas memori 512 MB saat dibaca"
    assert failures["sleep"] == "melebihi batas waktu 3 detik saat dibaca"
    assert "ValueError: rusak" in results[1].detail  # the traceback, for --debug


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """Good workbooks and one file of every broken and hostile kind."""
    d = tmp_path_factory.mktemp("kiriman")
    shutil.copy(KALIANGET, d / "kalianget.xlsx")
    for i in range(3):
        write_filled(d / f"kec-{i}.xlsx", synthetic_filling(700 + i, 6, 30, office=f"Kecamatan Baik {i}"))
    example_with(d, "bom-zip.xlsx", {REALISASI: repeated(b"\0" * MIB, 100 * MIB)})
    declare(example_with(d, "bom-4gib.xlsx", {}), REALISASI, (4 << 30) - 1)
    example_with(d, "sel-jauh.xlsx", with_row(REALISASI, 1048576, '<c r="XFD1048576"><v>1</v></c>'))
    (d / "terkunci.xlsx").write_bytes(ole_with_directory_at(1024, ("Root Entry", "EncryptionInfo",
                                                                   "EncryptedPackage")))
    (d / "rusak.xlsx").write_bytes(b"PK\x03\x04 bukan zip")
    (d / "catatan.xlsx").write_text("bukan buku kerja", encoding="utf-8")
    for name in ("abort", "memory", "sleep", "raise"):  # the reader itself fails on these (see below)
        shutil.copy(BLUTO, d / f"{name}.xlsx")
    return d


@pytest.fixture
def failing_reader(monkeypatch):
    """The merge's reader aborting, eating memory, hanging or raising on the files so named
    (the workers are forked, so they run this reader)."""
    real = merge_module.read_entry

    def reader(path):
        stem = Path(path).stem
        if stem in ("abort", "memory", "sleep", "raise"):
            misbehave(stem)
        return real(path)

    monkeypatch.setattr(merge_module, "read_entry", reader)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_merge_of_good_and_every_bad_kind_merges_the_good_and_lists_the_bad(inbox, failing_reader, tmp_path, jobs):
    out = tmp_path / "rekap.xlsx"
    result = CliRunner().invoke(main, ["merge", str(inbox), "-o", str(out), "--jobs", jobs, "--tahun", "2023",
                                       "--batas-waktu", "5", "--batas-memori", "1024", "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    wb = openpyxl.load_workbook(out, data_only=True)
    offices = {r[2] for r in wb["Ringkasan"].iter_rows(min_row=5, values_only=True) if r[0] and r[18] != "gagal dibaca"}
    assert offices == {"Kecamatan Kalianget", "Kecamatan Baik 0", "Kecamatan Baik 1", "Kecamatan Baik 2"}
    reasons = {Path(r[0]).name: r[7] for r in wb["Berkas"].iter_rows(min_row=2, values_only=True)
               if r[5] == "gagal dibaca"}
    expected = {
        "bom-zip.xlsx": "bom zip", "bom-4gib.xlsx": "bom zip", "sel-jauh.xlsx": "jauh di luar tabel",
        "terkunci.xlsx": "kata sandi", "rusak.xlsx": "rusak", "catatan.xlsx": "bukan buku kerja",
        "abort.xlsx": "SIGABRT", "memory.xlsx": "batas memori", "sleep.xlsx": "batas waktu 5 detik",
        "raise.xlsx": "galat tak terduga",
    }
    assert sorted(reasons) == sorted(expected)
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])
    for name in expected:
        assert f"gagal dibaca  {inbox / name}:" in result.output


def test_check_of_many_files_reports_each_and_survives_the_bad(inbox, tmp_path):
    result = CliRunner().invoke(main, ["check", str(inbox / "kec-0.xlsx"), str(inbox / "bom-zip.xlsx"),
                                       str(inbox / "kec-1.xlsx"), "--jobs", "1"])
    assert result.exit_code == 2, result.output  # one file could not be read
    assert "Traceback" not in result.output
    heads = [line for line in result.output.splitlines() if line.startswith("== ")]
    assert heads == [f"== {inbox / n}" for n in ("bom-zip.xlsx", "kec-0.xlsx", "kec-1.xlsx")]  # sorted
    assert "GAGAL DIBACA" in result.output and "bom zip" in result.output
