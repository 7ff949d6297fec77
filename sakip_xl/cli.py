"""The `sakip-xl` command: options in, a library call, results and one-line errors out.

Exit codes: 0 all well, 1 the data has problems (galat), 2 wrong usage or a
file that cannot be read.
"""

from __future__ import annotations

import atexit
import gc

# A workbook in memory is hundreds of thousands of small objects with few reference
# cycles; the default collector rescans them all again and again (15% of a large
# recompute), and it ran about 20 times, for nothing, while click was imported.
# Collect the young generation less often, from the start.
gc.set_threshold(100_000, 50, 100)
# At exit, the interpreter's last collections would scan every object still alive (5%
# of a `check`); frozen, they are skipped. Nothing this program leaves needs them: its
# temporary files are closed or removed.
atexit.register(gc.freeze)

import functools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__
from .errors import ContractError, SakipError
from .isolate import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Limits

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

#: click's own messages a user meets (its gettext message ids) in Bahasa Indonesia.
CLICK_TEXTS = {
    "Usage:": "Cara pakai:",
    "Options": "Pilihan",
    "Commands": "Perintah",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Ketik '{command} {option}' untuk bantuan.",
    "Aborted!": "Dibatalkan.",
    "Missing command.": "perintah belum diberikan.",
    "Missing argument": "argumen wajib belum diisi:",
    "Missing option": "pilihan wajib belum diisi:",
    "No such command {name!r}.": "perintah {name!r} tidak ada.",
    "No such option {name!r}.": "pilihan {name!r} tidak ada.",
    "Did you mean {possibility}?": "Mungkin maksudnya {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mungkin maksudnya salah satu dari: {possibilities}?)",
    "Got unexpected extra argument ({args})": "argumen berlebih ({args})",
    "Got unexpected extra arguments ({args})": "argumen berlebih ({args})",
    "Option {name!r} requires an argument.": "pilihan {name!r} perlu diberi nilai.",
    "Option {name!r} does not take a value.": "pilihan {name!r} tidak menerima nilai.",
    "Invalid value for {param_hint}: {message}": "nilai {param_hint} tidak sah: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan bilangan.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "file": "berkas",
    "directory": "folder",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah sebuah berkas.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah sebuah folder.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "Pelengkapan otomatis perlu Bash versi 4.4 atau lebih baru.",
    "Couldn't detect Bash version, shell completion is not supported.":
        "Versi Bash tidak dikenali; pelengkapan otomatis tidak tersedia.",
}


def _text(message: str) -> str:
    return CLICK_TEXTS.get(message, message)


def _plural_text(singular: str, plural: str, n: int) -> str:
    return _text(singular if n == 1 else plural)


def _speak_bahasa() -> None:
    """Route click's gettext calls through CLICK_TEXTS: each click module calls the
    `_` and `ngettext` it imported from gettext, looked up when a message is made."""
    from click import core, decorators, exceptions, formatting, parser, shell_completion, types

    for module in (core, decorators, exceptions, formatting, parser, shell_completion, types):
        setattr(module, "_", _text)
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", _plural_text)


_speak_bahasa()  # before the commands below are declared: click translates some texts then


class _Command(click.Command):
    """A command whose usage line says [PILIHAN] for its options."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[PILIHAN]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    """The sakip-xl group: usage lines in Bahasa Indonesia, for its commands too."""

    command_class = _Command

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[PILIHAN]")
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARGUMEN]...")
        super().__init__(*args, **kwargs)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"Galat: {message}", err=True)
    sys.exit(code)


def library_errors(f):
    """Turn the library's errors into one-line messages and exit codes; anything
    unexpected into one line naming the file (the traceback only with --debug)."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except ContractError as e:
            _fail(str(e), 1)
        except SakipError as e:  # usage, unreadable input, failed writing
            _fail(str(e), 2)
        except KeyboardInterrupt:
            _fail("dibatalkan.", 130)
        except MemoryError:
            _fail(f"{_subject(kwargs)}memori tidak cukup. Tutup program lain lalu ulangi.", 2)
        except Exception as e:  # noqa: BLE001 - never a traceback for the user
            if _debug():
                import traceback

                traceback.print_exc()
            _fail(f"{_subject(kwargs)}galat tak terduga ({type(e).__name__}: {e}). Ulangi dengan "
                  "sakip-xl --debug untuk rinciannya, dan laporkan bersama berkasnya.", 2)

    return wrapper


