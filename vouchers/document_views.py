"""Contract PDF, private files and public voucher verification (placeholder)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo", status=501)


contract_pdf = contract_scan = contract_attachment = verify = _todo
