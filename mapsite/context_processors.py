def navigation(request):
    """Navigation entries for the base template, chosen by the signed-in user's role."""
    from mapsite.navigation import menu_for

    return {"nav_items": menu_for(request.user)}
