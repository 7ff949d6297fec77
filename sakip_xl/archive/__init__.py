"""The archive: merges kept year after year in an embedded DuckDB database.

`schema` holds the tables (DDL), the schema version and its migrations; `store`
writes a merge into an archive all or nothing (a copy renamed into place) and reads an archive back as
merge entries (a province merging its kabupaten's archives); `trend` writes the
workbook of the offices' course over the years; `export` copies the tables to
Parquet. duckdb is imported only here, and only when an archive is used.
"""
