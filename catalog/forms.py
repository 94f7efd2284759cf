"""Forms of the catalogue pages. They parse and check input; the rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from catalog import services
from catalog.models import Institution, Instrument, Service
from geodata.points import CoordinateError, make_point
from mapsite import uploads

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
WEEKDAYS = [
    (1, "周一"),
    (2, "周二"),
    (3, "周三"),
    (4, "周四"),
    (5, "周五"),
    (6, "周六"),
    (7, "周日"),
]


def _note(label: str = "说明", *, required: bool = False, max_length: int = 300) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Bookings and contact --------------------------------------------------------------------


class LocalDateTimeField(forms.DateTimeField):
    """``<input type="datetime-local">``; the value is read in the site's time zone
    (Asia/Shanghai), so the service gets an aware datetime."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format=DATETIME_LOCAL)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)


USE_VOUCHER_CHOICES = [("yes", "使用创新券"), ("no", "不使用创新券")]


class _VoucherSwitch(forms.Form):
    """是否使用创新券: shown only for a voucher-eligible item (``voucher_eligible=True``),
    where it starts at 使用创新券; otherwise the booking is an ordinary order."""

    use_voucher = forms.ChoiceField(
        label="是否使用创新券",
        choices=USE_VOUCHER_CHOICES,
        initial="yes",
        required=False,  # not sent: the default, 使用创新券 where the applicant may hold one
        widget=forms.RadioSelect,
        help_text="选择“不使用创新券”的订单为普通订单，之后不能再以该订单使用创新券。",
    )

    def __init__(self, *args, voucher_eligible: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not voucher_eligible:
            del self.fields["use_voucher"]

    def wants_voucher(self) -> bool | None:
        """The choice made, or None when none was sent (the service's default: yes, unless
        the applicant can hold no voucher this year)."""
        if "use_voucher" not in self.fields:
            return False
        choice = self.cleaned_data.get("use_voucher")
        return None if not choice else choice == "yes"


class SlotBookingForm(_VoucherSwitch):
    starts_at = LocalDateTimeField(label="开始时间")
    ends_at = LocalDateTimeField(label="结束时间")
    note = _note("需求说明", max_length=2000)
    field_order = ["starts_at", "ends_at", "note", "use_voucher"]


class QuantityBookingForm(_VoucherSwitch):
    quantity = forms.DecimalField(
        label="数量",
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
    )
    note = _note("需求说明", max_length=2000)
    field_order = ["quantity", "note", "use_voucher"]


class ContactForm(forms.Form):
    message = _note("需求", required=True, max_length=2000)
    contact_phone = forms.CharField(label="联系电话", max_length=32)


class ContactAnswerForm(forms.Form):
    answer = _note("回复", required=True, max_length=2000)


class BookingNoteForm(forms.Form):
    """The note that goes with accept / decline / complete / cancel."""

    note = _note("说明")


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label="评分",
        coerce=int,
        choices=[(n, f"{n} 分") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = _note("评价", max_length=500)

    def __init__(self, *args, platform: bool = False, **kwargs):
        """``platform``: the voucher's scheme rates the platform's service too (Henan)."""
        super().__init__(*args, **kwargs)
        if platform:
            self.fields["score"].label = "服务机构评分"
            self.fields["platform_score"] = forms.TypedChoiceField(
                label="省平台服务评分",
                coerce=int,
                choices=[(n, f"{n} 分") for n in range(5, 0, -1)],
                widget=forms.RadioSelect,
            )
            self.order_fields(["score", "platform_score", "comment"])


# --- Institution self-service ----------------------------------------------------------------


class InstitutionProfileForm(forms.ModelForm):
    """The public profile; contact and address live on the organisation."""

    ORG_FIELDS = ("registered_address", "contact_name", "contact_phone", "contact_email")

    registered_address = forms.CharField(label="地址", max_length=255, required=False)
    contact_name = forms.CharField(label="联系人", max_length=64, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    contact_email = forms.EmailField(label="联系邮箱", required=False)

    class Meta:
        model = Institution
        fields = ["short_name", "kind", "is_public_institution", "description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs.setdefault("initial", {})
        for name in self.ORG_FIELDS:
            kwargs["initial"].setdefault(name, getattr(organisation, name))
        super().__init__(*args, **kwargs)


class MoveForm(forms.Form):
    """Longitude and latitude in WGS-84 degrees, parsed as plain numbers (never WKT)."""

    lng = forms.CharField(label="经度", max_length=32)
    lat = forms.CharField(label="纬度", max_length=32)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["point"] = make_point(data["lng"], data["lat"])
        except CoordinateError as exc:
            raise ValidationError(str(exc)) from exc
        return data


class _ItemForm(forms.ModelForm):
    price = forms.DecimalField(label="价格（元）", max_digits=14, decimal_places=2, min_value=0)
    photo = forms.FileField(label="照片（JPG/PNG，≤5 MB）", required=False)

    def clean_price(self):
        return _yuan(self.cleaned_data["price"])

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            uploads.check(upload, kind=uploads.PHOTO)
        return upload

    def service_data(self) -> dict:
        """The cleaned values the catalogue service accepts (the photo is not one of them)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


def _yuan(value: Decimal | None) -> Decimal | None:
    """Money as entered, kept with 2 places (so a pending change reads "350.00")."""
    return None if value is None else value.quantize(Decimal("0.01"))


class InstrumentForm(_ItemForm):
    original_value = forms.DecimalField(
        label="原值（元）", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    open_weekdays = forms.TypedMultipleChoiceField(
        label="开放日",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则默认周一至周五",
    )

    def clean_original_value(self):
        return _yuan(self.cleaned_data["original_value"])

    class Meta:
        model = Instrument
        fields = list(services.INSTRUMENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "open_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "open_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class ServiceForm(_ItemForm):
    class Meta:
        model = Service
        fields = list(services.SERVICE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


ITEM_FORMS = {"instrument": InstrumentForm, "service": ServiceForm}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核意见",
        choices=[("approve", "通过"), ("reject", "驳回")],
        widget=forms.RadioSelect,
    )
    note = _note("说明/驳回原因")


class BookingResultForm(forms.Form):
    result = forms.FileField(label="订单结果（PDF 或图片）")

    def clean_result(self):
        upload = self.cleaned_data["result"]
        uploads.check(upload, kind=uploads.DOCUMENT)
        return upload
