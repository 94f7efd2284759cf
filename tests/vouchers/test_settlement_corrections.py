"""Correcting proofs after a returned redemption, where the scheme checks proofs with the
redemption (``Policy.proof_review`` off: Henan, Jiangsu, Zhejiang): the prover removes the
wrong invoice and uploads the right one, files the proofs again and the payee resubmits.
Also what the pages say about it: why a returned redemption cannot be resubmitted yet, the
scheme's voucher state names, the operator's work queue without a proof review, and the
redemption list's intro where the approval pays at once."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from vouchers.models import Proof, ProofEvent, RedemptionEvent

pytestmark = pytest.mark.django_db

# Henan's state names: a voucher in a redemption under way is 已支付, not 兑付中.
LABELS = {"issued": "未支付", "used": "已支付", "redeeming": "已支付", "redeemed": "兑付成功"}


@pytest.fixture
def policy(db):
    """Jiangsu-like: the enterprise proves (invoice, bank receipt, result), nobody reviews the
    proofs before the redemption; the operator checks them with it."""
    return factories.ningxia_policy(proof_review=False, voucher_labels=LABELS)


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(api, voucher, kind: str, amount: str | None = None, number: str = "NO.1"):
    data = {"kind": kind, "number": number, "file": factories.pdf_upload(f"{kind}.pdf")}
    if amount:
        data["amount"] = amount
    response = api.post(f"/api/vouchers/{voucher.pk}/proofs/", data, format="multipart")
    assert response.status_code == 201, response.content.decode()
    return response.json()[-1]["id"]


@pytest.fixture
def returned(issued, alice, ivan_lab, olivia, api_as):
    """alice paid; her proofs (invoice 40,000 with the wrong title, receipt 40,000, result)
    were filed; ivan_lab asked for the redemption; the operator returned it for the
    invoice. Returns (voucher, redemption id, invoice proof id)."""
    ent = api_as(alice)
    paid = ent.post(f"/api/vouchers/{issued.pk}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="fix-pay-0001")
    assert paid.status_code == 201, paid.content.decode()
    invoice = upload(ent, issued, "invoice", "40000", number="FP-OLD")
    upload(ent, issued, "bank_receipt", "40000")
    upload(ent, issued, "result")
    assert ent.post(f"/api/vouchers/{issued.pk}/submit-proofs/").json()["proof_status"] == "filed"
    created = api_as(ivan_lab).post("/api/redemptions/", {"vouchers": [issued.pk], "mode": "instant"}, format="json")
    assert created.status_code == 201, created.content.decode()
    rid = created.json()["id"]
    back = api_as(olivia).post(
        f"/api/redemptions/{rid}/check/", {"decision": "return", "note": "发票抬头有误，请补正发票"}, format="json"
    )
    assert back.json()["status"] == "returned"
    assert api_as(alice).get(f"/api/vouchers/{issued.pk}/use/").json()["proof_status"] == "returned"
    return issued, rid, invoice


def test_the_prover_replaces_the_invoice_after_a_return_and_the_payee_resubmits_with_a_note(
    returned, alice, ivan_lab, api_as, django_capture_on_commit_callbacks
):
    voucher, rid, invoice = returned
    ent = api_as(alice)  # one client: api_as switches its user
    # Adding the corrected invoice beside the wrong one doubles the total: refused.
    upload(ent, voucher, "invoice", "40000", number="FP-NEW")
    doubled = ent.post(f"/api/vouchers/{voucher.pk}/submit-proofs/")
    assert doubled.status_code == 400 and "不一致" in doubled.content.decode()
    # The payee is told why it cannot resubmit yet, with the way to the proofs.
    html = page(ivan_lab).get(f"/vouchers/redemptions/{rid}/").content.decode()
    assert "的使用证明尚未提交齐全。请先补正并重新提交证明材料。" in html
    assert f"/vouchers/{voucher.pk}/use/#proofs" in html and "已重新提交过" not in html
    # The wrong invoice goes, with its stored file once committed.
    stored = Proof.objects.get(pk=invoice).file
    storage, name = stored.storage, stored.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        gone = ent.delete(f"/api/vouchers/{voucher.pk}/proofs/{invoice}/")
    assert gone.status_code == 204
    assert not Proof.objects.filter(pk=invoice).exists() and not storage.exists(name)
    assert ProofEvent.objects.filter(use=voucher.use, note__contains="删除发票 FP-OLD").exists()
    assert [p["number"] for p in ent.get(f"/api/vouchers/{voucher.pk}/proofs/").json()] == ["NO.1", "NO.1", "FP-NEW"]
    again = ent.delete(f"/api/vouchers/{voucher.pk}/proofs/{invoice}/")
    assert again.status_code == 404
    assert ent.post(f"/api/vouchers/{voucher.pk}/submit-proofs/").json()["proof_status"] == "filed"
    # Filed again: nothing can be deleted any more.
    result = Proof.objects.filter(use=voucher.use, kind="result").get().pk
    late = ent.delete(f"/api/vouchers/{voucher.pk}/proofs/{result}/")
    assert late.status_code == 400 and "不能删除" in late.content.decode()
    assert Proof.objects.filter(pk=result).exists()
    # The API resubmission keeps its note: the history row, in the response too.
    back = api_as(ivan_lab).post(f"/api/redemptions/{rid}/resubmit/", {"note": "已补正发票"}, format="json")
    assert back.status_code == 200 and back.json()["status"] == "submitted"
    assert RedemptionEvent.objects.filter(redemption_id=rid, to_status="submitted").last().note == "已补正发票"
    assert back.json()["events"][-1]["note"] == "已补正发票"
    # Submitted with the redemption: still not deletable, on the page either.
    with_redemption = page(alice).post(f"/vouchers/{voucher.pk}/use/proofs/{result}/delete/")
    assert with_redemption.status_code == 400 and "证明材料已提交，不能删除" in with_redemption.content.decode()
    assert Proof.objects.filter(pk=result).exists()
    # The redemption page names the voucher's state as the scheme does.
    html = page(ivan_lab).get(f"/vouchers/redemptions/{rid}/").content.decode()
    assert "已支付" in html and "兑付中" not in html


def test_only_the_prover_deletes_a_proof(returned, alice, ivan_lab, olivia, mallory, api_as):
    voucher, rid, invoice = returned
    url = f"/api/vouchers/{voucher.pk}/proofs/{invoice}/"
    assert api_as(mallory).delete(url).status_code == 404  # an outsider does not see the voucher
    assert api_as(ivan_lab).delete(url).status_code == 403  # the payee, not the prover here
    assert api_as(olivia).delete(url).status_code == 403  # the reviewer
    form = f"/vouchers/{voucher.pk}/use/proofs/{invoice}/delete/"
    assert page(mallory).post(form).status_code == 404
    assert page(ivan_lab).post(form).status_code == 403
    assert page(olivia).post(form).status_code == 403
    assert Proof.objects.filter(pk=invoice).exists()
    # Another use's proof id under this voucher: not found.
    assert api_as(alice).delete(f"/api/vouchers/{voucher.pk}/proofs/999999/").status_code == 404
    # The delete buttons are the prover's alone.
    use_page = f"/vouchers/{voucher.pk}/use/"
    assert form in page(alice).get(use_page).content.decode()
    assert form not in page(ivan_lab).get(use_page).content.decode()
    done = page(alice).post(form)
    assert done.status_code == 302 and not Proof.objects.filter(pk=invoice).exists()


def test_nothing_is_deletable_before_a_return_once_filed(issued, alice, api_as):
    ent = api_as(alice)
    assert (
        ent.post(f"/api/vouchers/{issued.pk}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="fix-pay-0002").status_code
        == 201
    )
    wrong = upload(ent, issued, "result", number="draft")
    assert ent.delete(f"/api/vouchers/{issued.pk}/proofs/{wrong}/").status_code == 204  # not yet submitted
    upload(ent, issued, "invoice", "40000")
    upload(ent, issued, "bank_receipt", "40000")
    result = upload(ent, issued, "result")
    assert ent.post(f"/api/vouchers/{issued.pk}/submit-proofs/").json()["proof_status"] == "filed"
    refused = ent.delete(f"/api/vouchers/{issued.pk}/proofs/{result}/")
    assert refused.status_code == 400 and "不能删除" in refused.content.decode()
    assert f"/proofs/{result}/delete/" not in page(alice).get(f"/vouchers/{issued.pk}/use/").content.decode()


def test_the_limit_is_the_reason_after_the_last_resubmission(returned, alice, ivan_lab, olivia, api_as):
    voucher, rid, _ = returned
    ent = api_as(alice)
    assert ent.post(f"/api/vouchers/{voucher.pk}/submit-proofs/").json()["proof_status"] == "filed"
    assert api_as(ivan_lab).post(f"/api/redemptions/{rid}/resubmit/").status_code == 200
    note = {"decision": "return", "note": "仍有误"}
    assert api_as(olivia).post(f"/api/redemptions/{rid}/check/", note, format="json").json()["status"] == "returned"
    html = page(ivan_lab).get(f"/vouchers/redemptions/{rid}/").content.decode()
    assert "兑付申请只允许重新提交一次。" in html and "补正 " not in html


def test_the_operators_queue_has_no_proof_section_without_a_proof_review(olivia, policy):
    html = page(olivia).get("/vouchers/queue/").content.decode()
    assert "待审核的使用证明" not in html and "使用证明按提交先后排列" not in html
    assert "待审核的兑付申请" in html
    policy.proof_review = True
    policy.save()
    html = page(olivia).get("/vouchers/queue/").content.decode()
    assert "待审核的使用证明" in html and "使用证明按提交先后排列" in html


def test_the_redemption_list_says_the_approval_pays_where_it_does(ivan_lab, policy):
    policy.payout_cycle = "on_approval"
    policy.redemption_review = ["bureau"]
    policy.save()
    html = page(ivan_lab).get("/vouchers/redemptions/").content.decode()
    assert "通过即确认兑付，并从本地区预算拨付" in html and "纳入拨付批次" not in html
