"""Identity numbers: unified social credit code (GB 32100-2015) and resident ID (GB 11643).

Each check says the real reason in Chinese (length, characters, check digit, birth date, area
code), so a user who mistyped one digit knows what to look at.

A resident ID's area code is the place where the number was FIRST ISSUED, not the place of
birth at the time of birth: someone born in 1995 in what became 银川市兴庆区 (640104, created
in 2002) and given an ID card after 2002 carries 640104. python-stdnum's ``ric.validate`` asks
for the code to have existed in the birth year and refuses such numbers, so the area check
here only asks that the code existed at some time not before the birth year (a code retired
before the holder was born cannot have been issued to them).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum import luhn, numdb
from stdnum.cn import ric, uscc

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Area codes newer than python-stdnum's table (cn/loc.dat), with their first year: found by
# comparing it with the shipped region files (杭州市临平区 and 钱塘区, created in 2021).
NEWER_AREA_CODES = {"330113": 2021, "330114": 2021}


def _credit_error(reason: str) -> ValidationError:
    return ValidationError(f"统一社会信用代码无效：{reason}", code="credit_code")


def normalise_credit_code(value: str) -> str:
    """Return the compact upper-case code, or raise ValidationError with the reason."""
    code = uscc.compact(value or "")
    if len(code) != 18:
        raise _credit_error(f"应为18位，现为{len(code)}位。")
    if not code[:8].isdigit() or not code[:8].isascii():
        raise _credit_error("前8位（登记管理部门、机构类别和行政区划码）应为数字。")
    bad = sorted({c for c in code[8:] if c not in CREDIT_CODE_ALPHABET})
    if bad:
        shown = "、".join(bad)
        raise _credit_error(f"含有代码中不使用的字符“{shown}”（只用数字和除 I、O、S、V、Z 以外的大写字母）。")
    if code[-1] != uscc.calc_check_digit(code):
        raise _credit_error("末位校验码与前17位不符，请核对是否有字符输错。")
    return code


def _id_error(reason: str) -> ValidationError:
    return ValidationError(f"居民身份证号码无效：{reason}", code="resident_id")


def _area_years(area: str) -> list[tuple[int | None, int | None]] | None:
    """The (first year, last year) spans in which ``area`` was an area code; None if never."""
    if area in NEWER_AREA_CODES:
        return [(NEWER_AREA_CODES[area], None)]
    parts = numdb.get("cn/loc").info(area)
    info = {k: v for _, props in parts for k, v in props.items()}
    if "county" not in info:
        return None
    spans = []
    for county in info["county"].split(","):
        if not county.startswith("["):
            spans.append((None, None))
            continue
        start, end = county[1:].split("]")[0].split("-")
        spans.append((int(start) if start else None, int(end) if end else None))
    return spans


def normalise_resident_id(value: str) -> str:
    """Return the compact 18-character ID (upper-case X), or raise ValidationError with the reason."""
    rid = ric.compact(value or "")
    if len(rid) != 18:
        raise _id_error(f"应为18位，现为{len(rid)}位。")
    if not (rid[:17].isdigit() and rid[:17].isascii()) or not (rid[17].isdigit() or rid[17] == "X"):
        raise _id_error("前17位应为数字，末位为数字或 X。")
    if rid[-1] != ric.calc_check_digit(rid):
        raise _id_error("末位校验码与前17位不符，请核对是否有数字输错。")
    try:
        birth = dt.date(int(rid[6:10]), int(rid[10:12]), int(rid[12:14]))
    except ValueError:
        raise _id_error(f"第7–14位的出生日期 {rid[6:10]}-{rid[10:12]}-{rid[12:14]} 不存在。") from None
    if birth > timezone.localdate() or birth.year < 1900:
        raise _id_error(f"出生日期 {birth:%Y-%m-%d} 不可能（早于1900年或晚于今天）。")
    spans = _area_years(rid[:6])
    if spans is None:
        raise _id_error(f"前6位地址码 {rid[:6]} 不是行政区划代码。")
    if not any(end is None or end >= birth.year for _, end in spans):
        raise _id_error(f"地址码 {rid[:6]} 在出生年份 {birth.year} 之前已撤销，不可能用于该号码。")
    return rid


def normalise_bank_code(value: str) -> str:
    """A 12-digit payment-system bank code (支付系统行号 / 联行号), spaces removed."""
    code = "".join((value or "").split())
    if not (code.isascii() and code.isdigit()) or len(code) != 12:
        raise ValidationError(f"开户行行号应为12位数字（支付系统行号），现为“{value}”。", code="bank_code")
    return code


def normalise_account_number(value: str, *, personal: bool) -> str:
    """A bank account number: digits only (spaces and hyphens removed), 8–30 digits. A
    personal UnionPay card (16–19 digits starting 62) must pass its Luhn check digit, which
    catches most mistyped cards; corporate account numbers have no public check digit."""
    number = "".join(c for c in (value or "") if c not in " -")
    if not (number.isascii() and number.isdigit()):
        raise ValidationError("银行账号只能包含数字。", code="account_number")
    if not 8 <= len(number) <= 30:
        raise ValidationError(f"银行账号应为8–30位数字，现为{len(number)}位。", code="account_number")
    if personal and number.startswith("62") and 16 <= len(number) <= 19 and not luhn.is_valid(number):
        raise ValidationError("银行卡号末位校验码不符，请核对是否有数字输错。", code="account_number")
    return number


def founding_date_not_future(value: dt.date) -> None:
    """注册成立时间: a founding date cannot be later than today (the deployment's local date)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError("注册成立时间不能晚于今天。", code="founded_on_future")
