from django.utils.functional import SimpleLazyObject

from accounts import province as province_profile
from accounts.navigation import active_item, menu_for


def navigation(request):
    """Navigation entries for the base template, chosen by the signed-in user's role.

    An error page can be rendered before AuthenticationMiddleware ran (a bad ``Host``
    header is refused by CommonMiddleware): then there is no ``request.user`` and the
    anonymous menu is shown."""
    items = menu_for(getattr(request, "user", None))
    return {"nav_items": items, "nav_active": active_item(items, request.path)}


def province(request):
    """``province``: the deployment's profile (names, pledge, prefixes), read once per
    rendering and only by templates that use it."""
    return {"province": SimpleLazyObject(province_profile.current)}
