"""Settlement pages (placeholder until the pages land)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo", status=501)


voucher_pay = voucher_use = proof_file = work_queue = redemption_list = redemption_detail = _todo
batch_list = batch_detail = batch_export = notice_list = budget = _todo
