"""Credit codes (GB 32100-2015) and resident IDs (GB 11643) are checked, not just counted."""

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import normalise_credit_code, normalise_resident_id
from tests.factories import credit_code, resident_id

GOOD_CREDIT_CODES = [
    "91110000802100433B",  # Baidu's published code
    "91110000600037341L",  # python-stdnum documentation example
    credit_code(7, area="640302"),
    credit_code(8, authority="12", area="640000"),
]


@pytest.mark.parametrize("code", GOOD_CREDIT_CODES)
def test_valid_credit_codes_are_accepted(code):
    assert normalise_credit_code(code) == code


def test_credit_codes_are_normalised_to_compact_upper_case():
    assert normalise_credit_code(" 91110000802100433b ") == "91110000802100433B"


@pytest.mark.parametrize(
    "code",
    [
        "91110000802100433A",  # wrong check character
        "9111000080210043",  # too short
        "911100008021004333B",  # too long
        "91110000802100O33B",  # letter O is not in the code alphabet
        "",
    ],
)
def test_invalid_credit_codes_are_refused(code):
    with pytest.raises(ValidationError):
        normalise_credit_code(code)


def test_valid_resident_id_is_accepted():
    rid = resident_id(12, area="640121", birth="19850315")
    assert normalise_resident_id(rid) == rid


@pytest.mark.parametrize(
    "rid",
    [
        resident_id(12)[:-1] + ("0" if resident_id(12)[-1] != "0" else "1"),  # bad check digit
        "64010419901301001X",  # month 13
        "6401041990010100",  # too short
        "abcdefghijklmnopqr",
    ],
)
def test_invalid_resident_ids_are_refused(rid):
    with pytest.raises(ValidationError):
        normalise_resident_id(rid)


# --- Across provinces: the area code is where the number was first issued -------------------


@pytest.mark.parametrize(
    "area,birth",
    [
        ("640104", "19950612"),  # 银川市兴庆区, created 2002: an ID issued after 2002 to someone born in 1995
        ("419001", "19800101"),  # 济源市, a county-level city under 河南省 since 1997
        ("320214", "19880808"),  # 无锡市新吴区, created 2015
        ("330114", "19921111"),  # 杭州市钱塘区, created 2021 (newer than python-stdnum's table)
        ("330113", "20000229"),  # 杭州市临平区, created 2021
        ("640102", "19900101"),  # 银川市城区, retired in 2002: issued to someone born before that
    ],
)
def test_an_area_code_created_after_the_birth_year_is_valid(area, birth):
    rid = resident_id(7, area=area, birth=birth)
    assert normalise_resident_id(rid) == rid


def _reason(check, value) -> str:
    with pytest.raises(ValidationError) as caught:
        check(value)
    return caught.value.messages[0]


def test_an_area_code_retired_before_the_holder_was_born_is_refused_with_that_reason():
    message = _reason(normalise_resident_id, resident_id(7, area="640102", birth="20100101"))
    assert "地址码 640102" in message and "2010" in message and "撤销" in message


def test_an_area_code_that_never_existed_is_named():
    assert "地址码 999999 不是行政区划代码" in _reason(normalise_resident_id, resident_id(7, area="999999"))


@pytest.mark.parametrize(
    "rid,reason",
    [
        ("6401041990010100", "应为18位，现为16位"),
        ("64010419900101001Y", "前17位应为数字，末位为数字或 X"),
        ("abcdefghijklmnopqr", "前17位应为数字"),
        (
            resident_id(3, birth="19900101")[:-1] + ("0" if resident_id(3, birth="19900101")[-1] != "0" else "1"),
            "末位校验码",
        ),
        (resident_id(3, birth="19901301"), "出生日期 1990-13-01 不存在"),
        (resident_id(3, birth="19900230"), "出生日期 1990-02-30 不存在"),
        (resident_id(3, birth="20990101"), "晚于今天"),
        (resident_id(3, birth="18800101"), "早于1900年"),
    ],
)
def test_a_resident_id_is_refused_with_its_real_reason(rid, reason):
    message = _reason(normalise_resident_id, rid)
    assert message.startswith("居民身份证号码无效：") and reason in message


def test_a_lower_case_x_check_digit_is_normalised():
    rid = next(r for r in (resident_id(n, birth="19850315") for n in range(200)) if r.endswith("X"))
    assert normalise_resident_id(rid.lower()) == rid


@pytest.mark.parametrize(
    "code,reason",
    [
        ("9111000080210043", "应为18位，现为16位"),
        ("911100008021004333B", "应为18位，现为19位"),
        ("9A110000802100433B", "前8位"),
        ("91110000802100O33B", "“O”"),
        ("91110000802100I3SB", "“I、S”"),
        ("91110000802100433A", "末位校验码"),
        ("", "现为0位"),
    ],
)
def test_a_credit_code_is_refused_with_its_real_reason(code, reason):
    message = _reason(normalise_credit_code, code)
    assert message.startswith("统一社会信用代码无效：") and reason in message
