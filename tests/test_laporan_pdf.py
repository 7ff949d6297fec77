"""The document rendered by LibreOffice: its text holds the headline and the tables' figures."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from paths import BLUTO, KALIANGET
from sakip_xl.cli import main


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.fixture(scope="module")
def poppler():
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed")


def test_kalianget_pdf(libreoffice, poppler, tmp_path):
    out = tmp_path / "kalianget.docx"
    result = CliRunner().invoke(main, ["laporan", str(KALIANGET), "-o", str(out), "--pdf"])
    assert result.exit_code == 1, result.output
    pdf = tmp_path / "kalianget.pdf"
    assert pdf.exists() and f"Ditulis: {out} dan {pdf}" in result.output
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    first_page = text.split("\f")[0]
    assert "CATATAN PEMERIKSAAN" in first_page and "realisasi-tidak-wajar" in flat
    # Hand-derived in test_laporan.py: (98,78 + 93,10 + 100 + 100) / 4 = 97,97; 81/82, 81/85, 81/87;
    # 50 ... ; program 7.01.04: 21.109.000 / 21.169.760; total pagu of the six programs.
    assert "Rata-rata capaian IKU adalah 97,97% dengan kategori Sangat Tinggi" in flat
    for figure in ("98,78%", "95,29%", "93,10%", "99,71%", "Rp2.574.005.010", "16.834.423,41%"):
        assert figure in flat, figure
    assert 15 <= pages(pdf) <= 40
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "hal")],
                   check=True)
    png = next(tmp_path.glob("hal*.png"))
    assert png.stat().st_size > 1000  # the page renders


def test_bluto_pdf_and_overwriting(libreoffice, poppler, tmp_path):
    out = tmp_path / "bluto.docx"
    args = ["laporan", str(BLUTO), "-o", str(out), "--pdf"]
    assert CliRunner().invoke(main, args).exit_code == 1
    pdf = tmp_path / "bluto.pdf"
    flat = " ".join(pdf_text(pdf).split())
    # 50 / 80 = 62,50%; 442.300.200 / 451.472.500 = 97,97%; 62,50 - 97,97 = -35,47.
    assert "62,50%" in flat and "Rp451.472.500" in flat and "97,97%" in flat and "-35,47 poin" in flat
    before = pdf.read_bytes()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "--force" in result.output and pdf.read_bytes() == before