def _subject(kwargs: dict) -> str:
    """The file a command was working on, to name it in a message."""
    for key in ("file", "previous", "files", "inputs"):
        v = kwargs.get(key)
        if isinstance(v, (tuple, list)):
            v = v[0] if len(v) == 1 else None
        if v:
            return f"{Path(v).name}: "
    return ""


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("debug"))


def jobs_option(f):
    """--jobs: how many files are read at once."""
    return click.option("--jobs", type=click.IntRange(min=1), metavar="N",
                        help="Jumlah berkas yang dibaca bersamaan (bawaan: jumlah inti prosesor).")(f)


def limit_options(f):
    """--batas-memori and --batas-waktu: the limits each file is read under."""
    f = click.option("--batas-waktu", "seconds", type=click.FloatRange(min=1), default=DEFAULT_SECONDS,
                     metavar="DETIK", show_default=True, help="Batas waktu membaca satu berkas, dalam detik.")(f)
    return click.option("--batas-memori", "memory_mb", type=click.IntRange(min=256), default=DEFAULT_MEMORY_MB,
                        metavar="MB", show_default=True,
                        help="Batas memori tambahan untuk membaca satu berkas, dalam MB.")(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sakip-xl")
@click.option("--debug", is_flag=True, help="Tampilkan rincian teknis bila terjadi galat tak terduga.")
def main(debug: bool) -> None:
    """sakip-xl: buku kerja LKjIP baku, pemeriksaannya, dan tabel Bab III yang
    rumusnya teruji. Bantuan tiap perintah: sakip-xl PERINTAH -h.

    Contoh: sakip-xl check -h
    """


@main.command()
@click.argument("output", metavar="BERKAS", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pemda", metavar="NAMA", help="Pemerintah Daerah, mis. 'Kabupaten Sumenep'.")
@click.option("--perangkat-daerah", metavar="NAMA", help="Perangkat Daerah, mis. 'Kecamatan Kalianget'.")
@click.option("--kode", metavar="KODE", help="Kode Perangkat Daerah.")
@click.option("--tahun", type=int, metavar="TAHUN", help="Tahun Kinerja (tahun yang dilaporkan).")
@click.option("--renstra", metavar="PERIODE", help="Periode Renstra, mis. 2021-2026.")
@click.option("--password", metavar="SANDI", help="Kunci lembar dengan kata sandi ini (bawaan: tanpa kata sandi).")
@click.option("--dari", "previous", metavar="BERKAS", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Isi buku kerja tahun depan dari buku kerja tahun ini yang sudah diisi.")
@click.option("--force", is_flag=True, help="Timpa BERKAS bila sudah ada.")
@library_errors
def template(output, pemda, perangkat_daerah, kode, tahun, renstra, password, previous, force):
    """Tulis buku kerja LKjIP baku untuk diisi di Excel.

    BERKAS adalah berkas .xlsx yang ditulis; lembar Identitas terisi dari
    pilihan di bawah.

    Contoh: sakip-xl template lkjip-2024.xlsx --pemda "Kabupaten Sumenep"
    """
    if previous is not None:
        from .commands.rollover import roll_over

        result = roll_over(previous, output, tahun=tahun, password=password, force=force)
        click.echo(f"Ditulis: {result.output} (tahun {result.tahun}, dari {previous.name}: "
                   f"{result.indicators} indikator, {result.budget_rows} baris anggaran)")
        return
    from .commands.template import write_template

    path = write_template(output, pemda=pemda, perangkat_daerah=perangkat_daerah, kode=kode, tahun=tahun,
                          renstra=renstra, password=password, force=force)
    click.echo(f"Ditulis: {path}")


@main.command()
@click.argument("folder", default="contoh", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Timpa berkas contoh yang sudah ada.")
@library_errors
def contoh(folder, force):
    """Salin buku kerja contoh ke FOLDER (bawaan: contoh).

    Kecamatan Bluto 2020 dan Kecamatan Kalianget 2023, disalin dari laporan
    aslinya lengkap dengan kesalahannya. Coba periksa dengan sakip-xl check.

    Contoh: sakip-xl contoh
    """
    from .files import check_output_folder
    from .resources import write_examples

    for path in write_examples(check_output_folder(folder), force=force):
        click.echo(f"Ditulis: {path}")


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="BERKAS...")
@click.option("--json", "as_json", is_flag=True, help="Tampilkan temuan sebagai JSON.")
@click.option("--info", "show_info", is_flag=True, help="Tampilkan juga temuan info (selalu ikut dihitung).")
@jobs_option
@limit_options
@library_errors
def check(files, as_json, show_info, jobs, memory_mb, seconds):
    """Periksa buku kerja yang sudah diisi, tanpa mengubahnya.

    BERKAS boleh berupa berkas, folder (termasuk subfoldernya) atau pola seperti
    *.xlsx; satu laporan per berkas. Tiap berkas dibaca dalam proses tersendiri
    dengan batas memori dan waktu, jadi satu berkas rusak tidak menghentikan
    yang lain.

    Contoh: sakip-xl check lkjip-2023.xlsx
    """
    from .files import find_inputs
    from .checks.report import UNREADABLE, render_json, render_text
    from .model.workbook import check_files

    paths = find_inputs(files)
    if not paths:
        _fail("tidak ada buku kerja (.xlsx, .xlsm, .xls, .ods) yang ditemukan.", 2)
    reports = check_files(paths, jobs=jobs or os.cpu_count() or 1, limits=Limits(memory_mb, seconds))
    click.echo(render_json(reports) if as_json else render_text(reports, show_info=show_info), nl=False)
    if _debug():
        for r in reports:
            if r.detail:
                click.echo(r.detail, err=True)
    if any(r.status == UNREADABLE for r in reports):
        sys.exit(2)
    sys.exit(1 if any(r.has_errors for r in reports) else 0)


@main.command()
@click.argument("file", metavar="BERKAS", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", metavar="BERKAS", type=click.Path(dir_okay=False, path_type=Path),
              help="Tulis ke berkas ini, bukan menimpa berkas asal (.xls dan .ods selalu menjadi .xlsx baru).")
@click.option("--no-backup", is_flag=True, help="Jangan simpan cadangan berkas yang ditimpa.")
@click.option("--password", metavar="SANDI", help="Kunci lembar dengan kata sandi ini (bawaan: tanpa kata sandi).")
@click.option("--json", "as_json", is_flag=True, help="Tampilkan hasil dan temuan sebagai JSON.")
@library_errors
def recompute(file, output, no_backup, password, as_json):
    """Hitung ulang buku kerja dan tambahkan tabel Bab III.

    Setiap sel turunan ditulis sebagai rumus beserta nilainya, dan lembar
    Pemeriksaan memuat semua masalah. Berkas lama disimpan sebagai cadangan.

    Contoh: sakip-xl recompute lkjip-2023.xlsx -o lkjip-2023-hasil.xlsx
    """
    from .commands.recompute import recompute as run

    result = run(file, output, make_backup=not no_backup, password=password)
    report = result.checked.report
    if as_json:
        click.echo(json.dumps({"output": str(result.output), "backup": str(result.backup) if result.backup else None,
                               **report.to_dict()}, ensure_ascii=False, indent=2))
    else:
        c = report.counts()
        saved = f" (cadangan berkas lama: {result.backup})" if result.backup else ""
        click.echo(f"Ditulis: {result.output}{saved}")
        click.echo(f"{c['galat']} galat, {c['peringatan']} peringatan, {c['info']} info: "
                   "lihat lembar Pemeriksaan, atau sakip-xl check untuk daftarnya.")
    sys.exit(1 if report.has_errors else 0)


@main.command()
@click.argument("file", metavar="BERKAS", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", metavar="BERKAS", type=click.Path(dir_okay=False, path_type=Path),
              help="Dokumen Word yang ditulis (.docx); bawaan: nama BERKAS berakhiran .docx.")
@click.option("--templat-dokumen", "template", metavar="TEMPLAT", type=click.Path(dir_okay=False, path_type=Path),
              help="Templat Word (.docx) milik Pemda berisi isian {{ ... }}; daftar isian di docs/laporan.md.")
@click.option("--pdf", is_flag=True, help="Tulis juga PDF di samping .docx (memerlukan LibreOffice).")
@click.option("--force", is_flag=True, help="Timpa berkas hasil yang sudah ada.")
@library_errors
def laporan(file, output, template, pdf, force):
    """Tulis draf dokumen LKjIP (Word, dan PDF) dari buku kerja yang sudah diisi.

    Angkanya hasil pemeriksaan dan hitung ulang; bila masih ada galat, dokumen
    dibuka dengan halaman Catatan Pemeriksaan dan angka yang bersandar pada
    galat diberi tanda.

    Contoh: sakip-xl laporan lkjip-2023.xlsx -o lkjip-2023.docx --pdf
    """
    from .laporan import write_laporan

    result = write_laporan(file, output, template=template, pdf=pdf, force=force)
    report = result.checked.report
    click.echo(f"Ditulis: {result.output}" + (f" dan {result.pdf}" if result.pdf else ""))
    c = report.counts()
    if report.has_errors:
        click.echo(f"{c['galat']} galat, {c['peringatan']} peringatan: dokumen dibuka dengan halaman Catatan "
                   "Pemeriksaan, dan angka yang bersandar pada galat diberi tanda G.")
    else:
        click.echo(f"Tanpa galat; {c['peringatan']} peringatan (lihat sakip-xl check).")
    sys.exit(1 if report.has_errors else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="BERKAS...")
@click.option("-o", "--output", required=True, metavar="BERKAS", type=click.Path(dir_okay=False, path_type=Path),
              help="Buku kerja rekap yang ditulis (.xlsx).")
@click.option("--tahun", type=int, metavar="TAHUN",
              help="Gabungkan tahun ini saja (bawaan: tahun yang dilaporkan paling banyak berkas).")
@jobs_option
@click.option("--csv", "csv_dir", metavar="FOLDER", type=click.Path(file_okay=False, path_type=Path),
              help="Tulis juga ringkasan.csv, indikator.csv, anggaran.csv dan pemeriksaan.csv ke FOLDER.")
@click.option("--csv-gaya", "csv_style", type=click.Choice(["standar", "excel-id"]), default="standar",
              metavar="GAYA", show_default=True,
              help="standar: pemisah koma, desimal titik, untuk program lain; excel-id: pemisah titik koma, "
                   "desimal koma, untuk Excel berpengaturan Indonesia.")
@click.option("--json", "as_json", is_flag=True, help="Tampilkan ringkasan sebagai JSON.")
@click.option("--quiet", is_flag=True, help="Tanpa bilah kemajuan.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Baca ulang semua berkas: jangan pakai dan jangan tulis cache di samping rekap.")
@click.option("--arsip", "archive", metavar="ARSIP", type=click.Path(dir_okay=False, path_type=Path),
              help="Simpan juga penggabungan ini di arsip DuckDB (.duckdb; dibuat bila belum ada); tahun yang sama "
                   "digabung ulang menggantikan datanya.")
@limit_options
@library_errors
def merge(inputs, output, tahun, jobs, csv_dir, csv_style, as_json, quiet, no_cache, archive, memory_mb, seconds):
    """Gabungkan kiriman semua perangkat daerah menjadi satu rekap.

    BERKAS boleh berupa berkas, folder (termasuk subfoldernya) atau pola seperti
    *.xlsx, dan juga arsip .duckdb kabupaten/kota (penggabungan tingkat provinsi).

    Penggabungan ulang tidak membaca lagi berkas yang isinya tidak berubah: hasil
    bacanya disimpan dalam cache di samping rekap (untuk rekap.xlsx:
    .rekap.xlsx.sakip-cache). Berkas yang gagal dibaca selalu dibaca ulang.

    Contoh: sakip-xl merge kiriman/ -o rekap-2023.xlsx --tahun 2023
    """
    from .files import check_output, check_output_folder, find_inputs
    from .commands.arsip import archive_merge, merge_inputs as run, move_oversized, oversized, scope_of
    from .commands.merge import GAGAL, cache_path
    from .sheets.rekap import write_csv, write_rekap

    paths = find_inputs(inputs)
    check_output(output, "rekap", inputs=paths)
    if archive:
        check_output(archive, "arsip", suffixes=(".duckdb",), inputs=[*paths, output])
    if csv_dir:
        check_output_folder(csv_dir)
    show = not quiet and not as_json and sys.stderr.isatty()
    with _progress(show) as tick:
        result = run(paths, tahun=tahun, jobs=jobs, progress=tick, limits=Limits(memory_mb, seconds),
                     cache=None if no_cache else cache_path(output))
    for note in result.notes:
        click.echo(f"Catatan: {note}", err=True)
    if not result.used:
        _fail("tidak ada buku kerja yang dapat dibaca; rekap tidak ditulis.", 2)
    scope = scope_of(paths)
    stored = archive_merge(archive, result, scope) if archive else None
    moved = move_oversized(result, output, archive, scope, oversized(result))
    for m in moved:
        click.echo(f"Catatan: {m.note}", err=True)
    write_rekap(output, result, omit={m.sheet: m.note for m in moved})
    written = write_csv(csv_dir, result, style=csv_style) if csv_dir else []
    counts = result.counts()
    failed = [e for e in result.entries if e.status == GAGAL]
    left_out = [e for e in result.entries if e.left_out]
    if as_json:
        click.echo(json.dumps({
            "output": str(output), "csv": [str(p) for p in written],
            "arsip": str(archive) if archive else None, "parquet": [str(m.parquet) for m in moved],
            "tahun": result.tahun, "counts": counts,
            "cache": str(result.cache) if result.cache else None, "from_cache": result.from_cache,
            "files": [{"path": e.path, "status": e.status, "used": e.merged,
                       "galat": e.galat, "peringatan": e.peringatan, "note": e.reason or e.note}
                      for e in result.entries],
        }, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Ditulis: {output}" + (f" dan {len(written)} berkas CSV di {csv_dir}" if written else ""))
        click.echo(f"Tahun {result.tahun}: {counts['berkas']} berkas, {counts['dipakai']} digabung "
                   f"({counts['lengkap']} lengkap, {counts['ada galat']} ada galat, "
                   f"{counts['belum diisi']} belum diisi), "
                   f"{counts[GAGAL]} gagal dibaca, "
                   f"{counts['tidak dipakai']} tidak dipakai.")
        if stored is not None:
            click.echo(f"Arsip: {stored.path} (tahun {stored.tahun}, {stored.lingkup}: {stored.offices} perangkat "
                       f"daerah, {stored.indicators} indikator, {stored.budget_rows} baris anggaran)")
        if result.from_cache:
            click.echo(f"{result.from_cache} berkas tidak berubah sejak penggabungan sebelumnya: hasil bacanya "
                       f"diambil dari cache {result.cache}.")
        for e in failed:
            click.echo(f"  gagal dibaca  {e.path}: {e.reason}")
            if e.detail and _debug():
                click.echo(e.detail, err=True)
        for e in left_out:
            click.echo(f"  tidak dipakai {e.path}: {e.note}")
    sys.exit(0 if not failed and all(e.galat == 0 for e in result.used) else 1)


@main.group(cls=_Group)
def arsip() -> None:
    """Arsip DuckDB hasil sakip-xl merge --arsip: tren antartahun dan ekspor Parquet.

    Arsip menyimpan setiap penggabungan per tahun (tabel perangkat_daerah,
    indikator, anggaran, pemeriksaan, berkas); isinya dijelaskan di
    docs/archive.md.

    Contoh: sakip-xl arsip tren arsip.duckdb -o tren.xlsx
    """


@arsip.command("tren")
@click.argument("file", metavar="ARSIP", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, metavar="BERKAS", type=click.Path(dir_okay=False, path_type=Path),
              help="Buku kerja tren yang ditulis (.xlsx).")
@click.option("--dari", type=int, metavar="TAHUN", help="Tahun pertama (bawaan: tahun terawal di arsip).")
@click.option("--sampai", type=int, metavar="TAHUN", help="Tahun terakhir (bawaan: tahun terakhir di arsip).")
@click.option("--force", is_flag=True, help="Timpa BERKAS bila sudah ada.")
@library_errors
def tren(file, output, dari, sampai, force):
    """Tulis buku kerja tren: kinerja tiap perangkat daerah dari tahun ke tahun.

    Per perangkat daerah dan tahun: rata-rata capaian, kategori, pagu,
    realisasi, penyerapan, efisiensi dan jumlah galat, dengan perubahannya dari
    tahun sebelumnya; deret target, realisasi dan capaian tiap kode indikator;
    tanda bagi yang capaian atau penyerapannya turun dua tahun berturut-turut;
    grafik garis. Angkanya hasil mesin pada penggabungan tiap tahun.

    Contoh: sakip-xl arsip tren arsip.duckdb -o tren.xlsx --dari 2022 --sampai 2024
    """
    from .commands.arsip import write_trend
    from .files import check_output

    check_output(output, "buku kerja tren", force=force, inputs=[file])
    result = write_trend(file, output, dari, sampai)
    click.echo(f"Ditulis: {result.path} (tahun {result.years[0]}–{result.years[-1]}, {result.offices} perangkat "
               f"daerah, {result.indicators} baris indikator)")
    for pemda, office, year, what in result.flagged:
        click.echo(f"  turun dua tahun berturut-turut  {office} ({pemda}), {year}: {what}")
    for note in result.notes:
        click.echo(f"Catatan: {note}", err=True)


@arsip.command("ekspor")
@click.argument("file", metavar="ARSIP", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("folder", metavar="FOLDER", type=click.Path(file_okay=False, path_type=Path))
@library_errors
def ekspor(file, folder):
    """Salin setiap tabel arsip ke FOLDER sebagai berkas Parquet (<tabel>.parquet).

    Berkas Parquet dapat dibaca pandas, Polars, R, Power BI dan DuckDB, dengan
    kolom dan tipe yang sama seperti di arsip (docs/archive.md).

    Contoh: sakip-xl arsip ekspor arsip.duckdb parquet/
    """
    from .commands.arsip import export_parquet
    from .files import check_output_folder

    check_output_folder(folder)
    for path in export_parquet(file, folder):
        click.echo(f"Ditulis: {path}")


class _progress:
    """A progress bar on stderr while files are read, or nothing."""

    def __init__(self, show: bool) -> None:
        self.show = show
        self.bar: ProgressBar[int] | None = None

    def __enter__(self):
        def tick(done: int, total: int, path: str) -> None:
            if not self.show:
                return
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="Membaca", file=sys.stderr)
                self.bar.__enter__()
            self.bar.update(1)  # (the bar exists now)

        return tick

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


if __name__ == "__main__":  # pragma: no cover
    main()
