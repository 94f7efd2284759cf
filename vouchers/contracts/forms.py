"""Forms of the voucher pages. They parse and check input; the rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from accounts import province
from accounts.models import Qualification
from catalog import selectors as catalog_selectors
from catalog.models import ServiceCategory
from geodata.models import Region, RegionLevel
from mapsite import uploads
from vouchers.contracts.services import CONTRACT_FIELDS
from vouchers.models import Contract, Policy, Reviewer
from vouchers.names import level_name, level_names
from vouchers.policies.labels import KEY_NAMES, labels_text, parse_labels
from vouchers.policies.schemes import chain_text, parse_chain

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _note(label: str, *, required: bool = False, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _DocumentField(forms.FileField):
    """A PDF or image, checked by its content (a renamed executable is refused)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            uploads.check(upload)
        return upload


class PercentField(forms.DecimalField):
    """A rate entered and shown in per cent (30 → stored 0.3): the centre reads and types
    "30%", never the stored fraction. At most two decimals of a per cent (four of the
    fraction, the model's precision)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("100"))
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "error_messages",
            {  # Django %-formats these messages: "%%" is a per cent sign
                "min_value": "比例须在 0%% 到 100%% 之间。",
                "max_value": "比例须在 0%% 到 100%% 之间。",
                "max_decimal_places": "比例最多保留两位小数（如 12.5）。",
            },
        )
        kwargs.setdefault(
            "widget", forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "class": "percent"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return f"{(Decimal(str(value)) * 100).normalize():f}"
        return value  # what was typed, shown back as it was

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else percent / 100


# --- Contracts -------------------------------------------------------------------------------


class ContractForm(forms.ModelForm):
    """The templated contract's own fields (``services.CONTRACT_FIELDS``). Never saved by
    the form: the view hands ``cleaned_data`` to the contract services."""

    category = forms.ChoiceField(label="服务类别", choices=ServiceCategory.choices)

    class Meta:
        model = Contract
        fields = list(CONTRACT_FIELDS)
        widgets = {
            "content": forms.Textarea(attrs={"rows": 5}),
            "payment_terms": forms.Textarea(attrs={"rows": 3}),
            "signed_on": DATE_INPUT,
            "service_start": DATE_INPUT,
            "service_end": DATE_INPUT,
        }
        help_texts = {
            "mandatory_testing": "强制性、法定或商业性检验不在创新券支持范围。",
            "other_public_funding": "项目已获其他财政资金支持的，不得重复申领。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update({"min": "0.01", "step": "0.01"})
        self.fields["amount"].validators.append(_positive)

    def clean(self):
        data = super().clean()
        start, end = data.get("service_start"), data.get("service_end")
        if start and end and end < start:
            self.add_error("service_end", "服务结束日期不能早于开始日期。")
        return data

    def contract_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTRACT_FIELDS if name in self.cleaned_data}


def _positive(value):
    if value is not None and value <= 0:
        raise ValidationError("合同金额须大于 0。")


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.price} {obj.unit}）"


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = obj.organisation
        return f"{org.name}（{org.credit_code}）" if org.credit_code else org.name


class InstitutionServices:
    """A form whose ``service`` lists only the chosen ``institution``'s public services (the
    page's picker sets the institution; a bound form reads it from the data)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.chosen_institution_id()
        if chosen is not None:
            self.fields["service"].queryset = (
                catalog_selectors.public_services().filter(institution_id=chosen).order_by("name")
            )

    def chosen_institution_id(self) -> int | None:
        value = self.data.get("institution") if self.is_bound else self.initial.get("institution")
        value = getattr(value, "pk", value)
        return int(value) if str(value or "").isdigit() else None


