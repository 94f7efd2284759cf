"""The admin's map widget works offline: OpenLayers comes from this app, not a CDN."""

from __future__ import annotations

import json
import math

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_sees_and_can_edit_an_organisations_point_on_the_admin_map(page, watch, screenshot, ningxia):
    lab = factories.listed_institution(username="map_lab", name="银川检测所", lng=106.2857, lat=38.47)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")
    page.goto(f"/admin/login/?next=/admin/accounts/organisation/{lab.organisation_id}/change/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "pw-root-123")
    page.click("input[type=submit]")

    map_box = page.locator(".ol-viewport")
    map_box.wait_for()
    assert page.locator(".ol-viewport canvas").count() >= 1  # OpenLayers drew the map
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert any(src.endswith("/static/vendor/ol/ol.js") for src in scripts)
    # The stored point is in the widget's field (in the map's Web Mercator), ready to be moved.
    point = json.loads(page.locator("textarea#id_location").input_value())
    assert point["coordinates"][0] == pytest.approx(math.radians(106.2857) * 6378137, abs=0.01)
    screenshot("admin-organisation")
    watch.assert_clean()
