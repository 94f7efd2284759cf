"""``{% actor e.actor e.actor_role %}``: who did it, as histories show it (``accounts.actors``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from accounts.actors import actor_name, actor_username, kind_name, role_name

register = template.Library()


@register.simple_tag(takes_context=True)
def actor(context, user, role=None) -> str:
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    name = actor_name(user, role or None)
    username = actor_username(user, viewer)
    if username:
        return format_html('{}<span class="hint mono"> · {}</span>', name, username)
    return format_html("{}", name)


@register.simple_tag(name="role_name")
def role_name_tag(role) -> str:
    return role_name(role)


@register.simple_tag(name="kind_name")
def kind_name_tag(kind) -> str:
    return kind_name(kind)
