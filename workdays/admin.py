from django.contrib import admin

from workdays.models import CalendarYear, DayException


@admin.register(DayException)
class DayExceptionAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "updated_at")
