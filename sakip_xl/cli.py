"""The `sakip-xl` command: options in, a library call, results and one-line errors out.

Exit codes: 0 all well, 1 the data has problems (galat), 2 wrong usage or a
file that cannot be read.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .errors import ContractError, SakipError
from .isolate import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Limits


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
        except Exception as e:  # noqa: BLE001: never a traceback for the user
            if _debug():
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


def limit_options(f):
    """--batas-memori and --batas-waktu: the limits each file is read under."""
    f = click.option("--batas-waktu", "seconds", type=click.FloatRange(min=1), default=DEFAULT_SECONDS,
                     show_default=True, help="Batas waktu membaca satu berkas, dalam detik.")(f)
    return click.option("--batas-memori", "memory_mb", type=click.IntRange(min=256), default=DEFAULT_MEMORY_MB,
                        show_default=True, help="Batas memori tambahan untuk membaca satu berkas, dalam MB.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sakip-xl")
@click.option("--debug", is_flag=True, help="Tampilkan traceback bila terjadi galat tak terduga.")
def main(debug: bool) -> None:
    """sakip-xl: the standard LKjIP workbook, its checks and its formula-checked tables."""
    # A workbook in memory is hundreds of thousands of small objects with few
    # reference cycles; the default collector rescans them all again and again
    # (15% of a large recompute). Collect the young generation less often.
    gc.set_threshold(100_000, 50, 100)


@main.command()
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pemda", help="Pemerintah Daerah, e.g. 'Kabupaten Sumenep'.")
@click.option("--perangkat-daerah", help="Perangkat Daerah, e.g. 'Kecamatan Kalianget'.")
@click.option("--kode", help="Kode Perangkat Daerah.")
@click.option("--tahun", type=int, help="Tahun Kinerja (the year reported).")
@click.option("--renstra", help="Periode Renstra, YYYY-YYYY.")
@click.option("--password", help="Protect the sheets with this password (default: no password).")
@click.option("--dari", "previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Pre-fill next year's workbook from this year's filled workbook.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@library_errors
def template(output, pemda, perangkat_daerah, kode, tahun, renstra, password, previous, force):
    """Write the standard LKjIP workbook staff fill in Excel.

    Example: sakip-xl template lkjip-2024.xlsx --pemda "Kabupaten Sumenep" --tahun 2024
    """
    if previous is not None:
        from .rollover import roll_over

        result = roll_over(previous, output, tahun=tahun, password=password, force=force)
        click.echo(f"Ditulis: {result.output} (tahun {result.tahun}, dari {previous.name}: "
                   f"{result.indicators} indikator, {result.budget_rows} baris anggaran)")
        return
    from .template import write_template

    path = write_template(output, pemda=pemda, perangkat_daerah=perangkat_daerah, kode=kode, tahun=tahun,
                          renstra=renstra, password=password, force=force)
    click.echo(f"Ditulis: {path}")


@main.command()
@click.argument("folder", default="contoh", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Timpa berkas contoh yang sudah ada.")
@library_errors
def contoh(folder, force):
    """Salin buku kerja contoh (Kecamatan Bluto 2020, Kecamatan Kalianget 2023,
    disalin dari laporan aslinya, lengkap dengan kesalahannya) ke FOLDER.

    Example: sakip-xl contoh && sakip-xl check contoh/kalianget-2023.xlsx
    """
    from .files import check_output_folder
    from .resources import write_examples

    for path in write_examples(check_output_folder(folder), force=force):
        click.echo(f"Ditulis: {path}")


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--info", "show_info", is_flag=True, help="Also list info findings (counted in any case).")
@click.option("--jobs", type=click.IntRange(min=1), help="Files read in parallel (default: number of cores).")
@limit_options
@library_errors
def check(files, as_json, show_info, jobs, memory_mb, seconds):
    """Check filled workbooks without changing them.

    FILES are files, folders (searched recursively) and glob patterns; one
    report per file. Several files are each read in a separate process with a
    memory and a time limit, so one bad file never stops the others.

    Example: sakip-xl check lkjip-2023.xlsx
    """
    from .files import find_inputs
    from .report import UNREADABLE, render_json, render_text
    from .workbook import check_files

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
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of in place (.xls and .ods become a new .xlsx beside them).")
@click.option("--no-backup", is_flag=True, help="Do not keep a copy of the file being replaced.")
@click.option("--password", help="Protect the sheets with this password (default: no password).")
@click.option("--json", "as_json", is_flag=True, help="Print the result and findings as JSON.")
@library_errors
def recompute(file, output, no_backup, password, as_json):
    """Check a workbook, recompute every derived cell as a formula with its value,
    and add the chapter-III tables and the Pemeriksaan sheet.

    Example: sakip-xl recompute lkjip-2023.xlsx -o lkjip-2023-hasil.xlsx
    """
    from .workbook import recompute as run

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
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The rekap workbook to write (.xlsx).")
@click.option("--tahun", type=int, help="Merge this year only (default: the year most files report).")
@click.option("--jobs", type=click.IntRange(min=1), help="Files read in parallel (default: number of cores).")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write ringkasan.csv, indikator.csv, anggaran.csv, pemeriksaan.csv here.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@limit_options
@library_errors
def merge(inputs, output, tahun, jobs, csv_dir, as_json, quiet, memory_mb, seconds):
    """Merge the returned workbooks of many offices into one rekap.

    INPUTS are files, folders (searched recursively) and glob patterns.

    Example: sakip-xl merge kiriman/ -o rekap-2023.xlsx --tahun 2023
    """
    from .files import check_output, check_output_folder, find_inputs
    from .merge import GAGAL, merge as run
    from .rekap import write_csv, write_rekap

    paths = find_inputs(inputs)
    check_output(output, "rekap", inputs=paths)
    if csv_dir:
        check_output_folder(csv_dir)
    show = not quiet and not as_json and sys.stderr.isatty()
    with _progress(show) as tick:
        result = run(paths, tahun=tahun, jobs=jobs, progress=tick, limits=Limits(memory_mb, seconds))
    if not result.used:
        _fail("tidak ada buku kerja yang dapat dibaca; rekap tidak ditulis.", 2)
    write_rekap(output, result)
    written = write_csv(csv_dir, result) if csv_dir else []
    counts = result.counts()
    failed = [e for e in result.entries if e.status == GAGAL]
    left_out = [e for e in result.entries if e.left_out]
    if as_json:
        click.echo(json.dumps({
            "output": str(output), "csv": [str(p) for p in written], "tahun": result.tahun, "counts": counts,
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
        for e in failed:
            click.echo(f"  gagal dibaca  {e.path}: {e.reason}")
            if e.detail and _debug():
                click.echo(e.detail, err=True)
        for e in left_out:
            click.echo(f"  tidak dipakai {e.path}: {e.note}")
    sys.exit(0 if not failed and all(e.galat == 0 for e in result.used) else 1)


class _progress:
    """A progress bar on stderr while files are read, or nothing."""

    def __init__(self, show: bool) -> None:
        self.show = show
        self.bar = None

    def __enter__(self):
        def tick(done: int, total: int, path: str) -> None:
            if not self.show:
                return
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="Membaca", file=sys.stderr)
                self.bar.__enter__()
            self.bar.update(1)

        return tick

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


if __name__ == "__main__":  # pragma: no cover
    main()
