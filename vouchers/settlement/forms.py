"""Forms of the settlement pages. They parse and check input; the rules live in
``vouchers.settlement`` (whose ValidationError the views put back on these forms)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from catalog import selectors as catalog_selectors
from catalog.models import Booking, ServiceCategory
from geodata.models import Region
from mapsite import uploads
from vouchers.contracts.forms import DATE_INPUT, InstitutionChoiceField, InstitutionServices, ServiceChoiceField
from vouchers.models import CENTRE_CYCLES, LedgerAccount, PayeeChoice, ProofKind, RedemptionMode
from vouchers.names import account_label
from vouchers.permissions import county_budgets
from vouchers.settlement.selectors import redeemable_vouchers

MONEY_ATTRS = {"min": "0.01", "step": "0.01"}


def _note(label: str, *, required: bool = False, max_length: int = 1000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class DocumentField(forms.FileField):
    """A PDF or image, checked by its content (a renamed executable is refused)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            uploads.check(upload)
        return upload


class PayForm(forms.Form):
    """Only a key: it is made when the page is rendered, so submitting the same page twice
    (a double click, a retried request) pays once."""

    idempotency_key = forms.RegexField(
        regex=r"^[0-9a-f]{32}$",
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "页面已失效，请刷新后重试。",
            "required": "页面已失效，请刷新后重试。",
        },
    )
    # Only where the scheme lets the enterprise choose (Zhejiang); the service refuses a
    # choice elsewhere and a missing one there.
    payee_choice = forms.ChoiceField(
        label="兑付方式",
        required=False,
        choices=[("", "—")] + list(PayeeChoice.choices),
        widget=forms.RadioSelect,
    )
    # Only where the scheme pays after the result (Henan).
    result_confirmed = forms.BooleanField(label="我已查看订单结果，确认无误", required=False)


class ProofForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=ProofKind.choices)
    number = forms.CharField(label="票据号", max_length=64, required=False, help_text="发票号码或银行回单流水号。")
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
        help_text="发票和银行回单必填，两者合计须一致。",
    )
    file = DocumentField(label="文件", help_text="PDF（≤50 MB）或 JPG/PNG 图片（≤5 MB）。")

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        """``kinds``: the proof kinds the scheme asks for (``use.proof_kinds``), in its order."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, ProofKind(k).label) for k in kinds]
            if ProofKind.BANK_RECEIPT not in kinds:
                self.fields["number"].help_text = "发票号码。"
                self.fields["amount"].help_text = "发票必填。"

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") in (ProofKind.INVOICE, ProofKind.BANK_RECEIPT)
            and data.get("amount") is None
            and "amount" not in self.errors
        ):
            self.add_error("amount", "发票和银行回单须填写金额。")
        return data


class EmptyForm(forms.Form):
    """No input: it carries the service's refusal to the page."""


class NoteForm(forms.Form):
    note = _note("说明")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核意见",
        choices=[("approve", "通过"), ("return", "退回")],
        widget=forms.RadioSelect,
    )
    note = _note("说明")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", "退回须说明原因。")
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


SCORES = [(n, f"{n} 分") for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label="服务机构评分", coerce=int, widget=forms.RadioSelect, choices=SCORES)
    comment = _note("评价", max_length=500)

    def __init__(self, *args, platform: bool = False, **kwargs):
        """``platform``: the scheme rates the platform's service too (Henan)."""
        super().__init__(*args, **kwargs)
        if platform:
            self.fields["platform_score"] = forms.TypedChoiceField(
                label="省平台服务评分", coerce=int, widget=forms.RadioSelect, choices=SCORES
            )


class RedemptionRequestForm(forms.Form):
    vouchers = forms.ModelMultipleChoiceField(
        label="创新券",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择要兑付的创新券。"},
    )
    mode = forms.ChoiceField(
        label="兑付方式",
        widget=forms.RadioSelect,
        choices=[
            (RedemptionMode.INSTANT, "即时兑付（一张）"),
            (RedemptionMode.CUMULATIVE, "累计兑付（多张）"),
        ],
    )
    note = _note("说明")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vouchers"].queryset = redeemable_vouchers(user)
        self.fields["vouchers"].label_from_instance = lambda v: f"{v.number} · {v.enterprise.name}"
        if self.is_bound and self.data.get("all"):
            # 一次性提交 (Zhejiang's guide: "将所有可兑付的创新券一次性提交审批"): every voucher
            # the payee may redeem now, one at once or all together.
            ids = [str(pk) for pk in self.fields["vouchers"].queryset.values_list("pk", flat=True)]
            self.data = self.data.copy()
            self.data.setlist("vouchers", ids)
            self.data["mode"] = RedemptionMode.INSTANT if len(ids) == 1 else RedemptionMode.CUMULATIVE


class BatchCreateForm(forms.Form):
    """``cycles``: the scheme's cadences (``schemes.batch_cycles``), its own first."""

    year = _year_field()
    cycle = forms.ChoiceField(label="拨付周期", choices=CENTRE_CYCLES)

    def __init__(self, *args, cycles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = cycles
        self.fields["cycle"].error_messages["invalid_choice"] = "本年度方案没有该拨付周期。"


class ObjectionForm(forms.Form):
    reason = _note("异议理由", required=True)


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理结果",
        widget=forms.RadioSelect,
        choices=[("dismissed", "异议不成立（继续拨付）"), ("upheld", "异议成立（退回兑付申请）")],
    )
    resolution = _note("处理意见", required=True)


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.adcode}）"


