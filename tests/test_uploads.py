"""Every upload path refuses files that could run or explode, stores what it keeps under our
name, and serves it only as the type its bytes say (mapsite.uploads).

The paths: the licence (page and API), an item's photo (page), the stamped contract and its
attachments (page and API), and use proofs (page and API). Each gets the same bad files: a
renamed executable, HTML and SVG with script (under safe-looking names), a PNG that declares
2.5 billion pixels, a PDF whose stream inflates to 150 MB, a PDF with a script action, an
oversize file — and a good file with a path-traversal name, which is kept under our name.
"""

from __future__ import annotations

import functools
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import CertStatus
from catalog.models import Instrument
from mapsite import uploads
from tests import factories

HTML = b"<!doctype html><html><script>document.cookie='pwned=1; path=/'</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int = 2, height: int = 2, *, trailer: bytes = b"") -> bytes:
    """A real PNG of `width` × `height` grey pixels (the IDAT of a bomb is tiny: 1 row)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"".join(b"\x00" + b"\x80" * min(width, 64) for _ in range(min(height, 64))))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
        + trailer
    )


@functools.cache
def pdf_bomb() -> bytes:
    """A 150 KB PDF whose one Flate stream inflates to 150 MB."""
    body = zlib.compress(b"\x00" * (150 * 1024 * 1024), 9)
    return (
        b"%PDF-1.4\n1 0 obj<</Filter/FlateDecode/Length "
        + str(len(body)).encode()
        + b">>stream\n"
        + body
        + b"\nendstream\nendobj\ntrailer<<>>\n%%EOF\n"
    )


def pdf_with_html() -> bytes:
    """A file that is a PDF to a PDF reader and HTML to a browser that sniffs (a polyglot)."""
    return b"%PDF-1.4\n%" + HTML + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


BAD_DOCUMENTS = {
    "renamed executable": ("scan.pdf", factories.ELF_BYTES),
    "html named pdf": ("licence.pdf", HTML),
    "html": ("licence.html", HTML),
    "svg with script": ("photo.svg", SVG),
    "svg named png": ("photo.png", SVG),
    "png with html after garbage header": ("photo.png", b"\x89PNG\r\n\x1a\n" + HTML),
    "pixel bomb": ("big.png", png(50_000, 50_000)),
    "inflation bomb": ("bomb.pdf", None),  # built lazily: pdf_bomb()
    "pdf with script": (
        "form.pdf",
        b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n",
    ),
    "oversize pdf": ("huge.pdf", None),  # built lazily: 51 MB
    "empty": ("empty.pdf", b""),
}


def bad(name: str) -> SimpleUploadedFile:
    filename, content = BAD_DOCUMENTS[name]
    if name == "inflation bomb":
        content = pdf_bomb()
    elif name == "oversize pdf":
        content = b"%PDF-1.4\n" + b"0" * (51 * 1024 * 1024) + b"\n%%EOF\n"
    return SimpleUploadedFile(filename, content, content_type="application/pdf")


def good_pdf(name: str = "../../../etc/passwd.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, factories.PDF_BYTES, content_type="application/pdf")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_stored_under_our_name(name: str) -> None:
    assert uploads.is_generated(name), name
    path = Path(settings.MEDIA_ROOT, name).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


# --- The checks themselves -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_a_bad_document_is_refused_with_a_chinese_reason(name):
    with pytest.raises(uploads.ValidationError) as info:
        uploads.check(bad(name))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.messages[0])


def test_good_files_pass_and_report_the_type_of_their_bytes():
    assert uploads.check(good_pdf()) == "application/pdf"
    assert uploads.check(SimpleUploadedFile("x.pdf", png(), content_type="application/pdf")) == "image/png"
    assert uploads.check(SimpleUploadedFile("x.png", png()), kind=uploads.PHOTO) == "image/png"


def test_a_photo_field_refuses_a_pdf():
    with pytest.raises(uploads.ValidationError):
        uploads.check(good_pdf("photo.png"), kind=uploads.PHOTO)


def test_an_oversize_photo_is_refused_before_it_is_parsed():
    upload = SimpleUploadedFile("big.png", png() + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(uploads.ValidationError) as info:
        uploads.check(upload, kind=uploads.PHOTO)
    assert "5 MB" in info.value.messages[0]


# --- The licence: API and page --------------------------------------------------------------


@pytest.fixture
def dora(db):
    """A draft applicant who has not uploaded a licence yet."""
    return factories.applicant_user(username="dora", adcode=640104, status=CertStatus.DRAFT, licence=None)


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_the_licence_api_refuses_a_bad_file_and_stores_nothing(api_as, dora, name):
    before = stored_files()
    url = f"/api/organisations/{dora.organisation.pk}/licence/"
    response = api_as(dora).post(url, {"licence": bad(name)}, format="multipart")
    assert response.status_code == 400, response.content
    dora.organisation.refresh_from_db()
    assert not dora.organisation.licence
    assert stored_files() == before


@pytest.mark.parametrize("name", ["html named pdf", "svg with script", "pixel bomb", "inflation bomb"])
def test_the_licence_page_refuses_a_bad_file_with_a_4xx(client, dora, name):
    before = stored_files()
    client.force_login(dora)
    response = client.post(reverse("accounts:me_licence"), {"licence": bad(name)})
    assert response.status_code == 400
    assert "文件" in response.content.decode() or "图片" in response.content.decode()
    dora.organisation.refresh_from_db()
    assert not dora.organisation.licence
    assert stored_files() == before


def test_a_licence_with_a_traversal_name_is_kept_under_our_name(api_as, dora):
    url = f"/api/organisations/{dora.organisation.pk}/licence/"
    assert api_as(dora).post(url, {"licence": good_pdf()}, format="multipart").status_code == 200
    dora.organisation.refresh_from_db()
    assert_stored_under_our_name(dora.organisation.licence.name)
    assert dora.organisation.licence.name.endswith(".pdf")
    assert [p.name for p in stored_files()] == [Path(dora.organisation.licence.name).name]


def test_a_polyglot_licence_is_served_as_a_pdf_that_no_browser_sniffs_as_html(api_as, client, dora, bob):
    """The attack from the security review: a "licence.html" that begins with %PDF-."""
    upload = SimpleUploadedFile("licence.html", pdf_with_html(), content_type="text/html")
    url = f"/api/organisations/{dora.organisation.pk}/licence/"
    assert api_as(dora).post(url, {"licence": upload}, format="multipart").status_code == 200
    dora.organisation.refresh_from_db()
    assert dora.organisation.licence.name.endswith(".pdf")
    client.force_login(bob)
    for path in (f"/accounts/org/{dora.organisation.pk}/licence/", url):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert ".html" not in response.get("Content-Disposition", "")


def test_a_file_stored_before_this_fix_is_served_by_its_bytes_not_its_name(client, dora, bob):
    """Licences stored under the uploader's name (earlier releases) are still safe to open."""
    org = dora.organisation
    org.licence.save("licence.html", ContentFile(HTML), save=True)
    client.force_login(bob)
    response = client.get(f"/accounts/org/{org.pk}/licence/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


# --- An item's photo: page, served publicly -------------------------------------------------


@pytest.fixture
def sem(ivan_lab):
    return factories.approved_item(ivan_lab, name="扫描电子显微镜")


def _item_form(item) -> dict:
    from django.forms.models import model_to_dict

    from catalog.forms import ITEM_FORMS

    fields = ITEM_FORMS["instrument"]._meta.fields
    data = {k: v for k, v in model_to_dict(item, fields=fields).items() if v is not None}
    data["price"] = str(item.price)
    return {k: (",".join(map(str, v)) if isinstance(v, list | tuple) else v) for k, v in data.items()}


@pytest.mark.parametrize(
    "name", ["html named pdf", "svg named png", "png with html after garbage header", "pixel bomb"]
)
def test_the_item_photo_page_refuses_a_bad_file(client, ivan_lab, sem, name):
    before = stored_files()
    client.force_login(ivan_lab)
    data = {**_item_form(sem), "photo": bad(name)}
    response = client.post(f"/catalog/manage/instrument/{sem.pk}/edit/", data)
    assert response.status_code == 400
    assert not Instrument.objects.get(pk=sem.pk).photo
    assert stored_files() == before


def test_a_photo_is_stored_under_our_name_and_served_inline_as_an_image(client, ivan_lab, sem):
    from catalog import services

    services.item_set_photo(item=sem, by=ivan_lab, upload=SimpleUploadedFile("<b>x</b>.html", png()))
    name = Instrument.objects.get(pk=sem.pk).photo.name
    assert_stored_under_our_name(name) and name.endswith(".png")
    client.logout()
    response = client.get(f"/catalog/items/instrument/{sem.pk}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")


# --- The stamped contract and its attachments -----------------------------------------------


@pytest.fixture
def draft(alice, ivan_lab):
    factories.ningxia_policy()
    return factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_the_contract_scan_api_refuses_a_bad_file_and_stores_nothing(api_as, alice, draft, name):
    scan, files = draft.signed_scan.name, stored_files()
    response = api_as(alice).post(f"/api/contracts/{draft.pk}/scan/", {"file": bad(name)}, format="multipart")
    assert response.status_code == 400, response.content
    draft.refresh_from_db()
    assert draft.signed_scan.name == scan
    assert stored_files() == files


@pytest.mark.parametrize("action,field", [("scan", "scan"), ("attachment", "file")])
@pytest.mark.parametrize("name", ["html named pdf", "svg with script", "inflation bomb", "renamed executable"])
def test_the_contract_page_refuses_a_bad_file_with_a_4xx(client, alice, draft, action, field, name):
    before = stored_files()
    client.force_login(alice)
    url = f"/vouchers/contracts/{draft.pk}/" + {"scan": "scan/upload/", "attachment": "attachments/new/"}[action]
    response = client.post(url, {field: bad(name), "name": "附件"})
    assert response.status_code == 400
    assert stored_files() == before
    assert draft.attachments.count() == 0


def test_an_attachment_keeps_the_uploaders_name_only_as_a_label(client, alice, draft):
    client.force_login(alice)
    upload = good_pdf("../../<script>x</script>.pdf")
    response = client.post(f"/vouchers/contracts/{draft.pk}/attachments/new/", {"file": upload, "name": ""})
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert_stored_under_our_name(attachment.file.name)
    download = client.get(f"/vouchers/contracts/{draft.pk}/attachments/{attachment.pk}/")
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/vouchers/contracts/{draft.pk}/").content.decode()
    assert "<script>x</script>" not in page


# --- Use proofs ------------------------------------------------------------------------------


@pytest.fixture
def used(api_as, alice, bob, olivia, cecilia, draft):
    from vouchers.contracts import services

    services.contract_submit(contract=draft, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=draft, by=reviewer, approve=True)
    draft.refresh_from_db()
    voucher = draft.voucher
    response = api_as(alice).post(
        f"/api/vouchers/{voucher.pk}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="upload-test-key-0001"
    )
    assert response.status_code == 201, response.content
    return voucher


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_the_proof_api_refuses_a_bad_file_and_stores_nothing(api_as, alice, used, name):
    before = stored_files()
    data = {"kind": "result", "file": bad(name)}
    response = api_as(alice).post(f"/api/vouchers/{used.pk}/proofs/", data, format="multipart")
    assert response.status_code == 400, response.content
    assert stored_files() == before


@pytest.mark.parametrize("name", ["html named pdf", "svg with script", "pixel bomb"])
def test_the_proof_page_refuses_a_bad_file_with_a_4xx(client, alice, used, name):
    before = stored_files()
    client.force_login(alice)
    response = client.post(f"/vouchers/{used.pk}/use/proofs/", {"kind": "result", "file": bad(name)})
    assert response.status_code == 400
    assert stored_files() == before


def test_a_proof_is_stored_under_our_name_and_served_by_its_bytes(api_as, client, alice, used):
    data = {"kind": "result", "file": SimpleUploadedFile("report.html", png())}
    response = api_as(alice).post(f"/api/vouchers/{used.pk}/proofs/", data, format="multipart")
    assert response.status_code == 201, response.content
    proof = used.use.proofs.get()
    assert_stored_under_our_name(proof.file.name) and proof.file.name.endswith(".png")
    client.force_login(alice)
    download = client.get(f"/vouchers/proofs/{proof.pk}/file/")
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"


# --- Files stored by earlier releases ---------------------------------------------------------


def test_the_data_migration_moves_old_files_to_generated_names_and_keeps_their_bytes(dora):
    from accounts.models import Organisation

    org = dora.organisation
    org.licence.save("licence.html", ContentFile(HTML), save=True)
    other = factories.applicant_user(username="otto", adcode=640104, status=CertStatus.DRAFT, licence=None)
    other.organisation.licence.save("营业执照.pdf", ContentFile(factories.PDF_BYTES), save=True)
    old = [Path(settings.MEDIA_ROOT, o.licence.name) for o in (org, other.organisation)]

    assert uploads.rename_stored(Organisation, "licence") == 2
    assert uploads.rename_stored(Organisation, "licence") == 0  # a second run moves nothing

    org.refresh_from_db()
    other.organisation.refresh_from_db()
    assert uploads.is_generated(org.licence.name) and org.licence.name.endswith(".bin")
    assert uploads.is_generated(other.organisation.licence.name) and other.organisation.licence.name.endswith(".pdf")
    assert org.licence.read() == HTML
    assert not any(path.exists() for path in old)