class OfflineContractForm(InstitutionServices, ContractForm):
    """An agreement made off the map: the listed institution and, optionally, one of its
    published services.

    The service list holds only the chosen institution's services (the posted one, else the
    page's ``?institution=``): the province lists some 900 services, and one select of them
    all was slow to send and wider than a phone. Until an institution is chosen the list is
    empty."""

    institution = InstitutionChoiceField(
        label="服务机构",
        queryset=catalog_selectors.public_institutions().order_by("organisation__name"),
        # Chosen with the page's own picker (a GET form above this one, so that choosing it
        # lists its services even without script); this form carries the choice.
        widget=forms.HiddenInput,
        error_messages={"required": "请选择服务机构。", "invalid_choice": "所选服务机构未在平台入库。"},
    )
    service = ServiceChoiceField(
        label="服务项目",
        required=False,
        queryset=catalog_selectors.public_services().none(),
        empty_label="（不选择，按合同内容填写）",
        help_text="可选；列出所选机构发布的服务。",
        error_messages={"invalid_choice": "服务项目不属于所选机构，或已不再公开。"},
    )

    field_order = ["institution", "service", *CONTRACT_FIELDS]

    def clean(self):
        data = super().clean()
        inst, service = data.get("institution"), data.get("service")
        if inst is not None and service is not None and service.institution_id != inst.pk:
            self.add_error("service", "服务项目不属于所选机构。")
        return data


class PledgeForm(forms.Form):
    agree = forms.BooleanField(label="本单位已阅读并同意上述诚信承诺", required=True)


class ScanForm(forms.Form):
    scan = _DocumentField(label="盖章合同扫描件", help_text="PDF（≤50 MB）或 JPG/PNG 图片（≤5 MB）。")


class AttachmentForm(forms.Form):
    name = forms.CharField(label="附件说明", max_length=100, required=False)
    file = _DocumentField(label="附件", help_text="如报价单、技术方案、资质证明等；PDF 或图片。")


class SubmitForm(forms.Form):
    """No input: submitting runs the pre-check; the form only carries its refusal."""


