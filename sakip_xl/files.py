"""Writing files without ever leaving a half-written or lost file behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Callable

from .errors import UsageError, WriteError


def check_new_xlsx(path: Path, what: str, force: bool = True) -> None:
    """Refuse, before any work, an output that is no .xlsx or (without `force`) exists."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path.name}: {what} hanya dapat ditulis sebagai berkas .xlsx.")
    if path.exists() and not force:
        raise UsageError(f"{path.name} sudah ada. Pakai nama lain, atau --force untuk menimpanya.")


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside `target`, then rename it into place.

    If anything fails, `target` is untouched and the temporary file removed.
    """
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp creates 0600; give a normal file's mode
        os.replace(tmp_path, target)
    except PermissionError as e:
        tmp_path.unlink(missing_ok=True)
        raise WriteError(
            f"{target.name}: berkas tidak dapat ditulis (mungkin sedang dibuka di Excel). "
            "Tutup berkas itu lalu ulangi."
        ) from e
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def backup(path: Path) -> Path:
    """Copy `path` to `<name>.cadangan-<time><ext>` beside it and return the copy."""
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.cadangan-{stamp}{path.suffix}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.stem}.cadangan-{stamp}-{n}{path.suffix}")
        n += 1
    shutil.copy2(path, target)
    return target
