"""Voucher policy, service contracts, vouchers and the money ledger.

Subsidy rules are data (``Policy``), not code. A contract becomes a voucher after three
reviews; every movement of money is an append-only ``LedgerEntry`` (a database trigger
refuses UPDATE and DELETE), and balances are sums of entries.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

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
    # Zhejiang: the local bureau's approval of a redemption is its payout — a batch of its
    # own region, made, approved and paid in the same step (see settlement.payouts).
    ON_APPROVAL = "on_approval", "地方科技局审批即拨付"


# The cycles of the centre's batches (an on-approval batch is made by the bureau's approval).
CENTRE_CYCLES = [(c.value, c.label) for c in PayoutCycle if c != PayoutCycle.ON_APPROVAL]


class Funding(models.TextChoices):
    """Whose budget pays a voucher's face value (a county top-up is always the county's)."""

    PROVINCE = "province", "省级预算，区县配套另计"
    LOCAL = "local", "申请方所在地科技局预算（浙江）"


# --- The scheme (SPEC §10): the shape of the year's flow, as fields of its policy ----------


class Entitlement(models.TextChoices):
    """How an applicant gets the year's amount it may spend on vouchers (额度)."""

    NONE = "none", "无需申领：年度上限由已发券金额占用（宁夏）"
    QUOTA = "quota", "领取固定额度：按资质与地市自动核定（河南）"
    APPLICATION = "application", "年度资格申请：科技主管部门审核，科小即时通过（江苏）"
    CLAIM = "claim", "额度内自主申领：受年度、单次、持有上限约束（浙江）"


class Reviewer(models.TextChoices):
    """Who may hold a review level of a scheme's chain (contract/order or redemption)."""

    BUREAU = "bureau", "推荐部门（市县科技局）"
    INSTITUTION = "institution", "服务机构受理"
    OPERATOR = "operator", "运营单位（平台）"
    CENTRE = "centre", "创业中心"


class FinalRefusal(models.TextChoices):
    RETURN = "return", "退回修改，次数用完后不能再提交"
    ORDINARY = "ordinary", "次数用完后再被退回即转为普通订单（不使用创新券）"


class ValueFixed(models.TextChoices):
    REVIEW = "review", "合同审定时确定"
    REDEMPTION = "redemption", "兑付审核时按认定金额确定"


class ProofBy(models.TextChoices):
    ENTERPRISE = "enterprise", "用券企业"
    INSTITUTION = "institution", "服务机构"


class PayeeRule(models.TextChoices):
    """Who is paid the voucher's money."""

    IN_REGION = "in_region", "区内机构兑付，区外服务由企业兑付（宁夏）"
    INSTITUTION = "institution", "服务机构兑付（河南）"
    ENTERPRISE = "enterprise", "企业兑付（江苏）"
    CHOSEN = "chosen", "企业每次使用时选择企业兑付或载体兑付（浙江）"


class PayeeChoice(models.TextChoices):
    ENTERPRISE = "enterprise", "企业兑付"
    INSTITUTION = "institution", "载体兑付"


NINGXIA_CONTRACT_REVIEW = ["bureau", "operator", "centre"]
NINGXIA_REDEMPTION_REVIEW = ["operator", "centre"]


def ningxia_contract_review() -> list[str]:
    return list(NINGXIA_CONTRACT_REVIEW)


