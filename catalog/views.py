"""Catalogue pages (placeholder until the pages land)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo", status=501)


institution_detail = instrument_detail = service_detail = book_instrument = book_service = _todo
item_photo = contact = booking_list = booking_detail = manage = item_edit = item_withdraw = _todo
review_queue = review_item = _todo
