"""Shared fixtures: LibreOffice availability and small workbook helpers."""

from __future__ import annotations

import os

import pytest

from libreoffice import soffice


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """The soffice binary. Required in CI; elsewhere the test is skipped with the reason."""
    exe = soffice()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice is not installed: install libreoffice-calc-nogui to run this test")
    return exe


@pytest.fixture(scope="session")
def produced(tmp_path_factory):
    """A folder collecting the workbooks the tests write; the LibreOffice agreement
    test (test_zz_agreement.py, run last) recalculates every one of them."""
    return tmp_path_factory.getbasetemp() / "produced"


def keep(produced_dir, path):
    """Copy a workbook a test wrote into the agreement test's folder."""
    import shutil

    produced_dir.mkdir(exist_ok=True)
    target = produced_dir / f"{len(list(produced_dir.iterdir())):03d}-{path.name}"
    shutil.copy(path, target)
    return target
