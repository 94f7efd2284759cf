"""Kept only because ``settings.TEMPLATES`` names this path (settings.py is not edited here).

The menu is per role, and roles are accounts', so the processor lives in
``accounts.context_processors``; point the setting there and delete this module. Until then
the layers contract lets this one import through (``ignore_imports`` in pyproject.toml).
"""

from accounts.context_processors import navigation

__all__ = ["navigation"]
