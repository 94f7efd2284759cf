"""Text that reaches users is Chinese: no parameter names, commands or English messages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_missing_object_in_the_api_is_a_chinese_404(api_as, alice, api):
    for url in ("/api/instruments/999999/", "/api/institutions/999999/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "未找到。"}
    response = api_as(alice).get("/api/contracts/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_search_errors_name_the_fields_in_chinese(api, client, ningxia):
    data = api.get("/api/map/search/?min_price=500&max_price=100").json()
    html = client.get("/map/?min_price=500&max_price=100").content.decode()

    assert data["min_price"] == ["最低价格不能高于最高价格。"]
    assert "最低价格：最低价格不能高于最高价格。" in html
    assert "max_price" not in data["min_price"][0]


def test_form_labels_end_with_a_full_width_colon(client):
    html = client.get("/accounts/register/").content.decode()

    assert "：</label>" in html
    assert ":</label>" not in html


def test_the_evaluation_page_shows_no_command(client, cecilia):
    from tests import factories

    factories.ningxia_policy()
    client.force_login(cecilia)
    html = client.get("/dashboard/evaluation/").content.decode()

    assert "manage.py" not in html and "dashboards_evaluate" not in html
    assert "可随时重新运行" in html
