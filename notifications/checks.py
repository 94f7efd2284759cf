"""Start-up check: ``SMS_BACKEND`` names a class that can be imported (a typo would
otherwise surface only when the first text message is due, as failed jobs)."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def sms_backend_importable(app_configs, **kwargs):
    try:
        import_string(settings.SMS_BACKEND)
    except ImportError as exc:
        return [
            Error(
                f"SMS_BACKEND={settings.SMS_BACKEND!r} cannot be imported: {exc}",
                hint="Use notifications.sms.ConsoleBackend, LocMemBackend, NullBackend or a gateway's class.",
                id="notifications.E001",
            )
        ]
    return []
