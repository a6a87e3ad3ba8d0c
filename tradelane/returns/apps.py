from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "tradelane.returns"
    label = "returns"
    verbose_name = "Returns"
