from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "tradelane.logistics"
    label = "logistics"
