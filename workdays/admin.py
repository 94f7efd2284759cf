"""The holiday table in the admin writes through ``workdays.services.set_day``: the year is
marked as the centre's, so ``workdays_seed --commit`` keeps the edit."""

from django import forms
from django.contrib import admin

from workdays.models import CalendarYear, DayException
from workdays.services import set_day


class DayExceptionForm(forms.ModelForm):
    class Meta:
        model = DayException
        fields = ("date", "is_workday", "name")

    def clean(self):
        data = super().clean()
        day = data.get("date") or getattr(self.instance, "date", None)
        if self.instance._state.adding and day and data.get("is_workday") == (day.isoweekday() <= 5):
            raise forms.ValidationError("该日按周一至周五的平常规则即是如此，无需登记。")
        return data


@admin.register(DayException)
class DayExceptionAdmin(admin.ModelAdmin):
    form = DayExceptionForm
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        # The date is the key: another date is another row (add it), not this one changed.
        return ("date",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        set_day(date=obj.date, is_workday=obj.is_workday, name=obj.name)

    def delete_model(self, request, obj):
        # Back to the plain rule (Monday–Friday), recorded as the centre's decision.
        set_day(date=obj.date, is_workday=obj.date.isoweekday() <= 5)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            self.delete_model(request, day)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "updated_at")
