from django import template

from portal.markup import render

register = template.Library()


@register.filter
def article_markup(text: str):
    """An article's body as HTML (escaped; see portal.markup)."""
    return render(text)
