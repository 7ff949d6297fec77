"""Reading numbers as Indonesian offices write them in LKjIP workbooks.

`.` groups thousands and `,` marks decimals (`2.910.082.603,00`, `99,92 %`),
mixed with the English style (`1,393,000`), units inside the cell (`17 Desa`,
`Rp. 2.716.210.184,00`) and markers for "no value" (`-`, `Belum ada
penilaian`), which are never zero. A reading says what it found; where a text
allows two numbers it returns both and picks none. A number no spreadsheet
can compute with (inf, NaN, or digits beyond the largest double, ~1.8E+308)
is never a value: it reads as broken, detail "batas".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from numbers import Real
from typing import Collection, Literal

from ..rules.sakip import NO_VALUE_MARKERS, PERCENT_UNITS, RANGE_SEPARATORS

Kind = Literal["angka", "rentang", "predikat", "kosong", "teks", "ambigu", "rusak"]


@dataclass(frozen=True)
class Reading:
    """What one cell holds: a number, a range, a grade, nothing, or a problem."""

    kind: Kind
    value: float | None = None  # kind "angka"
    low: float | None = None  # kind "rentang"
    high: float | None = None  # kind "rentang"
    grade: str | None = None  # kind "predikat": as written, stripped
    unit: str | None = None  # unit text found in the cell, e.g. "%", "Desa"
    readings: tuple[float, ...] = ()  # "ambigu": both candidates; "rusak": candidates if any
    style: str | None = None  # "id": `.` groups, `,` decimal; "en": `,` groups
    detail: str | None = None  # short hint: "spasi", "pemisah", "ribuan", "rentang", "satuan", "batas"


KOSONG = Reading("kosong")  # no value: empty, "-", "n/a", ...
_ANGKA = Reading("angka")  # the fields of a number's reading but its value
_TEKS = Reading("teks")
_BEYOND = Reading("rusak", detail="batas")  # inf, NaN or a number beyond the largest double
# Digits are ASCII only: float() would accept other scripts' digits, int() not all of them.
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_CURRENCY_TAIL = re.compile(r"\s*[.,]-$")  # `2.752.010.113,-`
_PARENS = re.compile(r"^\((.*)\)$")  # accounting negative `(1.000)`
_SIGN = re.compile(r"^[+-](?=[0-9])")
_NUMBER = re.compile(r"[0-9][0-9., ]*")  # the leading numeric part, maybe with stray spaces
_DIGIT = re.compile(r"[0-9]")
_SEP = "|".join(re.escape(s) for s in RANGE_SEPARATORS)
_BOUND = r"([0-9]+(?:[.,][0-9]+)?)"
_RANGE = re.compile(rf"^{_BOUND}\s*(?:{_SEP})\s*{_BOUND}$", re.IGNORECASE)
# A separator next to a number or an end of the text: an attempt at a range
# (`80-`, `- 90`, `80 - 90 %`), unlike the hyphen inside `Orang-hari`.
_RANGE_HINT = re.compile(rf"(?:^|[0-9])\s*(?:{_SEP})|(?:{_SEP})\s*(?:[0-9]|$)", re.IGNORECASE)


def _clean(text: str) -> str:
    """Whitespace of any kind (non-breaking spaces too) as single spaces, stripped."""
    return re.sub(r"\s+", " ", text).strip()


def _strip_currency(text: str) -> str:
    """The text without a leading `Rp`/`Rp.`/`IDR` and a trailing `,-`/`.-`."""
    return _CURRENCY_TAIL.sub("", _CURRENCY.sub("", text)).strip()


def _grouped(groups: list[str]) -> bool:
    """Whether digit groups are thousands grouping: 1-3 digits (no leading 0), then 3s."""
    head = groups[0]
    return len(head) <= 3 and head[0] != "0" and all(len(g) == 3 for g in groups[1:])


def _interpret(num: str, money: bool) -> Reading:
    """Reading of an unsigned numeric part without spaces: digits, `.` and `,`."""
    groups = re.split(r"[.,]", num)
    if "" in groups:  # `17.`, `1..000`: a separator with no digits on one side
        return Reading("rusak", detail="pemisah")
    marks = _DIGIT.sub("", num)
    if not marks:
        return Reading("angka", value=float(num))
    last = marks[-1]
    if len(set(marks)) == 2:  # both marks: the last one is the decimal mark
        head, frac = num.rsplit(last, 1)
        other = "." if last == "," else ","
        if last in head or not _grouped(head.split(other)):
            return Reading("rusak", detail="pemisah")
        whole = head.replace(other, "")
        decimal = float(f"{whole}.{frac}")
        if len(frac) == 3:  # `4.186,950`: a decimal, or the `,` typed for a `.`
            return Reading("ambigu", readings=(decimal, float(whole + frac)), detail="ribuan")
        return Reading("angka", value=decimal, style="id" if last == "," else "en")
    style = "id" if last == "." else "en"  # style when the mark groups thousands
    if len(marks) > 1:
        if _grouped(groups):
            return Reading("angka", value=float("".join(groups)), style=style)
        return Reading("rusak", detail="pemisah")
    thousands = float("".join(groups))
    decimal = float(".".join(groups))
    if _grouped(groups):  # `1.393`, `8,659`: thousands or three decimals
        if money:  # rupiah have no fractions of three digits
            return Reading("angka", value=thousands, style=style)
        return Reading("ambigu", readings=(thousands, decimal), detail="ribuan")
    return Reading("angka", value=decimal, style="id" if last == "," else None)


def _candidates(reading: Reading) -> tuple[float, ...]:
    """The numbers a reading allows."""
    if reading.kind == "angka" and reading.value is not None:
        return (reading.value,)
    return reading.readings if reading.kind == "ambigu" else ()


def _read_text(text: str, money: bool) -> Reading:
    """read_number for a cleaned text."""
    if text.lower() in NO_VALUE_MARKERS:
        return KOSONG
    text = _strip_currency(text)
    if text.lower() in NO_VALUE_MARKERS:  # `Rp. -`
        return KOSONG
    negative = False
    if paren := _PARENS.match(text):
        negative, text = True, _strip_currency(paren.group(1))
    elif _SIGN.match(text):
        negative, text = text[0] == "-", text[1:]
    match = _NUMBER.match(text)
    if not match:
        return _TEKS
    num = match.group().rstrip()
    unit = text[match.end() :].strip() or None
    if unit and _DIGIT.search(unit):
        return Reading("teks", detail="satuan")
    if " " in num:  # `87.1 5`: never a number, but say what it could be
        before = num.split(" ")[0].rstrip(".,")
        joined = _interpret(num.replace(" ", ""), money)
        found = _candidates(joined) + _candidates(_interpret(before, money))
        reading = Reading("rusak", readings=tuple(dict.fromkeys(found)), detail="spasi")
    else:
        reading = _interpret(num, money)
    sign = -1.0 if negative else 1.0
    return replace(
        reading,
        value=None if reading.value is None else sign * reading.value,
        readings=tuple(sign * r for r in reading.readings),
        unit=unit,
    )


def _number(value: float) -> Reading:
    """`Reading("angka", value=value)`, made about three times faster: a frozen
    dataclass's `__init__` sets each of its nine fields by a separate checked call,
    this sets them at once (a workbook has thousands of number cells)."""
    reading = object.__new__(Reading)
    reading.__dict__.update(_ANGKA.__dict__, value=value)
    return reading


def _finite(reading: Reading) -> Reading:
    """The reading, or `_BEYOND` when any number it holds is inf or NaN."""
    numbers = (reading.value, reading.low, reading.high, *reading.readings)
    if all(x is None or math.isfinite(x) for x in numbers):
        return reading
    return replace(_BEYOND, unit=reading.unit)


def read_number(raw: object, money: bool = False) -> Reading:
    """One cell value as a number. `money`: the column holds rupiah (Pagu,
    Realisasi Anggaran), so `1.393` is 1393, not a decimal with three places."""
    if type(raw) is float and math.isfinite(raw):  # most cells: no ABC check, no `replace`
        return _number(raw)
    if raw is None:
        return KOSONG
    if isinstance(raw, bool):
        return _TEKS
    if isinstance(raw, Real):
        try:
            return _finite(Reading("angka", value=float(raw)))
        except OverflowError:  # an int of more than 308 digits
            return _BEYOND
    if not isinstance(raw, str):
        return _TEKS
    return _finite(_read_text(_clean(raw), money))


def _bound(text: str) -> float | None:
    """A range bound, its `,` or `.` a decimal mark; None when 3 digits follow it."""
    parts = re.split(r"[.,]", text)
    return None if len(parts) == 2 and len(parts[1]) == 3 else float(".".join(parts))


def _read_range(text: str) -> Reading | None:
    """The range a cleaned text holds or attempts; None when it is no range."""
    if match := _RANGE.match(text):
        low, high = _bound(match.group(1)), _bound(match.group(2))
        if low is None or high is None:  # `1.000 - 2.000`
            return Reading("ambigu", detail="rentang")
        return Reading("rentang", low=low, high=high)
    body = _SIGN.sub("", _CURRENCY_TAIL.sub("", text))  # `-5` and `1.000,-` are no ranges
    if _DIGIT.search(body) and _RANGE_HINT.search(body):
        return Reading("rusak", detail="rentang")
    return None


def _read_goal(raw: object, grades: Collection[str], ranges: bool) -> Reading:
    """A target or realisasi cell: a number, a grade of `grades`, or (if `ranges`) a range."""
    if not isinstance(raw, str):
        return read_number(raw)
    text = _clean(raw)
    if text.lower() in NO_VALUE_MARKERS:
        return KOSONG
    known = {g.strip().casefold() for g in grades}
    if text.casefold() in known:
        return Reading("predikat", grade=text)
    first, _, unit = text.partition(" ")
    if first.casefold() in known and unit and not _DIGIT.search(unit):  # `BB Nilai`
        return Reading("predikat", grade=first, unit=unit)
    if (span := _read_range(text)) is not None:
        return span if ranges else Reading("rusak", detail="rentang")
    return _read_text(text, money=False)


def read_target(raw: object, grades: Collection[str] = ()) -> Reading:
    """A target: a number, a range `80 - 90` (PermenPANRB 8/2021) or a letter grade."""
    return _finite(_read_goal(raw, grades, ranges=True))


def read_realisasi(raw: object, grades: Collection[str] = ()) -> Reading:
    """A realisasi: a number or a letter grade; a range is never an achieved value."""
    return _finite(_read_goal(raw, grades, ranges=False))


def _unit_words(unit: str | None) -> str:
    """A unit normalized for comparison; every spelling of percent becomes `%`."""
    text = re.sub(r"\s*/\s*", "/", _clean(unit or "").casefold()).rstrip(".")
    words = text.replace("(", " ").replace(")", " ").split()  # `Persen (%)`
    return " ".join("%" if w in PERCENT_UNITS else w for w in words)


def same_unit(found: str | None, satuan: str | None) -> bool:
    """Whether the unit written in a cell agrees with the indicator's Satuan:
    equal, both percent, or one whole words of the other (`Desa`, `Jumlah Desa`)."""
    a, b = _unit_words(found), _unit_words(satuan)
    if not a or not b:
        return True
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


__all__ = ["Kind", "Reading", "read_number", "read_realisasi", "read_target", "same_unit"]
