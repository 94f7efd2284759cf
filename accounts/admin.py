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
