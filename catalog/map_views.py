"""The innovation map page (placeholder until the page lands)."""

from django.http import HttpResponse


def map_page(request):
    return HttpResponse("todo", status=501)


map_frame = map_page
