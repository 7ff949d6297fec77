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
