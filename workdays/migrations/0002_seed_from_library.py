from django.db import migrations


def seed(apps, schema_editor):
    """Load chinese-calendar's years (2004 to its last announced year) into the table."""
    import datetime as dt

    import chinese_calendar

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    DayException = apps.get_model("workdays", "DayException")
    years = sorted({d.year for d in chinese_calendar.holidays})
    rows = []
    for year in range(years[0], years[-1] + 1):
        day = dt.date(year, 1, 1)
        while day.year == year:
            workday = chinese_calendar.is_workday(day)
            if workday != (day.isoweekday() <= 5):
                name = chinese_calendar.get_holiday_detail(day)[1] or ("调休上班" if workday else "")
                rows.append(DayException(date=day, is_workday=workday, name=name))
            day += dt.timedelta(days=1)
    DayException.objects.bulk_create(rows, ignore_conflicts=True)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="chinese-calendar") for y in range(years[0], years[-1] + 1)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
