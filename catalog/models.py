"""The catalogue: institutions' public profiles, instruments, services, bookings, ratings.

Public reads go through ``Listing``: one row per item the public may see (institution,
instrument or service), kept in step by ``catalog.services`` whenever an item is approved,
edited, moved, toggled, rated or booked. Map search reads only that table, so one GiST index
answers nearest-first for every module, and the cluster grid (``ListingCell``) is a
pre-aggregate of it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.db.models import F, Func, Q
from django.db.models.functions import Now

from catalog.search_text import split_aliases
from mapsite.storage import private_storage
from mapsite.workflow import AuditEvent

MONEY = {"max_digits": 14, "decimal_places": 2}


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", "高等院校"
    RESEARCH_INSTITUTE = "research_institute", "科研院所"
    PUBLIC_TEST_AGENCY = "public_test_agency", "公共检验检测机构"
    ENTERPRISE_LAB = "enterprise_lab", "企业研发机构"
    INCUBATOR = "incubator", "孵化载体"
    TECH_TRANSFER = "tech_transfer", "技术转移/知识产权机构"
    OTHER = "other", "其他"


class ServiceCategory(models.TextChoices):
    TESTING = "检验检测", "检验检测"
    ANIMAL = "动物实验", "动物实验"
    ANALYSIS = "实验分析", "实验分析"
    DESIGN = "设计", "设计"
    MOULD = "模具开发", "模具开发"
    TECH_PURCHASE = "技术成果购买", "技术成果购买"
    TRAINING = "培训咨询", "培训咨询"
    NOVELTY = "科技查新", "科技查新"
    EVALUATION = "成果评价", "成果评价"
    IP = "知识产权", "知识产权"
    INCUBATION = "孵化服务", "孵化服务"
    OTHER = "其他", "其他"


# 科技查新 and 成果评价 are public-benefit services (SPEC §4; subsidy per contract, §5.5).
PUBLIC_BENEFIT_CATEGORIES = (ServiceCategory.NOVELTY, ServiceCategory.EVALUATION)


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已发布"
    CHANGES_PENDING = "changes_pending", "修改待审核"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已下架"


PUBLIC_REVIEW_STATUSES = (ReviewStatus.APPROVED, ReviewStatus.CHANGES_PENDING)


class BookingMode(models.TextChoices):
    SLOT = "slot", "机时预约"
    SAMPLE = "sample", "按样品/数量"


class Institution(models.Model):
    """The public profile of a service institution (the organisation holds its identity)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", primary_key=True, on_delete=models.PROTECT, related_name="institution"
    )
    kind = models.CharField("机构类型", max_length=24, choices=InstitutionKind.choices)
    is_public_institution = models.BooleanField("事业单位", default=False)
    short_name = models.CharField("简称", max_length=64, blank=True)
    description = models.TextField("简介", blank=True)
    website = models.URLField("网站", blank=True, max_length=200)
    photo = models.ImageField("照片", storage=private_storage, upload_to="institutions/", blank=True)
    geocode_note = models.CharField("定位说明", max_length=200, blank=True)
    rating_mean = models.DecimalField("评分", max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField("评价数", default=0)
    popularity = models.PositiveIntegerField("预约量", default=0, help_text="accepted bookings")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "服务机构"
        verbose_name_plural = "服务机构"

    def __str__(self) -> str:
        return self.organisation.name


class CatalogueItem(models.Model):
    """What instruments and services share: ownership, price, flags, review and rating."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="%(class)ss")
    name = models.CharField("名称", max_length=128)
    aliases = models.CharField("别名/关键词", max_length=200, blank=True, help_text="逗号分隔，如 扫描电镜,SEM")
    description = models.TextField("说明", blank=True)
    price = models.DecimalField("价格（元）", **MONEY)
    unit = models.CharField("计价单位", max_length=16)
    voucher_eligible = models.BooleanField("可用创新券", default=True)
    review_status = models.CharField(
        "审核状态", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    # Edits of a published item wait here for operator review; the public keeps seeing the
    # approved version until then.
    pending_changes = models.JSONField("待审核修改", default=dict, blank=True)
    photo = models.ImageField("照片", storage=private_storage, upload_to="items/", blank=True)
    rating_mean = models.DecimalField("评分", max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField("评价数", default=0)
    popularity = models.PositiveIntegerField("预约量", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="%(class)s_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.review_status in PUBLIC_REVIEW_STATUSES

    @property
    def keywords(self) -> list[str]:
        return split_aliases(self.aliases)


class Instrument(CatalogueItem):
    model_number = models.CharField("型号", max_length=64, blank=True)
    manufacturer = models.CharField("生产厂家", max_length=64, blank=True)
    category = models.CharField("仪器类别", max_length=32)
    original_value = models.DecimalField("原值（元）", **MONEY, null=True, blank=True)
    booking_mode = models.CharField("预约方式", max_length=8, choices=BookingMode.choices, default=BookingMode.SLOT)
    open_for_sharing = models.BooleanField("对外开放共享", default=True)
    instant_booking = models.BooleanField("空闲时段即时确认", default=False)
    # Own location when the instrument is not at the institution's main site.
    location = models.PointField("位置", srid=settings.SRID, null=True, blank=True)
    open_weekdays = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True, help_text="1=Mon … 7=Sun")
    open_from = models.TimeField("开放开始", default="08:30")
    open_until = models.TimeField("开放结束", default="17:30")
    service_cycle_days = models.PositiveSmallIntegerField("样品检测周期（天）", default=5)

    class Meta(CatalogueItem.Meta):
        verbose_name = "仪器设备"
        verbose_name_plural = "仪器设备"


class Service(CatalogueItem):
    category = models.CharField("服务类别", max_length=16, choices=ServiceCategory.choices)
    cycle_days = models.PositiveSmallIntegerField("服务周期（天）", default=7)
    instruments = models.ManyToManyField(Instrument, blank=True, related_name="services", verbose_name="所用仪器")
    public_benefit = models.BooleanField("公益性服务", default=False)

    class Meta(CatalogueItem.Meta):
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"


class ListingKind(models.TextChoices):
    INSTITUTION = "institution", "机构"
    INSTRUMENT = "instrument", "设备"
    SERVICE = "service", "服务"


class Listing(models.Model):
    """Search row for one public item. Written only by ``catalog.services.listing_sync``."""

    kind = models.CharField(max_length=12, choices=ListingKind.choices)
    item_id = models.BigIntegerField()
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="listings")
    name = models.CharField(max_length=128)
    institution_name = models.CharField(max_length=128)
    category = models.CharField(max_length=32, blank=True)
    price = models.DecimalField(**MONEY, null=True)
    unit = models.CharField(max_length=16, blank=True)
    voucher_eligible = models.BooleanField(default=False)
    in_region = models.BooleanField(default=True)
    location = models.PointField(srid=settings.SRID, geography=True)
    # The point's coordinates as plain numbers, kept by PostgreSQL: the map search reads them
    # per row without a PostGIS call (and computes the distance of 20 rows in Python).
    lng = models.GeneratedField(
        expression=Func(F("location"), template="ST_X(%(expressions)s::geometry)"),
        output_field=models.FloatField(),
        db_persist=True,
    )
    lat = models.GeneratedField(
        expression=Func(F("location"), template="ST_Y(%(expressions)s::geometry)"),
        output_field=models.FloatField(),
        db_persist=True,
    )
    region = models.ForeignKey("geodata.Region", null=True, on_delete=models.SET_NULL, related_name="+")
    rating_mean = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    popularity = models.PositiveIntegerField(default=0)
    # Lower-cased name, aliases, synonyms, full pinyin and pinyin initials, for substring search.
    search_text = models.TextField()
    published_at = models.DateTimeField(db_default=Now())
    # The row's GeoJSON feature as the map search writes it, before and after the distance's
    # value (``catalog.selectors.feature_parts``): the search joins them instead of building
    # JSON per row. Filled by the listing sync and bulk loads (``listing_features_fill``);
    # a trigger (migration 0008) empties them when any column they are made of changes
    # otherwise, and a page with an empty one is built from the columns.
    feature_head = models.BinaryField(null=True, editable=False)
    feature_tail = models.BinaryField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "item_id"], name="one_listing_per_item"),
        ]
        indexes = [
            GinIndex(name="listing_search_trgm", fields=["search_text"], opclasses=["gin_trgm_ops"]),
            models.Index(fields=["kind", "-popularity"], name="listing_kind_popularity"),
            models.Index(fields=["kind", "price"], name="listing_kind_price"),
            models.Index(fields=["kind", "-rating_mean"], name="listing_kind_rating"),
            models.Index(fields=["kind", "-published_at"], name="listing_kind_newest"),
            models.Index(fields=["region", "kind"], name="listing_region_kind"),
        ]


class ListingCell(models.Model):
    """Pre-aggregated grid of listings for clustered map views.

    One row per (grid level, cell, kind, category, voucher flag, county); kept in step with
    ``Listing`` by the same service, rebuilt in bulk by ``catalog_rebuild_grid``."""

    level = models.PositiveSmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    kind = models.CharField(max_length=12, choices=ListingKind.choices)
    category = models.CharField(max_length=32, blank=True)
    voucher_eligible = models.BooleanField()
    region_id = models.IntegerField(null=True)
    n = models.IntegerField()
    sum_lng = models.FloatField()
    sum_lat = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "cx", "cy", "kind", "category", "voucher_eligible", "region_id"],
                name="one_cell_per_key",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="cell_count_not_negative"),
        ]
        indexes = [models.Index(fields=["level", "cx", "cy"], name="cell_level_xy")]


class BookingKind(models.TextChoices):
    SLOT = "slot", "机时预约"
    SAMPLE = "sample", "送样检测/服务"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "待确认"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已拒绝"
    CANCELLED = "cancelled", "已取消"
    IN_SERVICE = "in_service", "服务中"
    COMPLETED = "completed", "已完成"
    RATED = "rated", "已评价"


# Statuses in which a slot is held on the instrument's calendar.
HOLDING_STATUSES = (
    BookingStatus.ACCEPTED,
    BookingStatus.IN_SERVICE,
    BookingStatus.COMPLETED,
    BookingStatus.RATED,
)


class Booking(models.Model):
    """An enterprise's booking of machine time or of a service; the voucher contract starts
    from an accepted one, so parties, item, quantity, amount and dates are all kept."""

    number = models.CharField("预约编号", max_length=20, unique=True)
    kind = models.CharField(max_length=8, choices=BookingKind.choices)
    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="bookings_made")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="bookings")
    instrument = models.ForeignKey(Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    item_name = models.CharField("项目", max_length=128)
    starts_at = models.DateTimeField("开始时间", null=True, blank=True)
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)
    unit = models.CharField("单位", max_length=16)
    unit_price = models.DecimalField("单价（元）", **MONEY)
    amount = models.DecimalField("金额（元）", **MONEY)
    expected_date = models.DateField("预计完成日期", null=True, blank=True)
    status = models.CharField(max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED)
    note = models.TextField("需求说明", blank=True)
    # 是否使用创新券 (the order form's switch): only such an order leads to the voucher (a
    # contract from the booking); without it the booking is an ordinary order.
    use_voucher = models.BooleanField("使用创新券", default=True)
    answer_note = models.CharField("机构答复", max_length=300, blank=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The order result (订单结果) the institution uploads when the service is done; where the
    # voucher scheme says so (Henan), the enterprise confirms it when it pays.
    result = models.FileField("订单结果", storage=private_storage, upload_to="booking-results/%Y/", blank=True)
    result_uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "预约"
        verbose_name_plural = "预约"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(quantity__gt=0), name="booking_amount_positive"),
            models.CheckConstraint(
                condition=Q(instrument__isnull=False) | Q(service__isnull=False), name="booking_has_item"
            ),
            models.CheckConstraint(
                condition=~Q(kind="slot") | (Q(starts_at__isnull=False) & Q(ends_at__gt=F("starts_at"))),
                name="slot_has_a_time_range",
            ),
            # The database itself refuses two held slots that overlap on one instrument, so
            # racing acceptances cannot both win even if a code path forgot the row lock.
            ExclusionConstraint(
                name="no_overlapping_held_slots",
                expressions=[
                    ("instrument", RangeOperators.EQUAL),
                    (models.Func(F("starts_at"), F("ends_at"), function="TSTZRANGE"), RangeOperators.OVERLAPS),
                ],
                condition=Q(kind="slot") & Q(status__in=HOLDING_STATUSES),
            ),
        ]


class BookingEvent(AuditEvent):
    """One audit row per booking status change."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=BookingStatus.choices)
    to_status = models.CharField(max_length=12, choices=BookingStatus.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta(AuditEvent.Meta):
        pass


class ContactStatus(models.TextChoices):
    SENT = "sent", "已发送"
    ANSWERED = "answered", "已回复"
    CLOSED = "closed", "已关闭"


class ContactRequest(models.Model):
    """对接: an enterprise asks an institution to get in touch about an item."""

    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="contacts_made")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="contact_requests")
    listing_kind = models.CharField(max_length=12, choices=ListingKind.choices)
    item_id = models.BigIntegerField()
    item_name = models.CharField(max_length=128)
    message = models.TextField("需求")
    contact_phone = models.CharField("联系电话", max_length=32)
    status = models.CharField(max_length=10, choices=ContactStatus.choices, default=ContactStatus.SENT)
    answer = models.TextField("回复", blank=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Rating(models.Model):
    """An enterprise's rating of a completed booking's institution and item (1–5)."""

    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="rating")
    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="ratings_given")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="ratings")
    instrument = models.ForeignKey(Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评价", max_length=500, blank=True)
    platform_score = models.PositiveSmallIntegerField(
        "省平台服务评分", null=True, blank=True, help_text="where the scheme rates the platform too (Henan)"
    )
    is_default = models.BooleanField("默认好评", default=False, help_text="not rated within 30 days")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="score_1_to_5"),
            models.CheckConstraint(
                condition=Q(platform_score__isnull=True) | (Q(platform_score__gte=1) & Q(platform_score__lte=5)),
                name="platform_score_1_to_5",
            ),
        ]


class ItemEvent(AuditEvent):
    """One audit row per review-status change of an instrument or service."""

    item_kind = models.CharField(max_length=12, choices=ListingKind.choices)
    item_id = models.BigIntegerField()
    from_status = models.CharField(max_length=16, choices=ReviewStatus.choices)
    to_status = models.CharField(max_length=16, choices=ReviewStatus.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta(AuditEvent.Meta):
        indexes = [models.Index(fields=["item_kind", "item_id"])]
