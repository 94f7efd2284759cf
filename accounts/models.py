"""Organisations, their users and certification (认证 / 入库).

Every user belongs to one organisation; what a user may see and do follows from the
organisation's kind (its role) and, for bureaus, the region it owns.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.gis.db import models
from django.db.models import Q

from accounts.validators import founding_date_not_future
from mapsite.storage import private_storage
from mapsite.workflow import AuditEvent


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业法人"
    SOCIAL_ORG = "social_org", "社会组织"
    INDIVIDUAL = "individual", "个人/创新团队"
    INSTITUTION = "institution", "科技服务机构"
    BUREAU = "bureau", "市县科技局"
    OPERATOR = "operator", "平台运营单位"
    CENTRE = "centre", "创业中心/科技厅"
    EXPERT = "expert", "专家"


APPLICANT_KINDS = (OrgKind.ENTERPRISE, OrgKind.SOCIAL_ORG, OrgKind.INDIVIDUAL)
CERTIFIABLE_KINDS = (*APPLICANT_KINDS, OrgKind.INSTITUTION)


class Role(models.TextChoices):
    """What a user may do, derived from the kind of their organisation."""

    APPLICANT = "applicant", "创新主体"
    INSTITUTION = "institution", "服务机构"
    BUREAU = "bureau", "市县科技局"
    OPERATOR = "operator", "运营单位"
    CENTRE = "centre", "创业中心"
    EXPERT = "expert", "专家"


ROLE_OF_KIND = {
    OrgKind.ENTERPRISE: Role.APPLICANT,
    OrgKind.SOCIAL_ORG: Role.APPLICANT,
    OrgKind.INDIVIDUAL: Role.APPLICANT,
    OrgKind.INSTITUTION: Role.INSTITUTION,
    OrgKind.BUREAU: Role.BUREAU,
    OrgKind.OPERATOR: Role.OPERATOR,
    OrgKind.CENTRE: Role.CENTRE,
    OrgKind.EXPERT: Role.EXPERT,
}


class Qualification(models.TextChoices):
    HIGH_TECH = "high_tech", "高新技术企业"
    TECH_SME = "tech_sme", "科技型中小企业"
    INCUBATED = "incubated", "在孵企业"
    TALENT = "talent", "人才企业"
    OTHER = "other", "其他"


class CertStatus(models.TextChoices):
    DRAFT = "draft", "待提交"
    SUBMITTED = "submitted", "待审核"
    EXPERT_REVIEW = "expert_review", "专家评审中"
    RETURNED = "returned", "已退回"
    CERTIFIED = "certified", "已认证"
    CHANGE_PENDING = "change_pending", "名称变更审核中"
    SUSPENDED = "suspended", "已暂停"


# Organisations that count as certified for business rules (a pending name change does not
# interrupt service; the old name stays in force until the change is approved).
ACTIVE_STATUSES = (CertStatus.CERTIFIED, CertStatus.CHANGE_PENDING)


class ListingMode(models.TextChoices):
    DIRECT = "direct", "直接入库"
    REVIEWED = "reviewed", "审核入库"


class DirectListingBasis(models.TextChoices):
    """Grounds for direct filing (直接入库), SPEC §3."""

    PLATFORM = "platform", "国家/省级创新平台"
    INCUBATOR = "incubator", "科技企业孵化器/众创空间"
    STATUTORY_TEST = "statutory_test", "法定检验检测机构"
    IP_AGENCY = "ip_agency", "知识产权服务机构"
    LISTED_ELSEWHERE = "listed_elsewhere", "已在外省平台入库的区外机构"


class ZoneLevel(models.TextChoices):
    """A high-tech zone's level; an organisation with one is a zone's S&T authority."""

    NATIONAL = "national", "国家级高新区"
    PROVINCIAL = "provincial", "省级高新区"


class Organisation(models.Model):
    name = models.CharField("名称", max_length=128)
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, help_text="GB 32100-2015, 18 characters"
    )
    resident_id = models.CharField("身份证号", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    registered_address = models.CharField("注册地址", max_length=255, blank=True)
    # 注册成立时间, as on the business licence. A fact of the organisation (Jiangsu's yearly
    # application prints it), so it lives here and every application reads it from here.
    founded_on = models.DateField(
        "注册成立时间",
        null=True,
        blank=True,
        validators=[founding_date_not_future],
        help_text="以营业执照为准；个人/团队不填",
    )
    region = models.ForeignKey(
        "geodata.Region",
        verbose_name="所在区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="county for applicants and in-region institutions; the owned region for bureaus",
    )
    location = models.PointField("位置", srid=settings.SRID, null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    licence = models.FileField("营业执照/证明文件", storage=private_storage, upload_to="licences/%Y/", blank=True)
    qualification = models.CharField("企业资质", max_length=16, choices=Qualification.choices, blank=True)
    qualification_number = models.CharField("资质证书/入库编号", max_length=64, blank=True)
    qualification_date = models.DateField("资质认定日期", null=True, blank=True)
    prior_year_revenue = models.DecimalField(
        "上年度营业收入（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    status = models.CharField("认证状态", max_length=16, choices=CertStatus.choices, default=CertStatus.DRAFT)
    pending_name = models.CharField("变更后名称", max_length=128, blank=True)
    # Institutions only.
    in_region = models.BooleanField("区内机构", default=True)
    listing_mode = models.CharField("入库方式", max_length=16, choices=ListingMode.choices, blank=True)
    direct_basis = models.CharField("直接入库依据", max_length=24, choices=DirectListingBasis.choices, blank=True)
    service_staff = models.PositiveIntegerField("服务人员数", null=True, blank=True)
    has_management_rules = models.BooleanField("有管理制度", default=False)
    facilities = models.TextField("场地设施", blank=True)
    # High-tech zones (SPEC §11: Jiangsu's 省级以上高新区 act as 科技主管部门 beside the city and
    # county bureaus). A zone's authority is a bureau organisation with ``zone_level`` set,
    # whose region is the county that hosts the zone; an applicant in the zone names it in
    # ``zone`` and is then under the zone's authority, not the county's.
    zone_level = models.CharField("高新区级别", max_length=12, choices=ZoneLevel.choices, blank=True)
    zone = models.ForeignKey(
        "self",
        verbose_name="所在高新区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_members",
        limit_choices_to={"kind": "bureau", "zone_level__in": ["national", "provincial"]},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "机构/单位"
        verbose_name_plural = "机构/单位"
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="org_credit_code_unique"
            ),
            models.UniqueConstraint(
                fields=["resident_id"], condition=~Q(resident_id=""), name="org_resident_id_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=Q(kind="bureau", zone_level=""),
                name="one_bureau_per_region",
            ),
            models.CheckConstraint(
                condition=Q(zone_level="") | Q(kind="bureau"), name="only_a_bureau_is_a_zone_authority"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def role(self) -> Role:
        return ROLE_OF_KIND[self.kind]

    @property
    def is_applicant(self) -> bool:
        return self.kind in APPLICANT_KINDS

    @property
    def is_certified(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_zone_authority(self) -> bool:
        return self.kind == OrgKind.BUREAU and bool(self.zone_level)

    @property
    def is_legal_entity(self) -> bool:
        return self.kind in (OrgKind.ENTERPRISE, OrgKind.SOCIAL_ORG, OrgKind.INSTITUTION)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("手机", max_length=32, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def role(self) -> Role | None:
        return self.organisation.role if self.organisation_id else None


class CertificationEvent(AuditEvent):
    """One audit row per certification state change (append-only)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="certification_events")
    actor_role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    from_status = models.CharField(max_length=16, choices=CertStatus.choices)
    to_status = models.CharField(max_length=16, choices=CertStatus.choices)
    note = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        verbose_name = "认证记录"
        verbose_name_plural = "认证记录"


