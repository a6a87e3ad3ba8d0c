from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "tradelane.logistics.fulfilment"
    label = "fulfilment"
    verbose_name = "Fulfilment"
