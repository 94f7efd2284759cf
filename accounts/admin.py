from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from accounts.models import CertificationEvent, ExpertScore, Organisation, User
from accounts.services import organisation_county, organisation_save_by_staff
from geodata.admin import MapAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("单位", {"fields": ("organisation", "phone")}))
    list_display = ("username", "email", "organisation", "is_staff")
    list_select_related = ("organisation",)
    search_fields = ("username", "email", "organisation__name")
    autocomplete_fields = ("organisation",)


class EventInline(admin.TabularInline):
    model = CertificationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "actor_role", "from_status", "to_status", "note")

    def has_add_permission(self, request, obj=None):
        return False


class _StaffSavedForm(forms.ModelForm):
    """Runs the service's place check while the form can still show it (not a 500 on save)."""

    def clean(self):
        data = super().clean()
        location = data.get("location", self.instance.location)
        in_region = data.get("in_region", self.instance.in_region)
        if location is not None:
            try:
                organisation_county(in_region=in_region, point=location)
            except ValidationError as exc:
                self.add_error("location", exc.message_dict["location"])
        return data


@admin.register(Organisation)
class OrganisationAdmin(MapAdmin):
    form = _StaffSavedForm
    list_display = ("name", "kind", "credit_code", "region", "status")
    list_filter = ("kind", "status", "listing_mode")
    search_fields = ("name", "credit_code")
    list_select_related = ("region",)
    raw_id_fields = ("region",)
    # Status changes go through the certification services (audit rows), not the admin form.
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = [EventInline]
    #: Once the organisation exists: the name changes only by 名称变更 (reviewed), the kind and
    #: 区内/区外 not at all here, and the county follows the point.
    identity_fields = ("name", "kind", "in_region", "region")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *self.identity_fields) if obj is not None else fields

    def save_model(self, request, obj, form, change):
        # Through the service: county by point-in-polygon, and the catalogue's search index
        # re-indexes a listed institution (accounts sits below catalog, so it signals).
        organisation_save_by_staff(org=obj, by=request.user)


@admin.register(CertificationEvent)
class CertificationEventAdmin(admin.ModelAdmin):
    list_display = ("organisation", "from_status", "to_status", "actor", "at")
    list_select_related = ("organisation", "actor")
    readonly_fields = [f.name for f in CertificationEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExpertScore)
class ExpertScoreAdmin(admin.ModelAdmin):
    list_display = ("organisation", "expert", "score", "at")
    list_select_related = ("organisation", "expert")
