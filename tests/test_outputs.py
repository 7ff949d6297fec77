"""Every command checks where it writes before it reads anything, and a file-system
fault is one Bahasa line and exit 2: never a traceback, never a damaged or lost file."""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from paths import BLUTO, KALIANGET
from sakip_xl.cli import main


def run(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Galat: "), result.output
    return lines[0]


@contextmanager
def read_only_folder(path: Path):
    """A folder nobody can create files in, not even an administrator (who ignores
    permission bits): the immutable attribute as root, read-only bits otherwise."""
    path.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here")
        try:
            yield path
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)


def commands(tmp_path: Path, out: Path) -> dict[str, list]:
    """Each command writing to `out`, with a broken input: if the output were checked
    after reading, the message would be about the input."""
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 rusak")
    return {
        "template": ["template", out],
        "template --dari": ["template", out, "--dari", broken],
        "recompute": ["recompute", broken, "-o", out],
        "merge": ["merge", broken, "-o", out],
        "merge --csv": ["merge", broken, "-o", tmp_path / "rekap.xlsx", "--csv", out.parent / "csv"],
        "contoh": ["contoh", out.parent / "contoh"],
    }


@pytest.mark.parametrize("name", ["template", "template --dari", "recompute", "merge", "merge --csv", "contoh"])
def test_missing_folder_is_refused_before_reading(tmp_path, name):
    args = commands(tmp_path, tmp_path / "tidak-ada" / "deeper" / "hasil.xlsx")[name]
    if name in ("merge --csv", "contoh"):  # a folder to write into is created, so its parent must exist
        args[-1] = tmp_path / "tidak-ada" / "berkas.xlsx" / "csv"
        (tmp_path / "tidak-ada").mkdir()
        (tmp_path / "tidak-ada" / "berkas.xlsx").write_text("ini berkas")
    result = run(*args)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "rusak" not in line, line
    assert ("tidak ada" in line) or ("bukan folder" in line), line


@pytest.mark.parametrize("name", ["template", "template --dari", "recompute", "merge", "merge --csv", "contoh"])
def test_read_only_folder_is_refused_before_reading(tmp_path, name):
    with read_only_folder(tmp_path / "arsip") as folder:
        args = commands(tmp_path, folder / "hasil.xlsx")[name]
        if name in ("merge --csv", "contoh"):
            args[-1] = folder / "csv"
        result = run(*args)
        assert result.exit_code == 2
        line = one_error_line(result)
        assert "tidak dapat ditulisi" in line and "rusak" not in line, line
        assert os.listdir(folder) == []


def test_output_the_same_as_an_input_is_refused(tmp_path):
    inbox = tmp_path / "kiriman"
    inbox.mkdir()
    a = Path(shutil.copy(KALIANGET, inbox / "a.xlsx"))
    before = a.read_bytes()
    for args in (["merge", inbox, "-o", a], ["template", a, "--dari", a, "--force"]):
        result = run(*args)
        assert result.exit_code == 2
        assert "sama dengan berkas masukan" in one_error_line(result)
        assert a.read_bytes() == before


def test_recompute_onto_its_own_input_is_in_place_with_a_backup(tmp_path):
    a = Path(shutil.copy(BLUTO, tmp_path / "a.xlsx"))
    before = a.read_bytes()
    result = run("recompute", a, "-o", a)
    assert result.exit_code == 1, result.output  # Bluto has galat
    backups = list(tmp_path.glob("a.cadangan-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == before


def test_wrong_extension_is_refused(tmp_path):
    for args in (["template", tmp_path / "a.xls"], ["recompute", KALIANGET, "-o", tmp_path / "a.ods"],
                 ["merge", KALIANGET, "-o", tmp_path / "a.csv"]):
        result = run(*args)
        assert result.exit_code == 2 and "hanya dapat ditulis sebagai berkas .xlsx" in one_error_line(result)


@pytest.mark.parametrize("lock", [".~lock.a.xlsx#", "~$a.xlsx"])
def test_a_file_open_in_a_spreadsheet_program_is_not_replaced(tmp_path, lock):
    a = Path(shutil.copy(KALIANGET, tmp_path / "a.xlsx"))
    (tmp_path / lock).write_text("dibuka")
    before = a.read_bytes()
    result = run("recompute", a)
    assert result.exit_code == 2
    assert "sedang dibuka di Excel atau LibreOffice" in one_error_line(result)
    assert a.read_bytes() == before and not list(tmp_path.glob("*.cadangan-*"))


def test_a_read_only_file_is_not_replaced(tmp_path):
    a = Path(shutil.copy(KALIANGET, tmp_path / "a.xlsx"))
    a.chmod(0o444)
    for args in (["recompute", a], ["template", a, "--force"]):
        result = run(*args)
        assert result.exit_code == 2 and "hanya-baca" in one_error_line(result)
    assert a.read_bytes() == KALIANGET.read_bytes()


@pytest.fixture
def small_disk(tmp_path):
    """A 120 KiB file system: room for one example workbook (67 KiB), not for it and a
    backup of it, nor for it and its recomputed copy (128 KiB)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.parametrize("backup", [True, False])
def test_a_full_disk_leaves_the_file_whole_and_nothing_half_written(small_disk, backup):
    a = Path(shutil.copy(KALIANGET, small_disk / "a.xlsx"))
    before = a.read_bytes()
    result = run("recompute", a, *([] if backup else ["--no-backup"]))
    assert result.exit_code == 2
    assert "disk penuh" in one_error_line(result)
    assert a.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["a.xlsx"]  # no partial backup, no temporary file
