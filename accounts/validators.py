"""Identity numbers: unified social credit code (GB 32100-2015) and resident ID (GB 11643)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


def normalise_credit_code(value: str) -> str:
    """Return the compact upper-case code, or raise ValidationError with the reason."""
    try:
        return uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            "统一社会信用代码无效：应为18位，且校验位符合 GB 32100-2015。", code="credit_code"
        ) from exc


def normalise_resident_id(value: str) -> str:
    try:
        return ric.validate(value)
    except StdnumError as exc:
        raise ValidationError("居民身份证号码无效：应为18位，且出生日期与校验位正确。", code="resident_id") from exc
