"""预约 / 对接 are shown only to those who can use them.

Only applicants (enterprises, social organisations, individuals) may book or ask for contact;
an anonymous visitor is offered "登录后预约"; institutions, bureaus, the operator, the centre
and experts see no such button at all (they would only get a 403). Checked on every page that
offers them: the map's list (and the map script's config), and the instrument, service and
institution pages.
"""

from __future__ import annotations

import json
import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(ivan_lab, olivia):
    instrument = factories.approved_item(ivan_lab, kind="instrument", operator=olivia)
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    return {
        "instrument": instrument,
        "service": service,
        "pages": [
            "/map/",
            f"/catalog/instruments/{instrument.pk}/",
            f"/catalog/services/{service.pk}/",
            f"/catalog/institutions/{ivan_lab.organisation.institution.pk}/",
        ],
    }


@pytest.fixture
def people(alice, ivan, bob, olivia, cecilia, eve):
    return {
        "applicant": alice,
        "institution": ivan,
        "bureau": bob,
        "operator": olivia,
        "centre": cecilia,
        "expert": eve,
    }


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def map_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html).group(1))


def test_an_applicant_sees_booking_and_contact_buttons_everywhere(client, catalogue, people):
    client.force_login(people["applicant"])
    instrument = catalogue["instrument"]

    for url in catalogue["pages"]:
        html = html_of(client, url)
        assert ">对接</a>" in html, url
        assert "登录后" not in html, url
    assert f'href="/catalog/instruments/{instrument.pk}/book/">预约</a>' in html_of(client, catalogue["pages"][1])
    assert map_config(html_of(client, "/map/"))["requestMode"] == "request"


def test_an_anonymous_visitor_is_asked_to_log_in_first(client, catalogue):
    instrument = catalogue["instrument"]

    for url in catalogue["pages"]:
        html = html_of(client, url)
        assert ">预约</a>" not in html and ">对接</a>" not in html, url
        assert "登录后" in html, url
    detail = html_of(client, catalogue["pages"][1])
    assert f'href="/accounts/login/?next=/catalog/instruments/{instrument.pk}/book/"' in detail
    assert ">登录后预约</a>" in detail
    config = map_config(html_of(client, "/map/"))
    assert config["requestMode"] == "login" and config["loginUrl"] == "/accounts/login/"


@pytest.mark.parametrize("role", ["institution", "bureau", "operator", "centre", "expert"])
def test_other_roles_never_see_a_button_they_cannot_use(client, catalogue, people, role):
    client.force_login(people[role])

    for url in catalogue["pages"]:
        html = html_of(client, url)
        for text in (">预约</a>", ">对接</a>", "登录后预约", "登录后对接", "/book/", "/catalog/contact/?"):
            assert text not in html, f"{role} sees {text!r} on {url}"
    assert map_config(html_of(client, "/map/"))["requestMode"] == ""
