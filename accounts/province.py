"""The deployment's province profile (SPEC §11): read it, seed it, let the centre edit it.

``current()`` is what pages, PDFs, mail subjects and document numbers ask for the names of the
province this deployment serves (``settings.PLATFORM_PROVINCE``). The row is created on first
use from ``PRESETS`` (the four seed provinces' own wording, from the guides in
``../shared/seeds/``) or, for any other province, from its region name and its GB/T 2260
letter code, so a fifth province needs no code: the centre corrects the wording on the
platform settings page.

Nothing is cached in the process: the row is one indexed read, and an edit by the centre is
seen by every process at once (a per-request cache lives in the context processor's lazy
object).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import ProvinceProfile, Role, User
from geodata.selectors import region_name

# GB/T 2260 letter codes of the provincial-level divisions: the default number prefix.
LETTER_CODES = {
    110000: "BJ",
    120000: "TJ",
    130000: "HE",
    140000: "SX",
    150000: "NM",
    210000: "LN",
    220000: "JL",
    230000: "HL",
    310000: "SH",
    320000: "JS",
    330000: "ZJ",
    340000: "AH",
    350000: "FJ",
    360000: "JX",
    370000: "SD",
    410000: "HA",
    420000: "HB",
    430000: "HN",
    440000: "GD",
    450000: "GX",
    460000: "HI",
    500000: "CQ",
    510000: "SC",
    520000: "GZ",
    530000: "YN",
    540000: "XZ",
    610000: "SN",
    620000: "GS",
    630000: "QH",
    640000: "NX",
    650000: "XJ",
}
MUNICIPALITIES = {110000, 120000, 310000, 500000}
AUTONOMOUS_REGIONS = {150000, 450000, 540000, 640000, 650000}

# The integrity pledge every applicant signs (诚信承诺书), one commitment per line. The same
# seven points run through all four seed guides; a province words them its own way here.
PLEDGE_ITEMS = """\
所提交的注册信息、合同、发票、付款凭证、服务成果等全部材料真实、准确、完整、合法，不存在虚假申报、伪造或变造材料的情形。
本合同所涉科技服务真实发生，不与服务机构串通虚构交易、虚开或代开发票、虚增合同金额，不以任何方式套取、骗取创新券资金。
本单位与服务机构之间不存在关联关系（包括同一法定代表人、相互控股或参股、同一实际控制人，以及本单位内设或自有的实验室、检测机构）。
不将同一服务项目拆分为多份合同申领创新券（化整为零），不转让、赠予、买卖或抵押创新券。
本合同所涉项目未获得其他财政资金支持，所购服务不属于强制性、法定或商业性检验检测。
服务完成后 {证明期限} 个工作日内如实上传付款凭证与服务成果并对服务机构进行评价，\
积极配合主管部门、平台运营单位及第三方机构的核查、审计和绩效评价。
如违反上述承诺，本单位自愿退回已获得的全部创新券资金，\
接受列入科技信用不良记录（黑名单）、取消申领资格等处理，并依法承担相应的法律责任。"""

# Henan's institution uploads the test report and invoice; the applicant confirms the result
# and rates the institution and the platform (河南 guide 3.4–3.6). Its users sign for an order
# (创新券订单), not a contract: 本订单所涉…, 虚增订单金额, 拆分为多份订单.
HENAN_PLEDGE_ITEMS = (
    PLEDGE_ITEMS.replace(
        "服务完成后 {证明期限} 个工作日内如实上传付款凭证与服务成果并对服务机构进行评价，",
        "服务完成后及时核对服务机构上传的订单结果，确认无误后支付，并如实评价服务机构和省平台本次服务，",
    )
    .replace("本合同所涉", "本订单所涉")
    .replace("虚增合同金额", "虚增订单金额")
    .replace("拆分为多份合同", "拆分为多份订单")
)

PRESETS: dict[int, dict] = {
    640000: {
        "province_name": "宁夏回族自治区",
        "short_name": "宁夏",
        "region_word": "区",
        "platform_name": "宁夏科技创新券管理服务平台",
        "department_name": "宁夏回族自治区科学技术厅",
        "centre_name": "宁夏回族自治区科技创业服务中心",
        "operator_name": "宁夏科技创新券平台运营单位",
        "rules_title": "《宁夏回族自治区科技创新券管理办法》",
        "mail_subject": "[宁夏科技创新券]",
        "bureau_title": "推荐部门",
        "centre_title": "创业中心",
    },
    410000: {
        "province_name": "河南省",
        "short_name": "河南",
        "region_word": "省",
        "platform_name": "河南省科研设施与仪器共享服务平台（创新券）",
        "department_name": "河南省科学技术厅",
        "centre_name": "河南省科学技术厅、河南省财政厅",
        "operator_name": "河南省科研设施与仪器共享服务平台",
        "rules_title": "《河南省科技创新券管理办法》",
        "mail_subject": "[河南省创新券]",
        "bureau_title": "市县科技主管部门",
        # 省科技厅 reviews the experts' results and confirms the payments (河南 guide).
        "centre_title": "省科技厅",
        "pledge_items": HENAN_PLEDGE_ITEMS,
    },
    320000: {
        "province_name": "江苏省",
        "short_name": "江苏",
        "region_word": "省",
        "platform_name": "江苏省科技资源统筹服务云平台（创新券）",
        "department_name": "江苏省科学技术厅",
        "centre_name": "江苏省科技资源统筹服务中心",
        "operator_name": "江苏省科技资源统筹服务云平台",
        "rules_title": "《江苏省科技创新券实施管理办法》",
        "mail_subject": "[江苏省科技创新券]",
        # 设区市、县（市）、省级以上高新区等科技主管部门 (江苏 guide).
        "bureau_title": "科技主管部门",
        # 省统筹中心 runs the system and pays the vouchers (江苏 guide).
        "centre_title": "省统筹中心",
        # Jiangsu's platform tells applicants of review results and corrections by SMS.
        "sms_notifications": True,
    },
    330000: {
        "province_name": "浙江省",
        "short_name": "浙江",
        "region_word": "省",
        "platform_name": "浙江省科技创新云服务平台（创新券）",
        "department_name": "浙江省科学技术厅",
        "centre_name": "浙江省科学技术厅",
        "operator_name": "浙江省科技创新云服务平台",
        "rules_title": "《浙江省科技创新券管理办法》",
        "mail_subject": "[浙江科技创新券]",
        # 市、县区科技部门 (浙江 guide).
        "bureau_title": "科技部门",
        "centre_title": "省科技厅",
    },
}


def defaults_for(adcode: int) -> dict:
    """The shipped wording of a seed province, or wording built from any other province's
    region name (the centre edits it afterwards)."""
    preset = PRESETS.get(adcode)
    common = {
        "voucher_name": "科技创新券",
        "number_prefix": LETTER_CODES.get(adcode, "CX"),
        "pledge_items": PLEDGE_ITEMS,
    }
    if preset:
        return {**common, **preset}
    name = region_name(adcode)
    short = name
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if short.endswith(suffix) and len(short) > len(suffix):
            short = short[: -len(suffix)]
            break
    word = "市" if adcode in MUNICIPALITIES else "区" if adcode in AUTONOMOUS_REGIONS else "省"
    return {
        **common,
        "province_name": name,
        "short_name": short,
        "region_word": word,
        "platform_name": f"{short}科技创新券管理服务平台",
        "department_name": f"{name}科学技术厅",
        "centre_name": f"{name}科学技术厅",
        "operator_name": f"{short}科技创新券平台运营单位",
        "rules_title": f"《{name}科技创新券管理办法》",
        "mail_subject": f"[{short}科技创新券]",
        "bureau_title": "科技主管部门",
        "centre_title": f"{word}科技厅",
    }


def current() -> ProvinceProfile:
    """The profile of ``settings.PLATFORM_PROVINCE``, created from its defaults on first use."""
    adcode = int(settings.PLATFORM_PROVINCE)
    profile = ProvinceProfile.objects.filter(adcode=adcode).first()
    if profile is not None:
        return profile
    try:
        with transaction.atomic():
            return ProvinceProfile.objects.create(adcode=adcode, **defaults_for(adcode))
    except IntegrityError:  # another process created it first
        return ProvinceProfile.objects.get(adcode=adcode)


EDITABLE = (
    "province_name",
    "short_name",
    "region_word",
    "platform_name",
    "department_name",
    "centre_name",
    "operator_name",
    "rules_title",
    "voucher_name",
    "number_prefix",
    "mail_subject",
    "bureau_title",
    "centre_title",
    "pledge_items",
    "sms_notifications",
)


@transaction.atomic
def profile_save(*, by: User, data: dict) -> ProvinceProfile:
    """The centre edits the deployment's wording (whitelisted fields only). Numbers already
    given keep their prefix; new ones take the new prefix."""
    if by.role != Role.CENTRE:
        # why: accounts.actors reads the names through this module's current().
        from accounts.actors import only

        raise PermissionDenied(only("修改平台信息"))
    profile = current()
    profile = ProvinceProfile.objects.select_for_update().get(pk=profile.pk)
    for name in EDITABLE:
        if name in data:
            value = data[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.number_prefix = profile.number_prefix.upper()
    if not profile.pledges(proof_workdays=10):
        raise ValidationError({"pledge_items": ["承诺事项至少一条。"]})
    profile.updated_by = by
    profile.full_clean()
    profile.save()
    return profile


def number(kind: str, tail: str) -> str:
    """A document number of this deployment: prefix + kind + tail (e.g. NX + HT + 2026000012).
    Kinds: HT contract, CXQ voucher, DF redemption, PF payout batch, ED entitlement claim, XM
    R&D project registration, BZ institution subsidy."""
    return f"{current().number_prefix}{kind}{tail}"


def mail_subject(title: str) -> str:
    return f"{current().mail_subject} {title}"