class ExpertScore(models.Model):
    """An invited expert's score of a reviewed-listing application (审核入库专家评审)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="expert_scores")
    expert = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("评分（0–100）")
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "expert"], name="one_score_per_expert"),
            models.CheckConstraint(condition=Q(score__lte=100), name="score_at_most_100"),
        ]


class ProvinceProfile(models.Model):
    """What a user reads of the deployment's province (SPEC §11): the platform's and the
    departments' names, the integrity pledge, the contract's wording, document number
    prefixes and e-mail subjects. One record per deployment, keyed by the province's adcode
    (``settings.PLATFORM_PROVINCE``); the four seed provinces ship their wording
    (``accounts/provinces.py``), any other province starts from its region name, and the
    centre edits it on the platform settings page."""

    adcode = models.PositiveIntegerField("省级行政区划代码", unique=True)
    province_name = models.CharField("省份全称", max_length=32, help_text="如：宁夏回族自治区")
    short_name = models.CharField("省份简称", max_length=16, help_text="如：宁夏；用于“宁夏全区”“宁夏境内”")
    region_word = models.CharField(
        "区/省",
        max_length=1,
        choices=[
            ("区", "区（自治区：区内、区外、全区）"),
            ("省", "省（省内、省外、全省）"),
            ("市", "市（直辖市：市内、市外、全市）"),
        ],
    )
    platform_name = models.CharField("平台名称", max_length=64)
    department_name = models.CharField("科技主管部门", max_length=64, help_text="如：河南省科学技术厅")
    centre_name = models.CharField("审定/拨付单位", max_length=64, help_text="如：宁夏回族自治区科技创业服务中心")
    operator_name = models.CharField("平台运营单位", max_length=64)
    rules_title = models.CharField(
        "管理办法名称", max_length=64, help_text="写入承诺书和合同，如：《宁夏回族自治区科技创新券管理办法》"
    )
    voucher_name = models.CharField("创新券名称", max_length=32, default="科技创新券")
    number_prefix = models.CharField(
        "编号前缀",
        max_length=4,
        help_text="合同、创新券、兑付和拨付批次编号的前缀，2–4 个大写字母（GB/T 2260 省份字母码，如 NX、HA、JS、ZJ）",
    )
    mail_subject = models.CharField("邮件标题前缀", max_length=32, help_text="如：[宁夏科技创新券]")
    bureau_title = models.CharField(
        "市县审核部门名称",
        max_length=32,
        default="推荐部门",
        help_text="审核流程中市县（区）科技局一级的名称，用于状态、审核顺序、合同文本，如：推荐部门、科技主管部门",
    )
    centre_title = models.CharField(
        "审定/拨付单位简称",
        max_length=32,
        default="创业中心",
        help_text="审定/拨付单位在状态、审核顺序、历史记录中的简称，如：创业中心、省科技厅、省统筹中心",
    )
    sms_notifications = models.BooleanField(
        "短信通知",
        default=False,
        help_text="审核结果、退回补正和拨付等通知同时以短信发给留有手机号的用户（如江苏）",
    )
    pledge_items = models.TextField(
        "诚信承诺事项",
        help_text="每行一条，按顺序编号；“{证明期限}”处填入政策规定的提交证明工作日数。",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "平台信息（省份）"
        verbose_name_plural = "平台信息（省份）"
        constraints = [
            models.CheckConstraint(
                condition=Q(number_prefix__regex=r"^[A-Z]{2,4}$"), name="province_number_prefix_letters"
            )
        ]

    def __str__(self) -> str:
        return self.platform_name

    @property
    def inside(self) -> str:
        """区内 / 省内"""
        return f"{self.region_word}内"

    @property
    def outside(self) -> str:
        return f"{self.region_word}外"

    @property
    def whole(self) -> str:
        """宁夏全区 / 河南全省"""
        return f"{self.short_name}全{self.region_word}"

    @property
    def budget_name(self) -> str:
        """The provincial budget's name: 自治区预算 / 省级预算 / 市级预算."""
        return {"区": "自治区预算", "市": "市级预算"}.get(self.region_word, "省级预算")

    def pledges(self, *, proof_workdays: int | str) -> list[str]:
        return [
            line.strip().replace("{证明期限}", str(proof_workdays))
            for line in self.pledge_items.splitlines()
            if line.strip()
        ]


class BankAccount(models.Model):
    """Where a payee's money goes (SPEC §10: payees keep a bank account that the bank export
    carries). One per organisation; private: seen by its own users, the operator and the
    centre. The account name must be the organisation's own name (payouts go to the payee's
    own account, never a third party's)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="bank_account")
    bank_name = models.CharField("开户银行", max_length=64, help_text="如：中国工商银行银川分行营业部")
    bank_code = models.CharField("开户行行号", max_length=12, help_text="12 位支付系统行号（联行号）")
    account_name = models.CharField("账户名称", max_length=128)
    account_number = models.CharField("银行账号", max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "收款账户"
        verbose_name_plural = "收款账户"
        constraints = [
            models.CheckConstraint(condition=Q(bank_code__regex=r"^[0-9]{12}$"), name="bank_code_12_digits"),
            models.CheckConstraint(condition=Q(account_number__regex=r"^[0-9]{6,32}$"), name="bank_account_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return f"****{self.account_number[-4:]}"
