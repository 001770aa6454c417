"""Dates written the way Japanese council documents write them: ISO or 和暦 (era name and year).

Accepted forms, after NFKC (so full-width digits, letters and punctuation work) and with surrounding
and inner spaces ignored:

* Gregorian: ``2020-05-25``, ``2020/5/25``, ``2020.5.25``, ``2020年5月25日``.
* Era: ``令和2年5月25日``, ``令和元年5月1日``, ``平成 25 年 1 月 30 日``; abbreviated with a Latin letter
  (either case) or the era's first kanji and ``.``, ``/`` or ``-``: ``R2.5.25``, ``R02.05.25``,
  ``r2.5.25``, ``H27/1/30``, ``H27-1-30``, ``令2.5.25``, ``平27.1.30``. The era squares ``㍻`` and ``㋿``
  become ``平成`` and ``令和`` under NFKC and so work as well.

Era boundaries are exact (平成31年4月30日 is the last day of 平成, 令和元年5月1日 the first of 令和); an
era date outside its era is ``date.era_range``, not silently moved to the neighbouring era, because it is
usually a typing mistake that the author should see.

Earliest supported date: 1873-01-01 (明治6年1月1日). Before that Japan used the lunisolar calendar, so
明治5年12月3日 and earlier do not name the Gregorian day their numbers suggest (明治5年12月2日 was
followed directly by 明治6年1月1日). Rather than convert such dates wrongly, they — and Gregorian dates
before 1873 — are rejected as ``date.era_range``. That also guarantees every accepted date can be
written back with :func:`to_wareki`. No declaration about My Number cards predates 2015 anyway.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass


class DateParseError(ValueError):
    """A date that cannot be read; ``reason_key`` is a message key.

    ``date.format`` (not a recognised form), ``date.era_range`` (outside its era, or before
    1873-01-01), ``date.invalid`` (no such day, e.g. 2月30日), ``date.era_year_zero`` (era year 0).
    """

    def __init__(self, value: str, reason_key: str) -> None:
        # Both go to Exception.args so that the error survives pickling.
        super().__init__(value, reason_key)
        self.value = value
        self.reason_key = reason_key

    def __str__(self) -> str:
        return f"{self.reason_key}: {self.value!r}"


@dataclass(frozen=True)
class _Era:
    name: str
    letter: str
    first_year: int
    """Gregorian year of the era's first year (元年)."""
    start: datetime.date
    """First supported day (for 明治, the Gregorian calendar change rather than the era's start)."""
    end: datetime.date | None
    """Last day, or ``None`` for the current era."""

    def contains(self, d: datetime.date) -> bool:
        return self.start <= d and (self.end is None or d <= self.end)


EARLIEST_DATE = datetime.date(1873, 1, 1)
"""The earliest date :func:`parse_date` accepts and :func:`to_wareki` can write (see module docs)."""

_ERAS: tuple[_Era, ...] = (
    _Era("明治", "M", 1868, EARLIEST_DATE, datetime.date(1912, 7, 29)),
    _Era("大正", "T", 1912, datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
    _Era("昭和", "S", 1926, datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    _Era("平成", "H", 1989, datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    _Era("令和", "R", 2019, datetime.date(2019, 5, 1), None),
)
_ERA_BY_TOKEN: dict[str, _Era] = {
    token: era for era in _ERAS for token in (era.name, era.name[0], era.letter, era.letter.lower())
}

# [0-9] rather than \d: \d also matches other scripts' digits (Arabic-Indic, Devanagari …), which NFKC
# leaves alone and int() would happily read.
_MONTH_DAY_SEP = r"\s*(?P<sep>[-/.])\s*(?P<month>[0-9]{1,2})\s*(?P=sep)\s*(?P<day>[0-9]{1,2})"
_MONTH_DAY_KANJI = r"\s*年\s*(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*日"
_YEAR = r"(?P<year>[0-9]{4})"
# Longest tokens first so that 令和 is not read as 令 followed by garbage.
_ERA_TOKEN = "(?P<era>" + "|".join(sorted(_ERA_BY_TOKEN, key=len, reverse=True)) + ")"
_ERA_YEAR = r"\s*(?P<year>元|[0-9]{1,3})"
_GREGORIAN_FORMS = tuple(re.compile(_YEAR + tail) for tail in (_MONTH_DAY_SEP, _MONTH_DAY_KANJI))
_ERA_FORMS = tuple(re.compile(_ERA_TOKEN + _ERA_YEAR + tail) for tail in (_MONTH_DAY_SEP, _MONTH_DAY_KANJI))


def parse_date(value: str | datetime.date) -> datetime.date:
    """Read an ISO or 和暦 date (see the module docstring for the forms).

    A :class:`datetime.date` is returned unchanged; a :class:`datetime.datetime` is rejected with
    ``date.format`` because a plan date carries no time and dropping one silently could shift the day.
    Raises :class:`DateParseError`.
    """
    if isinstance(value, datetime.datetime):
        raise DateParseError(value.isoformat(), "date.format")
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        # The annotation says str, but values come from YAML and JSON, where a number is easy to write.
        raise DateParseError(repr(value), "date.format")

    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in _GREGORIAN_FORMS:
        m = pattern.fullmatch(text)
        if m:
            d = _make_date(value, int(m["year"]), int(m["month"]), int(m["day"]))
            if d < EARLIEST_DATE:
                raise DateParseError(value, "date.era_range")
            return d
    for pattern in _ERA_FORMS:
        m = pattern.fullmatch(text)
        if m:
            era = _ERA_BY_TOKEN[m["era"]]
            era_year = 1 if m["year"] == "元" else int(m["year"])
            if era_year == 0:
                raise DateParseError(value, "date.era_year_zero")
            d = _make_date(value, era.first_year + era_year - 1, int(m["month"]), int(m["day"]))
            if not era.contains(d):
                raise DateParseError(value, "date.era_range")
            return d
    raise DateParseError(value, "date.format")


def _make_date(value: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DateParseError(value, "date.invalid") from None


def to_wareki(d: datetime.date) -> str:
    """``d`` in 和暦 with the full era name, e.g. ``令和2年5月25日``; an era's first year is ``元年``.

    Raises :class:`DateParseError` (``date.era_range``) for dates before 1873-01-01.
    """
    # A datetime would not compare with the era bounds (date < datetime raises), so keep its date.
    day = datetime.date(d.year, d.month, d.day)
    for era in reversed(_ERAS):
        if era.contains(day):
            era_year = d.year - era.first_year + 1
            year_text = "元" if era_year == 1 else str(era_year)
            return f"{era.name}{year_text}年{d.month}月{d.day}日"
    raise DateParseError(day.isoformat(), "date.era_range")
