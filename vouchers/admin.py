from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from vouchers.contracts.services import validate_tiers
from vouchers.models import (
    Contract,
    ContractEvent,
    IntegrityRecord,
    LedgerEntry,
    Policy,
    PolicyModel,
    Subsidy,
    SubsidyEvent,
    Voucher,
)
from vouchers.policies.schemes import validate_scheme


class PolicyAdminForm(forms.ModelForm):
    """The rules ``vouchers.contracts.services.policy_save`` applies to the centre's page, applied to the
    admin's form too: a contract-model policy's tiers are validated and normalised."""

    class Meta:
        model = Policy
        fields = "__all__"  # noqa: DJ007 — the admin edits every field of the record

    def clean(self):
        data = super().clean()
        if data.get("model") == PolicyModel.CONTRACT:
            try:
                data["tiers"] = validate_tiers(data.get("tiers"))
            except ValidationError as exc:
                self.add_error("tiers", exc.message_dict["tiers"])
        return data

    def _post_clean(self):
        # The scheme's fields are checked together on the instance the form has filled in.
        super()._post_clean()
        try:
            validate_scheme(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """Policy records are data the centre edits (SPEC §5.1)."""

    form = PolicyAdminForm
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
    """View only. Every field of a contract feeds its pre-check (amount, parties, scope,
    dates, pledge …) or its review trail, so a contract changes only through the voucher
    services: the applicant's ``contract_update`` (which re-runs the pre-check) and the reviews."""

    list_display = ("number", "enterprise", "institution", "amount", "voucher_amount", "status", "split_suspected")
    list_filter = ("status", "split_suspected", "scope")
    search_fields = ("number", "enterprise__name", "title")
    list_select_related = ("enterprise", "institution__organisation")
    raw_id_fields = ("enterprise", "institution", "booking", "service", "instrument", "created_by")
    inlines = [ContractEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    """View only: holder, applicant, value and status are where the ledger says the money is;
    they change only through the voucher services (pay, redeem, expire, clawback)."""

    list_display = ("number", "enterprise", "holder", "face_value", "status", "valid_until")
    list_filter = ("status", "year")
    search_fields = ("number", "enterprise__name")
    list_select_related = ("enterprise", "holder")
    raw_id_fields = ("contract", "enterprise", "holder", "institution")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Append-only: no add, change or delete here (the database refuses them too)."""

    list_display = ("at", "kind", "account", "amount", "organisation", "voucher", "subsidy", "year")
    list_filter = ("kind", "account", "year")
    list_select_related = ("organisation", "voucher", "subsidy")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubsidyEventInline(admin.TabularInline):
    model = SubsidyEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "actor_role", "from_status", "to_status", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subsidy)
class SubsidyAdmin(admin.ModelAdmin):
    """View only: an institution's subsidy is granted, paid and cancelled only through the
    settlement services (its amount is in the ledger)."""

    list_display = ("number", "institution", "year", "amount", "status", "granted_at", "paid_at")
    list_filter = ("status", "year")
    search_fields = ("number", "institution__name")
    list_select_related = ("institution",)
    raw_id_fields = ("institution", "granted_by")
    inlines = [SubsidyEventInline]

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
