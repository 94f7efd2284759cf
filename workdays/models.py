"""China's official working-day calendar as data the centre can edit.

Only exceptions to "Monday–Friday are working days" are stored: weekday holidays (国庆节 …)
and weekend working days (调休上班). ``CalendarYear`` says which years are known; a date in
an unknown year falls back to Monday–Friday and the caller gets a warning.
"""

from django.db import models


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField("来源", max_length=40, default="chinese-calendar")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "已知年度"
        verbose_name_plural = "已知年度"

    def __str__(self) -> str:
        return str(self.year)


class DayException(models.Model):
    date = models.DateField("日期", primary_key=True)
    is_workday = models.BooleanField("上班", help_text="True = 调休上班 (weekend workday); False = 法定节假日")
    name = models.CharField("说明", max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日/调休"
        verbose_name_plural = "节假日/调休"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}"
