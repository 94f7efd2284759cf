from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import CertificationEvent, ExpertScore, Organisation, User
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


@admin.register(Organisation)
class OrganisationAdmin(MapAdmin):
    list_display = ("name", "kind", "credit_code", "region", "status")
    list_filter = ("kind", "status", "listing_mode")
    search_fields = ("name", "credit_code")
    list_select_related = ("region",)
    raw_id_fields = ("region",)
    # Status changes go through the certification services (audit rows), not the admin form.
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = [EventInline]
    #: What an institution is found by on the map (``catalog_listing`` and its cells): once the
    #: organisation exists these change only through the services — the name by 名称变更
    #: (reviewed), the place by the catalogue's marker (``catalog.services.institution_move``,
    #: county by point-in-polygon). accounts sits below catalog, so the admin here cannot
    #: re-index; it shows them read-only instead.
    identity_fields = ("name", "kind", "in_region", "region", "location", "registered_address")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *self.identity_fields) if obj is not None else fields


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
