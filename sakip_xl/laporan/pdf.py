"""The document as PDF, converted by LibreOffice headless (the only converter that
renders Word's tables faithfully without Word itself)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UsageError, WriteError

TIMEOUT = 300  # seconds


def soffice() -> str | None:
    """The LibreOffice binary, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    exe = soffice()
    if exe is None:
        raise UsageError("--pdf memerlukan LibreOffice (perintah soffice), yang belum terpasang. Pasang "
                         "LibreOffice (di Debian/Ubuntu: apt-get install libreoffice-writer-nogui), atau jalankan "
                         "tanpa --pdf lalu simpan sebagai PDF dari Word.")
    return exe


def convert(docx: Path, target: Path, exe: str) -> None:
    """Write `docx` as PDF at `target` (a temporary name; the caller renames it into place)."""
    with tempfile.TemporaryDirectory(prefix="sakip-xl-pdf-") as work:
        work_path = Path(work)
        source = work_path / "dokumen.docx"
        shutil.copyfile(docx, source)
        profile = work_path / "profil"  # an own profile: works while the user has LibreOffice open
        cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(work_path), str(source)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT,
                                  env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
        except subprocess.TimeoutExpired as e:
            raise WriteError(f"{target.name}: LibreOffice tidak selesai mengubah dokumen ke PDF dalam {TIMEOUT} detik; "
                             "berkas .docx sudah ditulis, simpan sebagai PDF dari Word.") from e
        made = work_path / "dokumen.pdf"
        if done.returncode != 0 or not made.exists():
            raise WriteError(f"{target.name}: LibreOffice gagal mengubah dokumen ke PDF (apakah LibreOffice Writer "
                             "terpasang? di Debian/Ubuntu: apt-get install libreoffice-writer-nogui); berkas .docx "
                             "sudah ditulis.")
        shutil.copyfile(made, target)