class ReviewForm(forms.Form):
    """A reviewer's decision; ``verb`` names the level's step (``names.review_word``): where
    the institution accepts the order (受理, Henan) its options are 受理 / 退回修改."""

    decision = forms.ChoiceField(
        label="审核意见",
        choices=[("approve", "同意"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    note = _note("说明", max_length=1000)

    def __init__(self, *args, verb: str = "审核", **kwargs):
        super().__init__(*args, **kwargs)
        if verb != "审核":
            self.fields["decision"].label = f"{verb}意见"
            self.fields["decision"].choices = [("approve", verb), ("return", "退回修改")]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", "退回须说明原因。")
        return data


# --- Policies --------------------------------------------------------------------------------


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.adcode}）"


class PolicyForm(forms.ModelForm):
    """Every policy field except ``tiers``, which is edited as a table (``TierFormSet``)."""

    region = RegionChoiceField(
        label="适用地区",
        required=False,
        empty_label="省级政策",  # the deployment's words are set in __init__
        queryset=Region.objects.only("adcode", "name", "level").order_by("adcode"),
        help_text="留空为全区政策；选择区县时该记录只设定该区县的配套比例。",
    )

    class Meta:
        model = Policy
        fields = [
            "name",
            "year",
            "region",
            "model",
            "flat_rate",
            "entitlement",
            "claim_year_cap",
            "claim_each_cap",
            "holding_cap",
            "revenue_limit",
            "final_refusal",
            "value_fixed",
            "proof_by",
            "proof_review",
            "payee_rule",
            "use_registration",
            "project_registration",
            "result_confirmation",
            "payout_cutoff_workdays",
            "expert_review",
            "finance_confirmation",
            "monthly_notice",
            "valid_to_year_end",
            "cap_legal_entity",
            "cap_individual",
            "county_topup_rate",
            "validity_days",
            "resubmissions_allowed",
            "redemption_mode",
            "payout_cycle",
            "notice_days",
            "split_window_days",
            "tech_purchase_limit",
            "redemption_resubmissions",
            "rating_days",
            "expiry_warning_days",
            "proof_workdays",
            "review_workdays",
            "check_workdays",
            "confirm_workdays",
            "subsidy_rate_public",
            "subsidy_rate_social",
            "subsidy_per_public_benefit",
            "subsidy_cap_institution",
        ]

    RATE_FIELDS = ("flat_rate", "county_topup_rate", "subsidy_rate_public", "subsidy_rate_social")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_quota_fields()
        self.fields["contract_review_text"].initial = chain_text(self.instance.contract_review)
        self.fields["redemption_review_text"].initial = chain_text(self.instance.redemption_review)
        self.fields["voucher_labels_text"].initial = labels_text(self.instance.voucher_labels)
        bureau = level_name(Reviewer.BUREAU)
        also = f"（{bureau}也可写作推荐部门）" if bureau != "推荐部门" else ""
        self.fields["contract_review_text"].help_text = (
            f"用“→”连接审核环节，如 {chain_text([Reviewer.BUREAU, Reviewer.OPERATOR, Reviewer.CENTRE])}；"
            f"可用：{'、'.join(level_names().values())}{also}；留空为使用前无需审核。"
        )
        self.fields["redemption_review_text"].help_text = (
            "1–2 级，第一级审核材料（可核定认定金额），最后一级确认，"
            f"如 {chain_text([Reviewer.OPERATOR, Reviewer.CENTRE])}。"
        )
        profile = province.current()
        self.fields["region"].empty_label = f"{profile.whole}（省级政策）"
        self.fields["region"].help_text = f"留空为全{profile.region_word}政策；选择区县时该记录只设定该区县的配套比例。"
        for name in self.RATE_FIELDS:
            model_field = self.fields[name]
            self.fields[name] = PercentField(
                label=f"{model_field.label}（%）",
                required=model_field.required,
                help_text="按百分数填写，如 30 表示 30%。",
            )

    contract_review_text = forms.CharField(
        label="合同/订单审核顺序",
        required=False,
        max_length=100,
        help_text="用“→”连接审核环节；留空为使用前无需审核。",  # named per deployment in __init__
    )
    redemption_review_text = forms.CharField(
        label="兑付审核顺序",
        max_length=100,
        help_text="1–2 级，第一级审核材料（可核定认定金额），最后一级确认。",  # example named in __init__
    )

    voucher_labels_text = forms.CharField(
        label="创新券状态名称",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "每行一条“状态=名称”，如 已生效=未支付、兑付退回=兑付失败；"
            "可用状态：" + "、".join(KEY_NAMES.values()) + "；未写的状态用默认名称，留空为全部默认。"
        ),
    )

    def clean_voucher_labels_text(self):
        if "voucher_labels_text" not in self.data:  # a post without the field keeps the names
            return dict(self.instance.voucher_labels or {})
        return parse_labels(self.cleaned_data.get("voucher_labels_text", ""))

    def clean_contract_review_text(self):
        return parse_chain(self.cleaned_data.get("contract_review_text", ""))

    def clean_redemption_review_text(self):
        return parse_chain(self.cleaned_data.get("redemption_review_text", ""))

    # --- The quota model's yearly quotas (``Policy.quota``) as amount fields ---------------
    #
    # ``quota`` is {"default": amount, "by_qualification": {key: amount}, "by_city": {adcode:
    # amount}}; the centre fills one amount per qualification and per city (the province's
    # cities, and any city the record already names), an empty field meaning "none".

    def _quota_field(self, name: str, label: str, initial) -> None:
        self.fields[name] = forms.DecimalField(
            label=label,
            required=False,
            max_digits=14,
            decimal_places=2,
            min_value=Decimal("0"),
            initial=None if initial in (None, "") else Decimal(str(initial)),
            widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "placeholder": "不设"}),
        )

    def _add_quota_fields(self) -> None:
        quota = self.instance.quota or {}
        self._quota_field("quota_default", "默认额度（元）", quota.get("default"))
        self.fields["quota_default"].help_text = "未按资质或地市另设额度的申请方适用；按合同模式可留空。"
        by_kind = quota.get("by_qualification") or {}
        self.quota_kinds = [(key, label) for key, label in Qualification.choices if key != Qualification.OTHER]
        self.quota_kinds.append(("individual", "个人/创新团队"))
        for key, label in self.quota_kinds:
            self._quota_field(f"quota_kind_{key}", f"{label}（元）", by_kind.get(key))
        by_city = {str(k): v for k, v in (quota.get("by_city") or {}).items()}
        cities = dict(Region.objects.filter(level=RegionLevel.CITY).order_by("adcode").values_list("adcode", "name"))
        self.quota_cities = [(str(code), name) for code, name in cities.items()]
        self.quota_cities += [(code, f"地区代码 {code}") for code in sorted(by_city) if int(code) not in cities]
        for code, name in self.quota_cities:
            self._quota_field(f"quota_city_{code}", f"{name}（元）", by_city.get(code))

    def quota_groups(self) -> list[tuple[str, list]]:
        """The quota fields for the template: (heading, bound fields)."""
        return [
            ("默认", [self["quota_default"]]),
            ("按资质（优先于默认额度）", [self[f"quota_kind_{key}"] for key, _ in self.quota_kinds]),
            ("按地市（优先于资质和默认额度）", [self[f"quota_city_{code}"] for code, _ in self.quota_cities]),
        ]

    def _quota(self, data: dict) -> dict:
        def amounts(prefix: str, keys) -> dict:
            values = {key: data.get(f"{prefix}{key}") for key, _ in keys}
            return {key: _plain(value) for key, value in values.items() if value is not None}

        quota: dict = {}
        if data.get("quota_default") is not None:
            quota["default"] = _plain(data["quota_default"])
        if kinds := amounts("quota_kind_", self.quota_kinds):
            quota["by_qualification"] = kinds
        if cities := amounts("quota_city_", self.quota_cities):
            quota["by_city"] = cities
        return quota

    def policy_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("quota_")}
        data["quota"] = self._quota(self.cleaned_data)
        data["contract_review"] = data.pop("contract_review_text", [])
        data["redemption_review"] = data.pop("redemption_review_text", [])
        data["voucher_labels"] = data.pop("voucher_labels_text", {})
        return data


