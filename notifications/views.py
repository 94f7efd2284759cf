from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.services import mark_read


@login_required
def inbox(request):
    items = request.user.notifications.all()[:200]
    return render(request, "notifications/inbox.html", {"items": items})


@login_required
@require_POST
def read_all(request):
    mark_read(user=request.user)
    return redirect("notifications:inbox")
