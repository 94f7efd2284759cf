"""The articles' text: plain text with a little Markdown (CommonMark through markdown-it-py).

Raw HTML in the text is not passed through: with ``html`` off, markdown-it escapes it, so a
``<script>`` in a title or body is shown as text. Links keep markdown-it's own check
(``javascript:``, ``vbscript:``, ``file:`` and ``data:`` URLs are refused) and images are
switched off, so an article never loads anything from elsewhere.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def render(text: str) -> SafeString:
    """HTML for ``text``; everything the author typed is escaped."""
    return mark_safe(_md.render(text or ""))  # noqa: S308 — markdown-it escapes the input (html off)
