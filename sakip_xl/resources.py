"""The data files shipped inside the package, found through importlib.resources.

They are read as `Traversable`s (never turned into file-system paths), so the
package works the same installed from a wheel, an sdist or in editable mode.
"""

from __future__ import annotations

from functools import cache, partial
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import tomli

from .errors import UsageError, WriteError
from .files import atomic_write


def template_file(name: str) -> Traversable:
    """A file of `workbook_templates/`: contract.toml, petunjuk.toml, lkjip-standar.xlsx."""
    return files(__package__).joinpath("workbook_templates", name)


def template_toml(name: str) -> dict:
    """A TOML file of `workbook_templates/`, parsed. (tomli, the standard library's
    `tomllib` compiled, reads the contract in 3 ms instead of 9: every command starts so.)"""
    return tomli.loads(template_file(name).read_text(encoding="utf-8"))


@cache
def petunjuk_text() -> dict:
    """The Petunjuk sheet's text and each sheet's hint line (petunjuk.toml)."""
    return template_toml("petunjuk.toml")


def example_workbooks() -> list[Traversable]:
    """The bundled example workbooks, transcribed from two real LKjIP reports."""
    folder = files(__package__).joinpath("examples")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".xlsx")), key=lambda f: f.name)


def write_examples(folder: str | Path, force: bool = False) -> list[Path]:
    """Copy the bundled example workbooks into `folder` (created if needed), so a
    user who installed the package has something real to try the commands on."""
    folder = Path(folder)
    sources = example_workbooks()
    targets = [folder / f.name for f in sources]
    existing = [t.name for t in targets if t.exists()]
    if existing and not force:
        raise UsageError(f"{', '.join(existing)} sudah ada di {folder}. Pakai folder lain, atau --force untuk "
                         "menimpanya.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WriteError(f"{folder}: folder tidak dapat dibuat ({e.strerror}).") from e
    for source, target in zip(sources, targets):
        atomic_write(target, partial(_copy_bytes, source))
    return targets


def _copy_bytes(source: Traversable, tmp: Path) -> None:
    tmp.write_bytes(source.read_bytes())
