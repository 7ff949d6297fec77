"""The archive's tables as Parquet files (DuckDB writes them; no pyarrow needed)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import WriteError
from .schema import TABLES
from .store import _first_line, connect


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(archive: str | Path, folder: str | Path, tables: Sequence[str] = TABLES) -> list[Path]:
    """Every table of `archive` as `folder/<table>.parquet` (each written to a temporary
    name and renamed into place); the paths written."""
    archive, folder = Path(archive), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    conn = connect(archive)
    written = []
    try:
        for table in tables:
            written.append(_copy(conn, table, folder / f"{table}.parquet"))
    finally:
        conn.close()
    return written


def export_query(archive: str | Path, sql: str, target: Path, frames: dict[str, object] | None = None) -> Path:
    """The rows of one query of `archive` (literals only: COPY takes no parameters; the
    `frames`, pandas DataFrames, are registered under their names) as Parquet `target`."""
    conn = connect(archive)
    try:
        for name, frame in (frames or {}).items():
            conn.register(name, frame)
        return _copy(conn, f"({sql})", target)
    finally:
        conn.close()


def _copy(conn: Any, source: str, target: Path) -> Path:
    """COPY a table or a parenthesised query to Parquet `target`, through a temporary name."""
    import duckdb

    tmp = target.with_name(f".{target.name}.sakip-tmp")
    try:
        conn.execute(f"COPY {source} TO {_quoted(tmp)} (FORMAT PARQUET)")
        os.replace(tmp, target)
    except (duckdb.Error, OSError) as e:
        tmp.unlink(missing_ok=True)
        why = _first_line(e) if isinstance(e, duckdb.Error) else e.strerror
        raise WriteError(f"{target}: tidak dapat ditulis ({why}).") from e
    return target
