"""An uploaded file never runs script on our origin, in a real browser.

The attack from the security review: an applicant uploads a "licence" that is HTML with a
script (as a PDF polyglot, and — for files stored by earlier releases — as plain HTML under
an .html name); the bureau opens it from its review page. The script would set a cookie on
our origin; after opening every variant, top level and framed, no such cookie exists and no
dialog opened.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services
from accounts.models import CertStatus
from catalog.models import Instrument
from tests import factories
from tests.test_uploads import HTML, pdf_with_html

pytestmark = pytest.mark.browser


def test_no_uploaded_file_runs_script_when_the_bureau_opens_it(page, watch, live_server, ningxia):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.DRAFT, licence=None)
    factories.bureau_user(username="bob", adcode=640104)
    org = dora.organisation
    services.licence_upload(
        org=org, by=dora, upload=SimpleUploadedFile("licence.html", pdf_with_html(), content_type="text/html")
    )
    # A file an earlier release stored under the uploader's name, HTML through and through.
    legacy = factories.applicant_user(username="lena", adcode=640104, status=CertStatus.DRAFT, licence=None)
    legacy.organisation.licence.save("licence.html", ContentFile(HTML), save=True)
    lab = factories.listed_institution(username="lab", name="测试实验室", lng=106.27, lat=38.47)
    item = factories.approved_item(lab, name="扫描电镜")
    Instrument.objects.get(pk=item.pk).photo.save("photo.html", ContentFile(HTML), save=True)

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "bob")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    urls = [
        f"/accounts/org/{org.pk}/licence/",
        f"/api/organisations/{org.pk}/licence/",
        f"/accounts/org/{legacy.organisation.pk}/licence/",
        f"/catalog/items/instrument/{item.pk}/photo/",
    ]
    for url in urls:
        try:  # an attachment makes goto fail with "Download is starting": that is the point
            page.goto(url, wait_until="commit")
        except Exception as exc:  # noqa: BLE001
            assert "Download" in str(exc) or "ERR_ABORTED" in str(exc), exc
    page.goto("/")
    frames = "".join(f'<iframe src="{u}"></iframe><img src="{u}">' for u in urls)
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", frames)
    page.wait_for_timeout(1500)

    cookies = {c["name"] for c in page.context.cookies()}
    assert "pwned" not in cookies
    assert "pwned" not in page.evaluate("document.cookie")
    assert watch.dialogs == []
    # The PDF viewer loads its own chrome:// resources; nothing else may leave the app.
    assert [u for u in watch.outside if not u.startswith(("chrome://", "chrome-extension://"))] == []

    # Control: the same markup, when it *is* run as HTML on our origin, sets the cookie — so
    # the check above would have seen the attack. On an ordinary page the Content-Security-
    # Policy (mapsite.csp) already stops its inline script; a map document's page, whose
    # policy allows inline scripts, lets it run.
    add_frame = "html => { const f = document.createElement('iframe'); f.srcdoc = html; document.body.append(f); }"
    page.evaluate(add_frame, HTML.decode())
    page.wait_for_timeout(500)
    assert "pwned" not in {c["name"] for c in page.context.cookies()}
    page.goto("/map/frame/")
    page.evaluate(add_frame, HTML.decode())
    page.wait_for_timeout(500)
    assert "pwned" in {c["name"] for c in page.context.cookies()}