class BudgetForm(forms.Form):
    year = _year_field()
    amount = forms.DecimalField(
        label="下达金额（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
    )
    region = CountyChoiceField(
        label="预算",
        required=False,
        empty_label="省级预算",  # the deployment's name is set per form (__init__)
        queryset=Region.objects.counties().only("adcode", "name").order_by("adcode"),
        help_text="选择区县时为该区县的配套预算。",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, region: int | None = None, year: int | None = None, **kwargs):
        """``region``: a bureau sets only its own region's budget (local funding). The centre
        is offered the province's budget and the budgets ``year`` has besides: every county's
        where the scheme pays from local budgets (Zhejiang), else the counties that top up —
        none where no county does (Jiangsu)."""
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.empty_label = account_label(LedgerAccount.PROVINCE_BUDGET)
        if region is not None:
            field.queryset = Region.objects.filter(pk=region)
            field.required, field.empty_label, field.initial = True, None, region
            field.help_text = "本地区科技局预算。"
            return
        year = self._posted_year(year)
        if year is not None:
            field.queryset = county_budgets(year).only("adcode", "name").order_by("adcode")
            if not field.queryset.exists():
                field.help_text = f"{year} 年度没有区县配套，只下达{field.empty_label}。"

    def _posted_year(self, year: int | None) -> int | None:
        """The year the submitted form is for (the page's year before a submission)."""
        if not self.is_bound:
            return year
        try:
            return int(self.data.get("year", ""))
        except (TypeError, ValueError):
            return year


def _required_file(label: str) -> DocumentField:
    return DocumentField(
        label=label,
        help_text="PDF（≤50 MB）或 JPG/PNG 图片（≤5 MB）。",
        error_messages={"required": f"请上传{label}。"},
    )


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} · {obj.institution.organisation.name} · {obj.item_name} · {obj.amount:,.2f} 元"


class UseRegistrationForm(InstitutionServices, forms.Form):
    """创新券使用登记 (``Policy.use_registration``): the provider and its catalogue service, the
    enterprise's own contract, the payee, the proofs and the promise, in one form. The provider
    is chosen with the page's picker (as on the offline-contract page); the service list holds
    only its services. ``bookings``: the enterprise's bookings a use may be registered for
    (``registration.registrable_bookings``); choosing one names the provider and item."""

    booking = BookingChoiceField(
        label="预约记录",
        required=False,
        queryset=Booking.objects.none(),
        empty_label="不关联预约（线下使用创新券）",
        help_text="在平台预约、服务方已接受的服务请选择其预约记录；同一预约只能登记一次。",
        error_messages={"invalid_choice": "所选预约不是本单位可登记使用的预约（须服务方已接受且尚未登记）。"},
    )
    institution = InstitutionChoiceField(
        label="服务方",
        required=False,
        queryset=catalog_selectors.public_institutions().order_by("organisation__name"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "所选服务方未在平台入库。"},
    )
    service = ServiceChoiceField(
        label="服务内容",
        required=False,
        queryset=catalog_selectors.public_services().none(),
        empty_label="请选择服务内容",
        help_text="列出所选服务方发布的服务。",
        error_messages={"required": "请选择服务内容。", "invalid_choice": "所选服务内容不属于该服务方，或已不再公开。"},
    )
    category = forms.ChoiceField(label="服务类别", choices=ServiceCategory.choices)
    title = forms.CharField(label="合同名称", max_length=200)
    amount = forms.DecimalField(
        label="合同金额（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": "合同金额须大于 0。"},
    )
    signed_on = forms.DateField(label="合同签订时间", widget=DATE_INPUT)
    completed_on = forms.DateField(label="服务完成日期", widget=DATE_INPUT)
    payee_choice = forms.ChoiceField(
        label="兑付方",
        choices=PayeeChoice.choices,
        widget=forms.RadioSelect,
        help_text="全款支付请选择“企业兑付”（服务方确认后由本单位申请兑付）；创新券抵扣请选择“载体兑付”（由服务方申请兑付）。",
        error_messages={"required": "请选择兑付方：企业兑付或载体兑付。"},
    )
    contract_file = _required_file("合同")
    invoice_file = _required_file("发票")
    invoice_number = forms.CharField(label="发票号码", max_length=64, required=False)
    result_file = _required_file("服务结果凭证")
    promise = forms.BooleanField(
        label="本单位承诺所填信息和上传材料真实有效，创新券不转让、不赠予、不买卖",
        error_messages={"required": "请阅读并勾选承诺条款。"},
    )

    def __init__(self, *args, bookings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bookings is not None:
            self.fields["booking"].queryset = bookings

    def clean(self):
        data = super().clean()
        booking = data.get("booking")
        if booking is None and "booking" not in self.errors:
            # Without a booking the provider and its service are chosen here.
            if data.get("institution") is None and "institution" not in self.errors:
                self.add_error("institution", "请选择服务方。")
            if data.get("service") is None and "service" not in self.errors:
                self.add_error("service", "请选择服务内容。")
        return data
