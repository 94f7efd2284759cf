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
