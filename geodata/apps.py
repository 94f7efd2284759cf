from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GeodataConfig(AppConfig):
    name = "geodata"

    def ready(self) -> None:
        # why: models are importable only once the app registry is ready
        from geodata.models import Region
        from geodata.selectors import forget_region_directory

        post_save.connect(forget_region_directory, sender=Region, dispatch_uid="region-directory-save")
        post_delete.connect(forget_region_directory, sender=Region, dispatch_uid="region-directory-delete")
