"""Voucher pages (placeholder until the pages land)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo", status=501)


voucher_list = voucher_detail = contract_list = contract_new = contract_from_booking = _todo
contract_detail = contract_edit = review_queue = policy_list = policy_edit = _todo
