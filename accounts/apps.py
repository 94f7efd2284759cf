from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # why: app modules import models, which are ready only here. The notification e-mails
        # (a lower layer) take their subject from this deployment's province profile.
        from accounts import province
        from notifications.services import set_subject_format

        set_subject_format(province.mail_subject)
