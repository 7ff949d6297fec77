"""Reading numbers as Indonesian offices write them (sakip_xl.read.numbers).

Expected values are worked out by hand; many texts are copied from the seed
reports in /work/shared/seeds.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sakip_xl.read.numbers import Reading, read_number, read_realisasi, read_target, same_unit

GRADES = {"AA", "A", "BB", "B", "CC", "C", "D", "WTP"}


# ---------------------------------------------------------------- read_number: plain numbers


@pytest.mark.parametrize(
    ("raw", "money", "value", "style"),
    [
        ("2.910.082.603,00", False, 2910082603.0, "id"),
        ("Rp. 2.716.210.184,00", True, 2716210184.0, "id"),
        ("Rp. 2.752.010.113,-", True, 2752010113.0, "id"),  # `,-` closes a rupiah amount
        ("Rp2.000", True, 2000.0, "id"),
        ("IDR 1.500.000", True, 1500000.0, "id"),
        ("rp 1.500.000", True, 1500000.0, "id"),
        ("(Rp. 1.000,-)", True, -1000.0, "id"),
        ("1,393,000", False, 1393000.0, "en"),
        ("1,393,000.50", False, 1393000.5, "en"),  # `.` last: decimal mark
        ("1.393.000", False, 1393000.0, "id"),
        ("14.671.200", False, 14671200.0, "id"),  # seed 002: rupiah in an index column
        ("36,800", True, 36800.0, "en"),  # money: one comma + 3 digits is thousands
        ("1.393", True, 1393.0, "id"),
        ("87.15", False, 87.15, None),  # 2 digits after the dot: a decimal
        ("0.125", False, 0.125, None),  # leading 0: never thousands
        ("1234.5", False, 1234.5, None),
        ("98,78", False, 98.78, "id"),
        ("0,5", False, 0.5, "id"),
        ("1234,5", False, 1234.5, "id"),
        ("1.000,5", False, 1000.5, "id"),
        ("100", False, 100.0, None),
        ("-5", False, -5.0, None),
        ("+5", False, 5.0, None),
        ("(1.000)", True, -1000.0, "id"),  # accounting negative
        ("Rp (1.000)", True, -1000.0, "id"),
        ("  1.000\xa0", True, 1000.0, "id"),  # non-breaking spaces around
    ],
)
def test_numbers(raw: str, money: bool, value: float, style: str | None) -> None:
    r = read_number(raw, money=money)
    assert r == Reading("angka", value=value, style=style)


@pytest.mark.parametrize(
    ("raw", "value", "unit", "style"),
    [
        ("99,92 %", 99.92, "%", "id"),  # percent points stay points
        ("99,92%", 99.92, "%", "id"),
        ("100 persen", 100.0, "persen", None),
        ("17 Desa", 17.0, "Desa", None),
        ("81 Nilai", 81.0, "Nilai", None),
        ("4 Laporan", 4.0, "Laporan", None),
        ("6 Dokumen", 6.0, "Dokumen", None),
        ("72 Orang/bulan", 72.0, "Orang/bulan", None),
        ("17 Orang-hari", 17.0, "Orang-hari", None),
        ("17\xa0Desa", 17.0, "Desa", None),
        ("-2,5 %", -2.5, "%", "id"),
    ],
)
def test_units(raw: str, value: float, unit: str, style: str | None) -> None:
    assert read_number(raw) == Reading("angka", value=value, unit=unit, style=style)


@pytest.mark.parametrize(
    "raw",
    [
        *("-", "", "   ", "\xa0", "n/a", "N/A", "–", "Rp. -", "Rp ,-", None),
        *("Belum ada penilaian", "belum  ada penilaian"),
    ],
)
def test_no_value_is_kosong_not_zero(raw: object) -> None:
    assert read_number(raw) == Reading("kosong")
    assert read_number(raw, money=True).kind == "kosong"


@pytest.mark.parametrize(
    ("raw", "value"),
    [(82, 82.0), (0, 0.0), (-3, -3.0), (87.15, 87.15), (2910082603.0, 2910082603.0)],
)
def test_spreadsheet_numbers(raw: object, value: float) -> None:
    r = read_number(raw)
    assert r == Reading("angka", value=value)
    assert isinstance(r.value, float)


@pytest.mark.parametrize("raw", [math.nan, math.inf, -math.inf, 10**400, "1" * 401, "Rp. " + "9" * 400])
def test_numbers_no_spreadsheet_computes_are_broken_never_blank(raw: object) -> None:
    """NaN and inf (a file can hold them, Excel cannot) and numbers past ~1.8E+308 are no value to compute with."""
    assert read_number(raw) == Reading("rusak", detail="batas")


def test_range_with_a_bound_beyond_the_largest_double_is_broken() -> None:
    assert read_target("80 - " + "9" * 400) == Reading("rusak", detail="batas")


@pytest.mark.parametrize("raw", [True, False, object(), b"12"])
def test_bool_and_other_objects_are_teks(raw: object) -> None:
    assert read_number(raw).kind == "teks"


@pytest.mark.parametrize("raw", ["Laporan", "BB", "Dokumen SKM", ",5", "- 5", "Rp abc", "(-5)"])
def test_text_without_leading_number_is_teks(raw: str) -> None:
    assert read_number(raw) == Reading("teks")


def test_currency_alone_is_kosong() -> None:
    assert read_number("Rp", money=True) == Reading("kosong")


@pytest.mark.parametrize("raw", ["17 m2", "2023-01-01", "1/2", "80 - 90"])
def test_unit_with_digits_is_teks(raw: str) -> None:
    assert read_number(raw) == Reading("teks", detail="satuan")


# ---------------------------------------------------------------- read_number: ambiguous


@pytest.mark.parametrize(
    ("raw", "readings"),
    [
        ("1.393", (1393.0, 1.393)),  # thousands reading first
        ("4.800", (4800.0, 4.8)),
        ("1,393", (1393.0, 1.393)),
        ("8,659", (8659.0, 8.659)),
        ("(1.000)", (-1000.0, -1.0)),
    ],
)
def test_single_separator_with_three_digits_is_ambiguous_outside_money(
    raw: str, readings: tuple[float, ...]
) -> None:
    assert read_number(raw) == Reading("ambigu", readings=readings, detail="ribuan")


@pytest.mark.parametrize("money", [False, True])
def test_mixed_separators_with_three_decimals_are_ambiguous_even_for_money(money: bool) -> None:
    # seed 002 prints pagu `4.186,950` next to `4.176.000`: it meant 4.186.950
    r = read_number("4.186,950", money=money)
    assert r == Reading("ambigu", readings=(4186.95, 4186950.0), detail="ribuan")
    assert read_number("4,186.950", money=money).readings == (4186.95, 4186950.0)


def test_ambiguous_keeps_unit() -> None:
    assert read_number("1,393 %").unit == "%"


# ---------------------------------------------------------------- read_number: broken


@pytest.mark.parametrize(
    ("raw", "readings", "unit"),
    [
        ("87.1 5", (87.15, 87.1), None),  # seed 002, Nilai SKM target
        ("87.3 0", (87.3,), None),  # both readings are 87.3: listed once
        ("52, 61", (52.61, 52.0), None),  # `52,` before the space read as 52
        ("87.1 5 %", (87.15, 87.1), "%"),
        ("1 000 000", (1000000.0, 1.0), None),
        ("-87.1 5", (-87.15, -87.1), None),
        ("1.39 3", (1393.0, 1.393, 1.39), None),  # no-space text is itself ambiguous
    ],
)
def test_stray_spaces_are_rusak(raw: str, readings: tuple[float, ...], unit: str | None) -> None:
    assert read_number(raw) == Reading("rusak", readings=readings, unit=unit, detail="spasi")


def test_stray_spaces_are_rusak_even_for_money() -> None:
    r = read_number("2.716. 210", money=True)
    assert r.kind == "rusak" and r.detail == "spasi"
    assert r.readings == (2716210.0, 2716.0)


@pytest.mark.parametrize(
    ("raw", "money"),
    [
        ("1.2.3", False),  # later groups must have 3 digits
        ("1.2.3", True),
        ("1,2,3", False),
        ("1234.567.890", True),  # first group over 3 digits
        ("0.500.000", True),  # a grouped number does not start with 0
        ("1.000.00", True),
        ("17.", False),  # a mark with no digits after it
        ("1..000", True),
        ("1.000,000.5", False),  # the last mark also appears before it
        ("1,5.3", False),  # `,` before the decimal `.` is not valid grouping
        ("12.34,5", False),
    ],
)
def test_malformed_separators_are_rusak(raw: str, money: bool) -> None:
    assert read_number(raw, money=money) == Reading("rusak", detail="pemisah")


# ---------------------------------------------------------------- read_target


@pytest.mark.parametrize(
    ("raw", "low", "high"),
    [
        ("80 - 90", 80.0, 90.0),
        ("80-90", 80.0, 90.0),
        ("80–90", 80.0, 90.0),  # en dash
        ("80 — 90", 80.0, 90.0),
        ("80 s.d. 90", 80.0, 90.0),
        ("80 s.d 90", 80.0, 90.0),
        ("80 S/D 90", 80.0, 90.0),
        ("80 s/d 90", 80.0, 90.0),
        ("80 sampai 90", 80.0, 90.0),
        ("80 sampai dengan 90", 80.0, 90.0),
        ("80,5 - 90", 80.5, 90.0),  # a bound's `,` is a decimal mark
        ("80.5 - 90,25", 80.5, 90.25),
        ("90 - 80", 90.0, 80.0),  # reversed: still a range; checks report it
        (" 80\xa0-\xa090 ", 80.0, 90.0),
    ],
)
def test_target_ranges(raw: str, low: float, high: float) -> None:
    assert read_target(raw) == Reading("rentang", low=low, high=high)


@pytest.mark.parametrize("raw", ["1.000 - 2.000", "80 - 1,500"])
def test_target_range_with_three_digit_bound_is_ambiguous(raw: str) -> None:
    assert read_target(raw) == Reading("ambigu", detail="rentang")


@pytest.mark.parametrize(
    "raw",
    [
        *("80 - 90 %", "80% - 90%", "80-", "- 90", "80 - 90 - 100", "-5 - 5", "80 s.d."),
        "1.000.000 - 2.000.000",  # strict syntax: one mark per bound
    ],
)
def test_malformed_target_ranges_are_rusak(raw: str) -> None:
    assert read_target(raw) == Reading("rusak", detail="rentang")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-5", Reading("angka", value=-5.0)),  # a negative number, not a range
        ("-", Reading("kosong")),
        ("Belum ada penilaian", Reading("kosong")),
        (None, Reading("kosong")),
        ("87.15", Reading("angka", value=87.15)),
        ("100 %", Reading("angka", value=100.0, unit="%")),
        ("1.393", Reading("ambigu", readings=(1393.0, 1.393), detail="ribuan")),  # never money
        ("Rp. 2.752.010.113,-", Reading("angka", value=2752010113.0, style="id")),  # `,-` no range
        (82, Reading("angka", value=82.0)),
        (True, Reading("teks")),
        ("Laporan", Reading("teks")),
        ("17 Orang-hari", Reading("angka", value=17.0, unit="Orang-hari")),
    ],
)
def test_target_numbers(raw: object, expected: Reading) -> None:
    assert read_target(raw, GRADES) == expected


@pytest.mark.parametrize("raw", ["BB", "bb", " BB ", "A", "WTP", "wtp"])
def test_target_grades(raw: str) -> None:
    assert read_target(raw, GRADES) == Reading("predikat", grade=raw.strip())


def test_grades_compare_case_insensitively_both_ways() -> None:
    assert read_target("BB", {"bb"}) == Reading("predikat", grade="BB")


def test_grade_unknown_without_scales_is_teks() -> None:
    assert read_target("BB") == Reading("teks")
    assert read_target("X", GRADES) == Reading("teks")


# ---------------------------------------------------------------- read_realisasi


@pytest.mark.parametrize("raw", ["80 - 90", "80 s.d. 90", "1.000 - 2.000", "80 - 90 %", "80-"])
def test_realisasi_ranges_are_rusak(raw: str) -> None:
    assert read_realisasi(raw, GRADES) == Reading("rusak", detail="rentang")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("81 Nilai", Reading("angka", value=81.0, unit="Nilai")),
        ("14.671.200", Reading("angka", value=14671200.0, style="id")),
        ("99,93 %", Reading("angka", value=99.93, unit="%", style="id")),
        ("-5", Reading("angka", value=-5.0)),
        ("B", Reading("predikat", grade="B")),
        ("Belum ada penilaian", Reading("kosong")),
        ("87.1 5", Reading("rusak", readings=(87.15, 87.1), detail="spasi")),
        (81.5, Reading("angka", value=81.5)),
    ],
)
def test_realisasi(raw: object, expected: Reading) -> None:
    assert read_realisasi(raw, GRADES) == expected


# ---------------------------------------------------------------- same_unit


@pytest.mark.parametrize(
    ("found", "satuan", "same"),
    [
        (None, "Desa", True),
        ("Desa", None, True),
        ("", "%", True),
        ("%", "  ", True),
        ("Nilai", "nilai", True),
        ("Desa", "Jumlah Desa", True),  # a whole word of the other
        ("Jumlah Desa", "Desa", True),
        ("Desa", "Desawisata", False),  # not a whole word
        ("Desa", "%", False),
        ("%", "persen", True),
        ("Persentase", "%", True),
        ("%", "Persen (%)", True),
        ("Orang / bulan", "orang/bulan", True),
        ("Dok.", "Dok", True),
        ("Orang", "Orang/bulan", False),  # a count is not a rate
        ("Laporan", "Dokumen", False),
    ],
)
def test_same_unit(found: str | None, satuan: str | None, same: bool) -> None:
    assert same_unit(found, satuan) is same


# ---------------------------------------------------------------- properties


def _id_grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**13))
def test_id_style_rupiah_reads_back_exactly(n: int) -> None:
    r = read_number(_id_grouped(n) + ",00", money=True)
    assert r == Reading("angka", value=float(n), style="id")


@given(st.integers(min_value=1000, max_value=10**13))
def test_en_style_reads_back_exactly(n: int) -> None:
    text = f"{n:,}"
    assert read_number(text, money=True) == Reading("angka", value=float(n), style="en")
    if text.count(",") > 1:  # several commas cannot be decimals, money or not
        assert read_number(text) == Reading("angka", value=float(n), style="en")


@given(st.integers(0, 10**6), st.integers(0, 99), st.booleans())
def test_comma_decimal_reads_back(whole: int, cents: int, money: bool) -> None:
    r = read_number(f"{whole},{cents:02d}", money=money)
    assert r.kind == "angka" and r.style == "id"
    assert r.value is not None and abs(r.value - (whole + cents / 100)) < 1e-9


@given(st.text())
def test_never_raises(text: str) -> None:
    for money in (False, True):
        assert isinstance(read_number(text, money=money), Reading)
    assert isinstance(read_target(text, GRADES), Reading)
    assert isinstance(read_realisasi(text, GRADES), Reading)


@given(st.text(alphabet="0123456789.,- %Rp()s/d\xa0", max_size=20))
def test_number_like_text_never_raises(text: str) -> None:
    readings = read_number(text), read_number(text, True), read_target(text), read_realisasi(text)
    for reading in readings:
        assert reading.kind != "angka" or reading.value is not None


def test_grade_followed_by_a_unit_word_is_a_grade_with_that_unit():
    # seed 002 prints SAKIP grades as "BB Nilai"
    r = read_target("BB Nilai", {"BB", "A"})
    assert (r.kind, r.grade, r.unit) == ("predikat", "BB", "Nilai")
    assert read_realisasi("A Nilai", {"BB", "A"}).grade == "A"
    assert read_target("BB 5", {"BB"}).kind != "predikat"
