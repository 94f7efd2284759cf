from django.http import HttpResponse
from django.urls import path

app_name = "dashboards"


def _todo(request, *args, **kwargs):
    return HttpResponse("todo", status=501)


urlpatterns = [path("", _todo, name="index")]
