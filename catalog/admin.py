"""Admin for the catalogue. State changes (review, bookings) go through the services; the
admin shows them read-only so no audit row is skipped. Edits of institutions and items are
saved through ``catalog.services`` so the search index (``catalog_listing`` and its map
cells) moves with them."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from catalog.models import (
    Booking,
    BookingEvent,
    ContactRequest,
    Institution,
    Instrument,
    ItemEvent,
    Listing,
    Rating,
    Service,
)
from catalog.services import (
    institution_save_by_staff,
    item_delete_by_staff,
    item_save_by_staff,
    item_validate,
)
from geodata.admin import MapAdmin


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "is_public_institution", "rating_mean", "rating_count", "popularity")
    list_filter = ("kind", "is_public_institution")
    search_fields = ("organisation__name", "short_name")
    list_select_related = ("organisation",)
    readonly_fields = ("organisation", "rating_mean", "rating_count", "popularity")

    def save_model(self, request, obj, form, change):
        institution_save_by_staff(institution=obj, by=request.user)


class ItemAdminForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()  # model validation on the instance, as Django's forms do
        try:
            item_validate(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)


class _ItemAdmin(MapAdmin):
    form = ItemAdminForm
    list_display = ("name", "institution", "price", "unit", "review_status", "voucher_eligible", "rating_mean")
    list_filter = ("review_status", "voucher_eligible")
    search_fields = ("name", "institution__organisation__name")
    list_select_related = ("institution__organisation",)
    raw_id_fields = ("institution",)
    readonly_fields = ("review_status", "pending_changes", "rating_mean", "rating_count", "popularity")

    def save_model(self, request, obj, form, change):
        item_save_by_staff(item=obj, by=request.user)

    def delete_model(self, request, obj):
        item_delete_by_staff(item=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            item_delete_by_staff(item=item, by=request.user)


@admin.register(Instrument)
class InstrumentAdmin(_ItemAdmin):
    list_filter = (*_ItemAdmin.list_filter, "booking_mode", "open_for_sharing")


@admin.register(Service)
class ServiceAdmin(_ItemAdmin):
    list_filter = (*_ItemAdmin.list_filter, "category", "public_benefit")
    filter_horizontal = ("instruments",)


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "from_status", "to_status", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("number", "item_name", "enterprise", "institution", "status", "amount", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("number", "item_name", "enterprise__name")
    list_select_related = ("enterprise", "institution__organisation")
    raw_id_fields = ("enterprise", "institution", "instrument", "service", "requested_by")
    readonly_fields = ("status",)
    inlines = [BookingEventInline]


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ("item_name", "enterprise", "institution", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("enterprise", "institution__organisation")
    raw_id_fields = ("enterprise", "institution", "requested_by")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("institution", "score", "is_default", "created_at")
    list_filter = ("score", "is_default")
    list_select_related = ("institution__organisation",)
    raw_id_fields = ("booking", "enterprise", "institution", "instrument", "service")


@admin.register(ItemEvent)
class ItemEventAdmin(admin.ModelAdmin):
    list_display = ("item_kind", "item_id", "from_status", "to_status", "actor", "at")
    list_filter = ("item_kind", "to_status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Listing)
class ListingAdmin(MapAdmin):
    """The search index: derived data, read-only here (catalog.listing keeps it in step)."""

    list_display = ("name", "kind", "institution_name", "region", "price", "rating_mean", "popularity")
    list_filter = ("kind", "voucher_eligible")
    search_fields = ("name", "institution_name")
    list_select_related = ("region",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
