from django.apps import AppConfig


class GeodataConfig(AppConfig):
    name = "geodata"
