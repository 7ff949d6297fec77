"""`sakip-xl template`: the standard LKjIP workbook staff fill in Excel."""

from __future__ import annotations

import re
from pathlib import Path

from ..model.book import Book
from ..model.contract import load_contract
from ..rules.install import install_formulas, write_default_scales, write_identity_values, write_standard_text
from ..errors import UsageError
from ..files import atomic_write, check_output
from ..model.layout import Layout, standard_layout
from ..xlsx.writer import Writer, write_standard

_PERIODE = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")


def renstra_years(periode: str | None) -> tuple[int, ...]:
    """The years of a Renstra period `YYYY-YYYY` after its first (baseline) year."""
    m = _PERIODE.match(periode or "")
    if not m:
        return ()
    start, end = int(m.group(1)), int(m.group(2))
    return tuple(range(start + 1, end + 1)) if start < end <= start + 10 else ()


def template_book(identity: dict[str, object], layout: Layout) -> Book:
    """The book of a new standard workbook: text, defaults and formulas."""
    tahun = identity.get("tahun")
    book = Book()
    write_standard_text(book, layout, tahun if isinstance(tahun, int) else None)
    write_identity_values(book, layout, identity)
    write_default_scales(book, layout)
    install_formulas(book, layout)
    return book


def write_book(path: Path, layout: Layout, book: Book, password: str | None = None) -> None:
    """Write the standard sheets of `book` to `path`, safely."""

    def write(tmp: Path) -> None:
        w = Writer(tmp)
        write_standard(w, layout, book, password)
        w.close()

    atomic_write(Path(path), write)


def write_template(
    path: str | Path,
    *,
    pemda: str | None = None,
    perangkat_daerah: str | None = None,
    kode: str | None = None,
    tahun: int | None = None,
    renstra: str | None = None,
    password: str | None = None,
    force: bool = False,
) -> Path:
    """Write a new standard workbook, Identitas pre-filled from the options."""
    path = Path(path)
    check_output(path, "templat", force=force)
    if renstra is not None and not renstra_years(renstra):
        raise UsageError(f"Periode Renstra '{renstra}' tidak valid: tulis TTTT-TTTT, misalnya 2021-2026.")
    if tahun is not None and not 2000 <= tahun <= 2100:
        raise UsageError(f"Tahun {tahun} tidak valid: tulis tahun 4 angka, misalnya 2023.")
    identity: dict[str, object] = {
        "pemda": pemda,
        "perangkat_daerah": perangkat_daerah,
        "kode_pd": kode,
        "tahun": tahun,
        "periode_renstra": renstra,
    }
    layout = standard_layout(load_contract(), renstra_years(renstra))
    write_book(path, layout, template_book(identity, layout), password)
    return path
