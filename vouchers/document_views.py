"""Contract PDF, private files (signed scan, attachments) and public voucher verification.

Private files live under MEDIA_ROOT, which is never served by URL: they are streamed here
to exactly the people who may see the contract (``contracts_visible_to``); everyone else
gets 404, so an outsider cannot even learn that a contract number exists.
"""

from __future__ import annotations

from pathlib import PurePath

import filetype
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from vouchers.documents import absolute_url, qr_svg, render_contract_pdf
from vouchers.models import ContractAttachment, Voucher, VoucherStatus
from vouchers.permissions import contracts_visible_to

# Types a browser may show inline; anything else is sent as a download.
INLINE_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
}


def _visible_contract(request, pk: int):
    return get_object_or_404(contracts_visible_to(request.user), pk=pk)


@login_required
@require_safe
def contract_pdf(request, pk: int):
    contract = _visible_contract(request, pk)
    response = HttpResponse(render_contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _stream_private(field_file, *, download_name: str):
    """Stream a private upload with a type sniffed from its bytes (uploads were checked by
    content on the way in; the stored name is not trusted for the Content-Type)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    kind = filetype.guess(handle.read(262))
    handle.seek(0)
    mime = kind.mime if kind else "application/octet-stream"
    inline = mime in INLINE_TYPES
    response = FileResponse(
        handle,
        content_type=mime if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=download_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def contract_scan(request, pk: int):
    contract = _visible_contract(request, pk)
    suffix = PurePath(contract.signed_scan.name or "").suffix.lower()
    return _stream_private(contract.signed_scan, download_name=f"{contract.number}-盖章合同{suffix}")


@login_required
@require_safe
def contract_attachment(request, pk: int, attachment_pk: int):
    contract = _visible_contract(request, pk)
    attachment = get_object_or_404(ContractAttachment, pk=attachment_pk, contract=contract)
    return _stream_private(attachment.file, download_name=PurePath(attachment.file.name).name)


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
