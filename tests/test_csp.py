"""Every response carries a Content-Security-Policy; the map documents still run."""

from __future__ import annotations

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_pages_allow_scripts_from_our_origin_only(client):
    policy = directives(client.get("/"))
    assert policy["script-src"].startswith("'self' 'unsafe-hashes' 'sha256-")
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"


def test_the_map_page_renders_and_its_frame_may_run_its_inline_script(client, ivan_lab):
    page = client.get("/map/")
    assert page.status_code == 200 and 'src="/map/frame/"' in page.content.decode()
    assert "'unsafe-inline'" not in directives(page)["script-src"]
    frame = client.get("/map/frame/")
    assert frame.status_code == 200 and "<script>" in frame.content.decode().replace("<script >", "<script>")
    policy = directives(frame)
    assert policy["script-src"] == "'self' 'unsafe-inline'" and policy["frame-ancestors"] == "'self'"
    # Every external script of the map document comes from our own origin.
    sources = re.findall(r'<script[^>]+src="([^"]+)"', frame.content.decode())
    assert sources and all(src.startswith("/static/") for src in sources), sources
    assert "https://tile.openstreetmap.org" in policy["img-src"]


def test_a_page_embedding_a_srcdoc_map_gets_the_map_policy(client, ivan_lab, olivia):
    item = factories.approved_item(ivan_lab, operator=olivia, name="X射线衍射仪")
    page = client.get(f"/catalog/instruments/{item.pk}/")
    assert page.status_code == 200 and "srcdoc=" in page.content.decode()
    assert directives(page)["script-src"] == "'self' 'unsafe-inline'"


def test_the_inline_handler_hash_matches_the_templates():
    import base64
    import hashlib

    from mapsite.csp import policies

    digest = base64.b64encode(hashlib.sha256(b"this.form.submit()").digest()).decode()
    assert f"'sha256-{digest}'" in policies()[0]


def test_api_responses_carry_the_policy_too(api):
    assert "default-src 'self'" in api.get("/api/regions/")["Content-Security-Policy"]


def test_admin_pages_editing_a_geometry_get_the_map_policy_and_others_do_not(client, ivan_lab, olivia):
    olivia.is_staff = olivia.is_superuser = True
    olivia.save()
    client.force_login(olivia)
    change = client.get(f"/admin/accounts/organisation/{ivan_lab.organisation_id}/change/")
    assert change.status_code == 200 and directives(change)["script-src"] == "'self' 'unsafe-inline'"
    listing = client.get("/admin/accounts/organisation/")
    assert "'unsafe-inline'" not in directives(listing)["script-src"]
