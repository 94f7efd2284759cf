from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self) -> None:
        # why: app modules are importable only once the registry is ready
        from accounts.services import certification_changed, organisation_changed
        from catalog.listing import on_certification_changed

        # Keep the search index in step with institutions' listing status (入库/暂停/名称变更).
        certification_changed.connect(on_certification_changed, dispatch_uid="catalog-listing-sync")
        # ... and with staff's edits of an organisation in the admin (address, place).
        organisation_changed.connect(on_certification_changed, dispatch_uid="catalog-listing-sync-admin")
