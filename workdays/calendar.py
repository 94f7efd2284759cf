"""Working-day arithmetic over the calendar table (SPEC §5.3).

``is_workday`` and ``add_workdays`` never raise for a year the table does not know: they
fall back to Monday–Friday and report it in ``CalendarAnswer.warning`` so pages can show it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workdays.models import CalendarYear, DayException

FALLBACK_WARNING = "{year} 年的法定节假日尚未公布或未录入，暂按周一至周五计算工作日。"


@dataclass(frozen=True)
class CalendarAnswer:
    value: object
    warning: str = ""


class _Table:
    """The exceptions and known years, read once per call chain (a few hundred rows)."""

    def __init__(self, start: dt.date, end: dt.date):
        self.known = set(
            CalendarYear.objects.filter(year__gte=start.year, year__lte=end.year).values_list("year", flat=True)
        )
        self.exceptions = dict(
            DayException.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
        )

    def workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is it a working day, is the year known)."""
        if day in self.exceptions:
            return self.exceptions[day], True
        return day.isoweekday() <= 5, day.year in self.known


def _warning(unknown_years: set[int]) -> str:
    return " ".join(FALLBACK_WARNING.format(year=y) for y in sorted(unknown_years))


def is_workday(day: dt.date) -> CalendarAnswer:
    value, known = _Table(day, day).workday(day)
    return CalendarAnswer(value, "" if known else _warning({day.year}))


def is_weekday_holiday(day: dt.date) -> bool:
    """A Monday–Friday the official calendar gives off (unknown years: never)."""
    return day.isoweekday() <= 5 and not is_workday(day).value


def add_workdays(start: dt.date, days: int) -> CalendarAnswer:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must be ≥ 0")
    table = _Table(start, start + dt.timedelta(days=days * 3 + 30))
    unknown: set[int] = set()
    current, left = start, days
    while left:
        current += dt.timedelta(days=1)
        value, known = table.workday(current)
        if not known:
            unknown.add(current.year)
        if value:
            left -= 1
    return CalendarAnswer(current, _warning(unknown))


def workdays_between(start: dt.date, end: dt.date) -> CalendarAnswer:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    if end <= start:
        return CalendarAnswer(0)
    table = _Table(start, end)
    unknown, count, current = set(), 0, start
    while current < end:
        current += dt.timedelta(days=1)
        value, known = table.workday(current)
        unknown |= set() if known else {current.year}
        count += value
    return CalendarAnswer(count, _warning(unknown))
