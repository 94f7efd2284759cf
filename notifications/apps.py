from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        # why: registering the start-up check needs the app registry ready.
        from notifications import checks  # noqa: F401
