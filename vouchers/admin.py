from django.contrib import admin

from vouchers.models import Contract, ContractEvent, IntegrityRecord, LedgerEntry, Policy, Voucher


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """Policy records are data the centre edits (SPEC §5.1)."""

    list_display = ("year", "name", "region", "model", "cap_legal_entity", "cap_individual", "county_topup_rate")
    list_filter = ("year", "model")


class ContractEventInline(admin.TabularInline):
    model = ContractEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "actor_role", "from_status", "to_status", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("number", "enterprise", "institution", "amount", "voucher_amount", "status", "split_suspected")
    list_filter = ("status", "split_suspected", "scope")
    search_fields = ("number", "enterprise__name", "title")
    list_select_related = ("enterprise", "institution__organisation")
    raw_id_fields = ("enterprise", "institution", "booking", "service", "instrument", "created_by")
    readonly_fields = ("status", "voucher_amount", "county_topup", "precheck", "split_suspected", "resubmissions")
    inlines = [ContractEventInline]


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ("number", "applicant", "holder", "face_value", "status", "valid_until")
    list_filter = ("status", "year")
    search_fields = ("number", "applicant__name")
    list_select_related = ("applicant", "holder")
    raw_id_fields = ("contract", "applicant", "holder", "institution")
    readonly_fields = ("status", "face_value", "county_topup")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Append-only: no add, change or delete here (the database refuses them too)."""

    list_display = ("at", "kind", "account", "amount", "organisation", "voucher", "year")
    list_filter = ("kind", "account", "year")
    list_select_related = ("organisation", "voucher")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IntegrityRecord)
class IntegrityRecordAdmin(admin.ModelAdmin):
    list_display = ("organisation", "created_at", "lifted_at")
    raw_id_fields = ("organisation", "voucher", "created_by")

    def has_delete_permission(self, request, obj=None):
        return False
