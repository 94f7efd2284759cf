from accounts.navigation import active_item, menu_for


def navigation(request):
    """Navigation entries for the base template, chosen by the signed-in user's role."""
    items = menu_for(request.user)
    return {"nav_items": items, "nav_active": active_item(items, request.path)}
