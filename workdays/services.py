"""Writes on the calendar: seeding from chinese-calendar, and the centre's edits."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from workdays.models import CalendarYear, DayException


def library_years() -> range:
    """Years chinese-calendar knows (it raises NotImplementedError outside them)."""
    # why: only seeding reads the library; the site reads the table
    import chinese_calendar

    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


@transaction.atomic
def seed_from_library(*, years=None) -> dict[str, int]:
    """Store the library's exceptions to Monday–Friday for ``years`` (default: all it knows).

    Idempotent; rows the centre edited since (source "centre") are kept."""
    # why: only seeding reads the library; the site reads the table
    import chinese_calendar

    years = list(years or library_years())
    created = 0
    for year in years:
        if CalendarYear.objects.filter(year=year, source="centre").exists():
            continue
        day = dt.date(year, 1, 1)
        while day.year == year:
            workday = chinese_calendar.is_workday(day)
            if workday != (day.isoweekday() <= 5):
                _, made = DayException.objects.update_or_create(
                    date=day,
                    defaults={
                        "is_workday": workday,
                        "name": chinese_calendar.get_holiday_detail(day)[1] or ("调休上班" if workday else ""),
                    },
                )
                created += made
            day += dt.timedelta(days=1)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": "chinese-calendar"})
    return {"years": len(years), "exceptions_created": created}


@transaction.atomic
def set_day(*, date: dt.date, is_workday: bool, name: str = "") -> None:
    """Record an announced holiday or swapped workday (e.g. a new year's schedule).

    The year is marked as the centre's, so ``seed_from_library`` (``workdays_seed --commit``)
    keeps it. Who may call this is the caller's rule — roles are accounts', a layer above:
    ``accounts.services.calendar_set_day`` for the centre, the admin for staff."""
    if is_workday == (date.isoweekday() <= 5):
        DayException.objects.filter(date=date).delete()  # back to the plain rule
    else:
        DayException.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "name": name})
    CalendarYear.objects.update_or_create(year=date.year, defaults={"source": "centre"})


def validate_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError("年份超出范围。")
