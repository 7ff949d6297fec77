"""Files: finding the workbooks to read, and writing without ever leaving a
half-written or lost file behind."""

from __future__ import annotations

import errno
import glob
import os
import shutil
import stat
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from .errors import UsageError, WriteError
from .read.source import WORKBOOK_SUFFIXES


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files, folders (searched recursively) and glob patterns, as sorted unique paths."""
    found: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for root, _dirs, files in os.walk(p):
                for f in files:
                    if f.lower().endswith(WORKBOOK_SUFFIXES) and not f.startswith(("~$", ".~lock")):
                        found.add(Path(root) / f)
        elif p.exists():
            found.add(p)
        else:
            matches = glob.glob(str(item), recursive=True)
            if not matches:
                raise UsageError(f"'{item}' tidak ditemukan (bukan berkas, folder, atau pola yang cocok).")
            for m in matches:
                mp = Path(m)
                if mp.is_file():
                    found.add(mp)
                elif mp.is_dir():
                    found.update(find_inputs([mp]))
    return sorted(found, key=lambda q: str(q))


def check_output(path: str | Path, what: str, *, suffixes: tuple[str, ...] = (".xlsx",), force: bool = True,
                 inputs: Iterable[str | Path] = (), may_replace_input: bool = False) -> Path:
    """Refuse, before any work is done, an output that cannot or must not be written.

    The extension must be one of `suffixes`; the folder must exist and take new
    files; an existing file is replaced only with `force`, never when it is
    read-only or open in a spreadsheet program, and never when it is one of
    `inputs` (unless `may_replace_input`: recompute in place keeps a backup).
    """
    path = Path(path)
    name = path.name
    if path.suffix.lower() not in suffixes:
        raise UsageError(f"{name}: {what} hanya dapat ditulis sebagai berkas {' atau '.join(suffixes)}.")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{name}: folder '{folder}' tidak ada. Buat foldernya dulu, atau pilih folder lain.")
    check_writable_folder(folder, name)
    if path.is_dir():
        raise UsageError(f"{name}: sudah ada folder dengan nama itu. Pilih nama berkas lain.")
    if not may_replace_input and any(same_file(path, i) for i in inputs):
        raise UsageError(f"{name}: berkas hasil sama dengan berkas masukan. Pilih nama lain untuk hasilnya.")
    if path.exists():
        if not force:
            raise UsageError(f"{name} sudah ada. Pakai nama lain, atau --force untuk menimpanya.")
        check_replaceable(path)
    return path


def check_writable_folder(folder: Path, name: str) -> None:
    """Whether a new file can be created in `folder` (tried, since permissions alone
    do not tell: an administrator ignores them, a read-only disk does not)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".sakip-xl-", dir=folder)
    except OSError as e:
        raise UsageError(f"{name}: folder '{folder}' tidak dapat ditulisi ({e.strerror}). Pilih folder lain.") from e
    os.close(fd)
    os.unlink(probe)


def check_replaceable(path: Path) -> None:
    """Refuse to replace a read-only file or one open in Excel or LibreOffice."""
    if not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(f"{path.name}: berkas ini hanya-baca (read-only), jadi tidak ditimpa. Hapus tanda "
                         "hanya-baca di Properties berkas, atau pilih nama lain.")
    for lock in (path.with_name(f".~lock.{path.name}#"), path.with_name(f"~${path.name}")):
        if lock.exists():
            raise UsageError(f"{path.name}: berkas sedang dibuka di Excel atau LibreOffice (ada {lock.name}). "
                             "Tutup berkas itu lalu ulangi.")


def check_output_folder(folder: str | Path) -> Path:
    """Refuse, before any work, a folder to write into that is a file, or that
    cannot be made or written to (it is created later, when writing)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: ini berkas, bukan folder. Pilih nama folder lain.")
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{folder}: '{existing}' adalah berkas, bukan folder. Pilih nama folder lain.")
    check_writable_folder(existing, str(folder))
    return folder


def same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Write to a temporary file beside `target`, then rename it into place.

    If anything fails, `target` is untouched and the temporary file removed;
    a file-system failure becomes a WriteError saying what to do. Whatever `write`
    returns is ignored.
    """
    target = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent)
    except OSError as e:
        raise _write_error(target, e) from e
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp creates 0600; give a normal file's mode
        os.replace(tmp_path, target)
    except BaseException as e:
        tmp_path.unlink(missing_ok=True)
        cause = _os_error(e)
        if cause is not None:
            raise _write_error(target, cause) from e
        raise


def _os_error(e: BaseException) -> OSError | None:
    """The file-system error behind an exception, also when a library wrapped it
    (XlsxWriter raises FileCreateError(OSError))."""
    for candidate in (e, *getattr(e, "args", ())[:1], e.__cause__, e.__context__):
        if isinstance(candidate, OSError):
            return candidate
    return None


def _write_error(target: Path, e: OSError) -> WriteError:
    if e.errno == errno.ENOSPC:
        return WriteError(f"{target.name}: disk penuh, berkas tidak ditulis. Kosongkan ruang disk lalu ulangi.")
    if isinstance(e, PermissionError):
        return WriteError(f"{target.name}: berkas tidak dapat ditulis (mungkin sedang dibuka di Excel, atau "
                          "folder hanya-baca). Tutup berkas itu atau pilih folder lain, lalu ulangi.")
    return WriteError(f"{target.name}: berkas tidak dapat ditulis ({e.strerror or e}).")


def backup(path: Path) -> Path:
    """Copy `path` to `<name>.cadangan-<time><ext>` beside it and return the copy
    (written whole or not at all)."""
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.cadangan-{stamp}{path.suffix}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.stem}.cadangan-{stamp}-{n}{path.suffix}")
        n += 1
    atomic_write(target, lambda tmp: shutil.copyfile(path, tmp))
    shutil.copystat(path, target)
    return target