class TierForm(forms.Form):
    upper = forms.DecimalField(
        label="上限（元）",
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "placeholder": "空 = 以上全部"}),
    )
    rate = PercentField(label="比例（%）", required=False)


class BaseTierFormSet(forms.BaseFormSet):
    """Marginal tiers: rates 0–1, upper bounds strictly increasing, the last one open."""

    def __init__(self, *args, policy_model: str = "contract", **kwargs):
        super().__init__(*args, **kwargs)
        self.policy_model = policy_model

    def rows(self) -> list[tuple[Decimal | None, Decimal]]:
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            upper, rate = data.get("upper"), data.get("rate")
            if upper is None and rate is None:
                continue  # an empty row is ignored
            out.append((upper, rate))
        return out

    def clean(self):
        if any(self.errors):
            return
        rows = self.rows()
        problems = []
        for i, (_upper, rate) in enumerate(rows, start=1):
            if rate is None:
                problems.append(f"第 {i} 段缺少比例。")
            elif not (Decimal("0") <= rate <= Decimal("1")):
                problems.append(f"第 {i} 段的比例须在 0% 到 100% 之间。")
        bounds = [upper for upper, _ in rows]
        for i, upper in enumerate(bounds[:-1], start=1):
            if upper is None:
                problems.append(f"只有最后一段的上限可以为空（第 {i} 段为空）。")
        if bounds and bounds[-1] is not None:
            problems.append("最后一段的上限须留空（表示超过前一段上限的全部金额）。")
        given = [b for b in bounds if b is not None]
        if any(b2 <= b1 for b1, b2 in zip(given, given[1:], strict=False)):
            problems.append("各段上限须逐段递增。")
        if not rows and self.policy_model == "contract":
            problems.append("按合同模式须至少设置一段比例。")
        if problems:
            raise ValidationError(problems)

    def tiers(self) -> list[list[str | None]]:
        return [[None if upper is None else _plain(upper), _plain(rate)] for upper, rate in self.rows()]


def _plain(value: Decimal) -> str:
    """``Decimal("100000.00")`` → ``"100000"``, ``Decimal("0.3000")`` → ``"0.3"``."""
    return f"{value.normalize():f}"


TierFormSet = forms.formset_factory(TierForm, formset=BaseTierFormSet, extra=2, max_num=10)


def tier_initial(policy: Policy) -> list[dict]:
    rows = []
    for upper, rate in policy.tiers or []:
        rows.append({"upper": None if upper is None else Decimal(str(upper)), "rate": Decimal(str(rate))})
    return rows


class TrialForm(forms.Form):
    """试算: what a contract of ``amount`` earns under the saved policy."""

    amount = forms.DecimalField(label="合同金额（元）", max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    received = forms.DecimalField(
        label="本年度已获（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        initial=Decimal("0"),
    )
    applicant_kind = forms.ChoiceField(
        label="申请主体",
        choices=[("enterprise", "法人/社会组织"), ("individual", "个人/创新团队")],
        initial="enterprise",
    )
