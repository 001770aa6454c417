"""Tests for safeguard_check.load.wareki."""

from __future__ import annotations

import datetime
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard_check.load.wareki import DateParseError, parse_date, to_wareki

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Gregorian
        ("2020-05-25", D(2020, 5, 25)),
        ("2020/5/25", D(2020, 5, 25)),
        ("2020.5.25", D(2020, 5, 25)),
        ("2020年5月25日", D(2020, 5, 25)),
        ("２０２０－０５－２５", D(2020, 5, 25)),
        ("２０２０年５月２５日", D(2020, 5, 25)),
        ("  2020-05-25\n", D(2020, 5, 25)),
        # era, written out
        ("令和2年5月25日", D(2020, 5, 25)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("令和 2 年 5 月 25 日", D(2020, 5, 25)),
        ("平成 25 年 1 月 30 日", D(2013, 1, 30)),
        ("令和　２年　５月　２５日", D(2020, 5, 25)),
        ("令和２年５月２５日", D(2020, 5, 25)),
        ("昭和60年4月1日", D(1985, 4, 1)),
        ("大正元年8月1日", D(1912, 8, 1)),
        ("明治45年7月29日", D(1912, 7, 29)),
        ("㍻27年1月30日", D(2015, 1, 30)),
        ("㋿2年5月25日", D(2020, 5, 25)),
        # era, abbreviated
        ("R2.5.25", D(2020, 5, 25)),
        ("H27.1.30", D(2015, 1, 30)),
        ("R02.05.25", D(2020, 5, 25)),
        ("r2.5.25", D(2020, 5, 25)),
        ("h27.1.30", D(2015, 1, 30)),
        ("H27/1/30", D(2015, 1, 30)),
        ("H27-1-30", D(2015, 1, 30)),
        ("令2.5.25", D(2020, 5, 25)),
        ("平27.1.30", D(2015, 1, 30)),
        ("Ｒ２．５．２５", D(2020, 5, 25)),
        ("R元.5.1", D(2019, 5, 1)),
        ("S64.1.7", D(1989, 1, 7)),
        ("T15.12.24", D(1926, 12, 24)),
        ("M6.1.1", D(1873, 1, 1)),
        ("令和2.5.25", D(2020, 5, 25)),
    ],
)
def test_accepted_forms(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成31年4月30日", D(2019, 4, 30)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("大正15年12月24日", D(1926, 12, 24)),
        ("昭和元年12月25日", D(1926, 12, 25)),
        ("明治45年7月29日", D(1912, 7, 29)),
        ("大正元年7月30日", D(1912, 7, 30)),
        ("明治6年1月1日", D(1873, 1, 1)),
    ],
)
def test_era_boundaries_inside(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",
        "令和元年4月30日",
        "昭和64年1月8日",
        "平成元年1月7日",
        "大正15年12月25日",
        "昭和元年12月24日",
        "明治45年7月30日",
        "大正元年7月29日",
        "平成32年1月1日",  # a valid day, but 2020 is 令和
        "H31.5.1",
        "R1.4.30",
        "明治5年12月31日",  # before the Gregorian calendar
        "1872-12-31",
    ],
)
def test_era_boundaries_outside(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text)
    assert info.value.reason_key == "date.era_range"
    assert info.value.value == text


@pytest.mark.parametrize(
    "text",
    ["令和2年2月30日", "2020-02-30", "2019-02-29", "R2.13.1", "H27.4.31", "2020-00-10"],
)
def test_invalid_dates(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text)
    assert info.value.reason_key == "date.invalid"


def test_leap_day() -> None:
    assert parse_date("令和2年2月29日") == D(2020, 2, 29)
    with pytest.raises(DateParseError) as info:
        parse_date("平成31年2月29日")
    assert info.value.reason_key == "date.invalid"


