"""Working days follow China's official calendar, seeded into the database and editable;
years beyond it fall back to Monday–Friday with a warning, never an exception."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accounts.services import calendar_set_day
from workdays.calendar import add_workdays, is_weekday_holiday, is_workday, workdays_between
from workdays.models import CalendarYear, DayException

pytestmark = pytest.mark.django_db


def test_the_migration_seeded_the_libraries_years():
    assert CalendarYear.objects.filter(year=2004).exists() and CalendarYear.objects.filter(year=2026).exists()
    assert DayException.objects.get(date=dt.date(2026, 10, 1)).is_workday is False


def test_national_day_is_off_and_its_swapped_saturday_is_a_workday():
    assert is_workday(dt.date(2026, 10, 1)).value is False  # Thursday, 国庆节
    assert is_workday(dt.date(2026, 10, 10)).value is True  # Saturday, 调休上班
    assert is_workday(dt.date(2026, 10, 11)).value is False  # Sunday
    assert is_weekday_holiday(dt.date(2026, 10, 1)) and not is_weekday_holiday(dt.date(2026, 10, 12))


def test_ten_working_days_across_national_day_skip_the_holiday_week():
    # Completed Monday 28 Sept 2026; 29, 30 Sept are working days, 1–7 Oct are off,
    # Sat 10 Oct is a swapped workday: 29, 30 Sept, 8, 9, 10, 12–16 Oct.
    answer = add_workdays(dt.date(2026, 9, 28), 10)
    assert answer.warning == ""
    assert answer.value == dt.date(2026, 10, 16)
    assert workdays_between(dt.date(2026, 9, 28), dt.date(2026, 10, 16)).value == 10


def test_a_year_beyond_the_calendar_falls_back_to_weekdays_with_a_warning():
    answer = add_workdays(dt.date(2027, 9, 27), 10)  # Monday
    assert answer.value == dt.date(2027, 10, 11)
    assert "2027" in answer.warning and "周一至周五" in answer.warning
    assert is_workday(dt.date(2027, 10, 1)).value is True  # a Friday, unknown year
    assert "2027" in is_workday(dt.date(2027, 10, 1)).warning


def test_the_centre_can_record_next_years_holidays(cecilia, alice):
    with pytest.raises(PermissionDenied):
        calendar_set_day(by=alice, date=dt.date(2027, 10, 1), is_workday=False, name="国庆节")
    calendar_set_day(by=cecilia, date=dt.date(2027, 10, 1), is_workday=False, name="国庆节")
    answer = is_workday(dt.date(2027, 10, 1))
    assert answer.value is False and answer.warning == ""
