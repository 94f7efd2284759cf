from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # why: app modules import models, which are ready only here. Notifications (a lower
        # layer) take from this deployment's province profile the e-mail subject and whether
        # notifications marked SMS-worthy also go out by SMS; the centre may see and retry
        # the task queue's failed jobs (named in the deployment's words).
        from accounts import province
        from accounts.actors import role_name
        from accounts.models import Role
        from notifications.queue import set_queue_manager
        from notifications.services import set_sms_switch, set_subject_format

        set_subject_format(province.mail_subject)
        set_sms_switch(lambda: province.current().sms_notifications)
        set_queue_manager(
            lambda user: user.is_superuser or user.role == Role.CENTRE,
            managers=lambda: f"{role_name(Role.CENTRE)}或系统管理员",
        )