@pytest.mark.parametrize("text", ["令和0年5月1日", "R0.5.1", "平成00年1月1日"])
def test_era_year_zero(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text)
    assert info.value.reason_key == "date.era_year_zero"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2020",
        "2020-05",
        "20200525",
        "2020-5/25",  # mixed separators
        "20-5-25",
        "令和2年5月25",
        "令和2年5月",
        "X2.5.25",
        "R2.5.25.",
        "R2",
        "来年の春",
        "2020-05-25T00:00:00",
        "٢٠٢٠-٠٥-٢٥",  # Arabic-Indic digits are not full-width digits; NFKC leaves them
        "令和和2年5月25日",
    ],
)
def test_unrecognised_forms(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text)
    assert info.value.reason_key == "date.format"


def test_date_passes_through_unchanged() -> None:
    d = D(1800, 1, 1)  # even outside the supported range: the caller already has a date
    assert parse_date(d) is d


def test_datetime_is_rejected() -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(datetime.datetime(2020, 5, 25, 10, 30))
    assert info.value.reason_key == "date.format"


@pytest.mark.parametrize("value", [20200525, 2020.5, None, True])
def test_non_string_is_rejected(value: object) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(value)  # type: ignore[arg-type]
    assert info.value.reason_key == "date.format"


def test_error_is_value_error_and_pickles() -> None:
    err = DateParseError("令和2年2月30日", "date.invalid")
    assert isinstance(err, ValueError)
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.value, clone.reason_key) == (err.value, err.reason_key)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2020, 5, 25), "令和2年5月25日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1926, 12, 25), "昭和元年12月25日"),
        (D(1926, 12, 24), "大正15年12月24日"),
        (D(1912, 7, 30), "大正元年7月30日"),
        (D(1912, 7, 29), "明治45年7月29日"),
        (D(1873, 1, 1), "明治6年1月1日"),
    ],
)
def test_to_wareki(d: datetime.date, expected: str) -> None:
    assert to_wareki(d) == expected


def test_to_wareki_accepts_datetime_by_its_date() -> None:
    assert to_wareki(datetime.datetime(2019, 4, 30, 23, 59)) == "平成31年4月30日"


def test_to_wareki_before_supported_range() -> None:
    with pytest.raises(DateParseError) as info:
        to_wareki(D(1872, 12, 31))
    assert info.value.reason_key == "date.era_range"


_LETTERS = {"明治": "M", "大正": "T", "昭和": "S", "平成": "H", "令和": "R"}


def _abbreviate(wareki: str, sep: str, zero_pad: bool) -> str:
    era, rest = wareki[:2], wareki[2:]
    year, rest = rest.split("年")
    month, rest = rest.split("月")
    day = rest.rstrip("日")
    year = "1" if year == "元" else year
    parts = [f"{int(p):02d}" if zero_pad else p for p in (year, month, day)]
    return _LETTERS[era] + sep.join(parts)


_dates = st.dates(min_value=D(1989, 1, 8), max_value=D(2100, 12, 31))
_all_supported = st.dates(min_value=D(1873, 1, 1), max_value=D(2100, 12, 31))


@given(_dates)
def test_wareki_round_trip(d: datetime.date) -> None:
    assert parse_date(to_wareki(d)) == d
    assert parse_date(d.isoformat()) == d


@given(_all_supported)
def test_wareki_round_trip_all_eras(d: datetime.date) -> None:
    assert parse_date(to_wareki(d)) == d


@given(_all_supported, st.sampled_from([".", "/", "-"]), st.booleans(), st.booleans())
def test_abbreviation_round_trip(d: datetime.date, sep: str, zero_pad: bool, lower: bool) -> None:
    text = _abbreviate(to_wareki(d), sep, zero_pad)
    if lower:
        text = text.lower()
    assert parse_date(text) == d


@given(_dates)
def test_single_kanji_era_round_trip(d: datetime.date) -> None:
    wareki = to_wareki(d)
    assert parse_date(wareki[0] + wareki[2:]) == d


@given(_dates)
def test_full_width_round_trip(d: datetime.date) -> None:
    full_width = to_wareki(d).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_date(full_width) == d
