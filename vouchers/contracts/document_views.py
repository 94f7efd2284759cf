"""Contract PDF, private files (signed scan, attachments) and public voucher verification.

Private files live under MEDIA_ROOT, which is never served by URL: they are streamed here
to exactly the people who may see the contract (``contracts_visible_to``); everyone else
gets 404, so an outsider cannot even learn that a contract number exists.

The contract PDF is rendered by the worker once per revision (``renditions``): the download
streams the stored file when the current revision's is there, and otherwise answers a page
that says it is being made and polls ``pdf/status/`` until it can offer the download.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from mapsite import uploads
from vouchers.contracts import renditions
from vouchers.contracts.documents import absolute_url, qr_svg
from vouchers.models import ContractAttachment, Voucher, VoucherStatus
from vouchers.permissions import contracts_visible_to
from vouchers.policies.words import contract_words


def _visible_contract(request, pk: int):
    return get_object_or_404(contracts_visible_to(request.user), pk=pk)


@login_required
@require_safe
def contract_pdf(request, pk: int):
    """The stored PDF of the contract's current revision, or a page showing it being made."""
    contract = get_object_or_404(contracts_visible_to(request.user).select_related(*renditions.PRINTED_RELATED), pk=pk)
    current = renditions.current(contract)
    if current.rendition is not None:
        response = renditions.serve(request, current)
        if response is not None:
            return response
        current = renditions.current(contract, queue=False)
    response = render(
        request,
        "vouchers/contract_pdf_pending.html",
        {
            "contract": contract,
            "words": contract_words(contract.policy),  # 合同 / 订单, as on the contract page
            "state": current.as_json(),
            "status_url": reverse("vouchers:contract_pdf_status", args=[contract.pk]),
            "retry_after": renditions.RETRY_AFTER_SECONDS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def contract_pdf_status(request, pk: int):
    """``{status: ready|pending|failed, revision, detail, download_url, retry_after}``."""
    contract = get_object_or_404(contracts_visible_to(request.user).select_related(*renditions.PRINTED_RELATED), pk=pk)
    current = renditions.current(contract)
    response = JsonResponse(current.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    if current.rendition is None:
        response["Retry-After"] = str(renditions.RETRY_AFTER_SECONDS)
    return response


def _stream_private(field_file, *, download_name: str):
    """Private uploads go out through the one upload service (type sniffed from the bytes)."""
    return uploads.serve(field_file, download_name=download_name)


@login_required
@require_safe
def contract_scan(request, pk: int):
    contract = _visible_contract(request, pk)
    return _stream_private(contract.signed_scan, download_name=f"{contract.number}-盖章合同")


@login_required
@require_safe
def contract_attachment(request, pk: int, attachment_pk: int):
    contract = _visible_contract(request, pk)
    attachment = get_object_or_404(ContractAttachment, pk=attachment_pk, contract=contract)
    return _stream_private(attachment.file, download_name=f"{contract.number}-附件-{attachment.pk}")


# --- Public verification ----------------------------------------------------------------------


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    # A browser's "text/html,...,*/*" prefers HTML; "Accept: application/json" prefers JSON.
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _public_facts(voucher: Voucher) -> dict:
    """What anyone holding the QR code may learn: no amount, no applicant (privacy)."""
    today = timezone.localdate()
    return {
        "number": voucher.number,
        "status": voucher.status,
        "status_label": VoucherStatus(voucher.status).label,
        "valid_until": voucher.valid_until.isoformat(),
        "past_valid_until": voucher.valid_until < today,
        "issued_on": timezone.localdate(voucher.issued_at).isoformat(),
        "institution": voucher.institution.organisation.name,
        "url": absolute_url(reverse("verify:verify", args=[voucher.number])),
    }


@require_safe
def verify(request, number: str):
    wants_json = _wants_json(request)
    voucher = Voucher.objects.select_related("institution__organisation").filter(number=number).first()
    if voucher is None:
        if wants_json:
            response = JsonResponse({"detail": "未找到该创新券。"}, status=404)
        else:
            response = render(request, "vouchers/verify.html", {"number": number, "found": False}, status=404)
    else:
        facts = _public_facts(voucher)
        if wants_json:
            response = JsonResponse(facts, json_dumps_params={"ensure_ascii": False})
        else:
            response = render(
                request,
                "vouchers/verify.html",
                {"found": True, "facts": facts, "qr": qr_svg(facts["url"])},
            )
    response["Vary"] = "Accept"
    return response
