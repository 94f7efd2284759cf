"""Voucher policy, service contracts, vouchers and the money ledger.

Subsidy rules are data (``Policy``), not code. A contract becomes a voucher after three
reviews; every movement of money is an append-only ``LedgerEntry`` (a database trigger
refuses UPDATE and DELETE), and balances are sums of entries.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mapsite.storage import private_storage
from mapsite.workflow import AuditEvent

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 4}
WORKDAYS = {"validators": [MinValueValidator(1), MaxValueValidator(90)]}  # a time limit in working days


class PolicyModel(models.TextChoices):
    CONTRACT = "contract", "按合同申领（宁夏）"
    QUOTA = "quota", "年度额度（江苏/河南/浙江）"


class RedemptionMode(models.TextChoices):
    INSTANT = "instant", "即时兑付"
    CUMULATIVE = "cumulative", "累计兑付"
    BOTH = "both", "即时或累计"


class PayoutCycle(models.TextChoices):
    MONTHLY = "monthly", "按月"
    QUARTERLY = "quarterly", "按季度（专家评审+公示）"


class Policy(models.Model):
    """Every number of the voucher rules for one year, province-wide or for one region.

    ``tiers`` (contract model) is a list of ``[upper_bound_or_null, rate]`` applied
    marginally: Ningxia ``[["100000", "0.50"], ["500000", "0.30"], [null, "0.15"]]``.
    ``quota`` (quota model) is ``{"default": "100000", "by_qualification": {...},
    "by_city": {"320300": "140000", ...}}``; the first match of city, then qualification,
    then default is the enterprise's annual quota."""

    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey(
        "geodata.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="empty = the whole province; a county record only sets its top-up",
    )
    model = models.CharField("模式", max_length=10, choices=PolicyModel.choices, default=PolicyModel.CONTRACT)
    tiers = models.JSONField("分段比例", default=list, blank=True)
    flat_rate = models.DecimalField("统一比例", **RATE, null=True, blank=True)
    quota = models.JSONField("年度额度", default=dict, blank=True)
    claim_up_to_cap = models.BooleanField("额度内任意申领", default=False)
    requires_review = models.BooleanField("需逐级审核", default=True)
    cap_legal_entity = models.DecimalField("法人/社会组织年度上限", **MONEY, default=Decimal("200000"))
    cap_individual = models.DecimalField("个人/团队年度上限", **MONEY, default=Decimal("50000"))
    county_topup_rate = models.DecimalField("区县配套比例", **RATE, default=Decimal("0"))
    validity_days = models.PositiveIntegerField("有效期（天）", default=365)
    resubmissions_allowed = models.PositiveSmallIntegerField("允许退回后重新提交次数", default=2)
    redemption_mode = models.CharField(
        "兑付方式", max_length=10, choices=RedemptionMode.choices, default=RedemptionMode.BOTH
    )
    payout_cycle = models.CharField("拨付周期", max_length=10, choices=PayoutCycle.choices, default=PayoutCycle.MONTHLY)
    notice_days = models.PositiveSmallIntegerField("公示天数", default=5)
    # Time limits in working days (SPEC §5.3–5.4), read by the settlement services and by
    # the dashboards' review-time statistics.
    proof_workdays = models.PositiveSmallIntegerField("使用证明提交时限（工作日）", default=10, **WORKDAYS)
    review_workdays = models.PositiveSmallIntegerField("合同每级审核时限（工作日）", default=5, **WORKDAYS)
    check_workdays = models.PositiveSmallIntegerField("兑付材料审核时限（工作日）", default=7, **WORKDAYS)
    confirm_workdays = models.PositiveSmallIntegerField("兑付确认时限（工作日）", default=5, **WORKDAYS)
    split_window_days = models.PositiveSmallIntegerField("拆分合同检查窗口（天）", default=90)
    redemption_resubmissions = models.PositiveSmallIntegerField("兑付申请退回后允许重新提交次数", default=1)
    rating_days = models.PositiveSmallIntegerField(
        "未评价自动好评（服务完成后天数）", default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    expiry_warning_days = models.PositiveSmallIntegerField(
        "到期提醒（提前天数）", default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    tech_purchase_limit = models.DecimalField(
        "购买技术成果金额上限（不含）", **MONEY, default=Decimal("500000"), validators=[MinValueValidator(0)]
    )
    subsidy_rate_public = models.DecimalField("事业单位机构补助比例", **RATE, default=Decimal("0.50"))
    subsidy_rate_social = models.DecimalField("社会机构补助比例", **RATE, default=Decimal("0.20"))
    subsidy_per_public_benefit = models.DecimalField("公益服务每份合同补助", **MONEY, default=Decimal("200"))
    subsidy_cap_institution = models.DecimalField("机构年度补助上限", **MONEY, default=Decimal("300000"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "创新券政策"
        verbose_name_plural = "创新券政策"
        ordering = ["-year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="one_policy_per_year_region", nulls_distinct=False),
            models.CheckConstraint(
                condition=Q(county_topup_rate__gte=0) & Q(county_topup_rate__lte=1), name="topup_rate_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class ScopeUse(models.TextChoices):
    """五大用途 (SPEC §5.1)."""

    TESTING = "testing", "委托检验检测、动物实验、分析、设计、模具开发"
    TECH_PURCHASE = "tech_purchase", "购买技术成果（专利等，50万元以下）"
    CONSULTING = "consulting", "培训咨询、仪器维护、科技查新、成果评价、知识产权服务"
    INCUBATION = "incubation", "孵化服务"
    OTHER = "other", "其他经认定的科技服务"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待推荐部门审核"
    BUREAU_APPROVED = "bureau_approved", "待运营单位复核"
    OPERATOR_APPROVED = "operator_approved", "待创业中心审定"
    APPROVED = "approved", "已审定（已生成创新券）"
    RETURNED = "returned", "已退回"


class Contract(models.Model):
    """科技创新券服务合同: the templated contract a voucher is issued for."""

    number = models.CharField("合同编号", max_length=24, unique=True)
    status = models.CharField(max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="contracts")
    institution = models.ForeignKey("catalog.Institution", on_delete=models.PROTECT, related_name="contracts")
    booking = models.OneToOneField(
        "catalog.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="contract"
    )
    service = models.ForeignKey("catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(
        "catalog.Instrument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField("服务项目名称", max_length=200)
    content = models.TextField("服务内容")
    scope = models.CharField("用途", max_length=16, choices=ScopeUse.choices)
    category = models.CharField("服务类别", max_length=16)
    amount = models.DecimalField("合同金额（元）", **MONEY)
    signed_on = models.DateField("签订日期")
    service_start = models.DateField("服务开始")
    service_end = models.DateField("服务结束")
    payment_terms = models.TextField("付款方式", blank=True)
    mandatory_testing = models.BooleanField("属强制性/法定/商业检验", default=False)
    other_public_funding = models.BooleanField("本项目已获其他财政资金支持", default=False)
    pledge_accepted_at = models.DateTimeField("诚信承诺时间", null=True, blank=True)
    voucher_amount = models.DecimalField("创新券金额（元）", **MONEY, default=Decimal("0"))
    county_topup = models.DecimalField("区县配套（元）", **MONEY, default=Decimal("0"))
    precheck = models.JSONField("自动初审", default=list, blank=True)
    split_suspected = models.BooleanField("疑似拆分合同", default=False)
    resubmissions = models.PositiveSmallIntegerField("重新提交次数", default=0)
    signed_scan = models.FileField("盖章合同扫描件", storage=private_storage, upload_to="contracts/%Y/", blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "创新券服务合同"
        verbose_name_plural = "创新券服务合同"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(voucher_amount__gte=0) & Q(county_topup__gte=0), name="contract_voucher_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(service_end__gte=models.F("service_start")), name="contract_dates_in_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"]), models.Index(fields=["enterprise", "institution"])]

    def __str__(self) -> str:
        return self.number


class ContractAttachment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField("说明", max_length=100)
    file = models.FileField(storage=private_storage, upload_to="contracts/attachments/%Y/")
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ContractEvent(AuditEvent):
    """One audit row per contract status change (who, role, when, from, to, note)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=20, choices=ContractStatus.choices)
    to_status = models.CharField(max_length=20, choices=ContractStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class VoucherStatus(models.TextChoices):
    ISSUED = "issued", "已生效"
    USED = "used", "已使用"
    EXPIRED = "expired", "已过期"
    REDEEMING = "redeeming", "兑付中"
    REDEEMED = "redeemed", "已兑付"
    CLAWED_BACK = "clawed_back", "已追回"


class Voucher(models.Model):
    """An electronic innovation voucher (科技创新券), one per approved contract."""

    number = models.CharField("券号", max_length=24, unique=True)
    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="voucher")
    applicant = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="vouchers_applied")
    holder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="vouchers_held")
    institution = models.ForeignKey("catalog.Institution", on_delete=models.PROTECT, related_name="vouchers")
    face_value = models.DecimalField("面值（元）", **MONEY)
    county_topup = models.DecimalField("区县配套（元）", **MONEY, default=Decimal("0"))
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField(max_length=12, choices=VoucherStatus.choices, default=VoucherStatus.ISSUED)
    issued_at = models.DateTimeField()
    valid_until = models.DateField("有效期至")
    expiry_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "创新券"
        verbose_name_plural = "创新券"
        constraints = [models.CheckConstraint(condition=Q(face_value__gt=0), name="voucher_face_positive")]

    def __str__(self) -> str:
        return self.number


class VoucherEvent(AuditEvent):
    """One audit row per voucher status change (who, role, when, from, to, note)."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=12, choices=VoucherStatus.choices)
    to_status = models.CharField(max_length=12, choices=VoucherStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class LedgerAccount(models.TextChoices):
    """Where value sits. A voucher's value moves VOUCHER (held by ``organisation``) →
    REDEEMING → PAYABLE → PAID (to the payee); budgets fund PAID; the applicant's cap use is
    APPLICANT_CAP. Every balance is the sum of its entries and must never go below zero."""

    APPLICANT_CAP = "applicant_cap", "企业年度额度占用"
    VOUCHER = "voucher", "创新券余额"
    REDEEMING = "redeeming", "兑付审核中"
    PAYABLE = "payable", "待拨付"
    PAID = "paid", "已拨付"
    PROVINCE_BUDGET = "province_budget", "自治区预算"
    COUNTY_BUDGET = "county_budget", "区县配套预算"


class LedgerKind(models.TextChoices):
    ISSUE = "issue", "发券"
    USE = "use", "使用"
    REDEEM_REQUEST = "redeem_request", "申请兑付"
    CONFIRM = "confirm", "确认兑付"
    PAY = "pay", "拨付"
    EXPIRE = "expire", "过期"
    CLAWBACK = "clawback", "追回"
    BUDGET = "budget", "预算下达"
    RETURN = "return", "退回"


class LedgerEntry(models.Model):
    """One movement of money. Append-only: a trigger refuses UPDATE and DELETE.

    ``account`` with ``organisation`` / ``voucher`` / ``region`` and ``year`` names the
    balance; the balance is the sum of ``amount`` over its entries."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    account = models.CharField(max_length=16, choices=LedgerAccount.choices)
    year = models.PositiveSmallIntegerField()
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger")
    region = models.ForeignKey("geodata.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["account", "organisation", "year"]),
            models.Index(fields=["account", "voucher"]),
        ]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero")]


class IntegrityRecord(models.Model):
    """诚信记录: a bad-faith finding against an organisation. While active it blocks new
    voucher applications; records are never deleted, only lifted with a note."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="integrity_records"
    )
    reason = models.TextField("原因")
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "诚信记录"
        verbose_name_plural = "诚信记录"


class ProofStatus(models.TextChoices):
    NONE = "none", "待上传"
    SUBMITTED = "submitted", "待运营单位审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class VoucherUse(models.Model):
    """Paying with a voucher (SPEC §5.3). In-region: the enterprise pays price − voucher and
    the voucher passes to the institution. Out-of-region: the enterprise pays in full and
    keeps the voucher to redeem itself. ``idempotency_key`` makes a retried request safe."""

    voucher = models.OneToOneField(Voucher, on_delete=models.PROTECT, related_name="use")
    payee = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", help_text="who will redeem the voucher"
    )
    price = models.DecimalField("服务价款", **MONEY)
    voucher_applied = models.DecimalField("创新券抵扣", **MONEY)
    cash_paid = models.DecimalField("现金支付", **MONEY)
    completed_on = models.DateField("服务完成日期")
    proof_deadline = models.DateField("证明材料截止日期")
    calendar_warning = models.CharField(max_length=200, blank=True)
    proof_status = models.CharField(max_length=12, choices=ProofStatus.choices, default=ProofStatus.NONE)
    proof_submitted_at = models.DateTimeField(null=True, blank=True)
    proof_late = models.BooleanField("逾期提交", default=False)
    proof_note = models.CharField("审核意见", max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    paid_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(auto_now_add=True)
    rating = models.OneToOneField(
        "catalog.Rating",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_use",
        help_text="the applicant's rating of this use (one per use; also for offline contracts)",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(cash_paid__gte=0) & Q(voucher_applied__gt=0), name="use_amounts_valid"),
        ]


class ProofEvent(AuditEvent):
    """One audit row per change of a use's proof status (submitted, approved, returned)."""

    use = models.ForeignKey(VoucherUse, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=12, choices=ProofStatus.choices)
    to_status = models.CharField(max_length=12, choices=ProofStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class ProofKind(models.TextChoices):
    INVOICE = "invoice", "发票"
    BANK_RECEIPT = "bank_receipt", "银行回单"
    RESULT = "result", "结果证明（报告/方案/总结）"
    RND = "rnd", "研发活动证明"
    OTHER = "other", "其他"


class Proof(models.Model):
    use = models.ForeignKey(VoucherUse, on_delete=models.PROTECT, related_name="proofs")
    kind = models.CharField(max_length=16, choices=ProofKind.choices)
    number = models.CharField("票据号", max_length=64, blank=True)
    amount = models.DecimalField("金额", **MONEY, null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to="proofs/%Y/")
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class RedemptionStatus(models.TextChoices):
    SUBMITTED = "submitted", "待运营单位审核"
    RETURNED = "returned", "已退回"
    CHECKED = "checked", "待创业中心确认"
    CONFIRMED = "confirmed", "待拨付"
    PAID = "paid", "已拨付"
    WITHDRAWN = "withdrawn", "已撤回"


class Redemption(models.Model):
    """兑付申请: one voucher at once (即时) or several together (累计), by the payee."""

    number = models.CharField(max_length=24, unique=True)
    payee = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="redemptions")
    mode = models.CharField(max_length=10, choices=RedemptionMode.choices)
    status = models.CharField(max_length=12, choices=RedemptionStatus.choices, default=RedemptionStatus.SUBMITTED)
    amount = models.DecimalField(**MONEY)
    year = models.PositiveSmallIntegerField()
    note = models.TextField("说明", blank=True)
    materials = models.FileField("兑付材料", storage=private_storage, upload_to="redemptions/%Y/", blank=True)
    submitted_at = models.DateTimeField()
    check_deadline = models.DateField("审核截止")
    resubmissions = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="redemption_amount_positive")]


class RedemptionItem(models.Model):
    redemption = models.ForeignKey(Redemption, on_delete=models.PROTECT, related_name="items")
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemption_items")
    amount = models.DecimalField(**MONEY)


class RedemptionEvent(AuditEvent):
    """One audit row per redemption status change."""

    redemption = models.ForeignKey(Redemption, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=12, choices=RedemptionStatus.choices)
    to_status = models.CharField(max_length=12, choices=RedemptionStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    NOTICE = "notice", "公示中"
    APPROVED = "approved", "待拨付"
    PAID = "paid", "已拨付"


class PayoutBatch(models.Model):
    number = models.CharField(max_length=24, unique=True)
    year = models.PositiveSmallIntegerField()
    cycle = models.CharField(max_length=10, choices=PayoutCycle.choices)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    notice_from = models.DateField(null=True, blank=True)
    notice_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class PayoutBatchEvent(AuditEvent):
    """One audit row per payout batch status change."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=10, choices=BatchStatus.choices)
    to_status = models.CharField(max_length=10, choices=BatchStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class BatchItemStatus(models.TextChoices):
    PENDING = "pending", "待拨付"
    HELD = "held", "异议暂缓"
    WAITING_BUDGET = "waiting_budget", "待下年度预算"
    PAID = "paid", "已拨付"
    RELEASED = "released", "已移出（可纳入后续批次）"


# An item in one of these statuses still owns its redemption: at most one per redemption.
ACTIVE_ITEM_STATUSES = (
    BatchItemStatus.PENDING,
    BatchItemStatus.HELD,
    BatchItemStatus.WAITING_BUDGET,
    BatchItemStatus.PAID,
)


class BatchItem(models.Model):
    """A redemption in a payout batch. A released item (an upheld objection sent the
    redemption back) stays in its batch as a record; the redemption, once confirmed again,
    enters a later batch as a new item."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="items")
    redemption = models.ForeignKey(Redemption, on_delete=models.PROTECT, related_name="batch_items")
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=16, choices=BatchItemStatus.choices, default=BatchItemStatus.PENDING)
    paid_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="when it started waiting for budget")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["redemption"],
                condition=Q(status__in=ACTIVE_ITEM_STATUSES),
                name="one_active_batch_item_per_redemption",
            )
        ]


class BatchItemEvent(AuditEvent):
    """One audit row per batch item status change."""

    item = models.ForeignKey(BatchItem, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=16, choices=BatchItemStatus.choices)
    to_status = models.CharField(max_length=16, choices=BatchItemStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class Objection(models.Model):
    """An objection lodged during a batch's public notice (公示); an open one holds its item."""

    item = models.ForeignKey(BatchItem, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("异议理由")
    status = models.CharField(max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    resolution = models.TextField("处理意见", blank=True)
    resolved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)


class ObjectionEvent(AuditEvent):
    """One audit row per objection status change (upheld or dismissed)."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=10, choices=ObjectionStatus.choices)
    to_status = models.CharField(max_length=10, choices=ObjectionStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class Budget(models.Model):
    """A year's voucher budget (province when ``region`` is empty, else a county top-up
    budget). The row is the lock taken before paying; the money is in the ledger."""

    year = models.PositiveSmallIntegerField()
    region = models.ForeignKey("geodata.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="one_budget_per_year_region", nulls_distinct=False)
        ]
