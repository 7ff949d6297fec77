"""The workbook contract v1, loaded from `sakip_xl/workbook_templates/contract.toml`.

The contract names every sheet, table, column and Identitas field of the
standard LKjIP workbook, with its type, whether it is required, its allowed
values and, for derived columns, the rule and parameters of its formula.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from functools import cache

from ..resources import template_toml

INPUT_TYPES = frozenset(
    {"teks", "kode", "pilihan", "tahun", "periode", "target", "realisasi", "angka", "rupiah"}
)
DERIVED = "turunan"
#: Input types whose cells hold numbers (possibly typed as text).
NUMERIC_TYPES = frozenset({"target", "realisasi", "angka", "rupiah"})


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str
    required: bool = False  # the header must be present
    value_required: bool = False  # every data row must have a value
    unique: bool = False
    choices: tuple[str, ...] = ()
    choices_from: str | None = None
    default: str | None = None
    references: str | None = None  # "table.column" whose values this column must take
    rule: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    hidden: bool = False
    width: float = 12
    wrap: bool = False
    number_format: str | None = None
    year_offset: int | None = None
    help: str = ""
    description: str = ""

    @property
    def derived(self) -> bool:
        return self.type == DERIVED

    @property
    def param(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True)
class ColumnPattern:
    """A family of optional columns, e.g. `Target Renstra {tahun}`."""

    key: str
    label: str
    type: str
    width: float = 12
    help: str = ""
    description: str = ""

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(
            "^" + re.escape(normalize_label(self.label)).replace(r"\{tahun\}", r"(\d{4})") + "$"
        )


@dataclass(frozen=True)
class Table:
    key: str
    sheet: str  # sheet key
    description: str
    columns: tuple[Column, ...]
    patterns: tuple[ColumnPattern, ...] = ()
    first_column: int = 1  # 1-based column of the first column in the generated workbook

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.key}.{key}")

    @property
    def inputs(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.derived)

    @property
    def derived(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.derived)


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    title: str
    description: str
    tables: tuple[Table, ...]
    capacity: str | None = None


@dataclass(frozen=True)
class IdentityField:
    key: str
    label: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    choices_from: str | None = None
    default: str | None = None
    generated: bool = False
    help: str = ""
    description: str = ""


@dataclass(frozen=True)
class Contract:
    version: str
    template_version: str
    header_row: int
    first_data_row: int
    capacities: dict[str, int]
    identity_sheet: str
    identity_title: str
    identity_description: str
    fields: tuple[IdentityField, ...]
    sheets: tuple[Sheet, ...]
    _tables: dict[str, Table] = field(default_factory=dict, repr=False)

    def table(self, key: str) -> Table:
        """A table by key: `iku`, `pk`, `realisasi`, `anggaran`, `kategori`, `predikat`."""
        return self._tables[key]

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(self._tables.values())

    def sheet(self, key: str) -> Sheet:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)

    def field(self, key: str) -> IdentityField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def capacity(self, sheet: Sheet) -> int:
        return self.capacities[sheet.capacity] if sheet.capacity else self.capacities["scale_rows"]


@functools.lru_cache(maxsize=4096, typed=True)  # the same labels come back on every row and file
def normalize_label(text: object) -> str:
    """A header or label as matched: case-folded, spaces collapsed, year suffix removed.

    `Realisasi N-1 (2022)` and `realisasi  n-1` both give `realisasi n-1`.
    """
    s = " ".join(str(text).replace("\n", " ").split()).casefold()
    return _YEAR_SUFFIX.sub("", s).strip()


_YEAR_SUFFIX = re.compile(r"\s*\((?:tahun\s*)?\d{4}\)$")
_YEAR_IN_LABEL = re.compile(r"\((?:tahun\s*)?(\d{4})\)\s*$", re.I)


def label_year(text: object) -> int | None:
    """The year a header carries after its label, e.g. 2022 in `Realisasi N-1 (2022)`."""
    m = _YEAR_IN_LABEL.search(str(text))
    return int(m.group(1)) if m else None


def _column(d: dict) -> Column:
    d = dict(d)
    required = d.get("required", False)
    return Column(
        key=d["key"],
        label=d["label"],
        type=d["type"],
        required=required,
        value_required=d.get("value_required", required),
        unique=d.get("unique", False),
        choices=tuple(d.get("choices", ())),
        choices_from=d.get("choices_from"),
        default=d.get("default"),
        references=d.get("references"),
        rule=d.get("rule"),
        params=tuple(sorted(d.get("params", {}).items())),
        hidden=d.get("hidden", False),
        width=d.get("width", 12),
        wrap=d.get("wrap", False),
        number_format=d.get("number_format"),
        year_offset=d.get("year_offset"),
        help=d.get("help", ""),
        description=d.get("description", ""),
    )


def _pattern(d: dict) -> ColumnPattern:
    return ColumnPattern(
        key=d["key"],
        label=d["label"],
        type=d["type"],
        width=d.get("width", 12),
        help=d.get("help", ""),
        description=d.get("description", ""),
    )


def parse_contract(data: dict) -> Contract:
    c = data["contract"]
    sheets: list[Sheet] = []
    tables: dict[str, Table] = {}
    for s in data["sheets"]:
        if "tables" in s:
            tdefs = s["tables"]
        else:
            tdefs = [{"key": s["key"], "description": s["description"], "columns": s["columns"]}]
        ts = []
        for t in tdefs:
            table = Table(
                key=t["key"],
                sheet=s["key"],
                description=t.get("description", ""),
                columns=tuple(_column(col) for col in t["columns"]),
                patterns=tuple(_pattern(p) for p in s.get("column_patterns", ())),
                first_column=t.get("first_column", 1),
            )
            ts.append(table)
            tables[table.key] = table
        sheets.append(
            Sheet(
                key=s["key"],
                name=s["name"],
                title=s["title"],
                description=s["description"],
                tables=tuple(ts),
                capacity=s.get("capacity"),
            )
        )
    ident = data["identity"]
    contract = Contract(
        version=str(c["version"]),
        template_version=str(c["template_version"]),
        header_row=c["header_row"],
        first_data_row=c["first_data_row"],
        capacities={k: c[k] for k in ("indicator_rows", "budget_rows", "scale_rows")},
        identity_sheet=ident["sheet"],
        identity_title=ident["title"],
        identity_description=ident["description"],
        fields=tuple(
            IdentityField(
                key=f["key"],
                label=f["label"],
                type=f["type"],
                required=f.get("required", False),
                choices=tuple(f.get("choices", ())),
                choices_from=f.get("choices_from"),
                default=f.get("default"),
                generated=f.get("generated", False),
                help=f.get("help", ""),
                description=f.get("description", ""),
            )
            for f in ident["fields"]
        ),
        sheets=tuple(sheets),
        _tables=tables,
    )
    _validate(contract)
    return contract


def _validate(contract: Contract) -> None:
    """Fail early on a contract file that contradicts itself."""
    problems = []
    for t in contract.tables:
        keys = [c.key for c in t.columns]
        labels = [normalize_label(c.label) for c in t.columns]
        if len(set(keys)) != len(keys):
            problems.append(f"{t.key}: duplicate column keys")
        if len(set(labels)) != len(labels):
            problems.append(f"{t.key}: duplicate labels")
        for col in t.columns:
            if col.type not in INPUT_TYPES and col.type != DERIVED:
                problems.append(f"{t.key}.{col.key}: unknown type {col.type}")
            if col.derived and not col.rule:
                problems.append(f"{t.key}.{col.key}: derived column without rule")
            if col.type == "pilihan" and not (col.choices or col.choices_from):
                problems.append(f"{t.key}.{col.key}: pilihan without choices")
            if len(col.help) > 255:
                problems.append(f"{t.key}.{col.key}: help longer than 255 characters")
            if col.references:
                rt, rc = col.references.split(".")
                if rt not in contract._tables or rc not in [x.key for x in contract._tables[rt].columns]:
                    problems.append(f"{t.key}.{col.key}: bad reference {col.references}")
    for f in contract.fields:
        if len(f.help) > 255:
            problems.append(f"Identitas.{f.key}: help longer than 255 characters")
    if problems:
        raise ValueError("contract.toml is inconsistent: " + "; ".join(problems))


@cache
def load_contract() -> Contract:
    """The contract shipped with this package."""
    return parse_contract(template_toml("contract.toml"))