def ningxia_redemption_review() -> list[str]:
    return list(NINGXIA_REDEMPTION_REVIEW)


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
    # The scheme (SPEC §10). Ningxia's values are the defaults.
    entitlement = models.CharField("额度方式", max_length=12, choices=Entitlement.choices, default=Entitlement.NONE)
    claim_year_cap = models.DecimalField("年度累计申领上限", **MONEY, null=True, blank=True)
    claim_each_cap = models.DecimalField("单次申领上限", **MONEY, null=True, blank=True)
    holding_cap = models.DecimalField("持有未用额度上限", **MONEY, null=True, blank=True)
    contract_review = models.JSONField(
        "合同/订单审核顺序",
        default=ningxia_contract_review,
        blank=True,
        help_text="reviewer levels in order (Reviewer values); empty = no review before use",
    )
    final_refusal = models.CharField(
        "最后一次退回", max_length=10, choices=FinalRefusal.choices, default=FinalRefusal.RETURN
    )
    value_fixed = models.CharField(
        "券面金额确定时点", max_length=12, choices=ValueFixed.choices, default=ValueFixed.REVIEW
    )
    proof_by = models.CharField("使用证明提交方", max_length=12, choices=ProofBy.choices, default=ProofBy.ENTERPRISE)
    proof_review = models.BooleanField(
        "运营单位先审核使用证明",
        default=True,
        help_text=(
            "勾选：使用证明提交后由运营单位审核，通过后才能申请兑付（宁夏）。不勾选：证明材料随兑付申请"
            "由兑付审核环节一并审查，兑付申请被退回时证明材料一并退回补正（河南、江苏、浙江）。"
        ),
    )
    payee_rule = models.CharField("兑付对象", max_length=12, choices=PayeeRule.choices, default=PayeeRule.IN_REGION)
    redemption_review = models.JSONField(
        "兑付审核顺序",
        default=ningxia_redemption_review,
        blank=True,
        help_text="one or two reviewer levels: the first checks, the last confirms",
    )
    payout_cutoff_workdays = models.PositiveSmallIntegerField(
        "周期结束后汇总时限（工作日）", default=0, validators=[MaxValueValidator(60)]
    )
    result_confirmation = models.BooleanField(
        "支付前确认订单结果",
        default=False,
        help_text="服务机构上传订单结果、申请方确认结果无误后才能以创新券支付（河南）。",
    )
    project_registration = models.BooleanField(
        "订单前须登记研发项目",
        default=False,
        help_text="申请方须先登记本年度研发项目（项目登记）并经运营单位审核通过，才能提交订单（河南）。",
    )
    use_registration = models.BooleanField(
        "使用登记（企业自有合同）",
        default=False,
        help_text=(
            "企业在一张使用登记表中填写服务方、服务内容、合同信息和兑付方，上传自有合同、发票和"
            "服务结果凭证，即完成用券，无需上传平台合同盖章扫描件（浙江）。"
        ),
    )
    platform_rating = models.BooleanField(
        "评价时同时评价省平台服务",
        default=False,
        help_text="申请方评价服务机构时须同时为省平台本次服务评分（河南）。",
    )
    voucher_labels = models.JSONField(
        "创新券状态名称",
        default=dict,
        blank=True,
        help_text="方案对创新券状态的叫法，如河南“我的电子券”的未支付/已支付/兑付成功/兑付失败/已过期；"
        "键为状态代码（issued, used, redeeming, redeemed, expired, clawed_back，以及兑付申请被退回的 "
        "redemption_failed），未列出的状态沿用默认名称。",
    )
    expert_review = models.BooleanField("拨付前专家评审", default=False)
    monthly_notice = models.BooleanField(
        "按月批次也须公示",
        default=False,
        help_text="按月拨付的批次也须经公示期满无异议后才能批准（江苏）；按季度的批次总是公示。",
    )
    finance_confirmation = models.BooleanField("拨付前科技与财政部门确认", default=False)
    valid_to_year_end = models.BooleanField("有效期至当年年底", default=False)
    cap_legal_entity = models.DecimalField("法人/社会组织年度上限", **MONEY, default=Decimal("200000"))
    cap_individual = models.DecimalField("个人/团队年度上限", **MONEY, default=Decimal("50000"))
    county_topup_rate = models.DecimalField("区县配套比例", **RATE, default=Decimal("0"))
    validity_days = models.PositiveIntegerField("有效期（天）", default=365)
    resubmissions_allowed = models.PositiveSmallIntegerField("允许退回后重新提交次数", default=2)
    redemption_mode = models.CharField(
        "兑付方式", max_length=10, choices=RedemptionMode.choices, default=RedemptionMode.BOTH
    )
    payout_cycle = models.CharField("拨付周期", max_length=12, choices=PayoutCycle.choices, default=PayoutCycle.MONTHLY)
    funding = models.CharField("兑付资金来源", max_length=10, choices=Funding.choices, default=Funding.PROVINCE)
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
    revenue_limit = models.DecimalField(
        "申请方上年度营业收入上限（万元）",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="年度资格申请时，上年度营业收入超过该数的申请方不予受理，如江苏 40000 万元（4 亿元）；留空为不设限。",
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
    """A contract (or order) waits at one review level of its scheme's chain at a time:
    ``at_<reviewer>``; which levels there are, in which order, is the policy's
    ``contract_review``."""

    DRAFT = "draft", "草稿"
    AT_BUREAU = "at_bureau", "待推荐部门审核"
    AT_INSTITUTION = "at_institution", "待服务机构受理"
    AT_OPERATOR = "at_operator", "待运营单位审核"
    AT_CENTRE = "at_centre", "待创业中心审定"
    APPROVED = "approved", "已审定（已生成创新券）"
    RETURNED = "returned", "已退回"
    ORDINARY = "ordinary", "已转为普通订单（不使用创新券）"


# The status a contract waits in at each reviewer's level.
AT_REVIEWER = {
    Reviewer.BUREAU: ContractStatus.AT_BUREAU,
    Reviewer.INSTITUTION: ContractStatus.AT_INSTITUTION,
    Reviewer.OPERATOR: ContractStatus.AT_OPERATOR,
    Reviewer.CENTRE: ContractStatus.AT_CENTRE,
}
IN_REVIEW = tuple(AT_REVIEWER.values())


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

    def get_status_display(self) -> str:
        """The status in the deployment's words (``vouchers.names``; imported here late, as
        that module reads the province profile and imports this one)."""
        # why: vouchers.names reads the province profile and imports this module.
        from vouchers.names import contract_status_label

        # Only an approved contract's name depends on its scheme (issued on submission or after review).
        return contract_status_label(self.status, self.policy if self.status == ContractStatus.APPROVED else None)


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

    # The statuses in the deployment's words, as ``Contract.get_status_display``.
    def get_from_status_display(self) -> str:
        # why: vouchers.names reads the province profile and imports this module.
        from vouchers.names import contract_status_label

        return contract_status_label(self.from_status)

    def get_to_status_display(self) -> str:
        # why: vouchers.names reads the province profile and imports this module.
        from vouchers.names import contract_status_label

        policy = self.contract.policy if self.to_status == ContractStatus.APPROVED else None
        return contract_status_label(self.to_status, policy)


def rendition_storage():
    """The storage of generated contract PDFs: ``STORAGES["default"]`` (a callable, so a
    deployment's setting is read at start-up and migrations refer to it by path). Private like
    every stored file: MEDIA_URL is never routed, the download view streams it after the
    permission check."""
    return storages["default"]


class ContractRendition(models.Model):
    """The contract's PDF as printed at one revision, rendered once by the worker.

    The revision is the SHA-256 of the HTML the PDF is made from, with the generation time
    left out (``documents.contract_revision``): it changes whenever anything printed changes
    — amounts, parties, items, status and stamps, the province profile's names, the cap left
    — wherever the change was made, and never otherwise."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="renditions")
    revision = models.CharField("版本", max_length=64)
    file = models.FileField(storage=rendition_storage, upload_to="contracts/pdf/%Y/", max_length=200)
    size = models.PositiveIntegerField("字节数")
    render_ms = models.PositiveIntegerField("生成耗时（毫秒）")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "合同文件"
        verbose_name_plural = "合同文件"
        constraints = [models.UniqueConstraint(fields=["contract", "revision"], name="contract_rendition_once")]

    def __str__(self) -> str:
        return f"{self.contract_id}@{self.revision[:12]}"


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
    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="vouchers_applied")
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
    APPLICANT_CAP. An institution's annual subsidy (``Subsidy``) sits in SUBSIDY_PAYABLE
    from its grant until a batch pays it into SUBSIDY_PAID from the province budget. Every
    balance is the sum of its entries and must never go below zero."""

    APPLICANT_CAP = "applicant_cap", "企业年度额度占用"
    ENTITLEMENT = "entitlement", "企业可用额度"
    VOUCHER = "voucher", "创新券余额"
    REDEEMING = "redeeming", "兑付审核中"
    PAYABLE = "payable", "待拨付"
    PAID = "paid", "已拨付"
    PROVINCE_BUDGET = "province_budget", "省级预算"
    COUNTY_BUDGET = "county_budget", "区县（地方）预算"
    SUBSIDY_PAYABLE = "subsidy_payable", "机构补助待拨付"
    SUBSIDY_PAID = "subsidy_paid", "机构补助已拨付"


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
    GRANT = "grant", "额度核定"
    LAPSE = "lapse", "额度年底作废"
    ADJUST = "adjust", "按认定金额核减"
    SUBSIDY_GRANT = "subsidy_grant", "机构补助核定"
    SUBSIDY_CANCEL = "subsidy_cancel", "机构补助撤销"


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
    subsidy = models.ForeignKey(
        "vouchers.Subsidy", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    region = models.ForeignKey("geodata.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["account", "organisation", "year"]),
            models.Index(fields=["account", "voucher"]),
            models.Index(fields=["account", "subsidy"]),
        ]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero")]

    def get_account_display(self) -> str:
        """The account in the deployment's words (自治区预算 / 省级预算; ``vouchers.names``)."""
        # why: vouchers.names reads the province profile and imports this module.
        from vouchers.names import account_label

        return account_label(self.account)


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
    # Schemes without a proof review (``Policy.proof_review`` off): the proofs are complete
    # and go with the redemption, whose reviewer checks them.
    FILED = "filed", "已提交（随兑付申请审核）"


# The proof statuses a voucher may be redeemed with: approved by the operator, or — where
# the scheme has no proof review — filed complete for the redemption's reviewer to check.
PROOFS_READY = (ProofStatus.APPROVED, ProofStatus.FILED)


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
    # Schemes where the enterprise chooses the payee per use (Zhejiang): its choice, and —
    # for 企业兑付 — the institution's confirmation that the voucher was used with it.
    payee_choice = models.CharField("兑付方式", max_length=12, choices=PayeeChoice.choices, blank=True)
    # Schemes that pay after the result (Henan): when the applicant confirmed the order result.
    result_confirmed_at = models.DateTimeField("确认订单结果时间", null=True, blank=True)
    institution_confirmed_at = models.DateTimeField("服务机构确认时间", null=True, blank=True)
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
    CONTRACT = "contract", "合同（企业自有）"
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
    # Neutral labels: who reviews is the scheme's (the pages name the level beside them).
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    CHECKED = "checked", "待确认兑付"
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
    """One voucher of a redemption. ``amount`` is what is asked (the voucher's value); the
    first review level may approve a lower contract amount (审核认定), and the voucher is
    never worth more than the final invoices allow: ``approved_contract_amount`` and the
    reduced value are recorded here, the reduction itself in the ledger."""

    redemption = models.ForeignKey(Redemption, on_delete=models.PROTECT, related_name="items")
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemption_items")
    amount = models.DecimalField(**MONEY)
    approved_contract_amount = models.DecimalField("认定合同金额", **MONEY, null=True, blank=True)


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
    """A batch's way to payment. The scheme may put two steps before the public notice
    (Henan's quarterly summary): expert review (``Policy.expert_review``) and the S&T and
    finance departments' confirmation (``Policy.finance_confirmation``)."""

    DRAFT = "draft", "草拟"
    EXPERTS = "experts", "专家评审中"
    REVIEWED = "reviewed", "专家评审完成"
    CONFIRMED = "confirmed", "科技与财政部门已确认"
    NOTICE = "notice", "公示中"
    APPROVED = "approved", "待拨付"
    PAID = "paid", "已拨付"


class BatchKind(models.TextChoices):
    """What a batch pays. A batch holds one kind only: redemptions are gathered monthly or
    quarterly as they are confirmed, institutions' subsidies once a year after the
    evaluation; each has its own bank list."""

    REDEMPTIONS = "redemptions", "创新券兑付"
    SUBSIDIES = "subsidies", "机构年度补助"


class PayoutBatch(models.Model):
    """A payout batch: the centre's (``region`` empty), gathered monthly or quarterly, or —
    where the scheme pays on the local bureau's approval (``PayoutCycle.ON_APPROVAL``,
    Zhejiang) — one bureau's, made when it approves a redemption and paid from its budget."""

    number = models.CharField(max_length=24, unique=True)
    year = models.PositiveSmallIntegerField()  # the year whose budgets pay it
    kind = models.CharField(max_length=12, choices=BatchKind.choices, default=BatchKind.REDEMPTIONS)
    cycle = models.CharField(max_length=12, choices=PayoutCycle.choices)
    region = models.ForeignKey(
        "geodata.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the local bureau's region whose batch this is (on-approval schemes); empty = the centre's",
    )
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
    """A redemption, or an institution's subsidy, in a payout batch (exactly one of the two).
    A released item (an upheld objection sent the redemption back, or cancelled the subsidy)
    stays in its batch as a record; the redemption, once confirmed again, enters a later
    batch as a new item."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="items")
    redemption = models.ForeignKey(
        Redemption, null=True, blank=True, on_delete=models.PROTECT, related_name="batch_items"
    )
    subsidy = models.ForeignKey(
        "vouchers.Subsidy", null=True, blank=True, on_delete=models.PROTECT, related_name="batch_items"
    )
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
            ),
            models.UniqueConstraint(
                fields=["subsidy"],
                condition=Q(status__in=ACTIVE_ITEM_STATUSES),
                name="one_active_batch_item_per_subsidy",
            ),
            models.CheckConstraint(
                condition=Q(redemption__isnull=False, subsidy__isnull=True)
                | Q(redemption__isnull=True, subsidy__isnull=False),
                name="batch_item_pays_a_redemption_or_a_subsidy",
            ),
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


# --- Institutions' subsidies (SPEC §5.5) ------------------------------------------------------------


class SubsidyStatus(models.TextChoices):
    GRANTED = "granted", "待拨付"
    PAID = "paid", "已拨付"
    CANCELLED = "cancelled", "已撤销"


# A subsidy in one of these statuses counts: at most one per institution and year.
LIVE_SUBSIDY_STATUSES = (SubsidyStatus.GRANTED, SubsidyStatus.PAID)


class Subsidy(models.Model):
    """An institution's annual subsidy (机构年度补助, SPEC §5.5) as a payable: granted by the
    centre (the amount then sits in the ledger's ``subsidy_payable``), paid in a payout batch
    from the province budget (``subsidy_paid``), or cancelled while unpaid. Where the amount
    comes from (the annual evaluation) is the caller's: ``note`` says it. At most one live
    subsidy per institution and year (SPEC: ≤ the policy's cap per institution per year)."""

    number = models.CharField(max_length=24, unique=True)
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="subsidies")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("补助金额（元）", **MONEY)
    note = models.CharField("来源与说明", max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=SubsidyStatus.choices, default=SubsidyStatus.GRANTED)
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "granted_at", "id"]
        verbose_name = "机构年度补助"
        verbose_name_plural = "机构年度补助"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_amount_positive"),
            models.UniqueConstraint(
                fields=["institution", "year"],
                condition=Q(status__in=LIVE_SUBSIDY_STATUSES),
                name="one_live_subsidy_per_institution_year",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SubsidyEvent(AuditEvent):
    """One audit row per subsidy status change (granted, paid, cancelled)."""

    subsidy = models.ForeignKey(Subsidy, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=10, choices=SubsidyStatus.choices)
    to_status = models.CharField(max_length=10, choices=SubsidyStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


# --- Entitlements (额度) -------------------------------------------------------------------------


class ClaimStatus(models.TextChoices):
    # Jiangsu's application: filled in, waiting for its printed form to come back stamped.
    TO_UPLOAD = "to_upload", "待上传"
    SUBMITTED = "submitted", "待审核"
    GRANTED = "granted", "已核定"
    REFUSED = "refused", "未通过"


class EntitlementClaim(models.Model):
    """One claim or application for a year's entitlement (额度), by the scheme's rule:
    Henan's claim of the fixed quota with its pledge, Jiangsu's yearly application with its
    form and stamped upload, Zhejiang's claim of any amount within the caps. A granted
    claim's amount is in the ledger (``entitlement`` account); this row is its record."""

    number = models.CharField(max_length=24, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="claims")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="claims")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("额度（元）", **MONEY)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    form = models.JSONField("申请表", default=dict, blank=True)
    stamped_form = models.FileField("盖章申请表", storage=private_storage, upload_to="claims/%Y/", blank=True)
    # Jiangsu's application evidence (the type's fields are in ``form``): the prior year's
    # financial statements or audit report, and the type's stamped proof (the incubator's
    # proof of incubation, the talent programme's selection and relationship proof).
    financial_report = models.FileField(
        "上年度财务报表或财务审计报告", storage=private_storage, upload_to="claims/%Y/", blank=True
    )
    evidence = models.FileField("资格证明材料", storage=private_storage, upload_to="claims/%Y/", blank=True)
    form_printed_at = models.DateTimeField("申领表生成时间", null=True, blank=True)
    pledge_accepted_at = models.DateTimeField("诚信承诺时间", null=True, blank=True)
    valid_until = models.DateField("有效期至")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "额度申领"
        verbose_name_plural = "额度申领"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive")]

    def __str__(self) -> str:
        return self.number


class ClaimEvent(AuditEvent):
    """One audit row per claim status change."""

    claim = models.ForeignKey(EntitlementClaim, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=10, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=10, choices=ClaimStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class ProjectRegistration(models.Model):
    """An R&D project the applicant registers before ordering (项目登记, Henan): reviewed by
    the platform (operator); an approved project of the year lets the applicant's orders
    pass the pre-check where the scheme asks for one (``Policy.project_registration``)."""

    number = models.CharField(max_length=24, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="projects")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("项目名称", max_length=200)
    summary = models.TextField("研究内容", max_length=2000)
    budget = models.DecimalField("项目预算（元）", **MONEY)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField(max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED)
    note = models.CharField("审核意见", max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "研发项目登记"
        verbose_name_plural = "研发项目登记"
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="project_budget_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.number


class ProjectEvent(AuditEvent):
    """One audit row per project registration status change."""

    project = models.ForeignKey(ProjectRegistration, on_delete=models.PROTECT, related_name="events")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=10, choices=ProjectStatus.choices)
    to_status = models.CharField(max_length=10, choices=ProjectStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        pass
